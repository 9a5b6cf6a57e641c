use crate::error::CrossMarginError;
use crate::events::FeesSwept;
use crate::math::{rounding, Round};
use crate::state::{Bank, Group};
use crate::token_cpi::transfer_out;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Move a bank's collected protocol fees (interest share, origination fees and the
/// insurance share of liquidation fees) from its vault into its insurance vault.
/// **Permissionless**: the destination is fixed, so anyone may crank it (keepers do).
///
/// Fees are never lendable or withdrawable by depositors (`token_withdraw` keeps them in
/// the vault); this is their only way out, and it strengthens the insurance fund that pays
/// bad debt first. Moves whole native units, at most what the vault holds (at 100 %
/// utilisation the vault may hold less than the fees; the rest follows when liquidity
/// returns). Checks: vault, insurance vault, mint and token program are the bank's; the
/// bank belongs to `group`. Refused while the group is paused (tokens leave a vault).
#[derive(Accounts)]
pub struct BankSweepFees<'info> {
    pub group: AccountLoader<'info, Group>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        has_one = vault @ CrossMarginError::VaultMismatch,
        has_one = insurance_vault @ CrossMarginError::VaultMismatch,
        has_one = mint @ CrossMarginError::MintMismatch,
        has_one = token_program @ CrossMarginError::TokenProgramMismatch,
    )]
    pub bank: AccountLoader<'info, Bank>,
    #[account(mut)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    #[account(mut)]
    pub insurance_vault: InterfaceAccount<'info, TokenAccount>,
    pub mint: InterfaceAccount<'info, Mint>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn bank_sweep_fees(ctx: Context<BankSweepFees>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let group_signer = ctx.accounts.group.load()?.unpaused_signer(now)?;
    let (amount, fees_left) = {
        let mut bank = ctx.accounts.bank.load_mut()?;
        bank.accrue_interest(now)?;
        let fees = bank.collected_fees.get();
        let whole = rounding::to_native(fees, Round::Down).ok_or(CrossMarginError::MathOverflow)?;
        let amount = whole.min(ctx.accounts.vault.amount);
        let fees_left = fees - rounding::from_native(amount);
        bank.collected_fees.set(fees_left);
        (amount, fees_left)
    };
    let a = &ctx.accounts;
    if amount > 0 {
        transfer_out(
            &a.token_program,
            &a.vault,
            &a.insurance_vault,
            &a.mint,
            a.group.to_account_info(),
            &group_signer.seeds(),
            amount,
        )?;
    }
    emit!(FeesSwept {
        bank: a.bank.key(),
        amount,
        fees_left: fees_left.to_bits(),
    });
    Ok(())
}
