//! `perp open --isolated`: two owners with the same collateral open the same leveraged
//! long, one isolated and one cross; SOL crashes. The isolated account is liquidated and
//! its loss settled inside it while the owner's main account stays byte-for-byte
//! unchanged; in cross mode the same loss is paid out of the main account's collateral.

use super::field;
use super::perps::{admin_account, key, open, register_sol_perp};
use anchor_lang::prelude::Pubkey;
use cross_margin::state::MarginAccount;
use cross_margin_cli::args::{Collateral, Command, PerpCmd, Side};
use cross_margin_cli::commands::run;
use cross_margin_cli::output::Format;
use cross_margin_client::chain::Chain;
use cross_margin_client::send::{SendOptions, DRY_RUN_SIGNATURE};
use cross_margin_client::snapshot::GroupSnapshot;
use cross_margin_tests::harness::scenarios::{lending_market, sol_at, LIQUIDATOR, USDC};
use cross_margin_tests::harness::{Protocol, User};

/// 2,000 USDC of collateral, a 10 SOL long (≈ $1,000 at $100).
const COLLATERAL: u64 = 2_000_000_000;
const SIZE: i64 = 10_000_000_000;

/// The account's USDC balance in dollars (interest accrued to now in memory).
async fn usdc(p: &mut Protocol, account: Pubkey) -> f64 {
    let a: MarginAccount = p.tc.load(account).await;
    let group = p.group;
    let s = GroupSnapshot::load(&mut p.tc, &group).await.unwrap();
    let bank = &s.banks[&(USDC as u16)].state;
    a.position_slot(USDC as u16).map_or(0.0, |slot| {
        cross_margin::health::engine::native_balance(
            a.token_positions[slot].indexed.get(),
            bank.deposit_index.get(),
            bank.borrow_index.get(),
        )
        .unwrap()
        .to_num::<f64>()
            / 1e6
    })
}

fn isolated_open(main: Pubkey, market: Pubkey, collateral: &str) -> Command {
    let mut args = open(main, market, Side::Long, "10");
    args.isolated = true;
    args.collateral = vec![collateral.parse::<Collateral>().unwrap()];
    Command::Perp(PerpCmd::Open(args))
}

#[tokio::test]
async fn an_isolated_loss_never_reaches_the_main_account() {
    let mut p = lending_market().await;
    let market = register_sol_perp(&mut p).await;
    let lp = p.add_user(&[(USDC, 100_000_000_000)]).await;
    p.pool_deposit(lp, 0, 50_000_000_000).await.unwrap();

    // Owner A (the CLI's signer): main account 0 with 2,000 USDC; 200 of it isolated
    // behind the long (≈ 5× leverage on the isolated margin).
    let (main, _) = admin_account(&mut p, 0, COLLATERAL, 0).await;
    // A dry run simulates the whole thing (one transaction) and changes nothing.
    p.set_send_options(SendOptions {
        dry_run: true,
        ..SendOptions::default()
    });
    let before_dry = p.tc.account(main).await.unwrap().data;
    let r = run(&mut p, isolated_open(main, market, "0=200"))
        .await
        .unwrap();
    assert_eq!(field(&r, "signatures"), DRY_RUN_SIGNATURE);
    let runs = p.take_dry_runs();
    assert!(runs.len() == 1 && !runs[0].failed(), "{runs:?}");
    assert_eq!(p.tc.account(main).await.unwrap().data, before_dry);
    p.set_send_options(SendOptions::default());

    let usdc_bank = p.banks[USDC].bank;
    let r = run(
        &mut p,
        isolated_open(main, market, &format!("{usdc_bank}=200")),
    )
    .await
    .unwrap();
    let table = r.render(Format::Table);
    assert_eq!(field(&r, "mode"), "one transaction", "{table}");
    assert_eq!(field(&r, "account_num"), 1, "{table}");
    assert_eq!(field(&r, "moved_token_0"), "200");
    assert_eq!(field(&r, "position_base"), "10");
    let isolated = key(&r, "isolated_account");
    assert_eq!(
        isolated,
        cross_margin_client::pda::margin_account(&p.group, &p.admin(), 1)
    );
    assert_eq!(usdc(&mut p, main).await, 1_800.0);
    assert_eq!(usdc(&mut p, isolated).await, 200.0);
    let main_account: MarginAccount = p.tc.load(main).await;
    assert_eq!(main_account.active_perps().count(), 0, "main holds no perp");
    // Collateral given twice, or more than the main account holds, is refused up front.
    let err = run(&mut p, isolated_open(main, market, "0=5000"))
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("holds 1800"), "{err:#}");

    // Owner B: the same 2,000 USDC and the same long, cross-margined in its main account.
    let cross = p.add_user(&[(USDC, COLLATERAL)]).await;
    p.deposit(cross, USDC, COLLATERAL).await.unwrap();
    p.trade(cross, 0, SIZE).await.unwrap();

    // The isolated account as a harness user, so the harness's perp helpers can name it
    // (it is never signed for: the liquidator signs everything below).
    let admin_key = p.tc.payer().insecure_clone();
    let wallets = vec![Pubkey::new_unique(); p.banks.len()];
    p.users.push(User {
        key: admin_key,
        account: isolated,
        wallets,
    });
    let iso = p.users.len() - 1;

    let main_before = p.tc.account(main).await.unwrap().data;

    // SOL −25 %: the long loses ≈ $251, more than the isolated $200.
    sol_at(&mut p, 75.0).await;
    let group = p.group;
    let s = GroupSnapshot::load(&mut p.tc, &group).await.unwrap();
    let iso_state: MarginAccount = p.tc.load(isolated).await;
    let h = s.health(&iso_state).unwrap();
    assert!(iso_state.is_liquidatable(&h), "isolated maint {}", h.maint);
    let cross_state = p.margin_account(cross).await;
    assert!(
        !cross_state.is_liquidatable(&s.health(&cross_state).unwrap()),
        "the cross account's other collateral carries the loss"
    );

    // The isolated account is liquidated: its perp closed against the pool ...
    p.liquidate_perp(LIQUIDATOR, iso, 0, u64::MAX)
        .await
        .unwrap();
    assert_eq!(p.perp_position(iso, 0).await.map(|(b, _)| b), Some(0));
    // ... a stranger settles its loss up to the 200 USDC it holds (no more: the account
    // has nothing else, so no USDC borrow is created) ...
    p.settle_pnl_as(LIQUIDATOR, iso, 0).await.unwrap();
    let left = usdc(&mut p, isolated).await;
    assert!(left.abs() < 1e-6, "isolated USDC {left}");
    let (_, loss) = p.perp_position(iso, 0).await.unwrap();
    assert!(loss < -1e6, "loss beyond the collateral {loss}");
    // ... and the rest is written off: insurance (empty here), then the pool's LPs.
    let pool = p.pool_vault_balance(0).await;
    p.resolve_perp_bankruptcy(iso, 0).await.unwrap();
    assert_eq!(p.pool_vault_balance(0).await, pool);
    assert!(
        p.margin_account(iso).await.is_empty(),
        "isolated account cleared"
    );

    // Owner A's main account: not one byte changed by the crash, the liquidation, the
    // loss settlement or the bankruptcy.
    assert_eq!(p.tc.account(main).await.unwrap().data, main_before);
    assert_eq!(usdc(&mut p, main).await, 1_800.0);

    // Cross: the same loss is paid out of the main account's collateral.
    p.settle_pnl(cross, 0).await.unwrap();
    let cross_account = p.users[cross].account;
    let cross_left = usdc(&mut p, cross_account).await;
    let paid = 2_000.0 - cross_left;
    assert!((245.0..260.0).contains(&paid), "cross paid {paid}");
    assert_eq!(p.perp_position(cross, 0).await.map(|(b, _)| b), Some(SIZE));
}

