use crate::error::CrossMarginError;
use crate::events::TokenWithdrawn;
use crate::health::retriever::{health_cache_from_accounts, Prices};
use crate::health::InitPrices;
use crate::math::I80F48;
use crate::state::{Bank, Flow, Group, MarginAccount};
use crate::token_cpi::transfer_out;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Withdraw tokens from a margin account; the part beyond its deposit is a borrow and
/// needs `allow_borrow = true`. **Owner or delegate** only.
///
/// Checks: group not paused; amount > 0; the vault holds the amount on top of the bank's
/// uncollected protocol fees (fees are never lendable or withdrawable); bank, account and
/// group match; vault, mint and token program are the bank's; the destination holds the
/// bank's mint; reduce-only, utilisation ≤ 100 % and the borrow limit for borrows.
///
/// Guardrails: the bank's oracle reading moves its stable price and breaker first. While
/// the breaker is tripped (oracle outside the band around the stable price) the bank is
/// borrow-reduce-only: no new borrow of it, and no withdrawal of it from an account that
/// has debt after the withdrawal (`BreakerBorrowReduceOnly`). The amount counts against the
/// bank's net outflow limit for the current window (`NetOutflowLimit`, the log says when
/// the window resets).
///
/// Health: `remaining_accounts` are the account's health accounts (see
/// `health::retriever`), including the slot this instruction opens if the account had no
/// position in this bank. Every oracle must be valid now; init health uses the worse of
/// oracle and stable price. If init health was ≥ 0 before, it must be ≥ 0 after. If it was
/// negative (the account is under water), neither init nor maint health may decrease:
/// collateral with init weight 0 still counts for maint health, and an account being
/// liquidated must not pull it out.
#[derive(Accounts)]
pub struct TokenWithdraw<'info> {
    pub signer: Signer<'info>,
    pub group: AccountLoader<'info, Group>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        constraint = account.load()?.is_owner_or_delegate(signer.key) @ CrossMarginError::NotOwnerOrDelegate,
    )]
    pub account: AccountLoader<'info, MarginAccount>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        has_one = vault @ CrossMarginError::VaultMismatch,
        has_one = mint @ CrossMarginError::MintMismatch,
        has_one = token_program @ CrossMarginError::TokenProgramMismatch,
    )]
    pub bank: AccountLoader<'info, Bank>,
    #[account(mut)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    pub mint: InterfaceAccount<'info, Mint>,
    #[account(mut, constraint = destination.mint == mint.key() @ CrossMarginError::MintMismatch)]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn token_withdraw<'info>(
    ctx: Context<'info, TokenWithdraw<'info>>,
    amount: u64,
    allow_borrow: bool,
) -> Result<()> {
    require!(amount > 0, CrossMarginError::AmountZero);
    require!(
        !ctx.accounts.destination.is_frozen(),
        CrossMarginError::TokenAccountFrozen
    );
    let now = Clock::get()?.unix_timestamp;
    let group_signer = ctx.accounts.group.load()?.unpaused_signer(now)?;
    let token_index = {
        let mut bank = ctx.accounts.bank.load_mut()?;
        bank.accrue_interest(now)?;
        bank.token_index
    };

    let mut account = ctx.accounts.account.load_mut()?;
    let slot = account.find_or_create_position(token_index)?;
    // The bank is read again from `remaining_accounts` here, after accrual was written.
    let mut cache = health_cache_from_accounts(
        &account,
        ctx.remaining_accounts,
        ctx.program_id,
        now,
        Prices::AllLive,
        InitPrices::WorseOfOracleAndStable,
    )?;

    let (outcome, reserved_fees, breaker_tripped) = {
        let mut bank = ctx.accounts.bank.load_mut()?;
        let oracle = cache
            .token(token_index)
            .ok_or(CrossMarginError::HealthBankMismatch)?
            .risk
            .oracle;
        bank.observe_price(ctx.accounts.bank.key(), &oracle, now);
        // Health sees the stable price this instruction just moved.
        cache.set_risk(bank.token_risk_at(&oracle, now, InitPrices::WorseOfOracleAndStable)?)?;
        // A window that opens now takes its cap from the deposits as they were before.
        let deposits_before = bank.native_deposits_floor()?;
        let outcome = bank.withdraw(
            account.token_positions[slot].indexed.get(),
            amount,
            allow_borrow,
            Flow::User,
        )?;
        bank.record_outflow(amount, now, deposits_before)?;
        (outcome, bank.reserved_fees()?, bank.breaker_tripped())
    };
    let before = cache.health()?;
    require!(
        ctx.accounts.vault.amount.saturating_sub(reserved_fees) >= amount,
        CrossMarginError::InsufficientVaultLiquidity
    );
    account.token_positions[slot].indexed.set(outcome.indexed);
    cache.set_balance(token_index, outcome.indexed)?;
    let after = cache.health()?;
    if breaker_tripped && (outcome.borrowed > 0 || cache.has_liabilities()) {
        return err!(CrossMarginError::BreakerBorrowReduceOnly);
    }
    let allowed = if before.init >= I80F48::ZERO {
        after.init >= I80F48::ZERO
    } else {
        after.init >= before.init && after.maint >= before.maint
    };
    if !allowed {
        msg!("health before {:?} after {:?}", before, after);
        return err!(CrossMarginError::HealthWouldBeNegative);
    }
    if after.init >= I80F48::ZERO {
        account.being_liquidated = 0;
    }
    let after = after.init;
    account.release_if_empty(slot);
    drop(account);

    let a = &ctx.accounts;
    transfer_out(
        &a.token_program,
        &a.vault,
        &a.destination,
        &a.mint,
        a.group.to_account_info(),
        &group_signer.seeds(),
        amount,
    )?;
    emit!(TokenWithdrawn {
        account: a.account.key(),
        bank: a.bank.key(),
        signer: a.signer.key(),
        amount,
        borrowed: outcome.borrowed,
        origination_fee: outcome.origination_fee,
        indexed_balance: outcome.indexed.to_bits(),
        init_health_after: after.to_bits(),
    });
    Ok(())
}
