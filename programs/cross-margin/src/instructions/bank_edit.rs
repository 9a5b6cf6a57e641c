use super::bank_register::check_oracle;
use crate::error::CrossMarginError;
use crate::events::BankConfigured;
use crate::state::{Bank, BankConfig, Group};
use anchor_lang::prelude::*;

/// Replace a bank's risk, fee and oracle settings. **Admin only** (`has_one = admin`, and
/// the bank must belong to the admin's group). The full config is validated exactly as in
/// `bank_register`, and the oracle account passed becomes the bank's oracle after the same
/// owner/format checks. Interest is accrued under the old curve first, so a rate change
/// never applies retroactively.
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

pub fn bank_edit(ctx: Context<BankEdit>, config: BankConfig) -> Result<()> {
    config.validate()?;
    let feed_id = check_oracle(&ctx.accounts.oracle, &config)?;
    let now = Clock::get()?.unix_timestamp;
    let mut bank = ctx.accounts.bank.load_mut()?;
    bank.accrue_interest(now)?;
    bank.apply_config(&config);
    bank.oracle = ctx.accounts.oracle.key();
    bank.oracle_feed_id = feed_id;
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
