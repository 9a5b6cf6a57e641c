//! Cases 9–12: oracle abuse.

use cross_margin::error::CrossMarginError as E;
use cross_margin::health::liquidation;
use cross_margin::health::retriever::oracle_policy;
use cross_margin::health::{HealthCache, InitPrices};
use cross_margin::state::{parse_oracle, validate_price, BankConfig};
use cross_margin_tests::harness::pyth::{self, PythPrice};
use cross_margin_tests::harness::scenarios::{
    lending_market, sol_at, usdc_config, LIQUIDATOR, SOL, USDC, VICTIM,
};
use cross_margin_tests::harness::{assert_err, Protocol};

#[tokio::test]
async fn case09_an_oracle_that_is_not_the_banks_or_of_another_owner() {
    let mut p = lending_market().await;
    let mut health = p.health_metas(VICTIM, Some(USDC)).await;
    health.swap(2, 3); // oracles swapped
    let key = p.users[VICTIM].key.insecure_clone();
    let ix = cross_margin_client::builders::token_withdraw(
        &solana_signer::Signer::pubkey(&key),
        &p.group,
        &p.users[VICTIM].account,
        &p.banks[USDC].token_accounts(),
        &p.users[VICTIM].wallets[USDC],
        1,
        true,
        health,
    );
    assert_err(p.step(&[ix], &[&key]).await, E::HealthOracleMismatch);
    // The bank's own oracle key, but the account re-owned by another program.
    let oracle = p.banks[SOL].oracle;
    let mut a = p.tc.account(oracle).await.unwrap();
    a.owner = anchor_lang::prelude::Pubkey::new_unique();
    p.tc.set_account(&oracle, a);
    assert_err(p.withdraw(VICTIM, USDC, 1, true).await, E::OracleWrongOwner);
}

#[tokio::test]
async fn case10_bad_prices_are_rejected_without_panic() {
    let mut p = lending_market().await;
    let now = p.tc.now().await;
    let bad = [
        (0i64, -8),
        (-5, -8),
        (1, i32::MIN),
        (1, i32::MAX),
        (i64::MAX, 12),
        (i64::MIN, -8),
    ];
    for (price, expo) in bad {
        p.set_raw_price(
            SOL,
            PythPrice {
                price,
                conf: 0,
                expo,
                publish_time: now,
            },
        )
        .await;
        assert_err(
            p.withdraw(VICTIM, USDC, 1, true).await,
            E::OraclePriceInvalid,
        );
    }
    // A legacy-format account that is not Trading, where a pull account is configured.
    p.tc.set_account(
        &p.banks[SOL].oracle.clone(),
        pyth::legacy_account(PythPrice::usd(100.0, 0, now), false),
    );
    assert_err(p.withdraw(VICTIM, USDC, 1, true).await, E::OracleWrongOwner);
}

/// Case 11. The bound: a borrow against a pumped price is at most
/// `min(borrow_limit − borrows, vault liquidity, pumped value × w_asset_init / w_liab_init)`,
/// and `max_conf_bps` refuses a pump that widens the confidence interval. With the borrow
/// limit no larger than the insurance fund, the pump-and-revert attack is paid for by
/// insurance and depositors lose nothing.
#[tokio::test]
async fn case11_a_one_slot_pump_buys_no_borrowing_power() {
    let mut p = Protocol::new().await;
    let limit = 20_000_000_000; // 20,000 USDC
    p.add_bank(
        6,
        1.0,
        BankConfig {
            borrow_limit: limit,
            ..usdc_config()
        },
    )
    .await;
    p.add_bank(
        9,
        100.0,
        cross_margin_tests::harness::scenarios::sol_config(),
    )
    .await;
    let attacker = p.add_user(&[(SOL, 100_000_000_000)]).await;
    let keeper = p.add_user(&[(USDC, 200_000_000_000)]).await;
    p.deposit(attacker, SOL, 100_000_000_000).await.unwrap();
    p.deposit(keeper, USDC, 100_000_000_000).await.unwrap();
    p.fund_insurance(keeper, USDC, limit).await.unwrap();
    let index_before = p.bank_state(USDC).await.deposit_index.get();

    // Pump SOL 10× for one slot: at the oracle alone 100 SOL × $1,000 × 0.8 / 1.1 = 72,727
    // USDC of power (the borrow limit would cap it at 20,000). Init health values SOL at
    // min(oracle, stable) and the stable price is still $100: 100 × 100 × 0.8 / 1.1 = 7,272.
    sol_at(&mut p, 1_000.0).await;
    assert_err(
        p.withdraw(attacker, USDC, limit, true).await,
        E::HealthWouldBeNegative,
    );
    assert_err(
        p.withdraw(attacker, USDC, 7_300_000_000, true).await,
        E::HealthWouldBeNegative,
    );
    p.withdraw(attacker, USDC, 7_000_000_000, true)
        .await
        .unwrap();
    // A pump with a wide confidence interval is refused outright.
    p.set_price(SOL, 1_000.0, 500).await;
    assert_err(
        p.withdraw(attacker, USDC, 1, true).await,
        E::OracleConfidenceTooWide,
    );

    // Revert: what the attacker took is covered at the real price; nothing to liquidate,
    // no loss to anyone.
    sol_at(&mut p, 100.0).await;
    let h = p.health(attacker).await.unwrap();
    assert!(h.init >= 0 && h.maint >= 0, "{h:?}");
    assert_err(
        p.liquidate(keeper, attacker, SOL, USDC, u64::MAX).await,
        E::NotLiquidatable,
    );
    let after = p.bank_state(USDC).await;
    assert_eq!(
        after.deposit_index.get(),
        index_before,
        "no loss socialised to depositors"
    );
}

#[tokio::test]
async fn case12_eligibility_and_settlement_use_one_price_snapshot() {
    // The plan computed off-chain from the same account state and oracle accounts equals
    // what the program settles: eligibility, amounts and checks all read one HealthCache.
    let mut p = lending_market().await;
    sol_at(&mut p, 80.0).await;
    let account = p.margin_account(VICTIM).await;
    let now = p.tc.now().await;
    let mut cache = HealthCache::default();
    let mut sides = vec![];
    for (_, pos) in account.active_positions() {
        let idx = pos.token_index as usize;
        let bank = p.bank_state(idx).await;
        let data = p.tc.account(p.banks[idx].oracle).await.unwrap().data;
        let policy = oracle_policy(&bank).unwrap();
        let price =
            validate_price(&parse_oracle(policy.kind, &data).unwrap(), &policy, now).unwrap();
        cache
            .push(
                bank.token_risk_at(&price, now, InitPrices::Oracle).unwrap(),
                pos.indexed.get(),
            )
            .unwrap();
        sides.push(bank.liquidation_side(&price));
    }
    let (asset, liab) = (sides[0], sides[1]);
    assert_eq!(
        (asset.token_index, liab.token_index),
        (SOL as u16, USDC as u16)
    );
    let plan = liquidation::plan(&cache, &asset, &liab, 2_000, 150_000_000).unwrap();
    let sol_before = p.native_balance(VICTIM, SOL).await;
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 150_000_000)
        .await
        .unwrap();
    assert_eq!(
        sol_before - p.native_balance(VICTIM, SOL).await,
        plan.asset_amount as f64
    );
    assert_eq!(
        p.native_balance(LIQUIDATOR, SOL).await,
        plan.liquidator_asset as f64
    );
}
