use crate::error::CrossMarginError;
use crate::events::TokenDeposited;
use crate::state::{Bank, Flow, MarginAccount};
use crate::token_cpi::transfer_in;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Deposit tokens into a margin account. **Anyone** may deposit into any account (the
/// signer owns the source tokens). A deposit first repays the account's borrow in that
/// bank, and the rest is credited as a deposit.
///
/// Never needs an oracle and never checks health: adding collateral or repaying debt only
/// makes an account safer, so it works with a stale oracle and while the group is paused.
/// Refused only for a zero amount, a short wallet, a reduce-only bank (for the part that
/// would be a new deposit), the deposit limit, or a full set of position slots.
/// Checks: bank and account share a group; vault, mint and token program are the bank's;
/// the source holds the bank's mint.
#[derive(Accounts)]
pub struct TokenDeposit<'info> {
    pub depositor: Signer<'info>,
    #[account(
        mut,
        constraint = account.load()?.group == bank.load()?.group @ CrossMarginError::GroupMismatch,
    )]
    pub account: AccountLoader<'info, MarginAccount>,
    #[account(
        mut,
        has_one = vault @ CrossMarginError::VaultMismatch,
        has_one = mint @ CrossMarginError::MintMismatch,
        has_one = token_program @ CrossMarginError::TokenProgramMismatch,
    )]
    pub bank: AccountLoader<'info, Bank>,
    #[account(mut)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    pub mint: InterfaceAccount<'info, Mint>,
    #[account(mut, constraint = source.mint == mint.key() @ CrossMarginError::MintMismatch)]
    pub source: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn token_deposit(ctx: Context<TokenDeposit>, amount: u64) -> Result<()> {
    require!(amount > 0, CrossMarginError::AmountZero);
    require!(
        !ctx.accounts.source.is_frozen(),
        CrossMarginError::TokenAccountFrozen
    );
    require!(
        ctx.accounts.source.amount >= amount,
        CrossMarginError::InsufficientWalletBalance
    );
    let now = Clock::get()?.unix_timestamp;
    let (outcome, indexed) = {
        let mut bank = ctx.accounts.bank.load_mut()?;
        bank.accrue_interest(now)?;
        let mut account = ctx.accounts.account.load_mut()?;
        let slot = account.find_or_create_position(bank.token_index)?;
        let outcome = bank.deposit(
            account.token_positions[slot].indexed.get(),
            amount,
            Flow::User,
        )?;
        account.token_positions[slot].indexed.set(outcome.indexed);
        account.release_if_empty(slot);
        (outcome, outcome.indexed)
    };
    let a = &ctx.accounts;
    transfer_in(
        &a.token_program,
        &a.source,
        &a.vault,
        &a.mint,
        &a.depositor,
        amount,
    )?;
    emit!(TokenDeposited {
        account: a.account.key(),
        bank: a.bank.key(),
        depositor: a.depositor.key(),
        amount,
        repaid: outcome.repaid,
        indexed_balance: indexed.to_bits(),
    });
    Ok(())
}
