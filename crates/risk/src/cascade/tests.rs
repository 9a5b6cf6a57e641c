use super::*;
use anchor_lang::prelude::Pubkey;
use cross_margin::state::BankConfig;
use proptest::prelude::*;

const NOW: i64 = 1_700_000_000;
const USDC: u16 = 0;
const SOL: u16 = 1;
const SOL_UNIT: u64 = 1_000_000_000;
const USD: u64 = 1_000_000;

fn bank(index: u16, decimals: u8, config: &BankConfig) -> Bank {
    crate::synthetic::bank(index, decimals, config, NOW)
}

fn price(dollars: f64, decimals_expo: i32) -> OraclePrice {
    OraclePrice {
        price: (dollars * 10f64.powi(-decimals_expo)).round() as i64,
        conf: 0,
        expo: decimals_expo,
        publish_time: NOW,
    }
}

/// USDC ($1, weights 1) and SOL ($100, 0.8/0.9 asset, 2.5 % fee, 20 % to insurance); a
/// lender with 10M USDC; one borrower per `(sol, usdc_debt)` with that SOL deposited and
/// that USDC borrowed.
fn book(borrowers: &[(u64, u64)], insurance: u64) -> Book {
    let usdc_config = BankConfig {
        init_asset_weight_bps: 10_000,
        maint_asset_weight_bps: 10_000,
        maint_liab_weight_bps: 10_000,
        init_liab_weight_bps: 10_000,
        liquidation_fee_bps: 0,
        ..BankConfig::DEFAULT
    };
    let mut banks = BTreeMap::from([
        (USDC, bank(USDC, 6, &usdc_config)),
        (SOL, bank(SOL, 9, &BankConfig::DEFAULT)),
    ]);
    let mut accounts = Vec::new();
    let mut lender: MarginAccount = bytemuck::Zeroable::zeroed();
    lender.init(Pubkey::default(), Pubkey::new_unique(), 0, 0);
    let slot = lender.find_or_create_position(USDC).unwrap();
    let d = banks
        .get_mut(&USDC)
        .unwrap()
        .deposit(I80F48::ZERO, 10_000_000 * USD, Flow::User)
        .unwrap();
    lender.token_positions[slot].indexed.set(d.indexed);
    accounts.push(lender);
    for &(sol, debt) in borrowers {
        let mut a: MarginAccount = bytemuck::Zeroable::zeroed();
        a.init(Pubkey::default(), Pubkey::new_unique(), 0, 0);
        let s = a.find_or_create_position(SOL).unwrap();
        let dep = banks
            .get_mut(&SOL)
            .unwrap()
            .deposit(I80F48::ZERO, sol, Flow::User)
            .unwrap();
        a.token_positions[s].indexed.set(dep.indexed);
        let u = a.find_or_create_position(USDC).unwrap();
        let b = banks
            .get_mut(&USDC)
            .unwrap()
            .withdraw(I80F48::ZERO, debt, true, Flow::Liquidation)
            .unwrap();
        a.token_positions[u].indexed.set(b.indexed);
        accounts.push(a);
    }
    let prices = BTreeMap::from([(USDC, price(1.0, -8)), (SOL, price(100.0, -8))]);
    Book::new(
        NOW,
        banks,
        prices,
        BTreeMap::from([(USDC, insurance)]),
        accounts,
    )
}

fn shocked(book: &Book, sol_factor: f64) -> BTreeMap<u16, OraclePrice> {
    let mut prices = book.prices.clone();
    let p = prices.get_mut(&SOL).unwrap();
    *p = scaled(p, sol_factor);
    prices
}

#[test]
fn without_a_shock_nothing_happens() {
    let b = book(&[(10 * SOL_UNIT, 700 * USD)], 0);
    let out = run(&b, b.prices.clone(), &CascadeConfig::default()).unwrap();
    assert_eq!((out.rounds, out.liquidations, out.bankruptcies), (0, 0, 0));
    assert!(out.bad_debt.is_empty());
}

/// 10 SOL against 700 USDC: at $75 maint is 675 − 700 < 0. The program's planner takes
/// just enough debt to bring init back to ≥ 0, at the oracle price plus the 2.5 % fee.
#[test]
fn a_shock_liquidates_as_the_program_plans_it() {
    let b = book(&[(10 * SOL_UNIT, 700 * USD)], 0);
    let out = run(&b, shocked(&b, 0.75), &CascadeConfig::default()).unwrap();
    assert_eq!(out.liquidations, 1, "{out:?}");
    assert_eq!(out.accounts_hit, 1);
    assert_eq!(out.bankruptcies, 0);
    // Init after: (10 − y) × 75 × 0.8 − (700 − x) ≥ 0 with y = 1.025 x / 75, so
    // x = 100 / (1 − 0.8 × 1.025) ≈ $555.6 and y ≈ $569.4 of SOL, of which the liquidator
    // sells all but the insurance's 20 % of the fee (≈ $2.8): ≈ $566.7.
    let sold = out.volume_usd;
    assert!((sold - 566.7).abs() < 0.5, "sold ${sold}");
}

