//! Liquidation on the validator: eligibility, amounts, fees, gates.
//! Banks: 0 = USDC ($1, 6 decimals, fee 1 %), 1 = SOL ($100, 9 decimals, fee 2.5 %, 20 % of
//! fees to insurance). Users: 0 = victim (10 SOL, borrows 700 USDC), 1 = liquidator
//! (10,000 USDC), 2 = lender (10,000 USDC).

use cross_margin::error::CrossMarginError as E;
use cross_margin::math::I80F48;
use cross_margin_tests::harness::assert_err;
use cross_margin_tests::harness::scenarios::{
    lending_market as setup, sol_at, LIQUIDATOR, SOL, USDC, VICTIM,
};

#[tokio::test]
async fn a_price_drop_makes_an_account_liquidatable() {
    let mut p = setup().await;
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::NotLiquidatable,
    );
    // $90: maint = 900 × 0.9 − 735 = +75, init = 720 − 770 = −50: not yet liquidatable.
    sol_at(&mut p, 90.0).await;
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::NotLiquidatable,
    );
    // $80: maint = 720 − 735 = −15.
    sol_at(&mut p, 80.0).await;
    let before = p.health(VICTIM).await.unwrap();
    assert!(before.maint < 0);
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX)
        .await
        .unwrap();
    let after = p.health(VICTIM).await.unwrap();
    assert!(after.init >= 0, "ends at init health zero: {}", after.init);
    assert!(
        after.init < I80F48::from_num(1_000),
        "not past zero by more than rounding: {}",
        after.init
    );
    assert_eq!(p.margin_account(VICTIM).await.being_liquidated, 0);
    assert!(p.health(LIQUIDATOR).await.unwrap().init >= 0);
    // Healthy again: no further liquidation.
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::NotLiquidatable,
    );
}

#[tokio::test]
async fn partial_liquidations_end_exactly_at_zero_and_clear_the_flag() {
    let mut p = setup().await;
    sol_at(&mut p, 80.0).await;
    let mut previous = p.health(VICTIM).await.unwrap().init;
    let mut steps = 0;
    loop {
        match p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 20_000_000).await {
            Ok(()) => {
                steps += 1;
                let h = p.health(VICTIM).await.unwrap();
                assert!(h.init > previous, "each step improves health");
                let flagged = p.margin_account(VICTIM).await.being_liquidated;
                assert_eq!(flagged == 1, h.init < 0, "flag set exactly while init < 0");
                previous = h.init;
            }
            Err(e) => {
                assert!(
                    e.is(E::NotLiquidatable),
                    "stops because it is healthy: {e:?}"
                );
                break;
            }
        }
        assert!(steps < 100);
    }
    // At $80 init health is 640 − 770 = −$130 and k = 1.1 − 1.035 × 0.8 = 0.272, so about
    // $478 of debt moves: 24 slices of $20.
    assert!((23..=25).contains(&steps), "{steps} steps");
    assert!(
        previous >= 0 && previous < I80F48::from_num(1_000),
        "{previous}"
    );
    assert_eq!(p.margin_account(VICTIM).await.being_liquidated, 0);
}

#[tokio::test]
async fn fee_and_insurance_share_are_exact_to_the_native_unit() {
    let mut p = setup().await;
    sol_at(&mut p, 80.0).await;
    let insurance = p.banks[SOL].insurance_vault;
    let sol_vault = p.banks[SOL].vault;
    let vault_before = p.tc.token_balance(sol_vault).await;
    let fees_before = p.bank_state(SOL).await.collected_fees.get();
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 100_000_000)
        .await
        .unwrap();
    // No tokens move in a liquidation: the insurance share is owed to the insurance fund as
    // bank fees until the (permissionless) sweep pays it.
    assert_eq!(p.tc.token_balance(sol_vault).await, vault_before);
    assert_eq!(
        p.bank_state(SOL).await.collected_fees.get() - fees_before,
        8_750_000
    );
    p.sweep_fees(SOL).await.unwrap();
    // 100 USDC × 1.035 (1 % + 2.5 %) / $80 = 1.29375 SOL; the fee is 0.04375 SOL, of
    // which 20 % = 0.00875 SOL is the insurance fund's.
    assert_eq!(
        p.native_balance(VICTIM, SOL).await,
        10_000_000_000.0 - 1_293_750_000.0
    );
    assert_eq!(p.native_balance(VICTIM, USDC).await, -600_000_000.0);
    assert_eq!(p.native_balance(LIQUIDATOR, SOL).await, 1_285_000_000.0);
    assert_eq!(p.native_balance(LIQUIDATOR, USDC).await, 9_900_000_000.0);
    assert_eq!(p.tc.token_balance(insurance).await, 8_750_000);
    assert_eq!(
        p.tc.token_balance(sol_vault).await,
        vault_before - 8_750_000
    );
}

#[tokio::test]
async fn a_liquidator_without_collateral_fails_its_own_health_check() {
    let mut p = setup().await;
    let broke = p.add_user(&[]).await;
    sol_at(&mut p, 80.0).await;
    assert_err(
        p.liquidate(broke, VICTIM, SOL, USDC, u64::MAX).await,
        E::HealthWouldBeNegative,
    );
}

#[tokio::test]
async fn a_stale_oracle_blocks_liquidation_but_not_deposits_or_repays() {
    let mut p = setup().await;
    sol_at(&mut p, 80.0).await;
    p.tc.advance_clock(61).await;
    p.set_price(USDC, 1.0, 0).await; // only SOL is stale
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::OracleStale,
    );
    p.deposit(VICTIM, USDC, 10_000_000).await.unwrap();
    let (mint, wallet) = (p.banks[SOL].mint, p.users[VICTIM].wallets[SOL]);
    p.tc.mint_to(&mint, &wallet, 1_000_000_000).await;
    p.deposit(VICTIM, SOL, 1_000_000_000).await.unwrap();
}

#[tokio::test]
async fn self_liquidation_same_bank_and_pause_are_refused() {
    let mut p = setup().await;
    sol_at(&mut p, 80.0).await;
    assert_err(
        p.liquidate(VICTIM, VICTIM, SOL, USDC, u64::MAX).await,
        E::SelfLiquidation,
    );
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, USDC, USDC, u64::MAX).await,
        E::SameBank,
    );
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, USDC, SOL, u64::MAX).await,
        E::NoAssetToSeize,
    );
    let (admin, group) = (p.admin(), p.group);
    let ix = cross_margin_client::builders::group_set_paused(&admin, &group, true);
    p.step(&[ix], &[]).await.unwrap();
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::GroupPaused,
    );
}
