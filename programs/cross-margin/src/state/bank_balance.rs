//! How deposits and withdrawals change a position and its bank's totals.
//!
//! Kept apart from instruction plumbing so the rounding rules can be tested directly:
//! - a deposit repays debt first; debt is charged at `ceil(indexed × borrow_index)` and the
//!   part of a repayment that only partly clears it reduces the debt by `floor(amount / bi)`;
//! - a deposit is credited `floor(amount / deposit_index)`;
//! - a withdrawal debits `ceil(amount / deposit_index)`; a remainder worth less than one
//!   native unit is forfeited to the vault (it could never be withdrawn), freeing the slot;
//! - a borrow adds `ceil((amount + fee) / borrow_index)`, fee = `ceil(amount × bps / 10^4)`.

use super::Bank;
use crate::error::CrossMarginError;
use crate::math::bad_debt::socialise;
use crate::math::interest::BPS;
use crate::math::{rounding, Round, I80F48};
use anchor_lang::prelude::*;

/// What a deposit did.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DepositOutcome {
    pub indexed: I80F48,
    /// Native amount that went to repaying debt.
    pub repaid: u64,
    /// Native amount credited as a new deposit.
    pub deposited: u64,
}

/// What a withdrawal did.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct WithdrawOutcome {
    pub indexed: I80F48,
    /// Native amount taken from the position's deposit.
    pub from_deposit: u64,
    /// Native amount borrowed (excluding the fee).
    pub borrowed: u64,
    pub origination_fee: u64,
}

/// Who moves the balance. A user's own deposit or withdrawal obeys every bank limit; a
/// liquidation only re-assigns existing deposits and debt between two accounts (no tokens
/// move), so reduce-only, deposit/borrow limits, the utilisation cap and the origination
/// fee do not apply to it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Flow {
    User,
    Liquidation,
}

fn ovf<T>(x: Option<T>) -> Result<T> {
    x.ok_or_else(|| CrossMarginError::MathOverflow.into())
}

impl Bank {
    fn add_indexed_deposits(&mut self, delta: I80F48) -> Result<()> {
        let v = ovf(self.indexed_deposits.get().checked_add(delta))?;
        self.indexed_deposits.set(v.max(I80F48::ZERO));
        Ok(())
    }

    fn add_indexed_borrows(&mut self, delta: I80F48) -> Result<()> {
        let v = ovf(self.indexed_borrows.get().checked_add(delta))?;
        self.indexed_borrows.set(v.max(I80F48::ZERO));
        Ok(())
    }

    /// Apply a deposit of `amount` native units to a position holding `indexed`.
    pub fn deposit(&mut self, indexed: I80F48, amount: u64, flow: Flow) -> Result<DepositOutcome> {
        let di = self.deposit_index.get();
        let bi = self.borrow_index.get();
        let mut indexed = indexed;
        let mut remaining = amount;
        let mut repaid = 0;
        if indexed < I80F48::ZERO {
            let debt_indexed = ovf(indexed.checked_neg())?;
            let debt = ovf(rounding::to_native(
                ovf(rounding::mul(debt_indexed, bi, Round::Up))?,
                Round::Up,
            ))?;
            if amount >= debt {
                repaid = debt;
                remaining = amount - debt;
                self.add_indexed_borrows(-debt_indexed)?;
                indexed = I80F48::ZERO;
            } else {
                let cut = ovf(rounding::div(
                    rounding::from_native(amount),
                    bi,
                    Round::Down,
                ))?;
                repaid = amount;
                remaining = 0;
                self.add_indexed_borrows(-cut)?;
                indexed = ovf(indexed.checked_add(cut))?;
            }
        }
        if remaining > 0 {
            let user = flow == Flow::User;
            require!(
                !(user && self.is_reduce_only()),
                CrossMarginError::BankReduceOnly
            );
            // New money would only fund the shortfall of the depositors already in the bank
            // (and a later loss could not be socialised over it).
            require!(
                !(user && self.unrecoverable_bad_debt > 0),
                CrossMarginError::BankInsolvent
            );
            let credit = ovf(rounding::div(
                rounding::from_native(remaining),
                di,
                Round::Down,
            ))?;
            self.add_indexed_deposits(credit)?;
            indexed = ovf(indexed.checked_add(credit))?;
            let (deposits, _) = self.native_totals()?;
            require!(
                !user
                    || self.deposit_limit == u64::MAX
                    || deposits <= rounding::from_native(self.deposit_limit),
                CrossMarginError::DepositLimitExceeded
            );
        }
        Ok(DepositOutcome {
            indexed,
            repaid,
            deposited: remaining,
        })
    }

