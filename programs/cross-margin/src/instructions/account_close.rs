use crate::error::CrossMarginError;
use crate::events::MarginAccountClosed;
use crate::state::MarginAccount;
use anchor_lang::prelude::*;

/// Close an empty margin account and return its rent to the owner. **Owner only** (not the
/// delegate). Fails while any position holds a balance, even dust, or while the account is
/// being liquidated. Anchor's `close` zeroes the data and hands the lamports back, so the
/// account cannot be revived within the same transaction.
#[derive(Accounts)]
pub struct AccountClose<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(mut, has_one = owner @ CrossMarginError::NotOwner, close = owner)]
    pub account: AccountLoader<'info, MarginAccount>,
}

pub fn account_close(ctx: Context<AccountClose>) -> Result<()> {
    let account = ctx.accounts.account.load()?;
    require!(
        account.being_liquidated == 0,
        CrossMarginError::AccountBeingLiquidated
    );
    require!(account.is_empty(), CrossMarginError::AccountNotEmpty);
    emit!(MarginAccountClosed {
        account: ctx.accounts.account.key(),
        owner: account.owner,
    });
    Ok(())
}
