//! The keeper against the in-process validator: 200 accounts, a price crash, every
//! liquidatable account liquidated, no healthy account touched, failures survived.
#![allow(deprecated)]

use anchor_lang::solana_program::instruction::Instruction;
use cross_margin::state::BankConfig;
use cross_margin_client::chain::{Chain, ChainError, ChainLayer};
use cross_margin_client::fees::Urgency;
use cross_margin_keeper::keeper::Keeper;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::Protocol;
use solana_keypair::Keypair;
use std::collections::BTreeSet;

mod margin_calls;

const USDC: usize = 0;
const SOL: usize = 1;
const ETH: usize = 2;
const DECIMALS: [u8; 3] = [6, 9, 8];

fn native(bank: usize, tokens: f64) -> u64 {
    (tokens * 10f64.powi(DECIMALS[bank] as i32)) as u64
}

/// A chain whose every `fail_every`-th send fails, alternating a refused transaction and
/// an unreachable node.
struct Flaky<'a> {
    inner: &'a mut Protocol,
    sends: u64,
    fail_every: u64,
    pub injected: u64,
}

impl ChainLayer for Flaky<'_> {
    type Inner = Protocol;

    fn inner(&self) -> &Protocol {
        &*self.inner
    }

    fn inner_mut(&mut self) -> &mut Protocol {
        &mut *self.inner
    }

    async fn layer_send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        urgency: Urgency,
    ) -> Result<String, ChainError> {
        self.sends += 1;
        if self.sends.is_multiple_of(self.fail_every) {
            self.injected += 1;
            return Err(if self.injected.is_multiple_of(2) {
                ChainError::Transport("injected: node unreachable".into())
            } else {
                ChainError::Program {
                    code: 6_000,
                    name: Some("Injected".into()),
                }
            });
        }
        self.inner.send_with(ixs, signers, urgency).await
    }
}

