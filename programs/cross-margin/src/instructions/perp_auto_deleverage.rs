use crate::error::CrossMarginError;
use crate::events::PerpAutoDeleveraged;
use crate::health::auto_deleverage::{close_units, excess, payout, ranks_first};
use crate::health::perp_trade::trade_quote_delta;
use crate::health::retriever::{health_cache_from_accounts, Prices};
use crate::health::InitPrices;
use crate::math::{rounding, I80F48};
use crate::state::{Bank, Flow, Group, MarginAccount, PerpMarket};
use crate::token_cpi::transfer_out;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Auto-deleverage a profitable position: when traders' net unsettled PnL in the market
/// exceeds `adl_threshold_bps` of the pool vault, close up to `max_base` of `account`'s
/// position at the oracle price worsened by the confidence, and pay the realised share of
/// its profit, valued at the protected price (worse of oracle and stable, widened by the
/// confidence), from the pool vault into its settle-token deposit, sized to bring the
/// pool back to the threshold (or the whole position). The pool-side counterpart of
/// liquidation: the pool can always pay what it owes. No fee. **Permissionless** (no
/// signer but the fee payer); which position goes first is the keeper's ranking (most
/// profitable per unit of size first, `health::auto_deleverage`), and the program refuses
/// a position whose profit per unit is below its side's average (`AdlBelowAverageProfit`),
/// so a caller cannot single out a below-average winner.
///
/// Checks: not paused; market, settle bank and account share the group; pool vault,
/// oracle and settle bank are the market's; vault, mint and token program are the settle
/// bank's; the market's oracle is valid and its breaker not tripped
/// (`AdlBreakerTripped`: no one is deleveraged at a price the stable price has not
/// confirmed). The trigger is measured at the price least favourable to the traders, so
/// a pumped oracle cannot start ADL (`AdlNotNeeded`); the position must hold a whole unit
/// of profit at the protected price (`PositionNotProfitable`, `NoPerpPosition`). An
/// insolvent pool (worth ≤ 0) pays no one first: the position closes and its profit waits
/// in its quote. The account's other positions are valued at their outage prices when
/// their oracles are dead, so no feed elsewhere can shield a position. Its maint and init
/// health must each end ≥ 0 or not fall (`AdlWouldEndangerAccount`: closing a hedged perp
/// re-exposes the spot it hedged); an unhedged position only gains health. The payout
/// counts toward the window's settle limit but is not refused by it, and is at most what
/// the vault holds.
///
/// `remaining_accounts`: the account's health accounts laid out with the settle token's
/// position included (a new one takes the first free slot).
#[derive(Accounts)]
pub struct PerpAutoDeleverage<'info> {
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

