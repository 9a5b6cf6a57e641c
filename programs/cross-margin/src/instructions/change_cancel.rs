use crate::error::CrossMarginError;
use crate::events::ChangeCancelled;
use crate::state::{ChangeKind, Group, PendingChange, CHANGE_SEED};
use anchor_lang::prelude::*;

/// Cancel a queued change so it never applies. The **admin** may cancel any change; the
/// **security admin** may cancel bank changes (a veto on a loosening queued by a leaked
/// admin key) but not group changes: otherwise a leaked security-admin key could cancel
/// its own replacement and keep renewing pauses for ever. The rent goes back to the
/// change's payer.
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
    let is_admin = ctx.accounts.group.load()?.admin == ctx.accounts.signer.key();
    let bank_change = matches!(ctx.accounts.change.change, ChangeKind::Bank(_));
    require!(
        is_admin || bank_change,
        CrossMarginError::NotCancelAuthority
    );
    emit!(ChangeCancelled {
        group: ctx.accounts.group.key(),
        change: ctx.accounts.change.key(),
        change_id: ctx.accounts.change.change_id,
        by: ctx.accounts.signer.key(),
    });
    Ok(())
}
