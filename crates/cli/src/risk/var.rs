//! `cross-margin risk var`: simulate, report, chart.

use super::chart::{self, ORANGE, RED};
use super::{progress, source, usd};
use crate::args::VarArgs;
use crate::output::Format;
use anyhow::Result;
use cross_margin_client::chain::Chain;
use cross_margin_risk::report::{report, Tail, VarReport};
use cross_margin_risk::simulate::{simulate, SimConfig};
use serde_json::json;

pub async fn run<C: Chain>(
    args: &VarArgs,
    output: Format,
    connect: impl FnOnce() -> Result<C>,
) -> Result<String> {
    let book = source::book(&args.book, connect).await?;
    let h = source::history(args.model.prices.as_deref())?;
    let (model, described) = source::model(&args.model, &h)?;
    let map = source::asset_map(&book, &h)?;
    let cascade = source::cascade(&args.cascade, &book)?;
    let config = SimConfig {
        paths: args.model.paths.max(1),
        seed: args.model.seed,
        cascade,
    };
    let bar = progress(config.paths as u64, "paths");
    let sample = source::sampler(model.as_ref(), args.model.seed, args.model.horizon.max(1));
    let sim = simulate(&book.book, &map, h.assets.len(), sample, &config, |n| {
        bar.inc(n)
    })?;
    bar.finish_and_clear();
    let r = report(&sim, &book.owners, args.worst);
    let charts = match &args.chart {
        Some(out) => {
            let (mut scene, frames) = chart::canvas(2);
            let tail = r.protocol.book_loss[1];
            let markers = vec![
                (format!("VaR 99% {}", usd(tail.var)), tail.var, ORANGE),
                (format!("ES 99% {}", usd(tail.es)), tail.es, RED),
            ];
            chart::histogram(
                &mut scene,
                frames[0],
                "Loss of the book's equity over the horizon",
                "loss, USD (a gain is negative)",
                &sim.total_losses(),
                60,
                &markers,
            );
            let depth: Vec<f64> = sim.paths.iter().map(|p| f64::from(p.rounds)).collect();
            let series = |v: &[f64]| {
                let max = v.iter().copied().fold(0.0, f64::max) as usize;
                (0..=max)
                    .map(|k| {
                        let n = v.iter().filter(|x| **x as usize == k).count();
                        (k as f64, n as f64 / v.len().max(1) as f64)
                    })
                    .collect::<Vec<_>>()
            };
            chart::lines(
                &mut scene,
                frames[1],
                "Cascade depth: share of paths by liquidation rounds",
                "rounds until no account is liquidatable",
                "share of paths",
                &[("rounds".into(), series(&depth), chart::BLUE)],
                &|x| format!("{x:.0}"),
                &|y| format!("{:.0}%", y * 100.0),
            );
            Some(chart::save(out, &scene)?)
        }
        None => None,
    };
    Ok(match output {
        Format::Json => serde_json::to_string_pretty(&json!({
            "book": source::describe(&book),
            "model": described,
            "horizon_days": args.model.horizon,
            "paths": config.paths,
            "seed": config.seed,
            "report": r,
            "charts": charts.map(|c| [c.svg.display().to_string(), c.png.display().to_string()]),
        }))?,
        Format::Table => render(
            &r,
            &h.assets,
            &source::describe(&book),
            &described,
            args,
            charts,
        ),
    })
}

fn tails_line(t: &[Tail]) -> String {
    t.iter()
        .map(|t| {
            format!(
                "VaR {:.1}% {} ES {}",
                t.level * 100.0,
                usd(t.var),
                usd(t.es)
            )
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn render(
    r: &VarReport,
    assets: &[String],
    book: &str,
    model: &str,
    args: &VarArgs,
    charts: Option<crate::demo::chart::ChartPaths>,
) -> String {
    let p = &r.protocol;
    let mut out = String::new();
    out.push_str(&format!("book     {book}\nmodel    {model}\n"));
    out.push_str(&format!(
        "run      {} paths, horizon {} day(s), seed {}, impact {:?} (depth ${:.0} per 1 %)\n\n",
        p.paths, args.model.horizon, args.model.seed, args.cascade.impact, args.cascade.depth_usd
    ));
    out.push_str("protocol\n");
    out.push_str(&format!(
        "  bad debt             mean {}  P(any) {:.2}%  {}\n",
        usd(p.bad_debt_mean),
        p.p_bad_debt * 100.0,
        tails_line(&p.bad_debt)
    ));
    out.push_str(&format!(
        "  socialised           mean {}  {}\n",
        usd(p.socialised_mean),
        tails_line(&p.socialised)
    ));
    out.push_str(&format!(
        "  insurance exhausted  P {:.2}%\n",
        p.p_insurance_exhausted * 100.0
    ));
    for (name, s) in [
        ("cascade rounds", &p.rounds),
        ("accounts hit", &p.accounts_hit),
    ] {
        out.push_str(&format!(
            "  {name:<20} mean {:.2}  p50 {:.0}  p95 {:.0}  p99 {:.0}  max {:.0}\n",
            s.mean, s.p50, s.p95, s.p99, s.max
        ));
    }
    let v = &p.volume_usd;
    out.push_str(&format!(
        "  collateral sold      mean {}  p95 {}  p99 {}  max {}\n",
        usd(v.mean),
        usd(v.p95),
        usd(v.p99),
        usd(v.max)
    ));
    out.push_str(&format!(
        "  book equity loss     {}\n\n",
        tails_line(&p.book_loss)
    ));
    if !p.worst.is_empty() {
        out.push_str("worst paths (by bad debt)\n");
        for w in &p.worst {
            let moves: Vec<String> = assets
                .iter()
                .zip(&w.ratios)
                .map(|(a, r)| format!("{a} {:+.1}%", (r - 1.0) * 100.0))
                .collect();
            out.push_str(&format!(
                "  path {:>6}  bad debt {:>12}  rounds {:>2}  accounts {:>4}  liqs {:>4}  {}\n",
                w.path,
                usd(w.bad_debt_usd),
                w.rounds,
                w.accounts_hit,
                w.liquidations,
                moves.join(" ")
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "accounts (top {} by 99% expected shortfall of equity)\n",
        args.top
    ));
    out.push_str(&format!(
        "  {:<44} {:>4} {:>12} {:>12} {:>12} {:>12} {:>12} {:>7}\n",
        "owner", "#", "equity", "VaR 95%", "VaR 99%", "VaR 99.9%", "ES 99%", "P(liq)"
    ));
    for a in r.accounts.iter().take(args.top) {
        out.push_str(&format!(
            "  {:<44} {:>4} {:>12} {:>12} {:>12} {:>12} {:>12} {:>6.2}%\n",
            a.owner,
            a.account_num,
            usd(a.equity),
            usd(a.tails[0].var),
            usd(a.tails[1].var),
            usd(a.tails[2].var),
            usd(a.tails[1].es),
            a.p_liquidation * 100.0
        ));
    }
    if let Some(c) = charts {
        out.push_str(&format!(
            "\ncharts   {} and {}\n",
            c.svg.display(),
            c.png.display()
        ));
    }
    out
}
