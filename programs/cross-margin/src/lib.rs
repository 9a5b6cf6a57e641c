//! cross-margin: a cross-margin lending protocol for Solana.
//!
//! Users deposit several tokens into one margin account and borrow against all of it;
//! every instruction that can add risk checks the account's health afterwards. See the
//! README for the protocol and `../shared/DESIGN.md` for the architecture.
//!
//! This file only forwards: each instruction lives in `instructions/<name>.rs`.
#![allow(clippy::result_large_err)]

use anchor_lang::prelude::*;

pub mod bank_change;
pub mod bank_list;
pub mod constants;
pub mod error;
pub mod events;
pub mod guard;
pub mod health;
pub mod instructions;
pub mod math;
pub mod pda_account;
pub mod state;
pub mod token_cpi;

use instructions::*;
use state::{BankConfig, GroupSettings, PerpConfig};

declare_id!("ESfs84KivbtjSekY2Us7CcfTEDhXj6pJ7FryrqsyP3pn");

/// cross-margin: deposit several tokens into one margin account and borrow against all of
/// it. Every instruction that can add risk checks the account's health afterwards.
///
/// Units: token amounts are native units (the mint's smallest unit); values and health are
/// quote-native (USD × 10^`QUOTE_DECIMALS`). `*_bps` fields are basis points (10,000 = 1).
/// `I80F48Bytes` fields and event fields documented as I80F48 are fixed-point: a signed
/// 128-bit integer `bits` (little-endian bytes), value = `bits / 2^48`.
///
/// **Health accounts.** Instructions that check an account's health take, in
/// `remaining_accounts`, the `Bank` of each of its active positions in slot order
/// (`token_positions` index 0..8, skipping free slots whose `token_index` is 65535), then
/// the oracle of each of those banks (`Bank.oracle`) in the same order: `2 × n` accounts
/// for `n` positions (read-only is enough). Missing, extra, repeated or reordered accounts
/// fail with `HealthAccountsCount`, `HealthBankMismatch` or `HealthOracleMismatch`. An
/// instruction that may open a position (a deposit or withdrawal in a new token, the
/// liquidator's side of a liquidation) expects the layout *after* opening it: the new
/// position takes the first free slot.
#[program]
pub mod cross_margin {
    use super::*;

    /// Create a group. **Anyone** may call: the signer (`creator`) becomes the admin and pays
    /// rent. Group PDA `["group", creator, group_num (u32 LE)]`. `security_admin` may later
    /// pause (never unpause) and cancel queued bank changes. The group starts in its setup
    /// phase with the default settings (timelock 1 day, maint ramp 1 day, pause 2 days):
    /// banks are configured freely and no margin account can be opened until
    /// `group_go_live`.
    ///
    /// `remaining_accounts`: none.
    pub fn group_create(
        ctx: Context<GroupCreate>,
        group_num: u32,
        security_admin: Pubkey,
    ) -> Result<()> {
        instructions::group_create(ctx, group_num, security_admin)
    }

    /// Change the group's settings (security admin, timelock, maint ramp, pause duration)
    /// at once. **Admin only** (`NotAdmin`).
    ///
    /// Checks the hard bounds (`InvalidGroupSettings`; see the `MIN_*` / `MAX_*` constants).
    /// On a live group only tightening applies here (a longer timelock or ramp, a shorter
    /// pause); a new security admin, a shorter timelock or ramp, or a longer pause fails
    /// with `LooseningNeedsTimelock` and must be queued with `group_queue_edit`.
    ///
    /// `remaining_accounts`: none.
    pub fn group_edit(ctx: Context<GroupEdit>, settings: GroupSettings) -> Result<()> {
        instructions::group_edit(ctx, settings)
    }

    /// Queue a group settings change behind the timelock. **Admin only**; the admin pays the
    /// `PendingChange` rent (returned on apply or cancel).
    ///
    /// `change_id` must equal `group.change_count` (`ChangeTargetMismatch`); the change
    /// account is the PDA `["change", group, change_id (u64 LE)]`. The settings must be
    /// within the hard bounds and differ from the current ones (`ChangeEmpty`). Anyone may
    /// apply it with `group_apply_edit` from now + `timelock_secs` (at once during setup;
    /// a change queued during setup waits a full timelock from `group_go_live`), until
    /// `CHANGE_EXPIRY_SECS` after that.
    ///
    /// `remaining_accounts`: none.
    pub fn group_queue_edit(
        ctx: Context<GroupQueueEdit>,
        change_id: u64,
        settings: GroupSettings,
    ) -> Result<()> {
        instructions::group_queue_edit(ctx, change_id, settings)
    }

