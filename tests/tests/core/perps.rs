//! Perpetual futures against the pool, end to end on the validator: trading and its limits,
//! the pool and its reserve, funding, settlement and the price-pump attack, cross-margin
//! interplay, hedging and liquidation. Every step runs the protocol invariants.

use cross_margin::error::CrossMarginError as E;
use cross_margin::state::{BankConfig, PerpConfig};
use cross_margin_tests::harness::perps::default_perp_config;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::{assert_err, Protocol};

const SOL: i64 = 1_000_000_000;
const USD: u64 = 1_000_000;

fn usdc_config() -> BankConfig {
    BankConfig {
        init_asset_weight_bps: 9_500,
        maint_asset_weight_bps: 9_800,
        maint_liab_weight_bps: 10_200,
        init_liab_weight_bps: 10_500,
        ..default_config()
    }
}

/// Banks 0 = USDC ($1), 1 = SOL ($100, 9 decimals); perp 0 = SOL-PERP settled in USDC.
/// User 0 = LP with 1,000,000 USDC in the pool; user 1 = trader with 1,000 USDC deposited;
/// user 2 = liquidator with 10,000 USDC deposited.
pub(crate) async fn setup(config: PerpConfig) -> Protocol {
    let mut p = Protocol::new().await;
    let usdc = p.add_bank(6, 1.0, usdc_config()).await;
    let sol = p.add_bank(9, 100.0, default_config()).await;
    p.add_perp(sol, usdc, config)
        .await
        .expect("perp_market_register");
    let lp = p.add_user(&[(usdc, 1_000_000 * USD)]).await;
    p.pool_deposit(lp, 0, 1_000_000 * USD).await.unwrap();
    let trader = p.add_user(&[(usdc, 1_000 * USD)]).await;
    p.deposit(trader, usdc, 1_000 * USD).await.unwrap();
    let liquidator = p.add_user(&[(usdc, 10_000 * USD)]).await;
    p.deposit(liquidator, usdc, 10_000 * USD).await.unwrap();
    p
}

#[tokio::test]
async fn leverage_is_bounded_by_init_health_and_a_round_trip_pays_the_pool() {
    let mut p = setup(default_perp_config()).await;
    // Init: 1,000 USDC × 0.95 = 950; a long of N SOL at $100.10 (10 bps fee) costs
    // N × (100.1 − 90) = 10.1 N of init health: at most 94 SOL.
    assert_err(p.trade(1, 0, 95 * SOL).await, E::HealthWouldBeNegative);
    p.trade(1, 0, 94 * SOL).await.unwrap();
    let (base, quote) = p.perp_position(1, 0).await.unwrap();
    assert_eq!(base, 94 * SOL);
    // Plus ~8,800 native units of impact (94 SOL against a 1,000,000 SOL cap).
    assert!((quote + 9_409.4e6).abs() < 2e4, "quote {quote}");
    let market = p.perp_state(0).await;
    assert_eq!(market.long_open_interest, 94 * SOL as u64);
    // Closing at the same oracle price pays the fee both ways: quote ≈ −2 × 9.4 USDC.
    p.trade(1, 0, -94 * SOL).await.unwrap();
    let (base, quote) = p.perp_position(1, 0).await.unwrap();
    assert_eq!(base, 0);
    assert!(quote < -18.8e6 && quote > -18.8e6 - 3e4, "quote {quote}");
    // The loss settles from the trader's USDC into the pool vault, rounded up.
    let vault = p.pool_vault_balance(0).await;
    p.settle_pnl(1, 0).await.unwrap();
    let loss = (-quote).ceil() as u64;
    assert_eq!(p.pool_vault_balance(0).await, vault + loss);
    assert!(
        p.perp_position(1, 0).await.is_none(),
        "flat and settled frees the slot"
    );
    assert_eq!(p.native_balance(1, 0).await, (1_000 * USD - loss) as f64);
}

