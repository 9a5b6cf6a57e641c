use cross_margin::error::CrossMarginError as E;
use cross_margin::state::{BankConfig, OracleKind};
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::pyth::{self, PythPrice};
use cross_margin_tests::harness::{assert_err, Protocol};
use solana_account::Account;

/// Banks 0 (collateral $1) and 1 (debt $1); user 0 has borrowed 100 of bank 1.
async fn with_debt(kind: OracleKind) -> Protocol {
    let mut p = Protocol::new().await;
    let config = BankConfig {
        oracle_kind: kind,
        ..default_config()
    };
    let c = p.add_bank(6, 1.0, config).await;
    let d = p.add_bank(6, 1.0, config).await;
    let borrower = p.add_user(&[(c, 1_000_000_000), (d, 1_000_000)]).await;
    let lender = p.add_user(&[(d, 1_000_000_000)]).await;
    p.deposit(borrower, c, 500_000_000).await.unwrap();
    p.deposit(lender, d, 1_000_000_000).await.unwrap();
    p.withdraw(borrower, d, 100_000_000, true).await.unwrap();
    p
}

/// Deposits (to either bank) and repays still work; borrowing and withdrawing do not.
async fn risk_blocked_but_deposit_and_repay_work(p: &mut Protocol, expected: E) {
    assert_err(p.withdraw(0, 1, 1, true).await, expected);
    assert_err(p.withdraw(0, 0, 1, false).await, expected);
    p.deposit(0, 0, 1_000).await.unwrap();
    p.deposit(0, 1, 1_000_000).await.unwrap();
    assert!(
        p.native_balance(0, 1).await > -100_000_000.0,
        "repay applied"
    );
}

#[tokio::test]
async fn stale_price_blocks_borrowing_but_not_deposit_or_repay() {
    let mut p = with_debt(OracleKind::PythPull).await;
    p.tc.advance_clock(61).await; // max_staleness_secs = 60
    risk_blocked_but_deposit_and_repay_work(&mut p, E::OracleStale).await;
    // A fresh price restores borrowing.
    p.set_price(0, 1.0, 0).await;
    p.set_price(1, 1.0, 0).await;
    p.withdraw(0, 1, 1, true).await.unwrap();
}

#[tokio::test]
async fn exactly_max_staleness_is_still_fresh() {
    let mut p = with_debt(OracleKind::PythPull).await;
    p.tc.advance_clock(60).await;
    p.withdraw(0, 1, 1, true).await.unwrap();
}

#[tokio::test]
async fn wide_confidence_blocks_borrowing_but_not_deposit_or_repay() {
    let mut p = with_debt(OracleKind::PythPull).await;
    p.set_price(0, 1.0, 201).await; // max_conf_bps = 200
    risk_blocked_but_deposit_and_repay_work(&mut p, E::OracleConfidenceTooWide).await;
    p.set_price(0, 1.0, 200).await;
    p.withdraw(0, 1, 1, true).await.unwrap();
}

#[tokio::test]
async fn confidence_is_charged_against_the_account() {
    // $1 collateral at init weight 0.8 = $800 of borrowing power for $1 debt at 1.2.
    let mut p = Protocol::new().await;
    let c = p.add_bank(6, 1.0, default_config()).await;
    let d = p.add_bank(6, 1.0, default_config()).await;
    let u = p.add_user(&[(c, 1_000_000_000)]).await;
    let l = p.add_user(&[(d, 1_000_000_000)]).await;
    p.deposit(u, c, 1_000_000_000).await.unwrap();
    p.deposit(l, d, 1_000_000_000).await.unwrap();
    // With 1 % confidence on both: assets at $0.99, debt at $1.01.
    p.set_price(c, 1.0, 100).await;
    p.set_price(d, 1.0, 100).await;
    let max_exact = 792_000_000.0 / 1.212; // 653,465,346.53
    assert_err(
        p.withdraw(u, d, 653_465_347, true).await,
        E::HealthWouldBeNegative,
    );
    p.withdraw(u, d, 653_465_346, true).await.unwrap();
    assert!(653_465_346.0 <= max_exact);
}

#[tokio::test]
async fn legacy_oracle_banks_work_and_a_dead_feed_blocks_risk() {
    let mut p = with_debt(OracleKind::PythLegacy).await;
    p.withdraw(0, 1, 1, true).await.unwrap();
    let now = p.tc.now().await;
    let oracle = p.banks[0].oracle;
    p.tc.set_account(
        &oracle,
        pyth::legacy_account(PythPrice::usd(1.0, 0, now), false),
    );
    risk_blocked_but_deposit_and_repay_work(&mut p, E::OracleNotTrading).await;
}

#[tokio::test]
async fn non_positive_and_absurd_prices_are_rejected_without_panic() {
    let mut p = with_debt(OracleKind::PythPull).await;
    let now = p.tc.now().await;
    for (price, expo) in [
        (0i64, -8),
        (-100_000_000, -8),
        (1, -40),
        (1, 40),
        (i64::MAX, 12),
    ] {
        p.set_raw_price(
            0,
            PythPrice {
                price,
                conf: 0,
                expo,
                publish_time: now,
            },
        )
        .await;
        // A price too large to value (≥ 2^64 quote units per native unit) is invalid too.
        assert_err(p.withdraw(0, 1, 1, true).await, E::OraclePriceInvalid);
    }
    // Deposits never read the oracle.
    p.deposit(0, 0, 1).await.unwrap();
}

#[tokio::test]
async fn an_oracle_account_with_the_wrong_owner_is_rejected() {
    let mut p = with_debt(OracleKind::PythPull).await;
    let oracle = p.banks[0].oracle;
    let mut account: Account = p.tc.account(oracle).await.unwrap();
    account.owner = anchor_lang::system_program::ID;
    p.tc.set_account(&oracle, account);
    assert_err(p.withdraw(0, 1, 1, true).await, E::OracleWrongOwner);
}

#[tokio::test]
async fn a_price_for_another_feed_is_rejected() {
    let mut p = with_debt(OracleKind::PythPull).await;
    let now = p.tc.now().await;
    let oracle = p.banks[0].oracle;
    let other = pyth::feed_id("someone-else");
    p.tc.set_account(
        &oracle,
        pyth::pull_account(
            other,
            PythPrice::usd(1.0, 0, now),
            pyth_solana_receiver_sdk::price_update::VerificationLevel::Full,
        ),
    );
    assert_err(p.withdraw(0, 1, 1, true).await, E::OracleFeedMismatch);
    let feed = p.banks[0].feed_id;
    p.tc.set_account(
        &oracle,
        pyth::pull_account(
            feed,
            PythPrice::usd(1.0, 0, now),
            pyth_solana_receiver_sdk::price_update::VerificationLevel::Partial {
                num_signatures: 5,
            },
        ),
    );
    assert_err(p.withdraw(0, 1, 1, true).await, E::OracleNotVerified);
}
