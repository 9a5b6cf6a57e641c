use super::*;
use crate::health::engine::{OraclePrice, TokenRisk, Weights};
use proptest::prelude::*;

fn side(
    token_index: u16,
    dollars: f64,
    conf_bps: u64,
    init_w_bps: u32,
    fee_bps: u32,
) -> LiquidationSide {
    let price = (dollars * 1e8).round() as i64;
    LiquidationSide {
        token_index,
        price,
        conf: price as u64 * conf_bps / 10_000,
        expo: -8,
        decimals: 0,
        init_asset_weight_bps: 10_000 - init_w_bps,
        init_liab_weight_bps: 10_000 + init_w_bps,
        liquidation_fee_bps: fee_bps,
    }
}

fn risk(s: &LiquidationSide, decimals: u8, maint_w_bps: u32) -> TokenRisk {
    let w = 10_000 - s.init_asset_weight_bps;
    TokenRisk::new(
        s.token_index,
        I80F48::ONE,
        I80F48::ONE,
        decimals,
        &Weights {
            init_asset_bps: 10_000 - w,
            maint_asset_bps: 10_000 - maint_w_bps.min(w),
            maint_liab_bps: 10_000 + maint_w_bps.min(w),
            init_liab_bps: 10_000 + w,
        },
        &OraclePrice {
            price: s.price,
            conf: s.conf,
            expo: -8,
            publish_time: 0,
        },
        None,
    )
    .unwrap()
}

/// Cache with a deposit of `asset_native` and a borrow of `liab_native`.
fn cache(
    a: &LiquidationSide,
    ad: u8,
    asset_native: i64,
    l: &LiquidationSide,
    ld: u8,
    liab_native: i64,
) -> HealthCache {
    let mut c = HealthCache::default();
    c.push(risk(a, ad, 500), I80F48::from_num(asset_native))
        .unwrap();
    c.push(risk(l, ld, 500), I80F48::from_num(-liab_native))
        .unwrap();
    c
}

fn apply(c: &HealthCache, a: u16, l: u16, plan: &LiquidationPlan) -> HealthCache {
    let mut after = c.clone();
    let ab = c.token(a).unwrap().balance;
    let lb = c.token(l).unwrap().balance;
    after
        .set_balance(a, ab - I80F48::from_num(plan.asset_amount))
        .unwrap();
    after
        // (Liability beyond the debt is credited to the liquidatee as a deposit.)
        .set_balance(l, lb + I80F48::from_num(plan.liab_amount))
        .unwrap();
    after
}

#[test]
fn worked_example() {
    // $1,000 of collateral at init weight 0.8 against $900 of debt at 1.2: init health = −280.
    let a = LiquidationSide {
        decimals: 6,
        ..side(0, 1.0, 0, 2_000, 250)
    };
    let l = LiquidationSide {
        decimals: 6,
        ..side(1, 1.0, 0, 2_000, 250)
    };
    let c = cache(&a, 6, 1_000_000_000, &l, 6, 900_000_000);
    let init = c.health().unwrap().init;
    assert!(
        (init + I80F48::from_num(280_000_000)).abs() < I80F48::from_num(1e-6),
        "{init}"
    );
    // k = 1.2 − 1.05 × 0.8 = 0.36 (rounded down), so x = ⌈(280 + 0.8e-6) / 0.36⌉ $ of debt.
    let p = plan(&c, &a, &l, 2_000, u64::MAX).unwrap();
    assert_eq!(p.liab_amount, 777_777_781);
    assert_eq!(p.asset_amount, 816_666_670); // ⌊777,777,781 × 1.05⌋ = ⌊816,666,670.05⌋
    assert_eq!(p.insurance_amount, 7_777_777); // ⌊20 % of the 38,888,889 fee⌋
    assert_eq!(p.liquidator_asset, p.asset_amount - p.insurance_amount);
    let after = apply(&c, 0, 1, &p).health().unwrap().init;
    assert!(
        after >= I80F48::ZERO && after < I80F48::from_num(2),
        "{after}"
    );
    // The caller's cap wins when smaller.
    assert_eq!(plan(&c, &a, &l, 0, 1_000).unwrap().liab_amount, 1_000);
}

