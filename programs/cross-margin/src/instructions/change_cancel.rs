use crate::error::CrossMarginError;
use crate::events::ChangeCancelled;
use crate::state::{Group, PendingChange, CHANGE_SEED};
use anchor_lang::prelude::*;

/// Cancel a queued change so it never applies. The **admin or the security admin** may
/// call: cancelling only ever keeps risk where it is, so the incident-response key can veto
/// a loosening queued by a leaked admin key. The rent goes back to the change's payer.
#[derive(Accounts)]
pub struct ChangeCancel<'info> {
    pub signer: Signer<'info>,
    /// CHECK: receives the rent; must be the change's payer.
    #[account(mut, address = change.payer @ CrossMarginError::ChangeTargetMismatch)]
    pub payer: UncheckedAccount<'info>,
    #[account(
        constraint = {
            let g = group.load()?;
            g.admin == signer.key() || g.security_admin == signer.key()
        } @ CrossMarginError::NotCancelAuthority,
    )]
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

pub fn change_cancel(ctx: Context<ChangeCancel>) -> Result<()> {
    emit!(ChangeCancelled {
        group: ctx.accounts.group.key(),
        change: ctx.accounts.change.key(),
        change_id: ctx.accounts.change.change_id,
        by: ctx.accounts.signer.key(),
    });
    Ok(())
}
