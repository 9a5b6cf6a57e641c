use super::*;
use crate::synthetic::{self, Builder, SOL, USDC};
use anchor_lang::prelude::Pubkey;

const NOW: i64 = 1_700_000_000;
const SOL_UNIT: u64 = 1_000_000_000;
const USD: u64 = 1_000_000;

/// A lender with 100,000 USDC, and borrowers of `(sol, usdc_debt)`; USDC's insurance
/// fund holds `insurance` native units. Columns: 0 = SOL, 1 = USDC.
fn book(borrowers: &[(u64, u64)], insurance: u64) -> (Book, AssetMap) {
    let mut b = Builder::new(NOW);
    let mut lender = synthetic::account(Pubkey::new_unique(), 0);
    b.deposit(&mut lender, USDC, 100_000 * USD);
    let mut accounts = vec![lender];
    for &(sol, debt) in borrowers {
        let mut a = synthetic::account(Pubkey::new_unique(), 0);
        b.deposit(&mut a, SOL, sol);
        b.borrow(&mut a, USDC, debt);
        accounts.push(a);
    }
    b.banks.retain(|t, _| *t == USDC || *t == SOL);
    let prices = BTreeMap::from([
        (USDC, synthetic::price(1.0, NOW)),
        (SOL, synthetic::price(100.0, NOW)),
    ]);
    let book = Book::new(
        NOW,
        b.banks,
        prices,
        BTreeMap::from([(USDC, insurance)]),
        accounts,
    );
    let map = AssetMap {
        pairs: vec![(0, SOL), (1, USDC)],
    };
    (book, map)
}

fn config(paths: usize) -> SimConfig {
    SimConfig {
        paths,
        seed: 7,
        cascade: CascadeConfig::default(),
    }
}

#[test]
fn without_a_move_nobody_loses() {
    let (b, map) = book(&[(10 * SOL_UNIT, 500 * USD)], 0);
    let sim = simulate(&b, &map, 2, |_, r| r.fill(1.0), &config(4), |_| {}).unwrap();
    assert_eq!(sim.paths.len(), 4);
    assert!(
        sim.losses.iter().all(|l| l.abs() < 1e-3),
        "{:?}",
        sim.losses
    );
    assert_eq!(sim.liquidated, vec![0, 0]);
    assert!(sim
        .paths
        .iter()
        .all(|p| p.bad_debt_usd == 0.0 && p.rounds == 0));
    // Equity: the lender's 100,000 USDC; the borrower's $1,000 of SOL less $500 of debt.
    assert!((sim.base_equity[0] - 100_000.0).abs() < 1e-6);
    assert!((sim.base_equity[1] - 500.0).abs() < 1e-6);
}

/// SOL −60 % on every path: the borrower's $400 of SOL cannot pay $850 of debt. The path
/// books exactly what `cascade::run` books at those prices, the borrower loses its whole
/// equity, and the lender (the only USDC depositor, no insurance) loses what is
/// socialised, to the cent.
#[test]
fn a_crash_path_books_the_cascade_and_socialises_onto_the_lender() {
    let (b, map) = book(&[(10 * SOL_UNIT, 850 * USD)], 0);
    let sim = simulate(
        &b,
        &map,
        2,
        |_, r| r.copy_from_slice(&[0.4, 1.0]),
        &config(3),
        |_| {},
    )
    .unwrap();
    let direct = crate::cascade::run(
        &b,
        shocked_prices(&b, &map, &[0.4, 1.0]),
        &CascadeConfig::default(),
    )
    .unwrap();
    for p in &sim.paths {
        assert_eq!(p.bankruptcies, direct.bankruptcies);
        assert_eq!(p.liquidations, direct.liquidations);
        assert!((p.bad_debt_usd - direct.bad_debt_usd).abs() < 1e-9);
        assert!(p.insurance_exhausted);
    }
    assert_eq!(direct.bankruptcies, 1, "{direct:?}");
    assert_eq!(sim.liquidated, vec![0, 3]);
    let lender_loss = sim.account_losses(0);
    let socialised = sim.paths[0].socialised_usd;
    assert!(socialised > 400.0, "{socialised}");
    for l in lender_loss {
        assert!(
            (l - socialised).abs() < 0.01,
            "lender lost {l}, socialised {socialised}"
        );
    }
    // The borrower ends with nothing: it loses its $150 of equity.
    for l in sim.account_losses(1) {
        assert!((l - 150.0).abs() < 0.01, "{l}");
    }
}

/// Paths are drawn from their own index: the same seed gives the same simulation on any
/// number of threads.
#[test]
fn a_run_is_reproducible() {
    let (b, map) = book(
        &[(10 * SOL_UNIT, 700 * USD), (5 * SOL_UNIT, 300 * USD)],
        50 * USD,
    );
    let sample = |path: u64, r: &mut [f64]| {
        r[0] = 0.3 + (path % 10) as f64 * 0.08;
        r[1] = 1.0;
    };
    let one = simulate(&b, &map, 2, sample, &config(40), |_| {}).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = pool
        .install(|| simulate(&b, &map, 2, sample, &config(40), |_| {}))
        .unwrap();
    assert_eq!(one.losses, two.losses);
    assert_eq!(one.paths, two.paths);
    assert!(one.liquidated[1] > 0 && one.liquidated[1] < 40);
}
