//! What the demo prints: a two-line introduction, the per-step table, what each column
//! means, and a summary; or all of it (with every bankruptcy and the chart paths) as one
//! JSON document for `--output json`.
//!
//! Every sentence is built from the run's own numbers and the setup's constants, so the
//! words cannot drift from what the demo did.

use super::chart::dollars;
use super::perps::{PerpSummary, HEDGE_SOL, ISOLATED, POOL_USDC, TRADERS};
use super::setup::{
    config, COLLATERAL_USD, ETH_BORROWERS, INSURANCE_USDC, LEVERAGE, NAMES, SOL_HOLDERS,
};
use super::{price_gap, BadDebt, Demo, Step, STEP_SECS};
use crate::output::{table as aligned, Format};
use serde_json::{json, Value};

/// Each column of [`table`]: its header and what it means.
pub fn columns(unrecoverable: bool) -> Vec<(&'static str, &'static str)> {
    let mut c = vec![
        ("step", "one price move; steps are 5 minutes apart"),
        ("SOL $", "SOL's oracle price this step"),
        ("ETH $", "ETH's oracle price this step"),
        (
            "health $",
            "Σ maint health of all borrowers when the price lands, before the keeper runs",
        ),
        ("unhealthy", "borrowers liquidatable at that moment"),
        ("liqs", "liquidations the keeper has sent so far"),
        ("bankrupt", "bankruptcies the keeper has resolved so far"),
        (
            "perp liqs",
            "SOL-PERP liquidations the keeper has sent so far, single and pair (counted in liqs too)",
        ),
        (
            "pair liqs",
            "of those, hedged pairs: the perp and its SOL hedge closed together",
        ),
        (
            "pool $",
            "SOL-PERP's pool after the step as the program values it for LP withdrawals: vault − traders' unsettled profit + their unsettled losses",
        ),
        (
            "fund $",
            "insurance fund: every bank's insurance vault after the step",
        ),
        (
            "bad debt $",
            "debt written off so far, each at the prices of its step",
        ),
        (
            "insured $",
            "part of the bad debt the insurance fund covered (its vault, or fees owed to it)",
        ),
        (
            "socialised $",
            "part borne by the bank's depositors through a lower deposit index",
        ),
    ];
    if unrecoverable {
        c.push((
            "unrecoverable $",
            "part beyond what the bank's depositors held (the bank then refuses deposits)",
        ));
    }
    c.push((
        "left",
        "borrowers still liquidatable after the keeper ran (0: it kept up)",
    ));
    c.push((
        "breaker",
        "price breakers: a bank trips when its oracle leaves the band around its stable price, and is borrow-reduce-only until it clears",
    ));
    c
}

fn has_unrecoverable(demo: &Demo) -> bool {
    demo.steps.iter().any(|s| s.bad_debt.unrecoverable > 0.0)
}

/// Dollars to the cent, as both the table and the JSON show them.
fn cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Who is in the demo, and where the insurance fund comes from.
pub fn introduction(demo: &Demo) -> [String; 2] {
    let share = |v: f64| format!("{:.0} %", v * 100.0);
    let fee_share = config(0).liquidation_insurance_share_bps as f64 / 10_000.0;
    [
        format!(
            "Who: {} borrowers holding {}–{} of SOL ({}) or ETH and borrowing USDC (or ETH, {} of SOL holders) at {}–{} of their borrowing power, and one keeper with deep deposits that liquidates them.",
            demo.users,
            dollars(COLLATERAL_USD.0, 0),
            dollars(COLLATERAL_USD.1, 0),
            share(SOL_HOLDERS),
            share(ETH_BORROWERS),
            share(LEVERAGE.0),
            share(LEVERAGE.1),
        ) + &perp_who(),
        format!(
            "Insurance fund: {} of USDC the admin deposits at setup, plus {} of liquidation fees and the banks' interest fees; a bank's fund pays its bad debt before its depositors bear the rest.",
            dollars(INSURANCE_USDC, 0),
            share(fee_share),
        ),
    ]
}

