use super::*;
use crate::state::FREE_TOKEN_INDEX;
use proptest::prelude::*;

/// SOL-like spot weights, `PerpConfig::DEFAULT`'s perp weights and hedge weights.
const SPOT: Weights = Weights {
    init_asset_bps: 8_000,
    maint_asset_bps: 9_000,
    maint_liab_bps: 11_000,
    init_liab_bps: 12_000,
};
const PERP: Weights = Weights {
    init_asset_bps: 9_000,
    maint_asset_bps: 9_500,
    maint_liab_bps: 10_500,
    init_liab_bps: 11_000,
};
const HEDGE: HedgeWeights = HedgeWeights {
    init_bps: 200,
    maint_bps: 100,
};
/// Spot SOL's token index and two perp markets' indices.
const SOL: u16 = 3;
const MKT: u16 = 0;
const MKT2: u16 = 1;
/// One SOL in native units (9 decimals); $1 in quote native units.
const ONE_SOL: i64 = 1_000_000_000;
const USD: i64 = 1_000_000;

fn n(x: i128) -> I80F48 {
    I80F48::from_num(x)
}

fn risk(index: u16, w: &Weights, dollars: u64, conf_bps: u64) -> TokenRisk {
    let price = dollars * 100_000_000;
    let o = OraclePrice {
        price: price as i64,
        conf: price * conf_bps / 10_000,
        expo: -8,
        publish_time: 0,
    };
    TokenRisk::new(index, I80F48::ONE, I80F48::ONE, 9, w, &o, None).unwrap()
}

/// A perp on `market` at `$dollars` with `base` (native) and `quote` (quote native).
fn perp(market: u16, dollars: u64, conf: u64, base: i64, quote: i64, pnl_w: u32) -> HealthPerp {
    HealthPerp {
        risk: risk(market, &PERP, dollars, conf),
        base: n(base.into()),
        quote: n(quote.into()),
        init_pnl_weight_bps: pnl_w,
        hedge: HEDGE,
        hedge_token: SOL,
        init_pnl_prices: {
            let unweighted = risk(market, &ONE, dollars, conf);
            [unweighted.asset_init, unweighted.liab_init]
        },
    }
}

/// Weight 1 everywhere: the unweighted init prices of a perp's unsettled profit.
const ONE: Weights = Weights {
    init_asset_bps: 10_000,
    maint_asset_bps: 10_000,
    maint_liab_bps: 10_000,
    init_liab_bps: 10_000,
};

fn free(mut p: HealthPerp) -> HealthPerp {
    p.hedge_token = FREE_TOKEN_INDEX;
    p
}

/// A cache with an optional spot SOL balance (at `dollars`) and `perps`.
fn cache(spot: Option<(i64, u64)>, perps: &[HealthPerp]) -> HealthCache {
    let mut c = HealthCache::default();
    if let Some((amount, dollars)) = spot {
        c.push(risk(SOL, &SPOT, dollars, 0), n(amount.into()))
            .unwrap();
    }
    for p in perps {
        c.push_perp(*p).unwrap();
    }
    c
}

fn health(spot: Option<(i64, u64)>, perps: &[HealthPerp]) -> Health {
    cache(spot, perps).health().unwrap()
}

/// `|a − b| ≤ tol` quote native units.
fn near(a: I80F48, b: I80F48, tol: f64) -> bool {
    (a - b).abs() <= I80F48::from_num(tol)
}