#[tokio::test]
async fn the_keeper_liquidates_every_liquidatable_account_and_no_healthy_one() {
    let mut p = Protocol::new().await;
    let prices = [1.0, 100.0, 3_000.0];
    let configs = [
        BankConfig {
            init_asset_weight_bps: 9_000,
            maint_asset_weight_bps: 9_500,
            maint_liab_weight_bps: 10_500,
            init_liab_weight_bps: 11_000,
            liquidation_fee_bps: 100,
            ..default_config()
        },
        BankConfig {
            init_asset_weight_bps: 8_500,
            maint_asset_weight_bps: 9_000,
            liquidation_fee_bps: 250,
            liquidation_insurance_share_bps: 2_000,
            ..default_config()
        },
        BankConfig {
            liquidation_fee_bps: 250,
            ..default_config()
        },
    ];
    for bank in 0..3 {
        p.add_bank(DECIMALS[bank], prices[bank], configs[bank])
            .await;
    }
    let keeper_user = p
        .add_user(&[(USDC, native(USDC, 5e6)), (ETH, native(ETH, 500.0))])
        .await;
    p.deposit(keeper_user, USDC, native(USDC, 5e6))
        .await
        .unwrap();
    p.deposit(keeper_user, ETH, native(ETH, 500.0))
        .await
        .unwrap();

    let mut borrowers = vec![];
    for i in 0..200usize {
        let collateral = if i % 3 == 2 { ETH } else { SOL };
        let debt = if i % 5 == 0 && collateral == SOL {
            ETH
        } else {
            USDC
        };
        let value = 1_000.0 + (i % 7) as f64 * 500.0;
        let amount = native(collateral, value / prices[collateral]);
        let u = p.add_user(&[(collateral, amount)]).await;
        p.deposit(u, collateral, amount).await.unwrap();
        let power = value * configs[collateral].init_asset_weight_bps as f64
            / configs[debt].init_liab_weight_bps as f64;
        let leverage = 0.1 + 0.89 * ((i * 37) % 200) as f64 / 199.0;
        p.withdraw(u, debt, native(debt, power * leverage / prices[debt]), true)
            .await
            .unwrap();
        borrowers.push(u);
    }

    // SOL crashes 30 %.
    for (bank, price) in [1.0, 70.0, 3_000.0].iter().enumerate() {
        p.set_price(bank, *price, 0).await;
    }
    let mut liquidatable = BTreeSet::new();
    let mut healthy = BTreeSet::new();
    for &u in &borrowers {
        let h = p.health(u).await.unwrap();
        if h.maint < 0 {
            liquidatable.insert(p.users[u].account)
        } else {
            healthy.insert(p.users[u].account)
        };
    }
    assert!(
        liquidatable.len() >= 20 && healthy.len() >= 100,
        "{} / {}",
        liquidatable.len(),
        healthy.len()
    );

    // Every margin account's bytes before the keeper runs: an account is "touched" if they change.
    let mut before = std::collections::BTreeMap::new();
    for &u in &borrowers {
        let key = p.users[u].account;
        before.insert(key, p.tc.account(key).await.unwrap().data);
    }
    let signer = p.users[keeper_user].key.insecure_clone();
    let mut keeper = Keeper::new(p.group, p.users[keeper_user].account, signer);
    let (mut failures, mut tick_errors) = (0, 0);
    let mut flaky = Flaky {
        inner: &mut p,
        sends: 0,
        fail_every: 9,
        injected: 0,
    };
    for _ in 0..30 {
        match keeper.tick(&mut flaky).await {
            Ok(r) => {
                failures += r.failures;
                if r.liquidatable == 0 {
                    break;
                }
            }
            Err(e) => {
                assert!(e.is_transient(), "only transport errors abort a tick: {e}");
                tick_errors += 1;
            }
        }
    }
    let injected = flaky.injected;
    assert!(
        injected > 0 && (failures > 0 || tick_errors > 0),
        "failures were injected and survived"
    );
    let mut touched = BTreeSet::new();
    for (key, data) in &before {
        if p.tc.account(*key).await.map(|a| a.data) != Some(data.clone()) {
            touched.insert(*key);
        }
    }
    let wrongly: Vec<_> = touched.difference(&liquidatable).collect();
    assert!(
        wrongly.is_empty(),
        "healthy accounts were touched: {wrongly:?}"
    );
    let missed: Vec<_> = liquidatable.difference(&touched).collect();
    assert!(
        missed.is_empty(),
        "liquidatable accounts never liquidated: {missed:?}"
    );
    for &u in &borrowers {
        let h = p.health(u).await.unwrap();
        assert!(h.maint >= 0, "account {u} left liquidatable: {h:?}");
    }
    eprintln!(
        "keeper: {} of {} accounts liquidatable, all liquidated ({} liquidations, {} bankruptcies); {injected} injected failures ({failures} failed txs, {tick_errors} aborted ticks); {} invariant checks",
        liquidatable.len(),
        borrowers.len(),
        keeper.metrics.liquidations_sent.load(std::sync::atomic::Ordering::Relaxed),
        keeper.metrics.bankruptcies_resolved.load(std::sync::atomic::Ordering::Relaxed),
        p.invariants.checks
    );
}

#[tokio::test]
async fn the_keeper_cranks_idle_banks_only() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    p.add_bank(9, 100.0, default_config()).await;
    let keeper_user = p.add_user(&[(USDC, 1_000_000)]).await;
    p.deposit(keeper_user, USDC, 1_000_000).await.unwrap();
    let signer = p.users[keeper_user].key.insecure_clone();
    let mut keeper = Keeper::new(p.group, p.users[keeper_user].account, signer);
    keeper.idle_crank_secs = 3_600;
    assert_eq!(
        keeper.tick(&mut p).await.unwrap().cranks,
        0,
        "nothing is idle yet"
    );
    p.tc.advance_clock(3_601).await;
    p.set_price(USDC, 1.0, 0).await;
    p.set_price(SOL, 100.0, 0).await;
    assert_eq!(keeper.tick(&mut p).await.unwrap().cranks, 2);
    let now = p.tc.now().await;
    for bank in [USDC, SOL] {
        assert_eq!(p.bank_state(bank).await.last_accrual_ts, now);
    }
    assert_eq!(
        keeper.tick(&mut p).await.unwrap().cranks,
        0,
        "freshly cranked banks are left alone"
    );
}

