use crate::error::CrossMarginError;
use crate::events::GroupEdited;
use crate::guard::classify::{first_loosening, group_fields, GROUP_RULES};
use crate::state::{Group, GroupSettings};
use anchor_lang::prelude::*;

/// Change the group's settings at once: security admin, timelock, maint ramp and pause
/// duration. **Admin only** (`has_one = admin`). The admin itself changes hands through
/// `group_propose_admin` / `group_accept_admin`.
///
/// Checks the hard bounds (`GroupSettings::validate`: timelock ≥ 1 day, compiled in). On a
/// live group only tightening applies here (a longer timelock or ramp, a shorter pause); a
/// new security admin, a shorter timelock or ramp or a longer pause fails with
/// `LooseningNeedsTimelock` and goes through `group_queue_edit`.
#[derive(Accounts)]
pub struct GroupEdit<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
}

pub fn group_edit(ctx: Context<GroupEdit>, settings: GroupSettings) -> Result<()> {
    settings.validate()?;
    let mut group = ctx.accounts.group.load_mut()?;
    if group.is_live() {
        let (old, new) = group_fields(&group.settings(), &settings);
        if let Some(field) = first_loosening(&GROUP_RULES, &old, &new) {
            msg!("{} loosens risk: queue it with group_queue_edit", field);
            return err!(CrossMarginError::LooseningNeedsTimelock);
        }
    }
    group.apply_settings(&settings);
    emit_edited(ctx.accounts.group.key(), &group);
    Ok(())
}

/// The `GroupEdited` event for the group as it is now.
pub(crate) fn emit_edited(key: Pubkey, group: &Group) {
    emit!(GroupEdited {
        group: key,
        admin: group.admin,
        security_admin: group.security_admin,
        timelock_secs: group.timelock_secs,
        maint_ramp_secs: group.maint_ramp_secs,
        pause_duration_secs: group.pause_duration_secs,
    });
}
