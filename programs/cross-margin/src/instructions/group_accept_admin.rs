use super::group_edit::emit_edited;
use crate::error::CrossMarginError;
use crate::state::Group;
use anchor_lang::prelude::*;

/// Second step of an admin hand-over: **the proposed admin** signs, proving it holds the
/// key, once the proposal's timelock has passed (`NotPendingAdmin` before, or for anyone
/// else). The proposal is then cleared.
#[derive(Accounts)]
pub struct GroupAcceptAdmin<'info> {
    pub new_admin: Signer<'info>,
    #[account(mut)]
    pub group: AccountLoader<'info, Group>,
}

pub fn group_accept_admin(ctx: Context<GroupAcceptAdmin>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut group = ctx.accounts.group.load_mut()?;
    let signer = ctx.accounts.new_admin.key();
    require!(
        group.pending_admin != Pubkey::default() && signer == group.pending_admin,
        CrossMarginError::NotPendingAdmin
    );
    if now < group.pending_admin_at {
        msg!(
            "the hand-over may be accepted from unix time {} (in {} s)",
            group.pending_admin_at,
            group.pending_admin_at - now
        );
        return err!(CrossMarginError::NotPendingAdmin);
    }
    group.admin = signer;
    group.pending_admin = Pubkey::default();
    group.pending_admin_at = 0;
    emit_edited(ctx.accounts.group.key(), &group);
    Ok(())
}
