//! Events: one per state change, so indexers and keepers can follow the protocol from logs.
//! Native amounts are `u64`; fixed-point values are raw `I80F48` bits (`i128`).

use anchor_lang::prelude::*;

#[event]
pub struct GroupCreated {
    pub group: Pubkey,
    pub creator: Pubkey,
    pub group_num: u32,
    pub admin: Pubkey,
    pub security_admin: Pubkey,
}

#[event]
pub struct GroupEdited {
    pub group: Pubkey,
    pub admin: Pubkey,
    pub security_admin: Pubkey,
    pub timelock_secs: u32,
    pub maint_ramp_secs: u32,
    pub pause_duration_secs: u32,
}

#[event]
pub struct GroupPauseSet {
    pub group: Pubkey,
    pub paused: bool,
    pub by: Pubkey,
    /// When the pause lapses by itself unless renewed (0 when unpausing).
    pub expires_at: i64,
}

#[event]
pub struct BankConfigured {
    pub group: Pubkey,
    pub bank: Pubkey,
    pub token_index: u16,
    pub mint: Pubkey,
    pub oracle: Pubkey,
    /// True for `bank_register`, false for `bank_edit`.
    pub created: bool,
}

#[event]
pub struct InterestAccrued {
    pub bank: Pubkey,
    pub deposit_index: i128,
    pub borrow_index: i128,
    pub fee_native: i128,
    pub borrow_rate: i128,
    pub timestamp: i64,
}

#[event]
pub struct MarginAccountCreated {
    pub group: Pubkey,
    pub account: Pubkey,
    pub owner: Pubkey,
    pub account_num: u32,
}

#[event]
pub struct MarginAccountClosed {
    pub account: Pubkey,
    pub owner: Pubkey,
}

#[event]
pub struct DelegateSet {
    pub account: Pubkey,
    pub delegate: Pubkey,
}

#[event]
pub struct TokenDeposited {
    pub account: Pubkey,
    pub bank: Pubkey,
    pub depositor: Pubkey,
    pub amount: u64,
    /// Part of `amount` that repaid a borrow.
    pub repaid: u64,
    pub indexed_balance: i128,
}

#[event]
pub struct TokenWithdrawn {
    pub account: Pubkey,
    pub bank: Pubkey,
    pub signer: Pubkey,
    pub amount: u64,
    /// Part of `amount` that was borrowed (0 for a plain withdrawal).
    pub borrowed: u64,
    pub origination_fee: u64,
    pub indexed_balance: i128,
    pub init_health_after: i128,
}

#[event]
pub struct TokenLiquidated {
    pub liquidator: Pubkey,
    pub liquidatee: Pubkey,
    pub asset_bank: Pubkey,
    pub liab_bank: Pubkey,
    /// Liability taken over, native units of the liability token.
    pub liab_amount: u64,
    /// Deposit taken from the liquidatee, native units of the asset token.
    pub asset_amount: u64,
    /// Part of `asset_amount` owed to the asset bank's insurance fund: booked to the bank's
    /// protocol fees at once and moved to the insurance vault by `bank_sweep_fees`.
    pub insurance_amount: u64,
    /// Oracle price mantissas used (exponents are in the banks' oracles).
    pub asset_price: i64,
    pub liab_price: i64,
    pub init_health_before: i128,
    pub maint_health_before: i128,
    pub init_health_after: i128,
    pub maint_health_after: i128,
}

#[event]
pub struct BankruptcyResolved {
    pub account: Pubkey,
    pub bank: Pubkey,
    /// Debt written off, native units: `insured + socialised + fees_forgone + unrecoverable`,
    /// exactly.
    pub bad_debt: u64,
    /// Paid from the bank's insurance vault.
    pub insured: u64,
    /// Absorbed by depositors through a lower deposit index.
    pub socialised: u64,
    /// Beyond what depositors held above the index floor, cancelled against the bank's
    /// uncollected protocol fees.
    pub fees_forgone: u64,
    /// Beyond depositors and fees; added to the bank's
    /// `unrecoverable_bad_debt`.
    pub unrecoverable: u64,
    pub deposit_index_before: i128,
    pub deposit_index_after: i128,
}

#[event]
pub struct InsuranceDeposited {
    pub bank: Pubkey,
    pub depositor: Pubkey,
    pub amount: u64,
}

#[event]
pub struct FeesSwept {
    pub bank: Pubkey,
    /// Native units moved from the vault to the insurance vault.
    pub amount: u64,
    /// Fees still owed to the insurance vault (raw `I80F48` bits): the fraction below one
    /// native unit, and whatever the vault could not pay yet.
    pub fees_left: i128,
}

/// A bank's breaker tripped (its oracle left the band around its stable price) or cleared.
#[event]
pub struct BreakerChanged {
    pub bank: Pubkey,
    pub tripped: bool,
    pub oracle_price: i64,
    pub stable_price: i64,
    pub expo: i32,
}

#[event]
pub struct GroupWentLive {
    pub group: Pubkey,
}

#[event]
pub struct AdminProposed {
    pub group: Pubkey,
    /// Default when a proposal is withdrawn.
    pub proposed: Pubkey,
    /// From when the proposed key may accept.
    pub effective_at: i64,
}

#[event]
pub struct ChangeQueued {
    pub group: Pubkey,
    pub change: Pubkey,
    pub target: Pubkey,
    pub change_id: u64,
    pub effective_at: i64,
    /// The first loosening field, empty if the change only tightens.
    pub loosens: String,
}

#[event]
pub struct ChangeApplied {
    pub group: Pubkey,
    pub change: Pubkey,
    pub target: Pubkey,
    pub change_id: u64,
}

#[event]
pub struct ChangeCancelled {
    pub group: Pubkey,
    pub change: Pubkey,
    pub change_id: u64,
    pub by: Pubkey,
}

