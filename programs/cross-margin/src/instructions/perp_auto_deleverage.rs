use crate::error::CrossMarginError;
use crate::events::PerpAutoDeleveraged;
use crate::health::auto_deleverage::{close_units, excess, payout};
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
/// position at the price worse for its holder (worse of oracle and stable, widened by the
/// confidence) and pay the realised share of its profit from the pool vault into its
/// settle-token deposit, sized to bring the pool back to the threshold (or the whole
/// position). The pool-side counterpart of liquidation: the pool can always pay what it
/// owes. No fee. **Permissionless** (no signer but the fee payer); which position goes
/// first is the keeper's ranking (most profitable first, `health::auto_deleverage`).
///
/// Checks: not paused; market, settle bank and account share the group; pool vault,
/// oracle and settle bank are the market's; vault, mint and token program are the settle
/// bank's; the market's oracle is valid. The trigger is measured at the price least
/// favourable to the traders, so a pumped oracle cannot start ADL (`AdlNotNeeded`); the
/// position must hold a whole unit of profit at its close price (`PositionNotProfitable`,
/// `NoPerpPosition`). The account's other positions are valued at their outage prices
/// when their oracles are dead, so no feed elsewhere can shield a position. The
/// account's maint health must end ≥ 0 or not fall (`AdlWouldEndangerAccount`: closing a
/// hedged perp re-exposes the spot it hedged); an unhedged position only gains health.
/// The payout counts toward the window's settle limit but is not refused by it, and is
/// at most what the vault holds.
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
    let (low, high) = market.protected_prices(&oracle)?;
    let owed = market.adl_owed(&oracle)?;
    let vault = ctx.accounts.pool_vault.amount;
    let needed =
        excess(owed, vault, market.adl_threshold_bps).ok_or(CrossMarginError::AdlNotNeeded)?;

    let ovf = || error!(CrossMarginError::MathOverflow);
    let position = &mut account.perp_positions[perp_slot];
    market.remove_position(position)?;
    market.settle_funding(position)?;
    let base = position.base;
    // The holder's close price: the end worse for it.
    let price = if base > 0 { low } else { high };
    let quote = position.quote.get();
    let pnl = market
        .adl_pnl(position, &oracle)?
        .ok_or(CrossMarginError::NoPerpPosition)?;
    let units = close_units(base.unsigned_abs(), pnl, needed, max_base)
        .filter(|u| *u > 0)
        .ok_or(CrossMarginError::PositionNotProfitable)?;
    let paid = payout(base.unsigned_abs(), pnl, units)
        .ok_or_else(ovf)?
        .min(vault);
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
    if after.maint < I80F48::ZERO && after.maint < before.maint {
        msg!("maint health before {} after {}", before.maint, after.maint);
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
