use crate::error::CrossMarginError;
use crate::events::DelegateSet;
use crate::state::MarginAccount;
use anchor_lang::prelude::*;

/// Set or clear (`Pubkey::default()`) the account's delegate. **Owner only**: a delegate
/// can withdraw and borrow for the owner but cannot re-delegate or close the account.
#[derive(Accounts)]
pub struct AccountSetDelegate<'info> {
    pub owner: Signer<'info>,
    #[account(mut, has_one = owner @ CrossMarginError::NotOwner)]
    pub account: AccountLoader<'info, MarginAccount>,
}

pub fn account_set_delegate(ctx: Context<AccountSetDelegate>, delegate: Pubkey) -> Result<()> {
    let mut account = ctx.accounts.account.load_mut()?;
    account.delegate = delegate;
    emit!(DelegateSet {
        account: ctx.accounts.account.key(),
        delegate,
    });
    Ok(())
}
