use super::*;
use proptest::prelude::*;

/// SOL-like spot weights (the protocol's defaults are of this order) and perp weights.
const SPOT: Weights = Weights {
    init_asset_bps: 8_000,
    maint_asset_bps: 9_000,
    maint_liab_bps: 11_000,
    init_liab_bps: 12_000,
};
const PERP: Weights = Weights {
    init_asset_bps: 8_000,
    maint_asset_bps: 9_000,
    maint_liab_bps: 11_000,
    init_liab_bps: 12_000,
};
const HEDGE: HedgeWeights = HedgeWeights {
    init_bps: 300,
    maint_bps: 200,
};
const NONE: HedgeWeights = HedgeWeights {
    init_bps: 0,
    maint_bps: 0,
};

fn n(x: f64) -> I80F48 {
    I80F48::from_num(x)
}

/// $100 per SOL in quote-native (10^6) per base-native (10^9): 0.1.
fn price(dollars: f64) -> I80F48 {
    n(dollars * 1e6 / 1e9)
}

/// The margin of the two legs held in separate accounts: each leg alone (no overlap to
/// net), summed.
fn separate(spot: I80F48, perp: I80F48, p: I80F48) -> Health {
    let a = margin_required(spot, &SPOT, I80F48::ZERO, &PERP, &HEDGE, p).unwrap();
    let b = margin_required(I80F48::ZERO, &SPOT, perp, &PERP, &HEDGE, p).unwrap();
    Health {
        init: a.init + b.init,
        maint: a.maint + b.maint,
    }
}

#[test]
fn the_hedge_weights_are_valid_for_these_weights() {
    assert!(HEDGE.valid_for(&SPOT, &PERP));
    // More than a leg pair's combined margin, or init below maint: refused.
    assert!(!HedgeWeights {
        init_bps: 5_000,
        maint_bps: 200
    }
    .valid_for(&SPOT, &PERP));
    assert!(!HedgeWeights {
        init_bps: 100,
        maint_bps: 200
    }
    .valid_for(&SPOT, &PERP));
}

/// X SOL deposited and X SOL short: at least ten times less margin than the same legs in
/// separate accounts, for init and maint.
#[test]
fn a_delta_neutral_account_needs_a_tenth_of_the_margin() {
    let sol = n(10e9);
    let p = price(100.0);
    let hedged = margin_required(sol, &SPOT, -sol, &PERP, &HEDGE, p).unwrap();
    let apart = separate(sol, -sol, p);
    assert!(hedged.maint * 10 <= apart.maint, "{hedged:?} vs {apart:?}");
    assert!(hedged.init * 10 <= apart.init, "{hedged:?} vs {apart:?}");
    // $1,000 of notional: $20 maint and $30 init instead of $200 and $400.
    assert!((hedged.maint - n(20e6)).abs() < n(1.0), "{hedged:?}");
    assert!((apart.maint - n(200e6)).abs() < n(1.0), "{apart:?}");
}

/// The delta-neutral account's health (with the short's quote part: entry at $100) barely
/// moves when SOL moves ±50 %: by the hedge charge's change only, at most 1 % of notional.
#[test]
fn delta_neutral_health_barely_moves_when_the_price_moves_by_half() {
    let sol = n(10e9);
    let entry_quote = n(1_000e6); // the short's quote: +$1,000 received at $100
    let health_at = |dollars: f64| {
        let h = base_exposure_health(sol, &SPOT, -sol, &PERP, &HEDGE, price(dollars)).unwrap();
        h.maint + entry_quote
    };
    let base = health_at(100.0);
    for d in [50.0, 150.0] {
        let moved = (health_at(d) - base).abs();
        // The hedge charge is 2 % of notional, so halving the price moves health by exactly
        // 1 % of the $1,000 ($10), plus the directed rounding's last places.
        assert!(
            moved <= n(10e6) + n(0.001),
            "moved ${} at ${d}",
            moved / n(1e6)
        );
    }
    // Without netting (each leg weighted on its own) the same account's health moves ten
    // times as much: $100 against $10 when SOL halves.
    let unnetted_at = |dollars: f64| {
        let p = price(dollars);
        let spot = base_exposure_health(sol, &SPOT, I80F48::ZERO, &PERP, &HEDGE, p).unwrap();
        let perp = base_exposure_health(I80F48::ZERO, &SPOT, -sol, &PERP, &HEDGE, p).unwrap();
        spot.maint + perp.maint + entry_quote
    };
    let hedged_move = (health_at(50.0) - base).abs();
    let unnetted_move = (unnetted_at(50.0) - unnetted_at(100.0)).abs();
    assert!(
        unnetted_move >= hedged_move * 10,
        "{unnetted_move} vs {hedged_move}"
    );
}

#[test]
fn legs_on_the_same_side_do_not_net() {
    let p = price(100.0);
    assert_eq!(hedged_overlap(n(5.0), n(3.0)), I80F48::ZERO);
    assert_eq!(hedged_overlap(n(-5.0), n(-3.0)), I80F48::ZERO);
    assert_eq!(hedged_overlap(n(-5.0), n(3.0)), n(3.0));
    let with = base_exposure_health(n(5e9), &SPOT, n(3e9), &PERP, &HEDGE, p).unwrap();
    let without = base_exposure_health(n(5e9), &SPOT, n(3e9), &PERP, &NONE, p).unwrap();
    assert_eq!(with, without);
}