#[tokio::test]
async fn limit_price_open_interest_cap_and_pool_reserve_refuse_trades() {
    let config = PerpConfig {
        max_open_interest: 50 * SOL as u64,
        ..default_perp_config()
    };
    let mut p = setup(config).await;
    // A buy at most $100.05 per SOL cannot fill at $100.10 + impact.
    assert_err(
        p.trade_limit(1, 0, SOL, 100_050_000).await,
        E::LimitPriceExceeded,
    );
    p.trade_limit(1, 0, SOL, 100_200_000).await.unwrap();
    assert_err(p.trade(1, 0, 50 * SOL).await, E::OpenInterestCap);
    // Withdrawing the pool down to its reserve: 20 % of 1 SOL × $100 = $20.
    let shares = p.lp_balance(0, 0).await;
    assert_err(p.pool_withdraw(0, 0, shares).await, E::PoolReserveBreached);
    let vault = p.pool_vault_balance(0).await;
    p.pool_withdraw(0, 0, shares - 25 * USD).await.unwrap();
    let left = p.pool_vault_balance(0).await;
    assert!(left < vault && left >= 20 * USD, "vault {left}");
    // With the pool that small, a trade adding net exposure beyond its reserve fails.
    assert_err(p.trade(1, 0, 2 * SOL).await, E::PoolReserveBreached);
    // Reducing is always possible.
    p.trade(1, 0, -SOL).await.unwrap();
}

#[tokio::test]
async fn funding_flows_from_the_crowded_side_and_conserves() {
    let mut p = setup(default_perp_config()).await;
    let usdc = 0;
    let short = p.add_user(&[(usdc, 1_000 * USD)]).await;
    p.deposit(short, usdc, 1_000 * USD).await.unwrap();
    p.trade(1, 0, 20 * SOL).await.unwrap();
    p.trade(short, 0, -10 * SOL).await.unwrap();
    let before = p.perp_state(0).await.funding_index.get();
    p.tc.advance_clock(3_600).await;
    p.set_price(0, 1.0, 0).await;
    p.set_price(1, 100.0, 0).await;
    p.crank_funding(0).await.unwrap();
    let after = p.perp_state(0).await.funding_index.get();
    // Skew (20 − 10) / 30 = 1/3 of the 10 bps/h scale (under the 5 bps clamp): 3.33 bps
    // of $100 per SOL per hour, per base native unit.
    let per_sol = (after - before).to_num::<f64>() * 1e9;
    assert!(
        (per_sol - 100e6 / 3e3).abs() < 1.0,
        "funding per SOL-hour {per_sol}"
    );
    // Longs pay, shorts receive, visible in health: the long's drops, the short's rises.
    let h_long = p.health(1).await.unwrap().maint;
    let h_short = p.health(short).await.unwrap().maint;
    p.tc.advance_clock(3_600).await;
    p.set_price(0, 1.0, 0).await;
    p.set_price(1, 100.0, 0).await;
    assert!(p.health(1).await.unwrap().maint < h_long);
    assert!(p.health(short).await.unwrap().maint > h_short);
}

#[tokio::test]
async fn unrealised_profit_cannot_be_borrowed_or_cashed_at_a_pumped_price() {
    let mut p = setup(default_perp_config()).await;
    p.trade(1, 0, 50 * SOL).await.unwrap();
    // The oracle is pumped to $200: the long shows ~$5,000 of unrealised profit.
    p.set_price(1, 200.0, 0).await;
    let h = p.health(1).await.unwrap();
    assert!(h.maint.to_num::<f64>() > 5_000e6, "maint counts the profit");
    // Init counts none of it (and the stable price has not moved): init health is still
    // 950 − 50 × 10.1 = $445, so $500 cannot leave though the profit would cover it ten
    // times over.
    assert_err(
        p.withdraw(1, 0, 500 * USD, false).await,
        E::HealthWouldBeNegative,
    );
    p.withdraw(1, 0, 400 * USD, false).await.unwrap();
    // Settling values the profit at the worse of oracle and stable price: nothing to pay.
    assert_err(p.settle_pnl(1, 0).await, E::NothingToSettle);
}

