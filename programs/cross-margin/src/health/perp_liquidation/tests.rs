use super::*;
use crate::health::perp::HedgeWeights;
use crate::health::perp_trade::price_i80;
use crate::health::{HealthPerp, OraclePrice, TokenRisk, Weights};
use crate::state::FREE_TOKEN_INDEX;
use proptest::prelude::*;

/// `PerpConfig::DEFAULT`'s perp weights, SOL-like spot weights, USDC at face value.
pub(crate) const PERP: Weights = Weights {
    init_asset_bps: 9_000,
    maint_asset_bps: 9_500,
    maint_liab_bps: 10_500,
    init_liab_bps: 11_000,
};
pub(crate) const SPOT: Weights = Weights {
    init_asset_bps: 8_000,
    maint_asset_bps: 9_000,
    maint_liab_bps: 11_000,
    init_liab_bps: 12_000,
};
pub(crate) const FACE: Weights = Weights {
    init_asset_bps: 10_000,
    maint_asset_bps: 10_000,
    maint_liab_bps: 10_000,
    init_liab_bps: 10_000,
};
pub(crate) const MKT: u16 = 0;
pub(crate) const USDC: u16 = 1;
pub(crate) const SOL: u16 = 3;
pub(crate) const ONE_SOL: i64 = 1_000_000_000;
pub(crate) const USD: i64 = 1_000_000;
/// 2 % liquidation fee, 20 % of it to the pool (the defaults).
const PARAMS: PerpLiquidationParams = PerpLiquidationParams {
    market_index: MKT,
    liquidation_fee_bps: 200,
    insurance_share_bps: 2_000,
};

pub(crate) fn n(x: i64) -> I80F48 {
    I80F48::from_num(x)
}

pub(crate) fn risk(index: u16, decimals: u8, w: &Weights, dollars: u64) -> TokenRisk {
    let o = OraclePrice {
        price: (dollars * 100_000_000) as i64,
        conf: 0,
        expo: -8,
        publish_time: 0,
    };
    TokenRisk::new(index, I80F48::ONE, I80F48::ONE, decimals, w, &o, None).unwrap()
}

/// A perp position at `$dollars` plus `usdc` (native, signed) and optionally `sol` spot.
pub(crate) fn account(
    dollars: u64,
    base: i64,
    quote: i64,
    usdc: i64,
    sol: Option<i64>,
) -> HealthCache {
    let mut c = HealthCache::default();
    c.push(risk(USDC, 6, &FACE, 1), n(usdc)).unwrap();
    if let Some(s) = sol {
        c.push(risk(SOL, 9, &SPOT, dollars), n(s)).unwrap();
    }
    c.push_perp(HealthPerp {
        risk: risk(MKT, 9, &PERP, dollars),
        base: n(base),
        quote: n(quote),
        init_pnl_weight_bps: 0,
        hedge: HedgeWeights {
            init_bps: 200,
            maint_bps: 100,
        },
        hedge_token: if sol.is_some() { SOL } else { FREE_TOKEN_INDEX },
        init_pnl_prices: {
            let unweighted = risk(MKT, 9, &FACE, dollars);
            [unweighted.asset_init, unweighted.liab_init]
        },
    })
    .unwrap();
    c
}

/// Plan as the program does: base and quote from the cache, mid from the market's risk.
fn run(
    cache: &mut HealthCache,
    params: &PerpLiquidationParams,
    max: u64,
) -> Result<PerpLiquidationPlan> {
    let p = *cache.perp(params.market_index).unwrap();
    let mid = price_i80(&p.risk.mid, Round::Down).unwrap();
    plan(cache, params, p.base.to_num(), p.quote, mid, max)
}

/// The liquidatee's health after closing `n` units as the plan would (independently).
fn health_after(cache: &HealthCache, n_units: u64) -> Health {
    let p = *cache.perp(MKT).unwrap();
    let mid = price_i80(&p.risk.mid, Round::Down).unwrap();
    let delta = if p.base > 0 {
        -(n_units as i64)
    } else {
        n_units as i64
    };
    let price = liquidation_price(mid, delta, PARAMS.liquidation_fee_bps).unwrap();
    let mut c = cache.clone();
    let base = p.base + I80F48::from_num(delta);
    c.set_perp(
        MKT,
        base,
        p.quote + trade_quote_delta(delta, price).unwrap(),
    )
    .unwrap();
    c.health().unwrap()
}

