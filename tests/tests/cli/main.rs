//! The CLI's commands run against the in-process validator (through `Protocol`, so every
//! invariant is checked after each transaction they send), and the demo end to end.
#![allow(deprecated)]

use cross_margin_cli::args::{
    AccountCmd, BankCmd, Command, DemoArgs, GroupCmd, LiquidateArgs, TokenArgs,
};
use cross_margin_cli::commands::run;
use cross_margin_cli::output::Format;
use cross_margin_tests::harness::scenarios::{lending_market, sol_at, SOL, USDC, VICTIM};

#[tokio::test]
async fn account_lifecycle_through_the_cli() {
    let mut p = lending_market().await;
    let admin = p.admin();
    let group = p.group;
    // The admin (the CLI's signer here) opens an account, funds a wallet, deposits, borrows.
    let r = run(
        &mut p,
        Command::Account(AccountCmd::Create {
            group,
            account_num: 4,
        }),
    )
    .await
    .unwrap();
    let account: anchor_lang::prelude::Pubkey =
        r.get("account").unwrap().as_str().unwrap().parse().unwrap();
    let (sol_mint, usdc_mint) = (p.banks[SOL].mint, p.banks[USDC].mint);
    let sol_wallet = p.tc.create_token_account(&admin, &sol_mint).await;
    let usdc_wallet = p.tc.create_token_account(&admin, &usdc_mint).await;
    p.tc.mint_to(&sol_mint, &sol_wallet, 5_000_000_000).await;
    let sol_bank = p.banks[SOL].bank;
    let usdc_bank = p.banks[USDC].bank;
    let deposit = TokenArgs {
        account,
        bank: sol_bank,
        amount: 5_000_000_000,
        token_account: Some(sol_wallet),
    };
    run(&mut p, Command::Deposit(deposit)).await.unwrap();
    let borrow = TokenArgs {
        account,
        bank: usdc_bank,
        amount: 100_000_000,
        token_account: Some(usdc_wallet),
    };
    run(&mut p, Command::Borrow(borrow)).await.unwrap();
    assert_eq!(p.tc.token_balance(usdc_wallet).await, 100_000_000);

    // `account show`: positions, prices and both healths; JSON and table forms.
    let show = run(&mut p, Command::Account(AccountCmd::Show { account }))
        .await
        .unwrap();
    // 5 SOL × $100 × 0.8 − 100 × 1.1 = $290 of init health.
    assert_eq!(show.get("init_health").unwrap(), "$290.00");
    let json: serde_json::Value = serde_json::from_str(&show.render(Format::Json)).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 2);
    let table = show.render(Format::Table);
    assert!(
        table.contains("maint_health") && table.contains("price ($)"),
        "{table}"
    );

    // A borrow past the limit fails with one line naming the program error.
    let greedy = TokenArgs {
        account,
        bank: usdc_bank,
        amount: 1_000_000_000,
        token_account: Some(usdc_wallet),
    };
    let err = run(&mut p, Command::Borrow(greedy)).await.unwrap_err();
    let line = format!("{err:#}");
    assert!(
        !line.contains('\n') && line.contains("HealthWouldBeNegative"),
        "{line}"
    );

    // Repay and withdraw everything, then close.
    run(
        &mut p,
        Command::Repay(TokenArgs {
            account,
            bank: usdc_bank,
            amount: 100_000_000,
            token_account: Some(usdc_wallet),
        }),
    )
    .await
    .unwrap();
    run(
        &mut p,
        Command::Withdraw(TokenArgs {
            account,
            bank: sol_bank,
            amount: 5_000_000_000,
            token_account: Some(sol_wallet),
        }),
    )
    .await
    .unwrap();
    run(&mut p, Command::Account(AccountCmd::Close { account }))
        .await
        .unwrap();
    assert!(p.tc.account(account).await.is_none());
}

#[tokio::test]
async fn admin_and_liquidation_commands() {
    let mut p = lending_market().await;
    let group = p.group;
    let g = run(&mut p, Command::Group(GroupCmd::Show { group }))
        .await
        .unwrap();
    assert_eq!(g.get("banks").unwrap(), 2);
    let bank = p.banks[USDC].bank;
    let b = run(&mut p, Command::Bank(BankCmd::Show { bank }))
        .await
        .unwrap();
    assert_eq!(b.get("token_index").unwrap(), 0);
    assert!(b.get("utilization").unwrap().as_f64().unwrap() > 0.03);
    run(&mut p, Command::Group(GroupCmd::Pause { group }))
        .await
        .unwrap();
    assert!(p.withdraw(VICTIM, SOL, 1, false).await.is_err());
    run(&mut p, Command::Group(GroupCmd::Unpause { group }))
        .await
        .unwrap();

    // The admin liquidates the victim with its own funded account.
    let r = run(
        &mut p,
        Command::Account(AccountCmd::Create {
            group,
            account_num: 1,
        }),
    )
    .await
    .unwrap();
    let liquidator: anchor_lang::prelude::Pubkey =
        r.get("account").unwrap().as_str().unwrap().parse().unwrap();
    let admin = p.admin();
    let mint = p.banks[USDC].mint;
    let wallet = p.tc.create_token_account(&admin, &mint).await;
    p.tc.mint_to(&mint, &wallet, 1_000_000_000).await;
    run(
        &mut p,
        Command::Deposit(TokenArgs {
            account: liquidator,
            bank,
            amount: 1_000_000_000,
            token_account: Some(wallet),
        }),
    )
    .await
    .unwrap();
    sol_at(&mut p, 80.0).await;
    let victim = p.users[VICTIM].account;
    let args = LiquidateArgs {
        liquidator,
        liquidatee: victim,
        asset_bank: p.banks[SOL].bank,
        liab_bank: bank,
        max: Some(50_000_000),
    };
    run(&mut p, Command::Liquidate(args)).await.unwrap();
    assert_eq!(p.native_balance(VICTIM, USDC).await, -650_000_000.0);
}

#[tokio::test]
async fn the_demo_runs_end_to_end() {
    let out = std::env::temp_dir().join(format!("cross-margin-demo-{}.svg", std::process::id()));
    let args = DemoArgs {
        users: 12,
        out: out.clone(),
        seed: 7,
        quiet: true,
    };
    let steps = cross_margin_cli::demo::run(&args).await.unwrap();
    assert_eq!(steps.len(), cross_margin_cli::demo::CRASH_PATH.len());
    assert!(
        steps.iter().all(|s| s.left_unhealthy == 0),
        "the keeper clears every step"
    );
    assert!(steps.last().unwrap().liquidations > 0);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("polyline"),
        "an SVG chart with lines"
    );
    let table = cross_margin_cli::demo::render(&steps);
    assert!(table.lines().count() == steps.len() + 2, "{table}");
    let _ = std::fs::remove_file(out);
}
