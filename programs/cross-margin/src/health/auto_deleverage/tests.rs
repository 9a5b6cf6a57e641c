use super::*;
use proptest::prelude::*;

fn n(x: i64) -> I80F48 {
    I80F48::from_num(x)
}

#[test]
fn the_excess_brings_the_ratio_back_to_the_threshold() {
    // Owed $600 against a $1,000 vault, threshold 50 %: pay (600 − 500) / 0.5 = $200,
    // leaving $400 owed against $800.
    assert_eq!(excess(n(600), 1_000, 5_000), Some(200));
    assert_eq!(
        excess(n(500), 1_000, 5_000),
        None,
        "at the threshold: no ADL"
    );
    assert_eq!(excess(n(-50), 1_000, 5_000), None, "traders owe the pool");
    assert_eq!(excess(n(600), 1_000, 10_000), None);
    // An insolvent pool (owes more than it holds) still gets the full amount to pay.
    assert_eq!(excess(n(2_000), 1_000, 5_000), Some(3_000));
}

#[test]
fn a_position_closes_the_share_that_pays_the_excess() {
    // 10 SOL (10¹⁰ units) with $300 of profit; $200 to pay: two thirds of it.
    let units = close_units(10_000_000_000, n(300), 200, u64::MAX).unwrap();
    assert_eq!(units, 6_666_666_667);
    assert_eq!(payout(10_000_000_000, n(300), units), Some(200));
    assert_eq!(payout(10_000_000_000, n(300), units - 1), Some(199));
    // Not enough profit: the whole position; the caller's cap bounds it.
    assert_eq!(close_units(100, n(50), 200, u64::MAX), Some(100));
    assert_eq!(close_units(100, n(50), 200, 7), Some(7));
    assert_eq!(close_units(100, I80F48::from_num(0.5), 200, u64::MAX), None);
}

proptest! {
    /// Paying the excess leaves the pool at or under the threshold, and one unit less
    /// would not.
    #[test]
    fn the_excess_is_minimal_and_sufficient(
        owed in 1i64..1_000_000_000_000,
        vault in 1u64..1_000_000_000_000,
        t in 1u32..10_000,
    ) {
        let within = |x: u64| {
            let left = i128::from(owed) - i128::from(x);
            left * 10_000 <= i128::from(t) * (i128::from(vault) - i128::from(x))
        };
        match excess(n(owed), vault, t) {
            None => prop_assert!(within(0)),
            Some(x) => {
                prop_assert!(x > 0 && within(x));
                prop_assert!(!within(x - 1));
            }
        }
    }

    /// The units closed pay at least the excess unless the whole position (or the cap)
    /// closes, never more units than needed, and the payout never exceeds the profit.
    #[test]
    fn close_units_is_minimal_and_pays_enough(
        base in 1u64..10_000_000_000_000,
        profit in 1i64..10_000_000_000,
        ex in 1u64..20_000_000_000,
        cap in 1u64..u64::MAX,
    ) {
        let pnl = n(profit);
        let units = close_units(base, pnl, ex, cap).unwrap();
        prop_assert!(units <= base && units <= cap);
        let paid = payout(base, pnl, units).unwrap();
        prop_assert!(paid <= profit as u64);
        if units < base && units < cap {
            prop_assert!(paid >= ex);
        }
        if units > 0 && units < base.min(cap) {
            prop_assert!(payout(base, pnl, units - 1).unwrap() < ex);
        }
    }
}

#[test]
fn only_positions_at_least_as_profitable_per_unit_as_their_side_rank_first() {
    // A side of 10 + 30 units holding $40 + $30 = $70: the average is $1.75 a unit.
    let side = n(70);
    assert_eq!(ranks_first(n(40), 10, side, 40), Some(true)); // $4 a unit
    assert_eq!(ranks_first(n(30), 30, side, 40), Some(false)); // $1 a unit
                                                               // One unit of slack, not more: $17 over 10 units passes ($1.8), $15 does not.
    assert_eq!(ranks_first(n(17), 10, side, 40), Some(true));
    assert_eq!(ranks_first(n(15), 10, side, 40), Some(false));
    // A side that is losing on average: any winner may go.
    assert_eq!(ranks_first(n(1), 10, n(-500), 40), Some(true));
}

proptest! {
    /// Whatever the side, its most profitable position per unit always ranks first, even
    /// when the side's aggregate is off from the sum of the positions by a rounding ulp.
    #[test]
    fn the_most_profitable_position_per_unit_always_ranks_first(
        positions in prop::collection::vec((1u64..1_000_000_000_000, -1_000_000_000_000i64..1_000_000_000_000, 0u32..1_000_000), 1..20),
        ulps in -1_000i64..1_000,
    ) {
        let pnl = |(base, whole, frac): (u64, i64, u32)| {
            let _ = base;
            n(whole) + I80F48::from_num(frac) / I80F48::from_num(1_000_000)
        };
        let units: u64 = positions.iter().map(|p| p.0).sum();
        let mut side = positions.iter().fold(I80F48::ZERO, |acc, p| acc + pnl(*p));
        side += I80F48::from_bits(i128::from(ulps));
        let best = positions
            .iter()
            .copied()
            .max_by(|a, b| {
                // pnl_a / base_a vs pnl_b / base_b, exactly: pnl_a × base_b vs pnl_b × base_a.
                let l = pnl(*a).to_num::<f64>() * b.0 as f64;
                let r = pnl(*b).to_num::<f64>() * a.0 as f64;
                l.partial_cmp(&r).unwrap()
            })
            .unwrap();
        prop_assert_eq!(ranks_first(pnl(best), best.0, side, units), Some(true));
    }
}
