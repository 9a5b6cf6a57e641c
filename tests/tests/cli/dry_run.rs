//! `--dry-run` and the send flags: a dry run simulates and reports the transaction the
//! command would send and sends nothing; a failing simulation shows its logs and fails
//! the command; `--priority-fee` and `--dry-run` parse anywhere on the line.

use super::{field, tokens};
use cross_margin_cli::args::{self, Command, TokenArgs};
use cross_margin_cli::commands::run;
use cross_margin_cli::dry_run;
use cross_margin_cli::output::Format;
use cross_margin_client::chain::Chain;
use cross_margin_client::fees::PriorityFee;
use cross_margin_client::send::{SendOptions, DRY_RUN_SIGNATURE};
use cross_margin_tests::harness::scenarios::{lending_market, USDC};

#[tokio::test]
async fn a_dry_run_reports_the_simulated_transaction_and_sends_nothing() {
    let mut p = lending_market().await;
    // The CLI signs with the chain's payer: it deposits into a fresh account of its own.
    let group = p.group;
    let r = run(
        &mut p,
        Command::Account(args::AccountCmd::Create {
            group,
            account_num: 3,
        }),
    )
    .await
    .unwrap();
    let account = field(&r, "account").as_str().unwrap().parse().unwrap();
    let admin = p.admin();
    let mint = p.banks[USDC].mint;
    let wallet = p.tc.create_token_account(&admin, &mint).await;
    p.tc.mint_to(&mint, &wallet, 5_000_000).await;
    let vault = p.banks[USDC].vault;
    let before = (
        p.tc.token_balance(vault).await,
        p.tc.token_balance(wallet).await,
    );
    let deposit = |amount: &str| {
        Command::Deposit(TokenArgs {
            account,
            bank: p.banks[USDC].bank,
            amount: tokens(amount),
            native: false,
            token_account: Some(wallet),
        })
    };
    let (ok, too_much) = (deposit("2"), deposit("9"));

    p.set_send_options(SendOptions {
        dry_run: true,
        priority_fee: PriorityFee::Fixed(7),
        ..SendOptions::default()
    });
    let r = run(&mut p, ok).await.unwrap();
    assert_eq!(field(&r, "signature").as_str(), Some(DRY_RUN_SIGNATURE));
    let runs = p.take_dry_runs();
    assert_eq!(runs.len(), 1);
    let run0 = &runs[0];
    assert!(!run0.failed(), "{run0}");
    let units = run0.simulation.units_consumed.expect("simulated units");
    assert!(u64::from(run0.compute_unit_limit) > units);
    assert_eq!(run0.compute_unit_price, 7);
    assert_eq!(run0.instructions.len(), 1);
    assert_eq!(run0.instructions[0].name.as_deref(), Some("token_deposit"));
    assert!(run0.instructions[0]
        .accounts
        .iter()
        .any(|a| a.key == admin && a.signer));
    let table = dry_run::render(&runs, Format::Table);
    assert!(
        table.contains("none sent") && table.contains("token_deposit") && table.contains("success"),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&dry_run::render(&runs, Format::Json)).unwrap();
    assert_eq!(json["dry_run"][0]["simulation"]["ok"], true);
    assert_eq!(json["dry_run"][0]["compute_unit_price_micro_lamports"], 7);
    assert!(dry_run::print(&runs, Format::Table).is_ok());

    // More than the wallet holds: the simulation fails with the token program's logs, the
    // command still returns (nothing was sent) and the dry run reports the failure.
    run(&mut p, too_much).await.unwrap();
    let runs = p.take_dry_runs();
    assert!(runs[0].failed());
    let table = dry_run::render(&runs, Format::Table);
    assert!(
        table.contains("FAILED") && table.contains("    | Program"),
        "{table}"
    );
    let err = dry_run::print(&runs, Format::Table)
        .unwrap_err()
        .to_string();
    assert!(err.contains("nothing was sent"), "{err}");

    let after = (
        p.tc.token_balance(vault).await,
        p.tc.token_balance(wallet).await,
    );
    assert_eq!(after, before, "a dry run moved tokens");
}

#[test]
fn send_flags_parse_anywhere_on_the_line() {
    let cli = args::try_parse_from([
        "cross-margin",
        "deposit",
        "--account",
        "11111111111111111111111111111111",
        "--bank",
        "11111111111111111111111111111111",
        "--amount",
        "1",
        "--dry-run",
        "--priority-fee",
        "auto:75",
        "--max-priority-fee",
        "50000",
    ])
    .unwrap();
    assert!(cli.dry_run);
    let options = cli.send.options(cli.dry_run);
    assert_eq!(
        options.priority_fee,
        PriorityFee::Auto {
            percentile: Some(75)
        }
    );
    assert_eq!(options.max_priority_fee, 50_000);
    let err = args::try_parse_from([
        "cross-margin",
        "--priority-fee",
        "fast",
        "group",
        "show",
        "--group",
        "11111111111111111111111111111111",
    ])
    .err()
    .unwrap()
    .to_string();
    assert!(err.contains("micro-lamports"), "{err}");
}
