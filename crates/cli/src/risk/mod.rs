//! `cross-margin risk …` and `cross-margin snapshot save`: the risk engine
//! (`cross_margin_risk`) on a book from a snapshot file, a synthetic population, the
//! demo's group or a live cluster. Every number comes from the program's own health and
//! liquidation code; this module only gathers inputs and presents results (tables, JSON,
//! charts, a progress bar on long runs).

pub mod advise;
pub mod backtest;
pub mod chart;
pub mod group;
pub mod source;
pub mod stress;
pub mod var;

use crate::args::{RiskCmd, SnapshotCmd};
use crate::output::Format;
use anyhow::Context;
/// The error type the risk commands return, for callers without `anyhow` of their own.
pub use anyhow::{anyhow, Result};
use cross_margin_client::chain::Chain;
use cross_margin_risk::snapshot::Snapshot;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;

/// Run a risk command; `connect` opens the cluster when the book is a live group.
pub async fn run<C: Chain>(
    cmd: &RiskCmd,
    output: Format,
    connect: impl FnOnce() -> Result<C>,
) -> Result<String> {
    match cmd {
        RiskCmd::Var(a) => var::run(a, output, connect).await,
        RiskCmd::Stress(a) => stress::run(a, output, connect).await,
        RiskCmd::Advise(a) => advise::run(a, output, connect).await,
        RiskCmd::Backtest(a) => backtest::run(a, output),
        RiskCmd::Group(a) => group::run(a, output, connect).await,
    }
}

/// `snapshot save`.
pub async fn snapshot<C: Chain>(
    cmd: &SnapshotCmd,
    output: Format,
    connect: impl FnOnce() -> Result<C>,
) -> Result<String> {
    let SnapshotCmd::Save {
        group,
        demo,
        labels,
        out,
    } = cmd;
    let mut labels: BTreeMap<u16, String> = labels.iter().cloned().collect();
    let snap = match (group, demo) {
        (_, true) => {
            let mut demo = source::demo_chain(50, 7).await?;
            for (t, l) in &demo.labels {
                labels.entry(*t).or_insert(l.clone());
            }
            Snapshot::save(&mut demo.chain, &demo.group, &labels).await?
        }
        (Some(g), false) => {
            let mut chain = connect()?;
            Snapshot::save(&mut chain, g, &labels).await?
        }
        (None, false) => {
            return Err(anyhow!(
                "snapshot save needs --group G (read from the cluster, -u) or --demo"
            ))
        }
    };
    std::fs::write(out, snap.to_json())
        .with_context(|| format!("writing snapshot {}", out.display()))?;
    let summary = format!(
        "saved {} banks and {} margin accounts of group {} to {}",
        snap.banks.len(),
        snap.accounts.len(),
        snap.group,
        out.display()
    );
    Ok(match output {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({
            "group": snap.group,
            "banks": snap.banks.len(),
            "accounts": snap.accounts.len(),
            "file": out.display().to_string(),
        }))?,
        Format::Table => summary + "\n",
    })
}

/// A progress bar on stderr for `len` steps (drawn only on a terminal).
pub fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} {eta}")
            .expect("template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// Dollars with thousands separators and cents.
pub fn usd(v: f64) -> String {
    crate::demo::chart::dollars(v, 2)
}