#[tokio::test]
async fn a_perp_loss_is_liquidated_against_the_pool_and_pays_the_liquidator() {
    let mut p = setup(default_perp_config()).await;
    p.trade(1, 0, 94 * SOL).await.unwrap();
    assert_err(
        p.liquidate_perp(2, 1, 0, u64::MAX).await,
        E::NotLiquidatable,
    );
    // −7 %: the loss eats the USDC collateral (cross margin) and maint goes negative.
    p.set_price(1, 93.0, 0).await;
    assert!(p.health(1).await.unwrap().maint < 0);
    p.liquidate_perp(2, 1, 0, u64::MAX).await.unwrap();
    let (base, _) = p.perp_position(1, 0).await.unwrap();
    assert!(base > 0 && base < 94 * SOL, "partly closed: {base}");
    let h = p.health(1).await.unwrap();
    assert!(h.init >= 0, "stops at init ≥ 0: {h:?}");
    // About 79.5 SOL closed at $93 × 0.98; 80 % of the 2 % fee to the liquidator.
    let closed = (94 * SOL - base) as f64 / 1e9;
    let (_, fee) = p.perp_position(2, 0).await.unwrap();
    assert!(
        (fee - closed * 93.0 * 0.02 * 0.8 * 1e6).abs() < 1e3,
        "fee {fee}"
    );
    let account = p.margin_account(1).await;
    assert_eq!(account.being_liquidated, 0);
    // A healthy account cannot be liquidated further.
    assert_err(
        p.liquidate_perp(2, 1, 0, u64::MAX).await,
        E::NotLiquidatable,
    );
}

#[tokio::test]
async fn a_delta_neutral_account_is_margined_at_the_hedge_weight() {
    let mut p = setup(default_perp_config()).await;
    let (usdc, sol) = (0, 1);
    let hedged = p
        .add_user(&[(sol, 10 * SOL as u64), (usdc, 50 * USD)])
        .await;
    p.deposit(hedged, sol, 10 * SOL as u64).await.unwrap();
    p.deposit(hedged, usdc, 50 * USD).await.unwrap();
    p.trade(hedged, 0, -10 * SOL).await.unwrap();
    // Value: 10 SOL + 50 USDC + short's quote 999 − 1,000 = $1,049. Margin used: the 2 %
    // hedge charge on $1,000 plus the USDC haircut, ~$22.5; unhedged the two legs would
    // use $200 (spot at 0.8) + $101 (short at 1.1, fee) = $301.
    let h = p.health(hedged).await.unwrap();
    let used = 1_049e6 - h.init.to_num::<f64>();
    assert!(used < 25e6 && used * 10.0 < 301e6, "margin used {used}");
    // ±50 %: maint health moves by at most 1 % of the $1,000 notional.
    let m0 = h.maint.to_num::<f64>();
    for price in [50.0, 150.0] {
        p.set_price(sol, price, 0).await;
        let m = p.health(hedged).await.unwrap().maint.to_num::<f64>();
        assert!((m - m0).abs() <= 10e6 + 1.0, "at ${price}: {m} vs {m0}");
    }
}

#[tokio::test]
async fn the_keeper_liquidates_an_underwater_perp_with_the_programs_planner() {
    let mut p = setup(default_perp_config()).await;
    p.trade(1, 0, 94 * SOL).await.unwrap();
    p.set_price(1, 93.0, 0).await;
    let signer = p.users[2].key.insecure_clone();
    let mut keeper = cross_margin_keeper::keeper::Keeper::new(p.group, p.users[2].account, signer);
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!(
        (report.liquidatable, report.liquidations),
        (1, 1),
        "{report:?}"
    );
    let (base, _) = p.perp_position(1, 0).await.unwrap();
    assert!(base < 94 * SOL);
    assert!(p.health(1).await.unwrap().init >= 0);
    assert!(
        p.perp_position(2, 0).await.unwrap().1 > 0.0,
        "the keeper's fee"
    );
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!(report.liquidatable, 0, "healthy after one liquidation");
}

#[tokio::test]
async fn anyone_may_settle_the_pnl_of_a_liquidatable_account_and_only_that() {
    let mut p = setup(default_perp_config()).await;
    p.trade(1, 0, 94 * SOL).await.unwrap();
    // Healthy: a stranger may not touch the account's PnL.
    p.set_price(1, 99.0, 0).await;
    assert_err(p.settle_pnl_as(2, 1, 0).await, E::NotOwnerOrDelegate);
    // Underwater: the loss may be turned into a USDC balance by anyone, so token
    // liquidation and bankruptcy can reach it.
    p.set_price(1, 93.0, 0).await;
    let vault = p.pool_vault_balance(0).await;
    p.settle_pnl_as(2, 1, 0).await.unwrap();
    let paid = p.pool_vault_balance(0).await - vault;
    assert!((paid as f64 - 94.0 * 7.1e6).abs() < 1e5, "loss paid {paid}");
    assert!(p.native_balance(1, 0).await < 400e6);
}