/// Who trades SOL-PERP, from the book's constants.
fn perp_who() -> String {
    let side = |long: bool| {
        let l: Vec<f64> = TRADERS
            .iter()
            .filter(|t| t.0 == long)
            .map(|t| t.1)
            .collect();
        let (lo, hi) = l
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
        (l.len(), lo, hi)
    };
    let (longs, l_lo, l_hi) = side(true);
    let (shorts, s_lo, s_hi) = side(false);
    format!(
        " On SOL-PERP: {} in the LP pool, {longs} longs ({l_lo}–{l_hi}×) and {shorts} shorts ({s_lo}–{s_hi}×) on {} of USDC each, one hedged account ({HEDGE_SOL} SOL deposited and as much shorted) and one isolated {}× long on {} moved out of its owner's trading account.",
        dollars(POOL_USDC, 0),
        dollars(TRADERS[0].2, 0),
        ISOLATED.0,
        dollars(ISOLATED.1, 0),
    )
}

/// What happened on SOL-PERP, in one sentence.
fn perp_line(p: &PerpSummary) -> String {
    let hedged = if p.hedged_liquidated {
        "was liquidated".to_string()
    } else {
        format!(
            "was never liquidated (maint health {} at the end)",
            dollars(p.hedged_maint_end, 0)
        )
    };
    let isolated = if p.isolated_liquidated {
        "was liquidated"
    } else {
        "was not liquidated"
    };
    format!(
        "Perps: {} perp liquidations ({} of hedged pairs); the pool went from {} to {}; the keeper settled {} liquidatable accounts' perp PnL into USDC; the hedged account {hedged}; the isolated long {isolated}, ending with {} of USDC, and its owner's trading account is {}.",
        p.liquidations,
        p.pair_liquidations,
        dollars(p.pool_start, 0),
        dollars(p.pool_end, 0),
        p.settlements,
        dollars(p.isolated_usdc_end, 2),
        if p.operator_unchanged {
            "byte-for-byte unchanged"
        } else {
            "CHANGED"
        }
    )
}

/// The per-step table.
pub fn table(demo: &Demo) -> String {
    let unrecoverable = has_unrecoverable(demo);
    let headers: Vec<String> = columns(unrecoverable)
        .iter()
        .map(|(h, _)| h.to_string())
        .collect();
    let rows: Vec<Vec<String>> = demo
        .steps
        .iter()
        .map(|s| {
            let mut row = vec![
                s.step.to_string(),
                format!("{:.0}", s.sol),
                format!("{:.0}", s.eth),
                format!("{:.0}", s.total_health),
                s.unhealthy.to_string(),
                s.liquidations.to_string(),
                s.bankruptcies.to_string(),
                s.perp_liquidations.to_string(),
                s.pair_liquidations.to_string(),
                format!("{:.0}", s.pool_value),
                format!("{:.2}", s.insurance),
                format!("{:.2}", s.bad_debt.total),
                format!("{:.2}", s.bad_debt.insured),
                format!("{:.2}", s.bad_debt.socialised),
            ];
            if unrecoverable {
                row.push(format!("{:.2}", s.bad_debt.unrecoverable));
            }
            row.push(s.left_unhealthy.to_string());
            row.push(s.breakers.clone());
            row
        })
        .collect();
    aligned(&headers, &rows)
}

/// The step with the largest `key` (the first of equals).
fn peak<T: PartialOrd + Copy>(steps: &[Step], key: impl Fn(&Step) -> T) -> Option<&Step> {
    steps
        .iter()
        .fold(None, |best: Option<&Step>, s| match best {
            Some(b) if key(b) >= key(s) => Some(b),
            _ => Some(s),
        })
}

