//! Many price paths over one book: each path's price ratios are applied to the banks'
//! oracle prices, the cascade plays out with the program's own code (`cascade`), and what
//! every account and the protocol lost on that path is recorded.
//!
//! **Why the equity of untouched accounts is computed in f64.** On a path most accounts
//! are never liquidated; their equity moves only with prices and with a socialised loss
//! (a lower deposit index). Their native balances are taken once from the program's
//! `TokenRisk::native` (exact, rounded against the account) and revalued per path with
//! per-bank factors, a few nanoseconds an account. Accounts the cascade touched are
//! revalued from their final positions. Whether an account is liquidated is never decided
//! in f64: that is the program's health engine, inside the cascade.
//!
//! **Layout.** Losses are kept as `f32` in one buffer, a row of every account's loss per
//! path, written in place by the path that owns the row: 10,000 accounts × 10,000 paths
//! is 400 MB and nothing is allocated per account per path. Paths run in parallel
//! (rayon); each path draws from its own stream of the seed, so a run is the same on any
//! number of threads.

use crate::book::{scaled, Book, BookError};
use crate::cascade::{run_to_finish, CascadeConfig, Outcome};
use cross_margin::health::{OraclePrice, TokenRisk};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Which bank each of a model's assets prices: `(asset column, token_index)`. A bank no
/// column names keeps its price on every path.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AssetMap {
    pub pairs: Vec<(usize, u16)>,
}

impl AssetMap {
    /// Match the model's `assets` (price-file columns) to the book's bank `labels`
    /// (case-insensitive). Every label must name a column; a column without a bank is
    /// ignored.
    pub fn by_labels(assets: &[String], labels: &BTreeMap<u16, String>) -> Result<Self, String> {
        let mut pairs = Vec::new();
        for (&token, label) in labels {
            let column = assets
                .iter()
                .position(|a| a.eq_ignore_ascii_case(label))
                .ok_or_else(|| {
                    format!(
                        "bank {token} is labelled {label}, which the price history has no column for (it has {}); label it with one of them",
                        assets.join(", ")
                    )
                })?;
            pairs.push((column, token));
        }
        Ok(Self { pairs })
    }
}

/// How many paths, from which seed, and the cascade model.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    pub paths: usize,
    pub seed: u64,
    pub cascade: CascadeConfig,
}

/// What one path did to the protocol.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PathSummary {
    pub path: u64,
    /// Each model asset's price ratio on this path.
    pub ratios: Vec<f64>,
    /// Liquidation rounds, liquidations, accounts hit, bankruptcies, USD sold.
    pub rounds: u32,
    pub liquidations: u32,
    pub accounts_hit: u32,
    pub bankruptcies: u32,
    pub volume_usd: f64,
    /// Bad debt (insured + socialised + fees forgone + unrecoverable) in USD at the final
    /// prices, and its insured and socialised parts.
    pub bad_debt_usd: f64,
    pub insured_usd: f64,
    pub socialised_usd: f64,
    /// Some bank's insurance fund ran dry while debt was still left to write off.
    pub insurance_exhausted: bool,
}

/// Every path's summary, and every account's loss on every path.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// Each account's equity (USD at mid prices) before the shock.
    pub base_equity: Vec<f64>,
    pub paths: Vec<PathSummary>,
    /// Loss of equity (USD; a gain is negative), row-major `[path][account]`.
    pub losses: Vec<f32>,
    /// Paths on which each account was liquidated or written off.
    pub liquidated: Vec<u32>,
}

impl Simulation {
    pub fn accounts(&self) -> usize {
        self.base_equity.len()
    }

    /// Account `i`'s loss on every path.
    pub fn account_losses(&self, i: usize) -> Vec<f64> {
        let n = self.accounts();
        self.losses
            .iter()
            .skip(i)
            .step_by(n.max(1))
            .map(|l| f64::from(*l))
            .collect()
    }

    /// Σ over accounts of each path's loss (the book's total loss per path).
    pub fn total_losses(&self) -> Vec<f64> {
        let n = self.accounts().max(1);
        self.losses
            .chunks(n)
            .map(|row| row.iter().map(|l| f64::from(*l)).sum())
            .collect()
    }
}

/// Every account's native balances, taken once: `(bank slot in `tokens`, native)`.
struct Balances {
    tokens: Vec<u16>,
    /// Per account, a range into `positions`.
    ranges: Vec<(u32, u32)>,
    positions: Vec<(u16, f64)>,
}

