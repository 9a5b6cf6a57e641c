use crate::bank_change::{self, first_loosening_field};
use crate::error::CrossMarginError;
use crate::state::{Bank, BankConfig, Group};
use anchor_lang::prelude::*;

/// Change a bank's settings at once. **Admin only** (`has_one = admin`, and the bank must
/// belong to the admin's group).
///
/// On a live group only changes that **tighten** apply here (lower asset weights, higher
/// liability weights, lower limits, reduce-only on, ...: `guard::classify`); a change with
/// any loosening field, or a new oracle, fails with `LooseningNeedsTimelock` naming the field
/// and must go through `bank_queue_edit`. A tightened maint weight ramps linearly to its
/// target over the group's `maint_ramp_secs`, so no account becomes liquidatable in one
/// slot. During the group's setup phase everything applies at once.
///
/// The config is validated as in `bank_register`, including against every other bank of
/// the group (`remaining_accounts` = all other banks, see `bank_list`). Passing the bank's
/// current oracle keeps it without re-validating its price, so the admin can tighten a
/// bank during that oracle's outage. Interest is accrued under the old curve first.
#[derive(Accounts)]
pub struct BankEdit<'info> {
    pub admin: Signer<'info>,
    #[account(has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
    #[account(mut, has_one = group @ CrossMarginError::GroupMismatch)]
    pub bank: AccountLoader<'info, Bank>,
    /// CHECK: the bank's oracle, or a new one (only during setup) validated by `check_oracle`.
    pub oracle: UncheckedAccount<'info>,
}

pub fn bank_edit<'info>(ctx: Context<'info, BankEdit<'info>>, config: BankConfig) -> Result<()> {
    // Inconsistent values are named as such before any question of timelocks.
    config.validate()?;
    let now = Clock::get()?.unix_timestamp;
    let (live, ramp) = {
        let group = ctx.accounts.group.load()?;
        (group.is_live(), group.maint_ramp())
    };
    let checked = {
        let bank = ctx.accounts.bank.load()?;
        if live {
            if let Some(field) = first_loosening_field(&bank, ctx.accounts.oracle.key, &config)? {
                msg!("{} loosens risk: queue it with bank_queue_edit", field);
                return err!(CrossMarginError::LooseningNeedsTimelock);
            }
        }
        bank_change::check(
            &ctx.accounts.group,
            &bank,
            &config,
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
        &config,
        ctx.accounts.oracle.key(),
        &checked,
        ramp,
        now,
    )?;
    Ok(())
}
