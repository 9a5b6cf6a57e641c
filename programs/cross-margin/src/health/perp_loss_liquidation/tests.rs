use super::*;
use crate::health::perp_liquidation::tests::{account, n, ONE_SOL, SOL, USD};
use crate::math::rounding;
use proptest::prelude::*;

const MKT: u16 = 0;
const USD_U: u64 = USD as u64;

/// SOL's side at `$dollars` (8-decimal mantissa), 2.5 % liquidation fee, SPOT init weights.
fn sol_side(dollars: u64, conf: u64) -> LiquidationSide {
    LiquidationSide {
        token_index: SOL,
        price: (dollars * 100_000_000) as i64,
        conf,
        expo: -8,
        decimals: 9,
        init_asset_weight_bps: 8_000,
        init_liab_weight_bps: 12_000,
        liquidation_fee_bps: 250,
    }
}

/// A flat loss of `loss` native units next to `sol` lamports at `$dollars`.
fn victim(dollars: u64, loss: i64, sol: i64) -> HealthCache {
    account(dollars, 0, -loss, 0, Some(sol))
}

#[test]
fn a_flat_loss_is_taken_over_at_the_token_liquidation_discount_and_stops_at_init_zero() {
    // 10 SOL at $80 against a $750 flat loss: maint = 720 − 750 = −30, init = 640 − 750.
    let mut c = victim(80, 750 * USD, 10 * ONE_SOL);
    let before = c.health().unwrap();
    assert!((before.maint - n(-30 * USD)).abs() < 1, "{before:?}");
    assert!((before.init - n(-110 * USD)).abs() < 1, "{before:?}");
    let p = plan(&mut c, MKT, &sol_side(80, 0), 2_000, u64::MAX).unwrap();
    // k = 1 − 1.025 × 0.8 = 0.18: about $611.1 repairs $110.
    assert!((611 * USD_U..612 * USD_U).contains(&p.loss_amount), "{p:?}");
    // y = ⌊x × 1.025 / $80 per SOL⌋ in lamports (80 USD-native per 1e9 lamports).
    let y = (p.loss_amount as u128 * 1_025 * 1_000_000_000 / (80 * 1_000 * 1_000_000)) as u64;
    assert_eq!(p.asset_amount, y);
    // Fee = y − ⌊x / $80⌋, 20 % of it to insurance.
    let fair = (p.loss_amount as u128 * 1_000_000_000 / (80 * 1_000_000)) as u64;
    assert_eq!(p.insurance_amount, (y - fair) / 5);
    assert_eq!(p.liquidator_asset, y - p.insurance_amount);
    assert_eq!(p.quote_after, n(-750 * USD) + n(p.loss_amount as i64));
    assert!(
        p.health_after.init >= 0 && p.health_after.init < n(USD),
        "{p:?}"
    );
    assert!(p.health_after.maint > before.maint);
    // The cache is restored.
    assert_eq!(c.health().unwrap(), before);
}

#[test]
fn the_callers_cap_binds() {
    let mut c = victim(80, 750 * USD, 10 * ONE_SOL);
    let p = plan(&mut c, MKT, &sol_side(80, 0), 2_000, 100 * USD_U).unwrap();
    assert_eq!(p.loss_amount, 100 * USD_U);
    // 100 × 1.025 / 80 = 1.28125 SOL.
    assert_eq!(p.asset_amount, 1_281_250_000);
    assert!(p.health_after.init < 0);
}

#[test]
fn a_loss_larger_than_the_collateral_takes_the_whole_deposit() {
    // 1 SOL at $80 against $5,000: the deposit buys x = ⌈80 / 1.025⌉ of loss.
    let mut c = victim(80, 5_000 * USD, ONE_SOL);
    let p = plan(&mut c, MKT, &sol_side(80, 0), 2_000, u64::MAX).unwrap();
    assert_eq!(p.asset_amount, ONE_SOL as u64);
    assert_eq!(p.loss_amount, 78_048_781); // ⌈80e6 / 1.025⌉
    assert!(p.health_after.init < 0);
}