impl Balances {
    fn new(book: &Book, risks: &BTreeMap<u16, TokenRisk>) -> Result<Self, BookError> {
        let tokens: Vec<u16> = book.banks.keys().copied().collect();
        let mut ranges = Vec::with_capacity(book.accounts.len());
        let mut positions = Vec::new();
        for a in &book.accounts {
            let start = positions.len() as u32;
            for (_, p) in a.active_positions() {
                let risk = risks
                    .get(&p.token_index)
                    .ok_or(BookError::UnknownBank(p.token_index))?;
                let native = risk
                    .native(p.indexed.get())
                    .map_err(|e| BookError::Math(e.to_string()))?;
                let slot = tokens
                    .iter()
                    .position(|t| *t == p.token_index)
                    .ok_or(BookError::UnknownBank(p.token_index))?;
                positions.push((slot as u16, native.to_num::<f64>()));
            }
            ranges.push((start, positions.len() as u32));
        }
        Ok(Self {
            tokens,
            ranges,
            positions,
        })
    }

    /// Equity of account `i` with USD per native unit `deposit[slot]` for a deposit and
    /// `borrow[slot]` for a debt.
    fn equity(&self, i: usize, deposit: &[f64], borrow: &[f64]) -> f64 {
        let (s, e) = self.ranges[i];
        self.positions[s as usize..e as usize]
            .iter()
            .map(|&(slot, n)| {
                let slot = slot as usize;
                n * if n >= 0.0 {
                    deposit[slot]
                } else {
                    borrow[slot]
                }
            })
            .sum()
    }
}

/// USD per native unit at a risk's mid price.
fn usd_per_native(risk: &TokenRisk) -> f64 {
    risk.mid.to_f64() / 1e6
}

/// Equity of `account` valued exactly at `risks` (native balances rounded against the
/// account, mid prices), USD.
pub fn equity(
    account: &cross_margin::state::MarginAccount,
    risks: &BTreeMap<u16, TokenRisk>,
) -> Result<f64, BookError> {
    let mut total = 0.0;
    for (_, p) in account.active_positions() {
        let risk = risks
            .get(&p.token_index)
            .ok_or(BookError::UnknownBank(p.token_index))?;
        let native = risk
            .native(p.indexed.get())
            .map_err(|e| BookError::Math(e.to_string()))?;
        total += native.to_num::<f64>() * usd_per_native(risk);
    }
    Ok(total)
}

/// The book's prices moved by `ratios` (one per model asset) through `map`.
pub fn shocked_prices(book: &Book, map: &AssetMap, ratios: &[f64]) -> BTreeMap<u16, OraclePrice> {
    let mut prices = book.prices.clone();
    for &(column, token) in &map.pairs {
        if let (Some(p), Some(r)) = (prices.get_mut(&token), ratios.get(column)) {
            *p = scaled(p, *r);
        }
    }
    prices
}

/// USD value of bad debt booked in `outcome`, split (total, insured, socialised).
fn bad_debt_split(outcome: &Outcome, risks: &BTreeMap<u16, TokenRisk>) -> (f64, f64, f64) {
    let mut split = (0.0, 0.0, 0.0);
    for (bank, d) in &outcome.bad_debt {
        let Some(r) = risks.get(bank) else { continue };
        let usd = usd_per_native(r);
        split.0 += d.debt as f64 * usd;
        split.1 += d.insured as f64 * usd;
        split.2 += d.socialised as f64 * usd;
    }
    split
}

