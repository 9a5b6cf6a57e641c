//! The RPC backend against a real `solana-test-validator` (see `validator.rs` for the
//! binary and how it is installed).
//!
//! A crash scenario runs on the in-process backend; its accounts (group, banks, vaults,
//! mints, Pyth price updates, margin accounts, wallets) are planted byte for byte in a real
//! validator, and the tools then work through real JSON-RPC: discovery with `memcmp`
//! filters, decoding, the CLI's `account show` / `account list`, the keeper in dry run
//! planning exactly the liquidations it plans in-process, priority-fee estimation and a
//! landed transaction's compute budget, a dry run, the bootstrap creating the group's
//! lookup table through the real lookup-table program, and the error line once the node
//! stops. The program itself cannot be built for SBF here, so nothing that executes it is
//! sent to the real validator: a simulation of one reports the missing program, which the
//! dry-run and send checks rely on.
//!
//! The phases share one validator (it takes ~25 s to start) and run in order in one test.

mod plant;
mod scenario;
mod validator;

use anchor_lang::prelude::Pubkey;
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::fees::{self, PriorityFee};
use cross_margin_client::rpc::RpcChain;
use cross_margin_client::send::{SendOptions, DRY_RUN_SIGNATURE};
use cross_margin_client::snapshot::{margin_accounts, GroupSnapshot};
use cross_margin_keeper::keeper::Keeper;
use scenario::Scenario;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::BTreeSet;

