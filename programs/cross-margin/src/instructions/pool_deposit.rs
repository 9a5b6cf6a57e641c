use crate::error::CrossMarginError;
use crate::events::PoolDeposited;
use crate::health::perp_trade::shares_for_deposit;
use crate::state::{Group, PerpMarket};
use crate::token_cpi::transfer_in;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, MintTo, TokenAccount, TokenInterface};

/// Deposit `amount` settle-token native units into a perp market's pool for LP shares.
/// **Anyone.**
///
/// Shares are priced at the pool's value (vault − traders' unsettled PnL, funding accrued
/// to now) with traders' PnL at the end of the oracle's confidence interval that makes the
/// pool dearest; the first deposit into an empty pool mints 1:1. Refused for a zero amount,
/// a pool without positive value while shares exist (`PoolAmountInvalid`), an invalid
/// oracle (its own error), and while the group is paused. Checks: market is the group's;
/// pool vault, LP mint, settle mint and token program are the market's; the source holds
/// the settle mint; the LP destination holds the LP mint.
///
/// `remaining_accounts`: none.
#[derive(Accounts)]
pub struct PoolDeposit<'info> {
    pub depositor: Signer<'info>,
    pub group: AccountLoader<'info, Group>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        has_one = pool_vault @ CrossMarginError::VaultMismatch,
        has_one = lp_mint @ CrossMarginError::MintMismatch,
        has_one = oracle @ CrossMarginError::OracleMismatch,
    )]
    pub perp_market: AccountLoader<'info, PerpMarket>,
    #[account(mut, token::mint = settle_mint, token::token_program = token_program)]
    pub pool_vault: InterfaceAccount<'info, TokenAccount>,
    #[account(mut, mint::token_program = token_program)]
    pub lp_mint: InterfaceAccount<'info, Mint>,
    pub settle_mint: InterfaceAccount<'info, Mint>,
    #[account(mut, constraint = source.mint == settle_mint.key() @ CrossMarginError::MintMismatch)]
    pub source: InterfaceAccount<'info, TokenAccount>,
    #[account(mut, constraint = lp_destination.mint == lp_mint.key() @ CrossMarginError::MintMismatch)]
    pub lp_destination: InterfaceAccount<'info, TokenAccount>,
    /// CHECK: the market's oracle (`has_one`); owner and format checked when read.
    pub oracle: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn pool_deposit(ctx: Context<PoolDeposit>, amount: u64) -> Result<()> {
    require!(amount > 0, CrossMarginError::AmountZero);
    let now = Clock::get()?.unix_timestamp;
    let group_signer = ctx.accounts.group.load()?.unpaused_signer(now)?;
    let a = &ctx.accounts;
    let (shares, value) = {
        let mut market = a.perp_market.load_mut()?;
        let price = market.refresh(&a.oracle, now)?;
        let value = market.pool_value(a.pool_vault.amount, &price, true)?;
        let shares = shares_for_deposit(amount, value, market.lp_supply)
            .filter(|s| *s > 0)
            .ok_or(CrossMarginError::PoolAmountInvalid)?;
        market.lp_supply = market
            .lp_supply
            .checked_add(shares)
            .ok_or(CrossMarginError::MathOverflow)?;
        (shares, value)
    };
    transfer_in(
        &a.token_program,
        &a.source,
        &a.pool_vault,
        &a.settle_mint,
        &a.depositor,
        amount,
    )?;
    let accounts = MintTo {
        mint: a.lp_mint.to_account_info(),
        to: a.lp_destination.to_account_info(),
        authority: a.group.to_account_info(),
    };
    let seeds = group_signer.seeds();
    let signer = [&seeds[..]];
    token_interface::mint_to(
        CpiContext::new_with_signer(a.token_program.key(), accounts, &signer),
        shares,
    )?;
    emit!(PoolDeposited {
        perp_market: a.perp_market.key(),
        depositor: a.depositor.key(),
        amount,
        shares,
        pool_value: value.to_bits(),
    });
    Ok(())
}
