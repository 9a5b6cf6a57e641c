//! Utilisation-based interest: the rate curve and the index update it implies.
//!
//! The borrow rate is a piecewise-linear function of utilisation `u = borrows / deposits`
//! through `(0, 0)`, `(util0, rate0)`, `(util1, rate1)` and `(1, max_rate)`: cheap while
//! the bank is liquid, steep past the kinks so depositors can always get out.
//!
//! On every touch the bank grows `borrow_index` by `rate × Δt / year` (rounded up) and
//! passes the resulting interest, minus the protocol's share, to depositors by growing
//! `deposit_index` (rounded down). The protocol's fee is *defined* as the interest
//! borrowers paid minus what depositors received, so `deposits − borrows + fees` is
//! unchanged by an accrual and the vault invariant holds by construction.

use super::rounding::{self, Round};
use fixed::types::I80F48;

pub const SECONDS_PER_YEAR: i64 = 365 * 24 * 60 * 60;
pub const BPS: u32 = 10_000;

/// Annual borrow rate curve, every point in basis points (1 bps = 0.01 %).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct InterestCurve {
    pub util0_bps: u32,
    pub rate0_bps: u32,
    pub util1_bps: u32,
    pub rate1_bps: u32,
    pub max_rate_bps: u32,
}

/// What an accrual changes on a bank.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Accrual {
    pub deposit_index: I80F48,
    pub borrow_index: I80F48,
    /// Protocol fee earned by this accrual, in native units (≥ 0).
    pub fee_native: I80F48,
    /// The annual borrow rate applied, as a fraction.
    pub borrow_rate: I80F48,
}

fn bps(x: u32) -> I80F48 {
    I80F48::from_num(x) / I80F48::from_num(BPS)
}

impl InterestCurve {
    /// Kinks strictly inside (0, 1) and increasing; rates non-decreasing; max ≤ 1,000 %/yr.
    pub fn is_valid(&self) -> bool {
        0 < self.util0_bps
            && self.util0_bps < self.util1_bps
            && self.util1_bps < BPS
            && self.rate0_bps <= self.rate1_bps
            && self.rate1_bps <= self.max_rate_bps
            && self.max_rate_bps <= 100 * BPS
    }

    /// Annual borrow rate at `utilization` (clamped to [0, 1]), as a fraction, rounded up
    /// (the borrower's side). Each segment is evaluated as one exact weighted sum in basis
    /// points followed by a single rounded division.
    pub fn borrow_rate(&self, utilization: I80F48) -> I80F48 {
        let bps_one = I80F48::from_num(BPS);
        // Utilisation in basis points; exact (an integer multiple of a fixed value).
        let u = utilization.clamp(I80F48::ZERO, I80F48::ONE) * bps_one;
        let points = [
            (0, 0),
            (self.util0_bps, self.rate0_bps),
            (self.util1_bps, self.rate1_bps),
            (BPS, self.max_rate_bps),
        ];
        for pair in points.windows(2) {
            let ((u0, r0), (u1, r1)) = (pair[0], pair[1]);
            let (u0f, u1f) = (I80F48::from_num(u0), I80F48::from_num(u1));
            if u <= u1f && u1 > u0 {
                // (r0·(u1 − u) + r1·(u − u0)) / ((u1 − u0) · 10⁴): values ≤ 10¹⁰, exact.
                let num = I80F48::from_num(r0) * (u1f - u) + I80F48::from_num(r1) * (u - u0f);
                let den = I80F48::from_num((u1 - u0) as u64 * BPS as u64);
                return rounding::div(num, den, Round::Up).unwrap_or(I80F48::ZERO);
            }
        }
        bps(self.max_rate_bps)
    }
}