/// 10 SOL deposited and 10 SOL short (hedged), 0.4 ETH borrowed at $2,000, then ETH +15 %:
/// maint ≈ 999 − 10 − 920 × 1.1 = −$23. Returns (user, ETH bank).
pub(crate) async fn underwater_hedge(p: &mut Protocol) -> (usize, usize) {
    let sol = 1;
    let eth = eth_to_borrow(p).await;
    let hedged = p.add_user(&[(sol, 10 * SOL as u64)]).await;
    p.deposit(hedged, sol, 10 * SOL as u64).await.unwrap();
    p.trade(hedged, 0, -10 * SOL).await.unwrap();
    // Init ≈ 999 − 20 (hedge) − 0.4 ETH × $2,000 × 1.15 = $59.
    p.withdraw(hedged, eth, 40_000_000, true).await.unwrap();
    // ETH +15 %: maint ≈ 999 − 10 − 920 × 1.1 = −$23.
    p.set_price(eth, 2_300.0, 0).await;
    (hedged, eth)
}

/// An ETH bank ($2,000, 8 decimals) with 1 ETH lent in it. Listed on the live group: it
/// starts borrow-only (asset weights 0). Liability weights 1.1 / 1.15: seizing hedged SOL
/// for it costs more than repaying it saves.
async fn eth_to_borrow(p: &mut Protocol) -> usize {
    let eth_config = BankConfig {
        init_asset_weight_bps: 0,
        maint_asset_weight_bps: 0,
        maint_liab_weight_bps: 11_000,
        init_liab_weight_bps: 11_500,
        ..default_config()
    };
    let eth = p.add_bank(8, 2_000.0, eth_config).await;
    let lender = p.add_user(&[(eth, 100_000_000)]).await;
    p.deposit(lender, eth, 100_000_000).await.unwrap();
    eth
}

/// The other direction: a SOL borrow hedged by a long perp (2,200 USDC deposited, 10 SOL
/// borrowed, 10 SOL long, 0.46 ETH borrowed: init ≈ 2,090 − 1,001 − 20 − 1,058 = $11; ETH
/// +15 % puts maint at ≈ 2,200 − 1,001 − 10 − 1,113 = −$24). The
/// liquidator repays the SOL for the liquidatee and is paid in its quote: a claim on the
/// pool matched by the liquidatee's quote debt to it. No token leaves any vault.
#[tokio::test]
async fn a_borrow_hedged_by_a_long_perp_is_repaid_by_the_liquidator_for_quote() {
    let mut p = setup(default_perp_config()).await;
    let (usdc, sol) = (0, 1);
    let eth = eth_to_borrow(&mut p).await;
    let sol_lender = p.add_user(&[(sol, 20 * SOL as u64)]).await;
    p.deposit(sol_lender, sol, 20 * SOL as u64).await.unwrap();
    let hedged = p.add_user(&[(usdc, 2_200 * USD)]).await;
    p.deposit(hedged, usdc, 2_200 * USD).await.unwrap();
    p.trade(hedged, 0, 10 * SOL).await.unwrap();
    p.withdraw(hedged, sol, 10 * SOL as u64, true)
        .await
        .unwrap();
    p.withdraw(hedged, eth, 46_000_000, true).await.unwrap();
    p.set_price(eth, 2_300.0, 0).await;
    let before = p.health(hedged).await.unwrap();
    assert!(before.maint < 0, "{before:?}");
    let (quote_before, pool) = (
        p.perp_position(hedged, 0).await.unwrap().1,
        p.pool_vault_balance(0).await,
    );
    let liqor_usdc = p.native_balance(2, usdc).await;
    p.liquidate_pair(2, hedged, 0, sol, u64::MAX).await.unwrap();
    let after = p.health(hedged).await.unwrap();
    assert!(after.maint > before.maint, "{after:?}");
    let (base, quote) = p.perp_position(hedged, 0).await.unwrap();
    let repaid = 10 * SOL - base;
    assert!(repaid > 0);
    // Both legs shrank by the same units; the liquidatee paid the mid for the SOL (its
    // quote also took the closing perp leg's proceeds, less the 0.5 % fee).
    assert!((p.native_balance(hedged, sol).await + base as f64).abs() < 2.0);
    let proceeds = repaid as f64 * 0.1 * (1.0 - 0.005);
    let paid = repaid as f64 * 0.1;
    assert!(
        (quote - (quote_before + proceeds - paid)).abs() < 10.0,
        "{quote} vs {quote_before} + {proceeds} − {paid}"
    );
    // The liquidator borrowed the SOL it repaid and holds the price, plus 80 % of the fee,
    // as a claim on the pool; no USDC moved and the pool vault is untouched.
    assert!((p.native_balance(2, sol).await + repaid as f64).abs() < 2.0);
    let (liqor_base, liqor_quote) = p.perp_position(2, 0).await.unwrap();
    assert_eq!(liqor_base, 0);
    let expected = paid + repaid as f64 * 0.1 * 0.005 * 0.8;
    assert!(
        (liqor_quote - expected).abs() < 10.0,
        "{liqor_quote} vs {expected}"
    );
    assert_eq!(p.native_balance(2, usdc).await, liqor_usdc);
    assert_eq!(p.pool_vault_balance(0).await, pool);
}

