use crate::bank_change::{self, first_loosening_field};
use crate::error::CrossMarginError;
use crate::state::{
    Bank, BankChange, BankConfig, ChangeKind, Group, NewChange, PendingChange, CHANGE_SEED,
};
use anchor_lang::prelude::*;

/// Queue a bank settings change behind the group's timelock. **Admin only**; the admin pays
/// the `PendingChange` rent (returned when it is applied or cancelled).
///
/// `change_id` must be the group's `change_count` (the PDA `["change", group, change_id]`).
/// `oracle` is the bank's oracle or the new one. The change is checked now exactly as it
/// will be when applied (`bank_change::check`: valid config, loosening within one step per
/// change, new oracle canonical and valid, every pair with the other banks liquidatable:
/// `remaining_accounts` = all other banks), so a change that could never apply is refused
/// at once. It may be applied by anyone from `now + timelock` (at once during setup), and
/// only if the bank's settings are still the ones it was queued against.
#[derive(Accounts)]
#[instruction(change_id: u64)]
pub struct BankQueueEdit<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
    #[account(has_one = group @ CrossMarginError::GroupMismatch)]
    pub bank: AccountLoader<'info, Bank>,
    /// CHECK: the bank's oracle or the new one, validated by `bank_change::check`.
    pub oracle: UncheckedAccount<'info>,
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

pub fn bank_queue_edit<'info>(
    ctx: Context<'info, BankQueueEdit<'info>>,
    change_id: u64,
    config: BankConfig,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (base, base_oracle, loosens) = {
        let bank = ctx.accounts.bank.load()?;
        let base = bank.config()?;
        let oracle = ctx.accounts.oracle.key();
        require!(
            base != config || bank_change::oracle_changes(&bank, &oracle, &config),
            CrossMarginError::ChangeEmpty
        );
        bank_change::check(
            &ctx.accounts.group,
            &bank,
            &config,
            &ctx.accounts.oracle,
            ctx.remaining_accounts,
            ctx.program_id,
            now,
        )?;
        let loosens = first_loosening_field(&bank, &oracle, &config)?;
        (base, bank.oracle, loosens)
    };
    let mut group = ctx.accounts.group.load_mut()?;
    let new = NewChange {
        key: ctx.accounts.change.key(),
        group: ctx.accounts.group.key(),
        target: ctx.accounts.bank.key(),
        payer: ctx.accounts.admin.key(),
        bump: ctx.bumps.change,
        change: ChangeKind::Bank(BankChange {
            base,
            base_oracle,
            config,
            oracle: ctx.accounts.oracle.key(),
        }),
        loosens,
    };
    ctx.accounts
        .change
        .record(&mut group, change_id, new, now)?;
    Ok(())
}