#[tokio::test]
async fn after_a_full_scan_only_holders_of_a_moved_token_are_re_evaluated() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    p.add_bank(9, 100.0, default_config()).await;
    let keeper_user = p.add_user(&[(USDC, native(USDC, 100_000.0))]).await;
    p.deposit(keeper_user, USDC, native(USDC, 100_000.0))
        .await
        .unwrap();
    // Two SOL-backed borrowers near their limit, and three USDC-only savers.
    for _ in 0..2 {
        let u = p.add_user(&[(SOL, native(SOL, 10.0))]).await;
        p.deposit(u, SOL, native(SOL, 10.0)).await.unwrap();
        p.withdraw(u, USDC, native(USDC, 650.0), true)
            .await
            .unwrap();
    }
    for _ in 0..3 {
        let u = p.add_user(&[(USDC, native(USDC, 1_000.0))]).await;
        p.deposit(u, USDC, native(USDC, 1_000.0)).await.unwrap();
    }
    let signer = p.users[keeper_user].key.insecure_clone();
    let mut keeper = Keeper::new(p.group, p.users[keeper_user].account, signer);
    let first = keeper.tick(&mut p).await.unwrap();
    assert_eq!(
        (first.scanned, first.liquidations),
        (5, 0),
        "a full scan of everyone but the keeper"
    );
    let quiet = keeper.tick(&mut p).await.unwrap();
    assert_eq!(quiet.scanned, 0, "nothing moved, nothing pending");
    p.set_price(SOL, 75.0, 0).await;
    let crash = keeper.tick(&mut p).await.unwrap();
    assert_eq!(crash.scanned, 2, "only the SOL holders");
    assert_eq!(crash.liquidations, 2);
}

#[tokio::test]
async fn the_keeper_finds_the_group_table_and_liquidates_between_full_accounts() {
    use cross_margin_client::lookup_table;
    use cross_margin_tests::harness::full_accounts::two_full_accounts;

    let (mut p, liqee, liqor) = two_full_accounts().await;
    let group = p.group;
    let signer = p.users[liqor].key.insecure_clone();
    let mut keeper = Keeper::new(group, p.users[liqor].account, signer);
    keeper.full_scan_every = 1; // the table is looked for on full scans
                                // No table yet: the liquidation cannot be sent (over 1,232 bytes as legacy).
                                // (Each refused pair falls through to the next best, which is refused as well.)
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!(
        (report.liquidatable, report.liquidations),
        (1, 0),
        "{report:?}"
    );
    assert!(report.failures >= 1, "{report:?}");
    // The bootstrap's table (created, not registered with this chain): the keeper finds it
    // by convention on its next full scan and the liquidation goes through as v0.
    let table = lookup_table::ensure_group_table(&mut p, &group, None)
        .await
        .unwrap()
        .table;
    p.set_lookup_tables(vec![]);
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!((report.liquidations, report.failures), (1, 0), "{report:?}");
    assert_eq!(p.lookup_tables()[0].key, table);
    let h = p.health(liqee).await.unwrap();
    assert!(h.maint >= 0 && h.init >= 0, "{h:?}");
}