#[test]
fn a_missing_validator_binary_fails_with_the_install_command() {
    // The same lookup the real test does, pointed at a path that does not exist.
    let err = validator::binary_at(Some("/nonexistent/solana-test-validator".into())).unwrap_err();
    assert!(
        err.contains("scripts/install-test-validator.sh") && err.contains("28 minutes"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rpc_backend_against_a_real_validator() {
    // Fail at once, with the install line, rather than after building the scenario.
    validator::binary().unwrap_or_else(|e| panic!("{e}"));
    let mut s = Scenario::build().await;
    let dir = validator::scratch_dir("accounts");
    let now = scenario::wall_clock();
    let planted = plant::plant(&mut s.p, &dir, &s.not_planted, now).await;
    eprintln!("planted {planted} accounts from the in-process scenario");
    let mut v = validator::Validator::start(&dir).await;
    eprintln!("solana-test-validator answering at {}", v.url);
    let mut rpc = RpcChain::new(&v.url, s.p.tc.payer().insecure_clone());

    discovery_reads_the_same_bytes(&mut s, &mut rpc, now).await;
    the_keeper_plans_the_same_liquidations(&mut s, &mut rpc).await;
    cli_reads_accounts_over_rpc(&mut s, &mut rpc).await;
    fees_and_sends(&mut s, &mut rpc).await;
    the_bootstrap_creates_the_lookup_table(&mut s, &mut rpc).await;

    v.stop();
    the_stopped_node_is_named(&mut s, &mut rpc, &v.url).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every planted account reads back byte for byte (price updates as restamped at `now`);
/// `getProgramAccounts` with the group and owner filters finds exactly the scenario's
/// margin accounts; health is the same.
async fn discovery_reads_the_same_bytes(s: &mut Scenario, rpc: &mut RpcChain, now: i64) {
    for key in s.protocol_accounts() {
        let local = Chain::account(&mut s.p, &key).await.unwrap().unwrap();
        let remote = rpc.account(&key).await.unwrap().expect("planted");
        let expected = match local.owner == pyth_solana_receiver_sdk::ID {
            true => plant::restamped_pyth(&local.data, now).unwrap(),
            false => local.data.clone(),
        };
        assert_eq!(remote.data, expected, "{key}");
        assert_eq!(remote.owner, local.owner, "{key}");
    }
    let group = s.p.group;
    let local: BTreeSet<Pubkey> = margin_accounts(&mut s.p, &group, None)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let remote: BTreeSet<Pubkey> = margin_accounts(rpc, &group, None)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(remote, local);
    assert_eq!(remote.len(), s.p.users.len());
    let owner = s.p.users[scenario::DEEP].key.pubkey();
    let mine = margin_accounts(rpc, &group, Some(&owner)).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].0, s.p.users[scenario::DEEP].account);

    let snapshot = GroupSnapshot::load(rpc, &group).await.unwrap();
    assert_eq!(snapshot.banks.len(), s.p.banks.len());
    for (key, account) in margin_accounts(rpc, &group, None).await.unwrap() {
        let health = snapshot.health(&account).expect("health over RPC");
        let liquidatable = health.maint < 0;
        assert_eq!(
            liquidatable,
            s.liquidatable.contains(&key),
            "{key}: maint {}",
            health.maint
        );
    }
    eprintln!(
        "discovery: {} margin accounts, bytes identical",
        local.len()
    );
}

/// The keeper in dry run over RPC finds exactly the liquidatable accounts and plans the
/// same liquidations as on the in-process backend.
async fn the_keeper_plans_the_same_liquidations(s: &mut Scenario, rpc: &mut RpcChain) {
    let keeper = |s: &Scenario| {
        let mut k = Keeper::new(
            s.p.group,
            s.p.users[scenario::LIQUIDATOR].account,
            s.p.users[scenario::LIQUIDATOR].key.insecure_clone(),
        );
        k.dry_run = true;
        k
    };
    let local = keeper(s).tick(&mut s.p).await.unwrap();
    let remote = keeper(s).tick(rpc).await.unwrap();
    assert!(!local.planned_liquidations.is_empty());
    assert_eq!(remote.planned_liquidations, local.planned_liquidations);
    assert_eq!(remote.liquidatable, s.liquidatable.len());
    let planned: BTreeSet<Pubkey> = remote.planned_liquidations.iter().map(|l| l.0).collect();
    assert_eq!(planned, s.liquidatable);
    // Worst health first: DEEP (borrowed 700 against 10 SOL) before EDGE (600).
    assert_eq!(
        remote.planned_liquidations[0].0,
        s.p.users[scenario::DEEP].account
    );
    eprintln!(
        "keeper: {} liquidations planned, as in-process",
        remote.planned_liquidations.len()
    );
}

/// A transaction lands with the compute budget the send path chose; the fee it paid shows
/// in `getRecentPrioritizationFees`; a dry run sends nothing; a transaction whose
/// simulation fails is not sent.
async fn fees_and_sends(s: &mut Scenario, rpc: &mut RpcChain) {
    let payer = s.p.admin();
    rpc.set_send_options(SendOptions {
        priority_fee: PriorityFee::Fixed(1_234),
        ..SendOptions::default()
    });
    let to = Keypair::new().pubkey();
    let transfer = solana_system_interface::instruction::transfer(&payer, &to, 5_000_000);
    let sig = rpc.send(&[transfer], &[]).await.expect("a transfer lands");
    let budget = scenario::landed_compute_budget(rpc, &sig).await;
    // The simulation counts 150 units for the transfer and 150 for each compute budget
    // instruction: the limit is (450 + 1,000) · 1.2.
    assert_eq!(budget, (fees::compute_unit_limit(450, 2_000), 1_234));
    // The node's fee cache takes in a block when the block is frozen: wait for it.
    let mut recent = vec![];
    for _ in 0..40 {
        recent = rpc.recent_prioritization_fees(&[payer, to]).await.unwrap();
        if recent.contains(&1_234) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(recent.contains(&1_234), "{recent:?}");
    rpc.set_send_options(SendOptions {
        priority_fee: PriorityFee::Auto {
            percentile: Some(100),
        },
        max_priority_fee: 1_000,
        ..SendOptions::default()
    });
    let again = solana_system_interface::instruction::transfer(&payer, &to, 1_000_000);
    let sig = rpc.send(&[again], &[]).await.expect("lands");
    assert_eq!(
        scenario::landed_compute_budget(rpc, &sig).await.1,
        1_000,
        "auto: the highest recent fee (1,234), capped at 1,000"
    );

    // The program is not deployed on this validator: its instructions fail simulation.
    let deposit = s.deposit_ix(1);
    let before = balance(rpc, &payer).await;
    let err = rpc
        .send(std::slice::from_ref(&deposit), &[&s.p.users[1].key])
        .await;
    assert!(
        matches!(
            err,
            Err(ChainError::Transaction(_)) | Err(ChainError::Simulation { .. })
        ),
        "{err:?}"
    );
    assert_eq!(
        balance(rpc, &payer).await,
        before,
        "a failing simulation pays nothing"
    );

    rpc.set_send_options(SendOptions {
        dry_run: true,
        ..SendOptions::default()
    });
    // A transfer that would succeed: simulated with its units, not sent.
    let transfer = solana_system_interface::instruction::transfer(&payer, &to, 7_000_000);
    let to_before = balance(rpc, &to).await;
    let sig = rpc.send(&[transfer], &[]).await.expect("a dry run returns");
    assert_eq!(sig, DRY_RUN_SIGNATURE);
    let runs = rpc.take_dry_runs();
    assert!(!runs[0].failed(), "{}", runs[0]);
    assert_eq!(runs[0].simulation.units_consumed, Some(450));
    assert_eq!(
        balance(rpc, &to).await,
        to_before,
        "a dry run sends nothing"
    );
    let sig = rpc
        .send(&[deposit], &[&s.p.users[1].key])
        .await
        .expect("a dry run returns");
    assert_eq!(sig, DRY_RUN_SIGNATURE);
    let runs = rpc.take_dry_runs();
    assert_eq!(runs.len(), 1);
    let text = runs[0].to_string();
    assert!(runs[0].failed(), "{text}");
    assert!(
        text.contains("token_deposit") && text.contains("(signer"),
        "{text}"
    );
    assert_eq!(
        balance(rpc, &payer).await,
        before,
        "a dry run sends nothing"
    );
    rpc.set_send_options(SendOptions::default());
    eprintln!(
        "fees: landed limit {} price {}; dry run:\n{text}",
        budget.0, budget.1
    );
}

/// The bootstrap, run over RPC on a group whose banks were planted without its lookup
/// table, finds everything else in place and creates the table through the real
/// lookup-table program.
async fn the_bootstrap_creates_the_lookup_table(s: &mut Scenario, rpc: &mut RpcChain) {
    let plan = cross_margin_migrations::bootstrap(rpc, &s.bootstrap_config)
        .await
        .expect("bootstrap over RPC");
    let table = plan.lookup_table.expect("a lookup table");
    // The group, 2 × (bank, oracle, vault, insurance vault, mint), SPL Token, the system
    // program.
    assert_eq!(
        plan.actions,
        vec![format!("created lookup table {table} with 13 addresses")]
    );
    let found = cross_margin_client::lookup_table::find_group_table(rpc, &plan.group)
        .await
        .unwrap()
        .expect("found by convention over RPC");
    assert_eq!(found.key, table);
    assert_eq!(found.addresses[0], plan.group);
    let again = cross_margin_migrations::bootstrap(rpc, &s.bootstrap_config)
        .await
        .unwrap();
    assert!(again.actions.is_empty(), "{:?}", again.actions);
    eprintln!("bootstrap: created lookup table {table}");
}

async fn balance(rpc: &mut RpcChain, key: &Pubkey) -> u64 {
    rpc.account(key).await.unwrap().map_or(0, |a| a.lamports)
}

/// Once the node is gone, reads fail with the line naming its URL.
async fn the_stopped_node_is_named(s: &mut Scenario, rpc: &mut RpcChain, url: &str) {
    let err = rpc.account(&s.p.group).await.unwrap_err();
    assert!(matches!(err, ChainError::Unreachable { .. }), "{err:?}");
    let line = err.to_string();
    assert!(
        line.contains(&format!("cannot reach the node at {url}")) && line.contains("-u l|d|m"),
        "{line}"
    );
    assert!(err.is_transient());
    eprintln!("stopped node: {line}");
}

/// `account show` and `account list --owner` through the CLI's own command code over RPC.
async fn cli_reads_accounts_over_rpc(s: &mut Scenario, rpc: &mut RpcChain) {
    scenario::cli_checks(s, rpc).await;
}
