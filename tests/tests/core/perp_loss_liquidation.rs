//! `perp_liquidate_loss` (audit H1): a flat perp loss on a liquidatable account is taken
//! over by a liquidator, who receives the account's collateral at the token-liquidation
//! discount. No tokens move, so a settle vault lent out to the last unit (a crash) cannot
//! freeze the account, and a large loss is repaired in one liquidation instead of rounds
//! of partial settlement and token liquidation. Also audit L3: a flat sub-unit profit is
//! zeroed in the pool's favour by `perp_settle_pnl` and the slot frees.

use super::perps::setup;
use cross_margin::error::CrossMarginError as E;
use cross_margin_keeper::keeper::Keeper;
use cross_margin_tests::harness::perps::default_perp_config;
use cross_margin_tests::harness::{assert_err, Protocol};

const SOL: i64 = 1_000_000_000;
const USD: u64 = 1_000_000;
const USDC: usize = 0;
const SOL_BANK: usize = 1;
const PERP: usize = 0;
/// User 2 of `setup`: 10,000 USDC deposited.
const LIQUIDATOR: usize = 2;

/// A victim with `sol` SOL of collateral and a flat loss: it goes long `long` SOL at $100
/// and closes at `$close`; then SOL falls to `$crash`. Returns the victim.
async fn flat_loss(p: &mut Protocol, sol: i64, long: i64, close: f64, crash: f64) -> usize {
    let victim = p.add_user(&[(SOL_BANK, sol as u64)]).await;
    p.deposit(victim, SOL_BANK, sol as u64).await.unwrap();
    p.trade(victim, PERP, long).await.unwrap();
    p.set_price(SOL_BANK, close, 0).await;
    p.trade(victim, PERP, -long).await.unwrap();
    let (base, quote) = p.perp_position(victim, PERP).await.unwrap();
    assert!(base == 0 && quote < 0.0, "flat loss {quote}");
    p.set_price(SOL_BANK, crash, 0).await;
    victim
}

/// A whale borrows every USDC the vault can release (100 % utilisation).
async fn drain_usdc(p: &mut Protocol) {
    let whale = p.add_user(&[(SOL_BANK, 5_000 * SOL as u64)]).await;
    p.deposit(whale, SOL_BANK, 5_000 * SOL as u64)
        .await
        .unwrap();
    let vault = p.banks[USDC].vault;
    let free = p.tc.token_balance(vault).await;
    p.withdraw(whale, USDC, free, true).await.unwrap();
    assert_eq!(p.tc.token_balance(vault).await, 0, "USDC vault empty");
}