pub fn perp_auto_deleverage<'info>(
    ctx: Context<'info, PerpAutoDeleverage<'info>>,
    max_base: u64,
) -> Result<()> {
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
        .filter(|s| account.perp_positions[*s].base != 0)
        .ok_or(CrossMarginError::NoPerpPosition)?;
    account.record_settle_token(market_index, settle_index);
    let token_slot = account.find_or_create_position(settle_index)?;
    let mut cache = health_cache_from_accounts(
        account,
        ctx.remaining_accounts,
        ctx.program_id,
        now,
        Prices::LivePerp(market_index),
        InitPrices::Oracle,
    )?;
    let before = cache.health()?;
    let oracle = cache
        .perp(market_index)
        .ok_or(CrossMarginError::HealthPerpMismatch)?
        .risk
        .oracle;

    let mut market = ctx.accounts.perp_market.load_mut()?;
    // While the oracle is far from the stable price (a fast move, or a manipulation) no
    // one is deleveraged: the stable price catches up within the hour.
    require!(
        !market.breaker_tripped(),
        CrossMarginError::AdlBreakerTripped
    );
    let owed = market.adl_owed(&oracle)?;
    let vault = ctx.accounts.pool_vault.amount;
    let needed =
        excess(owed, vault, market.adl_threshold_bps).ok_or(CrossMarginError::AdlNotNeeded)?;
    // An insolvent pool (worth ≤ 0) pays no one first: positions close, profits wait.
    let solvent = market.pool_value(vault, &oracle, false)? > I80F48::ZERO;

    let ovf = || error!(CrossMarginError::MathOverflow);
    let position = &mut account.perp_positions[perp_slot];
    // The profit it would realise, at the protected price worse for its holder (a pump is
    // not cashed); it must be at least its side's average per unit (measured at the same
    // price, before it leaves the aggregates), so no one is singled out below the top.
    let pnl = market
        .adl_pnl(position, &oracle)?
        .ok_or(CrossMarginError::NoPerpPosition)?;
    let (low, high) = market.protected_prices(&oracle)?;
    let long = position.base > 0;
    let (side_pnl, side_units) = market.side_pnl(long, if long { low } else { high })?;
    let first =
        ranks_first(pnl, position.base.unsigned_abs(), side_pnl, side_units).ok_or_else(ovf)?;
    if !first {
        msg!(
            "profit {} over {} units; the side holds {} over {}",
            pnl,
            position.base.unsigned_abs(),
            side_pnl,
            side_units
        );
        return err!(CrossMarginError::AdlBelowAverageProfit);
    }
    market.remove_position(position)?;
    market.settle_funding(position)?;
    let base = position.base;
    // The holder closes at the oracle, worsened by the confidence only (not at the lagging
    // stable price, which would hand the holder's gain to the LPs in a fast move) ...
    let (mid, conf) = market.mid_and_conf(&oracle)?;
    let price = if base > 0 {
        mid.saturating_sub(conf).max(I80F48::ZERO)
    } else {
        mid.checked_add(conf).ok_or_else(ovf)?
    };
    let quote = position.quote.get();
    // ... and is paid the realised share of its profit at the protected price; the rest of
    // the realised profit stays in its quote, for perp_settle_pnl.
    let units = close_units(base.unsigned_abs(), pnl, needed, max_base)
        .filter(|u| *u > 0)
        .ok_or(CrossMarginError::PositionNotProfitable)?;
    let paid = if solvent {
        payout(base.unsigned_abs(), pnl, units)
            .ok_or_else(ovf)?
            .min(vault)
    } else {
        0
    };
    let delta = if base > 0 {
        -i64::try_from(units).map_err(|_| ovf())?
    } else {
        i64::try_from(units).map_err(|_| ovf())?
    };
    let quote = quote
        .checked_add(trade_quote_delta(delta, price).ok_or_else(ovf)?)
        .and_then(|q| q.checked_sub(rounding::from_native(paid)))
        .ok_or_else(ovf)?;
    position.base = base.checked_add(delta).ok_or_else(ovf)?;
    position.quote.set(quote);
    market.add_position(position)?;
    market.settled_in_window = market.settled_in_window.saturating_add(paid);
    let new_base = position.base;

    let mut bank = ctx.accounts.settle_bank.load_mut()?;
    let indexed = account.token_positions[token_slot].indexed.get();
    let new_indexed = if paid > 0 {
        let outcome = bank.deposit(indexed, paid, Flow::Liquidation)?;
        bank.record_inflow(paid, now)?;
        outcome.indexed
    } else {
        indexed
    };
    account.token_positions[token_slot].indexed.set(new_indexed);
    cache.set_perp(market_index, I80F48::from_num(new_base), quote)?;
    cache.set_balance(settle_index, new_indexed)?;
    let after = cache.health()?;
    let safe = |a: I80F48, b: I80F48| a >= I80F48::ZERO || a >= b;
    if !safe(after.maint, before.maint) || !safe(after.init, before.init) {
        msg!("health before {:?} after {:?}", before, after);
        return err!(CrossMarginError::AdlWouldEndangerAccount);
    }
    account.release_perp_if_empty(perp_slot);
    account.release_if_empty(token_slot);
    drop(guard);
    drop(bank);
    drop(market);

    if paid > 0 {
        let a = &ctx.accounts;
        transfer_out(
            &a.token_program,
            &a.pool_vault,
            &a.vault,
            &a.mint,
            a.group.to_account_info(),
            &group_signer.seeds(),
            paid,
        )?;
    }
    emit!(PerpAutoDeleveraged {
        account: ctx.accounts.account.key(),
        perp_market: ctx.accounts.perp_market.key(),
        base_delta: delta,
        price: price.to_bits(),
        paid,
        excess: needed,
        owed_before: owed.to_bits(),
        pool_vault_before: vault,
    });
    Ok(())
}