#[test]
fn funding_follows_the_skew_and_is_clamped() {
    let p = FundingParams {
        skew_scale_bps: 100,
        max_rate_per_hour_bps: 50,
    };
    assert_eq!(funding_rate_per_hour(0, 0, &p), I80F48::ZERO);
    assert_eq!(funding_rate_per_hour(500, 500, &p), I80F48::ZERO);
    // All long: skew 1, 1 %/h clamped to 0.5 %/h; longs pay.
    assert_eq!(funding_rate_per_hour(1_000, 0, &p), bps(50));
    assert_eq!(funding_rate_per_hour(0, 1_000, &p), -bps(50));
    // 75 % long: skew 0.5, 0.5 %/h.
    assert_eq!(funding_rate_per_hour(750, 250, &p), bps(50));
    assert!(funding_rate_per_hour(600, 400, &p) > 0);
}

proptest! {
    /// Netting never makes an account look healthier than valid weights allow: the hedged
    /// requirement is at most the unhedged one and never negative.
    #[test]
    fn netting_never_raises_the_requirement(
        spot in -1_000_000_000_000i64..1_000_000_000_000,
        perp in -1_000_000_000_000i64..1_000_000_000_000,
        dollars in 1u32..100_000,
    ) {
        let p = price(f64::from(dollars));
        let (s, q) = (I80F48::from_num(spot), I80F48::from_num(perp));
        let hedged = margin_required(s, &SPOT, q, &PERP, &HEDGE, p).unwrap();
        let unhedged = margin_required(s, &SPOT, q, &PERP, &NONE, p).unwrap();
        let apart = separate(s, q, p);
        prop_assert!(hedged.maint <= unhedged.maint.max(apart.maint) + n(1.0));
        prop_assert!(hedged.maint <= apart.maint + n(1.0));
        prop_assert!(hedged.init <= apart.init + n(1.0));
        prop_assert!(hedged.maint >= -n(1.0));
        prop_assert!(hedged.init >= hedged.maint - n(1.0));
    }

    /// The requirement is continuous and, up to a full hedge, monotone (non-increasing) in
    /// the hedge ratio: selling one more unit short never costs margin, and a small change
    /// of ratio changes the requirement by at most the largest weight on that change.
    #[test]
    fn the_requirement_is_continuous_and_monotone_in_the_hedge_ratio(
        spot in 1_000_000i64..1_000_000_000_000,
        r1 in 0u32..=10_000,
        r2 in 0u32..=10_000,
        dollars in 1u32..100_000,
    ) {
        let p = price(f64::from(dollars));
        let s = I80F48::from_num(spot);
        let short = |r: u32| -(s * I80F48::from_num(r) / I80F48::from_num(10_000));
        let (lo, hi) = (r1.min(r2), r1.max(r2));
        let m_lo = margin_required(s, &SPOT, short(lo), &PERP, &HEDGE, p).unwrap();
        let m_hi = margin_required(s, &SPOT, short(hi), &PERP, &HEDGE, p).unwrap();
        // Rounding slack: a few units in the last place of a quote-native amount.
        let slack = n(0.001);
        prop_assert!(m_hi.maint <= m_lo.maint + slack);
        prop_assert!(m_hi.init <= m_lo.init + slack);
        // Lipschitz: |Δ requirement| ≤ |Δ short| × price × (largest weight margin + hedge).
        let dq = (short(hi) - short(lo)).abs();
        let bound = dq * p * bps(10_000) + slack;
        prop_assert!((m_lo.maint - m_hi.maint).abs() <= bound);
        prop_assert!((m_lo.init - m_hi.init).abs() <= bound);
    }

    /// Funding conserves: what the positions owe sums to the pool's side, `(long − short)
    /// × Δindex`, rounded towards the pool by at most one unit in the last place each.
    #[test]
    fn funding_conserves_between_longs_shorts_and_the_pool(
        positions in proptest::collection::vec(-1_000_000_000i64..1_000_000_000, 1..20),
        rate_bps in -50i32..=50,
        dollars in 1u32..100_000,
        dt in 0u64..86_400,
    ) {
        let rate = I80F48::from_num(rate_bps) / I80F48::from_num(10_000);
        let index = accrue_index(I80F48::ZERO, rate, price(f64::from(dollars)), dt).unwrap();
        let owed: I80F48 = positions
            .iter()
            .map(|b| funding_owed(*b, I80F48::ZERO, index).unwrap())
            .sum();
        let net_base: i64 = positions.iter().sum();
        let pool_side = I80F48::from_num(net_base) * index;
        let ulp = I80F48::DELTA * I80F48::from_num(positions.len() as u32 * 2);
        prop_assert!(owed >= pool_side - ulp, "the pool would pay out more than it nets");
        prop_assert!(owed <= pool_side + ulp);
    }

    #[test]
    fn the_rate_is_bounded_and_takes_the_skew_sign(
        long in 0u64..u64::MAX / 2,
        short in 0u64..u64::MAX / 2,
        scale in 0u32..10_000,
        max in 0u32..1_000,
    ) {
        let r = funding_rate_per_hour(long, short, &FundingParams {
            skew_scale_bps: scale,
            max_rate_per_hour_bps: max,
        });
        prop_assert!(r.abs() <= bps(max));
        let sign_ok = match long.cmp(&short) {
            std::cmp::Ordering::Greater => r >= 0,
            std::cmp::Ordering::Less => r <= 0,
            std::cmp::Ordering::Equal => r == 0,
        };
        prop_assert!(sign_ok);
    }
}
