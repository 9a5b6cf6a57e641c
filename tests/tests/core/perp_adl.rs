//! Auto-deleveraging on the validator: when the pool owes its traders more than
//! `adl_threshold_bps` of its vault, anyone may close a profitable position at the
//! protected price and pay its realised profit out of the pool, sized to bring the pool
//! back to the threshold. A pump the stable price has not followed cannot trigger it. Also
//! the settlement of an open short, which shares ADL's signed PnL valuation.

use cross_margin::error::CrossMarginError as E;
use cross_margin::health::auto_deleverage::excess;
use cross_margin::math::I80F48;
use cross_margin::state::{BankConfig, PerpConfig};
use cross_margin_tests::harness::perps::default_perp_config;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::{assert_err, Protocol};

const SOL: i64 = 1_000_000_000;
const USD: u64 = 1_000_000;

/// Banks 0 = USDC, 1 = SOL ($100); SOL-PERP with an 8,000 USDC pool (user 0), a stable
/// price that may follow the oracle 100 % per hour and no breaker, so a +60 % move is
/// priced in within two hours. Users 1 and 2 each deposit 5,000 USDC and go long 60 SOL at
/// $100 and 30 SOL at $110; user 3 deposits 5,000 USDC and goes 10 SOL short at $100.
async fn crowded_longs() -> Protocol {
    let mut p = Protocol::new().await;
    let usdc_config = BankConfig {
        init_asset_weight_bps: 9_500,
        maint_asset_weight_bps: 9_800,
        maint_liab_weight_bps: 10_200,
        init_liab_weight_bps: 10_500,
        ..default_config()
    };
    let usdc = p.add_bank(6, 1.0, usdc_config).await;
    let sol = p.add_bank(9, 100.0, default_config()).await;
    let config = PerpConfig {
        stable_growth_bps: 10_000,
        breaker_band_bps: 10_000,
        ..default_perp_config()
    };
    p.add_perp(sol, usdc, config).await.unwrap();
    let lp = p.add_user(&[(usdc, 8_000 * USD)]).await;
    p.pool_deposit(lp, 0, 8_000 * USD).await.unwrap();
    for (size, entry) in [(60 * SOL, 100.0), (30 * SOL, 110.0), (-10 * SOL, 100.0)] {
        p.set_price(sol, entry, 0).await;
        let trader = p.add_user(&[(usdc, 5_000 * USD)]).await;
        p.deposit(trader, usdc, 5_000 * USD).await.unwrap();
        p.trade(trader, 0, size).await.unwrap();
    }
    p
}

/// SOL holds at `dollars` for two hours, the market refreshed each hour: the hour's
/// average becomes the delayed price and the stable price follows it.
async fn sol_settles_at(p: &mut Protocol, dollars: f64) {
    for _ in 0..3 {
        p.set_price(1, dollars, 0).await;
        p.set_price(0, 1.0, 0).await;
        p.crank_funding(0).await.unwrap();
        p.tc.advance_clock(3_600).await;
    }
    p.set_price(1, dollars, 0).await;
    p.set_price(0, 1.0, 0).await;
}

#[tokio::test]
async fn the_pool_deleverages_the_most_profitable_long_back_to_its_threshold() {
    let mut p = crowded_longs().await;
    // Balanced enough at $100: nothing to deleverage.
    assert_err(p.auto_deleverage(1, 0, u64::MAX).await, E::AdlNotNeeded);
    // A pump the stable price has not followed owes nothing at the protected price.
    p.set_price(1, 160.0, 0).await;
    assert_err(p.auto_deleverage(1, 0, u64::MAX).await, E::AdlNotNeeded);
    // Two hours later it is priced in: net 80 SOL long, up 60 × $60 + 30 × $50 − 10 × $60 =
    // $4,500 (less ~$10 of fees), more than half the $8,000 vault.
    sol_settles_at(&mut p, 160.0).await;
    // The losing short cannot be deleveraged.
    assert_err(
        p.auto_deleverage(3, 0, u64::MAX).await,
        E::PositionNotProfitable,
    );

    p.crank_funding(0).await.unwrap();
    let vault = p.pool_vault_balance(0).await;
    // What the program will size the step to, from the market's aggregates at $160 (the
    // oracle and stable price agree, no confidence): 0.16 quote native per base native.
    let owed = p
        .perp_state(0)
        .await
        .traders_pnl(I80F48::from_num(0.16))
        .unwrap();
    let expected = excess(owed, vault, 5_000).expect("above the threshold");
    let usdc_before = p.native_balance(1, 0).await;
    let (base_before, _) = p.perp_position(1, 0).await.unwrap();
    p.auto_deleverage(1, 0, u64::MAX).await.unwrap();
    let paid = vault - p.pool_vault_balance(0).await;
    let (base_after, _) = p.perp_position(1, 0).await.unwrap();
    // Excess = (owed − 0.5 × vault) / 0.5 ≈ $950 (funding has eaten a little of the
    // longs' profit); the 60 SOL long (≈ $3,600 up) closes the share of its profit that
    // pays it (≈ 16 SOL), at $160, and the payout is a USDC deposit.
    assert!(
        paid > 0 && base_after > 0 && base_after < base_before,
        "{paid} {base_after}"
    );
    let deposited = p.native_balance(1, 0).await - usdc_before;
    assert!(
        (deposited - paid as f64).abs() <= 1.0,
        "{deposited} vs {paid}"
    );
    let closed = (base_before - base_after) as f64 / SOL as f64;
    let profit_per_sol = paid as f64 / 1e6 / closed;
    assert!(
        (profit_per_sol - 60.0).abs() < 0.5,
        "realised ≈ $60 per SOL: {profit_per_sol}"
    );
    // At least the excess (the units are rounded up), less than one more unit's profit.
    assert!(
        paid >= expected && paid <= expected + 100,
        "{paid} vs {expected}"
    );
    // Back at the threshold: nothing more to do, for any position.
    assert_err(p.auto_deleverage(2, 0, u64::MAX).await, E::AdlNotNeeded);
    assert_err(p.auto_deleverage(1, 0, u64::MAX).await, E::AdlNotNeeded);
}

