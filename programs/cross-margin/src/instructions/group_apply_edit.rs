use super::group_edit::emit_edited;
use crate::error::CrossMarginError;
use crate::events::ChangeApplied;
use crate::state::{ChangeKind, Group, PendingChange, CHANGE_SEED};
use anchor_lang::prelude::*;

/// Apply a queued group settings change once its timelock has passed. **Anyone** may call;
/// the rent goes back to the change's payer. Checks: the change is this group's (seeds,
/// `has_one`) and a group change; its time has come (`ChangeNotYetEffective`); the group's
/// settings are still the ones it was queued against (`ChangeStale`); the hard bounds.
#[derive(Accounts)]
pub struct GroupApplyEdit<'info> {
    /// CHECK: receives the rent; must be the change's payer.
    #[account(mut, address = change.payer @ CrossMarginError::ChangeTargetMismatch)]
    pub payer: UncheckedAccount<'info>,
    #[account(mut)]
    pub group: AccountLoader<'info, Group>,
    #[account(
        mut,
        close = payer,
        has_one = group @ CrossMarginError::ChangeTargetMismatch,
        seeds = [CHANGE_SEED, group.key().as_ref(), &change.change_id.to_le_bytes()],
        bump = change.bump,
    )]
    pub change: Account<'info, PendingChange>,
}

pub fn group_apply_edit(ctx: Context<GroupApplyEdit>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pending = &ctx.accounts.change;
    let ChangeKind::Group(change) = pending.change else {
        return err!(CrossMarginError::ChangeTargetMismatch);
    };
    pending.check_due(&*ctx.accounts.group.load()?, now)?;
    change.settings.validate()?;
    let mut group = ctx.accounts.group.load_mut()?;
    require!(
        group.settings() == change.base,
        CrossMarginError::ChangeStale
    );
    group.apply_settings(&change.settings);
    emit_edited(ctx.accounts.group.key(), &group);
    emit!(ChangeApplied {
        group: pending.group,
        change: pending.key(),
        target: pending.target,
        change_id: pending.change_id,
    });
    Ok(())
}
