//! The perp and pool commands end to end on the in-process validator: a market registered
//! and shown, an LP deposit, a position opened, shown, partly and fully closed, settled,
//! and the LP's withdrawal; the refusals a trader can hit, each one line.

use super::{field, tokens};
use anchor_lang::prelude::Pubkey;
use cross_margin_cli::args::{
    AccountCmd, Command, PerpCloseArgs, PerpCmd, PerpMarketCmd, PerpOpenArgs, PerpRiskArgs,
    PoolCmd, Side, TokenArgs,
};
use cross_margin_cli::commands::run;
use cross_margin_cli::output::{Format, Report};
use cross_margin_tests::harness::perps::{default_perp_config, PerpSetup};
use cross_margin_tests::harness::scenarios::{lending_market, sol_at, SOL, USDC};
use cross_margin_tests::harness::Protocol;
use std::collections::HashMap;

pub fn key(r: &Report, name: &str) -> Pubkey {
    field(r, name).as_str().unwrap().parse().unwrap()
}

/// Register SOL-PERP (perp index 0) on SOL's oracle, settled in USDC, through the CLI, and
/// tell the harness about it so the invariants cover its positions and pool.
pub async fn register_sol_perp(p: &mut Protocol) -> Pubkey {
    let group = p.group;
    let r = run(
        p,
        Command::Perp(PerpCmd::Market(PerpMarketCmd::Register {
            group,
            settle_bank: p.banks[USDC].bank,
            oracle: p.banks[SOL].oracle,
            perp_index: 0,
            name: "SOL-PERP".into(),
            base_decimals: 9,
            risk: Box::new(PerpRiskArgs::from(default_perp_config())),
        })),
    )
    .await
    .unwrap();
    let market = key(&r, "market");
    let accounts = cross_margin_client::perp_builders::PerpMarketAccounts::derive(
        &group,
        0,
        p.banks[SOL].oracle,
        p.banks[USDC].mint,
        p.banks[USDC].token_program,
    );
    assert_eq!(accounts.market, market);
    assert_eq!(key(&r, "lp_mint"), accounts.lp_mint);
    p.perps.push(PerpSetup {
        accounts,
        base_bank: SOL,
        settle_bank: USDC,
        lp_wallets: HashMap::new(),
    });
    market
}

/// The admin (the CLI's signer): margin account `num` holding `usdc` USDC, and a USDC
/// wallet with `spare` more; returns `(account, wallet)`.
pub async fn admin_account(p: &mut Protocol, num: u32, usdc: u64, spare: u64) -> (Pubkey, Pubkey) {
    let group = p.group;
    let r = run(
        p,
        Command::Account(AccountCmd::Create {
            group,
            account_num: num,
        }),
    )
    .await
    .unwrap();
    let account = key(&r, "account");
    let admin = p.admin();
    let mint = p.banks[USDC].mint;
    let wallet = p.tc.create_token_account(&admin, &mint).await;
    p.tc.mint_to(&mint, &wallet, usdc + spare).await;
    run(
        p,
        Command::Deposit(TokenArgs {
            account,
            bank: p.banks[USDC].bank,
            amount: tokens(&usdc.to_string()),
            native: true,
            token_account: Some(wallet),
        }),
    )
    .await
    .unwrap();
    (account, wallet)
}

pub fn open(account: Pubkey, market: Pubkey, side: Side, size: &str) -> PerpOpenArgs {
    PerpOpenArgs {
        account,
        market,
        side,
        size: tokens(size),
        limit_price: None,
        native: false,
        isolated: false,
        collateral: vec![],
    }
}

fn close(account: Pubkey, market: Pubkey, size: Option<&str>) -> Command {
    Command::Perp(PerpCmd::Close(PerpCloseArgs {
        account,
        market,
        size: size.map(tokens),
        limit_price: None,
        native: false,
    }))
}