#[test]
fn refusals_are_named() {
    let a = LiquidationSide {
        decimals: 6,
        ..side(0, 1.0, 0, 2_000, 250)
    };
    let l = LiquidationSide {
        decimals: 6,
        ..side(1, 1.0, 0, 2_000, 250)
    };
    let healthy = cache(&a, 6, 1_000_000_000, &l, 6, 100_000_000);
    assert_eq!(
        plan(&healthy, &a, &l, 0, u64::MAX).unwrap_err(),
        CrossMarginError::NotLiquidatable.into()
    );
    let c = cache(&a, 6, 1_000_000_000, &l, 6, 900_000_000);
    assert_eq!(
        plan(&c, &l, &a, 0, u64::MAX).unwrap_err(),
        CrossMarginError::NoAssetToSeize.into()
    );
    // A fee so large that seizing collateral hurts more than the repaid debt helps.
    let greedy = LiquidationSide {
        decimals: 6,
        ..side(0, 1.0, 0, 2_000, 5_000)
    };
    assert_eq!(
        plan(&c, &greedy, &l, 0, u64::MAX).unwrap_err(),
        CrossMarginError::LiquidationWouldNotImprove.into()
    );
    assert_eq!(
        plan(&c, &a, &l, 0, 0).unwrap_err(),
        CrossMarginError::LiquidationTooSmall.into()
    );
}

proptest! {
    /// For any liquidatable two-token account: health strictly improves, never ends above
    /// zero by more than one native unit's worth, no more is seized than exists, and the
    /// liquidatee pays exactly `x · P_l · (1 + f) / P_a` (rounded up by < 1 native unit).
    #[test]
    fn liquidation_properties(
        pa in 0.01f64..10_000.0, pl in 0.01f64..10_000.0,
        ad in prop::sample::select(vec![0u8, 6, 9]), ld in prop::sample::select(vec![0u8, 6, 9]),
        ca in 0u64..100, cl in 0u64..100,
        aw in 500u32..4_000, lw in 500u32..4_000,
        fa in 0u32..500, fl in 0u32..500,
        asset_value in 100.0f64..1e7, leverage in 0.5f64..2.0,
        share in 0u32..=10_000, cap in 1u64..u64::MAX,
    ) {
        let a = LiquidationSide { decimals: ad, ..side(0, pa, ca, aw, fa) };
        let l = LiquidationSide { decimals: ld, ..side(1, pl, cl, lw, fl) };
        let asset_native = (asset_value / pa * 10f64.powi(ad as i32)) as i64;
        let liab_native = (asset_value * leverage / pl * 10f64.powi(ld as i32)) as i64;
        prop_assume!(asset_native >= 1 && liab_native >= 1);
        let c = cache(&a, ad, asset_native, &l, ld, liab_native);
        let before = c.health().unwrap().init;
        match plan(&c, &a, &l, share, cap) {
            Ok(p) => {
                prop_assert!(p.liab_amount <= cap);
                prop_assert!(p.asset_amount as i64 <= asset_native);
                let full = p.asset_amount as i64 == asset_native;
                prop_assert!(full || p.liab_amount as i64 <= liab_native);
                prop_assert_eq!(p.insurance_amount + p.liquidator_asset, p.asset_amount);
                let after = apply(&c, 0, 1, &p).health().unwrap().init;
                prop_assert!(after > before, "health must strictly improve: {} -> {}", before, after);
                // Stopping at zero: one native unit of each token's worth bounds the overshoot,
                // and when the health cap was the binding one, health reaches zero.
                let unit = c.token(0).unwrap().risk.asset_init.to_f64()
                    + c.token(1).unwrap().risk.liab_init.to_f64();
                let scale = before.to_num::<f64>().abs() * 1e-12;
                prop_assert!(after.to_num::<f64>() <= 2.0 * unit + scale + 1e-6, "overshoot {} > {}", after, unit);
                let capped = p.liab_amount < cap
                    && (p.liab_amount as i64) < liab_native
                    && p.asset_amount as i64 + (2.0 * (1.0 + c.token(1).unwrap().risk.mid.to_f64() / c.token(0).unwrap().risk.mid.to_f64())) as i64 <= asset_native;
                if capped {
                    prop_assert!(after >= I80F48::ZERO, "stopped short of zero: {}", after);
                }
                // Conservation: y · P_a = x · P_l · (1 + f), to within one native unit of asset.
                let pa_n = c.token(0).unwrap().risk.mid.to_f64();
                let pl_n = c.token(1).unwrap().risk.mid.to_f64();
                let owed = p.liab_amount as f64 * pl_n * (1.0 + (fa + fl) as f64 / 1e4) / pa_n;
                // Taking the whole deposit, the liability is rounded up instead (against the
                // liquidator): x pays at least for all of it, and x − 1 would not.
                prop_assert!(full || p.asset_amount as f64 >= owed - 1.0 - owed * 1e-12);
                prop_assert!(p.asset_amount as f64 <= owed + owed * 1e-12);
                if full && p.liab_amount > 1 && p.liab_amount < cap && (p.liab_amount as i64) < liab_native {
                    let less = (p.liab_amount - 1) as f64 * pl_n * (1.0 + (fa + fl) as f64 / 1e4) / pa_n;
                    prop_assert!(less <= asset_native as f64 * (1.0 + 1e-9), "x rounded up by more than one unit");
                }
            }
            Err(e) => {
                let named = [
                    CrossMarginError::NotLiquidatable, CrossMarginError::LiquidationWouldNotImprove,
                    CrossMarginError::LiquidationTooSmall,
                ].iter().any(|n| e == (*n).into());
                prop_assert!(named, "unexpected {:?}", e);
                if e == CrossMarginError::NotLiquidatable.into() {
                    prop_assert!(before >= I80F48::ZERO);
                }
            }
        }
    }
}

