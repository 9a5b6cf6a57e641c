//! The CLI's commands run against the in-process validator (through `Protocol`, so every
//! invariant is checked after each transaction they send), and the demo end to end.
#![allow(deprecated)]

use cross_margin_cli::args::{
    AccountCmd, AdminCmd, BankCmd, Command, GroupCmd, LiquidateArgs, RiskArgs, TokenArgs,
};
use cross_margin_cli::commands::run;
use cross_margin_cli::output::Format;
use cross_margin_tests::harness::scenarios::{lending_market, sol_at, SOL, USDC, VICTIM};

mod amounts;
mod connection;
mod demo;
mod dry_run;
mod isolation;
mod listing;
mod perps;
mod risk;
mod risk_demo_path;

/// An amount as typed on the command line.
pub fn tokens(text: &str) -> cross_margin_client::amount::Amount {
    text.parse().unwrap()
}

pub fn field<'a>(r: &'a cross_margin_cli::output::Report, key: &str) -> &'a serde_json::Value {
    r.get(key)
        .unwrap_or_else(|| panic!("no field {key} in {}", r.render(Format::Table)))
}

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
        amount: tokens("5"),
        native: false,
        token_account: Some(sol_wallet),
    };
    let r = run(&mut p, Command::Deposit(deposit)).await.unwrap();
    assert_eq!(field(&r, "deposited"), "5");
    assert_eq!(field(&r, "deposited_native"), 5_000_000_000u64);
    let borrow = TokenArgs {
        account,
        bank: usdc_bank,
        amount: tokens("100"),
        native: false,
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
        amount: tokens("1000"),
        native: false,
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
            amount: tokens("100000000"),
            native: true,
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
            amount: tokens("5"),
            native: false,
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
            amount: tokens("1000"),
            native: false,
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
        max: Some(tokens("50")),
        native: false,
    };
    run(&mut p, Command::Liquidate(args)).await.unwrap();
    assert_eq!(p.native_balance(VICTIM, USDC).await, -650_000_000.0);
}