#[tokio::test]
async fn perp_market_pool_and_position_through_the_cli() {
    let mut p = lending_market().await;
    let market = register_sol_perp(&mut p).await;
    let (account, wallet) = admin_account(&mut p, 0, 1_000_000_000, 5_000_000_000).await;

    // More than the wallet holds is refused before anything is sent.
    let err = run(
        &mut p,
        Command::Pool(PoolCmd::Deposit {
            market,
            amount: tokens("6000"),
            native: false,
            token_account: Some(wallet),
            lp_account: None,
        }),
    )
    .await
    .unwrap_err();
    assert!(
        format!("{err:#}").contains("holds 5000 of the settle token, not 6000"),
        "{err:#}"
    );

    // The LP side: 5,000 USDC for 5,000 shares (the first deposit mints 1:1), into the
    // signer's associated LP account, created on the way.
    let r = run(
        &mut p,
        Command::Pool(PoolCmd::Deposit {
            market,
            amount: tokens("5000"),
            native: false,
            token_account: Some(wallet),
            lp_account: None,
        }),
    )
    .await
    .unwrap();
    assert_eq!(field(&r, "deposited_native"), 5_000_000_000u64);
    assert_eq!(field(&r, "shares"), "5000");
    let lp = key(&r, "lp_account");

    let show = run(
        &mut p,
        Command::Perp(PerpCmd::Market(PerpMarketCmd::Show { market })),
    )
    .await
    .unwrap();
    assert_eq!(field(&show, "name"), "SOL-PERP");
    assert_eq!(field(&show, "pool_vault_balance"), "5000");
    assert_eq!(field(&show, "lp_supply"), "5000");
    assert_eq!(field(&show, "pool_value"), "5000.000000");
    assert_eq!(field(&show, "oracle_price"), "100.000000");
    assert_eq!(field(&show, "long_open_interest"), "0");
    assert_eq!(field(&show, "funding_rate_per_hour"), "+0.0000% (none)");
    assert_eq!(field(&show, "trading_fee_bps"), "10 (0.10%)");

    // A long of 2 SOL: filled near $100 (fee 0.1 %), shown with its entry price.
    let mut order = open(account, market, Side::Long, "2");
    order.limit_price = Some(tokens("101"));
    let r = run(&mut p, Command::Perp(PerpCmd::Open(order)))
        .await
        .unwrap();
    assert_eq!(field(&r, "position_base"), "2");
    let entry: f64 = field(&r, "entry_price").as_str().unwrap().parse().unwrap();
    assert!((100.09..100.2).contains(&entry), "entry {entry}");

    // Refusals, each one line: a limit the pool cannot meet, a close larger than the
    // position, a close where there is none.
    let mut greedy = open(account, market, Side::Long, "1");
    greedy.limit_price = Some(tokens("99"));
    let err = run(&mut p, Command::Perp(PerpCmd::Open(greedy)))
        .await
        .unwrap_err();
    let line = format!("{err:#}");
    assert!(
        line.contains("LimitPriceExceeded") && !line.contains('\n'),
        "{line}"
    );
    let err = run(&mut p, close(account, market, Some("5")))
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("never flips"), "{err:#}");

    let shown = run(&mut p, Command::Perp(PerpCmd::Show { account }))
        .await
        .unwrap();
    assert_eq!(field(&shown, "perp_positions"), 1);
    let rows = &shown.table.as_ref().unwrap().1;
    assert_eq!(rows[0][0], "SOL-PERP");
    assert_eq!(rows[0][1], "2");
    assert_eq!(rows[0][4], "100.0000", "{}", shown.render(Format::Table));
    let json: serde_json::Value = serde_json::from_str(&shown.render(Format::Json)).unwrap();
    assert_eq!(json["rows"][0]["unsettled pnl"], "$-0.20");
    let market_now = run(
        &mut p,
        Command::Perp(PerpCmd::Market(PerpMarketCmd::Show { market })),
    )
    .await
    .unwrap();
    assert_eq!(field(&market_now, "long_open_interest"), "2");

    // SOL to 110: half closed at a profit, then the rest; settled into USDC.
    sol_at(&mut p, 110.0).await;
    let r = run(&mut p, close(account, market, Some("1")))
        .await
        .unwrap();
    assert_eq!(field(&r, "position_base"), "1");
    let r = run(&mut p, close(account, market, None)).await.unwrap();
    assert_eq!(field(&r, "position_base"), "0");
    let usdc_before =
        p.tc.load::<cross_margin::state::MarginAccount>(account)
            .await;
    let before = usdc_before.token_positions[0].indexed.get();
    run(&mut p, Command::Perp(PerpCmd::Settle { account, market }))
        .await
        .unwrap();
    let after =
        p.tc.load::<cross_margin::state::MarginAccount>(account)
            .await
            .token_positions[0]
            .indexed
            .get();
    // ≈ $19.6 of profit (20 less fees) landed in the USDC deposit.
    let gained = (after - before).to_num::<f64>() / 1e6;
    assert!((19.0..20.0).contains(&gained), "settled {gained}");
    let err = run(&mut p, close(account, market, None)).await.unwrap_err();
    assert!(format!("{err:#}").contains("no open position"), "{err:#}");

    // The LP leaves with the pool's value: its deposit less the trader's net profit.
    let r = run(
        &mut p,
        Command::Pool(PoolCmd::Withdraw {
            market,
            shares: None,
            all: true,
            native: false,
            token_account: Some(wallet),
            lp_account: Some(lp),
        }),
    )
    .await
    .unwrap();
    let got = field(&r, "withdrawn_native").as_u64().unwrap();
    assert!(
        (4_980_000_000..4_981_000_000).contains(&got),
        "withdrew {got}"
    );
    assert_eq!(p.tc.token_balance(lp).await, 0);
}