/// Run `config.paths` paths over `book`. `sample(path, ratios)` fills each model asset's
/// price ratio for that path (it must be deterministic in `path`); `assets` is how many
/// ratios a path has. `progress(n)` is called as paths finish (from any thread).
pub fn simulate<F, P>(
    book: &Book,
    map: &AssetMap,
    assets: usize,
    sample: F,
    config: &SimConfig,
    progress: P,
) -> Result<Simulation, BookError>
where
    F: Fn(u64, &mut [f64]) + Sync,
    P: Fn(u64) + Sync,
{
    let n = book.accounts.len();
    let base_risks = book.risks(&book.prices)?;
    let balances = Balances::new(book, &base_risks)?;
    let base_usd: Vec<f64> = balances
        .tokens
        .iter()
        .map(|t| base_risks.get(t).map_or(0.0, usd_per_native))
        .collect();
    let base_equity: Vec<f64> = (0..n)
        .map(|i| balances.equity(i, &base_usd, &base_usd))
        .collect();
    let base_deposit_index: Vec<f64> = balances
        .tokens
        .iter()
        .map(|t| book.banks[t].deposit_index.get().to_num::<f64>())
        .collect();
    let mut losses = vec![0f32; n * config.paths];
    let rows: Vec<Result<(PathSummary, Vec<usize>), BookError>> = if n == 0 {
        (0..config.paths)
            .into_par_iter()
            .map(|path| path_only(book, map, assets, &sample, config, path as u64, &progress))
            .collect()
    } else {
        losses
            .par_chunks_mut(n)
            .enumerate()
            .map(|(path, row)| {
                let (ratios, outcome, finish, risks) =
                    play(book, map, assets, &sample, config, path as u64)?;
                // Per-bank USD per native unit: deposits scaled by a socialised loss.
                let mut deposit = Vec::with_capacity(balances.tokens.len());
                let mut borrow = Vec::with_capacity(balances.tokens.len());
                for (slot, t) in balances.tokens.iter().enumerate() {
                    let usd = risks.get(t).map_or(0.0, usd_per_native);
                    let ratio = finish.banks[t].deposit_index.get().to_num::<f64>()
                        / base_deposit_index[slot].max(f64::MIN_POSITIVE);
                    deposit.push(usd * ratio);
                    borrow.push(usd);
                }
                for (i, loss) in row.iter_mut().enumerate() {
                    let after = match finish.touched.get(&i) {
                        Some(a) => equity(a, &risks)?,
                        None => balances.equity(i, &deposit, &borrow),
                    };
                    *loss = (base_equity[i] - after) as f32;
                }
                let summary = summarise(path as u64, ratios, &outcome, &finish, &risks);
                progress(1);
                // The liquidator account (if modelled) is touched, not liquidated.
                let hit = finish
                    .touched
                    .keys()
                    .copied()
                    .filter(|i| Some(*i) != config.cascade.liquidator)
                    .collect();
                Ok((summary, hit))
            })
            .collect()
    };
    let mut paths = Vec::with_capacity(config.paths);
    let mut liquidated = vec![0u32; n];
    for row in rows {
        let (summary, hit) = row?;
        for i in hit {
            liquidated[i] += 1;
        }
        paths.push(summary);
    }
    Ok(Simulation {
        base_equity,
        paths,
        losses,
        liquidated,
    })
}

/// One path played: its ratios, the cascade's outcome, the state it leaves and every
/// bank's risk at the final prices.
type Played = (
    Vec<f64>,
    Outcome,
    crate::cascade::Finish,
    BTreeMap<u16, TokenRisk>,
);

/// One path: its ratios, the cascade at those prices, the state it leaves and every
/// bank's risk at the final prices.
fn play<F: Fn(u64, &mut [f64])>(
    book: &Book,
    map: &AssetMap,
    assets: usize,
    sample: &F,
    config: &SimConfig,
    path: u64,
) -> Result<Played, BookError> {
    let mut ratios = vec![1.0; assets];
    sample(path, &mut ratios);
    let prices = shocked_prices(book, map, &ratios);
    let (outcome, finish) = run_to_finish(book, prices, &config.cascade)?;
    let risks = crate::book::risks_with(&finish.banks, &outcome.prices, book.now, &book.outages)?;
    Ok((ratios, outcome, finish, risks))
}

/// A path over a book without accounts (nothing to record per account).
fn path_only<F: Fn(u64, &mut [f64]), P: Fn(u64)>(
    book: &Book,
    map: &AssetMap,
    assets: usize,
    sample: &F,
    config: &SimConfig,
    path: u64,
    progress: &P,
) -> Result<(PathSummary, Vec<usize>), BookError> {
    let (ratios, outcome, finish, risks) = play(book, map, assets, sample, config, path)?;
    progress(1);
    Ok((
        summarise(path, ratios, &outcome, &finish, &risks),
        Vec::new(),
    ))
}

fn summarise(
    path: u64,
    ratios: Vec<f64>,
    outcome: &Outcome,
    finish: &crate::cascade::Finish,
    risks: &BTreeMap<u16, TokenRisk>,
) -> PathSummary {
    let (bad_debt_usd, insured_usd, socialised_usd) = bad_debt_split(outcome, risks);
    let insurance_exhausted = outcome.bad_debt.iter().any(|(bank, d)| {
        d.socialised + d.unrecoverable > 0 && finish.insurance.get(bank).copied().unwrap_or(0) == 0
    });
    PathSummary {
        path,
        ratios,
        rounds: outcome.rounds,
        liquidations: outcome.liquidations,
        accounts_hit: outcome.accounts_hit,
        bankruptcies: outcome.bankruptcies,
        volume_usd: outcome.volume_usd,
        bad_debt_usd,
        insured_usd,
        socialised_usd,
        insurance_exhausted,
    }
}

#[cfg(test)]
mod tests;