#[test]
fn exact_amounts_match_decimal_arithmetic() {
    // 100 USDC (6 decimals, $1) for SOL (9 decimals, $80) with a 3.5 % fee:
    // 100 × 1.035 / 80 = 1.29375 SOL exactly.
    let usdc = LiquidationSide {
        decimals: 6,
        ..side(1, 1.0, 0, 1_000, 100)
    };
    let sol = LiquidationSide {
        decimals: 9,
        ..side(0, 80.0, 0, 2_000, 250)
    };
    assert_eq!(
        exact_asset_amount(100_000_000, &sol, &usdc, 350, Round::Up),
        Some(1_293_750_000)
    );
    assert_eq!(
        exact_asset_amount(100_000_000, &sol, &usdc, 0, Round::Down),
        Some(1_250_000_000)
    );
    // One more native unit of debt: 1.035e-6 / 80 SOL = 12.9375 lamports → 13 up, 12 down.
    assert_eq!(exact_asset_amount(1, &sol, &usdc, 350, Round::Up), Some(13));
    assert_eq!(
        exact_asset_amount(1, &sol, &usdc, 350, Round::Down),
        Some(12)
    );
    // An exponent gap beyond 10^15 falls back to the float path.
    let wide_gap = LiquidationSide {
        decimals: 0,
        expo: -40,
        ..usdc
    };
    assert_eq!(exact_asset_amount(1, &sol, &wide_gap, 0, Round::Up), None);
}

#[test]
fn dust_is_swept_for_one_native_unit() {
    // 5 native units of a $0.01 0-decimal asset cannot pay for one unit of a $1 0-decimal debt.
    let a = LiquidationSide {
        decimals: 0,
        ..side(0, 0.01, 0, 2_000, 0)
    };
    let l = LiquidationSide {
        decimals: 0,
        ..side(1, 1.0, 0, 2_000, 0)
    };
    let c = cache(&a, 0, 5, &l, 0, 100);
    let p = plan(&c, &a, &l, 5_000, u64::MAX).unwrap();
    assert_eq!(
        (p.liab_amount, p.asset_amount, p.insurance_amount),
        (1, 5, 0)
    );
    let after = apply(&c, 0, 1, &p).health().unwrap().init;
    assert!(after > c.health().unwrap().init);
}