/// The README's perp examples parse as written (addresses filled in), and the isolated
/// flags come together or not at all.
#[test]
fn the_readme_perp_examples_parse() {
    let readme = include_str!("../../../README.md");
    let section = readme
        .split("### Perps from the CLI")
        .nth(1)
        .unwrap()
        .split("```")
        .nth(1)
        .unwrap();
    let k = Pubkey::new_unique().to_string();
    let mut examples = 0;
    let mut line = String::new();
    for raw in section.lines().skip(1) {
        let raw = raw.split(" # ").next().unwrap().trim_end();
        if raw.trim_start().starts_with('#') || raw.is_empty() {
            continue;
        }
        line.push_str(raw.trim_end_matches('\\'));
        if raw.ends_with('\\') {
            continue;
        }
        let words: Vec<String> = line
            .split_whitespace()
            .map(|w| match w {
                "G" | "USDC_BANK" | "SOL_ORACLE" | "M" | "A" => k.clone(),
                w => w.to_string(),
            })
            .collect();
        let parsed = cross_margin_cli::args::try_parse_from(&words);
        assert!(parsed.is_ok(), "{line}: {}", parsed.unwrap_err());
        examples += 1;
        line.clear();
    }
    assert_eq!(examples, 9);
    let open = |extra: &[&str]| {
        let mut words = vec![
            "cross-margin",
            "perp",
            "open",
            "--account",
            &k,
            "--market",
            &k,
            "--side",
            "short",
            "--size",
            "1",
        ];
        words.extend(extra);
        cross_margin_cli::args::try_parse_from(words)
    };
    assert!(open(&[]).is_ok());
    assert!(
        open(&["--isolated"]).is_err(),
        "--isolated needs --collateral"
    );
    assert!(
        open(&["--collateral", "0=5"]).is_err(),
        "--collateral needs --isolated"
    );
    assert!(open(&["--isolated", "--collateral", "0=5", "--collateral", "1=2"]).is_ok());
    assert!(open(&["--isolated", "--collateral", "usdc"]).is_err());
}