/// Checks every plan must pass: direction, bounds, fee split, cache restored.
fn check(cache: &mut HealthCache, max: u64) -> PerpLiquidationPlan {
    let before = cache.health().unwrap();
    let p = *cache.perp(MKT).unwrap();
    let base: i64 = p.base.to_num();
    let plan = run(cache, &PARAMS, max).unwrap();
    assert_eq!(cache.health().unwrap(), before, "cache not restored");
    assert_eq!(
        (
            cache.perp(MKT).unwrap().base,
            cache.perp(MKT).unwrap().quote
        ),
        (p.base, p.quote)
    );
    assert!(
        plan.base_delta != 0 && plan.base_delta.signum() == -base.signum(),
        "{plan:?}"
    );
    assert!(plan.base_delta.unsigned_abs() <= base.unsigned_abs().min(max));
    assert_eq!(
        plan.health_after,
        health_after(cache, plan.base_delta.unsigned_abs())
    );
    let total = plan.liquidator_fee + plan.pool_fee;
    assert!(plan.liquidator_fee >= 0 && plan.pool_fee >= 0, "{plan:?}");
    // The fee is what closing at the plan's price costs against the mid: n × mid × 2 %.
    let mid = price_i80(&p.risk.mid, Round::Down).unwrap();
    let expected = I80F48::from_num(plan.base_delta.unsigned_abs()) * mid / n(50);
    assert!(
        (total - expected).abs() <= I80F48::ONE,
        "{total} vs {expected}"
    );
    // 80 % to the liquidator, rounded down to the last bit.
    let exact = I80F48::from_bits(total.to_bits() * 8_000 / 10_000);
    assert_eq!(plan.liquidator_fee, exact, "{plan:?}");
    plan
}

#[test]
fn an_unhealthy_long_is_closed_just_enough() {
    // Long 10 SOL from $100, now $90, $130 of USDC: maint −$15, init −$60. Each SOL sold at
    // $88.20 repairs init by $88.20 − $81 = $7.20: 8.33 SOL.
    let mut c = account(90, 10 * ONE_SOL, -1_000 * USD, 130 * USD, None);
    let before = c.health().unwrap();
    assert!(before.maint < 0 && before.init < 0, "{before:?}");
    let plan = check(&mut c, u64::MAX);
    let closed = plan.base_delta.unsigned_abs();
    assert!(closed.abs_diff(8_333_333_334) <= 2, "{plan:?}");
    assert!(plan.health_after.init >= 0, "{plan:?}");
    // Minimal: one unit less leaves init below zero.
    assert!(health_after(&c, closed - 1).init < 0);
    assert!(
        (plan.price - n(882) / n(10_000)).abs() <= I80F48::DELTA * 4,
        "{}",
        plan.price
    );
    assert_eq!(
        plan.quote_delta,
        trade_quote_delta(plan.base_delta, plan.price).unwrap()
    );
    // Capped by the caller's maximum: 5 SOL only, still below zero.
    let capped = check(&mut c, 5 * ONE_SOL as u64);
    assert_eq!(capped.base_delta, -5 * ONE_SOL);
    assert!(capped.health_after.init < 0 && capped.health_after.init > before.init);
}

#[test]
fn an_unhealthy_short_is_bought_back_just_enough() {
    // Short 10 SOL from $100, now $110, $150 of USDC: maint −$5, init −$60; each SOL bought
    // back at $112.20 repairs init by $121 − $112.20 = $8.80: 6.82 SOL.
    let mut c = account(110, -10 * ONE_SOL, 1_000 * USD, 150 * USD, None);
    assert!(c.health().unwrap().maint < 0);
    let plan = check(&mut c, u64::MAX);
    let closed = plan.base_delta.unsigned_abs();
    assert!(
        plan.base_delta > 0 && closed.abs_diff(6_818_181_819) <= 2,
        "{plan:?}"
    );
    assert!(plan.health_after.init >= 0 && health_after(&c, closed - 1).init < 0);
}

#[test]
fn a_position_too_small_to_repair_is_closed_in_full() {
    // $50 of USDC: even all 10 SOL sold leaves init at −$68.
    let mut c = account(90, 10 * ONE_SOL, -1_000 * USD, 50 * USD, None);
    let before = c.health().unwrap();
    let plan = check(&mut c, u64::MAX);
    assert_eq!(plan.base_delta, -10 * ONE_SOL);
    assert!(plan.health_after.init < 0 && plan.health_after.init > before.init);
    assert!(
        (plan.health_after.init - n(-68 * USD)).abs() <= I80F48::ONE,
        "{plan:?}"
    );
    assert_eq!(check(&mut c, 3 * ONE_SOL as u64).base_delta, -3 * ONE_SOL);
    // Nothing to close, or nothing allowed: refused, the cache untouched.
    assert!(run(&mut c, &PARAMS, 0).is_err());
    assert_eq!(c.health().unwrap(), before);
    let mut flat = account(90, 0, -1_000 * USD, 50 * USD, None);
    assert!(run(&mut flat, &PARAMS, u64::MAX).is_err());
}

