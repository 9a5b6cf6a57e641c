//! Every rejection the program can give, with a message a user can act on.
//!
//! Anchor numbers these from 6000 in declaration order; append new variants at the end so
//! clients that match on codes keep working.

use anchor_lang::prelude::*;

#[error_code]
pub enum CrossMarginError {
    #[msg("Arithmetic overflow: the amounts involved are too large for this operation")]
    MathOverflow,
    #[msg("Amount must be greater than zero")]
    AmountZero,
    #[msg("Only the group admin may do this")]
    NotAdmin,
    #[msg("Only the group admin or security admin may pause the group")]
    NotPauseAuthority,
    #[msg("Only the group admin may unpause the group; the security admin may only pause")]
    OnlyAdminCanUnpause,
    #[msg("The group is paused: withdrawals and borrows are disabled until the admin unpauses")]
    GroupPaused,
    #[msg("Signer is neither the margin account's owner nor its delegate")]
    NotOwnerOrDelegate,
    #[msg("Only the margin account's owner may do this (a delegate may not)")]
    NotOwner,
    #[msg("Weights must satisfy init_asset <= maint_asset <= 1 <= maint_liab <= init_liab <= 10")]
    InvalidWeights,
    #[msg(
        "Interest curve must have 0 < util0 < util1 < 100% and rate0 <= rate1 <= max_rate <= 100%/yr"
    )]
    InvalidInterestCurve,
    #[msg("Fees out of range: protocol fee and insurance share <= 100%, origination <= 10%, liquidation fee <= 50%")]
    InvalidFees,
    #[msg("Oracle settings invalid: max_staleness_secs must be 1..=900 and max_conf_bps 1..=1000")]
    InvalidOracleConfig,
    #[msg("A bank with this token index already exists in the group; pick an unused index")]
    TokenIndexInUse,
    #[msg("The mint uses a Token-2022 extension this protocol does not support (transfer fee, hook, permanent delegate, default-frozen, ...)")]
    UnsupportedMintExtension,
    #[msg("Mints with more than 18 decimals are not supported")]
    MintDecimalsTooLarge,
    #[msg("The mint does not match the bank's mint")]
    MintMismatch,
    #[msg("The token account is not the bank's vault")]
    VaultMismatch,
    #[msg("The token program does not match the bank's token program")]
    TokenProgramMismatch,
    #[msg("The account belongs to a different group")]
    GroupMismatch,
    #[msg("The oracle account is not the one configured for this bank")]
    OracleMismatch,
    #[msg("The oracle account is not owned by the Pyth program for the bank's oracle kind")]
    OracleWrongOwner,
    #[msg("The oracle account data could not be parsed as a Pyth price of the configured kind")]
    OracleInvalidData,
    #[msg("The oracle price status is not Trading; the feed is halted or dead")]
    OracleNotTrading,
    #[msg(
        "The oracle price is older than the bank's max_staleness_secs; post a fresh price first"
    )]
    OracleStale,
    #[msg("The oracle confidence interval is wider than the bank's max_conf_bps")]
    OracleConfidenceTooWide,
    #[msg("The oracle price is zero, negative, or has an exponent outside -18..=12")]
    OraclePriceInvalid,
    #[msg("The price update is for a different Pyth feed than the bank's")]
    OracleFeedMismatch,
    #[msg("The Pyth price update is not fully verified")]
    OracleNotVerified,
    #[msg("The wallet's token account holds less than the amount")]
    InsufficientWalletBalance,
    #[msg("The bank's vault does not hold enough tokens for this withdrawal")]
    InsufficientVaultLiquidity,
    #[msg("This withdrawal exceeds the deposit and would borrow; pass allow_borrow to borrow")]
    BorrowNotAllowed,
    #[msg("The bank's deposit limit would be exceeded")]
    DepositLimitExceeded,
    #[msg("The bank's borrow limit would be exceeded")]
    BorrowLimitExceeded,
    #[msg("The bank is reduce-only: no new deposits or borrows, only repay and withdraw")]
    BankReduceOnly,
    #[msg("Wrong number of health accounts: pass the bank of every position in slot order, then their oracles")]
    HealthAccountsCount,
    #[msg("A health account is not the bank of the position in that slot (missing, extra, duplicated or reordered)")]
    HealthBankMismatch,
    #[msg("A health oracle account is not the oracle of the bank in the same position")]
    HealthOracleMismatch,
    #[msg("Health check failed: init health would end negative (or, while already negative, init or maint health would fall); deposit more or take less")]
    HealthWouldBeNegative,
    #[msg("All token position slots of this margin account are in use; close one first")]
    NoFreePositionSlot,
    #[msg("The margin account still has balances; withdraw and repay everything before closing")]
    AccountNotEmpty,
    #[msg("The margin account is being liquidated")]
    AccountBeingLiquidated,
    #[msg("The given account is not a valid program account of the expected type")]
    InvalidAccount,
    #[msg("The liquidatee has no deposit of at least one native unit in the asset bank")]
    NoAssetToSeize,
    #[msg("The liquidatee has no borrow in the liability bank")]
    NoLiabilityToTake,
    #[msg("The account is not liquidatable: maint health is not negative (or, while being liquidated, init health is not negative)")]
    NotLiquidatable,
    #[msg("Liquidating this asset/liability pair would not improve health; choose another pair")]
    LiquidationWouldNotImprove,
    #[msg("The liquidation amount rounds to zero; raise max_liab_transfer or choose another pair")]
    LiquidationTooSmall,
    #[msg("A liquidator cannot liquidate its own account")]
    SelfLiquidation,
    #[msg("Asset and liability bank must differ")]
    SameBank,
    #[msg("The account is not bankrupt: it still has a deposit, or has no borrow in this bank")]
    NotBankrupt,
    #[msg("The token account is frozen; thaw it (or use another) and retry")]
    TokenAccountFrozen,
    #[msg("Only the account's owner or delegate may open a new position; anyone may add to a position the account already holds")]
    NewPositionNotOwner,
    #[msg("This config makes a pair of banks unliquidatable: need (1 + both liquidation fees) x init asset weight < init liability weight, and x maint asset weight <= maint liability weight, for every pair")]
    LiquidationPairUnsafe,
    #[msg("Pass every other bank of the group in remaining_accounts, once each, so the new config can be checked against all of them")]
    BankListIncomplete,
    #[msg("Token index 65535 is reserved (it marks a free position slot); pick another")]
    ReservedTokenIndex,
    #[msg("A pull oracle must be Pyth's sponsored price feed account for its feed id (shard 0), whose write authority is itself")]
    OracleNotCanonical,
    #[msg("This bank recorded unrecoverable bad debt (its depositors were wiped out to the index floor): it takes no new deposits; repay, withdraw and liquidation still work")]
    BankInsolvent,
    #[msg("Stable growth must be 1..=10000 bps/h, breaker band 100..=10000 bps, net outflow limit 500..=10000 bps of deposits, outflow window 60..=86400 s")]
    InvalidGuardrailConfig,
    #[msg(
        "Timelock must be 1..=30 days, maint ramp 1 hour..=30 days, pause duration 1 hour..=7 days"
    )]
    InvalidGroupSettings,
    #[msg("This bank's oracle is further from its stable price than the breaker band: new borrows of it, and withdrawals of it from an account with debt, are refused until the gap closes (deposits, repays and liquidations still work)")]
    BreakerBorrowReduceOnly,
    #[msg("The bank's net outflow limit for this window is reached; the program log says when the window resets (deposits, repays and liquidations are never limited)")]
    NetOutflowLimit,
    #[msg("This change loosens risk on a live group: queue it (bank_queue_edit / group_queue_edit) and apply it after the timelock; the log names the field")]
    LooseningNeedsTimelock,
    #[msg("This change is still inside its timelock; the log says when it may be applied")]
    ChangeNotYetEffective,
    #[msg("A loosening exceeds its per-change bound (asset weights may rise and liability weights fall by at most 0.1, limits at most double); queue it in smaller steps. The log names the field")]
    LooseningStepTooLarge,
    #[msg("A bank listed on a live group must start with asset weights 0; raise them through the timelocked queue")]
    NewBankAssetWeightNotZero,
    #[msg("The default pubkey, or the current admin, cannot be proposed as admin")]
    InvalidAdmin,
    #[msg("Only the proposed admin may accept the hand-over, once its timelock has passed")]
    NotPendingAdmin,
    #[msg("Margin accounts can be opened only once the admin has declared the group live")]
    GroupNotLive,
    #[msg("The group is already live")]
    GroupAlreadyLive,
    #[msg("This queued change belongs to another bank, group or kind")]
    ChangeTargetMismatch,
    #[msg("The bank or group changed since this change was queued; cancel it and queue it again")]
    ChangeStale,
    #[msg("The change is empty: the new settings equal the current ones")]
    ChangeEmpty,
    #[msg("Only the group admin or security admin may cancel a queued change")]
    NotCancelAuthority,
    #[msg("This queued change expired (not applied within 7 days of becoming due); cancel it and queue it again")]
    ChangeExpired,
    #[msg("All perp position slots of this margin account are in use; close or settle one first")]
    NoFreePerpSlot,
    #[msg("Perp config invalid: weights need init_asset <= maint_asset < 1 < maint_liab <= init_liab; 0 < liquidation fee < both init margins; trading fee <= 5%, impact <= 20%, funding clamp <= 1%/h, hedge weights within the market's margins, settle window 60..=86400 s, non-zero OI cap, settle limit and ADL threshold")]
    InvalidPerpConfig,
    #[msg("A perp market account does not match the position in that slot, or the market is not this group's (missing, extra, duplicated or reordered)")]
    HealthPerpMismatch,
    #[msg("The settle bank must be a bank of this group whose mint has the quote decimals (6) and is the pool vault's mint")]
    SettleBankMismatch,
    #[msg("A perp market with this index already exists in the group; pick an unused index")]
    PerpIndexInUse,
    #[msg("This trade would take the market's open interest on its side above max_open_interest; trade less")]
    OpenInterestCap,
    #[msg("The pool would keep less than its reserve (pool_reserve_bps of the net open interest notional); trade or withdraw less")]
    PoolReserveBreached,
    #[msg("The execution price is worse than the limit price; raise (buy) or lower (sell) the limit, or trade less to pay less impact")]
    LimitPriceExceeded,
    #[msg("The perp market is reduce-only: positions may only shrink")]
    PerpReduceOnly,
    #[msg("The perp oracle is further from its stable price than the breaker band: only trades that shrink a position are accepted until the gap closes")]
    PerpBreakerReduceOnly,
    #[msg("The account has no position in this perp market")]
    NoPerpPosition,
    #[msg("Nothing to do: the position has no PnL to settle, or the pool cannot pay any of it now (settle limit of this window reached, or the vault is empty)")]
    NothingToSettle,
    #[msg("LP shares and pool amounts must be positive and the pool must have value; a first deposit mints shares 1:1")]
    PoolAmountInvalid,
    #[msg("Close or settle the account's perp positions first: bankruptcy needs every perp position flat with no unsettled profit")]
    PerpPositionsOpen,
    #[msg("Trade size must be non-zero and at most the market's open interest cap")]
    PerpTradeSizeInvalid,
    #[msg("A perp market listed on a live group must start with init_pnl_weight_bps = 0")]
    NewPerpPnlWeightNotZero,
    #[msg("The perp does not hedge this bank's balance (they must share an oracle and decimals, hedge each other's side and the hedge weights must be valid for both): use perp_liquidate or token_liquidate")]
    NotHedged,
    #[msg("Traders' net unsettled PnL in this market is within the pool's ADL threshold: nothing to deleverage")]
    AdlNotNeeded,
    #[msg("This perp position has no whole unit of profit at the protected price: auto-deleveraging takes the most profitable positions first")]
    PositionNotProfitable,
    #[msg("Deleveraging this position would lower the account's maint health below zero (it breaks a hedge): deleverage another position")]
    AdlWouldEndangerAccount,
    #[msg("The perp oracle is further from its stable price than the breaker band: auto-deleveraging waits until the stable price confirms the move")]
    AdlBreakerTripped,
    #[msg("This position's profit per unit of size is below its side's average: auto-deleveraging takes the most profitable positions first; deleverage a more profitable one")]
    AdlBelowAverageProfit,
    #[msg("This withdrawal would leave traders' unsettled profit above the pool's ADL threshold (adl_threshold_bps of the vault): withdraw less, or wait until profits are settled or the market rebalances")]
    PoolWithdrawWouldTriggerAdl,
    #[msg("This account's perp positions need a free token slot for their settle token (settling, bankruptcy and auto-deleveraging pay through it): deposit the settle token first, or close a perp position or a token position")]
    SettleSlotReserved,
    #[msg("The perp position still holds base: close it with perp_liquidate (or perp_liquidate_pair) first; perp_liquidate_loss takes over a flat position's loss only")]
    PerpPositionNotFlat,
    #[msg("The flat perp position has no loss to take over (its quote is not negative): settle a profit with perp_settle_pnl instead")]
    NoPerpLoss,
}

#[cfg(test)]
mod tests {
    use super::CrossMarginError;
    use crate::state::{MAX_CONF_LIMIT_BPS, MAX_STALENESS_LIMIT_SECS};

    /// The limits the message states are the ones `BankConfig::validate` enforces.
    #[test]
    fn the_oracle_config_message_states_the_enforced_limits() {
        let msg = CrossMarginError::InvalidOracleConfig.to_string();
        assert!(
            msg.contains(&format!(
                "max_staleness_secs must be 1..={MAX_STALENESS_LIMIT_SECS}"
            )) && msg.contains(&format!("max_conf_bps 1..={MAX_CONF_LIMIT_BPS}")),
            "{msg}"
        );
    }
}
