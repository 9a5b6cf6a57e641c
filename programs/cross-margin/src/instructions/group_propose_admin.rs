use crate::error::CrossMarginError;
use crate::events::AdminProposed;
use crate::state::Group;
use anchor_lang::prelude::*;

/// First step of an admin hand-over. With `Some(key)`: **admin only**; proposes `key`, which
/// may accept (`group_accept_admin`) from `now + timelock` on a live group (at once during
/// setup). The default pubkey and the current admin are refused. With `None`: the **admin**
/// withdraws the proposal (not the security admin: a leaked security-admin key must not be
/// able to block the admin's rotation of keys).
#[derive(Accounts)]
pub struct GroupProposeAdmin<'info> {
    pub signer: Signer<'info>,
    #[account(mut)]
    pub group: AccountLoader<'info, Group>,
}

pub fn group_propose_admin(
    ctx: Context<GroupProposeAdmin>,
    new_admin: Option<Pubkey>,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut group = ctx.accounts.group.load_mut()?;
    let signer = ctx.accounts.signer.key();
    match new_admin {
        Some(key) => {
            require_keys_eq!(signer, group.admin, CrossMarginError::NotAdmin);
            require!(
                key != Pubkey::default() && key != group.admin,
                CrossMarginError::InvalidAdmin
            );
            group.pending_admin = key;
            group.pending_admin_at = group.loosening_effective_at(now);
        }
        None => {
            require_keys_eq!(signer, group.admin, CrossMarginError::NotAdmin);
            group.pending_admin = Pubkey::default();
            group.pending_admin_at = 0;
        }
    }
    emit!(AdminProposed {
        group: ctx.accounts.group.key(),
        proposed: group.pending_admin,
        effective_at: group.pending_admin_at,
    });
    Ok(())
}
