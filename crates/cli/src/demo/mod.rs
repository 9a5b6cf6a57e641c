//! `cross-margin demo`: the whole protocol on an in-process validator in one command.
//!
//! A group with three banks (USDC, SOL, ETH) priced by real-format Pyth pull accounts, a
//! keeper with deep pockets, `--users` borrowers at varied leverage, then a crash path for
//! SOL (and a milder one for ETH). At every step the keeper (the real keeper library) runs
//! until nothing is liquidatable; the demo prints a table of health, liquidations,
//! insurance fund, bad debt and the banks' breakers per step and writes an SVG chart of them.
//!
//! The breaker column shows the guardrail of issue 9: SOL's stable price lags the oracle,
//! so the gap down to 45 puts the oracle outside SOL's breaker band and the bank turns
//! borrow-reduce-only (tripped by the keeper's liquidations or its crank, both of which
//! feed the oracle to the bank).

mod chart;
mod setup;

use crate::args::DemoArgs;
use crate::output::table;
use anyhow::Result;
use cross_margin::state::Bank;
use cross_margin_client::chain::Chain;
use cross_margin_client::local::{spl, LocalChain};
use cross_margin_client::snapshot::decode;
use cross_margin_keeper::keeper::Keeper;
use indicatif::{ProgressBar, ProgressStyle};
use setup::{Market, NAMES, PRICES};
use std::sync::atomic::Ordering;

/// SOL and ETH prices along the crash.
/// A slide, then a gap down (72 → 45) that outruns the keeper and leaves bad debt.
pub const CRASH_PATH: [(f64, f64); 12] = [
    (100.0, 3_000.0),
    (95.0, 2_950.0),
    (88.0, 2_900.0),
    (80.0, 2_800.0),
    (72.0, 2_700.0),
    (45.0, 2_500.0),
    (48.0, 2_450.0),
    (52.0, 2_500.0),
    (55.0, 2_550.0),
    (58.0, 2_600.0),
    (60.0, 2_650.0),
    (62.0, 2_700.0),
];

/// One row of the demo's report.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub step: usize,
    pub sol: f64,
    pub eth: f64,
    /// Σ maint health of the borrowers before the keeper ran, in dollars.
    pub total_health: f64,
    /// Borrowers with negative maint health before the keeper ran.
    pub unhealthy: usize,
    /// Cumulative liquidations and bankruptcies.
    pub liquidations: u64,
    pub bankruptcies: u64,
    /// Insurance vaults' value after the step, dollars.
    pub insurance: f64,
    /// Cumulative bad debt written off, dollars.
    pub bad_debt: f64,
    /// Borrowers still liquidatable after the keeper ran (should be 0).
    pub left_unhealthy: usize,
    /// Banks whose breaker is tripped after the step (oracle outside the band around the
    /// stable price: borrow-reduce-only).
    pub tripped: Vec<&'static str>,
    /// What the breakers did this step: `SOL trips (oracle -55.0% off stable)`,
    /// `SOL clears`, or the banks still tripped.
    pub breakers: String,
}

/// [`run`], with the validator's own logging silenced: the program's `msg!` lines go to
/// stdout when it runs natively, so stdout is muted until the demo is done.
pub async fn run_quietly(args: &DemoArgs) -> Result<Vec<Step>> {
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let mute = gag::Gag::stdout().ok();
    let result = run(args).await;
    drop(mute);
    result
}