#[event]
pub struct PerpMarketConfigured {
    pub group: Pubkey,
    pub perp_market: Pubkey,
    pub perp_index: u16,
    pub oracle: Pubkey,
    /// True for `perp_market_register`, false for `perp_market_edit`.
    pub created: bool,
}

#[event]
pub struct PoolDeposited {
    pub perp_market: Pubkey,
    pub depositor: Pubkey,
    pub amount: u64,
    pub shares: u64,
    /// Pool value the shares were priced at, I80F48 bits.
    pub pool_value: i128,
}

#[event]
pub struct PoolWithdrawn {
    pub perp_market: Pubkey,
    pub owner: Pubkey,
    pub shares: u64,
    pub amount: u64,
    pub pool_value: i128,
}

#[event]
pub struct PerpTraded {
    pub account: Pubkey,
    pub perp_market: Pubkey,
    /// Signed base traded (positive = bought).
    pub base_delta: i64,
    /// Execution price, quote native per base native, I80F48 bits.
    pub price: i128,
    pub base_after: i64,
    /// Quote after, I80F48 bits.
    pub quote_after: i128,
    pub funding_paid: i128,
    pub init_health_after: i128,
}

#[event]
pub struct FundingUpdated {
    pub perp_market: Pubkey,
    pub funding_index: i128,
    pub long_open_interest: u64,
    pub short_open_interest: u64,
}

#[event]
pub struct PerpPnlSettled {
    pub account: Pubkey,
    pub perp_market: Pubkey,
    /// Positive: paid by the pool to the account; negative: paid by the account.
    pub amount: i64,
    pub quote_after: i128,
}

#[event]
pub struct PerpLiquidated {
    pub liquidatee: Pubkey,
    pub liquidator: Pubkey,
    pub perp_market: Pubkey,
    /// Base closed against the pool (signed as traded by the liquidatee).
    pub base_delta: i64,
    pub price: i128,
    /// Credited to the liquidator's position in this market (quote, I80F48 bits).
    pub liquidator_fee: i128,
    /// Kept by the pool, I80F48 bits.
    pub pool_fee: i128,
    pub init_health_after: i128,
}

/// A flat perp loss taken over by a liquidator against a deposit (`perp_liquidate_loss`).
#[event]
pub struct PerpLossLiquidated {
    pub liquidator: Pubkey,
    pub liquidatee: Pubkey,
    pub perp_market: Pubkey,
    pub asset_bank: Pubkey,
    /// Loss taken over, settle-token native units (the liquidator's quote fell by it).
    pub loss_amount: u64,
    /// The liquidatee's quote after, I80F48 bits.
    pub quote_after: i128,
    /// Deposit taken from the liquidatee, native units of the asset.
    pub asset_amount: u64,
    /// Part of `asset_amount` booked to the asset bank's fees for its insurance fund.
    pub insurance_amount: u64,
    /// The asset oracle's price mantissa and exponent used.
    pub asset_price: i64,
    pub asset_expo: i32,
    pub init_health_before: i128,
    pub maint_health_before: i128,
    pub init_health_after: i128,
    pub maint_health_after: i128,
}

/// A hedged perp and spot pair unwound together (`perp_liquidate_pair`).
#[event]
pub struct PerpPairLiquidated {
    pub liquidatee: Pubkey,
    pub liquidator: Pubkey,
    pub perp_market: Pubkey,
    pub spot_bank: Pubkey,
    /// Base closed against the pool (signed as traded by the liquidatee).
    pub base_delta: i64,
    /// The liquidatee's spot change, native units (`−base_delta`).
    pub spot_delta: i64,
    /// The perp leg's close price, I80F48 bits.
    pub price: i128,
    /// The spot leg's change to the liquidatee's perp quote (positive: it sold spot; negative:
    /// it paid the liquidator's quote for a repaid borrow), I80F48 bits.
    pub spot_quote: i128,
    /// Settle-token native units the liquidator paid from its settle-bank position into the
    /// pool vault for spot it bought (0 when the liquidatee repaid a borrow); less than
    /// `spot_quote` when the settle vault could not release it all, the rest owed by the
    /// liquidator in its perp quote.
    pub settle_paid: u64,
    pub liquidator_fee: i128,
    pub pool_fee: i128,
    pub maint_health_after: i128,
    pub init_health_after: i128,
}

/// A profitable position reduced and its realised profit paid out of the pool
/// (`perp_auto_deleverage`).
#[event]
pub struct PerpAutoDeleveraged {
    pub account: Pubkey,
    pub perp_market: Pubkey,
    /// Base closed (signed as traded by the account).
    pub base_delta: i64,
    /// The close price, quote native per base native, I80F48 bits.
    pub price: i128,
    /// Settle-token native units paid from the pool vault into the account's deposit.
    pub paid: u64,
    /// The excess over the threshold this step was sized to pay, native units.
    pub excess: u64,
    /// Traders' net unsettled PnL (at the protected price) before, I80F48 bits.
    pub owed_before: i128,
    pub pool_vault_before: u64,
}

/// A bankrupt account's perp loss written off (`perp_resolve_bankruptcy`):
/// `loss = insured + absorbed_by_pool`, settle-token native units.
#[event]
pub struct PerpBankruptcyResolved {
    pub account: Pubkey,
    pub perp_market: Pubkey,
    pub loss: u64,
    /// Paid from the settle bank's insurance vault into the pool vault.
    pub insured: u64,
    /// Taken by the pool's LPs.
    pub absorbed_by_pool: u64,
}

/// A perp market's parameters changed (`perp_market_edit`).
#[event]
pub struct PerpMarketEdited {
    pub perp_market: Pubkey,
    pub config: crate::state::PerpConfig,
}
