//! What a simulation means: Value at Risk and expected shortfall of every account's
//! equity and of the protocol's bad debt, the probabilities that matter (an account
//! liquidated, the insurance fund exhausted) and the shape of the cascades.
//!
//! Conventions: a loss is positive; VaR at level `q` is the `q`-quantile of the loss
//! sample and ES the mean of its worst `⌈(1 − q)·n⌉` losses (`stats::var_es_in_place`),
//! so ES ≥ VaR, and a tail of rare bad debt is not diluted by the paths without any.

use crate::simulate::{PathSummary, Simulation};
use crate::stats::var_es_in_place;
use rayon::prelude::*;
use serde::Serialize;

/// The levels every report gives.
pub const LEVELS: [f64; 3] = [0.95, 0.99, 0.999];

/// VaR and ES at one level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Tail {
    pub level: f64,
    pub var: f64,
    pub es: f64,
}

/// `sample`'s tails at [`LEVELS`] (the sample is reordered).
pub fn tails(sample: &mut [f64]) -> Vec<Tail> {
    // A loss the maths could not value (an overflow gives ∞, NaN never comes out of a
    // sum of finite losses) is off the scale, never zero: it lands in the tail.
    for x in sample.iter_mut() {
        if !x.is_finite() {
            *x = f64::MAX;
        }
    }
    LEVELS
        .iter()
        .map(|&level| {
            // Only an empty sample (no paths) errs: nothing is at risk.
            let (var, es) = var_es_in_place(sample, level).unwrap_or((0.0, 0.0));
            Tail { level, var, es }
        })
        .collect()
}

/// One account's risk over the paths.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountRisk {
    /// Index into the book's accounts.
    pub index: usize,
    pub owner: String,
    pub account_num: u32,
    /// Equity before the shock, USD.
    pub equity: f64,
    /// Loss of equity, USD.
    pub tails: Vec<Tail>,
    /// Share of paths on which it was liquidated or written off.
    pub p_liquidation: f64,
}

/// Mean, median, 95th and 99th percentile and maximum of a per-path quantity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Spread {
    pub fn of(values: impl IntoIterator<Item = f64>) -> Self {
        let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return Self {
                mean: 0.0,
                p50: 0.0,
                p95: 0.0,
                p99: 0.0,
                max: 0.0,
            };
        }
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        Self {
            mean: v.iter().sum::<f64>() / v.len() as f64,
            p50: at(0.5),
            p95: at(0.95),
            p99: at(0.99),
            max: v[v.len() - 1],
        }
    }
}

/// The protocol's risk over the paths.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProtocolRisk {
    pub paths: usize,
    /// Bad debt (USD): mean, tails, the chance of any.
    pub bad_debt_mean: f64,
    pub bad_debt: Vec<Tail>,
    pub p_bad_debt: f64,
    /// Socialised part (what depositors lose after insurance): mean and tails.
    pub socialised_mean: f64,
    pub socialised: Vec<Tail>,
    pub p_insurance_exhausted: f64,
    /// Cascade depth: rounds, accounts hit, USD of collateral sold.
    pub rounds: Spread,
    pub accounts_hit: Spread,
    pub volume_usd: Spread,
    /// The book's total equity loss.
    pub book_loss: Vec<Tail>,
    /// The paths with the most bad debt, worst first.
    pub worst: Vec<PathSummary>,
}

/// A whole VaR report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VarReport {
    pub protocol: ProtocolRisk,
    /// Accounts by 99 % expected shortfall, largest first.
    pub accounts: Vec<AccountRisk>,
}

/// Summarise `sim`; `owners[i]` names account `i` (owner, account number); keep the
/// `worst` worst paths.
pub fn report(sim: &Simulation, owners: &[(String, u32)], worst: usize) -> VarReport {
    let n_paths = sim.paths.len().max(1) as f64;
    let mut accounts: Vec<AccountRisk> = (0..sim.accounts())
        .into_par_iter()
        .map(|i| {
            let mut losses = sim.account_losses(i);
            let (owner, account_num) = owners.get(i).cloned().unwrap_or_default();
            AccountRisk {
                index: i,
                owner,
                account_num,
                equity: sim.base_equity[i],
                tails: tails(&mut losses),
                p_liquidation: f64::from(sim.liquidated[i]) / n_paths,
            }
        })
        .collect();
    accounts.sort_by(|a, b| b.tails[1].es.total_cmp(&a.tails[1].es));
    let mut bad: Vec<f64> = sim.paths.iter().map(|p| p.bad_debt_usd).collect();
    let mut socialised: Vec<f64> = sim.paths.iter().map(|p| p.socialised_usd).collect();
    let mut book_loss = sim.total_losses();
    let mut by_bad_debt = sim.paths.clone();
    // Worst by bad debt; among equal bad debt (often none), by collateral sold.
    by_bad_debt.sort_by(|a, b| {
        b.bad_debt_usd
            .total_cmp(&a.bad_debt_usd)
            .then(b.volume_usd.total_cmp(&a.volume_usd))
    });
    by_bad_debt.truncate(worst);
    let protocol = ProtocolRisk {
        paths: sim.paths.len(),
        bad_debt_mean: bad.iter().sum::<f64>() / n_paths,
        p_bad_debt: bad.iter().filter(|b| **b > 0.0).count() as f64 / n_paths,
        bad_debt: tails(&mut bad),
        socialised_mean: socialised.iter().sum::<f64>() / n_paths,
        socialised: tails(&mut socialised),
        p_insurance_exhausted: sim.paths.iter().filter(|p| p.insurance_exhausted).count() as f64
            / n_paths,
        rounds: Spread::of(sim.paths.iter().map(|p| f64::from(p.rounds))),
        accounts_hit: Spread::of(sim.paths.iter().map(|p| f64::from(p.accounts_hit))),
        volume_usd: Spread::of(sim.paths.iter().map(|p| p.volume_usd)),
        book_loss: tails(&mut book_loss),
        worst: by_bad_debt,
    };
    VarReport { protocol, accounts }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A loss that could not be valued is reported at the top of the tail, not as zero.
    #[test]
    fn unvalued_losses_are_off_the_scale() {
        let mut v: Vec<f64> = (0..99).map(f64::from).collect();
        v.push(f64::INFINITY);
        let t = tails(&mut v);
        assert!(t[2].var > 1e300 && t[2].es == f64::MAX, "{t:?}");
        assert!(t[1].es >= t[1].var);
        assert!(tails(&mut []).iter().all(|t| t.var == 0.0 && t.es == 0.0));
    }
}
