//! `cross-margin demo`: the whole protocol on an in-process validator in one command.
//!
//! A group with three banks (USDC, SOL, ETH) priced by real-format Pyth pull accounts, a
//! keeper with deep pockets, `--users` borrowers at varied leverage, then a crash path for
//! SOL (and a milder one for ETH). At every step the keeper (the real keeper library) runs
//! until nothing is liquidatable; the demo prints a short introduction, a table of health,
//! liquidations, insurance fund, bad debt (split into insured and socialised, measured on
//! chain by [`losses`]) and the banks' breakers per step, what each column means and a
//! summary ([`report`], or all of it as JSON), and writes the same story as a chart in SVG
//! and PNG ([`chart`]).
//!
//! A SOL perp market trades on SOL's oracle ([`perps`]): an LP pool, longs and shorts at
//! varied leverage, a hedged account and an isolated long; the crash liquidates perps
//! too (the keeper also settles the PnL of liquidatable perp accounts), and the table and
//! chart follow the pool's value and the perp liquidations, single and pair.
//!
//! The breaker column shows the guardrail of issue 9: SOL's stable price lags the oracle,
//! so the gap down to 45 puts the oracle outside SOL's breaker band and the bank turns
//! borrow-reduce-only (tripped by the keeper's liquidations or its crank, both of which
//! feed the oracle to the bank).

pub mod chart;
pub mod losses;
pub mod perps;
mod report;
mod setup;
mod step;

use crate::args::DemoArgs;
use anyhow::{anyhow, Result};
use chart::ChartPaths;
use cross_margin::state::Bank;
use cross_margin_client::chain::Chain;
use cross_margin_client::local::{spl, LocalChain};
use cross_margin_client::snapshot::fetch;
use cross_margin_keeper::keeper::Keeper;
use indicatif::{ProgressBar, ProgressStyle};
use losses::Recording;
use perps::{PerpBook, PerpSummary};
use setup::{Market, DECIMALS, NAMES, PRICES};
use std::sync::atomic::Ordering;

pub use report::{columns, introduction, json, render, render_as, summary, table};
pub use step::{price_gap, BadDebt, Step, WriteOff};

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

/// Seconds between steps.
pub const STEP_SECS: i64 = 300;

/// A finished demo: what it was run with, every step, every bankruptcy and where the
/// charts are.
#[derive(Clone, Debug, PartialEq)]
pub struct Demo {
    pub users: usize,
    pub seed: u64,
    pub steps: Vec<Step>,
    pub write_offs: Vec<WriteOff>,
    /// SOL-PERP: its pool, perp liquidations, the hedged and the isolated account.
    pub perps: PerpSummary,
    pub charts: ChartPaths,
}

/// [`run`], with the validator's own logging silenced: the program's `msg!` lines go to
/// stdout when it runs natively, so stdout is muted until the demo is done.
pub async fn run_quietly(args: &DemoArgs) -> Result<Demo> {
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let mute = gag::Gag::stdout().ok();
    let result = run(args).await;
    drop(mute);
    result
}

/// The demo's group before its crash, on its own in-process validator.
pub struct DemoGroup {
    pub chain: LocalChain,
    pub group: anchor_lang::prelude::Pubkey,
    /// The keeper's (deep-pocketed) margin account.
    pub keeper_account: anchor_lang::prelude::Pubkey,
    /// Each bank's price-file label (USDC, SOL, ETH).
    pub labels: Vec<(u16, String)>,
    market: Market,
}

impl DemoGroup {
    /// Publish `prices` (USDC, SOL, ETH in USD) as the demo's crash steps do.
    pub async fn set_prices(&mut self, prices: [f64; 3]) {
        self.market.set_prices(&mut self.chain, prices).await;
    }
}

/// The demo's group as it stands before the crash: banks, the keeper's account, `users`
/// borrowers from `seed`, and (with `perps`) the SOL-PERP book, on a fresh in-process
/// validator. What `risk … --demo` and `snapshot save --demo` read.
pub async fn group_before_crash(users: usize, seed: u64, perps: bool) -> Result<DemoGroup> {
    let mut chain = LocalChain::start(vec![], setup::START_TIME).await;
    let mut market = Market::create(&mut chain).await?;
    for i in 0..users {
        market.add_borrower(&mut chain, i, seed).await?;
    }
    if perps {
        PerpBook::create(&mut chain, &market).await?;
    }
    let labels = NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| (i as u16, n.to_string()))
        .collect();
    Ok(DemoGroup {
        chain,
        group: market.group,
        keeper_account: market.keeper_account,
        labels,
        market,
    })
}

