use super::*;
use crate::health::perp_liquidation::tests::{account, n, MKT, ONE_SOL, SOL, USD};
use crate::health::perp_liquidation::{self, PerpLiquidationParams};
use crate::health::perp_trade::price_i80;
use proptest::prelude::*;

/// 0.5 % pair fee, 20 % of it to the pool (the defaults).
const PARAMS: PairLiquidationParams = PairLiquidationParams {
    market_index: MKT,
    spot_token_index: SOL,
    pair_fee_bps: 50,
    insurance_share_bps: 2_000,
};

/// Plan as the program does: base and quote from the cache, mid from the market's risk.
fn run(
    c: &mut HealthCache,
    params: &PairLiquidationParams,
    max: u64,
) -> Result<PairLiquidationPlan> {
    let p = *c.perp(MKT).unwrap();
    let mid = price_i80(&p.risk.mid, Round::Down).unwrap();
    plan(c, params, p.base.to_num(), p.quote, mid, max)
}

/// The liquidatee's health after the pair step of `units`, computed independently.
fn health_after(c: &HealthCache, units: u64, fee_bps: u32) -> Health {
    let p = *c.perp(MKT).unwrap();
    let spot = c.token(SOL).unwrap().balance;
    let mid = price_i80(&p.risk.mid, Round::Down).unwrap();
    let delta = if p.base > 0 {
        -(units as i64)
    } else {
        units as i64
    };
    let price = liquidation_price(mid, delta, fee_bps).unwrap();
    // A whole number of settle-token units, in the liquidatee's favour.
    let value = n(units as i64) * mid;
    let spot_quote = if delta > 0 {
        value.ceil()
    } else {
        -value.floor()
    };
    let mut d = c.clone();
    d.set_perp(
        MKT,
        p.base + n(delta),
        p.quote + trade_quote_delta(delta, price).unwrap() + spot_quote,
    )
    .unwrap();
    d.set_native(SOL, spot - n(delta)).unwrap();
    d.health().unwrap()
}

/// Checks every plan must pass: both legs move together against the positions, within the
/// overlap; init strictly improves; the cache comes back; the amount is minimal.
fn check(c: &mut HealthCache, max: u64) -> PairLiquidationPlan {
    let before = c.health().unwrap();
    let p = *c.perp(MKT).unwrap();
    let spot = c.token(SOL).unwrap().balance;
    let plan = run(c, &PARAMS, max).unwrap();
    assert_eq!(c.health().unwrap(), before, "cache not restored");
    assert_eq!(c.token(SOL).unwrap().balance, spot);
    assert_eq!(plan.spot_delta, -plan.base_delta);
    assert_eq!(plan.base_delta.signum(), -p.base.signum().to_num::<i64>());
    let units = plan.base_delta.unsigned_abs();
    assert!(units <= max && n(units as i64) <= spot.abs().min(p.base.abs()));
    assert!(plan.health_after.maint > before.maint, "{plan:?}");
    let expected = health_after(c, units, PARAMS.pair_fee_bps);
    assert!((plan.health_after.init - expected.init).abs() <= I80F48::DELTA * 8);
    // It stops at init ≥ 0 or closes the whole overlap (within the caller's maximum).
    let full = spot.abs().min(p.base.abs()).to_num::<u64>().min(max);
    assert!(plan.health_after.init >= 0 || units == full, "{plan:?}");
    plan
}

#[test]
fn an_underwater_hedge_no_single_leg_can_repair_is_unwound_in_pairs() {
    // 10 SOL deposited, 10 SOL short from $100, $993 of USDC borrowed: init −$13, maint
    // −$3. Closing the perp alone lowers init (perp_liquidation refuses); the pair repairs
    // $2 of hedge charge per SOL for a $0.50 fee: 8.67 SOL.
    let mut c = account(
        100,
        -10 * ONE_SOL,
        1_000 * USD,
        -993 * USD,
        Some(10 * ONE_SOL),
    );
    let before = c.health().unwrap();
    assert!(before.maint < 0 && (before.init - n(-13 * USD)).abs() <= I80F48::ONE);
    let single = PerpLiquidationParams {
        market_index: MKT,
        liquidation_fee_bps: 200,
        insurance_share_bps: 2_000,
    };
    let p = *c.perp(MKT).unwrap();
    let mid = price_i80(&p.risk.mid, Round::Down).unwrap();
    assert!(
        perp_liquidation::plan(&mut c, &single, p.base.to_num(), p.quote, mid, u64::MAX).is_err()
    );
    let plan = check(&mut c, u64::MAX);
    // (The spot leg is whole settle-token units in the liquidatee's favour, so a few
    // hundred base units less than the exact 8.666… SOL suffice.)
    assert!(plan.base_delta.abs_diff(8_666_666_667) <= 1_000, "{plan:?}");
    let units = plan.base_delta.unsigned_abs();
    assert!(plan.health_after.init >= 0 && health_after(&c, units - 1, 50).init < 0);
    // What is left is exactly as hedged as before: spot and short shrank by the same units.
    assert_eq!(
        10 * ONE_SOL - plan.base_delta,
        10 * ONE_SOL + plan.spot_delta
    );
    // The spot leg is paid at the mid (rounded up to a whole unit), the fee charged once on
    // the perp leg: 0.5 %.
    assert_eq!(plan.spot_quote, (n(plan.base_delta) * mid).ceil());
    let fee = plan.liquidator_fee + plan.pool_fee;
    assert!((fee - n(plan.base_delta) * mid / n(200)).abs() <= I80F48::ONE);
    assert_eq!(
        plan.liquidator_fee,
        I80F48::from_bits(fee.to_bits() * 8 / 10)
    );
}

