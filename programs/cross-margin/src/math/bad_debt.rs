//! Spreading bad debt over depositors, with a floor.
//!
//! When a bankrupt account's debt exceeds the insurance fund, depositors of the bank absorb
//! the rest through a lower deposit index. Cutting the index to zero (or a few ulps) would
//! brick the bank: later deposits divide by it. So the index stops at
//! [`MIN_DEPOSIT_INDEX`], depositors absorb at most what they hold above it, and the caller
//! records the remainder as unrecoverable bad debt.

use super::interest::MIN_DEPOSIT_INDEX;
use super::{rounding, Round, I80F48};

/// How a loss is spread over depositors.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SocialisedLoss {
    /// Native units the depositors absorb (≤ the loss).
    pub socialised: u64,
    pub index_after: I80F48,
}

/// Spread `loss` native units over `indexed_deposits` by cutting the deposit index (rounded
/// against depositors), never below [`MIN_DEPOSIT_INDEX`]: depositors absorb at most what
/// they hold above that floor, rounded down to whole units. Pure; `None` on overflow.
pub fn socialise(index: I80F48, indexed_deposits: I80F48, loss: u64) -> Option<SocialisedLoss> {
    let headroom = index.checked_sub(MIN_DEPOSIT_INDEX)?.max(I80F48::ZERO);
    let capacity = rounding::to_native(
        rounding::mul(indexed_deposits.max(I80F48::ZERO), headroom, Round::Down)?,
        Round::Down,
    )?;
    let socialised = loss.min(capacity);
    if socialised == 0 {
        return Some(SocialisedLoss {
            socialised,
            index_after: index,
        });
    }
    let cut = rounding::div(
        rounding::from_native(socialised),
        indexed_deposits,
        Round::Up,
    )?;
    // capacity ≤ headroom × deposits, so the floor only clips the last rounding ulp.
    let index_after = index.checked_sub(cut)?.max(MIN_DEPOSIT_INDEX);
    Some(SocialisedLoss {
        socialised,
        index_after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hole 4: a loss larger than everything depositors hold stops at the floor and the
    /// rest is unrecoverable; the split is exact.
    #[test]
    fn a_loss_beyond_deposits_stops_at_the_floor() {
        let deposits = I80F48::from_num(1_000_000);
        let cut = socialise(I80F48::ONE, deposits, 5_000_000).unwrap();
        let left = (cut.index_after - MIN_DEPOSIT_INDEX) * deposits;
        assert!(
            cut.index_after >= MIN_DEPOSIT_INDEX && left < I80F48::ONE,
            "{left}"
        );
        // Depositors held 1,000,000 at index 1; above the floor that is 999,023.4 → 999,023.
        assert_eq!(cut.socialised, 999_023);
        assert!(socialise(I80F48::ONE, I80F48::ZERO, 5).unwrap().socialised == 0);
        // At the floor nothing more can be socialised, and nothing breaks.
        let again = socialise(MIN_DEPOSIT_INDEX, deposits, 10).unwrap();
        assert_eq!(
            (again.socialised, again.index_after),
            (0, MIN_DEPOSIT_INDEX)
        );
    }

    proptest! {
        /// The index never falls below the floor, depositors lose at least what is socialised
        /// (never less, so the vault is never short) and less than one unit more, and no more
        /// is socialised than the loss.
        #[test]
        fn socialisation_is_exact_and_floored(
            index in 0.002f64..5.0,
            deposits in 0u64..1_000_000_000_000,
            loss in 0u64..2_000_000_000_000,
        ) {
            let index = I80F48::from_num(index);
            let indexed = I80F48::from_num(deposits);
            let cut = socialise(index, indexed, loss).unwrap();
            prop_assert!(cut.index_after >= MIN_DEPOSIT_INDEX);
            prop_assert!(cut.index_after <= index);
            prop_assert!(cut.socialised <= loss);
            let lost = indexed * (index - cut.index_after);
            prop_assert!(lost >= I80F48::from_num(cut.socialised) - I80F48::from_num(1e-6));
            prop_assert!(lost < I80F48::from_num(cut.socialised) + I80F48::ONE);
            if cut.socialised < loss {
                // Only when depositors are exhausted down to the floor (within a unit).
                let left = indexed * (cut.index_after - MIN_DEPOSIT_INDEX);
                prop_assert!(left < I80F48::from_num(1.000001));
            }
        }
    }
}
