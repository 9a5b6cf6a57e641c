use super::*;
use crate::math::I80F48Bytes;
use proptest::prelude::*;

fn bank(di: f64, bi: f64) -> Bank {
    let mut b: Bank = bytemuck::Zeroable::zeroed();
    b.deposit_index = I80F48Bytes::from(I80F48::from_num(di));
    b.borrow_index = I80F48Bytes::from(I80F48::from_num(bi));
    b.deposit_limit = u64::MAX;
    b.borrow_limit = u64::MAX;
    b.loan_origination_fee_bps = 10;
    b
}

/// vault − (deposits − borrows + fees), in native units, as f64.
fn surplus(b: &Bank, vault: u64) -> f64 {
    let (d, bo) = b.native_totals().unwrap();
    vault as f64 - (d - bo + b.collected_fees.get()).to_num::<f64>()
}

#[test]
fn deposit_repays_debt_first() {
    let mut b = bank(1.0, 1.0);
    b.deposit(I80F48::ZERO, 10_000, Flow::User).unwrap(); // another depositor's liquidity
    let d = b.deposit(I80F48::ZERO, 1_000, Flow::User).unwrap();
    let w = b.withdraw(d.indexed, 1_500, true, Flow::User).unwrap();
    assert_eq!(
        (w.from_deposit, w.borrowed, w.origination_fee),
        (1_000, 500, 1)
    );
    assert_eq!(w.indexed, I80F48::from_num(-501));
    let r = b.deposit(w.indexed, 600, Flow::User).unwrap();
    assert_eq!((r.repaid, r.deposited), (501, 99));
    assert_eq!(r.indexed, I80F48::from_num(99));
    assert!(surplus(&b, 10_000 + 1_000 + 600 - 1_500).abs() < 1e-9);
}

#[test]
fn borrow_needs_the_flag_and_a_liquid_bank() {
    let mut b = bank(1.0, 1.0);
    let d = b.deposit(I80F48::ZERO, 100, Flow::User).unwrap();
    assert_eq!(
        b.withdraw(d.indexed, 101, false, Flow::User).unwrap_err(),
        CrossMarginError::BorrowNotAllowed.into()
    );
    // Borrowing more than the bank's deposits is refused.
    assert_eq!(
        b.withdraw(I80F48::ZERO, 200, true, Flow::User).unwrap_err(),
        CrossMarginError::InsufficientVaultLiquidity.into()
    );
}

#[test]
fn limits_and_reduce_only() {
    let mut b = bank(1.0, 1.0);
    b.deposit_limit = 1_000;
    assert!(b.deposit(I80F48::ZERO, 1_000, Flow::User).is_ok());
    let mut c = b;
    assert_eq!(
        c.deposit(I80F48::ZERO, 1, Flow::User).unwrap_err(),
        CrossMarginError::DepositLimitExceeded.into()
    );
    b.borrow_limit = 100;
    assert_eq!(
        { b }
            .withdraw(I80F48::ZERO, 100, true, Flow::User)
            .unwrap_err(),
        CrossMarginError::BorrowLimitExceeded.into(),
        "100 + 1 fee exceeds the limit"
    );
    b.reduce_only = 1;
    assert_eq!(
        { b }.deposit(I80F48::ZERO, 5, Flow::User).unwrap_err(),
        CrossMarginError::BankReduceOnly.into()
    );
    assert_eq!(
        { b }
            .withdraw(I80F48::ZERO, 5, true, Flow::User)
            .unwrap_err(),
        CrossMarginError::BankReduceOnly.into()
    );
    // Repaying in a reduce-only bank is fine.
    b.reduce_only = 0;
    let w = b.withdraw(I80F48::ZERO, 50, true, Flow::User).unwrap();
    b.reduce_only = 1;
    assert!(b.deposit(w.indexed, 10, Flow::User).is_ok());
}

#[test]
fn dust_below_one_native_is_forfeited() {
    let mut b = bank(1.1, 1.0);
    let d = b.deposit(I80F48::ZERO, 10, Flow::User).unwrap();
    // 10 / 1.1 = 9.0909.. indexed = 9.9999.. native: only 9 can be withdrawn.
    assert!(b.withdraw(d.indexed, 10, false, Flow::User).is_err());
    let w = b.withdraw(d.indexed, 9, false, Flow::User).unwrap();
    assert_eq!(w.indexed, I80F48::ZERO);
    assert_eq!(b.indexed_deposits.get(), I80F48::ZERO);
}

proptest! {
    /// Random deposit/withdraw sequences: the vault never holds less than the books say,
    /// and never more than one native unit per operation above them.
    #[test]
    fn vault_invariant_holds(
        di in 1.0f64..2.0, bi in 1.0f64..2.0,
        ops in prop::collection::vec((any::<bool>(), 1u64..1_000_000_000), 1..40),
    ) {
        let mut b = bank(di, bi);
        let mut vault: u64 = 0;
        let mut positions = [I80F48::ZERO; 3];
        for (i, (is_deposit, amount)) in ops.iter().enumerate() {
            let p = &mut positions[i % 3];
            if *is_deposit {
                let o = b.deposit(*p, *amount, Flow::User).unwrap();
                *p = o.indexed;
                vault += amount;
            } else if *amount <= vault {
                // The program checks the vault first. A failed transaction changes
                // nothing: try on a copy.
                let mut trial = b;
                if let Ok(o) = trial.withdraw(*p, *amount, true, Flow::User) {
                    b = trial;
                    *p = o.indexed;
                    vault -= amount;
                }
            }
            let s = surplus(&b, vault);
            prop_assert!(s >= -1e-6, "vault short by {}", s);
            prop_assert!(s <= (i + 1) as f64 + 1e-6, "surplus {} after {} ops", s, i + 1);
            let sum_d: I80F48 = positions.iter().filter(|x| **x > 0).copied().sum();
            let sum_b: I80F48 = positions.iter().filter(|x| **x < 0).map(|x| -*x).sum();
            prop_assert_eq!(sum_d, b.indexed_deposits.get());
            prop_assert_eq!(sum_b, b.indexed_borrows.get());
        }
    }
}