#[tokio::test]
async fn the_keeper_applies_due_changes_and_keeps_stable_prices_fresh() {
    use cross_margin::state::Group;
    use cross_margin_client::{builders, pda};

    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    p.add_bank(9, 100.0, default_config()).await;
    let keeper_user = p.add_user(&[(USDC, 1_000_000)]).await;
    p.deposit(keeper_user, USDC, 1_000_000).await.unwrap();
    // The admin queues a loosening of SOL's init asset weight (0.8 → 0.85).
    let sol = p.banks[SOL].clone();
    let current = p.bank_state(SOL).await.config().unwrap();
    let looser = BankConfig {
        init_asset_weight_bps: current.init_asset_weight_bps + 500,
        ..current
    };
    let group: Group = p.tc.load(p.group).await;
    let id = group.change_count;
    let ix = builders::bank_queue_edit(
        &p.admin(),
        &p.group,
        &sol.bank,
        &sol.oracle,
        id,
        looser,
        &p.other_banks(Some(SOL)),
    );
    p.step(&[ix], &[]).await.unwrap();
    let change = pda::change(&p.group, id);

    let signer = p.users[keeper_user].key.insecure_clone();
    let mut keeper = Keeper::new(p.group, p.users[keeper_user].account, signer);
    let first = keeper.tick(&mut p).await.unwrap();
    assert!(first.applied.is_empty(), "not due yet: {first:?}");
    assert!(p.tc.account(change).await.is_some());

    // A day later the keeper applies it, and cranks both idle banks with their oracles.
    p.tc.advance_clock(86_400).await;
    p.set_price(USDC, 1.0, 0).await;
    p.set_price(SOL, 100.0, 0).await;
    let due = keeper.tick(&mut p).await.unwrap();
    assert_eq!(due.applied.len(), 1, "{due:?}");
    assert_eq!(
        (due.applied[0].change_id, due.applied[0].target),
        (id, sol.bank)
    );
    assert!(
        p.tc.account(change).await.is_none(),
        "applied changes close"
    );
    assert_eq!(p.bank_state(SOL).await.init_asset_weight_bps, 8_500);
    assert_eq!(due.cranks, 2);
    let now = p.tc.now().await;
    for bank in [USDC, SOL] {
        assert_eq!(p.bank_state(bank).await.stable.last_update, now);
    }
    assert!(keeper.tick(&mut p).await.unwrap().applied.is_empty());

    // Not idle (accrued 10 minutes ago) but the stable prices have not seen the oracle for
    // `stable_refresh_secs`: both are fed again.
    p.tc.advance_clock(keeper.stable_refresh_secs).await;
    p.set_price(USDC, 1.0, 0).await;
    p.set_price(SOL, 100.0, 0).await;
    assert_eq!(keeper.tick(&mut p).await.unwrap().cranks, 2);
    let now = p.tc.now().await;
    for bank in [USDC, SOL] {
        let b = p.bank_state(bank).await;
        assert_eq!((b.stable.last_update, b.last_accrual_ts), (now, now));
    }

    // Two minutes on, SOL gaps 40 % below its stable price: the keeper cranks SOL alone
    // (its breaker would flip), and the breaker trips.
    p.tc.advance_clock(120).await;
    p.set_price(USDC, 1.0, 0).await;
    p.set_price(SOL, 60.0, 0).await;
    assert_eq!(keeper.tick(&mut p).await.unwrap().cranks, 1);
    assert!(p.bank_state(SOL).await.breaker_tripped());
    assert!(!p.bank_state(USDC).await.breaker_tripped());
    assert_eq!(
        keeper
            .metrics
            .changes_applied
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

#[tokio::test]
async fn a_stale_change_is_reported_not_fatal() {
    use cross_margin::state::Group;
    use cross_margin_client::{builders, pda};

    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    p.add_bank(9, 100.0, default_config()).await;
    let keeper_user = p.add_user(&[(USDC, 1_000_000)]).await;
    let sol = p.banks[SOL].clone();
    let current = p.bank_state(SOL).await.config().unwrap();
    let group: Group = p.tc.load(p.group).await;
    let ix = builders::bank_queue_edit(
        &p.admin(),
        &p.group,
        &sol.bank,
        &sol.oracle,
        group.change_count,
        BankConfig {
            init_asset_weight_bps: current.init_asset_weight_bps + 500,
            ..current
        },
        &p.other_banks(Some(SOL)),
    );
    p.step(&[ix], &[]).await.unwrap();
    // A tightening since: the queued change no longer matches the bank and cannot apply.
    let ix = builders::bank_edit(
        &p.admin(),
        &p.group,
        &sol.bank,
        &sol.oracle,
        BankConfig {
            borrow_limit: 1_000_000_000_000,
            ..current
        },
        &p.other_banks(Some(SOL)),
    );
    p.step(&[ix], &[]).await.unwrap();
    let signer = p.users[keeper_user].key.insecure_clone();
    let mut keeper = Keeper::new(p.group, p.users[keeper_user].account, signer);
    p.tc.advance_clock(86_400).await;
    p.set_price(USDC, 1.0, 0).await;
    p.set_price(SOL, 100.0, 0).await;
    let r = keeper.tick(&mut p).await.unwrap();
    assert!(r.applied.is_empty(), "{r:?}");
    assert!(p.tc.account(pda::change(&p.group, 0)).await.is_some());
    assert_eq!(p.bank_state(SOL).await.init_asset_weight_bps, 8_000);
    // Not retried until the next full scan.
    let before = keeper
        .metrics
        .liquidation_failures
        .load(std::sync::atomic::Ordering::Relaxed);
    keeper.tick(&mut p).await.unwrap();
    assert_eq!(
        keeper
            .metrics
            .liquidation_failures
            .load(std::sync::atomic::Ordering::Relaxed),
        before
    );
}