pub async fn run(args: &DemoArgs) -> Result<Demo> {
    if args.users == 0 {
        return Err(anyhow!("--users 0: the demo needs at least one borrower"));
    }
    // Refuse an unwritable --out before the run rather than after it.
    let charts = ChartPaths::for_out(&args.out)?;
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
    progress.set_message("perps");
    let book = PerpBook::create(&mut chain, &market).await?;
    let pool_start = book.pool_value(&mut chain, &market.group).await?;
    let mut perp_liquidated = vec![];
    let mut settlements = 0;
    let signer = chain.payer().insecure_clone();
    let mut keeper = Keeper::new(market.group, market.keeper_account, signer);
    progress.set_message("crashing");
    let mut steps = vec![];
    let mut write_offs = vec![];
    let mut bad_debt = BadDebt::default();
    let mut tripped_before: Vec<&'static str> = vec![];
    for (step, &(sol, eth)) in CRASH_PATH.iter().enumerate() {
        let prices = [PRICES[0], sol, eth];
        chain
            .set_time(setup::START_TIME + STEP_SECS * (step as i64 + 1))
            .await;
        market.set_prices(&mut chain, prices).await;
        let (total_health, unhealthy) = market.borrower_health(&mut chain).await?;
        // The keeper sends through a recorder that measures each bankruptcy's write-off.
        let mut recording = Recording::new(&mut chain);
        for _ in 0..10 {
            match keeper.tick(&mut recording).await {
                Ok(r) => {
                    settlements += r.settlements as u64;
                    if r.liquidatable == 0 {
                        break;
                    }
                }
                Err(e) if e.is_transient() => continue,
                Err(e) => return Err(e.into()),
            }
        }
        perp_liquidated.append(&mut recording.perp_liquidated);
        for resolution in recording.take() {
            let token = resolution.token_index as usize;
            let write_off = WriteOff {
                step,
                token: NAMES.get(token).copied().unwrap_or("?"),
                price: prices.get(token).copied().unwrap_or(0.0),
                decimals: DECIMALS.get(token).copied().unwrap_or(0),
                resolution,
            };
            bad_debt.add(&write_off.bad_debt());
            write_offs.push(write_off);
        }
        let (_, left_unhealthy) = market.borrower_health(&mut chain).await?;
        let mut insurance = 0.0;
        for (bank, price) in market.banks.iter().zip(prices) {
            insurance += spl::balance(&mut chain, &bank.insurance_vault).await? as f64 * price
                / 10f64.powi(bank.decimals as i32);
        }
        let (tripped, breakers) = breakers(&mut chain, &market, &tripped_before).await?;
        let pool_value = book.pool_value(&mut chain, &market.group).await?;
        tripped_before = tripped.clone();
        steps.push(Step {
            step,
            sol,
            eth,
            total_health,
            unhealthy,
            liquidations: keeper.metrics.liquidations_sent.load(Ordering::Relaxed),
            perp_liquidations: perp_liquidated.len() as u64,
            pair_liquidations: perp_liquidated.iter().filter(|l| l.pair).count() as u64,
            pool_value,
            bankruptcies: keeper.metrics.bankruptcies_resolved.load(Ordering::Relaxed),
            insurance,
            bad_debt,
            left_unhealthy,
            tripped,
            breakers,
        });
        progress.inc(1);
    }
    let perps = book
        .summary(
            &mut chain,
            &market,
            pool_start,
            settlements,
            &perp_liquidated,
        )
        .await?;
    progress.finish_and_clear();
    chart::write(&charts, &steps, args.users)?;
    Ok(Demo {
        users: args.users,
        seed: args.seed,
        steps,
        write_offs,
        perps,
        charts,
    })
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
        let Some(b) = fetch::<Bank, _>(chain, &bank.key).await? else {
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
