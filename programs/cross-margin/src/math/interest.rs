//! Utilisation-based interest: the rate curve and the index update it implies.
//!
//! The borrow rate is a piecewise-linear function of utilisation `u = borrows / deposits`
//! through `(0, 0)`, `(util0, rate0)`, `(util1, rate1)` and `(1, max_rate)`: cheap while
//! the bank is liquid, steep past the kinks so depositors can always get out.
//!
//! On every touch the bank grows `borrow_index` by the interest of the elapsed time
//! (rounded up) and passes that interest, minus the protocol's share, to depositors by
//! growing `deposit_index` (rounded down). The protocol's fee is *defined* as the interest
//! borrowers paid minus what depositors received, so `deposits − borrows + fees` is
//! unchanged by an accrual and the vault invariant holds by construction.
//!
//! ## Long idle intervals and headroom
//!
//! Interest compounds in steps of at most [`COMPOUNDING_STEP_SECS`] (one hour): an interval
//! of `n` whole hours plus `s` seconds grows the borrow index by `(1 + r·h)^n · (1 + r·s)`
//! (`h`, `s` as fractions of a year), computed by repeated squaring, so a bank idle for a
//! year costs ~14 multiplications instead of one step of simple interest that would
//! under-charge borrowers (or 8,760 hourly iterations). The rate is the one at the
//! utilisation when the interval starts: nobody moved funds while the bank was idle.
//!
//! Both indices are capped at [`MAX_INDEX`] = 2^15 and the deposit index is floored at
//! [`MIN_DEPOSIT_INDEX`] = 2^-10 (see `token_resolve_bankruptcy`). With the rate capped at
//! [`MAX_RATE_BPS`] (100 %/yr), ten years at the cap compound to at most e^10 ≈ 22,026 <
//! 2^15, so the cap is never reached in ten years; and any indexed total up to 2^64 times an
//! index up to 2^15 stays below 2^79, the range of `I80F48`: no accrual, deposit, repay or
//! withdrawal can overflow, so no reachable bank state freezes. (A 1,000 %/yr cap would
//! need e^100 ≈ 2^144 of headroom for ten years — beyond any 128-bit fixed point.) Past the
//! cap an index stops growing: the excess borrow interest is booked as protocol fees, so the
//! conservation identity above still holds.

use super::rounding::{self, Round};
use fixed::types::I80F48;

