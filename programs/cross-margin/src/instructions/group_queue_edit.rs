use crate::error::CrossMarginError;
use crate::events::ChangeQueued;
use crate::guard::classify::{first_loosening, group_fields, GROUP_RULES};
use crate::state::{ChangeKind, Group, GroupChange, GroupSettings, PendingChange, CHANGE_SEED};
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
    require!(
        change_id == group.change_count,
        CrossMarginError::ChangeTargetMismatch
    );
    group.change_count = group
        .change_count
        .checked_add(1)
        .ok_or(CrossMarginError::MathOverflow)?;
    let (old, new) = group_fields(&base, &settings);
    let loosens = first_loosening(&GROUP_RULES, &old, &new);
    let effective_at = group.loosening_effective_at(now);
    let change = &mut ctx.accounts.change;
    change.group = ctx.accounts.group.key();
    change.target = ctx.accounts.group.key();
    change.payer = ctx.accounts.admin.key();
    change.change_id = change_id;
    change.queued_at = now;
    change.effective_at = effective_at;
    change.change = ChangeKind::Group(GroupChange { base, settings });
    change.bump = ctx.bumps.change;
    emit!(ChangeQueued {
        group: change.group,
        change: change.key(),
        target: change.target,
        change_id,
        effective_at,
        loosens: loosens.unwrap_or_default().to_string(),
    });
    Ok(())
}