/// The run in a few sentences.
pub fn summary(demo: &Demo) -> Vec<String> {
    let steps = &demo.steps;
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return vec!["No steps ran.".into()];
    };
    let mut lines = vec![];
    let low = peak(steps, |s| -s.sol).unwrap_or(first);
    let gap = match price_gap(steps) {
        Some((g, before, after)) => format!(
            ", gapping {:.1} % from ${before:.0} to ${after:.0} at step {}",
            (before - after) / before * 100.0,
            steps[g].step
        ),
        None => String::new(),
    };
    lines.push(format!(
        "Price: SOL went from ${:.0} to ${:.0} at its lowest (step {}){gap}, and ended at ${:.0}.",
        first.sol, low.sol, low.step, last.sol
    ));
    let weakest = peak(steps, |s| -s.total_health).unwrap_or(first);
    let crowd = peak(steps, |s| s.unhealthy).unwrap_or(first);
    lines.push(format!(
        "Health: the borrowers' Σ maint health fell from {} to {} (step {}); at most {} of {} borrowers were liquidatable at once (step {}).",
        dollars(first.total_health, 0),
        dollars(weakest.total_health, 0),
        weakest.step,
        crowd.unhealthy,
        demo.users,
        crowd.step
    ));
    let behind = steps.iter().filter(|s| s.left_unhealthy > 0).count();
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    lines.push(format!(
        "Keeper: {} and {} resolved; {}.",
        plural(last.liquidations, "liquidation", "liquidations"),
        plural(last.bankruptcies, "bankruptcy", "bankruptcies"),
        if behind == 0 {
            "no borrower was left liquidatable after any step".to_string()
        } else {
            format!(
                "{} ended with borrowers still liquidatable",
                plural(behind as u64, "step", "steps")
            )
        }
    ));
    let d: BadDebt = last.bad_debt;
    let lost = if d.unrecoverable > 0.0 {
        format!(" + {} unrecoverable", dollars(d.unrecoverable, 2))
    } else {
        String::new()
    };
    lines.push(format!(
        "Bad debt: {} written off = {} insured by the insurance fund + {} socialised to depositors{lost}.",
        dollars(d.total, 2),
        dollars(d.insured, 2),
        dollars(d.socialised, 2),
    ));
    lines.push(format!(
        "Insurance fund: {} at setup, {} after the last step.",
        dollars(INSURANCE_USDC, 2),
        dollars(last.insurance, 2)
    ));
    lines.push(perp_line(&demo.perps));
    let trips: Vec<String> = steps
        .iter()
        .flat_map(|s| {
            s.breakers
                .split(", ")
                .filter(|n| n.contains(" trips"))
                .map(move |n| format!("{} at step {}", n.split(' ').next().unwrap_or(n), s.step))
        })
        .collect();
    if !trips.is_empty() {
        lines.push(format!(
            "Breakers: tripped {}; still tripped at the end: {}.",
            trips.join(", "),
            if last.tripped.is_empty() {
                "none".to_string()
            } else {
                last.tripped.join(", ")
            }
        ));
    }
    lines
}

/// Introduction, table, column legend and summary, as printed for `--output table`.
pub fn render(demo: &Demo) -> String {
    let mut out = String::new();
    for line in introduction(demo) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&table(demo));
    out.push_str("\nColumns:\n");
    let columns = columns(has_unrecoverable(demo));
    let width = columns
        .iter()
        .map(|(h, _)| h.chars().count())
        .max()
        .unwrap_or(0);
    for (header, meaning) in columns {
        out.push_str(&format!("  {header:<width$}  {meaning}\n"));
    }
    out.push_str("\nSummary:\n");
    for line in summary(demo) {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

/// Everything the demo prints in `format`, ending with where the charts are.
pub fn render_as(demo: &Demo, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(&json(demo)).unwrap_or_default() + "\n",
        Format::Table => format!(
            "{}\nCharts: {} and {}\n",
            render(demo),
            demo.charts.svg.display(),
            demo.charts.png.display()
        ),
    }
}

fn bad_debt_json(d: &BadDebt) -> Value {
    json!({
        "total": cents(d.total),
        "insured": cents(d.insured),
        "socialised": cents(d.socialised),
        "unrecoverable": cents(d.unrecoverable),
    })
}

