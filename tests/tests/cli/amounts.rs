//! Amounts typed in tokens with the bank's decimals, `--native` raw units, and the inputs
//! refused before anything is sent (too many decimals, zero, negative, garbage).

use super::{field, tokens};
use cross_margin_cli::args::{
    self, BankCmd, Cli, Command, InsuranceCmd, LiquidateArgs, RiskArgs, TokenArgs,
};
use cross_margin_cli::clap;
use cross_margin_cli::commands::run;
use cross_margin_tests::harness::scenarios::{lending_market, sol_at, SOL, USDC, VICTIM};
use cross_margin_tests::harness::Protocol;

/// The admin (the CLI's signer) with a new margin account and a USDC wallet holding
/// 1,000 USDC; returns `(account, wallet)`.
async fn funded_admin(
    p: &mut Protocol,
) -> (anchor_lang::prelude::Pubkey, anchor_lang::prelude::Pubkey) {
    let group = p.group;
    let r = run(
        p,
        Command::Account(cross_margin_cli::args::AccountCmd::Create {
            group,
            account_num: 7,
        }),
    )
    .await
    .unwrap();
    let account = field(&r, "account").as_str().unwrap().parse().unwrap();
    let admin = p.admin();
    let mint = p.banks[USDC].mint;
    let wallet = p.tc.create_token_account(&admin, &mint).await;
    p.tc.mint_to(&mint, &wallet, 1_000_000_000).await;
    (account, wallet)
}

/// A deposit (or, with `withdraw`, a withdrawal) of `amount` USDC between `wallet` and
/// `account`.
fn usdc(
    bank: anchor_lang::prelude::Pubkey,
    account: anchor_lang::prelude::Pubkey,
    wallet: anchor_lang::prelude::Pubkey,
) -> impl Fn(&str, bool) -> TokenArgs {
    move |amount, native| TokenArgs {
        account,
        bank,
        amount: tokens(amount),
        native,
        token_account: Some(wallet),
    }
}

#[tokio::test]
async fn token_units_use_the_bank_decimals_and_native_is_raw() {
    let mut p = lending_market().await;
    let (account, wallet) = funded_admin(&mut p).await;
    let transfer = usdc(p.banks[USDC].bank, account, wallet);
    let vault = p.banks[USDC].vault;
    let vault_before = p.tc.token_balance(vault).await;

    // 1.5 USDC (6 decimals) moves 1,500,000 native units.
    let r = run(&mut p, Command::Deposit(transfer("1.5", false)))
        .await
        .unwrap();
    assert_eq!(field(&r, "deposited"), "1.5");
    assert_eq!(field(&r, "deposited_native"), 1_500_000u64);
    assert_eq!(p.tc.token_balance(wallet).await, 1_000_000_000 - 1_500_000);
    assert_eq!(p.tc.token_balance(vault).await, vault_before + 1_500_000);

    // --native: the number is raw units.
    run(&mut p, Command::Deposit(transfer("250000", true)))
        .await
        .unwrap();
    assert_eq!(p.tc.token_balance(vault).await, vault_before + 1_750_000);

    // Withdraw 0.75 USDC in tokens.
    let r = run(&mut p, Command::Withdraw(transfer("0.75", false)))
        .await
        .unwrap();
    assert_eq!(field(&r, "withdrawn_native"), 750_000u64);
    assert_eq!(p.tc.token_balance(vault).await, vault_before + 1_000_000);

    // Insurance deposit in tokens lands in the insurance vault.
    let insurance = p.banks[USDC].insurance_vault;
    let before = p.tc.token_balance(insurance).await;
    let bank = p.banks[USDC].bank;
    let r = run(
        &mut p,
        Command::Insurance(InsuranceCmd::Deposit {
            bank,
            amount: tokens("2.5"),
            native: false,
            token_account: Some(wallet),
        }),
    )
    .await
    .unwrap();
    assert_eq!(field(&r, "insurance_deposit"), "2.5");
    assert_eq!(p.tc.token_balance(insurance).await, before + 2_500_000);
}

#[tokio::test]
async fn too_many_decimals_and_fractional_native_amounts_send_nothing() {
    let mut p = lending_market().await;
    let (account, wallet) = funded_admin(&mut p).await;
    let transfer = usdc(p.banks[USDC].bank, account, wallet);
    let vault = p.banks[USDC].vault;
    let vault_before = p.tc.token_balance(vault).await;

    let err = run(&mut p, Command::Deposit(transfer("1.1234567", false)))
        .await
        .unwrap_err();
    let line = format!("{err:#}");
    assert_eq!(
        line,
        "--amount: amount 1.1234567 has 7 decimal places but the token has 6 (smallest unit 0.000001)"
    );
    let err = run(&mut p, Command::Deposit(transfer("1.5", true)))
        .await
        .unwrap_err();
    let line = format!("{err:#}");
    assert!(
        line.contains("has a fraction") && !line.contains('\n'),
        "{line}"
    );
    // SOL has 9 decimals: a 10th is too many for a liquidation cap too.
    let args = LiquidateArgs {
        liquidator: account,
        liquidatee: p.users[VICTIM].account,
        asset_bank: p.banks[USDC].bank,
        liab_bank: p.banks[SOL].bank,
        max: Some(tokens("0.0000000001")),
        native: false,
    };
    let err = run(&mut p, Command::Liquidate(args)).await.unwrap_err();
    assert!(
        format!("{err:#}")
            .starts_with("--max: amount 0.0000000001 has 10 decimal places but the token has 9"),
        "{err:#}"
    );
    assert_eq!(
        p.tc.token_balance(vault).await,
        vault_before,
        "nothing moved"
    );
    assert_eq!(p.tc.token_balance(wallet).await, 1_000_000_000);
}