#[test]
fn a_perp_opened_at_the_oracle_costs_its_weights_margin() {
    let (base, notional) = (10 * ONE_SOL, 1_000 * USD);
    for conf in [0u64, 100] {
        let (ask, bid) = ((10_000 - conf) as i128, (10_000 + conf) as i128);
        // Long 10 SOL at $100: −$1,000 of quote, the base worth (p − conf) × asset weight.
        let long = health(None, &[perp(MKT, 100, conf, base, -notional, 0)]);
        let want = |w: u32, side: i128| n(notional as i128 * side * w as i128 / 100_000_000);
        let (ei, em) = (
            -n(notional.into()) + want(9_000, ask),
            -n(notional.into()) + want(9_500, ask),
        );
        assert!(
            near(long.init, ei, 1e-6) && long.init <= ei,
            "{long:?} vs {ei}"
        );
        assert!(
            near(long.maint, em, 1e-6) && long.maint <= em,
            "{long:?} vs {em}"
        );
        // Short 10 SOL: +$1,000, the base owed at (p + conf) × liab weight.
        let short = health(None, &[perp(MKT, 100, conf, -base, notional, 0)]);
        let (ei, em) = (
            n(notional.into()) - want(11_000, bid),
            n(notional.into()) - want(10_500, bid),
        );
        assert!(
            near(short.init, ei, 1e-6) && short.init <= ei,
            "{short:?} vs {ei}"
        );
        assert!(
            near(short.maint, em, 1e-6) && short.maint <= em,
            "{short:?} vs {em}"
        );
    }
    // At conf 0: exactly −$100 / −$50 either side, up to rounding.
    let long = health(None, &[perp(MKT, 100, 0, base, -notional, 0)]);
    assert!(near(long.init, n(-100 * USD as i128), 1e-6), "{long:?}");
    assert!(near(long.maint, n(-50 * USD as i128), 1e-6), "{long:?}");
}

#[test]
fn unsettled_profit_counts_in_maint_and_at_its_weight_in_init() {
    let (base, entry) = (10 * ONE_SOL, 1_000 * USD);
    let at = |dollars, b: i64, q: i64, w| health(None, &[perp(MKT, dollars, 0, b, q, w)]);
    let usd = |x: i128| n(x * USD as i128);
    // Long from $100 to $120: +$200 unsettled.
    let (w0, half, full) = (
        at(120, base, -entry, 0),
        at(120, base, -entry, 5_000),
        at(120, base, -entry, 10_000),
    );
    assert_eq!(w0.maint, full.maint);
    assert!(near(full.maint, usd(140), 1e-6), "{full:?}"); // −1,000 + 1,200 × 0.95
    assert!(near(full.init, usd(80), 1e-6), "{full:?}"); // −1,000 + 1,200 × 0.9
    assert!(near(half.init, usd(-20), 1e-6), "{half:?}"); // … − 200 × 0.5
    assert!(near(w0.init, usd(-120), 1e-6), "{w0:?}"); // … − 200
    assert!(w0.init <= I80F48::ZERO);
    // A loss is never haircut: $80, −$200.
    assert_eq!(at(80, base, -entry, 0), at(80, base, -entry, 10_000));
    assert!(near(at(80, base, -entry, 0).init, usd(-280), 1e-6));
    // Short from $100 to $80: +$200.
    let (w0, full) = (at(80, -base, entry, 0), at(80, -base, entry, 10_000));
    assert_eq!(w0.maint, full.maint);
    assert!(near(full.maint, usd(160), 1e-6), "{full:?}"); // 1,000 − 800 × 1.05
    assert!(near(full.init, usd(120), 1e-6), "{full:?}"); // 1,000 − 800 × 1.1
    assert!(
        near(w0.init, usd(-80), 1e-6) && w0.init <= I80F48::ZERO,
        "{w0:?}"
    );
    // With 1 % confidence the haircut is the profit init counts (at p ∓ conf), no more:
    // long at $120 → 1,188 × (0.9 − 1); short at $80 → −808 × (1.1 − 1).
    let cf = |dollars, b: i64, q: i64| health(None, &[perp(MKT, dollars, 100, b, q, 0)]);
    let (long, short) = (cf(120, base, -entry), cf(80, -base, entry));
    assert!(near(long.init, n(-118_800_000), 1e-6), "{long:?}");
    assert!(near(short.init, n(-80_800_000), 1e-6), "{short:?}");
}