pub const SECONDS_PER_YEAR: i64 = 365 * 24 * 60 * 60;
pub const BPS: u32 = 10_000;
/// Highest accepted `max_rate_bps`: 100 %/yr (see the module docs for why not more).
pub const MAX_RATE_BPS: u32 = BPS;
/// Interest compounds at most this often over an idle interval.
pub const COMPOUNDING_STEP_SECS: i64 = 3_600;
/// Ceiling of both indices: 2^15.
pub const MAX_INDEX: I80F48 = I80F48::from_bits(1i128 << (15 + 48));
/// Floor of the deposit index: 2^-10. A socialised loss never cuts the index below it.
pub const MIN_DEPOSIT_INDEX: I80F48 = I80F48::from_bits(1i128 << (48 - 10));

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
    /// Kinks strictly inside (0, 1) and increasing; rates non-decreasing; max ≤ 100 %/yr.
    pub fn is_valid(&self) -> bool {
        0 < self.util0_bps
            && self.util0_bps < self.util1_bps
            && self.util1_bps < BPS
            && self.rate0_bps <= self.rate1_bps
            && self.rate1_bps <= self.max_rate_bps
            && self.max_rate_bps <= MAX_RATE_BPS
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

/// `x × y` rounded up, saturating at [`MAX_INDEX`] (growth factors never need more: the
/// borrow index starts at 1).
fn mul_up_capped(x: I80F48, y: I80F48) -> I80F48 {
    rounding::mul(x, y, Round::Up).map_or(MAX_INDEX, |v| v.min(MAX_INDEX))
}

/// Growth factor of an index at annual `rate` over `elapsed_secs` (> 0), compounding every
/// [`COMPOUNDING_STEP_SECS`]; rounded up (the borrower's side) and capped at [`MAX_INDEX`].
pub fn compounded_growth(rate: I80F48, elapsed_secs: i64) -> Option<I80F48> {
    let year = I80F48::from_num(SECONDS_PER_YEAR);
    let per = |secs: i64| -> Option<I80F48> {
        let g = rounding::div(
            rounding::mul(rate, I80F48::from_num(secs), Round::Up)?,
            year,
            Round::Up,
        )?;
        I80F48::ONE.checked_add(g)
    };
    let steps = elapsed_secs.max(0) / COMPOUNDING_STEP_SECS;
    let rest = elapsed_secs.max(0) % COMPOUNDING_STEP_SECS;
    let mut result = per(rest)?;
    let mut base = per(COMPOUNDING_STEP_SECS)?;
    let mut n = steps;
    while n > 0 {
        if n & 1 == 1 {
            result = mul_up_capped(result, base);
        }
        n >>= 1;
        if n == 0 || result >= MAX_INDEX {
            break;
        }
        base = mul_up_capped(base, base);
    }
    Some(result.min(MAX_INDEX))
}

/// Accrue `elapsed_secs` of interest. `indexed_*` are the bank's totals of indexed balances.
/// Returns `None` only on arithmetic overflow, which the index caps rule out for totals up
/// to 2^64 (module docs).
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
    let growth = compounded_growth(rate, elapsed_secs)?;
    let new_borrow_index = mul_up_capped(borrow_index, growth).max(borrow_index);
    let interest = rounding::mul(indexed_borrows, new_borrow_index - borrow_index, Round::Up)?;
    // interest × (1 − fee): an exact 256-bit product, then one division rounded down.
    let kept_bps = (BPS - protocol_fee_bps.min(BPS)) as u128;
    let (hi, lo) = super::wide::mul_u128(u128::try_from(interest.to_bits()).ok()?, kept_bps);
    let (share_bits, _) = super::wide::div_256(hi, lo, BPS as u128)?;
    let depositor_share = I80F48::from_bits(i128::try_from(share_bits).ok()?);
    let new_deposit_index = if indexed_deposits > I80F48::ZERO {
        let raised = rounding::div(depositor_share, indexed_deposits, Round::Down)
            .and_then(|d| deposit_index.checked_add(d))
            .unwrap_or(MAX_INDEX);
        raised.min(MAX_INDEX).max(deposit_index)
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
        // 5 %/yr compounded hourly for a year: (1 + 0.05/8760)^8760.
        let compounded = (1.0f64 + 0.05 / 8_760.0).powi(8_760);
        assert!(close(a.borrow_index, compounded, 1e-9));
        // Depositors receive 90 % of the interest on 500,000 native.
        let interest = 500_000.0 * (compounded - 1.0);
        assert!(close(a.deposit_index, 1.0 + 0.9 * interest / 1e6, 1e-9));
        assert!(close(a.fee_native, 0.1 * interest, 1e-3));
    }

    #[test]
    fn the_documented_rate_cap_is_the_accepted_one() {
        let mut c = curve();
        c.max_rate_bps = MAX_RATE_BPS;
        assert!(c.is_valid());
        c.max_rate_bps = MAX_RATE_BPS + 1;
        assert!(!c.is_valid(), "above 100 %/yr must be refused");
    }

    /// Hole 8: ten years at the cap rate and 100 % utilisation, with totals of 2^63 native
    /// units, accrued hourly (the worst case: a crank every hour) and in one step: no
    /// overflow, indices below the cap, and repay and withdraw maths still work at the end.
    #[test]
    fn ten_years_at_the_cap_rate_leave_headroom() {
        let c = InterestCurve {
            max_rate_bps: MAX_RATE_BPS,
            rate1_bps: MAX_RATE_BPS,
            ..curve()
        };
        let total = I80F48::from_num(1u128 << 63);
        let ten_years = 10 * SECONDS_PER_YEAR;
        let one_step =
            accrue(&c, 1_000, total, total, I80F48::ONE, I80F48::ONE, ten_years).expect("one step");
        let (mut di, mut bi) = (I80F48::ONE, I80F48::ONE);
        for _ in 0..(ten_years / COMPOUNDING_STEP_SECS) {
            let a = accrue(&c, 1_000, total, total, di, bi, COMPOUNDING_STEP_SECS)
                .expect("hourly step");
            (di, bi) = (a.deposit_index, a.borrow_index);
        }
        for index in [bi, one_step.borrow_index] {
            assert!(
                index < MAX_INDEX,
                "index {index} reached the cap in ten years"
            );
            assert!(close(index, 10f64.exp(), 25.0), "index {index}");
            // Native totals and a full repay of the whole book still fit.
            let native = rounding::mul(total, index, Round::Up).expect("native total fits");
            assert!(native > total);
        }
        assert!(di <= bi);
    }

    /// Past the cap the index stops at it instead of overflowing: a century at 100 %/yr.
    #[test]
    fn indices_saturate_at_the_cap() {
        let c = InterestCurve {
            max_rate_bps: MAX_RATE_BPS,
            rate1_bps: MAX_RATE_BPS,
            ..curve()
        };
        let total = I80F48::from_num(1u64 << 40);
        let a = accrue(
            &c,
            0,
            total,
            total,
            I80F48::ONE,
            I80F48::ONE,
            100 * SECONDS_PER_YEAR,
        )
        .expect("no overflow");
        assert_eq!(a.borrow_index, MAX_INDEX);
        assert!(a.deposit_index <= MAX_INDEX);
        // A tiny deposit base under a huge borrow book: the deposit index is capped too.
        let a = accrue(
            &c,
            0,
            I80F48::from_num(1e-6),
            total,
            I80F48::ONE,
            I80F48::ONE,
            3_600,
        )
        .expect("no overflow");
        assert_eq!(a.deposit_index, MAX_INDEX);
        assert!(a.fee_native >= I80F48::ZERO);
    }

    #[test]
    fn compounding_over_whole_hours_matches_hourly_steps() {
        let rate = I80F48::from_num(0.37);
        let once = compounded_growth(rate, 5 * 3_600 + 17).unwrap();
        let mut stepped = I80F48::ONE;
        for _ in 0..5 {
            stepped =
                rounding::mul(stepped, compounded_growth(rate, 3_600).unwrap(), Round::Up).unwrap();
        }
        stepped = rounding::mul(stepped, compounded_growth(rate, 17).unwrap(), Round::Up).unwrap();
        assert!(
            (once - stepped).abs() <= I80F48::from_num(1e-12),
            "{once} vs {stepped}"
        );
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

        /// Growth is ≥ 1, never above the cap, monotone in time and in the rate, and never
        /// below simple interest over the same interval.
        #[test]
        fn growth_is_monotone_and_bounded(
            rate_bps in 0u32..=MAX_RATE_BPS,
            dt in 0i64..(20 * SECONDS_PER_YEAR),
            extra in 0i64..100_000,
        ) {
            let rate = I80F48::from_num(rate_bps) / I80F48::from_num(BPS);
            let g = compounded_growth(rate, dt).unwrap();
            prop_assert!(g >= I80F48::ONE && g <= MAX_INDEX);
            prop_assert!(compounded_growth(rate, dt + extra).unwrap() >= g);
            let faster = rate + I80F48::from_num(0.01);
            prop_assert!(compounded_growth(faster, dt).unwrap() >= g);
            let simple = I80F48::ONE + rate * I80F48::from_num(dt) / I80F48::from_num(SECONDS_PER_YEAR);
            prop_assert!(g >= simple.min(MAX_INDEX) - I80F48::from_num(1e-9));
        }
    }
}