/// A main account with a position in each of 8 banks and three collateral tokens to move:
/// too many accounts for one legacy transaction, so `--isolated` sends in order and says
/// so; the position still ends in the new account with exactly the moved collateral.
#[tokio::test]
async fn an_isolated_open_that_does_not_fit_one_transaction_goes_in_order() {
    use cross_margin_cli::args::TokenArgs;
    use cross_margin_tests::harness::perps::default_perp_config;
    use cross_margin_tests::harness::protocol::default_config;
    let mut p = Protocol::new().await;
    for _ in 0..8 {
        p.add_bank(6, 1.0, default_config()).await;
    }
    let perp = p.add_perp(1, 0, default_perp_config()).await.unwrap();
    let market = p.perps[perp].accounts.market;
    let lp = p.add_user(&[(0, 1_000_000_000_000)]).await;
    p.pool_deposit(lp, perp, 100_000_000_000).await.unwrap();

    // The admin's main account: 1,000 tokens in each of the 8 banks.
    let group = p.group;
    let r = run(
        &mut p,
        Command::Account(cross_margin_cli::args::AccountCmd::Create {
            group,
            account_num: 0,
        }),
    )
    .await
    .unwrap();
    let main = key(&r, "account");
    let admin = p.admin();
    for b in 0..8 {
        let mint = p.banks[b].mint;
        let wallet = p.tc.create_token_account(&admin, &mint).await;
        p.tc.mint_to(&mint, &wallet, 1_000_000_000).await;
        let bank = p.banks[b].bank;
        run(
            &mut p,
            Command::Deposit(TokenArgs {
                account: main,
                bank,
                amount: super::tokens("1000"),
                native: false,
                token_account: Some(wallet),
            }),
        )
        .await
        .unwrap();
    }

    let mut args = open(main, market, Side::Long, "300");
    args.isolated = true;
    args.collateral = ["0=100", "2=50", "3=50"]
        .iter()
        .map(|c| c.parse().unwrap())
        .collect();
    let r = run(&mut p, Command::Perp(PerpCmd::Open(args)))
        .await
        .unwrap();
    let table = r.render(Format::Table);
    let sent = field(&r, "transactions").as_u64().unwrap();
    assert!(sent >= 2, "{table}");
    assert!(
        field(&r, "mode").as_str().unwrap().contains("in order"),
        "{table}"
    );
    assert_eq!(field(&r, "position_base"), "300", "{table}");
    let isolated = key(&r, "isolated_account");
    let a: MarginAccount = p.tc.load(isolated).await;
    let held: Vec<u16> = a.active_positions().map(|(_, t)| t.token_index).collect();
    assert_eq!(held, vec![0, 2, 3]);
    let m: MarginAccount = p.tc.load(main).await;
    assert_eq!(m.active_perps().count(), 0);
    assert_eq!(m.active_positions().count(), 8, "main keeps every token");
}
