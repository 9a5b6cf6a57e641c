//! What `--dry-run` prints: every transaction the command would have sent, as the send
//! path prepared it (compute budget, instructions and their accounts) with the simulated
//! result, logs included when it failed. A failed simulation makes the command fail.

use crate::output::{Format, Report};
use anyhow::{bail, Result};
use cross_margin_client::send::DryRun;

/// One dry-run transaction as JSON.
pub fn to_json(run: &DryRun) -> serde_json::Value {
    serde_json::json!({
        "compute_unit_limit": run.compute_unit_limit,
        "compute_unit_price_micro_lamports": run.compute_unit_price,
        "instructions": run.instructions.iter().map(|ix| serde_json::json!({
            "program": ix.program.to_string(),
            "name": ix.name,
            "data_bytes": ix.data_len,
            "accounts": ix.accounts.iter().map(|a| serde_json::json!({
                "address": a.key.to_string(),
                "signer": a.signer,
                "writable": a.writable,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "simulation": {
            "ok": run.simulation.error.is_none(),
            "error": run.simulation.error,
            "units_consumed": run.simulation.units_consumed,
            "logs": run.simulation.logs,
        },
    })
}

/// The dry-run report for `runs` (empty when nothing was simulated).
pub fn render(runs: &[DryRun], format: Format) -> String {
    if runs.is_empty() {
        return String::new();
    }
    match format {
        Format::Json => {
            let all: Vec<_> = runs.iter().map(to_json).collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&serde_json::json!({ "dry_run": all }))
                    .unwrap_or_default()
            )
        }
        Format::Table => {
            let mut out = format!(
                "dry run: {} transaction(s) simulated, none sent\n",
                runs.len()
            );
            for run in runs {
                out.push_str(&run.to_string());
            }
            out
        }
    }
}

/// An error if any simulation failed.
pub fn check(runs: &[DryRun]) -> Result<()> {
    let failed = runs.iter().filter(|r| r.failed()).count();
    if failed > 0 {
        bail!("{failed} simulated transaction(s) failed (logs above); nothing was sent");
    }
    Ok(())
}

/// Print `runs`; an error if any simulation failed.
pub fn print(runs: &[DryRun], format: Format) -> Result<()> {
    print!("{}", render(runs, format));
    check(runs)
}

/// The command's report and its dry runs as one output: with `--output json` one JSON
/// document (the report's fields plus `dry_run`), as a table the report then the runs.
pub fn render_with(report: Report, runs: &[DryRun], format: Format) -> String {
    match format {
        Format::Json if !runs.is_empty() => {
            let all: Vec<_> = runs.iter().map(to_json).collect();
            format!(
                "{}\n",
                report
                    .field("dry_run", serde_json::Value::Array(all))
                    .render(Format::Json)
            )
        }
        _ => format!("{}{}", report.render(format), render(runs, format)),
    }
}
