//! Compute budget and priority fee arithmetic: pure functions, shared by every backend.
//!
//! A cluster schedules transactions by the fee they pay per compute unit they *request*,
//! so a transaction should request little more than it uses: [`compute_unit_limit`] sizes
//! the request from a simulation plus a margin. The price per unit comes either from the
//! operator (`--priority-fee N`) or from what recently landed transactions touching the
//! same writable accounts paid (`getRecentPrioritizationFees`, [`auto_price`]): a
//! percentile of those fees, capped so a fee spike never drains the fee payer
//! (`--max-priority-fee`).
//!
//! Liquidations race other keepers for the same accounts when prices move, so they bid a
//! higher percentile than routine commands ([`Urgency`]).
//!
//! What the samples are: `getRecentPrioritizationFees` returns, for each of the last 150
//! slots, the *lowest* price a transaction locking those accounts paid in that slot (0 in
//! a slot none did). On quiet accounts most samples are 0, so even the 90th percentile may
//! be 0: an operator who must land in a busy moment sets a floor (`--min-priority-fee`),
//! and the cap bounds what any sample can make it pay.

use std::fmt;
use std::str::FromStr;

/// The most compute units one transaction may request.
pub const MAX_COMPUTE_UNITS: u32 = 1_400_000;
/// Added on top of the simulated units before the margin: the few hundred units the compute
/// budget instructions themselves and account-state drift between simulation and landing
/// may cost.
pub const COMPUTE_UNIT_FLOOR_EXTRA: u32 = 1_000;
/// Default margin over the simulated units, in basis points (20 %).
pub const DEFAULT_COMPUTE_MARGIN_BPS: u32 = 2_000;
/// Default percentile of recent fees for routine commands (admin, user).
pub const ROUTINE_PERCENTILE: u8 = 50;
/// Default percentile of recent fees for liquidations.
pub const LIQUIDATION_PERCENTILE: u8 = 90;
/// Default cap on the price, micro-lamports per compute unit (1 lamport per unit): a
/// 200,000-unit liquidation then pays at most 200,000 lamports (0.0002 SOL) on top of the
/// signature fee.
pub const DEFAULT_MAX_PRIORITY_FEE: u64 = 1_000_000;

/// How urgently a transaction must land: picks the percentile of [`PriorityFee::Auto`].
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Urgency {
    /// User and admin commands, cranks.
    #[default]
    Routine,
    /// Liquidations and bankruptcy resolution: other keepers compete for them.
    Liquidation,
}

/// The compute unit price a transaction offers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PriorityFee {
    /// From recent fees on the transaction's writable accounts: the routine or liquidation
    /// percentile (or the one given), capped.
    Auto { percentile: Option<u8> },
    /// A fixed price in micro-lamports per compute unit (still capped).
    Fixed(u64),
}

impl Default for PriorityFee {
    fn default() -> Self {
        PriorityFee::Auto { percentile: None }
    }
}

impl fmt::Display for PriorityFee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriorityFee::Auto { percentile: None } => f.write_str("auto"),
            PriorityFee::Auto {
                percentile: Some(p),
            } => write!(f, "auto:{p}"),
            PriorityFee::Fixed(n) => write!(f, "{n}"),
        }
    }
}

/// Why a `--priority-fee` value was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid priority fee `{0}`: use `auto`, `auto:<percentile 0-100>` or a price in \
     micro-lamports per compute unit (e.g. 5000)"
)]
pub struct PriorityFeeParseError(pub String);

impl FromStr for PriorityFee {
    type Err = PriorityFeeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || PriorityFeeParseError(s.to_string());
        let t = s.trim();
        if t.eq_ignore_ascii_case("auto") {
            return Ok(PriorityFee::Auto { percentile: None });
        }
        if let Some(p) = t.strip_prefix("auto:") {
            let p: u8 = p.parse().map_err(|_| bad())?;
            return (p <= 100)
                .then_some(PriorityFee::Auto {
                    percentile: Some(p),
                })
                .ok_or_else(bad);
        }
        t.parse::<u64>().map(PriorityFee::Fixed).map_err(|_| bad())
    }
}