/// An underwater, fully hedged account (10 SOL deposited, 10 SOL short, ETH borrowed):
/// neither leg can be liquidated alone (each breaks the hedge and lowers health). The pair
/// liquidation unwinds both legs together; anyone may then settle the realised profit it
/// leaves, and the ETH debt is liquidated against the cash like any borrow.
#[tokio::test]
async fn a_hedged_account_no_single_leg_can_repair_is_unwound_in_pairs() {
    let mut p = setup(default_perp_config()).await;
    let (usdc, sol) = (0, 1);
    let (hedged, eth) = underwater_hedge(&mut p).await;
    let before = p.health(hedged).await.unwrap();
    assert!(before.maint < 0, "{before:?}");
    assert_err(
        p.liquidate_perp(2, hedged, 0, u64::MAX).await,
        E::LiquidationWouldNotImprove,
    );
    assert_err(
        p.liquidate(2, hedged, sol, eth, u64::MAX).await,
        E::LiquidationWouldNotImprove,
    );
    // A bank the perp does not hedge is refused by name.
    assert_err(
        p.liquidate_pair(2, hedged, 0, eth, u64::MAX).await,
        E::NotHedged,
    );
    // Half the pair first (the caller's cap): both legs shrink by the same units.
    let (liqor_usdc, pool) = (
        p.native_balance(2, usdc).await,
        p.pool_vault_balance(0).await,
    );
    p.liquidate_pair(2, hedged, 0, sol, 5 * SOL as u64)
        .await
        .unwrap();
    let half = p.health(hedged).await.unwrap();
    assert!(
        half.maint > before.maint && half.init > before.init,
        "{half:?}"
    );
    assert_eq!(p.perp_position(hedged, 0).await.unwrap().0, -5 * SOL);
    assert!((p.native_balance(hedged, sol).await - 5e9).abs() < 2.0);
    // The liquidator bought 5 SOL with $500 of its own USDC, paid into the pool vault (the
    // pool's new cash matches the liquidatee's new claim: no one is lent anything), and was
    // paid 80 % of the 0.5 % fee on the perp leg in its quote.
    assert!((p.native_balance(2, sol).await - 5e9).abs() < 2.0);
    let paid = liqor_usdc - p.native_balance(2, usdc).await;
    assert!((paid - 500e6).abs() <= 1.0, "{paid}");
    assert_eq!(p.pool_vault_balance(0).await - pool, paid.round() as u64);
    let (liqor_base, liqor_quote) = p.perp_position(2, 0).await.unwrap();
    assert_eq!(liqor_base, 0);
    let expected = 500e6 * 0.005 * 0.8;
    assert!(
        (liqor_quote - expected).abs() < 1e3,
        "{liqor_quote} vs {expected}"
    );
    // The rest: init cannot reach zero on the hedge alone, so the whole pair closes. The
    // perp is flat with its quote (≈ $994) as realised profit, which maint counts.
    p.liquidate_pair(2, hedged, 0, sol, u64::MAX).await.unwrap();
    let flat = p.health(hedged).await.unwrap();
    assert!(flat.maint > half.maint, "{flat:?}");
    let (base, quote) = p.perp_position(hedged, 0).await.unwrap();
    assert_eq!(base, 0);
    assert!((quote - 994e6).abs() < 1e6, "{quote}");
    // Anyone settles that profit into a USDC deposit, and the ETH debt is liquidated
    // against it as any borrow is.
    p.settle_pnl_as(2, hedged, 0).await.unwrap();
    assert!(p.perp_position(hedged, 0).await.is_none());
    let cash = p.health(hedged).await.unwrap();
    assert!(cash.init > flat.init, "{cash:?}");
    p.liquidate(2, hedged, usdc, eth, u64::MAX).await.unwrap();
    let done = p.health(hedged).await.unwrap();
    assert!(done.init > cash.init && done.maint > cash.maint, "{done:?}");
}