/// 10 SOL deposited and 10 SOL short, opened at $100 (quote +$1,000), SOL at `dollars`.
fn neutral(dollars: u64, hedge_token: u16, pnl_w: u32) -> Health {
    let mut p = perp(MKT, dollars, 0, -10 * ONE_SOL, 1_000 * USD, pnl_w);
    p.hedge_token = hedge_token;
    health(Some((10 * ONE_SOL, dollars)), &[p])
}

#[test]
fn a_delta_neutral_account_needs_a_tenth_of_the_margin() {
    assert!(HEDGE.valid_for(&SPOT, &PERP));
    // Value: 10 × $100 spot + $1,000 quote − 10 × $100 owed = $1,000.
    let value = n(1_000 * USD as i128);
    let hedged = neutral(100, SOL, 0);
    let apart = neutral(100, FREE_TOKEN_INDEX, 0);
    let margin = |h: Health| (value - h.init, value - h.maint);
    let ((hi, hm), (ai, am)) = (margin(hedged), margin(apart));
    assert!(hi * 10 <= ai && hm * 10 <= am, "{hedged:?} vs {apart:?}");
    // $20 / $10 (2 % / 1 % hedge) instead of $300 / $150.
    assert!(near(hi, n(20 * USD as i128), 1e-6) && near(hm, n(10 * USD as i128), 1e-6));
    assert!(near(ai, n(300 * USD as i128), 1e-6) && near(am, n(150 * USD as i128), 1e-6));
}

#[test]
fn delta_neutral_health_barely_moves_when_the_price_moves_by_half() {
    let pct = |x: i128| n(x * 10 * USD as i128); // x % of $1,000
    for w in [0u32, 10_000] {
        let base = neutral(100, SOL, w);
        for d in [50, 150] {
            let h = neutral(d, SOL, w);
            // Maint moves by the 1 % hedge charge's change only: 0.5 % of notional.
            assert!(
                (h.maint - base.maint).abs() <= pct(1) / 2 + n(1),
                "w {w} ${d}: {h:?}"
            );
            // Without netting the same legs move fifteen times as much.
            let apart = (neutral(d, FREE_TOKEN_INDEX, w).maint
                - neutral(100, FREE_TOKEN_INDEX, w).maint)
                .abs();
            assert!(apart >= (h.maint - base.maint).abs() * 10, "w {w} ${d}");
        }
    }
    // With unsettled profit counted fully, init moves by the 2 % charge's change: 1 %.
    let base = neutral(100, SOL, 10_000);
    for d in [50, 150] {
        let h = neutral(d, SOL, 10_000);
        assert!(
            (h.init - base.init).abs() <= pct(1) + n(1),
            "${d}: {h:?} vs {base:?}"
        );
    }
}

/// `PerpConfig::DEFAULT` has `init_pnl_weight_bps = 0`: the hedged short's profit when SOL
/// halves is haircut in full while the spot leg's equal loss counts, so init health of a
/// "delta-neutral" account falls by ~49 % of notional.
#[test]
fn delta_neutral_init_health_barely_moves_with_the_default_pnl_weight() {
    let base = neutral(100, SOL, 0);
    let h = neutral(50, SOL, 0);
    let moved = (h.init - base.init).abs();
    assert!(
        moved <= n(20 * USD as i128),
        "init moved ${} of $1,000",
        moved / n(USD.into())
    );
}

#[test]
fn two_perps_consume_the_spot_balance_once() {
    let spot = Some((10 * ONE_SOL, 100));
    let a = perp(MKT, 100, 0, -10 * ONE_SOL, 1_000 * USD, 10_000);
    let b = perp(MKT2, 100, 0, -10 * ONE_SOL, 1_000 * USD, 10_000);
    // The second perp finds nothing left to net: as if it had no hedge token.
    assert_eq!(health(spot, &[a, b]), health(spot, &[a, free(b)]));
    assert_ne!(health(spot, &[a, b]), health(spot, &[a]));
    // −5 and −10 SOL against 10 SOL: exactly like one −15 SOL perp (same market terms).
    let a = perp(MKT, 100, 0, -5 * ONE_SOL, 500 * USD, 10_000);
    let one = perp(MKT, 100, 0, -15 * ONE_SOL, 1_500 * USD, 10_000);
    let (split, joined) = (health(spot, &[a, b]), health(spot, &[one]));
    assert!(near(split.init, joined.init, 1e-6) && near(split.maint, joined.maint, 1e-6));
    // Order does not matter when both have the same weights.
    let swapped = health(spot, &[b, a]);
    assert!(near(swapped.init, split.init, 1e-6) && near(swapped.maint, split.maint, 1e-6));
}

