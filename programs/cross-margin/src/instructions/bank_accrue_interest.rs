use crate::events::InterestAccrued;
use crate::health::retriever::bank_price;
use crate::state::Bank;
use anchor_lang::prelude::*;

/// Accrue a bank's interest up to now. **Permissionless** crank for banks nobody touched
/// lately (every instruction that uses a bank accrues it anyway). Checks only that the
/// account is a `Bank` of this program.
///
/// Optional `remaining_accounts[0]`: the bank's oracle. When it is the bank's oracle and its
/// price is valid now, the price is recorded as the bank's last valid price (used to value
/// positions during a later outage) and moves the bank's stable price and breaker
/// (`guard::stable_price`), so an idle bank's stable price keeps up with the market; an
/// invalid price is ignored, never an error, so the crank always accrues.
#[derive(Accounts)]
pub struct BankAccrueInterest<'info> {
    #[account(mut)]
    pub bank: AccountLoader<'info, Bank>,
}

pub fn bank_accrue_interest(ctx: Context<BankAccrueInterest>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut bank = ctx.accounts.bank.load_mut()?;
    let accrual = bank.accrue_interest(now)?;
    if let Some(oracle) = ctx.remaining_accounts.first() {
        if let Ok((_, Ok(price))) = bank_price(&bank, oracle, now) {
            bank.observe_price(ctx.accounts.bank.key(), &price, now);
        }
    }
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