#[test]
fn closing_a_hedge_lowers_health_and_the_program_refuses_it() {
    // 10 SOL deposited, 10 SOL short from $100 (hedged), $1,000 of USDC borrowed: init
    // 1,000 − 20 − 1,000 = −$20, maint −$10. Buying back any part of the short re-exposes
    // the spot at 0.8 and pays the fee: $20 lost per SOL.
    let mut c = account(
        100,
        -10 * ONE_SOL,
        1_000 * USD,
        -1_000 * USD,
        Some(10 * ONE_SOL),
    );
    let before = c.health().unwrap();
    assert!(before.maint < 0 && before.init < 0, "{before:?}");
    for max in [1, ONE_SOL as u64, 5 * ONE_SOL as u64, u64::MAX] {
        // Closing any part lowers init: the planner says so (and restores the cache); the
        // program would refuse it too (`health_after.init > before.init`).
        let err = run(&mut c, &PARAMS, max).unwrap_err();
        assert_eq!(
            err,
            CrossMarginError::LiquidationWouldNotImprove.into(),
            "max {max}"
        );
        assert_eq!(c.health().unwrap(), before, "cache restored on error");
    }
    // The token path is no better: repaying $x of the USDC borrow for $1.05x of the hedged
    // SOL unhedges the short (1.1 − 0.02 per SOL): init falls by $0.134 per $1 repaid. No
    // liquidation improves this account (see the report: a hedge needs a joint unwind).
    let repay = 100 * USD;
    let seized = repay * 105 / 100 / 100 * 1_000; // $105 of SOL at $100, native
    c.set_balance(USDC, n(-1_000 * USD + repay)).unwrap();
    c.set_balance(SOL, n(10 * ONE_SOL - seized)).unwrap();
    let after = c.health().unwrap();
    assert!(
        after.init < before.init && after.maint < before.maint,
        "{after:?}"
    );
    assert!((after.init - before.init - n(-134 * USD / 10)).abs() <= I80F48::ONE);
}

/// 20 SOL short against 10 SOL of spot: 10 hedged, 10 unhedged; $950 borrowed. Init
/// −$70; buying back the unhedged 10 SOL repairs $8 a SOL (init ≥ 0 after 8.75 SOL), the
/// hedged 10 would then cost $20 a SOL.
fn half_hedged() -> HealthCache {
    account(
        100,
        -20 * ONE_SOL,
        2_000 * USD,
        -950 * USD,
        Some(10 * ONE_SOL),
    )
}

#[test]
fn the_unhedged_part_of_a_half_hedged_short_is_liquidatable_with_a_cap() {
    let mut c = half_hedged();
    let before = c.health().unwrap();
    assert!(before.maint < 0 && (before.init - n(-70 * USD)).abs() <= I80F48::ONE);
    let plan = check(&mut c, 10 * ONE_SOL as u64);
    assert!(plan.base_delta.abs_diff(8_750_000_000) <= 2, "{plan:?}");
    assert!(plan.health_after.init >= 0);
}

/// The doc promises the smallest `n` after which init ≥ 0; here 8.75 SOL gets there, but
/// `plan` sees init(20 SOL) < 0 and returns all 20, which lowers init (to −$190) so the
/// program refuses the liquidation (`LiquidationWouldNotImprove`) unless the liquidator
/// guesses the unhedged size as `max_base`.
#[test]
fn a_half_hedged_short_is_repaired_without_a_cap() {
    let mut c = half_hedged();
    let before = c.health().unwrap();
    let plan = check(&mut c, u64::MAX);
    assert!(plan.health_after.init > before.init, "{plan:?}");
    assert!(plan.health_after.init >= 0, "{plan:?}");
}

proptest! {
    /// Whatever the position and fees: the plan closes against the position within the
    /// caps, never lowers init on an unhedged perp, the fee splits exactly and non-negatively,
    /// the cache comes back unchanged, and the amount is minimal when init reaches zero.
    #[test]
    fn plans_are_bounded_minimal_and_split_their_fee(
        size in 1i64..100_000_000_000,
        long in any::<bool>(),
        entry in 1u64..10_000,
        dollars in 1u64..10_000,
        usdc in -1_000_000_000_000i64..1_000_000_000_000,
        max in 1u64..200_000_000_000,
        fee in 0u32..1_000,
        share in 0u32..=12_000,
    ) {
        let base = if long { size } else { -size };
        let quote = -(base as i128 * entry as i128 / 1_000) as i64;
        let mut c = account(dollars, base, quote, usdc, None);
        let before = c.health().unwrap();
        let params = PerpLiquidationParams { liquidation_fee_bps: fee, insurance_share_bps: share, ..PARAMS };
        let plan = run(&mut c, &params, max).unwrap();
        prop_assert_eq!(c.health().unwrap(), before);
        let closed = plan.base_delta.unsigned_abs();
        prop_assert!(plan.base_delta.signum() == -base.signum() && closed <= size.unsigned_abs().min(max));
        prop_assert!(plan.health_after.init >= before.init);
        let total = plan.liquidator_fee + plan.pool_fee;
        prop_assert!(plan.liquidator_fee >= 0 && plan.pool_fee >= 0);
        let keep = 10_000 - share.min(10_000) as i128;
        prop_assert_eq!(plan.liquidator_fee.to_bits(), total.to_bits() * keep / 10_000);
        if plan.health_after.init >= 0 && closed > 1 && before.init < 0 {
            let p = *c.perp(MKT).unwrap();
            let mid = price_i80(&p.risk.mid, Round::Down).unwrap();
            let less = -base.signum() * (closed as i64 - 1);
            let price = liquidation_price(mid, less, fee).unwrap();
            let mut d = c.clone();
            d.set_perp(MKT, p.base + n(less), p.quote + trade_quote_delta(less, price).unwrap()).unwrap();
            prop_assert!(d.health().unwrap().init < 0, "not minimal: {:?}", plan);
        }
    }
}
