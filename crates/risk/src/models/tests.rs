use super::*;
use crate::history::PriceHistory;
use crate::stats::{correlation, covariance, normal_pdf, normal_quantile};

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("A{i}")).collect()
}

/// `n` one-day log returns of a single-asset model.
fn log_draws(model: &dyn ReturnModel, seed: u64, n: usize, horizon: usize) -> Vec<Vec<f64>> {
    let k = model.assets().len();
    let mut rng = path_seed(seed, 0);
    let mut out = vec![0.0; k];
    (0..n)
        .map(|_| {
            model.sample(&mut rng, horizon, &mut out);
            out.iter().map(|r| r.ln()).collect()
        })
        .collect()
}

#[test]
fn same_seed_same_numbers_and_streams_differ() {
    let m =
        MonteCarlo::student_t(names(2), vec![0.05, 0.02], vec![1.0, 0.5, 0.5, 1.0], 4.0).unwrap();
    let a = log_draws(&m, 7, 50, 3);
    assert_eq!(a, log_draws(&m, 7, 50, 3));
    assert_ne!(a, log_draws(&m, 8, 50, 3));
    let (mut p0, mut p1) = (path_seed(7, 0), path_seed(7, 1));
    let (mut x, mut y) = ([0.0; 2], [0.0; 2]);
    m.sample(&mut p0, 1, &mut x);
    m.sample(&mut p1, 1, &mut y);
    assert_ne!(x, y);
    // Path 1 does not depend on whether path 0 ran first.
    let mut again = path_seed(7, 1);
    m.sample(&mut again, 1, &mut x);
    assert_eq!(x, y);
    // A zero horizon is no move.
    m.sample(&mut p0, 0, &mut x);
    assert_eq!(x, [1.0, 1.0]);
}

#[test]
fn historical_draws_whole_days() {
    // Three days, two assets; every draw is one real day's pair.
    let rows = vec![0.1, -0.1, 0.2, -0.2, -0.3, 0.3];
    let r = Returns::new(names(2), rows.clone()).unwrap();
    let h = Historical::fit(&r).unwrap();
    assert_eq!(h.n_days(), 3);
    let mut seen = [false; 3];
    for d in log_draws(&h, 1, 300, 1) {
        let day = (0..3)
            .find(|&i| (d[0] - rows[2 * i]).abs() < 1e-12 && (d[1] - rows[2 * i + 1]).abs() < 1e-12)
            .expect("a drawn pair is a historical day");
        seen[day] = true;
    }
    assert_eq!(seen, [true; 3]);
    // Horizon 2: the sum of two days (here the two assets always offset).
    for d in log_draws(&h, 2, 100, 2) {
        assert!((d[0] + d[1]).abs() < 1e-12);
        assert!([0.2, 0.3, -0.2, 0.4, -0.1, -0.6]
            .iter()
            .any(|s| (d[0] - s).abs() < 1e-12));
    }
}

#[test]
fn fit_errors() {
    let r = |k: usize, n: usize| Returns::new(names(k), vec![0.01; k * n]).unwrap();
    assert_eq!(
        Historical::fit(&r(17, 5)).unwrap_err(),
        ModelError::TooManyAssets(17)
    );
    assert_eq!(
        MonteCarlo::fit(&r(17, 5), McConfig::default()).unwrap_err(),
        ModelError::TooManyAssets(17)
    );
    assert!(Historical::fit(&r(16, 5)).is_ok());
    assert_eq!(
        MonteCarlo::fit(&r(2, 1), McConfig::default()).unwrap_err(),
        ModelError::TooFewDays { need: 2, have: 1 }
    );
    let bad_lambda = McConfig {
        lambda: 1.0,
        innovations: Innovations::Normal,
    };
    assert_eq!(
        MonteCarlo::fit(&r(2, 5), bad_lambda).unwrap_err(),
        ModelError::BadLambda(1.0)
    );
    assert_eq!(
        MonteCarlo::student_t(names(1), vec![0.1], vec![1.0], 2.0).unwrap_err(),
        ModelError::BadDof(2.0)
    );
    assert!(matches!(
        MonteCarlo::normal(names(2), vec![0.1, 0.1], vec![1.0, 1.2, 1.2, 1.0]).unwrap_err(),
        ModelError::Stats(StatsError::NotPsd { .. })
    ));
    assert_eq!(
        MonteCarlo::normal(names(2), vec![0.1], vec![1.0; 4]).unwrap_err(),
        ModelError::Shape {
            assets: 2,
            found: 1
        }
    );
    let mut nan = r(1, 5);
    nan.rows[2] = f64::NAN;
    assert_eq!(Historical::fit(&nan).unwrap_err(), ModelError::NonFinite);
    assert!(ModelError::TooManyAssets(17)
        .to_string()
        .contains("at most 16"));
}