/// (a) The crunch: a stranger cannot settle the loss (the USDC vault is lent out), token
/// liquidation has no token debt to take and perp liquidation no base; the loss
/// liquidation goes through, moves no tokens, and prices the seized SOL exactly.
#[tokio::test]
async fn a_flat_loss_is_liquidated_while_the_settle_vault_is_empty() {
    let mut p = setup(default_perp_config()).await;
    let victim = flat_loss(&mut p, 10 * SOL, 40 * SOL, 95.0, 22.0).await;
    drain_usdc(&mut p).await;
    let before = p.health(victim).await.unwrap();
    assert!(before.maint < 0, "{before:?}");

    assert_err(
        p.settle_pnl_as(LIQUIDATOR, victim, PERP).await,
        E::InsufficientVaultLiquidity,
    );
    assert_err(
        p.liquidate_perp(LIQUIDATOR, victim, PERP, u64::MAX).await,
        E::NoPerpPosition,
    );

    let usdc_vault = p.tc.token_balance(p.banks[USDC].vault).await;
    let pool = p.pool_vault_balance(PERP).await;
    let (_, loss_before) = p.perp_position(victim, PERP).await.unwrap();
    let victim_sol = p.native_balance(victim, SOL_BANK).await;
    let liqor_usdc = p.native_balance(LIQUIDATOR, USDC).await;
    p.liquidate_loss(LIQUIDATOR, victim, PERP, SOL_BANK, u64::MAX)
        .await
        .unwrap();

    let after = p.health(victim).await.unwrap();
    assert!(after.maint > before.maint && after.init >= 0, "{after:?}");
    assert_eq!(p.margin_account(victim).await.being_liquidated, 0);
    // No tokens moved: neither vault, nor the liquidator's USDC.
    assert_eq!(p.tc.token_balance(p.banks[USDC].vault).await, usdc_vault);
    assert_eq!(p.pool_vault_balance(PERP).await, pool);
    assert_eq!(p.native_balance(LIQUIDATOR, USDC).await, liqor_usdc);
    // The liquidator's quote took x over, whole units; the victim's rose by as much.
    let (liqor_base, liqor_quote) = p.perp_position(LIQUIDATOR, PERP).await.unwrap();
    assert_eq!(liqor_base, 0);
    let x = -liqor_quote;
    assert!(x >= 1.0 && x.fract() == 0.0, "x = {x}");
    let victim_quote = p.perp_position(victim, PERP).await.map_or(0.0, |q| q.1);
    assert!((victim_quote - (loss_before + x)).abs() < 1.0);
    // y = ⌊x · 1.05 / $22⌋ lamports (SOL's 5 % fee; $22 = 0.022 USDC-native a lamport);
    // 20 % of the fee (y − x / 0.022) goes to SOL's insurance, the rest to the liquidator.
    let y = (x as u128 * 1_050 / 22) as f64;
    let seized = victim_sol - p.native_balance(victim, SOL_BANK).await;
    assert!((seized - y).abs() <= 1.0, "seized {seized} vs {y}");
    let fair = (x as u128 * 1_000 / 22) as f64;
    let received = p.native_balance(LIQUIDATOR, SOL_BANK).await;
    let expected = y - ((y - fair) * 0.2).floor();
    assert!(
        (received - expected).abs() <= 2.0,
        "{received} vs {expected}"
    );
}

/// (b) The keeper finds the account in the crunch and repairs it alone in one tick.
#[tokio::test]
async fn the_keeper_liquidates_a_flat_loss_in_a_liquidity_crunch() {
    let mut p = setup(default_perp_config()).await;
    let victim = flat_loss(&mut p, 10 * SOL, 40 * SOL, 95.0, 22.0).await;
    drain_usdc(&mut p).await;
    let signer = p.users[LIQUIDATOR].key.insecure_clone();
    let mut keeper = Keeper::new(p.group, p.users[LIQUIDATOR].account, signer);
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!(
        (report.liquidatable, report.liquidations, report.failures),
        (1, 1, 0),
        "{report:?}"
    );
    assert_eq!(report.settlements, 0, "{report:?}");
    let h = p.health(victim).await.unwrap();
    assert!(h.init >= 0, "{h:?}");
    assert!(p.perp_position(LIQUIDATOR, PERP).await.unwrap().1 < 0.0);
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!(report.liquidatable, 0, "{report:?}");
}

/// (c) A large flat loss (≈ $7,200 on $7,900 of SOL), with liquidity: one loss
/// liquidation repairs it, where a stranger's settlement (capped at what the SOL covers
/// at maint weight) followed by token liquidations took rounds. The keeper picks it too.
#[tokio::test]
async fn a_large_flat_loss_is_repaired_in_one_liquidation() {
    let mut p = setup(default_perp_config()).await;
    let victim = flat_loss(&mut p, 100 * SOL, 600 * SOL, 88.3, 79.0).await;
    let before = p.health(victim).await.unwrap();
    assert!(before.maint < 0 && before.init < -500e6, "{before:?}");
    let pool = p.pool_vault_balance(PERP).await;
    p.liquidate_loss(LIQUIDATOR, victim, PERP, SOL_BANK, u64::MAX)
        .await
        .unwrap();
    let after = p.health(victim).await.unwrap();
    assert!(after.init >= 0 && after.init < 1e6, "{after:?}");
    assert_eq!(p.margin_account(victim).await.being_liquidated, 0);
    assert_eq!(p.pool_vault_balance(PERP).await, pool);
    // Healthy now: nothing more to take.
    assert_err(
        p.liquidate_loss(LIQUIDATOR, victim, PERP, SOL_BANK, u64::MAX)
            .await,
        E::NotLiquidatable,
    );

    // The same account again, left to the keeper: one or two liquidations, no settlement.
    let mut p = setup(default_perp_config()).await;
    let victim = flat_loss(&mut p, 100 * SOL, 600 * SOL, 88.3, 79.0).await;
    let signer = p.users[LIQUIDATOR].key.insecure_clone();
    let mut keeper = Keeper::new(p.group, p.users[LIQUIDATOR].account, signer);
    let report = keeper.tick(&mut p).await.unwrap();
    assert!(
        (1..=2).contains(&report.liquidations) && report.settlements == 0,
        "{report:?}"
    );
    assert_eq!(report.failures, 0, "{report:?}");
    assert!(p.health(victim).await.unwrap().init >= 0);
}

