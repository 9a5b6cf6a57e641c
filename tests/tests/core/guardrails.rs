//! Issue 9, the price and flow doors: stable price, oracle-jump breaker, net outflow limit,
//! pause expiry and maint weight ramps, each on the validator.

use cross_margin::error::CrossMarginError as E;
use cross_margin::state::BankConfig;
use cross_margin_client::builders;
use cross_margin_tests::harness::scenarios::{
    lending_market, sol_at, LENDER, LIQUIDATOR, SOL, USDC, VICTIM,
};
use cross_margin_tests::harness::{assert_err, Protocol};
use solana_signer::Signer;

const HOUR: i64 = 3_600;

/// Advance `secs` and publish fresh prices (SOL at `sol`, USDC at $1).
async fn later(p: &mut Protocol, secs: i64, sol: f64) {
    p.tc.advance_clock(secs).await;
    sol_at(p, sol).await;
}

#[tokio::test]
async fn a_pumped_oracle_cannot_be_borrowed_against() {
    let mut p = lending_market().await;
    // SOL triples in one print. At the oracle alone the victim could borrow ~$1,480 more
    // (10 SOL × $300 × 0.8 − $700 × 1.1 = $1,630 of init health); at the stable price
    // (still $100) it has $30 of init health: $27 of borrowing.
    sol_at(&mut p, 300.0).await;
    assert_err(
        p.withdraw(VICTIM, USDC, 500_000_000, true).await,
        E::HealthWouldBeNegative,
    );
    assert_err(
        p.withdraw(VICTIM, USDC, 28_000_000, true).await,
        E::HealthWouldBeNegative,
    );
    p.withdraw(VICTIM, USDC, 20_000_000, true).await.unwrap();
    // Maint health follows the oracle: the account is far from liquidation.
    let h = p.health(VICTIM).await.unwrap();
    assert!(h.maint.to_num::<f64>() > 1_900e6, "{h:?}");
    // The crank feeds the pumped price to SOL's stable price: it moves by at most 6 %/h,
    // and the gap trips SOL's breaker.
    p.crank(SOL).await.unwrap();
    let bank = p.bank_state(SOL).await;
    assert!(bank.breaker_tripped());
    assert!(
        bank.stable.price <= 106 * 100_000_000,
        "{}",
        bank.stable.price
    );
}

#[tokio::test]
async fn the_breaker_makes_a_bank_borrow_reduce_only_until_the_gap_closes() {
    let mut p = lending_market().await;
    let holder = p.add_user(&[(SOL, 5_000_000_000)]).await;
    p.deposit(holder, SOL, 5_000_000_000).await.unwrap();
    // The crash gap: SOL −40 % in one print.
    sol_at(&mut p, 60.0).await;
    p.crank(SOL).await.unwrap();
    assert!(p.bank_state(SOL).await.breaker_tripped());
    // No new SOL borrows; no SOL withdrawals from an account with debt.
    assert_err(
        p.withdraw(LENDER, SOL, 1_000_000, true).await,
        E::BreakerBorrowReduceOnly,
    );
    assert_err(
        p.withdraw(VICTIM, SOL, 1_000_000, false).await,
        E::BreakerBorrowReduceOnly,
    );
    // An account without debt takes its SOL out; repays and liquidations keep working.
    p.withdraw(holder, SOL, 1_000_000_000, false).await.unwrap();
    assert!(p.health(VICTIM).await.unwrap().maint < 0);
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 100_000_000)
        .await
        .unwrap();
    // A constant oracle pulls the stable price down (6 %/h after an hour's delay) until
    // the gap is inside the 25 % band: then the breaker clears by itself.
    let mut hours = 0;
    while p.bank_state(SOL).await.breaker_tripped() {
        hours += 1;
        assert!(hours <= 12, "breaker still tripped after {hours} h");
        later(&mut p, HOUR, 60.0).await;
        p.crank(SOL).await.unwrap();
    }
    assert!(hours >= 4, "the stable price moved too fast: {hours} h");
    p.withdraw(LENDER, SOL, 1_000_000, true).await.unwrap();
}