#[tokio::test]
async fn the_liquidation_cap_is_read_in_tokens_of_the_liability() {
    let mut p = lending_market().await;
    let (liquidator, wallet) = funded_admin(&mut p).await;
    let transfer = usdc(p.banks[USDC].bank, liquidator, wallet);
    run(&mut p, Command::Deposit(transfer("1000", false)))
        .await
        .unwrap();
    sol_at(&mut p, 80.0).await;
    let args = LiquidateArgs {
        liquidator,
        liquidatee: p.users[VICTIM].account,
        asset_bank: p.banks[SOL].bank,
        liab_bank: p.banks[USDC].bank,
        max: Some(tokens("12.5")),
        native: false,
    };
    run(&mut p, Command::Liquidate(args)).await.unwrap();
    // The victim owed 700 USDC; 12.5 of it moved to the liquidator.
    assert_eq!(p.native_balance(VICTIM, USDC).await, -687_500_000.0);
}

/// Parse a command line the way the binary does.
fn parse(line: &[&str]) -> Result<Cli, clap::Error> {
    args::try_parse_from(std::iter::once("cross-margin").chain(line.iter().copied()))
}

#[test]
fn zero_negative_and_garbage_amounts_are_refused_while_parsing() {
    let key = "11111111111111111111111111111111";
    let base = ["deposit", "--account", key, "--bank", key, "--amount"];
    for (amount, words) in [
        ("0", "amount 0 is zero: amounts must be greater than zero"),
        ("0.000", "amount 0.000 is zero"),
        (
            "-1",
            "amount -1 is negative: amounts must be greater than zero",
        ),
        ("-0.5", "amount -0.5 is negative"),
        ("1,5", "amount 1,5 is not a number"),
        ("", "the amount is empty"),
    ] {
        let mut line = base.to_vec();
        line.push(amount);
        let err = parse(&line).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        let first = err.to_string().lines().next().unwrap().to_string();
        assert!(first.contains(words), "{amount}: {first}");
    }
    // The same for the other amount flags.
    for line in [
        vec!["borrow", "--account", key, "--bank", key, "--amount", "-3"],
        vec!["insurance", "deposit", "--bank", key, "--amount", "0"],
        vec![
            "liquidate",
            "--liquidator",
            key,
            "--liquidatee",
            key,
            "--asset-bank",
            key,
            "--liab-bank",
            key,
            "--max",
            "-1",
        ],
    ] {
        let err = parse(&line).unwrap_err();
        assert_eq!(
            err.kind(),
            clap::error::ErrorKind::ValueValidation,
            "{line:?}"
        );
    }
    // Valid lines parse into the number as typed and the --native switch; the bank's
    // decimals apply when the command runs.
    let amount = |line: &[&str]| match parse(line).unwrap().command {
        Command::Withdraw(t) => t.amount.native(6, t.native),
        other => panic!("{other:?}"),
    };
    let withdraw = ["withdraw", "--account", key, "--bank", key, "--amount"];
    assert_eq!(amount(&[&withdraw[..], &["1.5"]].concat()), Ok(1_500_000));
    assert_eq!(
        amount(&[&withdraw[..], &["15", "--native"]].concat()),
        Ok(15)
    );
    assert!(amount(&[&withdraw[..], &["1.5", "--native"]].concat()).is_err());
}

#[tokio::test]
async fn bank_limits_are_tokens_unless_native_limits() {
    let mut p = lending_market().await;
    let bank = p.banks[SOL].bank;
    let oracle = p.banks[SOL].oracle;
    let current = p.bank_state(SOL).await.config().unwrap();
    // Lowering a limit tightens risk, so a live group applies it at once.
    let mut risk = RiskArgs::from(current);
    risk.native_limits = false;
    risk.deposit_limit = "25000.5".parse().unwrap();
    risk.borrow_limit = "unlimited".parse().unwrap();
    let edit = |risk: RiskArgs| Command::Bank(BankCmd::Edit { bank, oracle, risk });
    run(&mut p, edit(risk.clone())).await.unwrap();
    let b = p.bank_state(SOL).await;
    assert_eq!(b.deposit_limit, 25_000_500_000_000, "SOL has 9 decimals");
    assert_eq!(b.borrow_limit, u64::MAX);

    risk.native_limits = true;
    risk.deposit_limit = "20000000000000".parse().unwrap();
    run(&mut p, edit(risk.clone())).await.unwrap();
    assert_eq!(p.bank_state(SOL).await.deposit_limit, 20_000_000_000_000);

    // Too precise for the mint: refused before sending.
    risk.native_limits = false;
    risk.deposit_limit = "1.0000000001".parse().unwrap();
    let err = run(&mut p, edit(risk)).await.unwrap_err();
    assert!(
        format!("{err:#}")
            .starts_with("--deposit-limit: amount 1.0000000001 has 10 decimal places"),
        "{err:#}"
    );
    assert_eq!(p.bank_state(SOL).await.deposit_limit, 20_000_000_000_000);
}
