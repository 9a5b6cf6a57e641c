//! The bootstrap against the in-process validator: creates (group, banks, lookup table), is
//! idempotent, converges edits during setup; goes live; on a live group tightens at once and
//! queues loosening behind the timelock, one step at a time.
//!
//! - [`check`]: offline validation (every problem at once, the program's rules deciding);
//! - [`example`]: `example.toml` parses, validates and documents the real defaults;
//! - [`settings`]: the group settings converge like bank configs;
//! - [`failures`]: nothing sent for an invalid config, what was done reported on a failure;
//! - [`perps`]: perp markets registered once, checked offline, drift reported.
#![allow(deprecated)]

mod check;
mod example;
mod failures;
mod perps;
mod settings;

use anchor_lang::prelude::Pubkey;
use cross_margin::state::{Bank, Group};
use cross_margin_client::local::pyth::{self, PythPrice};
use cross_margin_client::lookup_table;
use cross_margin_client::pda;
use cross_margin_migrations::{bootstrap, parse};
use cross_margin_tests::harness::tokens::{TOKEN, TOKEN_2022};
use cross_margin_tests::harness::Protocol;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;

#[tokio::test]
async fn bootstrap_creates_then_changes_nothing_then_converges_an_edit_during_setup() {
    let mut p = Protocol::new().await;
    let now = p.tc.now().await;
    let usdc = p.tc.create_mint(6, TOKEN).await;
    let sol = p.tc.create_mint(9, TOKEN_2022).await;
    // Pull oracles live at Pyth's sponsored feed address of their feed id.
    let (usdc_oracle, sol_oracle) = (
        pyth::pull_address(&pyth::feed_id("USDC")),
        pyth::pull_address(&pyth::feed_id("SOL")),
    );
    for (key, label, price) in [(usdc_oracle, "USDC", 1.0), (sol_oracle, "SOL", 100.0)] {
        p.tc.set_account(
            &key,
            pyth::pull_account(
                pyth::feed_id(label),
                PythPrice::usd(price, 0, now),
                VerificationLevel::Full,
            ),
        );
    }
    let text = format!(
        r#"
        group_num = 5
        live = false
        [[banks]]
        token_index = 0
        mint = "{usdc}"
        oracle = "{usdc_oracle}"
        init_asset_weight_bps = 9000
        maint_asset_weight_bps = 9500
        maint_liab_weight_bps = 10500
        init_liab_weight_bps = 11000
        [[banks]]
        token_index = 1
        mint = "{sol}"
        oracle = "{sol_oracle}"
        liquidation_fee_bps = 300
        "#
    );
    let config = parse(&text).unwrap();
    let first = bootstrap(&mut p, &config).await.unwrap();
    assert_eq!(first.actions.len(), 4, "{:?}", first.actions);
    let group = pda::group(&p.admin(), 5);
    assert_eq!(first.group, group);
    // The group's lookup table: group, 2 × (bank, oracle, vault, insurance vault, mint),
    // two token programs and the system program; found by the client's convention.
    let table = first.lookup_table.expect("a lookup table");
    assert_eq!(
        first.actions[3],
        format!("created lookup table {table} with 14 addresses")
    );
    let found = lookup_table::find_group_table(&mut p, &group)
        .await
        .unwrap()
        .expect("found by convention");
    assert_eq!(found.key, table);
    assert_eq!(found.addresses[0], group);
    assert!(found.addresses.contains(&sol_oracle) && found.addresses.contains(&usdc));
    let bank0 = pda::bank(&group, 0);
    let bank1 = pda::bank(&group, 1);
    let b: Bank = p.tc.load(bank1).await;
    assert_eq!(
        (b.mint, b.liquidation_fee_bps, b.token_program),
        (sol, 300, TOKEN_2022)
    );

    // Second run: nothing to do, nothing changed.
    let before = (
        p.tc.account(bank0).await.unwrap().data,
        p.tc.account(bank1).await.unwrap().data,
    );
    let table_before = p.tc.account(table).await.unwrap().data;
    let second = bootstrap(&mut p, &config).await.unwrap();
    assert!(second.actions.is_empty(), "{:?}", second.actions);
    assert_eq!(second.lookup_table, Some(table));
    assert_eq!(p.tc.account(table).await.unwrap().data, table_before);
    let after = (
        p.tc.account(bank0).await.unwrap().data,
        p.tc.account(bank1).await.unwrap().data,
    );
    assert_eq!(before, after);

    // A changed field is converged with one edit.
    let edited =
        parse(&text.replace("liquidation_fee_bps = 300", "liquidation_fee_bps = 400")).unwrap();
    let third = bootstrap(&mut p, &edited).await.unwrap();
    assert_eq!(
        third.actions,
        vec!["edited bank 1 to match the config".to_string()]
    );
    assert_eq!(p.tc.load::<Bank>(bank1).await.liquidation_fee_bps, 400);

    // A new oracle is appended to the table, nothing else.
    let new_oracle = pyth::pull_address(&pyth::feed_id("SOL-v2"));
    p.tc.set_account(
        &new_oracle,
        pyth::pull_account(
            pyth::feed_id("SOL-v2"),
            PythPrice::usd(100.0, 0, now),
            VerificationLevel::Full,
        ),
    );
    let moved = parse(&text.replace(&sol_oracle.to_string(), &new_oracle.to_string())).unwrap();
    let fourth = bootstrap(&mut p, &moved).await.unwrap();
    assert_eq!(
        fourth.actions,
        vec![
            "edited bank 1 to match the config".to_string(),
            format!("extended lookup table {table} with 1 address"),
        ]
    );

    // Invalid values are refused before anything is sent.
    let bad = parse(&text.replace(
        "init_liab_weight_bps = 11000",
        "init_liab_weight_bps = 9000",
    ))
    .unwrap();
    let err = bootstrap(&mut p, &bad).await.unwrap_err();
    assert!(format!("{err:#}").contains("bank 0"), "{err:#}");
    assert!(
        parse("group_num = 1\nunknown = 3").is_err(),
        "unknown fields are rejected"
    );

    // `live = true`: the group goes live, once.
    let moved_text = text.replace(&sol_oracle.to_string(), &new_oracle.to_string());
    let live = parse(&moved_text.replace("live = false", "live = true")).unwrap();
    let fifth = bootstrap(&mut p, &live).await.unwrap();
    assert_eq!(fifth.actions.len(), 1, "{:?}", fifth.actions);
    assert!(fifth.actions[0].starts_with(&format!("group {group} went live")));
    assert!(p.tc.load::<Group>(group).await.is_live());
    assert!(bootstrap(&mut p, &live).await.unwrap().actions.is_empty());
    let back = bootstrap(&mut p, &moved).await.unwrap();
    assert!(back.actions.is_empty());
    assert!(back.warnings[0].contains("cannot be undone"), "{back:?}");
}