/// 10 SOL against 850 USDC and SOL −60 %: the $400 of SOL pays ≈ $390 of debt, the rest
/// is written off: first the $100 insurance fund, then the lender's deposits.
#[test]
fn what_collateral_cannot_pay_goes_through_the_loss_waterfall() {
    let b = book(&[(10 * SOL_UNIT, 850 * USD)], 100 * USD);
    let out = run(&b, shocked(&b, 0.4), &CascadeConfig::default()).unwrap();
    assert_eq!(out.bankruptcies, 1, "{out:?}");
    let d = out.bad_debt[&USDC];
    assert_eq!(
        d.debt,
        d.fees_forgone + d.insured + d.socialised + d.unrecoverable
    );
    assert_eq!(d.insured, 100 * USD);
    // 850 − 400 / 1.025 ≈ 459.8.
    let debt = d.debt as f64 / 1e6;
    assert!((debt - 459.8).abs() < 1.0, "bad debt ${debt}");
    assert!((out.bad_debt_usd - debt).abs() < 1e-6);
}

/// Borrowers at graded leverage: a −22 % shock liquidates the most leveraged; selling
/// their SOL into a thin market pushes the price down and reaches accounts that were
/// safe at the shock.
#[test]
fn price_impact_turns_a_shock_into_a_cascade() {
    let borrowers: Vec<(u64, u64)> = (0..20)
        .map(|i| (10 * SOL_UNIT, (560 + 10 * i) * USD))
        .collect();
    let b = book(&borrowers, 0);
    let prices = shocked(&b, 0.78);
    let off = run(&b, prices.clone(), &CascadeConfig::default()).unwrap();
    let thin = CascadeConfig {
        impacts: BTreeMap::from([(SOL, Impact::Linear { depth_usd: 300.0 })]),
        ..CascadeConfig::default()
    };
    let on = run(&b, prices, &thin).unwrap();
    assert!(off.accounts_hit > 0 && off.rounds == 1, "{off:?}");
    assert!(on.accounts_hit > off.accounts_hit, "{on:?} vs {off:?}");
    assert!(on.rounds > 1, "{on:?}");
    assert!(on.prices[&SOL].price < off.prices[&SOL].price);
}

/// With the liquidators' capital capped, the same liquidations take more rounds.
#[test]
fn limited_capital_spreads_liquidations_over_rounds() {
    let borrowers: Vec<(u64, u64)> = (0..10).map(|_| (10 * SOL_UNIT, 700 * USD)).collect();
    let b = book(&borrowers, 0);
    let prices = shocked(&b, 0.75);
    let rich = run(&b, prices.clone(), &CascadeConfig::default()).unwrap();
    let poor = CascadeConfig {
        capital_usd_per_round: Some(1_000.0),
        ..CascadeConfig::default()
    };
    let out = run(&b, prices, &poor).unwrap();
    assert_eq!(rich.rounds, 1);
    assert!(out.rounds >= 4, "{out:?}");
    assert_eq!(out.accounts_hit, rich.accounts_hit);
}

#[test]
fn impact_is_clamped_and_ignores_bad_depths() {
    assert_eq!(Impact::Off.fall(1e12), 0.0);
    assert_eq!(Impact::Linear { depth_usd: 1_000.0 }.fall(2_000.0), 0.02);
    assert_eq!(
        Impact::SquareRoot { depth_usd: 1_000.0 }.fall(4_000.0),
        0.02
    );
    assert_eq!(Impact::Linear { depth_usd: 1.0 }.fall(1e9), 0.99);
    assert_eq!(Impact::Linear { depth_usd: 0.0 }.fall(1e9), 0.0);
    assert_eq!(Impact::Linear { depth_usd: -5.0 }.fall(1e9), 0.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Cascade feedback never lowers bad debt against the same path without it.
    #[test]
    fn feedback_never_lowers_bad_debt(
        borrowers in prop::collection::vec((1u64..50, 100u64..900), 1..8),
        shock in 0.2f64..1.0,
        depth in 10.0f64..100_000.0,
        sqrt in any::<bool>(),
    ) {
        // Debt per SOL of collateral ≤ $90: every borrower starts healthy at $100.
        let borrowers: Vec<(u64, u64)> = borrowers
            .iter()
            .map(|&(sol, per)| (sol * SOL_UNIT, sol * per.min(700) * USD / 10))
            .collect();
        let b = book(&borrowers, 0);
        let prices = shocked(&b, shock);
        let off = run(&b, prices.clone(), &CascadeConfig::default()).unwrap();
        let impact = if sqrt {
            Impact::SquareRoot { depth_usd: depth }
        } else {
            Impact::Linear { depth_usd: depth }
        };
        let config = CascadeConfig {
            impacts: BTreeMap::from([(SOL, impact)]),
            ..CascadeConfig::default()
        };
        let on = run(&b, prices, &config).unwrap();
        let debt = |o: &Outcome| o.bad_debt.get(&USDC).map_or(0, |d| d.debt);
        prop_assert!(debt(&on) >= debt(&off), "{:?} vs {:?}", on, off);
        prop_assert!(on.accounts_hit >= off.accounts_hit);
    }
}

/// A bank whose oracle was down at the snapshot counts in health but is never seized or
/// taken, as `token_liquidate` refuses it: the same shock that liquidates the SOL holder
/// leaves it stuck while SOL is in outage.
#[test]
fn a_bank_in_outage_is_valued_but_never_seized() {
    let mut b = book(&[(10 * SOL_UNIT, 700 * USD)], 0);
    let live = run(&b, shocked(&b, 0.75), &CascadeConfig::default()).unwrap();
    assert_eq!(live.liquidations, 1);
    b.outages.insert(SOL);
    let out = run(&b, shocked(&b, 0.75), &CascadeConfig::default()).unwrap();
    assert_eq!((out.liquidations, out.bankruptcies), (0, 0), "{out:?}");
    assert_eq!(out.stuck, 1, "liquidatable, nothing transferable");
}