#[test]
fn a_borrow_hedged_by_a_long_perp_is_repaid_in_pairs() {
    // 10 SOL borrowed, 10 SOL long from $100, $1,007 of USDC: init −$13, maint −$3.
    let mut c = account(
        100,
        10 * ONE_SOL,
        -1_000 * USD,
        1_007 * USD,
        Some(-10 * ONE_SOL),
    );
    assert!(c.health().unwrap().maint < 0);
    let plan = check(&mut c, u64::MAX);
    assert!(plan.base_delta < 0 && plan.spot_delta > 0, "{plan:?}");
    assert!(
        plan.base_delta.abs_diff(-8_666_666_667) <= 1_000,
        "{plan:?}"
    );
    // The liquidatee pays the mid for the SOL it repays.
    assert!(plan.spot_quote < 0);
}

#[test]
fn a_hedge_too_deep_underwater_is_unwound_whole_and_unhedged_books_are_refused() {
    // $1,000 borrowed against a hedge worth $0 net: every pair unit still helps maint, but
    // init never reaches zero: the whole overlap closes. The $995 left in the flat perp's
    // quote is realised profit, which init discounts until it is settled (maint counts
    // it: −$5 of fees is all the account is short of).
    let mut c = account(
        100,
        -10 * ONE_SOL,
        1_000 * USD,
        -1_000 * USD,
        Some(10 * ONE_SOL),
    );
    let plan = check(&mut c, u64::MAX);
    assert_eq!(plan.base_delta, 10 * ONE_SOL);
    assert!(
        (plan.health_after.maint - n(-5 * USD)).abs() <= I80F48::ONE,
        "{plan:?}"
    );
    assert_eq!(check(&mut c, ONE_SOL as u64).base_delta, ONE_SOL);
    // Same side (long spot, long perp) or no spot at all: no hedge to unwind.
    let mut same = account(
        100,
        10 * ONE_SOL,
        -1_000 * USD,
        -500 * USD,
        Some(10 * ONE_SOL),
    );
    assert_eq!(
        run(&mut same, &PARAMS, u64::MAX).unwrap_err(),
        CrossMarginError::NotHedged.into()
    );
    let mut none = account(100, -10 * ONE_SOL, 1_000 * USD, -993 * USD, None);
    assert_eq!(
        run(&mut none, &PARAMS, u64::MAX).unwrap_err(),
        CrossMarginError::NotHedged.into()
    );
    assert!(run(&mut c, &PARAMS, 0).is_err());
}

proptest! {
    /// Any hedged book at any price: the pair plan exists, moves both legs by the same
    /// units within the overlap, strictly raises init health, restores the cache, and is
    /// minimal when it reaches init ≥ 0.
    #[test]
    fn pair_plans_always_improve_and_keep_the_hedge_ratio(
        spot in 1i64..100_000_000_000,
        perp in 1i64..100_000_000_000,
        short in any::<bool>(),
        entry in 1u64..10_000,
        dollars in 1u64..10_000,
        usdc in -1_000_000_000_000i64..1_000_000_000_000,
        max in 1u64..200_000_000_000,
    ) {
        let (base, spot) = if short { (-perp, spot) } else { (perp, -spot) };
        let quote = -(base as i128 * entry as i128 / 1_000) as i64;
        let mut c = account(dollars, base, quote, usdc, Some(spot));
        let overlap = spot.unsigned_abs().min(perp.unsigned_abs());
        let plan = check(&mut c, max);
        prop_assert!(plan.base_delta.unsigned_abs() <= overlap.min(max));
    }
}