#[test]
fn only_opposite_legs_on_a_present_token_net() {
    let long = perp(MKT, 100, 0, 10 * ONE_SOL, -1_000 * USD, 0);
    // Spot long and perp long: same side, no netting.
    let spot = Some((10 * ONE_SOL, 100));
    assert_eq!(health(spot, &[long]), health(spot, &[free(long)]));
    // Hedge token absent from the cache: no netting.
    assert_eq!(health(None, &[long]), health(None, &[free(long)]));
    // A spot borrow against a long perp nets: the borrow's 1.2 and the long's 0.9 become
    // 2 % (the account is worth −$1,000: its quote).
    let borrow = Some((-10 * ONE_SOL, 100));
    let (h, f) = (health(borrow, &[long]), health(borrow, &[free(long)]));
    assert!(near(h.init, n(-1_020 * USD as i128), 1e-6), "{h:?}"); // −1,000 − 20
    assert!(near(f.init, n(-1_300 * USD as i128), 1e-6), "{f:?}"); // −1,000 + 900 − 1,200
    assert!(near(h.maint, n(-1_010 * USD as i128), 1e-6), "{h:?}");
}

#[test]
fn perp_plumbing() {
    let mut c = cache(
        Some((10 * ONE_SOL, 100)),
        &[perp(MKT, 100, 0, -10 * ONE_SOL, 1_000 * USD, 0)],
    );
    assert!(c.has_liabilities());
    // set_perp is the same as building the cache with the new position.
    c.set_perp(MKT, n((-4 * ONE_SOL).into()), n((400 * USD).into()))
        .unwrap();
    let rebuilt = health(
        Some((10 * ONE_SOL, 100)),
        &[perp(MKT, 100, 0, -4 * ONE_SOL, 400 * USD, 0)],
    );
    assert_eq!(c.health().unwrap(), rebuilt);
    assert_eq!(c.perp(MKT).unwrap().base, n((-4 * ONE_SOL).into()));
    assert!(c.perp(MKT2).is_none());
    assert!(c.set_perp(MKT2, I80F48::ONE, I80F48::ONE).is_err());
    // Flat with a non-negative quote: nothing left to lose.
    c.set_perp(MKT, I80F48::ZERO, I80F48::ONE).unwrap();
    assert!(!c.has_liabilities());
    assert!(c.all_live());
    // Four perps at most.
    for m in 1..MAX_PERP_POSITIONS as u16 {
        c.push_perp(perp(m, 100, 0, 1, 0, 0)).unwrap();
    }
    assert!(c.push_perp(perp(9, 100, 0, 1, 0, 0)).is_err());
    let mut stale = perp(MKT2, 100, 0, 1, 0, 0);
    stale.risk.live = false;
    let c = cache(None, &[stale]);
    assert!(!c.perps_live() && !c.all_live());
}