#[tokio::test]
async fn admin_queue_apply_cancel_and_guardrail_display() {
    let mut p = lending_market().await;
    let group = p.group;
    let sol = p.banks[SOL].bank;
    let sol_oracle = p.banks[SOL].oracle;

    // `group show`: live, not paused, the settings, no pending admin, no queued change.
    let g = run(&mut p, Command::Group(GroupCmd::Show { group }))
        .await
        .unwrap();
    assert_eq!(field(&g, "live"), true);
    assert_eq!(field(&g, "paused"), false);
    assert!(field(&g, "timelock")
        .as_str()
        .unwrap()
        .starts_with("86400 s (1d)"));
    assert_eq!(field(&g, "pending_admin"), "none");
    assert_eq!(field(&g, "queued_changes"), 0);
    let table = g.render(Format::Table);
    assert!(
        table.contains("stable ($)") && table.contains("breaker"),
        "{table}"
    );

    // `bank show`: oracle and stable price, breaker, outflow window, maint weights.
    let b = run(&mut p, Command::Bank(BankCmd::Show { bank: sol }))
        .await
        .unwrap();
    assert_eq!(field(&b, "oracle_price"), "100.000000");
    assert_eq!(field(&b, "stable_price"), "100.000000");
    assert_eq!(field(&b, "breaker_tripped"), false);
    assert!(
        field(&b, "breaker")
            .as_str()
            .unwrap()
            .starts_with("ok, gap +0.00% (band 25.00%)"),
        "{}",
        b.render(Format::Table)
    );
    assert!(field(&b, "outflow").is_string());
    assert_eq!(
        field(&b, "maint_weights_now_bps"),
        &serde_json::json!([9000, 11000])
    );
    assert_eq!(field(&b, "maint_ramp"), "at target");

    // A loosening `bank edit` on a live group names the way forward.
    let current = p.bank_state(SOL).await.config().unwrap();
    let looser = cross_margin::state::BankConfig {
        init_asset_weight_bps: current.init_asset_weight_bps + 500,
        ..current
    };
    let err = run(
        &mut p,
        Command::Bank(BankCmd::Edit {
            bank: sol,
            oracle: sol_oracle,
            risk: RiskArgs::from(looser),
        }),
    )
    .await
    .unwrap_err();
    let line = format!("{err:#}");
    assert!(
        line.contains("LooseningNeedsTimelock") && line.contains("admin queue"),
        "{line}"
    );

    // `admin queue`: change 0, due after the timelock.
    let now = p.tc.now().await;
    let q = run(
        &mut p,
        Command::Admin(AdminCmd::Queue {
            bank: sol,
            oracle: None,
            risk: RiskArgs::from(looser),
        }),
    )
    .await
    .unwrap();
    assert_eq!(field(&q, "change_id"), 0);
    assert_eq!(field(&q, "effective_at"), now + 86_400);
    assert!(
        field(&q, "changes")
            .as_str()
            .unwrap()
            .contains("init_asset_weight_bps* 8000→8500"),
        "{}",
        q.render(Format::Table)
    );
    let list = run(&mut p, Command::Admin(AdminCmd::Changes { group }))
        .await
        .unwrap();
    assert_eq!(
        (field(&list, "queued_changes"), field(&list, "due")),
        (&1.into(), &0.into())
    );
    let shown = run(&mut p, Command::Bank(BankCmd::Show { bank: sol }))
        .await
        .unwrap();
    assert_eq!(field(&shown, "queued_changes"), 1);
    assert!(field(&shown, "change #0")
        .as_str()
        .unwrap()
        .starts_with("waiting"));

    // Applying it before its time fails with the program's error; after, it applies.
    let apply = |id: Option<u64>, all: bool| Command::Admin(AdminCmd::Apply { group, id, all });
    let err = run(&mut p, apply(Some(0), false)).await.unwrap_err();
    let line = format!("{err:#}");
    assert!(line.contains("ChangeNotYetEffective"), "{line}");
    let none = run(&mut p, apply(None, true)).await.unwrap();
    assert_eq!(field(&none, "applied"), 0, "nothing is due yet");
    assert_eq!(p.bank_state(SOL).await.init_asset_weight_bps, 8_000);
    p.tc.advance_clock(86_400).await;
    sol_at(&mut p, 100.0).await;
    let done = run(&mut p, apply(None, true)).await.unwrap();
    assert_eq!(field(&done, "applied"), 1, "{}", done.render(Format::Table));
    assert_eq!(p.bank_state(SOL).await.init_asset_weight_bps, 8_500);
    let change0 = cross_margin_client::pda::change(&group, 0);
    assert!(
        p.tc.account(change0).await.is_none(),
        "applied changes close"
    );

    // A group settings change, then cancelled.
    let q = run(
        &mut p,
        Command::Admin(AdminCmd::QueueGroup {
            group,
            security_admin: None,
            timelock_secs: None,
            maint_ramp_secs: None,
            pause_duration_secs: Some(3 * 86_400),
        }),
    )
    .await
    .unwrap();
    assert_eq!(field(&q, "change_id"), 1);
    let g = run(&mut p, Command::Group(GroupCmd::Show { group }))
        .await
        .unwrap();
    assert!(
        field(&g, "change #1")
            .as_str()
            .unwrap()
            .starts_with("group, waiting"),
        "{}",
        g.render(Format::Table)
    );
    run(&mut p, Command::Admin(AdminCmd::Cancel { group, id: 1 }))
        .await
        .unwrap();
    let change1 = cross_margin_client::pda::change(&group, 1);
    assert!(p.tc.account(change1).await.is_none());
    let err = run(&mut p, apply(Some(1), false)).await.unwrap_err();
    assert!(format!("{err:#}").contains("does not exist"), "{err:#}");

    // The admin hand-over: proposed (acceptable after the timelock), then withdrawn.
    let heir = anchor_lang::prelude::Pubkey::new_unique();
    let now = p.tc.now().await;
    let r = run(
        &mut p,
        Command::Admin(AdminCmd::ProposeAdmin {
            group,
            new_admin: Some(heir),
            withdraw: false,
        }),
    )
    .await
    .unwrap();
    assert_eq!(field(&r, "accept_from_unix"), now + 86_400);
    let g = run(&mut p, Command::Group(GroupCmd::Show { group }))
        .await
        .unwrap();
    assert!(field(&g, "pending_admin")
        .as_str()
        .unwrap()
        .starts_with(&heir.to_string()));
    run(
        &mut p,
        Command::Admin(AdminCmd::ProposeAdmin {
            group,
            new_admin: None,
            withdraw: true,
        }),
    )
    .await
    .unwrap();
    let g: cross_margin::state::Group = p.tc.load(group).await;
    assert_eq!(g.pending_admin, anchor_lang::prelude::Pubkey::default());
    // Only the proposed admin may accept.
    let err = run(&mut p, Command::Admin(AdminCmd::AcceptAdmin { group }))
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("NotPendingAdmin"), "{err:#}");

    // A change left unapplied for 7 days after it became due expires: listed as such, not
    // applied by `--all`, only cancelled.
    let current = p.bank_state(SOL).await.config().unwrap();
    let q = run(
        &mut p,
        Command::Admin(AdminCmd::Queue {
            bank: sol,
            oracle: None,
            risk: RiskArgs::from(cross_margin::state::BankConfig {
                init_asset_weight_bps: current.init_asset_weight_bps + 500,
                ..current
            }),
        }),
    )
    .await
    .unwrap();
    let id = field(&q, "change_id").as_u64().unwrap();
    p.tc.advance_clock(86_400 + 7 * 86_400 + 1).await;
    let list = run(&mut p, Command::Admin(AdminCmd::Changes { group }))
        .await
        .unwrap();
    let rows = &list.table.as_ref().unwrap().1;
    assert_eq!(rows[0][3], "expired", "{}", list.render(Format::Table));
    let none = run(&mut p, apply(None, true)).await.unwrap();
    assert_eq!(field(&none, "applied"), 0);
    let err = run(&mut p, apply(Some(id), false)).await.unwrap_err();
    assert!(format!("{err:#}").contains("ChangeExpired"), "{err:#}");
    run(&mut p, Command::Admin(AdminCmd::Cancel { group, id }))
        .await
        .unwrap();
}

