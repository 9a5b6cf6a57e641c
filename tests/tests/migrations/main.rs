//! The bootstrap against the in-process validator: creates (group, banks, lookup table), is
//! idempotent, converges edits.
#![allow(deprecated)]

use cross_margin::state::Bank;
use cross_margin_client::local::pyth::{self, PythPrice};
use cross_margin_client::lookup_table;
use cross_margin_client::pda;
use cross_margin_migrations::{bootstrap, parse};
use cross_margin_tests::harness::tokens::{TOKEN, TOKEN_2022};
use cross_margin_tests::harness::Protocol;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;

#[tokio::test]
async fn bootstrap_creates_then_changes_nothing_then_converges_an_edit() {
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
}
