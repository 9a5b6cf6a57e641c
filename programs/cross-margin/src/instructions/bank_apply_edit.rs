use crate::bank_change;
use crate::error::CrossMarginError;
use crate::events::ChangeApplied;
use crate::state::{Bank, ChangeKind, Group, PendingChange, CHANGE_SEED};
use anchor_lang::prelude::*;

/// Apply a queued bank change once its timelock has passed. **Anyone** may call (the
/// keeper does); the rent goes back to the change's payer.
///
/// Checks: the change belongs to this group and bank (PDA seeds, `has_one`); its time has
/// come (`ChangeNotYetEffective`, the log says when); the bank's settings and oracle are
/// still exactly the ones it was queued against (`ChangeStale` otherwise: a later
/// tightening is never undone by an older loosening); and everything `bank_edit` checks,
/// again, now (`bank_change::check`: `remaining_accounts` = all other banks; `oracle` = the
/// change's oracle). Tightened maint weights ramp as in `bank_edit`.
#[derive(Accounts)]
pub struct BankApplyEdit<'info> {
    /// CHECK: receives the rent; must be the change's payer.
    #[account(mut, address = change.payer @ CrossMarginError::ChangeTargetMismatch)]
    pub payer: UncheckedAccount<'info>,
    pub group: AccountLoader<'info, Group>,
    #[account(mut, has_one = group @ CrossMarginError::GroupMismatch)]
    pub bank: AccountLoader<'info, Bank>,
    /// CHECK: must be the change's oracle; validated by `bank_change::check` if new.
    pub oracle: UncheckedAccount<'info>,
    #[account(
        mut,
        close = payer,
        has_one = group @ CrossMarginError::ChangeTargetMismatch,
        seeds = [CHANGE_SEED, group.key().as_ref(), &change.change_id.to_le_bytes()],
        bump = change.bump,
    )]
    pub change: Account<'info, PendingChange>,
}

pub fn bank_apply_edit<'info>(ctx: Context<'info, BankApplyEdit<'info>>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pending = &ctx.accounts.change;
    let ChangeKind::Bank(change) = pending.change else {
        return err!(CrossMarginError::ChangeTargetMismatch);
    };
    require_keys_eq!(
        pending.target,
        ctx.accounts.bank.key(),
        CrossMarginError::ChangeTargetMismatch
    );
    require_keys_eq!(
        change.oracle,
        ctx.accounts.oracle.key(),
        CrossMarginError::ChangeTargetMismatch
    );
    let ramp = {
        let group = ctx.accounts.group.load()?;
        pending.check_due(&group, now)?;
        group.maint_ramp()
    };
    let checked = {
        let bank = ctx.accounts.bank.load()?;
        require!(
            bank.config()? == change.base && bank.oracle == change.base_oracle,
            CrossMarginError::ChangeStale
        );
        bank_change::check(
            &ctx.accounts.group,
            &bank,
            &change.config,
            &ctx.accounts.oracle,
            ctx.remaining_accounts,
            ctx.program_id,
            now,
        )?
    };
    let mut bank = ctx.accounts.bank.load_mut()?;
    bank_change::write(
        ctx.accounts.bank.key(),
        &mut bank,
        &change.config,
        change.oracle,
        &checked,
        ramp,
        now,
    )?;
    emit!(ChangeApplied {
        group: pending.group,
        change: pending.key(),
        target: pending.target,
        change_id: pending.change_id,
    });
    Ok(())
}
