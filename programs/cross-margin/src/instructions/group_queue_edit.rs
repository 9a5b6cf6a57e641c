use crate::error::CrossMarginError;
use crate::guard::classify::{first_loosening, group_fields, GROUP_RULES};
use crate::state::{
    ChangeKind, Group, GroupChange, GroupSettings, NewChange, PendingChange, CHANGE_SEED,
};
use anchor_lang::prelude::*;

/// Queue a group settings change behind the timelock. **Admin only**; the admin pays the
/// `PendingChange` rent. `change_id` must be the group's `change_count`. The settings must
/// be within their hard bounds and differ from the current ones; anyone may apply them
/// (`group_apply_edit`) from `now + timelock` if the group's settings are unchanged by then.
#[derive(Accounts)]
#[instruction(change_id: u64)]
pub struct GroupQueueEdit<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
    #[account(
        init,
        payer = admin,
        space = PendingChange::SPACE,
        seeds = [CHANGE_SEED, group.key().as_ref(), &change_id.to_le_bytes()],
        bump,
    )]
    pub change: Account<'info, PendingChange>,
    pub system_program: Program<'info, System>,
}

pub fn group_queue_edit(
    ctx: Context<GroupQueueEdit>,
    change_id: u64,
    settings: GroupSettings,
) -> Result<()> {
    settings.validate()?;
    let now = Clock::get()?.unix_timestamp;
    let mut group = ctx.accounts.group.load_mut()?;
    let base = group.settings();
    require!(base != settings, CrossMarginError::ChangeEmpty);
    let (old, new) = group_fields(&base, &settings);
    let new = NewChange {
        key: ctx.accounts.change.key(),
        group: ctx.accounts.group.key(),
        target: ctx.accounts.group.key(),
        payer: ctx.accounts.admin.key(),
        bump: ctx.bumps.change,
        change: ChangeKind::Group(GroupChange { base, settings }),
        loosens: first_loosening(&GROUP_RULES, &old, &new),
    };
    ctx.accounts
        .change
        .record(&mut group, change_id, new, now)?;
    Ok(())
}
