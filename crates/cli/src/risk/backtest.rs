//! `cross-margin risk backtest`: rolling 1-day VaR of a USD portfolio with every model,
//! exceedances against the realised next day, and Kupiec's test, said plainly.

use crate::args::BacktestArgs;
use crate::output::Format;
use anyhow::{anyhow, Result};
use cross_margin_risk::backtest::{format_table, parse_portfolio, try_run, ModelKind, Portfolio};
use serde_json::json;

pub fn run(args: &BacktestArgs, output: Format) -> Result<String> {
    let h = super::source::history(args.prices.as_deref())?;
    if !(args.level > 0.0 && args.level < 100.0) {
        return Err(anyhow!(
            "--level {} must be a percentage between 0 and 100, e.g. 99",
            args.level
        ));
    }
    let level = args.level / 100.0;
    let portfolio = match &args.portfolio {
        Some(p) => parse_portfolio(p)?,
        None => Portfolio::equal_long(&h, 1_000_000.0),
    };
    let bar = super::progress(ModelKind::ALL.len() as u64, "models");
    let results = try_run(
        &h,
        &portfolio,
        args.window,
        level,
        &ModelKind::ALL,
        args.draws,
        args.seed,
    )?;
    bar.finish_and_clear();
    let verdicts: Vec<String> =
        results
            .iter()
            .map(|r| {
                format!(
                "{}: {} of {} days exceeded its {:.1}% VaR (expected {:.1}); Kupiec p = {:.4}: {}",
                r.model.name(),
                r.exceedances,
                r.n,
                args.level,
                r.expected,
                r.p_value,
                if r.passes { "passes" } else { "FAILS (reject at 5 %)" }
            )
            })
            .collect();
    Ok(match output {
        Format::Json => serde_json::to_string_pretty(&json!({
            "window": args.window,
            "level": level,
            "portfolio": portfolio.notional_usd,
            "models": results.iter().map(|r| json!({
                "model": r.model.name(),
                "days": r.n,
                "exceedances": r.exceedances,
                "expected": r.expected,
                "kupiec_lr": r.kupiec_lr,
                "p_value": r.p_value,
                "passes": r.passes,
                "mean_var_usd": r.mean_var_usd,
            })).collect::<Vec<_>>(),
        }))?,
        Format::Table => {
            let names: Vec<String> = portfolio
                .notional_usd
                .iter()
                .map(|(a, n)| format!("{a} {}", super::usd(*n)))
                .collect();
            format!(
                "portfolio  {}\nwindow     {} days, level {}%, {} .. {}\n\n{}\n{}\n",
                names.join(", "),
                args.window,
                args.level,
                h.dates[0],
                h.dates[h.dates.len() - 1],
                format_table(&results),
                verdicts.join("\n")
            )
        }
    })
}
