use crate::error::CrossMarginError;
use crate::events::GroupPauseSet;
use crate::state::Group;
use anchor_lang::prelude::*;

/// Pause or unpause the group. The **admin or the security admin** may pause; only the
/// **admin** may unpause, so a leaked security-admin key can stop the protocol but never
/// restart it. While paused, withdrawals and borrows fail; deposits and repays still work
/// (they only reduce risk).
#[derive(Accounts)]
pub struct GroupSetPaused<'info> {
    pub signer: Signer<'info>,
    #[account(mut)]
    pub group: AccountLoader<'info, Group>,
}

pub fn group_set_paused(ctx: Context<GroupSetPaused>, paused: bool) -> Result<()> {
    let mut group = ctx.accounts.group.load_mut()?;
    let signer = ctx.accounts.signer.key();
    let is_admin = signer == group.admin;
    let is_security_admin = signer == group.security_admin;
    require!(
        is_admin || is_security_admin,
        CrossMarginError::NotPauseAuthority
    );
    require!(paused || is_admin, CrossMarginError::OnlyAdminCanUnpause);
    group.paused = paused as u8;
    emit!(GroupPauseSet {
        group: ctx.accounts.group.key(),
        paused,
        by: signer,
    });
    Ok(())
}