/// The keeper finds the same account and runs the whole sequence with the program's
/// planners: no single leg helps, so it unwinds the pair, settles the realised profit it
/// leaves, and liquidates the ETH debt against the cash.
#[tokio::test]
async fn the_keeper_unwinds_a_hedge_settles_its_profit_and_liquidates_the_debt() {
    let mut p = setup(default_perp_config()).await;
    let (hedged, eth) = underwater_hedge(&mut p).await;
    let before = p.health(hedged).await.unwrap();
    let signer = p.users[2].key.insecure_clone();
    let mut keeper = cross_margin_keeper::keeper::Keeper::new(p.group, p.users[2].account, signer);
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!(report.failures, 0, "{report:?}");
    assert_eq!(report.settlements, 1, "{report:?}");
    assert!(report.liquidations >= 2, "pair, then the debt: {report:?}");
    assert!(p.perp_position(hedged, 0).await.is_none(), "hedge unwound");
    let after = p.health(hedged).await.unwrap();
    assert!(after.maint > before.maint, "{after:?}");
    assert!(
        p.native_balance(hedged, eth).await > -40_000_000.0,
        "debt repaid in part"
    );
}

/// A crash deeper than the collateral: the long is closed, a stranger settles the loss up
/// to the USDC deposit (no more: the account has nothing else), and the rest is written
/// off: the USDC bank's insurance pays what it holds into the pool, the LPs absorb the
/// remainder, and no USDC depositor loses anything.
#[tokio::test]
async fn a_perp_loss_beyond_the_collateral_goes_to_insurance_then_the_pool() {
    let mut p = setup(default_perp_config()).await;
    let usdc = 0;
    p.fund_insurance(0, usdc, 300 * USD).await.unwrap();
    p.trade(1, 0, 94 * SOL).await.unwrap();
    assert_err(p.resolve_perp_bankruptcy(1, 0).await, E::NotBankrupt);
    // −20 %: a $1,880 loss on $1,000 of collateral.
    p.set_price(1, 80.0, 0).await;
    while p.perp_position(1, 0).await.is_some_and(|(b, _)| b != 0) {
        p.liquidate_perp(2, 1, 0, u64::MAX).await.unwrap();
    }
    // Still holding its USDC: not bankrupt yet.
    assert_err(p.resolve_perp_bankruptcy(1, 0).await, E::NotBankrupt);
    let vault = p.pool_vault_balance(0).await;
    p.settle_pnl_as(2, 1, 0).await.unwrap();
    assert_eq!(p.pool_vault_balance(0).await - vault, 1_000 * USD);
    assert!(
        p.native_balance(1, usdc).await.abs() < 1.0,
        "no USDC borrow created"
    );
    let (_, quote) = p.perp_position(1, 0).await.unwrap();
    assert!(quote < -800e6, "loss left {quote}");
    let usdc_index = p.bank_state(usdc).await.deposit_index.get();
    let vault = p.pool_vault_balance(0).await;
    p.resolve_perp_bankruptcy(1, 0).await.unwrap();
    assert_eq!(
        p.pool_vault_balance(0).await - vault,
        300 * USD,
        "insurance paid"
    );
    assert!(p.perp_position(1, 0).await.is_none());
    let account = p.margin_account(1).await;
    assert!(account.is_empty() && account.being_liquidated == 0);
    assert_eq!(p.bank_state(usdc).await.deposit_index.get(), usdc_index);
    assert_err(p.resolve_perp_bankruptcy(1, 0).await, E::NotBankrupt);
}

/// The keeper runs the same sequence on its own: close, settle up to the deposit, write
/// off the rest against insurance and the pool.
#[tokio::test]
async fn the_keeper_writes_off_a_perp_loss_beyond_the_collateral() {
    let mut p = setup(default_perp_config()).await;
    p.fund_insurance(0, 0, 300 * USD).await.unwrap();
    p.trade(1, 0, 94 * SOL).await.unwrap();
    p.set_price(1, 80.0, 0).await;
    let signer = p.users[2].key.insecure_clone();
    let mut keeper = cross_margin_keeper::keeper::Keeper::new(p.group, p.users[2].account, signer);
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!(report.failures, 0, "{report:?}");
    assert!(
        report.liquidations >= 1 && report.settlements == 1,
        "{report:?}"
    );
    assert_eq!(report.bankruptcies, 1, "{report:?}");
    assert!(p.margin_account(1).await.is_empty());
}

