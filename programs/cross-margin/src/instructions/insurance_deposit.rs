use crate::error::CrossMarginError;
use crate::events::InsuranceDeposited;
use crate::state::Bank;
use crate::token_cpi::transfer_in;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Add tokens to a bank's insurance fund. **Anyone** may fund it, always (even while
/// paused). Checks: the insurance vault, mint and token program are the bank's; the source
/// holds the bank's mint and at least `amount`.
#[derive(Accounts)]
pub struct InsuranceDeposit<'info> {
    pub depositor: Signer<'info>,
    #[account(
        has_one = insurance_vault @ CrossMarginError::VaultMismatch,
        has_one = mint @ CrossMarginError::MintMismatch,
        has_one = token_program @ CrossMarginError::TokenProgramMismatch,
    )]
    pub bank: AccountLoader<'info, Bank>,
    #[account(mut)]
    pub insurance_vault: InterfaceAccount<'info, TokenAccount>,
    pub mint: InterfaceAccount<'info, Mint>,
    #[account(mut, constraint = source.mint == mint.key() @ CrossMarginError::MintMismatch)]
    pub source: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn insurance_deposit(ctx: Context<InsuranceDeposit>, amount: u64) -> Result<()> {
    require!(amount > 0, CrossMarginError::AmountZero);
    let a = &ctx.accounts;
    require!(!a.source.is_frozen(), CrossMarginError::TokenAccountFrozen);
    require!(
        a.source.amount >= amount,
        CrossMarginError::InsufficientWalletBalance
    );
    transfer_in(
        &a.token_program,
        &a.source,
        &a.insurance_vault,
        &a.mint,
        &a.depositor,
        amount,
    )?;
    emit!(InsuranceDeposited {
        bank: a.bank.key(),
        depositor: a.depositor.key(),
        amount,
    });
    Ok(())
}