/// The `p`-th percentile (nearest rank, 0–100) of `fees`; 0 with no samples.
pub fn percentile(fees: &[u64], p: u8) -> u64 {
    if fees.is_empty() {
        return 0;
    }
    let mut sorted = fees.to_vec();
    sorted.sort_unstable();
    let p = usize::from(p.min(100));
    // Nearest rank: ceil(p/100 · n), at least 1.
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// The price to offer: `fee` resolved against `recent` fees for `urgency`, at least
/// `floor`, and at most `cap` (the cap wins over the floor).
pub fn auto_price(fee: PriorityFee, urgency: Urgency, recent: &[u64], floor: u64, cap: u64) -> u64 {
    let price = match fee {
        PriorityFee::Fixed(n) => n,
        PriorityFee::Auto { percentile: p } => {
            let p = p.unwrap_or(match urgency {
                Urgency::Routine => ROUTINE_PERCENTILE,
                Urgency::Liquidation => LIQUIDATION_PERCENTILE,
            });
            percentile(recent, p)
        }
    };
    price.max(floor).min(cap)
}

/// The compute units to request for a transaction that used `consumed` in simulation:
/// `(consumed + floor) · (1 + margin)`, rounded up, at most [`MAX_COMPUTE_UNITS`].
pub fn compute_unit_limit(consumed: u64, margin_bps: u32) -> u32 {
    let base = consumed.saturating_add(u64::from(COMPUTE_UNIT_FLOOR_EXTRA));
    let with_margin = base
        .saturating_mul(10_000 + u64::from(margin_bps))
        .div_ceil(10_000);
    with_margin.min(u64::from(MAX_COMPUTE_UNITS)) as u32
}

/// Lamports a transaction pays on top of its signature fees: `limit · price / 10^6`,
/// rounded up (as the runtime charges).
pub fn priority_fee_lamports(limit: u32, price_micro_lamports: u64) -> u64 {
    u128::from(limit)
        .saturating_mul(u128::from(price_micro_lamports))
        .div_ceil(1_000_000)
        .min(u128::from(u64::MAX)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_auto_percentiles_and_fixed_prices() {
        assert_eq!(
            "auto".parse::<PriorityFee>(),
            Ok(PriorityFee::Auto { percentile: None })
        );
        assert_eq!(
            "auto:75".parse::<PriorityFee>(),
            Ok(PriorityFee::Auto {
                percentile: Some(75)
            })
        );
        assert_eq!("5000".parse::<PriorityFee>(), Ok(PriorityFee::Fixed(5_000)));
        for bad in ["", "-1", "1.5", "auto:101", "fast", "auto:"] {
            let err = bad.parse::<PriorityFee>().unwrap_err();
            assert!(err.to_string().contains("micro-lamports"), "{err}");
        }
        for s in ["auto", "auto:75", "5000"] {
            assert_eq!(s.parse::<PriorityFee>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let fees = [10, 0, 30, 20, 40];
        assert_eq!(percentile(&fees, 0), 0);
        assert_eq!(percentile(&fees, 50), 20);
        assert_eq!(percentile(&fees, 90), 40);
        assert_eq!(percentile(&fees, 100), 40);
        assert_eq!(percentile(&[], 90), 0);
    }

    #[test]
    fn liquidations_bid_a_higher_percentile_than_routine_commands() {
        let recent: Vec<u64> = (1..=100).collect();
        let auto = PriorityFee::Auto { percentile: None };
        assert_eq!(auto_price(auto, Urgency::Routine, &recent, 0, u64::MAX), 50);
        assert_eq!(
            auto_price(auto, Urgency::Liquidation, &recent, 0, u64::MAX),
            90
        );
        assert_eq!(auto_price(auto, Urgency::Liquidation, &recent, 0, 60), 60);
        assert_eq!(
            auto_price(PriorityFee::Fixed(7), Urgency::Liquidation, &recent, 0, 5),
            5
        );
        // No samples (or all zero): the floor; the cap still wins over it.
        assert_eq!(
            auto_price(auto, Urgency::Liquidation, &[], 1_000, 5_000),
            1_000
        );
        assert_eq!(
            auto_price(auto, Urgency::Liquidation, &[0; 150], 1_000, 500),
            500
        );
    }

    #[test]
    fn the_limit_covers_the_simulation_with_margin_and_never_exceeds_the_maximum() {
        assert_eq!(compute_unit_limit(99_000, 2_000), 120_000);
        assert_eq!(compute_unit_limit(0, 0), COMPUTE_UNIT_FLOOR_EXTRA);
        assert_eq!(compute_unit_limit(1_390_000, 2_000), MAX_COMPUTE_UNITS);
        assert_eq!(priority_fee_lamports(200_000, 1_000_000), 200_000);
        assert_eq!(priority_fee_lamports(1, 1), 1);
    }

    proptest! {
        #[test]
        fn the_price_never_exceeds_the_cap(
            recent in proptest::collection::vec(any::<u64>(), 0..50),
            p in proptest::option::of(0u8..=100),
            fixed in any::<u64>(),
            cap in any::<u64>(),
            floor in any::<u64>(),
            liquidation in any::<bool>(),
        ) {
            let urgency = if liquidation { Urgency::Liquidation } else { Urgency::Routine };
            let auto = auto_price(PriorityFee::Auto { percentile: p }, urgency, &recent, floor, cap);
            prop_assert!(auto <= cap);
            prop_assert!(auto >= floor.min(cap));
            prop_assert!(recent.contains(&auto) || auto == cap || auto == floor);
            prop_assert!(auto_price(PriorityFee::Fixed(fixed), urgency, &recent, floor, cap) <= cap);
        }

        #[test]
        fn percentiles_are_monotone(
            recent in proptest::collection::vec(any::<u64>(), 1..50),
            a in 0u8..=100,
            b in 0u8..=100,
        ) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(percentile(&recent, lo) <= percentile(&recent, hi));
        }

        #[test]
        fn the_limit_is_at_least_the_simulated_units_up_to_the_maximum(
            consumed in 0u64..2_000_000,
            margin in 0u32..20_000,
        ) {
            let limit = u64::from(compute_unit_limit(consumed, margin));
            prop_assert!(limit <= u64::from(MAX_COMPUTE_UNITS));
            prop_assert!(limit >= consumed.min(u64::from(MAX_COMPUTE_UNITS)));
        }
    }
}
