use crate::events::GroupCreated;
use crate::state::{Group, GroupSettings, GROUP_SEED};
use anchor_lang::prelude::*;

/// Create a protocol group. **Anyone** may call; the signer becomes the group's admin and
/// pays rent. The group PDA is `["group", creator, group_num]`, so one creator can run
/// several groups. `security_admin` may later pause (but never unpause) the group and cancel
/// queued changes. The group starts in its setup phase with the default settings (timelock
/// 1 day, maint ramp 1 day, pause 2 days): the admin registers and configures banks freely,
/// no margin account can be opened, and `group_go_live` ends the phase.
#[derive(Accounts)]
#[instruction(group_num: u32)]
pub struct GroupCreate<'info> {
    #[account(mut)]
    pub creator: Signer<'info>,
    #[account(
        init,
        payer = creator,
        space = Group::SPACE,
        seeds = [GROUP_SEED, creator.key().as_ref(), &group_num.to_le_bytes()],
        bump,
    )]
    pub group: AccountLoader<'info, Group>,
    pub system_program: Program<'info, System>,
}

pub fn group_create(
    ctx: Context<GroupCreate>,
    group_num: u32,
    security_admin: Pubkey,
) -> Result<()> {
    let mut group = ctx.accounts.group.load_init()?;
    group.creator = ctx.accounts.creator.key();
    group.admin = ctx.accounts.creator.key();
    group.security_admin = security_admin;
    group.group_num = group_num;
    group.bump = ctx.bumps.group;
    group.paused = 0;
    group.apply_settings(&GroupSettings::defaults(security_admin));
    emit!(GroupCreated {
        group: ctx.accounts.group.key(),
        creator: group.creator,
        group_num,
        admin: group.admin,
        security_admin,
    });
    Ok(())
}
