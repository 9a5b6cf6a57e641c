use crate::error::CrossMarginError;
use crate::events::PerpPnlSettled;
use crate::health::perp_trade::{settle_allowance, signed_value};
use crate::health::retriever::{health_cache_from_accounts, Prices};
use crate::health::{HealthCache, InitPrices};
use crate::math::{rounding, Round, I80F48};
use crate::state::{Bank, Flow, Group, MarginAccount, PerpMarket};
use crate::token_cpi::transfer_out;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Settle a perp position's PnL (realised and unrealised, funding included) into the
/// account's settle-token position. **Owner or delegate**; or **anyone** settling the PnL
/// of a liquidatable account (maint < 0, or `being_liquidated` and init < 0): a perp loss
/// (a flat position's included) becomes a settle-token borrow that `token_liquidate` and
/// bankruptcy can reach, and a profit (e.g. the realised profit a pair liquidation leaves)
/// becomes a deposit init health counts fully (`NotOwnerOrDelegate` otherwise). Settling
/// never changes the account's value at the oracle, only its form.
///
/// A stranger settles a loss only as far as the account's tokens cover it (the settle
/// token at face value, others at their maint weight, at least one native unit so a dust
/// deposit becomes reachable by `token_liquidate`); what is left is written off by
/// `perp_resolve_bankruptcy` (insurance, then the pool's LPs), so a perp loss does not
/// become the settle bank's depositors' bad debt whatever deposit a stranger adds. The
/// covered part becomes a settle-token borrow token liquidation can seize collateral for.
///
/// A profit is paid by the pool vault into the settle bank's vault and credited as a
/// deposit, valued at the worse for the trader of oracle and stable price, widened by the
/// confidence (a pumped oracle cannot be cashed), and at most the settle allowance of this
/// window (`settle_limit_bps` of the pool's value per `settle_window_secs`) and what the
/// vault holds: the rest stays unsettled. A loss (at the oracle) is taken from the
/// settle-token position (borrowing the remainder) and paid into the pool vault; it needs
/// the settle bank's vault liquidity (`InsufficientVaultLiquidity`). A flat position's
/// sub-unit profit (nothing a vault can pay) is zeroed in the pool's favour and its slot
/// freed, with no transfer and no health rule. Nothing to move: `NothingToSettle`. Bank limits, reduce-only and fees do not apply: PnL moves between
/// the protocol's own vaults.
///
/// Checks: not paused; market, settle bank and account share the group; pool vault,
/// oracle and settle bank are the market's; vault, mint and token program are the settle
/// bank's. Health: for the owner, every oracle valid, init at the worse of oracle and
/// stable price; init must end ≥ 0 or neither init nor maint may fall
/// (`HealthWouldBeNegative`). A stranger's settlement of a liquidatable account is judged
/// as `perp_liquidate` judges (this market's oracle valid, other positions at their
/// outage prices, init at the oracle) and has no health condition: the PnL only changes
/// form.
///
/// `remaining_accounts`: the account's health accounts laid out with the settle token's
/// position included (a new one takes the first free slot).
#[derive(Accounts)]
pub struct PerpSettlePnl<'info> {
    pub signer: Signer<'info>,
    pub group: AccountLoader<'info, Group>,
    #[account(mut, has_one = group @ CrossMarginError::GroupMismatch)]
    pub account: AccountLoader<'info, MarginAccount>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        has_one = pool_vault @ CrossMarginError::VaultMismatch,
        has_one = oracle @ CrossMarginError::OracleMismatch,
        has_one = settle_bank @ CrossMarginError::SettleBankMismatch,
    )]
    pub perp_market: AccountLoader<'info, PerpMarket>,
    #[account(
        mut,
        has_one = vault @ CrossMarginError::VaultMismatch,
        has_one = mint @ CrossMarginError::MintMismatch,
        has_one = token_program @ CrossMarginError::TokenProgramMismatch,
    )]
    pub settle_bank: AccountLoader<'info, Bank>,
    #[account(mut)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    #[account(mut)]
    pub pool_vault: InterfaceAccount<'info, TokenAccount>,
    pub mint: InterfaceAccount<'info, Mint>,
    /// CHECK: the market's oracle (`has_one`); owner and format checked when read.
    pub oracle: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// How much of a perp loss a stranger may settle into the account's settle-token balance:
/// what its tokens cover, the settle token at face value and every other token at its maint
/// weight (a deposit counts less than its price, a borrow more), and at least one native
/// unit, so a dust deposit of another token can always be reached by `token_liquidate` and
/// cannot shield the loss from `perp_resolve_bankruptcy`.
fn loss_coverage(cache: &HealthCache, settle_index: u16) -> Result<u64> {
    let mut total = I80F48::ZERO;
    for t in cache.tokens() {
        let value = if t.risk.token_index == settle_index {
            t.balance
        } else {
            t.weighted()?.1
        };
        total = total
            .checked_add(value)
            .ok_or(CrossMarginError::MathOverflow)?;
    }
    let covered = rounding::to_native(total.max(I80F48::ZERO), Round::Down)
        .ok_or(CrossMarginError::MathOverflow)?;
    Ok(covered.max(1))
}

pub fn perp_settle_pnl<'info>(ctx: Context<'info, PerpSettlePnl<'info>>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let group_signer = ctx.accounts.group.load()?.unpaused_signer(now)?;
    let (market_index, settle_index) = {
        let mut market = ctx.accounts.perp_market.load_mut()?;
        market.refresh(&ctx.accounts.oracle, now)?;
        market.roll_settle_window(now);
        let mut bank = ctx.accounts.settle_bank.load_mut()?;
        bank.accrue_interest(now)?;
        (market.perp_index, bank.token_index)
    };
    let mut guard = ctx.accounts.account.load_mut()?;
    let account: &mut MarginAccount = &mut guard;
    let perp_slot = account
        .perp_slot(market_index)
        .ok_or(CrossMarginError::NoPerpPosition)?;
    account.record_settle_token(market_index, settle_index);
    let token_slot = account.find_or_create_position(settle_index)?;
    let by_owner = account.is_owner_or_delegate(ctx.accounts.signer.key);
    // A stranger judges liquidatability as `perp_liquidate` does: only this market's
    // oracle must be valid, so a dead feed elsewhere cannot shield the loss.
    let (prices, init) = if by_owner {
        (Prices::AllLive, InitPrices::WorseOfOracleAndStable)
    } else {
        (Prices::LivePerp(market_index), InitPrices::Oracle)
    };
    let mut cache = health_cache_from_accounts(
        account,
        ctx.remaining_accounts,
        ctx.program_id,
        now,
        prices,
        init,
    )?;
    let before = cache.health()?;
    require!(
        by_owner || account.is_liquidatable(&before),
        CrossMarginError::NotOwnerOrDelegate
    );

    let mut market = ctx.accounts.perp_market.load_mut()?;
    let oracle = cache
        .perp(market_index)
        .ok_or(CrossMarginError::HealthPerpMismatch)?
        .risk
        .oracle;
    let position = &mut account.perp_positions[perp_slot];
    market.remove_position(position)?;
    market.settle_funding(position)?;
    let (mid, _) = market.mid_and_conf(&oracle)?;
    let quote = position.quote.get();
    if position.base == 0 && quote > I80F48::ZERO && quote < I80F48::ONE {
        // A flat sub-unit profit (audit L3) can be neither paid (no whole unit) nor written
        // off (not a loss), and would block `account_close`: it goes to the pool and the
        // slot frees. Worth less than one native unit, so no health rule applies.
        position.quote.set(I80F48::ZERO);
        market.add_position(position)?;
        account.release_perp_if_empty(perp_slot);
        account.release_if_empty(token_slot);
        emit!(PerpPnlSettled {
            account: ctx.accounts.account.key(),
            perp_market: ctx.accounts.perp_market.key(),
            amount: 0,
            quote_after: 0,
        });
        return Ok(());
    }
    let base = I80F48::from_num(position.base);
    let ovf = || error!(CrossMarginError::MathOverflow);
    // The price the trader's profit is counted at: the worse end for it.
    let (low, high) = market.protected_prices(&oracle)?;
    let worst = if position.base > 0 { low } else { high };
    let pnl_worst = quote
        .checked_add(signed_value(position.base, worst, Round::Down).ok_or_else(ovf)?)
        .ok_or_else(ovf)?;
    let pnl_mid = quote
        .checked_add(signed_value(position.base, mid, Round::Down).ok_or_else(ovf)?)
        .ok_or_else(ovf)?;
    let pool_vault = ctx.accounts.pool_vault.amount;

    let mut bank = ctx.accounts.settle_bank.load_mut()?;
    let indexed = account.token_positions[token_slot].indexed.get();
    let (amount, new_indexed, profit) = if pnl_worst >= I80F48::ONE {
        let value = market.pool_value(pool_vault, &oracle, false)?;
        let allowance = settle_allowance(value, market.settle_limit_bps, market.settled_in_window)
            .ok_or_else(ovf)?;
        let owed = rounding::to_native(pnl_worst, Round::Down).ok_or_else(ovf)?;
        let amount = owed.min(allowance).min(pool_vault);
        require!(amount > 0, CrossMarginError::NothingToSettle);
        market.settled_in_window = market.settled_in_window.saturating_add(amount);
        let outcome = bank.deposit(indexed, amount, Flow::Liquidation)?;
        bank.record_inflow(amount, now)?;
        (amount, outcome.indexed, true)
    } else if pnl_mid < I80F48::ZERO {
        let loss = rounding::to_native(-pnl_mid, Round::Up).ok_or_else(ovf)?;
        // A stranger settles at most what the account's tokens cover: the rest stays with
        // the perp for `perp_resolve_bankruptcy` (insurance, then the pool's LPs) instead
        // of becoming a borrow that bad debt would socialise among the settle bank's
        // depositors.
        let amount = if by_owner {
            loss
        } else {
            loss.min(loss_coverage(&cache, settle_index)?)
        };
        require!(amount > 0, CrossMarginError::NothingToSettle);
        let outcome = bank.withdraw(indexed, amount, true, Flow::Liquidation)?;
        require!(
            ctx.accounts
                .vault
                .amount
                .saturating_sub(bank.reserved_fees()?)
                >= amount,
            CrossMarginError::InsufficientVaultLiquidity
        );
        (amount, outcome.indexed, false)
    } else {
        return err!(CrossMarginError::NothingToSettle);
    };
    let native = rounding::from_native(amount);
    let quote = if profit {
        quote.checked_sub(native)
    } else {
        quote.checked_add(native)
    }
    .ok_or_else(ovf)?;
    // A flat position left with less than one native unit (the loss was rounded up) is
    // dust no one could settle: it goes to the pool, and the slot frees.
    let quote = if position.base == 0 && quote.abs() < I80F48::ONE {
        I80F48::ZERO
    } else {
        quote
    };
    position.quote.set(quote);
    market.add_position(position)?;
    account.token_positions[token_slot].indexed.set(new_indexed);
    cache.set_perp(market_index, base, quote)?;
    cache.set_balance(settle_index, new_indexed)?;
    let after = cache.health()?;
    let allowed = !by_owner
        || after.init >= I80F48::ZERO
        || (after.init >= before.init && after.maint >= before.maint);
    if !allowed {
        msg!("health before {:?} after {:?}", before, after);
        return err!(CrossMarginError::HealthWouldBeNegative);
    }
    account.release_perp_if_empty(perp_slot);
    account.release_if_empty(token_slot);
    drop(guard);
    drop(bank);
    drop(market);

    let a = &ctx.accounts;
    let seeds = group_signer.seeds();
    let (from, to) = if profit {
        (&a.pool_vault, &a.vault)
    } else {
        (&a.vault, &a.pool_vault)
    };
    transfer_out(
        &a.token_program,
        from,
        to,
        &a.mint,
        a.group.to_account_info(),
        &seeds,
        amount,
    )?;
    emit!(PerpPnlSettled {
        account: a.account.key(),
        perp_market: a.perp_market.key(),
        amount: {
            let a = i64::try_from(amount).map_err(|_| CrossMarginError::MathOverflow)?;
            if profit {
                a
            } else {
                -a
            }
        },
        quote_after: quote.to_bits(),
    });
    Ok(())
}