    /// Apply a withdrawal of `amount` native units from a position holding `indexed`.
    /// Any part beyond the deposit is a borrow, refused unless `allow_borrow`.
    pub fn withdraw(
        &mut self,
        indexed: I80F48,
        amount: u64,
        allow_borrow: bool,
        flow: Flow,
    ) -> Result<WithdrawOutcome> {
        let user = flow == Flow::User;
        let di = self.deposit_index.get();
        let bi = self.borrow_index.get();
        let mut indexed = indexed;
        let mut from_deposit = 0;
        let mut to_borrow = amount;
        if indexed > I80F48::ZERO {
            let available = ovf(rounding::to_native(
                ovf(rounding::mul(indexed, di, Round::Down))?,
                Round::Down,
            ))?;
            if amount <= available {
                let debit =
                    ovf(rounding::div(rounding::from_native(amount), di, Round::Up))?.min(indexed);
                let mut rest = indexed - debit;
                let rest_native = ovf(rounding::mul(rest, di, Round::Down))?;
                if rest_native < I80F48::ONE {
                    rest = I80F48::ZERO; // dust below one native unit goes to the vault
                }
                self.add_indexed_deposits(rest - indexed)?;
                indexed = rest;
                from_deposit = amount;
                to_borrow = 0;
            } else {
                self.add_indexed_deposits(-indexed)?;
                indexed = I80F48::ZERO;
                from_deposit = available;
                to_borrow = amount - available;
            }
        }
        let mut origination_fee = 0;
        if to_borrow > 0 {
            require!(allow_borrow, CrossMarginError::BorrowNotAllowed);
            require!(
                !(user && self.is_reduce_only()),
                CrossMarginError::BankReduceOnly
            );
            let fee_bps = if user {
                self.loan_origination_fee_bps
            } else {
                0
            };
            origination_fee = ovf(u64::try_from(
                (to_borrow as u128 * fee_bps as u128).div_ceil(BPS as u128),
            )
            .ok())?;
            let debt = ovf(to_borrow.checked_add(origination_fee))?;
            let charge = ovf(rounding::div(rounding::from_native(debt), bi, Round::Up))?;
            self.add_indexed_borrows(charge)?;
            indexed = ovf(indexed.checked_sub(charge))?;
            let fees = ovf(self
                .collected_fees
                .get()
                .checked_add(rounding::from_native(origination_fee)))?;
            self.collected_fees.set(fees);
            let (deposits, borrows) = self.native_totals()?;
            require!(
                !user || borrows <= deposits,
                CrossMarginError::InsufficientVaultLiquidity
            );
            require!(
                !user
                    || self.borrow_limit == u64::MAX
                    || borrows <= rounding::from_native(self.borrow_limit),
                CrossMarginError::BorrowLimitExceeded
            );
        }
        Ok(WithdrawOutcome {
            indexed,
            from_deposit,
            borrowed: to_borrow,
            origination_fee,
        })
    }
}

/// How a bankrupt borrow was written off, in native units: `debt = fees_forgone + insured +
/// socialised + unrecoverable`, exactly.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteOff {
    /// The debt, rounded up.
    pub debt: u64,
    /// Covered by the bank's uncollected protocol fees (owed to insurance anyway).
    pub fees_forgone: u64,
    /// To be paid from the insurance vault into the bank's vault.
    pub insured: u64,
    /// Spread over depositors by lowering the deposit index.
    pub socialised: u64,
    /// What depositors could not absorb above the index floor.
    pub unrecoverable: u64,
}

impl Bank {
    /// Write off a bankrupt borrow of `debt_indexed` (> 0, indexed) through the loss
    /// waterfall: the bank's uncollected protocol fees, then up to `insurance` native units
    /// of its insurance vault, then depositors down to the index floor
    /// (`math::bad_debt::socialise`); the rest is recorded as unrecoverable. Updates the
    /// bank's fees, borrows, deposit index and unrecoverable bad debt; the caller zeroes
    /// the position and moves `insured` tokens. `token_resolve_bankruptcy` and the risk
    /// engine both book bad debt with it.
    pub fn write_off(&mut self, debt_indexed: I80F48, insurance: u64) -> Result<WriteOff> {
        let debt = ovf(rounding::to_native(
            ovf(rounding::mul(
                debt_indexed,
                self.borrow_index.get(),
                Round::Up,
            ))?,
            Round::Up,
        ))?;
        let fees = self.collected_fees.get();
        let fees_forgone = debt.min(ovf(rounding::to_native(
            fees.max(I80F48::ZERO),
            Round::Down,
        ))?);
        self.collected_fees
            .set(ovf(fees.checked_sub(rounding::from_native(fees_forgone)))?);
        let insured = (debt - fees_forgone).min(insurance);
        let uninsured = debt - fees_forgone - insured;
        let borrows = ovf(self.indexed_borrows.get().checked_sub(debt_indexed))?;
        self.indexed_borrows.set(borrows.max(I80F48::ZERO));
        let cut = ovf(socialise(
            self.deposit_index.get(),
            self.indexed_deposits.get(),
            uninsured,
        ))?;
        self.deposit_index.set(cut.index_after);
        let unrecoverable = uninsured - cut.socialised;
        self.unrecoverable_bad_debt = ovf(self.unrecoverable_bad_debt.checked_add(unrecoverable))?;
        Ok(WriteOff {
            debt,
            fees_forgone,
            insured,
            socialised: cut.socialised,
            unrecoverable,
        })
    }
}

#[cfg(test)]
mod tests;

impl Bank {
    /// A liquidation's seizure of this bank's token, as every liquidation books it: the
    /// liquidatee (indexed balance `liqee`) gives up `seized` native units, the liquidator
    /// (`liqor`) is credited `to_liquidator`, and the difference (`insurance`, the
    /// insurance share of the fee) stays in the vault as collected fees owed to the
    /// insurance fund. Returns both new indexed balances.
    pub fn seize(
        &mut self,
        liqee: I80F48,
        liqor: I80F48,
        seized: u64,
        to_liquidator: u64,
        insurance: u64,
    ) -> Result<(I80F48, I80F48)> {
        let out = self.withdraw(liqee, seized, false, Flow::Liquidation)?;
        let received = self.deposit(liqor, to_liquidator, Flow::Liquidation)?;
        let fees = self
            .collected_fees
            .get()
            .checked_add(rounding::from_native(insurance))
            .ok_or(CrossMarginError::MathOverflow)?;
        self.collected_fees.set(fees);
        Ok((out.indexed, received.indexed))
    }
}