/// The program cannot see every position, but it sees each side's aggregates: a winner
/// whose profit per unit is below its side's average cannot be singled out, while the top
/// one can. And LPs cannot withdraw the pool into ADL.
#[tokio::test]
async fn a_below_average_winner_cannot_be_singled_out_nor_the_pool_withdrawn_into_adl() {
    let mut p = crowded_longs().await;
    // At $140: the longs are up 60 × $40 + 30 × $30 and the short down $400: ≈ $2,900
    // owed against ≈ $8,000, under the 50 % threshold. An LP may take ≈ $640 (1,000 of
    // 8,000 shares of a pool worth ≈ $5,100) but not ≈ $3,200 (≈ $2,900 against ≈ $4,800).
    sol_settles_at(&mut p, 140.0).await;
    assert_err(
        p.pool_withdraw(0, 0, 5_000 * USD).await,
        E::PoolWithdrawWouldTriggerAdl,
    );
    p.pool_withdraw(0, 0, 1_000 * USD).await.unwrap();

    // At $160 the pool owes too much. The 30 SOL long bought at $110 holds $50 a unit, the
    // side averages ≈ $56.7: refused. The 60 SOL long ($60 a unit) goes.
    sol_settles_at(&mut p, 160.0).await;
    assert_err(
        p.auto_deleverage(2, 0, u64::MAX).await,
        E::AdlBelowAverageProfit,
    );
    p.auto_deleverage(1, 0, u64::MAX).await.unwrap();
}

/// The caller's cap bounds one step, so a keeper can deleverage in slices; the pool
/// stays able to pay: every LP share is still worth more than zero.
#[tokio::test]
async fn deleveraging_in_slices_reaches_the_same_threshold() {
    let mut p = crowded_longs().await;
    sol_settles_at(&mut p, 160.0).await;
    let mut steps = 0;
    loop {
        match p.auto_deleverage(1, 0, 2 * SOL as u64).await {
            Ok(()) => steps += 1,
            Err(e) => {
                assert_err(Err::<(), _>(e), E::AdlNotNeeded);
                break;
            }
        }
        assert!(steps < 20, "ADL does not converge");
    }
    assert!(steps >= 2, "a 2 SOL cap takes several steps: {steps}");
    let (base, _) = p.perp_position(1, 0).await.unwrap();
    assert!(base > 0 && base < 60 * SOL);
}

/// Regression: an open short's PnL is valued with a signed product (a short's `base ×
/// price` once failed as an overflow, so an open short could neither settle nor be ADL'd).
#[tokio::test]
async fn an_open_short_settles_its_profit() {
    let mut p = crowded_longs().await;
    sol_settles_at(&mut p, 80.0).await;
    let before = p.native_balance(3, 0).await;
    p.settle_pnl(3, 0).await.unwrap();
    let (base, _) = p.perp_position(3, 0).await.unwrap();
    assert_eq!(base, -10 * SOL);
    // 10 SOL × $20, less the opening fee and impact.
    let gained = p.native_balance(3, 0).await - before;
    assert!((gained / 1e6 - 199.0).abs() < 1.5, "{gained}");
}

/// The keeper finds the market over its threshold, deleverages the most profitable long
/// per unit first with the program's own sizing, and stops once the pool is back at its threshold:
/// no refused transaction, the smaller long untouched.
#[tokio::test]
async fn the_keeper_deleverages_the_most_profitable_position_first() {
    let mut p = crowded_longs().await;
    sol_settles_at(&mut p, 160.0).await;
    p.crank_funding(0).await.unwrap();
    let signer = p.users[0].key.insecure_clone();
    let mut keeper = cross_margin_keeper::keeper::Keeper::new(p.group, p.users[0].account, signer);
    let report = keeper.tick(&mut p).await.unwrap();
    assert_eq!(report.failures, 0, "{report:?}");
    assert_eq!(report.deleveraged, 1, "{report:?}");
    let (big, _) = p.perp_position(1, 0).await.unwrap();
    let (small, _) = p.perp_position(2, 0).await.unwrap();
    assert!(big < 60 * SOL && small == 30 * SOL, "{big} {small}");
    assert_err(p.auto_deleverage(2, 0, u64::MAX).await, E::AdlNotNeeded);
    // A second tick has nothing to do.
    let again = keeper.tick(&mut p).await.unwrap();
    assert_eq!((again.deleveraged, again.failures), (0, 0), "{again:?}");
}
