//! The stable price: a slow companion of the oracle that a brief manipulation cannot move.
//!
//! Two stages, both pure integer arithmetic on the oracle's mantissa (same exponent):
//!
//! 1. **Delayed price.** Time is cut into intervals of [`DELAY_INTERVAL_SECS`]. Each
//!    observed oracle price is assumed to hold until the next observation, and the
//!    time-weighted average over the current interval is accumulated; when an interval
//!    ends, its average becomes the `delay_price`. A price pushed for a few slots weighs a
//!    few slots out of an hour, and only after the hour is over.
//! 2. **Rate limit.** The stable price moves towards the delayed price by at most a factor
//!    `1 + g·dt` per update, `g` the bank's growth limit per hour, `dt` the seconds since
//!    the last update (capped at one interval, [`MAX_STEP_SECS`]): up to ×(1 + g·dt) or
//!    ÷(1 + g·dt).
//!
//! Init health values assets at `min(oracle, stable)` and liabilities at
//! `max(oracle, stable)`, so a pumped oracle cannot be borrowed against; maint health and
//! liquidation use the oracle alone, so they follow the market (see `health::engine`).
//! The **breaker** compares the two: while they differ by more than the bank's band the bank
//! is borrow-reduce-only (`state::Bank::breaker_tripped`).

use crate::health::InitPrices;
use anchor_lang::prelude::*;

/// Length of one delay interval.
pub const DELAY_INTERVAL_SECS: i64 = 3_600;
/// One update moves the stable price by at most one interval's growth, however long the bank
/// sat idle: otherwise a single spike observed before a quiet day (which then becomes the
/// delayed price) could move it many times the hourly bound at the next touch.
pub const MAX_STEP_SECS: i64 = DELAY_INTERVAL_SECS;
const HOUR_BPS: u128 = 3_600 * 10_000;

/// Stored in `Bank`; all prices are oracle mantissas at `expo` (0 = not yet initialised).
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StablePrice {
    /// The stable price.
    pub price: i64,
    /// Time-weighted oracle average of the last complete interval (the stable target).
    pub delay_price: i64,
    /// Time-weighted oracle average of the current interval so far.
    pub interval_average: i64,
    /// The last oracle price observed; assumed to hold until the next observation.
    pub last_oracle: i64,
    pub last_update: i64,
    pub interval_start: i64,
    /// Seconds covered by `interval_average`.
    pub interval_secs: i64,
    pub expo: i32,
    /// 1 while the oracle is outside the breaker band around the stable price.
    pub breaker_tripped: u8,
    pub padding: [u8; 3],
}

impl StablePrice {
    /// Start (or restart, for a new oracle or exponent) at `price`.
    pub fn reset(&mut self, price: i64, expo: i32, now: i64) {
        *self = StablePrice {
            price,
            delay_price: price,
            interval_average: price,
            last_oracle: price,
            last_update: now,
            interval_start: now,
            interval_secs: 0,
            expo,
            breaker_tripped: self.breaker_tripped,
            padding: [0; 3],
        };
    }

    /// The stable price at `expo`, if it is initialised in that exponent.
    pub fn at_expo(&self, expo: i32) -> Option<i64> {
        (self.price > 0 && self.expo == expo).then_some(self.price)
    }

    /// Observe a validated oracle mantissa at `now`: accumulate the delay average, then move
    /// the stable price towards the delayed price within the growth bound. Returns `None`
    /// only on arithmetic failure (the caller then leaves the model as it was).
    pub fn observe(
        &self,
        oracle: i64,
        expo: i32,
        now: i64,
        growth_bps_per_hour: u32,
    ) -> Option<Self> {
        let mut next = *self;
        if oracle <= 0 {
            return None;
        }
        if self.price <= 0 || self.expo != expo || now < self.last_update {
            next.reset(oracle, expo, now);
            return Some(next);
        }
        let dt = now - self.last_update;
        let mut t = self.last_update;
        let interval_end = self.interval_start.checked_add(DELAY_INTERVAL_SECS)?;
        if now >= interval_end {
            next.accumulate(self.last_oracle, interval_end - t)?;
            let whole = (now - interval_end) / DELAY_INTERVAL_SECS;
            // Later whole intervals saw no observation: the last price held through them.
            next.delay_price = if whole >= 1 {
                self.last_oracle
            } else {
                next.interval_average
            };
            next.interval_start =
                interval_end.checked_add(whole.checked_mul(DELAY_INTERVAL_SECS)?)?;
            next.interval_average = self.last_oracle;
            next.interval_secs = 0;
            t = next.interval_start;
        }
        next.accumulate(self.last_oracle, now - t)?;
        next.price = step_towards(self.price, next.delay_price, dt, growth_bps_per_hour)?;
        next.last_oracle = oracle;
        next.last_update = now;
        Some(next)
    }

    fn accumulate(&mut self, price: i64, secs: i64) -> Option<()> {
        if secs <= 0 {
            return Some(());
        }
        let total = self.interval_secs.checked_add(secs)?;
        let sum = (self.interval_average as u128) * (self.interval_secs as u128)
            + (price as u128) * (secs as u128);
        self.interval_average = i64::try_from(sum / total as u128).ok()?;
        self.interval_secs = total;
        Some(())
    }

