use super::bank_register::check_oracle;
use crate::bank_list::check_config_against_group;
use crate::error::CrossMarginError;
use crate::events::BankConfigured;
use crate::state::{Bank, BankConfig, Group};
use anchor_lang::prelude::*;

/// Replace a bank's risk, fee and oracle settings. **Admin only** (`has_one = admin`, and
/// the bank must belong to the admin's group). The full config is validated exactly as in
/// `bank_register`, including against every other bank of the group (`remaining_accounts`
/// = all other banks, see `bank_list`). A different oracle account becomes the bank's oracle
/// after the same owner/format/canonical-address/price checks; passing the bank's current
/// oracle keeps it without re-validating its price, so the admin can tighten a bank during
/// that oracle's outage. Interest is accrued under
/// the old curve first, so a rate change never applies retroactively.
#[derive(Accounts)]
pub struct BankEdit<'info> {
    pub admin: Signer<'info>,
    #[account(has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
    #[account(mut, has_one = group @ CrossMarginError::GroupMismatch)]
    pub bank: AccountLoader<'info, Bank>,
    /// CHECK: owner, format and price validated by `check_oracle`.
    pub oracle: UncheckedAccount<'info>,
}

pub fn bank_edit<'info>(ctx: Context<'info, BankEdit<'info>>, config: BankConfig) -> Result<()> {
    config.validate()?;
    let (token_index, same_oracle) = {
        let bank = ctx.accounts.bank.load()?;
        let same = bank.oracle == ctx.accounts.oracle.key()
            && bank.oracle_kind == config.oracle_kind as u8;
        (bank.token_index, same)
    };
    // A new oracle must be valid now; the bank's own oracle is not re-validated, so the
    // admin can still act (reduce-only, limits, weights) during that oracle's outage.
    let checked = if same_oracle {
        None
    } else {
        Some(check_oracle(&ctx.accounts.oracle, &config)?)
    };
    check_config_against_group(
        &ctx.accounts.group,
        token_index,
        &config,
        ctx.remaining_accounts,
        true,
        ctx.program_id,
    )?;
    let now = Clock::get()?.unix_timestamp;
    let mut bank = ctx.accounts.bank.load_mut()?;
    bank.accrue_interest(now)?;
    bank.apply_config(&config);
    if let Some((feed_id, price)) = checked {
        bank.oracle = ctx.accounts.oracle.key();
        bank.oracle_feed_id = feed_id;
        // The old feed's last price says nothing about the new one.
        bank.last_valid_publish_time = i64::MIN;
        bank.record_valid_price(&price);
    }
    emit!(BankConfigured {
        group: bank.group,
        bank: ctx.accounts.bank.key(),
        token_index: bank.token_index,
        mint: bank.mint,
        oracle: bank.oracle,
        created: false,
    });
    Ok(())
}
