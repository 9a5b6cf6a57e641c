//! Nothing is sent for a config that fails the offline check; a run that fails part-way
//! returns what it had already done.

use super::oracles;
use cross_margin_client::pda;
use cross_margin_migrations::{bootstrap, parse, Error};
use cross_margin_tests::harness::tokens::TOKEN;
use cross_margin_tests::harness::Protocol;
use solana_keypair::Keypair;
use solana_signer::Signer;

#[tokio::test]
async fn an_invalid_config_sends_nothing_and_names_every_problem() {
    let mut p = Protocol::new().await;
    let usdc = p.tc.create_mint(6, TOKEN).await;
    let o = oracles(&mut p, &[("USDC", 1.0)]).await;
    let text = format!(
        r#"
        group_num = 7
        [[banks]]
        token_index = 0
        mint = "{usdc}"
        oracle = "{}"
        [[banks]]
        token_index = 1
        mint = "{usdc}"
        oracle = "{}"
        protocol_fee_bps = 20000
        "#,
        o[0], o[0]
    );
    let err = bootstrap(&mut p, &parse(&text).unwrap()).await.unwrap_err();
    let Error::Invalid(problems) = &err else {
        panic!("expected the offline check to refuse: {err}");
    };
    assert_eq!(problems.0.len(), 2, "{problems}");
    assert!(
        problems.0[0].starts_with("bank 1: fees (protocol_fee_bps = 20000)"),
        "{problems}"
    );
    assert!(
        problems.0[1].starts_with(&format!("mint {usdc} is listed")),
        "{problems}"
    );
    assert!(err.to_string().ends_with("(nothing was sent)"), "{err}");
    let group = pda::group(&p.admin(), 7);
    assert!(
        p.tc.account(group).await.is_none(),
        "the group was not created"
    );
}

#[tokio::test]
async fn a_failure_part_way_returns_what_was_done() {
    let mut p = Protocol::new().await;
    let usdc = p.tc.create_mint(6, TOKEN).await;
    let o = oracles(&mut p, &[("USDC", 1.0), ("SOL", 100.0)]).await;
    // A well-formed key with no mint behind it: only the chain can tell.
    let ghost = Keypair::new().pubkey();
    let text = format!(
        r#"
        group_num = 8
        [[banks]]
        token_index = 0
        mint = "{usdc}"
        oracle = "{}"
        [[banks]]
        token_index = 1
        mint = "{ghost}"
        oracle = "{}"
        "#,
        o[0], o[1]
    );
    let err = bootstrap(&mut p, &parse(&text).unwrap()).await.unwrap_err();
    let Error::Failed { done, error } = &err else {
        panic!("expected a failure part-way: {err}");
    };
    let group = pda::group(&p.admin(), 8);
    assert_eq!(done.group, group);
    assert_eq!(done.actions.len(), 2, "{:?}", done.actions);
    assert_eq!(done.actions[0], format!("created group {group}"));
    assert!(
        done.actions[1].starts_with("registered bank 0"),
        "{:?}",
        done.actions
    );
    assert_eq!(format!("{error:#}"), format!("mint {ghost} does not exist"));
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!(
            "mint {ghost} does not exist (after 2 completed: created group"
        )),
        "{shown}"
    );
    // What was done is on chain; a corrected config picks up from there.
    assert!(p.tc.account(pda::bank(&group, 0)).await.is_some());
    let sol = p.tc.create_mint(9, TOKEN).await;
    let fixed = parse(&text.replace(&ghost.to_string(), &sol.to_string())).unwrap();
    let run = bootstrap(&mut p, &fixed).await.unwrap();
    assert!(
        run.actions[0].starts_with("registered bank 1"),
        "{:?}",
        run.actions
    );
}
