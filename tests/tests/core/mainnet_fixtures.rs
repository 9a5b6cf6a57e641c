//! Real mainnet Pyth accounts from `fixtures/mainnet/` (see its README): the pull
//! account must price a bank near its publish time and be stale an hour later; the legacy
//! account (a dead feed, status Unknown) must be refused.

use anchor_lang::prelude::Pubkey;
use base64::Engine;
use cross_margin::error::CrossMarginError as E;
use cross_margin::state::{BankConfig, OracleKind};
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::tokens::TOKEN;
use cross_margin_tests::harness::{assert_err, Protocol};
use solana_account::Account;
use std::str::FromStr;

const PULL_PUBLISH_TIME: i64 = 1_735_984_087;

/// The account in a `solana account --output json` dump. The fixtures are part of the
/// repository (copied with their provenance), so a missing file fails the test.
fn fixture(name: &str) -> (Pubkey, Account) {
    let path = cross_margin_tests::repo_file("fixtures/mainnet").join(name);
    let text = std::fs::read_to_string(&path).expect("fixtures/mainnet is in the repository");
    let json: serde_json::Value = serde_json::from_str(&text).expect("fixture JSON");
    let a = &json["account"];
    let data = base64::engine::general_purpose::STANDARD
        .decode(a["data"][0].as_str().expect("base64 data"))
        .expect("valid base64");
    let account = Account {
        lamports: a["lamports"].as_u64().unwrap(),
        data,
        owner: Pubkey::from_str(a["owner"].as_str().unwrap()).unwrap(),
        executable: false,
        rent_epoch: 0,
    };
    (
        Pubkey::from_str(json["pubkey"].as_str().unwrap()).unwrap(),
        account,
    )
}

#[tokio::test]
async fn the_pull_account_prices_a_bank_near_publish_time_and_goes_stale() {
    let (oracle, account) = fixture("pyth-pull-sol-usd.json");
    let mut p = Protocol::with_accounts(vec![(oracle, account)]).await;
    p.tc.set_time(PULL_PUBLISH_TIME + 5).await;
    let sol_mint = p.tc.create_mint(9, TOKEN).await;
    let sol = p
        .register(sol_mint, 9, TOKEN, default_config(), None, Some(oracle))
        .await
        .unwrap();
    let usdc = p.add_bank(6, 1.0, default_config()).await;
    let bank = p.bank_state(sol).await;
    assert_eq!(
        hex(&bank.oracle_feed_id),
        "ef0d8b6fda2ceba41da15d4095d1da392a0d2f8ed0c6c7bc0f4cfac8c280b56d"
    );

    let u = p.add_user(&[(sol, 10_000_000_000)]).await;
    let l = p.add_user(&[(usdc, 10_000_000_000)]).await;
    p.deposit(u, sol, 10_000_000_000).await.unwrap();
    p.deposit(l, usdc, 10_000_000_000).await.unwrap();
    // 10 SOL at $215.68 − $0.20 conf, weight 0.8 ≈ $1,723.84 of collateral; $1 debt at 1.2.
    p.withdraw(u, usdc, 1_436_000_000, true).await.unwrap();
    assert_err(
        p.withdraw(u, usdc, 1_000_000, true).await,
        E::HealthWouldBeNegative,
    );

    p.tc.set_time(PULL_PUBLISH_TIME + 3_600).await;
    p.set_price(usdc, 1.0, 0).await;
    assert_err(p.withdraw(u, usdc, 1, true).await, E::OracleStale);
    // Repaying never needs the oracle.
    p.deposit(u, usdc, 1_000_000).await.unwrap();
}

#[tokio::test]
async fn the_dead_legacy_feed_is_refused() {
    let (oracle, account) = fixture("pyth-legacy-sol-usd.json");
    let mut p = Protocol::with_accounts(vec![(oracle, account)]).await;
    let mint = p.tc.create_mint(9, TOKEN).await;
    let config = BankConfig {
        oracle_kind: OracleKind::PythLegacy,
        ..default_config()
    };
    let r = p.register(mint, 9, TOKEN, config, None, Some(oracle)).await;
    assert_err(r.map(|_| ()), E::OracleNotTrading);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
