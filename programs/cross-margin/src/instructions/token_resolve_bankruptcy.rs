use crate::error::CrossMarginError;
use crate::events::BankruptcyResolved;
use crate::health::engine::native_balance;
use crate::health::retriever::load_bank;
use crate::math::I80F48;
use crate::state::{Bank, Group, MarginAccount, WriteOff};
use crate::token_cpi::transfer_out;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Write off a bankrupt account's borrow in `bank`. **Permissionless.**
///
/// An account is bankrupt in a bank when it borrows there and holds no deposit worth one
/// native unit or more in any bank (liquidation has taken everything it could). The debt
/// (rounded up) is covered first by the bank's uncollected protocol fees (owed to the
/// insurance fund anyway, and partly income booked from interest this borrower never paid),
/// then paid from the bank's insurance vault into its vault; the rest is socialised by
/// lowering `deposit_index` so depositors share it pro rata (rounded against them, so the
/// vault is never short). The index never falls below `MIN_DEPOSIT_INDEX` (2^-10) instead
/// of going to zero, which would make every later deposit divide by zero; what depositors
/// cannot absorb above the floor is recorded as `unrecoverable` on the bank
/// (`Bank::unrecoverable_bad_debt`), and the bank then takes no new deposits. In the event,
/// `bad_debt = insured + socialised + fees_forgone + unrecoverable`, exactly. Refused while the group is
/// paused and for accounts that are not bankrupt.
///
/// `remaining_accounts`: the bank of every active position of the account, in slot order
/// (no oracles: solvency here is a matter of balances, not prices).
#[derive(Accounts)]
pub struct TokenResolveBankruptcy<'info> {
    pub group: AccountLoader<'info, Group>,
    #[account(mut, has_one = group @ CrossMarginError::GroupMismatch)]
    pub account: AccountLoader<'info, MarginAccount>,
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

/// Fails unless no position holds a deposit of one native unit or more.
pub(crate) fn require_no_assets(
    account: &MarginAccount,
    banks: &[AccountInfo],
    program_id: &Pubkey,
    now: i64,
) -> Result<()> {
    // A perp position with base or unsettled profit is an asset (or exposure) the account
    // still holds: it must be liquidated or settled first. A flat perp position with only
    // a loss left is debt to the pool, not an asset, and does not block this; nor does a
    // flat position's sub-unit profit, which no one could settle.
    require!(
        account
            .active_perps()
            .all(|(_, p)| p.base == 0 && p.quote.get() < I80F48::ONE),
        CrossMarginError::PerpPositionsOpen
    );
    let n = account.active_positions().count();
    require!(banks.len() == n, CrossMarginError::HealthAccountsCount);
    for ((_, position), info) in account.active_positions().zip(banks) {
        let bank = load_bank(info, program_id)?;
        require!(
            bank.group == account.group && bank.token_index == position.token_index,
            CrossMarginError::HealthBankMismatch
        );
        let (deposit_index, borrow_index) = bank.indices_at(now)?;
        let native = native_balance(position.indexed.get(), deposit_index, borrow_index)?;
        require!(native < I80F48::ONE, CrossMarginError::NotBankrupt);
    }
    Ok(())
}

pub fn token_resolve_bankruptcy<'info>(
    ctx: Context<'info, TokenResolveBankruptcy<'info>>,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let group_signer = ctx.accounts.group.load()?.unpaused_signer(now)?;
    let token_index = {
        let mut bank = ctx.accounts.bank.load_mut()?;
        bank.accrue_interest(now)?;
        bank.token_index
    };
    let mut account = ctx.accounts.account.load_mut()?;
    let slot = account
        .position_slot(token_index)
        .filter(|s| account.token_positions[*s].indexed.get() < I80F48::ZERO)
        .ok_or(CrossMarginError::NotBankrupt)?;
    require_no_assets(&account, ctx.remaining_accounts, ctx.program_id, now)?;

    let mut bank = ctx.accounts.bank.load_mut()?;
    let debt_indexed = -account.token_positions[slot].indexed.get();
    let index_before = bank.deposit_index.get();
    // The loss waterfall (`Bank::write_off`). First the bank's uncollected protocol fees:
    // they are owed to the insurance fund anyway, and part of them may be income booked
    // from interest this borrower never paid. Then the insurance vault, then depositors
    // down to the index floor; what is left is recorded as unrecoverable.
    let WriteOff {
        debt,
        fees_forgone,
        insured,
        socialised,
        unrecoverable,
    } = bank.write_off(debt_indexed, ctx.accounts.insurance_vault.amount)?;
    account.token_positions[slot].indexed.set(I80F48::ZERO);
    account.release_if_empty(slot);
    if account.is_empty() {
        account.being_liquidated = 0;
    }
    let index_after = bank.deposit_index.get();
    drop((account, bank));

    let a = &ctx.accounts;
    if insured > 0 {
        transfer_out(
            &a.token_program,
            &a.insurance_vault,
            &a.vault,
            &a.mint,
            a.group.to_account_info(),
            &group_signer.seeds(),
            insured,
        )?;
    }
    emit!(BankruptcyResolved {
        account: a.account.key(),
        bank: a.bank.key(),
        bad_debt: debt,
        insured,
        socialised,
        fees_forgone,
        unrecoverable,
        deposit_index_before: index_before.to_bits(),
        deposit_index_after: index_after.to_bits(),
    });
    Ok(())
}