/// Accrue `elapsed_secs` of interest. `indexed_*` are the bank's totals of indexed balances.
/// Returns `None` only on arithmetic overflow.
pub fn accrue(
    curve: &InterestCurve,
    protocol_fee_bps: u32,
    indexed_deposits: I80F48,
    indexed_borrows: I80F48,
    deposit_index: I80F48,
    borrow_index: I80F48,
    elapsed_secs: i64,
) -> Option<Accrual> {
    let unchanged = Accrual {
        deposit_index,
        borrow_index,
        fee_native: I80F48::ZERO,
        borrow_rate: I80F48::ZERO,
    };
    if elapsed_secs <= 0 || indexed_borrows <= I80F48::ZERO {
        return Some(unchanged);
    }
    let deposits = rounding::mul(
        indexed_deposits.max(I80F48::ZERO),
        deposit_index,
        Round::Down,
    )?;
    let borrows = rounding::mul(indexed_borrows, borrow_index, Round::Up)?;
    let utilization = if deposits <= I80F48::ZERO {
        I80F48::ONE
    } else {
        rounding::div(borrows, deposits, Round::Up)?.min(I80F48::ONE)
    };
    let rate = curve.borrow_rate(utilization);
    let growth = rounding::div(
        rounding::mul(rate, I80F48::from_num(elapsed_secs), Round::Up)?,
        I80F48::from_num(SECONDS_PER_YEAR),
        Round::Up,
    )?;
    let new_borrow_index =
        borrow_index.checked_add(rounding::mul(borrow_index, growth, Round::Up)?)?;
    let interest = rounding::mul(indexed_borrows, new_borrow_index - borrow_index, Round::Up)?;
    // interest × (1 − fee): an exact integer multiple, then one division rounded down.
    let kept_bps = I80F48::from_num(BPS - protocol_fee_bps.min(BPS));
    let depositor_share = rounding::div(
        interest.checked_mul(kept_bps)?,
        I80F48::from_num(BPS),
        Round::Down,
    )?;
    let new_deposit_index = if indexed_deposits > I80F48::ZERO {
        deposit_index.checked_add(rounding::div(
            depositor_share,
            indexed_deposits,
            Round::Down,
        )?)?
    } else {
        deposit_index
    };
    let paid_to_depositors = if indexed_deposits > I80F48::ZERO {
        rounding::mul(
            indexed_deposits,
            new_deposit_index - deposit_index,
            Round::Down,
        )?
    } else {
        I80F48::ZERO
    };
    Some(Accrual {
        deposit_index: new_deposit_index,
        borrow_index: new_borrow_index,
        fee_native: interest.checked_sub(paid_to_depositors)?,
        borrow_rate: rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn curve() -> InterestCurve {
        InterestCurve {
            util0_bps: 5_000,
            rate0_bps: 500,
            util1_bps: 8_000,
            rate1_bps: 2_000,
            max_rate_bps: 10_000,
        }
    }

    fn close(a: I80F48, b: f64, tol: f64) -> bool {
        (a.to_num::<f64>() - b).abs() <= tol
    }

    #[test]
    fn curve_points() {
        let c = curve();
        assert!(c.is_valid());
        assert_eq!(c.borrow_rate(I80F48::ZERO), I80F48::ZERO);
        assert!(close(c.borrow_rate(I80F48::from_num(0.25)), 0.025, 1e-12));
        assert!(close(c.borrow_rate(I80F48::from_num(0.5)), 0.05, 1e-12));
        assert!(close(c.borrow_rate(I80F48::from_num(0.65)), 0.125, 1e-12));
        assert!(close(c.borrow_rate(I80F48::from_num(0.9)), 0.6, 1e-12));
        assert!(close(c.borrow_rate(I80F48::ONE), 1.0, 1e-12));
        assert!(close(c.borrow_rate(I80F48::from_num(3)), 1.0, 1e-12));
        let mut bad = c;
        bad.util1_bps = bad.util0_bps;
        assert!(!bad.is_valid());
        bad = c;
        bad.rate0_bps = bad.rate1_bps + 1;
        assert!(!bad.is_valid());
    }

    #[test]
    fn one_year_at_half_utilisation() {
        let one = I80F48::ONE;
        let a = accrue(
            &curve(),
            1_000,
            I80F48::from_num(1_000_000),
            I80F48::from_num(500_000),
            one,
            one,
            SECONDS_PER_YEAR,
        )
        .unwrap();
        assert!(close(a.borrow_index, 1.05, 1e-12));
        // Depositors receive 90 % of 25,000 native of interest.
        assert!(close(a.deposit_index, 1.0225, 1e-12));
        assert!(close(a.fee_native, 2_500.0, 1e-6));
    }

    proptest! {
        /// Indices never fall, borrowers pay at least what depositors get, and
        /// deposits − borrows + fees is unchanged by an accrual (to rounding).
        #[test]
        fn accrual_conserves_value(
            deposits in 1u64..1_000_000_000_000,
            util_bps in 0u32..=10_000,
            fee_bps in 0u32..=10_000,
            dt in 0i64..(3 * SECONDS_PER_YEAR),
            di in 1.0f64..3.0,
            bi in 1.0f64..3.0,
        ) {
            let di = I80F48::from_num(di);
            let bi = I80F48::from_num(bi);
            let idx_d = I80F48::from_num(deposits);
            let idx_b = I80F48::from_num(deposits as u128 * util_bps as u128 / 10_000) * di / bi;
            let a = accrue(&curve(), fee_bps, idx_d, idx_b, di, bi, dt).unwrap();
            prop_assert!(a.deposit_index >= di);
            prop_assert!(a.borrow_index >= bi);
            prop_assert!(a.fee_native >= I80F48::ZERO);
            let before = idx_d * di - idx_b * bi;
            let after = idx_d * a.deposit_index - idx_b * a.borrow_index + a.fee_native;
            prop_assert!((after - before).abs() <= I80F48::from_num(0.001));
        }
    }
}
