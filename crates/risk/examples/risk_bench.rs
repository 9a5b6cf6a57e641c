//! The risk engine's speed on a large book: 10,000 accounts × 10,000 one-day paths of the
//! Student-t Monte Carlo model fitted to the bundled 2020–2022 closes, with the cascade on
//! (square-root impact on every volatile bank) and every account's loss recorded.
//!
//! `cargo run --release -p cross-margin-risk --example risk_bench [ACCOUNTS] [PATHS] [HORIZON_DAYS]`
//!
//! Prints the wall time, account-path evaluations per second (in all and per core: every
//! path evaluates every account's health at least once with the program's engine), the
//! cascades' size and the peak resident memory.

use cross_margin_risk::cascade::{CascadeConfig, Impact};
use cross_margin_risk::history::PriceHistory;
use cross_margin_risk::models::{path_seed, McConfig, MonteCarlo, ReturnModel};
use cross_margin_risk::report::report;
use cross_margin_risk::simulate::{simulate, AssetMap, SimConfig};
use cross_margin_risk::synthetic::{generate, labels, Population, USDC};
use std::time::Instant;

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let arg = |i: usize, default: usize| {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(default)
    };
    let (accounts, paths, horizon) = (arg(1, 10_000), arg(2, 10_000), arg(3, 1));
    let t0 = Instant::now();
    let mut book = generate(&Population {
        borrowers: accounts.saturating_sub(4),
        ..Population::default()
    });
    book.accounts.truncate(accounts);
    let h = PriceHistory::default_2020_2022();
    let model = MonteCarlo::fit(&h.log_returns(), McConfig::default()).expect("fit");
    let map = AssetMap::by_labels(&h.assets, &labels()).expect("labels");
    let impacts = book
        .banks
        .keys()
        .filter(|t| **t != USDC)
        .map(|t| {
            (
                *t,
                Impact::SquareRoot {
                    depth_usd: 1_000_000.0,
                },
            )
        })
        .collect();
    let config = SimConfig {
        paths,
        seed: 1,
        cascade: CascadeConfig {
            impacts,
            ..CascadeConfig::default()
        },
    };
    let setup = t0.elapsed();
    let threads = rayon::current_num_threads();
    let sample = |path: u64, out: &mut [f64]| {
        let mut rng = path_seed(1, path);
        model.sample(&mut rng, horizon, out);
    };
    let t1 = Instant::now();
    let sim = simulate(&book, &map, h.assets.len(), sample, &config, |_| {}).expect("simulate");
    let run = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let owners: Vec<(String, u32)> = vec![(String::new(), 0); book.accounts.len()];
    let r = report(&sim, &owners, 5);
    let summarise = t2.elapsed().as_secs_f64();
    let evals = (book.accounts.len() * paths) as f64;
    let liquidated: u64 = sim.paths.iter().map(|p| u64::from(p.liquidations)).sum();
    println!(
        "book: {} accounts ({} lenders), 4 banks; model: Student-t MC (nu = {:.2}), horizon {horizon} day(s)",
        book.accounts.len(),
        4,
        model.dof().unwrap_or(f64::NAN)
    );
    println!("setup (book, model fit): {:.2} s", setup.as_secs_f64());
    println!(
        "simulate: {paths} paths in {run:.2} s on {threads} threads: {:.2} M account-path evaluations/s ({:.2} M/s per core)",
        evals / run / 1e6,
        evals / run / 1e6 / threads as f64
    );
    println!(
        "cascades: {liquidated} liquidations over all paths, mean rounds {:.2}, max rounds {:.0}, P(bad debt) {:.3} %",
        r.protocol.rounds.mean,
        r.protocol.rounds.max,
        r.protocol.p_bad_debt * 100.0
    );
    println!("report (VaR/ES per account and protocol): {summarise:.2} s");
    println!("total: {:.2} s", t0.elapsed().as_secs_f64());
    if let Some(mib) = peak_rss_mib() {
        println!("peak resident memory: {mib:.0} MiB");
    }
}
