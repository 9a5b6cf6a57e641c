use crate::error::CrossMarginError;
use crate::events::MarginAccountCreated;
use crate::state::{Group, MarginAccount, ACCOUNT_SEED};
use anchor_lang::prelude::*;

/// Open a margin account in a group. **Anyone** may call for themselves: the signer is the
/// owner and pays rent. PDA `["account", group, owner, account_num]`; a user who wants
/// isolated margin opens a second account with another `account_num`. Refused until the
/// group is live (`group_go_live`): before that its admin may still loosen anything at once.
#[derive(Accounts)]
#[instruction(account_num: u32)]
pub struct AccountCreate<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(constraint = group.load()?.is_live() @ CrossMarginError::GroupNotLive)]
    pub group: AccountLoader<'info, Group>,
    #[account(
        init,
        payer = owner,
        space = MarginAccount::SPACE,
        seeds = [ACCOUNT_SEED, group.key().as_ref(), owner.key().as_ref(), &account_num.to_le_bytes()],
        bump,
    )]
    pub account: AccountLoader<'info, MarginAccount>,
    pub system_program: Program<'info, System>,
}

pub fn account_create(ctx: Context<AccountCreate>, account_num: u32) -> Result<()> {
    let mut account = ctx.accounts.account.load_init()?;
    let group = ctx.accounts.group.key();
    let owner = ctx.accounts.owner.key();
    account.init(group, owner, account_num, ctx.bumps.account);
    emit!(MarginAccountCreated {
        group,
        account: ctx.accounts.account.key(),
        owner,
        account_num,
    });
    Ok(())
}