#[tokio::test]
async fn go_live_through_the_cli() {
    let mut p = cross_margin_tests::harness::Protocol::new().await;
    let group = p.group;
    let g = run(&mut p, Command::Group(GroupCmd::Show { group }))
        .await
        .unwrap();
    assert_eq!(field(&g, "live"), false);
    assert!(field(&g, "phase").as_str().unwrap().starts_with("setup"));
    // No margin account during setup.
    let err = run(
        &mut p,
        Command::Account(AccountCmd::Create {
            group,
            account_num: 0,
        }),
    )
    .await
    .unwrap_err();
    assert!(format!("{err:#}").contains("GroupNotLive"), "{err:#}");
    run(&mut p, Command::Admin(AdminCmd::GoLive { group }))
        .await
        .unwrap();
    let err = run(&mut p, Command::Admin(AdminCmd::GoLive { group }))
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("GroupAlreadyLive"), "{err:#}");
    run(
        &mut p,
        Command::Account(AccountCmd::Create {
            group,
            account_num: 0,
        }),
    )
    .await
    .unwrap();
}

#[test]
fn every_cli_argument_has_a_help_line() {
    let missing = cross_margin_cli::args::undocumented_arguments();
    assert!(missing.is_empty(), "arguments without help: {missing:?}");
}