#[test]
fn chi_square_moments() {
    // Mean ν, variance 2ν. n = 100 000: SE of the mean √(2ν/n) = 0.0089 at ν = 4.
    let mut rng = path_seed(3, 0);
    for nu in [2.5, 4.0, 30.0] {
        let xs: Vec<f64> = (0..100_000).map(|_| chi_square(&mut rng, nu)).collect();
        let se = (2.0 * nu / 1e5).sqrt();
        assert!((stats::mean(&xs) - nu).abs() < 4.0 * se, "{nu}");
        assert!(
            (stats::variance(&xs) / (2.0 * nu) - 1.0).abs() < 0.05,
            "{nu}"
        );
    }
}

#[test]
fn single_asset_normal_var_matches_closed_form() {
    // Long 1 unit of value in one asset of daily log vol σ: the loss is L = 1 − exp(σ√h·Z).
    // Exact (lognormal) 99 % quantile: VaR = 1 − exp(−σ√h·z₀.₉₉). The Monte Carlo VaR is
    // the empirical 0.99-quantile of n simulated losses; its standard error is
    // √(p(1−p)/n) / f_L(VaR), with the loss density f_L(q) = φ(z₀.₉₉) / (σ√h·(1 − q)).
    let sigma = 0.05;
    let m = MonteCarlo::normal(names(1), vec![sigma], vec![1.0]).unwrap();
    let n = 100_000;
    let z99 = normal_quantile(0.99);
    for horizon in [1usize, 10] {
        let s = sigma * (horizon as f64).sqrt();
        let losses: Vec<f64> = log_draws(&m, 11, n, horizon)
            .iter()
            .map(|d| 1.0 - d[0].exp())
            .collect();
        let exact = 1.0 - (-s * z99).exp();
        let density = normal_pdf(z99) / (s * (1.0 - exact));
        let se = (0.99 * 0.01 / n as f64).sqrt() / density;
        let mc = stats::var(&losses, 0.99).unwrap();
        assert!(
            (mc - exact).abs() < 3.0 * se,
            "h={horizon}: MC {mc} vs exact {exact} (SE {se})"
        );
        // And in log-return terms: the loss −ln(ratio) has VaR σ√h·z₀.₉₉ exactly.
        let log_losses: Vec<f64> = losses.iter().map(|l| -(1.0 - l).ln()).collect();
        let se_log = (0.99 * 0.01 / n as f64).sqrt() / (normal_pdf(z99) / s);
        let mc_log = stats::var(&log_losses, 0.99).unwrap();
        assert!(
            (mc_log - s * z99).abs() < 3.0 * se_log,
            "h={horizon}: {mc_log}"
        );
    }
}