/// The whole run as JSON: introduction, column meanings, steps, bankruptcies (native
/// units as measured, and dollars), summary (numbers and sentences) and chart paths.
/// Dollar amounts are rounded to the cent, as in the table.
pub fn json(demo: &Demo) -> Value {
    let steps: Vec<Value> = demo
        .steps
        .iter()
        .map(|s| {
            json!({
                "step": s.step,
                "sol_usd": s.sol,
                "eth_usd": s.eth,
                "borrowers_maint_health_usd": cents(s.total_health),
                "unhealthy": s.unhealthy,
                "liquidations": s.liquidations,
                "bankruptcies": s.bankruptcies,
                "perp_liquidations": s.perp_liquidations,
                "perp_pair_liquidations": s.pair_liquidations,
                "pool_value_usd": cents(s.pool_value),
                "insurance_fund_usd": cents(s.insurance),
                "bad_debt_usd": bad_debt_json(&s.bad_debt),
                "left_unhealthy": s.left_unhealthy,
                "breakers_tripped": s.tripped,
                "breaker": s.breakers,
            })
        })
        .collect();
    let write_offs: Vec<Value> = demo
        .write_offs
        .iter()
        .map(|w| {
            let r = &w.resolution;
            json!({
                "step": w.step,
                "account": r.account.to_string(),
                "token": w.token,
                "price_usd": w.price,
                "native": {
                    "debt": r.debt,
                    "from_insurance_vault": r.from_insurance_vault,
                    "fees_forgone": r.fees_forgone,
                    "socialised": r.socialised,
                    "unrecoverable": r.unrecoverable,
                },
                "usd": bad_debt_json(&w.bad_debt()),
            })
        })
        .collect();
    let last = demo.steps.last();
    let gap = price_gap(&demo.steps).map(|(g, before, after)| {
        json!({ "step": demo.steps[g].step, "sol_before": before, "sol_after": after })
    });
    json!({
        "introduction": introduction(demo),
        "columns": columns(has_unrecoverable(demo))
            .iter()
            .map(|(h, m)| json!({ "column": h, "meaning": m }))
            .collect::<Vec<_>>(),
        "steps": steps,
        "bankruptcies": write_offs,
        "summary": {
            "users": demo.users,
            "seed": demo.seed,
            "steps": demo.steps.len(),
            "step_secs": STEP_SECS,
            "price_gap": gap,
            "lowest_health_usd": demo.steps.iter().map(|s| cents(s.total_health)).reduce(f64::min),
            "most_unhealthy": demo.steps.iter().map(|s| s.unhealthy).max(),
            "liquidations": last.map(|s| s.liquidations),
            "bankruptcies": last.map(|s| s.bankruptcies),
            "steps_left_unhealthy": demo.steps.iter().filter(|s| s.left_unhealthy > 0).count(),
            "bad_debt_usd": last.map(|s| bad_debt_json(&s.bad_debt)),
            "insurance_fund_start_usd": cents(INSURANCE_USDC),
            "insurance_fund_end_usd": last.map(|s| cents(s.insurance)),
            "breakers_tripped_at_end": last.map(|s| s.tripped.clone()).unwrap_or_default(),
            "banks": NAMES,
            "perps": {
                "pool_start_usd": cents(demo.perps.pool_start),
                "pool_end_usd": cents(demo.perps.pool_end),
                "perp_liquidations": demo.perps.liquidations,
                "perp_pair_liquidations": demo.perps.pair_liquidations,
                "keeper_settlements": demo.perps.settlements,
                "hedged_liquidated": demo.perps.hedged_liquidated,
                "hedged_maint_health_end_usd": cents(demo.perps.hedged_maint_end),
                "isolated_liquidated": demo.perps.isolated_liquidated,
                "isolated_usdc_end": cents(demo.perps.isolated_usdc_end),
                "isolated_owner_account_unchanged": demo.perps.operator_unchanged,
            },
            "text": summary(demo),
        },
        "charts": {
            "svg": demo.charts.svg.display().to_string(),
            "png": demo.charts.png.display().to_string(),
        },
    })
}