    /// Apply a queued group settings change. **Anyone** may call; the rent goes back to the
    /// change's payer (`payer` must be `change.payer`).
    ///
    /// Checks: the change is this group's and a group change (`ChangeTargetMismatch`); it is
    /// due (`ChangeNotYetEffective`, the log says when) and not expired (`ChangeExpired`);
    /// the group's settings are still those it was queued against (`ChangeStale`); the hard
    /// bounds.
    ///
    /// `remaining_accounts`: none.
    pub fn group_apply_edit(ctx: Context<GroupApplyEdit>) -> Result<()> {
        instructions::group_apply_edit(ctx)
    }

    /// First step of an admin hand-over. **Admin only** (`NotAdmin`). `Some(key)` proposes
    /// `key` (not the default key nor the current admin: `InvalidAdmin`), who may accept
    /// with `group_accept_admin` from now + `timelock_secs` on a live group, at once during
    /// setup (`group.pending_admin_at`). `None` withdraws a pending proposal.
    ///
    /// `remaining_accounts`: none.
    pub fn group_propose_admin(
        ctx: Context<GroupProposeAdmin>,
        new_admin: Option<Pubkey>,
    ) -> Result<()> {
        instructions::group_propose_admin(ctx, new_admin)
    }

    /// Second step of an admin hand-over: **the proposed admin** signs (`new_admin`) from
    /// `group.pending_admin_at` on and becomes the admin; the proposal is cleared. Anyone
    /// else, or too early: `NotPendingAdmin` (the log says when).
    ///
    /// `remaining_accounts`: none.
    pub fn group_accept_admin(ctx: Context<GroupAcceptAdmin>) -> Result<()> {
        instructions::group_accept_admin(ctx)
    }

    /// End the group's setup phase. **Admin only**, once (`GroupAlreadyLive`), irreversible.
    /// From now on margin accounts may be opened (`account_create`), every change that
    /// loosens risk waits out the timelock and is bounded per step, new banks start with
    /// asset weights 0, changes queued during setup wait a full timelock from now, and a
    /// pending admin proposal is withdrawn.
    ///
    /// `remaining_accounts`: none.
    pub fn group_go_live(ctx: Context<GroupGoLive>) -> Result<()> {
        instructions::group_go_live(ctx)
    }

    /// Pause (`paused = true`) or unpause the group. The **admin or the security admin** may
    /// pause (`NotPauseAuthority`); only the **admin** may unpause (`OnlyAdminCanUnpause`).
    /// A pause lapses by itself `pause_duration_secs` after it was set; pausing again renews
    /// it from now.
    ///
    /// While paused, `token_withdraw` (withdrawals and borrows), `token_liquidate`,
    /// `token_resolve_bankruptcy` and `bank_sweep_fees` fail with `GroupPaused`; deposits,
    /// repays and insurance deposits still work.
    ///
    /// `remaining_accounts`: none.
    pub fn group_set_paused(ctx: Context<GroupSetPaused>, paused: bool) -> Result<()> {
        instructions::group_set_paused(ctx, paused)
    }

