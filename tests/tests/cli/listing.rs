//! `account list` (memcmp on the owner, optionally the group) and `group show`'s per-bank
//! deposits, borrows and utilisation.

use super::field;
use cross_margin_cli::args::{AccountCmd, Command, GroupCmd};
use cross_margin_cli::commands::run;
use cross_margin_cli::output::Format;
use cross_margin_tests::harness::scenarios::{lending_market, LENDER, USDC, VICTIM};
use cross_margin_tests::harness::Protocol;
use solana_signer::Signer;

fn list(
    owner: Option<anchor_lang::prelude::Pubkey>,
    group: Option<anchor_lang::prelude::Pubkey>,
) -> Command {
    Command::Account(AccountCmd::List { owner, group })
}

#[tokio::test]
async fn account_list_finds_accounts_by_owner() {
    let mut p = lending_market().await;
    let group = p.group;
    let victim = p.users[VICTIM].key.pubkey();

    // Another owner's account: the victim's one account, with its health.
    let r = run(&mut p, list(Some(victim), None)).await.unwrap();
    assert_eq!(field(&r, "accounts"), 1);
    let rows = &r.table.as_ref().unwrap().1;
    assert_eq!(rows[0][0], p.users[VICTIM].account.to_string());
    assert_eq!(rows[0][1], group.to_string());
    assert_eq!(rows[0][2], "0");
    assert_eq!(rows[0][3], "2", "SOL deposit and USDC borrow");
    // 10 SOL × $100 × 0.8 − 700 × 1.1 = $30 of init health.
    assert_eq!(rows[0][4], "$30.00", "{}", r.render(Format::Table));
    assert_eq!(rows[0][6], "no");

    // Default owner: the signer, who has none yet, then two (in account-number order).
    let r = run(&mut p, list(None, None)).await.unwrap();
    assert_eq!(field(&r, "owner"), &p.admin().to_string());
    assert_eq!(field(&r, "accounts"), 0);
    for num in [5, 2] {
        run(
            &mut p,
            Command::Account(AccountCmd::Create {
                group,
                account_num: num,
            }),
        )
        .await
        .unwrap();
    }
    let r = run(&mut p, list(None, Some(group))).await.unwrap();
    let rows = &r.table.as_ref().unwrap().1;
    let nums: Vec<&str> = rows.iter().map(|row| row[2].as_str()).collect();
    assert_eq!(nums, ["2", "5"]);
    let admin = p.admin();
    assert_eq!(
        rows[0][0],
        cross_margin_client::pda::margin_account(&group, &admin, 2).to_string()
    );
    assert_eq!(rows[0][4], "$0.00", "an empty account");

    // The group filter: no accounts in a group the owner never used.
    let elsewhere = anchor_lang::prelude::Pubkey::new_unique();
    let r = run(&mut p, list(Some(victim), Some(elsewhere)))
        .await
        .unwrap();
    assert_eq!(field(&r, "accounts"), 0);
    let json: serde_json::Value = serde_json::from_str(&r.render(Format::Json)).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 0);
}

/// The `group show` row of `token`, as header → cell.
async fn bank_row(p: &mut Protocol, token: u16) -> std::collections::HashMap<String, String> {
    let group = p.group;
    let r = run(p, Command::Group(GroupCmd::Show { group }))
        .await
        .unwrap();
    let (headers, rows) = r.table.clone().unwrap();
    let row = rows
        .into_iter()
        .find(|row| row[0] == token.to_string())
        .unwrap_or_else(|| panic!("no token {token} in {}", r.render(Format::Table)));
    headers.into_iter().zip(row).collect()
}

#[tokio::test]
async fn group_show_lists_deposits_borrows_and_utilisation() {
    let mut p = lending_market().await;
    // USDC: 20,000 deposited (liquidator and lender), 700 borrowed by the victim.
    let usdc = bank_row(&mut p, USDC as u16).await;
    assert_eq!(usdc["deposits"], "20000");
    assert_eq!(usdc["borrows"], "700");
    assert_eq!(usdc["utilisation"], "3.50%");
    assert_eq!(usdc["price ($)"], "1.000000");
    // SOL: 10 deposited, nothing borrowed.
    let sol = bank_row(&mut p, 1).await;
    assert_eq!(
        (
            sol["deposits"].as_str(),
            sol["borrows"].as_str(),
            sol["utilisation"].as_str()
        ),
        ("10", "0", "0.00%")
    );
    assert_eq!(sol["price ($)"], "100.000000");

    // The lender takes 10,000 USDC out: utilisation doubles.
    p.withdraw(LENDER, USDC, 10_000_000_000, false)
        .await
        .unwrap();
    let usdc = bank_row(&mut p, USDC as u16).await;
    assert_eq!(usdc["deposits"], "10000");
    assert_eq!(usdc["utilisation"], "7.00%");
}