/// Refusals: a healthy account, an open position, a deposit the account does not hold.
#[tokio::test]
async fn only_a_liquidatable_flat_loss_against_a_deposit_is_taken() {
    let mut p = setup(default_perp_config()).await;
    let victim = flat_loss(&mut p, 10 * SOL, 40 * SOL, 95.0, 95.0).await;
    assert_err(
        p.liquidate_loss(LIQUIDATOR, victim, PERP, SOL_BANK, u64::MAX)
            .await,
        E::NotLiquidatable,
    );
    p.set_price(SOL_BANK, 22.0, 0).await;
    assert_err(
        p.liquidate_loss(LIQUIDATOR, victim, PERP, USDC, u64::MAX)
            .await,
        E::NoAssetToSeize,
    );
    // An underwater open long is for perp_liquidate.
    let mut p = setup(default_perp_config()).await;
    p.trade(1, PERP, 94 * SOL).await.unwrap();
    p.set_price(SOL_BANK, 93.0, 0).await;
    assert_err(
        p.liquidate_loss(LIQUIDATOR, 1, PERP, USDC, u64::MAX).await,
        E::PerpPositionNotFlat,
    );
    // A cap binds: one unit of loss.
    let mut p = setup(default_perp_config()).await;
    let victim = flat_loss(&mut p, 10 * SOL, 40 * SOL, 95.0, 22.0).await;
    p.liquidate_loss(LIQUIDATOR, victim, PERP, SOL_BANK, USD)
        .await
        .unwrap();
    assert_eq!(p.perp_position(LIQUIDATOR, PERP).await.unwrap().1, -1e6);
    assert_eq!(p.margin_account(victim).await.being_liquidated, 1);
}

/// Audit L3: a flat profit below one native unit can be neither paid nor written off; the
/// owner's settlement gives it to the pool and frees the slot.
#[tokio::test]
async fn a_flat_sub_unit_profit_is_zeroed_and_frees_the_slot() {
    let mut p = setup(default_perp_config()).await;
    // 1,000 base natives (1e-6 SOL): $0.1001 in at $100, $0.1009 out at $101.
    p.trade(1, PERP, 1_000).await.unwrap();
    p.set_price(SOL_BANK, 101.0, 0).await;
    p.trade(1, PERP, -1_000).await.unwrap();
    let (base, quote) = p.perp_position(1, PERP).await.unwrap();
    assert!(base == 0 && quote > 0.0 && quote < 1.0, "quote {quote}");
    let pool = p.pool_vault_balance(PERP).await;
    let usdc = p.native_balance(1, USDC).await;
    p.settle_pnl(1, PERP).await.unwrap();
    assert!(p.perp_position(1, PERP).await.is_none(), "slot freed");
    assert_eq!(p.pool_vault_balance(PERP).await, pool);
    assert_eq!(p.native_balance(1, USDC).await, usdc);
    // Nothing left: a second settlement has nothing to do.
    assert_err(p.settle_pnl(1, PERP).await, E::NoPerpPosition);
}
