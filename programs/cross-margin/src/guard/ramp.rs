//! Maint weight ramps: a tightened maint weight moves linearly from its old value to the new
//! one over the group's `maint_ramp_secs`, so a tightening cannot make accounts liquidatable
//! in one slot; their owners see it coming and have the ramp's length to add collateral.
//! Loosening needs no ramp (it only makes accounts safer) and applies when it is applied.

use anchor_lang::prelude::*;

/// Stored in `Bank`: where the maint weights ramp from, and when. The targets are the
/// bank's `maint_asset_weight_bps` / `maint_liab_weight_bps`.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MaintRamp {
    pub asset_from_bps: u32,
    pub liab_from_bps: u32,
    pub start: i64,
    pub end: i64,
}

impl MaintRamp {
    /// The weight at `now` on the way from `from` to `to`, rounded towards `from` (the
    /// gentler side).
    pub fn weight(from: u32, to: u32, start: i64, end: i64, now: i64) -> u32 {
        if now >= end || end <= start {
            return to;
        }
        if now <= start {
            return from;
        }
        let (done, total) = ((now - start) as u128, (end - start) as u128);
        let moved = (from.abs_diff(to) as u128 * done / total) as u32;
        if to >= from {
            from + moved
        } else {
            from - moved
        }
    }

    /// Effective `(maint asset, maint liab)` weights at `now` for targets `(asset, liab)`.
    pub fn at(&self, asset: u32, liab: u32, now: i64) -> (u32, u32) {
        (
            Self::weight(self.asset_from_bps, asset, self.start, self.end, now),
            Self::weight(self.liab_from_bps, liab, self.start, self.end, now),
        )
    }

    /// The loosest weights the bank can have from `now` until the ramp ends (for pair
    /// checks): the larger asset weight and the smaller liability weight.
    pub fn loosest(&self, asset: u32, liab: u32, now: i64) -> (u32, u32) {
        let (a, l) = self.at(asset, liab, now);
        (a.max(asset), l.min(liab))
    }

    /// Start a ramp at `now` to new targets, from the weights in force now (`current`).
    /// A target looser than the current weight applies at once.
    pub fn restart(&mut self, current: (u32, u32), target: (u32, u32), now: i64, secs: u32) {
        self.asset_from_bps = current.0.max(target.0);
        self.liab_from_bps = current.1.min(target.1);
        self.start = now;
        self.end = now.saturating_add(secs as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tightening_ramps_and_loosening_is_immediate() {
        let mut r = MaintRamp::default();
        r.restart((9_000, 11_000), (7_000, 12_000), 100, 1_000);
        assert_eq!(r.at(7_000, 12_000, 100), (9_000, 11_000));
        assert_eq!(r.at(7_000, 12_000, 600), (8_000, 11_500));
        assert_eq!(r.at(7_000, 12_000, 1_100), (7_000, 12_000));
        assert_eq!(r.loosest(7_000, 12_000, 600), (8_000, 11_500));
        r.restart((8_000, 11_500), (9_500, 10_500), 600, 1_000);
        assert_eq!(r.at(9_500, 10_500, 600), (9_500, 10_500));
    }

    proptest! {
        /// The weight stays between its endpoints and moves monotonically.
        #[test]
        fn monotone_between_endpoints(from in 0u32..100_000, to in 0u32..100_000,
                                      len in 1i64..1_000_000, a in 0i64..2_000_000, b in 0i64..2_000_000) {
            let (t0, t1) = (a.min(b), a.max(b));
            let w0 = MaintRamp::weight(from, to, 0, len, t0);
            let w1 = MaintRamp::weight(from, to, 0, len, t1);
            prop_assert!(w0 >= from.min(to) && w0 <= from.max(to));
            if to >= from { prop_assert!(w0 <= w1) } else { prop_assert!(w0 >= w1) }
            prop_assert_eq!(MaintRamp::weight(from, to, 0, len, len), to);
        }
    }
}