/// Pull oracles for `labels` at Pyth's sponsored feed addresses, priced now.
async fn oracles(p: &mut Protocol, labels: &[(&str, f64)]) -> Vec<Pubkey> {
    let now = p.tc.now().await;
    let mut out = vec![];
    for &(label, price) in labels {
        let key = pyth::pull_address(&pyth::feed_id(label));
        p.tc.set_account(
            &key,
            pyth::pull_account(
                pyth::feed_id(label),
                PythPrice::usd(price, 0, now),
                VerificationLevel::Full,
            ),
        );
        out.push(key);
    }
    out
}

#[tokio::test]
async fn bootstrap_on_a_live_group_tightens_at_once_and_queues_loosening() {
    let mut p = Protocol::new().await;
    let usdc = p.tc.create_mint(6, TOKEN).await;
    let sol = p.tc.create_mint(9, TOKEN).await;
    let eth = p.tc.create_mint(8, TOKEN).await;
    let o = oracles(&mut p, &[("USDC", 1.0), ("SOL", 100.0)]).await;
    let two_banks = format!(
        r#"
        group_num = 6
        [[banks]]
        token_index = 0
        mint = "{usdc}"
        oracle = "{}"
        init_asset_weight_bps = 9000
        maint_asset_weight_bps = 9500
        maint_liab_weight_bps = 10500
        init_liab_weight_bps = 11000
        [[banks]]
        token_index = 1
        mint = "{sol}"
        oracle = "{}"
        init_asset_weight_bps = 8000
        "#,
        o[0], o[1]
    );
    // First run: group, banks with their full weights (setup), live, table.
    let first = bootstrap(&mut p, &parse(&two_banks).unwrap())
        .await
        .unwrap();
    let group = first.group;
    assert_eq!(first.actions.len(), 5, "{:?}", first.actions);
    assert!(
        first.actions[3].contains("went live"),
        "{:?}",
        first.actions
    );
    assert!(p.tc.load::<Group>(group).await.is_live());
    let bank1 = pda::bank(&group, 1);
    assert_eq!(p.tc.load::<Bank>(bank1).await.init_asset_weight_bps, 8_000);

    // Tightening applies at once.
    let tighter = two_banks.replace(
        "init_asset_weight_bps = 8000",
        "init_asset_weight_bps = 7500",
    );
    let run = bootstrap(&mut p, &parse(&tighter).unwrap()).await.unwrap();
    assert_eq!(
        run.actions,
        vec!["tightened bank 1: init_asset_weight_bps 8000→7500".to_string()]
    );
    assert!(run.queued.is_empty());
    assert_eq!(p.tc.load::<Bank>(bank1).await.init_asset_weight_bps, 7_500);

    // Loosening back (and a tightening alongside) on a live group: the tightening applies,
    // the loosening is queued behind the timelock.
    let mixed = two_banks.replace(
        "init_asset_weight_bps = 8000",
        "init_asset_weight_bps = 8000
        borrow_limit = 1000000000000",
    );
    let run = bootstrap(&mut p, &parse(&mixed).unwrap()).await.unwrap();
    assert_eq!(run.actions.len(), 2, "{:?}", run.actions);
    assert!(
        run.actions[0].starts_with("tightened bank 1: borrow_limit"),
        "{:?}",
        run.actions
    );
    assert!(
        run.actions[1]
            .starts_with("queued change 0 for bank 1: init_asset_weight_bps 7500→8000; applies at"),
        "{:?}",
        run.actions
    );
    assert_eq!(run.queued, vec![0]);
    let b = p.tc.load::<Bank>(bank1).await;
    assert_eq!(
        (b.init_asset_weight_bps, b.borrow_limit),
        (7_500, 1_000_000_000_000)
    );
    // Rerun while it waits: nothing to do, a warning saying when.
    let wait = bootstrap(&mut p, &parse(&mixed).unwrap()).await.unwrap();
    assert!(wait.actions.is_empty(), "{:?}", wait.actions);
    assert!(
        wait.warnings[0].contains("queued change 0"),
        "{:?}",
        wait.warnings
    );
    // After the timelock the next run applies it; the bank then matches.
    p.tc.advance_clock(86_400).await;
    let due = bootstrap(&mut p, &parse(&mixed).unwrap()).await.unwrap();
    assert_eq!(due.actions.len(), 1, "{:?}", due.actions);
    assert!(
        due.actions[0].starts_with("applied queued change 0"),
        "{:?}",
        due.actions
    );
    assert_eq!(p.tc.load::<Bank>(bank1).await.init_asset_weight_bps, 8_000);
    assert!(bootstrap(&mut p, &parse(&mixed).unwrap())
        .await
        .unwrap()
        .actions
        .is_empty());

    // A bank new to the live group is listed with asset weights 0 and its weights queued,
    // one step of 0.1 per change.
    let o = oracles(&mut p, &[("ETH", 3_000.0)]).await;
    let three_banks = format!(
        r#"{mixed}
        [[banks]]
        token_index = 2
        mint = "{eth}"
        oracle = "{}"
        "#,
        o[0]
    );
    let run = bootstrap(&mut p, &parse(&three_banks).unwrap())
        .await
        .unwrap();
    assert_eq!(run.actions.len(), 3, "{:?}", run.actions);
    assert!(
        run.actions[0].ends_with("with asset weights 0 (the group is live)"),
        "{:?}",
        run.actions
    );
    assert!(
        run.actions[1].starts_with("queued change 1 for bank 2: init_asset_weight_bps 0→1000, maint_asset_weight_bps 0→1000; applies at"),
        "{:?}",
        run.actions
    );
    assert!(
        run.actions[1].ends_with("run again after it applies)"),
        "{:?}",
        run.actions
    );
    assert!(
        run.actions[2].starts_with("extended lookup table"),
        "{:?}",
        run.actions
    );
    let bank2 = pda::bank(&group, 2);
    let b = p.tc.load::<Bank>(bank2).await;
    assert_eq!((b.init_asset_weight_bps, b.maint_asset_weight_bps), (0, 0));
    p.tc.advance_clock(86_400).await;
    let next = bootstrap(&mut p, &parse(&three_banks).unwrap())
        .await
        .unwrap();
    assert_eq!(next.actions.len(), 2, "{:?}", next.actions);
    assert!(
        next.actions[0].starts_with("applied queued change 1"),
        "{:?}",
        next.actions
    );
    assert!(
        next.actions[1].starts_with("queued change 2 for bank 2: init_asset_weight_bps 1000→2000, maint_asset_weight_bps 1000→2000"),
        "{:?}",
        next.actions
    );
    let b = p.tc.load::<Bank>(bank2).await;
    assert_eq!(
        (b.init_asset_weight_bps, b.maint_asset_weight_bps),
        (1_000, 1_000)
    );

    // A queued change that does not lead to the config is reported with the way out.
    let other = three_banks.replace(
        "token_index = 2",
        "token_index = 2\n        init_asset_weight_bps = 1500",
    );
    let stuck = bootstrap(&mut p, &parse(&other).unwrap()).await.unwrap();
    assert!(stuck.actions.is_empty(), "{:?}", stuck.actions);
    assert!(
        stuck
            .warnings
            .iter()
            .any(|w| w.contains("does not lead to the config")
                && w.contains(&format!("admin cancel --group {group} --id 2"))),
        "{:?}",
        stuck.warnings
    );
}
