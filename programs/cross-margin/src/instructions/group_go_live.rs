use crate::error::CrossMarginError;
use crate::events::GroupWentLive;
use crate::state::Group;
use anchor_lang::prelude::*;

/// End the group's setup phase. **Admin only**; irreversible. From now on margin accounts
/// may be opened, and every change that loosens risk (bank or group settings, a new oracle,
/// a new admin, a new bank's asset weights) waits out the timelock and is bounded per step;
/// changes queued during setup wait a full timelock from now, and a pending admin proposal
/// is withdrawn.
#[derive(Accounts)]
pub struct GroupGoLive<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
}

pub fn group_go_live(ctx: Context<GroupGoLive>) -> Result<()> {
    let mut group = ctx.accounts.group.load_mut()?;
    require!(!group.is_live(), CrossMarginError::GroupAlreadyLive);
    group.live = 1;
    group.went_live_at = Clock::get()?.unix_timestamp;
    // A hand-over proposed during setup starts again under the live rules.
    group.pending_admin = Pubkey::default();
    group.pending_admin_at = 0;
    emit!(GroupWentLive {
        group: ctx.accounts.group.key(),
    });
    Ok(())
}
