//! Rolling 1-day VaR backtest of every model on a price file.
//!
//! `cargo run --release -p cross-margin-risk --example backtest -- [options]`
//!
//! Options (all optional): `--prices FILE` (default: the bundled 2020–2022 file),
//! `--portfolio SOL=1000000,ETH=-500000` (default: 1M USD equal long over every asset),
//! `--window 250`, `--level 0.99`, `--paths 2000`, `--seed 12`.

use cross_margin_risk::backtest::{format_table, parse_portfolio, try_run, ModelKind, Portfolio};
use cross_margin_risk::history::PriceHistory;
use std::process::exit;
use std::time::Instant;

fn fail(msg: String) -> ! {
    eprintln!("backtest: {msg}");
    exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter().position(|a| a == name).map(|i| {
            args.get(i + 1)
                .cloned()
                .unwrap_or_else(|| fail(format!("{name} needs a value")))
        })
    };
    let num = |name: &str, default: f64| {
        opt(name).map_or(default, |v| {
            v.parse()
                .unwrap_or_else(|_| fail(format!("{name}: `{v}` is not a number")))
        })
    };
    let history = match opt("--prices") {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| fail(format!("cannot read {path}: {e}")));
            PriceHistory::from_csv(&text).unwrap_or_else(|e| fail(format!("{path}: {e}")))
        }
        None => PriceHistory::default_2020_2022(),
    };
    let portfolio = match opt("--portfolio") {
        Some(p) => parse_portfolio(&p).unwrap_or_else(|e| fail(e.to_string())),
        None => Portfolio::equal_long(&history, 1e6),
    };
    let (window, level) = (num("--window", 250.0) as usize, num("--level", 0.99));
    let (paths, seed) = (num("--paths", 2000.0) as usize, num("--seed", 12.0) as u64);
    let t0 = Instant::now();
    let results = try_run(
        &history,
        &portfolio,
        window,
        level,
        &ModelKind::ALL,
        paths,
        seed,
    )
    .unwrap_or_else(|e| fail(e.to_string()));
    println!(
        "{} .. {} ({} days), window {window}, level {level}, {paths} Monte Carlo draws a day, seed {seed}",
        history.dates[0],
        history.dates[history.n_days() - 1],
        history.n_days()
    );
    println!("portfolio: {:?}", portfolio.notional_usd);
    print!("{}", format_table(&results));
    println!("({:.2?})", t0.elapsed());
}