/// On the live group the admin can tighten a market at once (a crisis response: reduce-only,
/// a lower cap), and nothing that loosens it applies; reducing trades keep working.
#[tokio::test]
async fn the_admin_tightens_a_live_market_at_once_and_cannot_loosen_it() {
    let mut p = setup(default_perp_config()).await;
    p.trade(1, 0, 10 * SOL).await.unwrap();
    let tight = PerpConfig {
        reduce_only: true,
        max_open_interest: 50 * SOL as u64,
        ..default_perp_config()
    };
    p.edit_perp(0, tight).await.unwrap();
    let market = p.perp_state(0).await;
    assert_eq!(
        (market.reduce_only, market.max_open_interest),
        (1, 50 * SOL as u64)
    );
    assert_err(p.trade(1, 0, SOL).await, E::PerpReduceOnly);
    p.trade(1, 0, -5 * SOL).await.unwrap();
    // Back to normal, a higher unsettled-profit weight, or a maint weight change: refused.
    for loose in [
        default_perp_config(),
        PerpConfig {
            init_pnl_weight_bps: 5_000,
            ..tight
        },
        PerpConfig {
            maint_asset_weight_bps: 9_400,
            ..tight
        },
    ] {
        assert_err(p.edit_perp(0, loose).await, E::LooseningNeedsTimelock);
    }
    // Invalid values are named as such first.
    assert_err(
        p.edit_perp(
            0,
            PerpConfig {
                pair_liquidation_fee_bps: 0,
                ..tight
            },
        )
        .await,
        E::InvalidPerpConfig,
    );
}

/// A dead feed elsewhere in the account (here its USDC collateral's) stops the trader from
/// adding risk, never from cutting it: a reducing trade needs only the market's oracle.
#[tokio::test]
async fn a_dead_oracle_elsewhere_blocks_growing_a_position_but_not_reducing_it() {
    let mut p = setup(default_perp_config()).await;
    p.trade(1, 0, 50 * SOL).await.unwrap();
    // USDC's confidence far beyond its limit: its oracle is unusable.
    p.set_price(0, 1.0, 5_000).await;
    assert!(
        p.trade(1, 0, SOL).await.is_err(),
        "growing needs every oracle"
    );
    p.trade(1, 0, -20 * SOL).await.unwrap();
    assert_eq!(p.perp_position(1, 0).await.unwrap().0, 30 * SOL);
}

/// A dust deposit of another token (anyone may add to a position the account holds) does
/// not turn the part of a perp loss the account cannot pay into a USDC borrow: a stranger
/// settles what the tokens cover, and the rest still goes to insurance and the pool.
#[tokio::test]
async fn dust_collateral_does_not_push_a_perp_loss_onto_usdc_depositors() {
    let mut p = setup(default_perp_config()).await;
    let sol = 1;
    p.trade(1, 0, 94 * SOL).await.unwrap();
    // One lamport of SOL in the trader's account.
    let (mint, wallet) = (p.banks[sol].mint, p.users[1].wallets[sol]);
    p.tc.mint_to(&mint, &wallet, 1).await;
    p.deposit(1, sol, 1).await.unwrap();
    p.set_price(1, 80.0, 0).await;
    while p.perp_position(1, 0).await.is_some_and(|(b, _)| b != 0) {
        p.liquidate_perp(2, 1, 0, u64::MAX).await.unwrap();
    }
    let vault = p.pool_vault_balance(0).await;
    p.settle_pnl_as(2, 1, 0).await.unwrap();
    let paid = p.pool_vault_balance(0).await - vault;
    assert!(
        paid <= 1_000 * USD + 1,
        "settled {paid}: only what the tokens cover"
    );
    assert!(
        p.native_balance(1, 0).await > -2.0,
        "no USDC borrow beyond a unit"
    );
    let (_, loss) = p.perp_position(1, 0).await.unwrap();
    assert!(loss < -800e6, "the rest stays for perp bankruptcy: {loss}");
}
