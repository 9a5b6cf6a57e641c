use super::token_resolve_bankruptcy::require_no_assets;
use crate::error::CrossMarginError;
use crate::events::PerpBankruptcyResolved;
use crate::math::{rounding, Round, I80F48};
use crate::state::{Bank, Group, MarginAccount, PerpMarket};
use crate::token_cpi::transfer_out;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Write off a bankrupt account's perp loss in `perp_market`. **Permissionless.**
///
/// An account is bankrupt in a perp market when its position there is flat with a loss
/// (however small: a sub-unit loss is rounded up to one unit) left in its quote (unsettled PnL owed to the pool), no perp
/// position anywhere holds base or a profit of a unit, and no token position holds a
/// deposit of a unit (liquidation and settlement have taken everything they could). The
/// loss (rounded up) is paid first from the settle bank's insurance vault into the pool
/// vault; the pool's LPs absorb the rest: the quote is zeroed, so the pool's value (vault
/// minus traders' PnL) falls by what insurance did not cover. A perp loss therefore never
/// reaches the settle bank's depositors through this path (a stranger's loss settlement of
/// an account that still holds collateral turns the loss into a settle-token borrow
/// instead; see `perp_settle_pnl`). Refused while the group is paused (`GroupPaused`) and
/// for accounts that are not bankrupt (`NotBankrupt`, `PerpPositionsOpen`).
///
/// Token borrows the account may also have are written off separately by
/// `token_resolve_bankruptcy`; the `being_liquidated` flag clears once the account holds
/// nothing.
///
/// `remaining_accounts`: the bank of every active token position of the account, in slot
/// order (no oracles: a flat position's loss is a matter of balances, not prices).
#[derive(Accounts)]
pub struct PerpResolveBankruptcy<'info> {
    pub group: AccountLoader<'info, Group>,
    #[account(mut, has_one = group @ CrossMarginError::GroupMismatch)]
    pub account: AccountLoader<'info, MarginAccount>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        has_one = pool_vault @ CrossMarginError::VaultMismatch,
        has_one = settle_bank @ CrossMarginError::SettleBankMismatch,
    )]
    pub perp_market: AccountLoader<'info, PerpMarket>,
    #[account(
        has_one = insurance_vault @ CrossMarginError::VaultMismatch,
        has_one = mint @ CrossMarginError::MintMismatch,
        has_one = token_program @ CrossMarginError::TokenProgramMismatch,
    )]
    pub settle_bank: AccountLoader<'info, Bank>,
    #[account(mut)]
    pub insurance_vault: InterfaceAccount<'info, TokenAccount>,
    #[account(mut)]
    pub pool_vault: InterfaceAccount<'info, TokenAccount>,
    pub mint: InterfaceAccount<'info, Mint>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn perp_resolve_bankruptcy<'info>(
    ctx: Context<'info, PerpResolveBankruptcy<'info>>,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let group_signer = ctx.accounts.group.load()?.unpaused_signer(now)?;
    let mut market = ctx.accounts.perp_market.load_mut()?;
    let mut account = ctx.accounts.account.load_mut()?;
    let slot = account
        .perp_slot(market.perp_index)
        .filter(|s| {
            let p = &account.perp_positions[*s];
            p.base == 0 && p.quote.get() < I80F48::ZERO
        })
        .ok_or(CrossMarginError::NotBankrupt)?;
    require_no_assets(&account, ctx.remaining_accounts, ctx.program_id, now)?;

    let position = &mut account.perp_positions[slot];
    let ovf = || CrossMarginError::MathOverflow;
    let loss = rounding::to_native(-position.quote.get(), Round::Up).ok_or_else(ovf)?;
    let insured = loss.min(ctx.accounts.insurance_vault.amount);
    market.remove_position(position)?;
    position.quote.set(I80F48::ZERO);
    market.add_position(position)?;
    account.release_perp_if_empty(slot);
    if account.is_empty() {
        account.being_liquidated = 0;
    }
    drop((account, market));

    let a = &ctx.accounts;
    if insured > 0 {
        transfer_out(
            &a.token_program,
            &a.insurance_vault,
            &a.pool_vault,
            &a.mint,
            a.group.to_account_info(),
            &group_signer.seeds(),
            insured,
        )?;
    }
    emit!(PerpBankruptcyResolved {
        account: a.account.key(),
        perp_market: a.perp_market.key(),
        loss,
        insured,
        absorbed_by_pool: loss - insured,
    });
    Ok(())
}