#[test]
fn a_dust_deposit_is_seized_whole_for_at_least_one_unit() {
    let mut c = victim(80, 5_000 * USD, 3);
    let p = plan(&mut c, MKT, &sol_side(80, 0), 0, u64::MAX).unwrap();
    assert_eq!((p.loss_amount, p.asset_amount), (1, 3));
}

#[test]
fn a_sub_unit_profit_left_by_rounding_goes_to_the_pool() {
    assert_eq!(quote_after(n(-10) + I80F48::from_num(0.5), 10).unwrap(), 0);
    assert_eq!(quote_after(n(-10), 4).unwrap(), n(-6));
    assert_eq!(quote_after(n(-1), 3).unwrap(), n(2));
}

#[test]
fn only_a_flat_loss_against_a_deposit_qualifies() {
    let side = sol_side(80, 0);
    let mut open = account(80, ONE_SOL, -750 * USD, 0, Some(ONE_SOL));
    let e = plan(&mut open, MKT, &side, 0, u64::MAX).unwrap_err();
    assert_eq!(e, CrossMarginError::PerpPositionNotFlat.into());
    let mut profit = account(80, 0, 5 * USD, -1_000 * USD, Some(ONE_SOL));
    let e = plan(&mut profit, MKT, &side, 0, u64::MAX).unwrap_err();
    assert_eq!(e, CrossMarginError::NoPerpLoss.into());
    let mut none = account(80, 0, -750 * USD, 0, None);
    let e = plan(&mut none, MKT, &side, 0, u64::MAX).unwrap_err();
    assert_eq!(e, CrossMarginError::NoAssetToSeize.into());
    let e = plan(&mut none, 7, &side, 0, u64::MAX).unwrap_err();
    assert_eq!(e, CrossMarginError::NoPerpPosition.into());
    // Healthy: init ≥ 0.
    let mut fine = victim(80, 100 * USD, 10 * ONE_SOL);
    let e = plan(&mut fine, MKT, &side, 0, u64::MAX).unwrap_err();
    assert_eq!(e, CrossMarginError::NotLiquidatable.into());
}

proptest! {
    /// Maint strictly improves; init stops at ≥ 0 unless the cap, the loss or the deposit
    /// ran out first; y never exceeds the deposit; the cache is restored.
    #[test]
    fn every_plan_repairs_and_stays_within_the_deposit(
        dollars in 1u64..5_000,
        sol in 1i64..100 * ONE_SOL,
        loss_frac in 0.5f64..5.0,
        max in prop_oneof![Just(u64::MAX), 1u64..10_000 * USD_U],
        share in 0u32..=10_000,
    ) {
        let value = sol as f64 * dollars as f64 / 1_000.0; // USD-native
        let loss = ((value * loss_frac) as i64).max(1);
        let mut c = victim(dollars, loss, sol);
        let side = sol_side(dollars, 0);
        let before = c.health().unwrap();
        let Ok(p) = plan(&mut c, MKT, &side, share, max) else {
            prop_assert_eq!(c.health().unwrap(), before);
            return Ok(());
        };
        prop_assert_eq!(c.health().unwrap(), before);
        prop_assert!(p.health_after.maint > before.maint);
        prop_assert!(p.health_after.init > before.init);
        prop_assert!(p.asset_amount <= sol as u64);
        prop_assert!(p.insurance_amount + p.liquidator_asset == p.asset_amount);
        prop_assert!(p.loss_amount >= 1);
        let exhausted = p.loss_amount >= max
            || p.asset_amount == sol as u64
            || p.quote_after >= I80F48::ZERO;
        prop_assert!(p.health_after.init >= 0 || exhausted, "{:?}", p);
        // Never beyond the loss unless the whole deposit went (dust rule), and then the
        // liquidatee keeps the excess as a profit.
        let to_settle = rounding::to_native(n(loss), Round::Up).unwrap();
        prop_assert!(p.loss_amount <= to_settle || p.asset_amount == sol as u64);
    }
}
