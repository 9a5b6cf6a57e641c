//! `cross-margin risk stress`: historical windows and user shocks, with and without the
//! cascade's feedback, and a chart of bad debt against the size of a uniform shock.

use super::chart::{self, BLUE, RED};
use super::{source, usd};
use crate::args::StressArgs;
use crate::output::Format;
use anyhow::{anyhow, Result};
use cross_margin_client::chain::Chain;
use cross_margin_risk::history::PriceHistory;
use cross_margin_risk::stress::{
    parse_shock, stable_columns, stress, uniform_shock, StressResult, WINDOWS,
};
use serde_json::json;

/// The ratio end/start of every asset over a window of `h`, if both dates are in it.
pub fn window_ratios(h: &PriceHistory, from: &str, to: &str) -> Option<Vec<f64>> {
    let (a, b) = (h.day_index(from)?, h.day_index(to)?);
    Some(
        (0..h.assets.len())
            .map(|i| h.close(b, i) / h.close(a, i))
            .collect(),
    )
}

pub async fn run<C: Chain>(
    args: &StressArgs,
    output: Format,
    connect: impl FnOnce() -> Result<C>,
) -> Result<String> {
    let book = source::book(&args.book, connect).await?;
    let h = source::history(args.prices.as_deref())?;
    let map = source::asset_map(&book, &h)?;
    let cascade = source::cascade(&args.cascade, &book)?;
    // Today's USD price of each column, for shocks given as a new price.
    let price_of = |i: usize| {
        map.pairs
            .iter()
            .find(|(c, _)| *c == i)
            .and_then(|(_, t)| book.book.risks(&book.book.prices).ok()?.get(t).copied())
            .map(|r| {
                r.mid.to_f64() * 10f64.powi(book.book.banks[&r.token_index].decimals as i32) / 1e6
            })
            .unwrap_or_else(|| h.close(h.n_days() - 1, i))
    };
    let mut shocks: Vec<(String, Vec<f64>)> = Vec::new();
    if !args.no_history {
        for w in WINDOWS {
            if let Some(r) = window_ratios(&h, w.from, w.to) {
                shocks.push((format!("{} ({}..{})", w.name, w.from, w.to), r));
            }
        }
    }
    for s in &args.shock {
        shocks.push((s.clone(), parse_shock(s, &h.assets, price_of)?));
    }
    if shocks.is_empty() {
        return Err(anyhow!(
            "no shock to run: the price file has none of the historical windows' dates and no --shock was given (e.g. --shock SOL=-50%,ETH=-35%)"
        ));
    }
    let results: Vec<StressResult> = shocks
        .iter()
        .map(|(name, r)| stress(&book.book, &map, name, &h.assets, r, &cascade))
        .collect::<Result<_, _>>()?;
    let charts = match &args.chart {
        Some(out) => {
            let stable = stable_columns(&h.assets, &args.cascade.stable);
            let (mut without, mut with) = (vec![], vec![]);
            for k in 0..=12 {
                let shock = k as f64 * 0.05;
                let r = uniform_shock(h.assets.len(), &stable, shock);
                let s = stress(&book.book, &map, "", &h.assets, &r, &cascade)?;
                without.push((shock * 100.0, s.without_feedback.bad_debt_usd));
                with.push((shock * 100.0, s.with_feedback.bad_debt_usd));
            }
            let (mut scene, frames) = chart::canvas(1);
            chart::lines(
                &mut scene,
                frames[0],
                "Bad debt against a uniform fall of every volatile asset",
                "fall of every volatile asset, %",
                "bad debt, USD",
                &[
                    ("without cascade feedback".into(), without, BLUE),
                    ("with cascade feedback (price impact)".into(), with, RED),
                ],
                &|x| format!("{x:.0}%"),
                &|y| usd(y),
            );
            Some(chart::save(out, &scene)?)
        }
        None => None,
    };
    Ok(match output {
        Format::Json => serde_json::to_string_pretty(&json!({
            "book": source::describe(&book),
            "stresses": results,
            "charts": charts.map(|c| [c.svg.display().to_string(), c.png.display().to_string()]),
        }))?,
        Format::Table => {
            let mut out = format!("book  {}\n\n", source::describe(&book));
            out.push_str(&format!(
                "{:<44} {:>22} | {:>22}\n",
                "stress", "without feedback", "with feedback"
            ));
            out.push_str(&format!(
                "{:<44} {:>5} {:>4} {:>11} | {:>5} {:>4} {:>11} {:>3}\n",
                "", "liqs", "bkr", "bad debt", "liqs", "bkr", "bad debt", "rds"
            ));
            for r in &results {
                let (a, b) = (&r.without_feedback, &r.with_feedback);
                out.push_str(&format!(
                    "{:<44} {:>5} {:>4} {:>11} | {:>5} {:>4} {:>11} {:>3}\n",
                    r.name,
                    a.liquidations,
                    a.bankruptcies,
                    usd(a.bad_debt_usd),
                    b.liquidations,
                    b.bankruptcies,
                    usd(b.bad_debt_usd),
                    b.rounds
                ));
                let moves: Vec<String> = r
                    .shock
                    .iter()
                    .filter(|(_, x)| (*x - 1.0).abs() > 1e-12)
                    .map(|(a, x)| format!("{a} {:+.1}%", (x - 1.0) * 100.0))
                    .collect();
                out.push_str(&format!("    {}\n", moves.join(", ")));
            }
            if let Some(c) = charts {
                out.push_str(&format!(
                    "\ncharts  {} and {}\n",
                    c.svg.display(),
                    c.png.display()
                ));
            }
            out
        }
    })
}
