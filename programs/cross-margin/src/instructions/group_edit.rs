use crate::error::CrossMarginError;
use crate::events::GroupEdited;
use crate::state::Group;
use anchor_lang::prelude::*;

/// Change the group's admin and/or security admin. **Admin only** (`has_one = admin`).
/// `None` leaves a field unchanged.
#[derive(Accounts)]
pub struct GroupEdit<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
}

pub fn group_edit(
    ctx: Context<GroupEdit>,
    new_admin: Option<Pubkey>,
    new_security_admin: Option<Pubkey>,
) -> Result<()> {
    let mut group = ctx.accounts.group.load_mut()?;
    if let Some(admin) = new_admin {
        group.admin = admin;
    }
    if let Some(security_admin) = new_security_admin {
        group.security_admin = security_admin;
    }
    emit!(GroupEdited {
        group: ctx.accounts.group.key(),
        admin: group.admin,
        security_admin: group.security_admin,
    });
    Ok(())
}
