use crate::events::InterestAccrued;
use crate::state::Bank;
use anchor_lang::prelude::*;

/// Accrue a bank's interest up to now. **Permissionless** crank for banks nobody touched
/// lately (every instruction that uses a bank accrues it anyway). Checks only that the
/// account is a `Bank` of this program.
#[derive(Accounts)]
pub struct BankAccrueInterest<'info> {
    #[account(mut)]
    pub bank: AccountLoader<'info, Bank>,
}

pub fn bank_accrue_interest(ctx: Context<BankAccrueInterest>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut bank = ctx.accounts.bank.load_mut()?;
    let accrual = bank.accrue_interest(now)?;
    emit!(InterestAccrued {
        bank: ctx.accounts.bank.key(),
        deposit_index: accrual.deposit_index.to_bits(),
        borrow_index: accrual.borrow_index.to_bits(),
        fee_native: accrual.fee_native.to_bits(),
        borrow_rate: accrual.borrow_rate.to_bits(),
        timestamp: now,
    });
    Ok(())
}