pub async fn run(args: &DemoArgs) -> Result<Vec<Step>> {
    let progress = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new((args.users + CRASH_PATH.len()) as u64)
    };
    progress.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len}")
            .expect("template")
            .progress_chars("=> "),
    );
    progress.set_message("setting up");
    let mut chain = LocalChain::start(vec![], setup::START_TIME).await;
    let mut market = Market::create(&mut chain).await?;
    for i in 0..args.users {
        market.add_borrower(&mut chain, i, args.seed).await?;
        progress.inc(1);
    }
    let signer = chain.payer().insecure_clone();
    let mut keeper = Keeper::new(market.group, market.keeper_account, signer);
    progress.set_message("crashing");
    let mut steps = vec![];
    let mut written_off = std::collections::BTreeMap::new();
    let mut bad_debt = 0.0;
    let mut tripped_before: Vec<&'static str> = vec![];
    for (step, &(sol, eth)) in CRASH_PATH.iter().enumerate() {
        chain
            .set_time(setup::START_TIME + 300 * (step as i64 + 1))
            .await;
        market.set_prices(&mut chain, [PRICES[0], sol, eth]).await;
        let (total_health, unhealthy) = market.borrower_health(&mut chain).await?;
        for _ in 0..10 {
            match keeper.tick(&mut chain).await {
                Ok(r) if r.liquidatable == 0 => break,
                Ok(_) => {}
                Err(e) if e.is_transient() => continue,
                Err(e) => return Err(e.into()),
            }
        }
        let (_, left_unhealthy) = market.borrower_health(&mut chain).await?;
        let mut insurance = 0.0;
        for (bank, price) in market.banks.iter().zip([PRICES[0], sol, eth]) {
            insurance += spl::balance(&mut chain, &bank.insurance_vault).await? as f64 * price
                / 10f64.powi(bank.decimals as i32);
        }
        // Value each newly written-off debt at this step's prices.
        for (token, native) in &keeper.bad_debt {
            let before = written_off.insert(*token, *native).unwrap_or(0);
            let price = [PRICES[0], sol, eth][*token as usize];
            bad_debt += (native - before) as f64 * price
                / 10f64.powi(market.banks[*token as usize].decimals as i32);
        }
        let (tripped, breakers) = breakers(&mut chain, &market, &tripped_before).await?;
        tripped_before = tripped.clone();
        steps.push(Step {
            step,
            sol,
            eth,
            total_health,
            unhealthy,
            liquidations: keeper.metrics.liquidations_sent.load(Ordering::Relaxed),
            bankruptcies: keeper.metrics.bankruptcies_resolved.load(Ordering::Relaxed),
            insurance,
            bad_debt,
            left_unhealthy,
            tripped,
            breakers,
        });
        progress.inc(1);
    }
    progress.finish_and_clear();
    chart::write(&args.out, &steps)?;
    Ok(steps)
}

/// The banks' breakers after the keeper ran: which are tripped, and what changed since
/// `before`.
async fn breakers(
    chain: &mut LocalChain,
    market: &Market,
    before: &[&'static str],
) -> Result<(Vec<&'static str>, String)> {
    let mut tripped = vec![];
    let mut notes = vec![];
    for (bank, name) in market.banks.iter().zip(NAMES) {
        let Some(b) = chain
            .account(&bank.key)
            .await?
            .and_then(|a| decode::<Bank>(&a.data))
        else {
            continue;
        };
        let was = before.contains(&name);
        let is = b.breaker_tripped();
        if is {
            tripped.push(name);
        }
        match (was, is) {
            (false, true) => {
                let gap = (b.stable.last_oracle - b.stable.price) as f64 / b.stable.price as f64;
                notes.push(format!("{name} trips ({:+.1}% off stable)", gap * 100.0));
            }
            (true, false) => notes.push(format!("{name} clears")),
            (true, true) => notes.push(format!("{name} tripped")),
            (false, false) => {}
        }
    }
    let note = if notes.is_empty() {
        "-".into()
    } else {
        notes.join(", ")
    };
    Ok((tripped, note))
}

/// The per-step table the demo prints.
pub fn render(steps: &[Step]) -> String {
    let headers: Vec<String> = [
        "step",
        "SOL $",
        "ETH $",
        "Σ maint health $",
        "unhealthy",
        "liquidations",
        "bankruptcies",
        "insurance $",
        "bad debt $",
        "left",
        "breaker",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = steps
        .iter()
        .map(|s| {
            vec![
                s.step.to_string(),
                format!("{:.0}", s.sol),
                format!("{:.0}", s.eth),
                format!("{:.0}", s.total_health),
                s.unhealthy.to_string(),
                s.liquidations.to_string(),
                s.bankruptcies.to_string(),
                format!("{:.2}", s.insurance),
                format!("{:.2}", s.bad_debt),
                s.left_unhealthy.to_string(),
                s.breakers.clone(),
            ]
        })
        .collect();
    table(&headers, &rows)
}