    /// List a token in the group. **Admin only** (`NotAdmin`); the admin pays rent.
    ///
    /// Creates the bank PDA `["bank", group, token_index (u16 LE)]`, its vault
    /// `["vault", bank]` and insurance vault `["insurance", bank]` (token accounts of `mint`
    /// owned by the group PDA), and counts it in `group.bank_count`. Checks: the config is
    /// consistent (weights, curve, fees, oracle limits, guardrail ranges); on a live group
    /// both asset weights are 0 (`NewBankAssetWeightNotZero`: collateral value arrives only
    /// through `bank_queue_edit`); `token_index` is unused (`TokenIndexInUse`) and not 65535
    /// (`ReservedTokenIndex`); decimals ≤ `MAX_DECIMALS`; the mint is SPL Token, or
    /// Token-2022 with metadata extensions only; the oracle is owned by the Pyth program of
    /// `config.oracle_kind`, parses, is trading / fully verified with a positive price, and a
    /// pull oracle is Pyth's sponsored feed account for its feed id; every pair with the
    /// group's other banks can be liquidated in both directions (`LiquidationPairUnsafe`).
    ///
    /// `remaining_accounts`: every bank already registered in the group (read-only, exactly
    /// `group.bank_count` of them, any order, no repeats; `BankListIncomplete` otherwise).
    pub fn bank_register<'info>(
        ctx: Context<'info, BankRegister<'info>>,
        token_index: u16,
        config: BankConfig,
    ) -> Result<()> {
        instructions::bank_register(ctx, token_index, config)
    }

    /// Change a bank's config at once. **Admin only** (`NotAdmin`; the bank must be the
    /// group's).
    ///
    /// Checks everything `bank_register` checks for a config. On a live group only
    /// tightening applies (lower asset weights, higher liability weights, lower limits,
    /// reduce-only on, ...); any loosening field or a new oracle fails with
    /// `LooseningNeedsTimelock` (the log names the field): queue it with `bank_queue_edit`.
    /// A tightened maint weight ramps to its target over `maint_ramp_secs`. `oracle` is the
    /// bank's current oracle (kept without re-validating its price, so a bank can be
    /// tightened during an outage) or, during setup, a new one (validated). Interest is
    /// accrued under the old curve first.
    ///
    /// `remaining_accounts`: every **other** bank of the group (read-only, exactly
    /// `group.bank_count - 1`, any order, no repeats, not this bank).
    pub fn bank_edit<'info>(
        ctx: Context<'info, BankEdit<'info>>,
        config: BankConfig,
    ) -> Result<()> {
        instructions::bank_edit(ctx, config)
    }

    /// Queue a bank config change (and/or a new oracle) behind the timelock. **Admin only**;
    /// the admin pays the `PendingChange` rent (returned on apply or cancel).
    ///
    /// `change_id` must equal `group.change_count`; the change account is the PDA
    /// `["change", group, change_id (u64 LE)]`. The change must differ from the bank's
    /// current config and oracle (`ChangeEmpty`) and is checked now exactly as it will be
    /// when applied: config consistency, on a live group each loosening field within one
    /// step (`LooseningStepTooLarge`), a new oracle valid and canonical, every pair with the
    /// other banks liquidatable. `oracle` is the bank's oracle or the new one. Anyone may
    /// apply it with `bank_apply_edit` from now + `timelock_secs` (at once during setup),
    /// until `CHANGE_EXPIRY_SECS` after that.
    ///
    /// `remaining_accounts`: every **other** bank of the group, as for `bank_edit`.
    pub fn bank_queue_edit<'info>(
        ctx: Context<'info, BankQueueEdit<'info>>,
        change_id: u64,
        config: BankConfig,
    ) -> Result<()> {
        instructions::bank_queue_edit(ctx, change_id, config)
    }

    /// Apply a queued bank change. **Anyone** may call (the keeper does); the rent goes back
    /// to the change's payer (`payer` must be `change.payer`).
    ///
    /// Checks: the change is this group's and targets this bank, `oracle` is the change's
    /// oracle (`ChangeTargetMismatch`); it is due (`ChangeNotYetEffective`) and not expired
    /// (`ChangeExpired`); the bank's config and oracle are still those it was queued
    /// against (`ChangeStale`); and everything `bank_queue_edit` checked, again, now.
    /// Tightened maint weights ramp as in `bank_edit`.
    ///
    /// `remaining_accounts`: every **other** bank of the group, as for `bank_edit`.
    pub fn bank_apply_edit<'info>(ctx: Context<'info, BankApplyEdit<'info>>) -> Result<()> {
        instructions::bank_apply_edit(ctx)
    }

    /// Cancel a queued change. The **admin** may cancel any change; the **security admin**
    /// only bank changes (`NotCancelAuthority`). The rent goes back to the change's payer
    /// (`payer` must be `change.payer`).
    ///
    /// `remaining_accounts`: none.
    pub fn change_cancel(ctx: Context<ChangeCancel>) -> Result<()> {
        instructions::change_cancel(ctx)
    }

    /// Accrue a bank's interest to now. **Anyone** may call (a crank for idle banks; every
    /// instruction that uses a bank accrues it anyway). Checks only that `bank` is a `Bank`.
    ///
    /// `remaining_accounts` (optional): `[0]` = the bank's oracle. When it is the bank's
    /// oracle and its price is valid now, the price becomes the bank's last valid price and
    /// moves its stable price and breaker; an invalid price is ignored, never an error.
    pub fn bank_accrue_interest(ctx: Context<BankAccrueInterest>) -> Result<()> {
        instructions::bank_accrue_interest(ctx)
    }

    /// Move a bank's collected protocol fees (whole native units, at most what the vault
    /// holds) from its vault to its insurance vault. **Anyone** may call: the destination is
    /// fixed. Checks: vault, insurance vault, mint and token program are the bank's; the
    /// bank is the group's; not paused (`GroupPaused`).
    ///
    /// `remaining_accounts`: none.
    pub fn bank_sweep_fees(ctx: Context<BankSweepFees>) -> Result<()> {
        instructions::bank_sweep_fees(ctx)
    }

    /// Open a margin account. **Anyone**, for themselves: the signer (`owner`) owns it and
    /// pays rent. PDA `["account", group, owner, account_num (u32 LE)]`; several accounts
    /// per owner give isolated margin. Refused until the group is live (`GroupNotLive`).
    ///
    /// `remaining_accounts`: none.
    pub fn account_create(ctx: Context<AccountCreate>, account_num: u32) -> Result<()> {
        instructions::account_create(ctx, account_num)
    }

    /// Close an empty margin account; rent goes to the owner. **Owner only** (`NotOwner`;
    /// not the delegate). Fails while any position holds a balance, even dust
    /// (`AccountNotEmpty`), or the account is being liquidated (`AccountBeingLiquidated`).
    ///
    /// `remaining_accounts`: none.
    pub fn account_close(ctx: Context<AccountClose>) -> Result<()> {
        instructions::account_close(ctx)
    }

    /// Set the account's delegate, or clear it with the default pubkey. **Owner only**
    /// (`NotOwner`). A delegate may withdraw and borrow for the owner (to any destination)
    /// and open positions by depositing, but not close the account or re-delegate.
    ///
    /// `remaining_accounts`: none.
    pub fn account_set_delegate(ctx: Context<AccountSetDelegate>, delegate: Pubkey) -> Result<()> {
        instructions::account_set_delegate(ctx, delegate)
    }

    /// Deposit `amount` native units from `source` (owned by the signer `depositor`) into a
    /// margin account; it first repays the account's borrow in this bank, the rest is a
    /// deposit. **Anyone** may add to a position the account already holds (repaying is
    /// permissionless); only the **owner or delegate** may open a new position
    /// (`NewPositionNotOwner`).
    ///
    /// Needs no oracle and works while paused. Refused for a zero amount, a short or frozen
    /// wallet, no free slot (`NoFreePositionSlot`), and for the part that would be a new
    /// deposit: a reduce-only bank (`BankReduceOnly`), a bank with unrecoverable bad debt
    /// (`BankInsolvent`), the deposit limit. Checks: bank and account share a group; vault,
    /// mint and token program are the bank's. The amount counts as inflow under the net
    /// outflow limit.
    ///
    /// `remaining_accounts` (optional): the account's health accounts (see the program
    /// docs), laid out with this bank's position included (opened if new). Only read when
    /// the account is `being_liquidated` and still has debt after the deposit: if every
    /// oracle is valid and init health ≥ 0, the flag clears. Wrong health accounts fail the
    /// deposit; an invalid oracle only leaves the flag set.
    pub fn token_deposit<'info>(
        ctx: Context<'info, TokenDeposit<'info>>,
        amount: u64,
    ) -> Result<()> {
        instructions::token_deposit(ctx, amount)
    }

    /// Withdraw `amount` native units to `destination`; the part beyond the deposit is a
    /// borrow and needs `allow_borrow = true` (`BorrowNotAllowed`). **Owner or delegate**
    /// (`NotOwnerOrDelegate`).
    ///
    /// Checks: not paused (`GroupPaused`); amount > 0; vault liquidity net of uncollected
    /// fees (`InsufficientVaultLiquidity`); bank, account and group match; vault, mint and
    /// token program are the bank's; the destination holds the mint and is not frozen; for
    /// borrows reduce-only, utilisation ≤ 100 % and the borrow limit (a loan origination
    /// fee is added to the debt); the breaker (while tripped, no new borrow of this token
    /// and no withdrawal of it by an account with debt: `BreakerBorrowReduceOnly`); the net
    /// outflow limit (`NetOutflowLimit`, the log says when the window resets); health:
    /// every oracle must be valid now and init health uses the worse of oracle and stable
    /// price; if init health was ≥ 0 it must stay ≥ 0, otherwise neither init nor maint
    /// health may decrease (`HealthWouldBeNegative`).
    ///
    /// `remaining_accounts`: the account's health accounts (see the program docs), laid out
    /// with this bank's position included: if the account holds no position in this bank,
    /// the new one takes the first free slot. A position this withdrawal empties is still
    /// listed.
    pub fn token_withdraw<'info>(
        ctx: Context<'info, TokenWithdraw<'info>>,
        amount: u64,
        allow_borrow: bool,
    ) -> Result<()> {
        instructions::token_withdraw(ctx, amount, allow_borrow)
    }

    /// Liquidate an unhealthy account: the liquidator's margin account takes over up to
    /// `max_liab_transfer` native units of the liquidatee's borrow in `liab_bank` and
    /// receives its deposit in `asset_bank` at the discount of both banks' liquidation fees
    /// (the insurance share is booked to the asset bank's fees). No tokens move.
    /// **Anyone** with a margin account in the group (signer = its owner or delegate).
    ///
    /// Checks: not paused; liquidator ≠ liquidatee (`SelfLiquidation`); asset bank ≠
    /// liability bank (`SameBank`); the liquidatee holds both positions
    /// (`NoAssetToSeize`, `NoLiabilityToTake`); it is liquidatable: maint health < 0, or
    /// `being_liquidated` and init health < 0 (`NotLiquidatable`); both transferred banks'
    /// oracles are valid now (the liquidatee's other positions are valued pessimistically
    /// while their oracle is invalid: assets down, debts up, never blocking); its init
    /// health strictly improves (`LiquidationWouldNotImprove`); every oracle of the
    /// liquidator's positions is valid and its init health stays ≥ 0
    /// (`HealthWouldBeNegative`). Init health here uses the oracle price, not the stable
    /// price.
    ///
    /// `remaining_accounts`: the liquidatee's health accounts (its current positions), then
    /// immediately the liquidator's health accounts laid out after opening slots for the
    /// asset token, then the liability token (each, if the liquidator holds no position in
    /// it, takes the first free slot).
    pub fn token_liquidate<'info>(
        ctx: Context<'info, TokenLiquidate<'info>>,
        max_liab_transfer: u64,
    ) -> Result<()> {
        instructions::token_liquidate(ctx, max_liab_transfer)
    }

    /// Write off a bankrupt account's borrow in `bank`. **Anyone** may call. Bankrupt: the
    /// account borrows in this bank and no position holds a deposit worth one native unit
    /// (`NotBankrupt` otherwise). The debt is covered by the bank's uncollected fees, then
    /// its insurance vault, then socialised by lowering `deposit_index` (never below a
    /// floor; the rest is recorded in `unrecoverable_bad_debt`). Not while paused.
    ///
    /// `remaining_accounts`: the `Bank` of every active position of the account, in slot
    /// order, **without** oracles (`HealthAccountsCount` / `HealthBankMismatch`
    /// otherwise).
    pub fn token_resolve_bankruptcy<'info>(
        ctx: Context<'info, TokenResolveBankruptcy<'info>>,
    ) -> Result<()> {
        instructions::token_resolve_bankruptcy(ctx)
    }

    /// Add `amount` native units from `source` (owned by the signer) to a bank's insurance
    /// fund. **Anyone**, always (even while paused). Checks: insurance vault, mint and token
    /// program are the bank's; the source holds the mint and at least `amount`.
    ///
    /// `remaining_accounts`: none.
    pub fn insurance_deposit(ctx: Context<InsuranceDeposit>, amount: u64) -> Result<()> {
        instructions::insurance_deposit(ctx, amount)
    }

    /// List a perpetual future with its liquidity pool. **Admin only**; the admin pays
    /// rent. Checks the config (`InvalidPerpConfig`), a free index (`PerpIndexInUse`), the
    /// settle bank (this group's, 6-decimal mint: `SettleBankMismatch`), the oracle as
    /// `bank_register` does; on a live group unsettled profit must start unweighted
    /// (`NewPerpPnlWeightNotZero`). Creates the market `["perp", group, perp_index]`, its
    /// pool vault `["pool_vault", market]` and LP mint `["lp_mint", market]`.
    ///
    /// `remaining_accounts`: none.
    pub fn perp_market_register<'info>(
        ctx: Context<'info, PerpMarketRegister<'info>>,
        perp_index: u16,
        name: [u8; 16],
        base_decimals: u8,
        config: PerpConfig,
    ) -> Result<()> {
        instructions::perp_market_register(ctx, perp_index, name, base_decimals, config)
    }

    /// Deposit settle tokens into a perp market's pool for LP shares. **Anyone.** Shares are
    /// priced at the pool's value (vault − traders' unsettled PnL), the first deposit 1:1.
    /// Needs a valid oracle; refused while paused.
    ///
    /// `remaining_accounts`: none.
    pub fn pool_deposit(ctx: Context<PoolDeposit>, amount: u64) -> Result<()> {
        instructions::pool_deposit(ctx, amount)
    }

    /// Redeem LP shares for settle tokens at the pool's value. **The shares' owner.** The
    /// vault must keep its reserve against the net open interest (`PoolReserveBreached`)
    /// and traders' unsettled profit within the ADL threshold of it
    /// (`PoolWithdrawWouldTriggerAdl`).
    ///
    /// `remaining_accounts`: none.
    pub fn pool_withdraw(ctx: Context<PoolWithdraw>, shares: u64) -> Result<()> {
        instructions::pool_withdraw(ctx, shares)
    }

    /// Trade a perp against the pool: `base_delta` base native units (positive buys),
    /// `limit_price` quote native units per whole base unit. **Owner or delegate.** Checks
    /// limit price, reduce-only, breaker, open-interest cap, pool reserve and health (init
    /// ≥ 0, or a reducing trade that lowers neither init nor maint; a reducing trade needs
    /// only this market's oracle valid).
    ///
    /// `remaining_accounts`: the account's health accounts with this market's perp position
    /// included (a new one takes the first free perp slot).
    pub fn perp_trade<'info>(
        ctx: Context<'info, PerpTrade<'info>>,
        base_delta: i64,
        limit_price: u64,
    ) -> Result<()> {
        instructions::perp_trade(ctx, base_delta, limit_price)
    }

    /// Accrue a perp market's funding to now. **Anyone** (a crank). Needs a valid oracle.
    ///
    /// `remaining_accounts`: none.
    pub fn perp_update_funding(ctx: Context<PerpUpdateFunding>) -> Result<()> {
        instructions::perp_update_funding(ctx)
    }

    /// Settle a perp position's PnL into the account's settle-token position: profit from
    /// the pool (at the worse of oracle and stable price, within the window's settle limit),
    /// loss to the pool. **Owner or delegate** (health checked as `perp_trade`), or
    /// **anyone** settling the PnL of a liquidatable account (judged as `perp_liquidate`
    /// judges): a loss becomes a settle-token borrow liquidation can reach, a profit a
    /// deposit init health counts.
    ///
    /// `remaining_accounts`: the account's health accounts with the settle token's position
    /// included (a new one takes the first free slot).
    pub fn perp_settle_pnl<'info>(ctx: Context<'info, PerpSettlePnl<'info>>) -> Result<()> {
        instructions::perp_settle_pnl(ctx)
    }

    /// Auto-deleverage a profitable perp position while traders' net unsettled PnL exceeds
    /// the market's `adl_threshold_bps` of the pool vault: close up to `max_base` at the
    /// price worse for the holder (worse of oracle and stable, widened by the confidence)
    /// and pay the realised profit from the pool into its settle-token deposit, sized to
    /// bring the pool back to the threshold. **Permissionless**; the keeper picks the most
    /// profitable positions first. The account's maint health must end ≥ 0 or not fall.
    ///
    /// `remaining_accounts`: the account's health accounts with the settle token's position
    /// included (a new one takes the first free slot).
    pub fn perp_auto_deleverage<'info>(
        ctx: Context<'info, PerpAutoDeleverage<'info>>,
        max_base: u64,
    ) -> Result<()> {
        instructions::perp_auto_deleverage(ctx, max_base)
    }

    /// Liquidate an unhealthy account's perp position against the pool at oracle ∓ the
    /// liquidation fee, up to `max_base`, stopping at init health ≥ 0; the fee (less the
    /// pool's share) is credited to the liquidator's position in the market. **Anyone**
    /// with a margin account in the group. Init health must strictly improve.
    ///
    /// `remaining_accounts`: the liquidatee's health accounts.
    pub fn perp_liquidate<'info>(
        ctx: Context<'info, PerpLiquidate<'info>>,
        max_base: u64,
    ) -> Result<()> {
        instructions::perp_liquidate(ctx, max_base)
    }

    /// Take over an unhealthy account's flat perp loss (base 0, quote < 0) in a market:
    /// up to `max_loss` settle-token native units move from its quote to the liquidator's
    /// (which owes the pool instead), paid for with its deposit in `asset_bank` at the
    /// token-liquidation discount. **Anyone** with a margin account; no tokens move, so an
    /// empty settle vault cannot block it. Strict init and maint improvement, stops at init
    /// ≥ 0, liquidator init ≥ 0 after.
    ///
    /// `remaining_accounts`: the liquidatee's health accounts, then the liquidator's laid
    /// out after it opens a token slot for the asset bank and a perp slot for the market.
    pub fn perp_liquidate_loss<'info>(
        ctx: Context<'info, PerpLiquidateLoss<'info>>,
        max_loss: u64,
    ) -> Result<()> {
        instructions::perp_liquidate_loss(ctx, max_loss)
    }

    /// Unwind a hedged pair of an unhealthy account: up to `max_base` of a perp and the
    /// same units of the spot balance it hedges, the perp leg against the pool at oracle ∓
    /// the pair fee, the spot leg to the liquidator at the oracle mid: spot the liquidatee
    /// sells is paid for by the liquidator in settle tokens into the pool vault (a borrow
    /// past its deposit obeys the settle bank's borrow rules; what the settle vault cannot
    /// release it owes in its perp quote) and credited to the
    /// liquidatee's perp quote; a borrow the liquidator repays is paid for
    /// from the liquidatee's perp quote to the liquidator's. **Anyone** with a margin
    /// account in the group. The liquidatee's maint health must strictly improve; the
    /// liquidator's init health must end ≥ 0.
    ///
    /// `remaining_accounts`: the liquidatee's health accounts, then the liquidator's laid
    /// out after it opens token slots for the spot bank, then the settle bank, and a perp
    /// slot for the market.
    pub fn perp_liquidate_pair<'info>(
        ctx: Context<'info, PerpLiquidatePair<'info>>,
        max_base: u64,
    ) -> Result<()> {
        instructions::perp_liquidate_pair(ctx, max_base)
    }

    /// Change a perp market's parameters. **Admin only.** On a live group only tightening
    /// changes apply (`guard::perp_rules`): a loosening field, or any maint-side weight
    /// change, fails with `LooseningNeedsTimelock`; the oracle format cannot change.
    ///
    /// `remaining_accounts`: none.
    pub fn perp_market_edit<'info>(
        ctx: Context<'info, PerpMarketEdit<'info>>,
        config: PerpConfig,
    ) -> Result<()> {
        instructions::perp_market_edit(ctx, config)
    }

    /// Write off a bankrupt account's flat perp loss: the settle bank's insurance vault
    /// pays what it can into the pool vault, the pool's LPs absorb the rest.
    /// **Permissionless**; the account must hold no deposit, no perp base and no perp
    /// profit of a native unit.
    ///
    /// `remaining_accounts`: the bank of every active token position, in slot order.
    pub fn perp_resolve_bankruptcy<'info>(
        ctx: Context<'info, PerpResolveBankruptcy<'info>>,
    ) -> Result<()> {
        instructions::perp_resolve_bankruptcy(ctx)
    }
}