#[test]
fn real_correlation_is_reproduced_by_monte_carlo() {
    let r = PriceHistory::default_2020_2022().log_returns();
    let k = r.n_assets();
    let corr = correlation(&r.rows, k);
    let cov = covariance(&r.rows, k);
    let vols: Vec<f64> = (0..k).map(|i| cov[i * k + i].sqrt()).collect();
    eprintln!("assets {:?}\nsample daily vols {vols:.4?}", r.assets);
    for i in 0..k {
        eprintln!("corr {:>4} {:.3?}", r.assets[i], &corr[i * k..(i + 1) * k]);
    }
    // Sanity on the data: SOL, ETH and BTC move together, stablecoins do not move with
    // them. Measured on this file: SOL/ETH 0.592, SOL/BTC 0.479, ETH/BTC 0.810, every
    // crypto/stablecoin pair within ±0.07. (SOL/BTC is below the 0.5 the issue guessed;
    // the bound is 0.45 so the test still fails if the data or the returns go wrong.)
    let (sol, eth, btc, usdc) = (0, 1, 2, 3);
    assert_eq!(r.assets, ["SOL", "ETH", "BTC", "USDC", "USDT"]);
    for (a, b) in [(sol, eth), (sol, btc), (eth, btc)] {
        assert!(corr[a * k + b] > 0.45, "{a},{b}: {}", corr[a * k + b]);
    }
    assert!(corr[eth * k + btc] > 0.8);
    for a in [sol, eth, btc] {
        assert!(corr[a * k + usdc].abs() < 0.1);
    }
    // n draws: the SE of a sample correlation is (1 − ρ²)/√n ≤ 1/√160 000 = 0.0025, so
    // the 0.01 tolerance is at least 4 SE for every pair.
    let n = 160_000;
    let m = MonteCarlo::normal(r.assets.clone(), vols, corr.clone()).unwrap();
    let draws: Vec<f64> = log_draws(&m, 2022, n, 1).concat();
    let sim = correlation(&draws, k);
    for i in 0..k {
        for j in 0..i {
            let d = (sim[i * k + j] - corr[i * k + j]).abs();
            assert!(
                d < 0.01,
                "{}/{}: {} vs {}",
                r.assets[i],
                r.assets[j],
                sim[i * k + j],
                corr[i * k + j]
            );
        }
    }
}

#[test]
fn student_t_fit_recovers_dof_on_synthetic_t4() {
    // 20 000 unit-variance t(4) draws (vol 1, one asset: the log ratio is the innovation).
    let m = MonteCarlo::student_t(names(1), vec![1.0], vec![1.0], 4.0).unwrap();
    let z: Vec<f64> = log_draws(&m, 4, 20_000, 1).concat();
    let nu = stats::fit_t_dof(&z).unwrap();
    eprintln!("ν fitted on 20 000 synthetic t(4) draws: {nu:.3}");
    assert!((nu - 4.0).abs() < 0.5, "fitted ν = {nu}");
    // Unit variance at ν = 10 (fourth moment 3(ν−2)/(ν−4) = 4: SE of the variance
    // √(3/n) = 0.0039 at n = 200 000).
    let m = MonteCarlo::student_t(names(1), vec![1.0], vec![1.0], 10.0).unwrap();
    let z: Vec<f64> = log_draws(&m, 5, 200_000, 1).concat();
    assert!((stats::variance(&z) - 1.0).abs() < 0.02);
}

#[test]
fn real_sol_has_fat_tails() {
    let r = PriceHistory::default_2020_2022().log_returns();
    let k = r.n_assets();
    let z = stats::ewma_standardised(&r.rows, k, stats::DEFAULT_LAMBDA);
    let mut dofs = Vec::new();
    for a in 0..k {
        let col: Vec<f64> = z.iter().skip(a).step_by(k).cloned().collect();
        dofs.push(stats::fit_t_dof(&col).unwrap());
    }
    eprintln!("fitted ν per asset {:?}: {dofs:.2?}", r.assets);
    let pooled = MonteCarlo::fit(&r, McConfig::default()).unwrap();
    eprintln!(
        "pooled ν {:.2?}, EWMA vols at 2022-12-31 {:.4?}",
        pooled.dof(),
        pooled.vols()
    );
    let sol = r.asset_index("SOL").unwrap();
    assert!(dofs[sol] < 10.0, "SOL ν = {}", dofs[sol]);
    assert!(pooled.dof().unwrap() < 10.0);

    // Same volatility, three models, 99.9 % VaR of the one-day log loss.
    let returns = r.column(sol);
    let sigma = stats::variance(&returns).sqrt();
    let normal = sigma * normal_quantile(0.999);
    let losses: Vec<f64> = returns.iter().map(|x| -x).collect();
    let historical = stats::var(&losses, 0.999).unwrap();
    let t = MonteCarlo::student_t(vec!["SOL".into()], vec![sigma], vec![1.0], dofs[sol]).unwrap();
    let t_losses: Vec<f64> = log_draws(&t, 9, 200_000, 1).iter().map(|d| -d[0]).collect();
    let t_var = stats::var(&t_losses, 0.999).unwrap();
    eprintln!(
        "SOL σ {sigma:.4}: 99.9 % VaR normal {normal:.4}, historical {historical:.4}, t {t_var:.4}"
    );
    assert!(historical > normal);
    assert!(t_var > normal);
}