proptest! {
    /// Hole 1: any deposit, however small (a few native units, or less than one), is seized
    /// in full by a keeper's plan (no cap), for at least one unit of liability, and the
    /// liquidatee's health strictly improves.
    #[test]
    fn any_deposit_can_be_seized_in_full(
        pa in 0.000001f64..100_000.0, pl in 0.000001f64..100_000.0,
        ad in prop::sample::select(vec![0u8, 6, 9, 18]), ld in prop::sample::select(vec![0u8, 6, 9]),
        dust in 0.01f64..12.0,
        fa in 0u32..500, fl in 0u32..500,
    ) {
        let a = LiquidationSide { decimals: ad, ..side(0, pa, 0, 2_000, fa) };
        let l = LiquidationSide { decimals: ld, ..side(1, pl, 0, 2_000, fl) };
        prop_assume!(a.price > 0 && l.price > 0);
        let mut c = HealthCache::default();
        c.push(risk(&a, ad, 500), I80F48::from_num(dust)).unwrap();
        c.push(risk(&l, ld, 500), I80F48::from_num(-1e6)).unwrap();
        prop_assume!(c.health().unwrap().init < 0);
        // A deposit worth well under the debt (else a partial liquidation is the plan).
        let asset_value = dust * pa / 10f64.powi(ad as i32);
        let debt_value = 1e6 * pl / 10f64.powi(ld as i32);
        prop_assume!(asset_value * 1.1 < debt_value * 0.5);
        let p = plan(&c, &a, &l, 5_000, u64::MAX).unwrap();
        prop_assert_eq!(p.asset_amount, dust.floor() as u64);
        prop_assert!(p.liab_amount >= 1);
        let mut after = c.clone();
        after.set_balance(0, I80F48::ZERO).unwrap();
        after.set_balance(1, (I80F48::from_num(-1e6) + I80F48::from_num(p.liab_amount)).min(I80F48::ZERO)).unwrap();
        prop_assert!(after.health().unwrap().init > c.health().unwrap().init);
    }

    /// The exact decimal path and the binary-float path agree to within one native unit, and
    /// the exact path brackets the real quotient (down ≤ exact ≤ up, up − down ≤ 1).
    #[test]
    fn exact_amounts_agree_with_the_float_path(
        x in 1u64..1_000_000_000_000,
        pa in 1i64..1_000_000_000_000, pl in 1i64..1_000_000_000_000,
        da in 0u8..=9, dl in 0u8..=9, fee in 0u32..1_000,
    ) {
        let a = LiquidationSide { price: pa, decimals: da, ..side(0, 1.0, 0, 1_000, 0) };
        let l = LiquidationSide { price: pl, decimals: dl, ..side(1, 1.0, 0, 1_000, 0) };
        let up = exact_asset_amount(x, &a, &l, fee, Round::Up);
        let down = exact_asset_amount(x, &a, &l, fee, Round::Down);
        let real = x as f64 * pl as f64 * (1.0 + fee as f64 / 1e4) / pa as f64
            * 10f64.powi(da as i32 - dl as i32);
        match (up, down) {
            (Some(u), Some(d)) => {
                prop_assert!(u >= d && u - d <= 1);
                prop_assert!((d as f64) <= real * (1.0 + 1e-12) + 1e-9);
                prop_assert!((u as f64) >= real * (1.0 - 1e-12) - 1e-9);
            }
            _ => prop_assert!(real >= u64::MAX as f64 * 0.99, "refused only when it overflows u64: {}", real),
        }
    }
}

/// A debt smaller than one unit of the collateral's worth (1 sat of BTC against 550 native
/// USDC): rather than a liquidation that moves no collateral, the whole deposit is taken
/// for the liability worth it, the excess credited back to the liquidatee.
#[test]
fn a_tiny_debt_against_a_valuable_unit_takes_the_whole_unit() {
    let btc = LiquidationSide {
        decimals: 8,
        ..side(0, 60_000.0, 0, 1_000, 250)
    };
    let usdc = LiquidationSide {
        decimals: 6,
        ..side(1, 1.0, 0, 1_000, 100)
    };
    let c = cache(&btc, 8, 1, &usdc, 6, 550);
    assert!(c.health().unwrap().maint < 0);
    let p = plan(&c, &btc, &usdc, 0, u64::MAX).unwrap();
    assert_eq!(p.asset_amount, 1);
    // 1 sat = $0.0006 = 600 native USDC; with 3.5 % of fees, ⌈600 / 1.035⌉ = 580.
    assert_eq!(p.liab_amount, 580);
    let after = apply(&c, 0, 1, &p).health().unwrap().init;
    assert!(after > c.health().unwrap().init);
    // A caller's cap below the whole-unit amount gets a named refusal instead.
    assert_eq!(
        plan(&c, &btc, &usdc, 0, 560).unwrap_err(),
        CrossMarginError::LiquidationTooSmall.into()
    );
}
