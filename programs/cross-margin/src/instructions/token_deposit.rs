use crate::error::CrossMarginError;
use crate::events::TokenDeposited;
use crate::health::retriever::{health_cache_from_accounts, Prices};
use crate::health::InitPrices;
use crate::math::I80F48;
use crate::state::{Bank, Flow, MarginAccount};
use crate::token_cpi::transfer_in;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Deposit tokens into a margin account. A deposit first repays the account's borrow in
/// that bank, and the rest is credited as a deposit.
///
/// **Who:** anyone may add to a position the account already holds (repaying someone's
/// debt stays permissionless); only the **owner or delegate** may open a new position.
/// Otherwise a stranger could plant dust in a bank with a dead oracle, fill the account's
/// slots, or turn a bankrupt account into a solvent-looking one.
///
/// Never needs an oracle and never fails on one: adding collateral or repaying debt only
/// makes an account safer, so it works with a stale oracle and while the group is paused.
/// The amount counts as inflow under the bank's net outflow limit (it makes room for
/// withdrawals in the same window). Refused only for a zero amount, a short wallet, a reduce-only bank (for the part that
/// would be a new deposit), the deposit limit, a full set of position slots, or a new
/// position opened by a stranger. Checks: bank and account share a group; vault, mint and
/// token program are the bank's; the source holds the bank's mint.
///
/// The `being_liquidated` flag clears when the deposit leaves the account without debt, or
/// when `remaining_accounts` carry its health accounts (layout after the deposit, see
/// `health::retriever`), every oracle among them is valid and init health is ≥ 0. Wrong
/// health accounts fail the deposit; an invalid oracle only leaves the flag as it was.
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

pub fn token_deposit<'info>(ctx: Context<'info, TokenDeposit<'info>>, amount: u64) -> Result<()> {
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
        if account.position_slot(bank.token_index).is_none() {
            require!(
                account.is_owner_or_delegate(ctx.accounts.depositor.key),
                CrossMarginError::NewPositionNotOwner
            );
        }
        let slot = account.find_or_create_position(bank.token_index)?;
        // Deposits and repays make room under the bank's net outflow limit (counted before
        // the deposit, so a window opening now takes its cap from the deposits as they were).
        bank.record_inflow(amount, now)?;
        let outcome = bank.deposit(
            account.token_positions[slot].indexed.get(),
            amount,
            Flow::User,
        )?;
        account.token_positions[slot].indexed.set(outcome.indexed);
        drop(bank);
        // Perp exposure or an unsettled perp loss is debt too: only health can clear it.
        let no_debt = account
            .active_positions()
            .all(|(_, p)| p.indexed.get() >= I80F48::ZERO)
            && account
                .active_perps()
                .all(|(_, p)| p.base == 0 && p.quote.get() >= I80F48::ZERO);
        if no_debt {
            account.being_liquidated = 0;
        } else if account.being_liquidated != 0 && !ctx.remaining_accounts.is_empty() {
            let cache = health_cache_from_accounts(
                &account,
                ctx.remaining_accounts,
                ctx.program_id,
                now,
                Prices::Fallback,
                InitPrices::WorseOfOracleAndStable,
            )?;
            if cache.all_live() && cache.health()?.init >= I80F48::ZERO {
                account.being_liquidated = 0;
            }
        }
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