proptest! {
    /// With `init_pnl_weight_bps = 0` a perp in profit never adds to init health; the weight
    /// only ever raises init; maint ignores it and stays ≥ init.
    #[test]
    fn unsettled_profit_is_never_borrowable_at_weight_zero(
        base in -1_000_000_000_000i64..1_000_000_000_000,
        entry in 1u64..100_000,
        dollars in 1u64..100_000,
        conf in 0u64..200,
        w in 0u32..=10_000,
    ) {
        let quote = -(base as i128) * entry as i128 / 1_000;
        let p = HealthPerp { quote: n(quote), ..perp(MKT, dollars, conf, base, 0, 0) };
        let h0 = health(None, &[p]);
        let hw = health(None, &[HealthPerp { init_pnl_weight_bps: w, ..p }]);
        if p.pnl().unwrap() > 0 {
            prop_assert!(h0.init <= I80F48::ZERO, "{h0:?}");
        }
        prop_assert!(hw.init >= h0.init && hw.maint == h0.maint && hw.maint >= hw.init);
    }

    /// Margin (value − health) is monotone non-increasing in the hedge ratio (short perp
    /// from 0 to the spot amount, opened at the oracle) and Lipschitz in it.
    #[test]
    fn the_margin_is_continuous_and_monotone_in_the_hedge_ratio(
        spot in 1_000_000i64..1_000_000_000_000,
        r1 in 0i64..=10_000,
        r2 in 0i64..=10_000,
        dollars in 1u64..100_000,
        conf in 0u64..100,
    ) {
        let mid = n(dollars.into()) / n(1_000);
        let margin = |r: i64| {
            let short = -((spot as i128 * r as i128 / 10_000) as i64);
            let p = HealthPerp { quote: -n(short.into()) * mid, ..perp(MKT, dollars, conf, short, 0, 0) };
            let mut c = HealthCache::default();
            c.push(risk(SOL, &SPOT, dollars, conf), n(spot.into())).unwrap();
            c.push_perp(p).unwrap();
            let value = n(spot.into()) * mid + p.quote + p.base * mid;
            let h = c.health().unwrap();
            (short, value - h.init, value - h.maint)
        };
        let (lo, hi) = (margin(r1.min(r2)), margin(r1.max(r2)));
        let slack = I80F48::from_num(0.001);
        prop_assert!(hi.1 <= lo.1 + slack && hi.2 <= lo.2 + slack, "{lo:?} {hi:?}");
        let bound = n((hi.0 - lo.0).abs().into()) * mid + slack;
        prop_assert!((hi.1 - lo.1).abs() <= bound && (hi.2 - lo.2).abs() <= bound);
    }

    /// With hedge weights valid for the two legs' weights, netting never lowers health.
    #[test]
    fn netting_never_lowers_health(
        spot in -1_000_000_000_000i64..1_000_000_000_000,
        base in -1_000_000_000_000i64..1_000_000_000_000,
        entry in 1u64..100_000,
        dollars in 1u64..100_000,
        conf in 0u64..200,
        w in 0u32..=10_000,
        fi in 0u32..=10_000,
        fm in 0u32..=10_000,
        extra in 0i64..1_000_000_000_000,
    ) {
        // Caps: min(0.2 + 0.1, 0.1 + 0.2) init, min(0.1 + 0.05, 0.05 + 0.1) maint.
        let init_bps = 3_000 * fi / 10_000;
        let hedge = HedgeWeights { init_bps, maint_bps: init_bps.min(1_500) * fm / 10_000 };
        prop_assert!(hedge.valid_for(&SPOT, &PERP));
        let quote = -(base as i128) * entry as i128 / 1_000;
        let p = HealthPerp { quote: n(quote), hedge, ..perp(MKT, dollars, conf, base, 0, w) };
        let mut c = HealthCache::default();
        c.push(risk(SOL, &SPOT, dollars, conf), n(spot.into())).unwrap();
        let mut f = c.clone();
        c.push_perp(p).unwrap();
        f.push_perp(free(p)).unwrap();
        let (h, u) = (c.health().unwrap(), f.health().unwrap());
        let slack = I80F48::from_num(0.001);
        prop_assert!(h.init >= u.init - slack && h.maint >= u.maint - slack, "{h:?} vs {u:?}");
        prop_assert!(h.maint >= h.init);
        // More spot never lowers health, netted or not.
        c.set_balance(SOL, n(spot as i128 + extra as i128)).unwrap();
        let more = c.health().unwrap();
        prop_assert!(more.init >= h.init - slack && more.maint >= h.maint - slack, "{more:?} vs {h:?}");
    }
}
