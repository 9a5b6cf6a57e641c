//! Margin calls against the in-process validator: after a fall in SOL, one keeper tick lists
//! exactly the accounts within the threshold of liquidation (not the liquidatable ones, not
//! the safe ones), most urgent first, and serves them as JSON on `/margin-calls`.

use cross_margin_keeper::keeper::Keeper;
use cross_margin_keeper::metrics;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::Protocol;
use solana_signer::Signer;
use std::io::{Read, Write};

const USDC: usize = 0;
const SOL: usize = 1;
/// SOL after the fall, and its maint asset weight (`BankConfig::DEFAULT`).
const SOL_PRICE: f64 = 80.0;
const SOL_MAINT_WEIGHT: f64 = 0.9;

/// `GET path` on the keeper's HTTP server: (status line, body).
fn get(addr: &str, path: &str) -> (String, String) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut page = String::new();
    stream.read_to_string(&mut page).unwrap();
    let (head, body) = page.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

/// (maint health in USD, maint ratio) of `user`, from the harness's own health and balances:
/// its only deposit is SOL.
async fn ratio(p: &mut Protocol, user: usize) -> (f64, f64) {
    let maint = p.health(user).await.unwrap().maint.to_num::<f64>() / 1e6;
    let sol = p.native_balance(user, SOL).await / 1e9;
    (maint, maint / (sol * SOL_PRICE * SOL_MAINT_WEIGHT))
}

#[tokio::test]
async fn one_tick_lists_the_accounts_near_liquidation_and_serves_them() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    p.add_bank(9, 100.0, default_config()).await;
    let keeper_user = p.add_user(&[(USDC, 100_000_000_000)]).await;
    p.deposit(keeper_user, USDC, 100_000_000_000).await.unwrap();
    let saver = p.add_user(&[(USDC, 1_000_000_000)]).await;
    p.deposit(saver, USDC, 1_000_000_000).await.unwrap();
    // 10 SOL each ($1,000; $720 maint-weighted once SOL is at $80) against these USDC
    // debts. At $80, maint health = 720 − 1.1 × debt: ratios 0.69, 0.24, 0.114 (safe),
    // 0.099, 0.083, 0.038, 0.0008 (margin calls), then < 0 (liquidatable).
    let debts = [200, 500, 580, 590, 600, 630, 654, 655, 666];
    let mut borrowers = vec![];
    for debt in debts {
        let u = p.add_user(&[(SOL, 10_000_000_000)]).await;
        p.deposit(u, SOL, 10_000_000_000).await.unwrap();
        p.withdraw(u, USDC, debt * 1_000_000, true).await.unwrap();
        borrowers.push(u);
    }
    p.set_price(USDC, 1.0, 0).await;
    p.set_price(SOL, SOL_PRICE, 0).await;
    let account = |p: &Protocol, i: usize| p.users[borrowers[i]].account;
    // Most urgent first: 654, 630, 600, 590.
    let expected: Vec<_> = [6, 5, 4, 3].iter().map(|&i| account(&p, i)).collect();
    let liquidatable = [account(&p, 7), account(&p, 8)];
    for (i, &u) in borrowers.iter().enumerate() {
        let (maint, r) = ratio(&mut p, u).await;
        let on_call = maint >= 0.0 && r <= 0.1;
        assert_eq!(
            on_call,
            expected.contains(&account(&p, i)),
            "debt {}: {maint} {r}",
            debts[i]
        );
    }

    // A dry run: the liquidatable accounts are planned, not sent, and stay off the list.
    let signer = p.users[keeper_user].key.insecure_clone();
    let mut keeper = Keeper::new(p.group, p.users[keeper_user].account, signer);
    keeper.dry_run = true;
    let report = keeper.tick(&mut p).await.unwrap();
    let listed: Vec<_> = report
        .margin_calls
        .accounts
        .iter()
        .map(|c| c.account)
        .collect();
    assert_eq!(listed, expected, "{report:?}");
    assert_eq!(
        (report.margin_calls.count, report.margin_calls.tick),
        (4, 1)
    );
    assert_eq!(report.margin_calls.unix_time, p.tc.now().await);
    let planned: Vec<_> = report.planned_liquidations.iter().map(|l| l.0).collect();
    assert!(
        liquidatable.iter().all(|a| planned.contains(a)),
        "{report:?}"
    );
    for call in &report.margin_calls.accounts {
        let u = borrowers
            .iter()
            .copied()
            .find(|&u| p.users[u].account == call.account)
            .unwrap();
        assert_eq!(call.owner, p.users[u].key.pubkey());
        assert_eq!(call.account_num, 0);
        assert_eq!(call.maint_health, p.health(u).await.unwrap().maint);
    }

    // Served over HTTP as JSON, with the gauges on /metrics.
    let addr = metrics::serve("127.0.0.1:0", keeper.metrics.clone(), 60).unwrap();
    let (status, body) = get(&addr, "/margin-calls");
    assert!(status.contains("200"), "{status}");
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (doc["tick"].as_u64(), doc["count"].as_u64()),
        (Some(1), Some(4))
    );
    assert_eq!(
        (doc["fraction"].as_f64(), doc["truncated"].as_bool()),
        (Some(0.1), Some(false))
    );
    let accounts = doc["accounts"].as_array().unwrap();
    let keys: Vec<String> = accounts
        .iter()
        .map(|a| a["account"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = expected.iter().map(|k| k.to_string()).collect();
    assert_eq!(keys, want);
    // The most urgent: $0.6 of maint health on $720 of maint-weighted SOL.
    let first = &accounts[0];
    assert_eq!(
        first["owner"],
        p.users[borrowers[6]].key.pubkey().to_string()
    );
    assert!(
        (first["maint_assets"].as_f64().unwrap() - 720.0).abs() < 0.01,
        "{first}"
    );
    assert!(
        (first["maint_health"].as_f64().unwrap() - 0.6).abs() < 0.01,
        "{first}"
    );
    assert!(first["init_health"].as_f64().unwrap() < 0.0, "{first}");
    let (_, page) = get(&addr, "/metrics");
    assert!(page.contains("keeper_margin_call_accounts 4\n"), "{page}");
    assert!(
        page.contains("keeper_margin_call_min_ratio 0.000"),
        "{page}"
    );

    // A real tick liquidates the two; each is listed afterwards exactly when its repaired
    // health is within the threshold, and the four others are still there.
    keeper.dry_run = false;
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!(report.liquidatable, 2, "{report:?}");
    let listed: Vec<_> = report
        .margin_calls
        .accounts
        .iter()
        .map(|c| c.account)
        .collect();
    for a in &expected {
        assert!(listed.contains(a), "{report:?}");
    }
    for i in [7, 8] {
        let u = borrowers[i];
        let (maint, r) = ratio(&mut p, u).await;
        assert!(maint >= 0.0, "liquidated to health: {maint}");
        // Still liquidatable while a liquidation leaves init health < 0.
        let in_liquidation =
            p.margin_account(u).await.being_liquidated != 0 && p.health(u).await.unwrap().init < 0;
        if (r - 0.1).abs() > 1e-6 {
            let on_call = r <= 0.1 && !in_liquidation;
            assert_eq!(
                listed.contains(&account(&p, i)),
                on_call,
                "debt {}: {r}",
                debts[i]
            );
        }
    }
    assert_eq!(report.margin_calls.count, listed.len());
    let (_, body) = get(&addr, "/margin-calls");
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["tick"].as_u64(), Some(2));
    assert_eq!(doc["count"].as_u64(), Some(listed.len() as u64));
}