    /// Feed a validated oracle mantissa at `now` to the model (growth limit `growth_bps` per
    /// hour) and set the breaker: tripped while the oracle is further than `band_bps` from
    /// the stable price (a band of 0, only in banks created before the guardrails, turns it
    /// off). Returns the breaker's new state when it changed. Banks and perp markets both
    /// keep their stable price through this.
    pub fn track(
        &mut self,
        oracle: i64,
        expo: i32,
        now: i64,
        growth_bps: u32,
        band_bps: u32,
    ) -> Option<bool> {
        if let Some(next) = self.observe(oracle, expo, now, growth_bps) {
            *self = next;
        }
        let tripped = (band_bps != 0 && self.outside_band(oracle, band_bps)) as u8;
        let changed = tripped != self.breaker_tripped;
        self.breaker_tripped = tripped;
        changed.then_some(tripped != 0)
    }

    /// The stable price init health uses under `init` (the worse-of rule), if initialised at
    /// `expo`; `None` under [`InitPrices::Oracle`].
    pub fn for_init(&self, init: InitPrices, expo: i32) -> Option<i64> {
        match init {
            InitPrices::WorseOfOracleAndStable => self.at_expo(expo),
            InitPrices::Oracle => None,
        }
    }

    /// Whether `oracle` differs from the stable price by more than `band_bps` of it.
    pub fn outside_band(&self, oracle: i64, band_bps: u32) -> bool {
        if self.price <= 0 {
            return false;
        }
        let gap = (oracle as i128 - self.price as i128).unsigned_abs();
        gap * 10_000 > self.price as u128 * band_bps as u128
    }
}

/// The growth bound for `dt` seconds: `(numerator, denominator)` of `1 + g·dt`.
pub fn growth_factor(dt: i64, growth_bps_per_hour: u32) -> (u128, u128) {
    let dt = dt.clamp(0, MAX_STEP_SECS) as u128;
    (HOUR_BPS + growth_bps_per_hour as u128 * dt, HOUR_BPS)
}

/// Move `from` towards `target`, by at most ×(1 + g·dt) up or ÷(1 + g·dt) down; the bounds
/// are rounded inwards so the bound is never exceeded.
pub fn step_towards(from: i64, target: i64, dt: i64, growth_bps_per_hour: u32) -> Option<i64> {
    let (num, den) = growth_factor(dt, growth_bps_per_hour);
    let from_u = u128::try_from(from).ok()?;
    let upper = from_u.checked_mul(num)? / den;
    let lower = (from_u.checked_mul(den)?).div_ceil(num);
    let target = u128::try_from(target).ok()?;
    i64::try_from(target.clamp(lower, upper)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn started(price: i64) -> StablePrice {
        let mut s = StablePrice::default();
        s.reset(price, -8, 1_000);
        s
    }

    #[test]
    fn a_short_spike_does_not_move_the_target() {
        let mut s = started(100_000_000);
        // 30 s at 10x in the middle of an hour of 1.0.
        s = s.observe(100_000_000, -8, 1_000 + 1_800, 600).unwrap();
        s = s.observe(1_000_000_000, -8, 1_000 + 1_800, 600).unwrap();
        s = s.observe(100_000_000, -8, 1_000 + 1_830, 600).unwrap();
        s = s.observe(100_000_000, -8, 1_000 + 3_600, 600).unwrap();
        // The interval's average is 1.0 + 9.0 * 30/3600 = 1.075; the stable price moved
        // towards it by at most 6 %/h for the one hour since the spike began.
        assert!(
            (s.delay_price - 107_500_000).abs() <= 1,
            "{}",
            s.delay_price
        );
        assert!(
            s.price <= 106_000_000 && s.price > 100_000_000,
            "{}",
            s.price
        );
        assert!(s.outside_band(1_000_000_000, 2_500));
        assert!(!s.outside_band(110_000_000, 2_500));
    }

    #[test]
    fn a_new_exponent_restarts_the_model() {
        let s = started(100_000_000).observe(1_000, -3, 5_000, 600).unwrap();
        assert_eq!((s.price, s.expo, s.delay_price), (1_000, -3, 1_000));
        assert_eq!(s.at_expo(-8), None);
        assert_eq!(s.at_expo(-3), Some(1_000));
    }

    proptest! {
        /// The stable price never moves by more than a factor 1 + g·dt in one update.
        #[test]
        fn never_moves_faster_than_its_bound(
            start in 1i64..1_000_000_000_000,
            prices in prop::collection::vec((1i64..2_000_000_000_000, 0i64..20_000), 1..40),
            g in 1u32..=10_000,
        ) {
            let mut s = started(start);
            let mut now = 1_000;
            for (p, dt) in prices {
                now += dt;
                let next = s.observe(p, -8, now, g).unwrap();
                let (num, den) = growth_factor(dt, g);
                let (old, new) = (s.price as u128, next.price as u128);
                prop_assert!(new * den <= old * num, "rose too fast {} -> {}", old, new);
                prop_assert!(new * num >= old * den, "fell too fast {} -> {}", old, new);
                s = next;
            }
        }

        /// With a constant oracle the stable price reaches it exactly.
        #[test]
        fn converges_to_a_constant_oracle(
            start in 1_000_000i64..10_000_000_000,
            target in 1_000_000i64..10_000_000_000,
            every in 600i64..7_200,
            g in 600u32..=10_000,
        ) {
            let mut s = started(start);
            let mut now = 1_000;
            s = s.observe(target, -8, now, g).unwrap();
            // A ratio of 10^4 at ≥ 1 % per step takes < 1,000 steps.
            for _ in 0..2_000 {
                now += every;
                s = s.observe(target, -8, now, g).unwrap();
                if s.price == target { break; }
            }
            prop_assert_eq!(s.price, target);
            prop_assert_eq!(s.delay_price, target);
        }
    }
}