#[tokio::test]
async fn net_outflow_is_capped_per_window_and_inflows_make_room() {
    let mut p = lending_market().await;
    // The production default, 25 % of deposits per hour (the test market's banks have a
    // limit that never binds): a tightening, so it applies at once.
    let limited = BankConfig {
        net_outflow_limit_bps: BankConfig::DEFAULT.net_outflow_limit_bps,
        ..p.bank_config(USDC).await
    };
    p.edit_bank(USDC, limited).await.unwrap();
    // A new window: the cap is 25 % of the ~20,000 USDC deposited.
    later(&mut p, HOUR, 100.0).await;
    p.withdraw(LENDER, USDC, 4_000_000_000, false)
        .await
        .unwrap();
    let r = p.withdraw(LENDER, USDC, 1_500_000_000, false).await;
    assert_err(r, E::NetOutflowLimit);
    // The window (and its reset time, which the refusal logs) is on the bank.
    let bank = p.bank_state(USDC).await;
    assert_eq!(bank.outflow.net, 4_000_000_000);
    assert_eq!(
        bank.outflow.resets_at(bank.outflow_window_secs),
        p.tc.now().await + HOUR
    );
    // A repay is inflow: it makes room for the same amount.
    p.tc.mint_to(
        &p.banks[USDC].mint.clone(),
        &p.users[VICTIM].wallets[USDC].clone(),
        700_000_000,
    )
    .await;
    p.deposit(VICTIM, USDC, 700_000_000).await.unwrap();
    p.withdraw(LENDER, USDC, 1_500_000_000, false)
        .await
        .unwrap();
    // The next window starts afresh.
    later(&mut p, HOUR, 100.0).await;
    p.withdraw(LENDER, USDC, 1_500_000_000, false)
        .await
        .unwrap();
    let w = p.bank_state(USDC).await.outflow;
    assert_eq!(w.net, 1_500_000_000);
}

#[tokio::test]
async fn a_pause_lapses_by_itself_unless_renewed() {
    let mut p = lending_market().await;
    let sec = p.security_admin.insecure_clone();
    let group = p.group;
    let pause = builders::group_set_paused(&sec.pubkey(), &group, true);
    p.step(std::slice::from_ref(&pause), &[&sec]).await.unwrap();
    let expires = p.group_state().await.pause_expires_at;
    assert_eq!(expires, p.tc.now().await + 2 * 24 * HOUR);
    assert_err(
        p.withdraw(LENDER, USDC, 1_000_000, false).await,
        E::GroupPaused,
    );
    // Renewed a day later, it lasts two days from then.
    later(&mut p, 24 * HOUR, 100.0).await;
    p.step(&[pause], &[&sec]).await.unwrap();
    later(&mut p, 24 * HOUR + 60, 100.0).await;
    assert_err(
        p.withdraw(LENDER, USDC, 1_000_000, false).await,
        E::GroupPaused,
    );
    later(&mut p, 24 * HOUR, 100.0).await;
    p.withdraw(LENDER, USDC, 1_000_000, false).await.unwrap();
    // Only the admin unpauses early.
    let pause = builders::group_set_paused(&sec.pubkey(), &group, true);
    p.step(&[pause], &[&sec]).await.unwrap();
    let unpause = builders::group_set_paused(&p.admin(), &group, false);
    p.step(&[unpause], &[]).await.unwrap();
    p.withdraw(LENDER, USDC, 1_000_000, false).await.unwrap();
}

/// The victim's maint health in dollars.
async fn maint(p: &mut Protocol) -> f64 {
    p.health(VICTIM).await.unwrap().maint.to_num::<f64>() / 1e6
}

#[tokio::test]
async fn a_tightened_maint_weight_ramps_instead_of_liquidating_in_one_slot() {
    let mut p = lending_market().await;
    // SOL maint asset weight 0.9 → 0.7 (init 0.8 → 0.7): tightening, applied at once but
    // ramped over the group's day.
    let tight = BankConfig {
        init_asset_weight_bps: 7_000,
        maint_asset_weight_bps: 7_000,
        ..p.bank_config(SOL).await
    };
    p.edit_bank(SOL, tight).await.unwrap();
    // Right after the edit: maint health as before (10 × $100 × 0.9 − $700 × 1.05 ≈ $165).
    assert!((maint(&mut p).await - 165.0).abs() < 1.0);
    later(&mut p, 12 * HOUR, 100.0).await;
    let half = maint(&mut p).await;
    assert!((half - 65.0).abs() < 2.0, "half way: {half}");
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 1_000_000).await,
        E::NotLiquidatable,
    );
    later(&mut p, 12 * HOUR, 100.0).await;
    assert!(maint(&mut p).await < 0.0);
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 1_000_000)
        .await
        .unwrap();
}
