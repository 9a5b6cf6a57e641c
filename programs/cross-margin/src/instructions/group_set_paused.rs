use crate::error::CrossMarginError;
use crate::events::GroupPauseSet;
use crate::state::Group;
use anchor_lang::prelude::*;

/// Pause or unpause the group. The **admin or the security admin** may pause; only the
/// **admin** may unpause early, so a leaked security-admin key can stop the protocol but
/// never restart it. A pause lapses by itself after the group's `pause_duration_secs`
/// unless paused again (which renews it from now), so a lost or hostile key cannot freeze
/// funds for ever. While paused, withdrawals, borrows, liquidations and fee sweeps fail;
/// deposits and repays still work (they only reduce risk).
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
    let now = Clock::get()?.unix_timestamp;
    group.paused = paused as u8;
    group.pause_expires_at = if paused {
        now.saturating_add(group.pause_duration_secs as i64)
    } else {
        0
    };
    emit!(GroupPauseSet {
        group: ctx.accounts.group.key(),
        paused,
        by: signer,
        expires_at: group.pause_expires_at,
    });
    Ok(())
}