#[test]
fn multivariate_t_crashes_together() {
    // Same correlation 0.5: the t model puts both assets below their 1 % quantile on the
    // same day more often than the normal one (tail dependence from the common mixing).
    let corr = vec![1.0, 0.5, 0.5, 1.0];
    let n = 100_000;
    let joint = |m: &dyn ReturnModel| {
        let d = log_draws(m, 6, n, 1);
        let q: Vec<f64> = (0..2)
            .map(|a| stats::quantile(&d.iter().map(|x| x[a]).collect::<Vec<_>>(), 0.01).unwrap())
            .collect();
        d.iter().filter(|x| x[0] < q[0] && x[1] < q[1]).count()
    };
    let normal = joint(&MonteCarlo::normal(names(2), vec![0.05; 2], corr.clone()).unwrap());
    let t = joint(&MonteCarlo::student_t(names(2), vec![0.05; 2], corr, 3.5).unwrap());
    eprintln!("joint 1 % tail days in {n}: normal {normal}, t(3.5) {t}");
    assert!(t as f64 > 1.3 * normal as f64, "t {t}, normal {normal}");
}

/// Counts heap allocations of the current thread, to check `sample` makes none.
struct CountingAlloc;

thread_local! {
    static ALLOCS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the counter is a const-initialised
// thread-local `Cell`, which never allocates.
unsafe impl std::alloc::GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        std::alloc::System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        std::alloc::System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

#[test]
fn sample_does_not_allocate() {
    let r = PriceHistory::default_2020_2022().log_returns();
    let models: Vec<Box<dyn ReturnModel>> = vec![
        Box::new(Historical::fit(&r).unwrap()),
        Box::new(MonteCarlo::fit(&r, McConfig::default()).unwrap()),
        Box::new(
            MonteCarlo::fit(
                &r,
                McConfig {
                    lambda: 0.97,
                    innovations: Innovations::Normal,
                },
            )
            .unwrap(),
        ),
    ];
    let mut rng = path_seed(1, 0);
    let mut out = [0.0; 5];
    // The counter does see this thread's allocations.
    let before = ALLOCS.with(|c| c.get());
    let v = std::hint::black_box(vec![1u8; 10]);
    assert!(ALLOCS.with(|c| c.get()) > before);
    drop(v);
    for m in &models {
        let before = ALLOCS.with(|c| c.get());
        for _ in 0..1000 {
            m.sample(&mut rng, 10, &mut out);
        }
        assert_eq!(ALLOCS.with(|c| c.get()), before);
        assert!(out.iter().all(|x| x.is_finite() && *x > 0.0));
    }
}

proptest::proptest! {
    #[test]
    fn historical_horizon_stays_within_the_extremes(
        rows in proptest::collection::vec(-0.5f64..0.5, 2..60),
        horizon in 0usize..20,
        seed in 0u64..1000,
    ) {
        let rows = if rows.len() % 2 == 1 { rows[1..].to_vec() } else { rows };
        let r = Returns::new(names(2), rows.clone()).unwrap();
        let h = Historical::fit(&r).unwrap();
        let mut out = [0.0; 2];
        h.sample(&mut path_seed(seed, 0), horizon, &mut out);
        for (a, ratio) in out.iter().enumerate() {
            let col: Vec<f64> = rows.iter().skip(a).step_by(2).cloned().collect();
            let lo = col.iter().cloned().fold(f64::INFINITY, f64::min) * horizon as f64;
            let hi = col.iter().cloned().fold(f64::NEG_INFINITY, f64::max) * horizon as f64;
            let x = ratio.ln();
            proptest::prop_assert!(x >= lo - 1e-9 && x <= hi + 1e-9);
        }
    }
}
