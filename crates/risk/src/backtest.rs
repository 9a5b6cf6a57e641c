//! Rolling one-day VaR backtest: does a model's 99 % VaR get exceeded on about 1 % of
//! days, when it is only allowed to see the past?
//!
//! **Why backtest.** A VaR model can be wrong in ways no in-sample statistic shows: a
//! normal model fitted on a calm year is exceeded again and again in a crash, a model
//! that remembers too long reacts too late. The only honest check is out of sample: for
//! every day `t ≥ window`, fit on the `window` daily returns before `t`, forecast the
//! 1-day VaR of the portfolio's P&L, then compare with what day `t` really did.
//!
//! **Portfolio.** USD notionals per asset (negative = short), rebalanced daily: day `t`'s
//! P&L is `Σ notional[a] · (P[a](t) / P[a](t−1) − 1)`.
//!
//! **Models** ([`ModelKind`]), all with zero expected P&L:
//! - `historical`: the empirical `level`-quantile of the window's own P&Ls, revalued at
//!   today's notionals (no bootstrap needed for one day);
//! - `normal`: delta-normal variance–covariance on the window's sample covariance of log
//!   returns, `VaR = z_level · √(wᵀ Σ w)`;
//! - `ewma-normal`: the same with the RiskMetrics EWMA covariance (λ = 0.94);
//! - `mc-t`: [`MonteCarlo`] with EWMA vols and correlation and fitted multivariate
//!   Student-t innovations, `paths_per_day` simulated days, empirical quantile of the
//!   simulated P&L. Day `t` draws from stream `t` of `seed` ([`path_seed`]).
//!
//! **Kupiec's proportion-of-failures test.** With `k` exceedances in `n` days and
//! `p = 1 − level`, `LR = −2 ln[(1−p)^(n−k) p^k] + 2 ln[(1−k/n)^(n−k) (k/n)^k]`, which is
//! χ²(1) when the model's exceedance rate is right; the model passes at `p-value ≥ 0.05`.
//! It tests the count only, not whether exceedances cluster.

use crate::history::{PriceHistory, Returns};
use crate::models::{path_seed, McConfig, MonteCarlo, ReturnModel};
use crate::stats::{self, normal_quantile};
use std::fmt;

/// USD notional per asset (negative = short).
#[derive(Clone, Debug, PartialEq)]
pub struct Portfolio {
    /// `(symbol, USD notional)`; negative is short.
    pub notional_usd: Vec<(String, f64)>,
}

impl Portfolio {
    /// `total_usd` spread equally long over every asset of `history`.
    pub fn equal_long(history: &PriceHistory, total_usd: f64) -> Self {
        let each = total_usd / history.n_assets().max(1) as f64;
        Self {
            notional_usd: history.assets.iter().map(|a| (a.clone(), each)).collect(),
        }
    }

    /// Notional per column of `assets` (0 for an asset the portfolio does not hold).
    pub fn weights(&self, assets: &[String]) -> Result<Vec<f64>, BacktestError> {
        if self.notional_usd.is_empty() {
            return Err(BacktestError::EmptyPortfolio);
        }
        let mut w = vec![0.0; assets.len()];
        for (symbol, usd) in &self.notional_usd {
            let i = assets
                .iter()
                .position(|a| a == symbol)
                .ok_or_else(|| BacktestError::UnknownAsset(symbol.clone()))?;
            if !usd.is_finite() {
                return Err(BacktestError::BadEntry(format!("{symbol}={usd}")));
            }
            w[i] += usd;
        }
        Ok(w)
    }
}

/// Parse `SYM=USD,SYM=USD,...` (e.g. `SOL=1000,ETH=-500`; negative is short).
pub fn parse_portfolio(text: &str) -> Result<Portfolio, BacktestError> {
    let mut notional_usd: Vec<(String, f64)> = Vec::new();
    for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (symbol, usd) = entry
            .split_once('=')
            .ok_or_else(|| BacktestError::BadEntry(entry.to_string()))?;
        let (symbol, usd) = (symbol.trim(), usd.trim());
        let usd: f64 = usd
            .parse()
            .ok()
            .filter(|u: &f64| u.is_finite())
            .ok_or_else(|| BacktestError::BadEntry(entry.to_string()))?;
        if symbol.is_empty() {
            return Err(BacktestError::BadEntry(entry.to_string()));
        }
        if notional_usd.iter().any(|(s, _)| s == symbol) {
            return Err(BacktestError::DuplicateAsset(symbol.to_string()));
        }
        notional_usd.push((symbol.to_string(), usd));
    }
    if notional_usd.is_empty() {
        return Err(BacktestError::EmptyPortfolio);
    }
    Ok(Portfolio { notional_usd })
}

/// The VaR models the backtest compares (module docs).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ModelKind {
    /// Empirical quantile of the window's P&Ls.
    Historical,
    /// Delta-normal on the window's sample covariance.
    NormalVarCov,
    /// Delta-normal on the EWMA covariance (λ = 0.94).
    EwmaNormal,
    /// Monte Carlo, EWMA vols and correlation, fitted multivariate Student-t.
    MonteCarloT,
}

impl ModelKind {
    /// Every model, in report order.
    pub const ALL: [ModelKind; 4] = [
        ModelKind::Historical,
        ModelKind::NormalVarCov,
        ModelKind::EwmaNormal,
        ModelKind::MonteCarloT,
    ];

    /// Short name (`historical`, `normal`, `ewma-normal`, `mc-t`).
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Historical => "historical",
            ModelKind::NormalVarCov => "normal",
            ModelKind::EwmaNormal => "ewma-normal",
            ModelKind::MonteCarloT => "mc-t",
        }
    }

    /// The model of a [`Self::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Why a backtest cannot run.
#[derive(Clone, Debug, PartialEq)]
pub enum BacktestError {
    /// No position.
    EmptyPortfolio,
    /// A position in an asset the price history lacks.
    UnknownAsset(String),
    /// A portfolio entry that is not `SYM=USD` with a finite number.
    BadEntry(String),
    /// An asset listed twice.
    DuplicateAsset(String),
    /// The window leaves no day to test (or is below 2).
    BadWindow {
        /// Window asked for.
        window: usize,
        /// Days of returns in the history.
        return_days: usize,
    },
    /// A level outside (0, 1).
    BadLevel(f64),
    /// The Monte Carlo model needs at least one path a day.
    NoPaths,
}

impl fmt::Display for BacktestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BacktestError::EmptyPortfolio => {
                write!(f, "the portfolio is empty; give it as SYM=USD,SYM=USD (e.g. SOL=1000,ETH=-500)")
            }
            BacktestError::UnknownAsset(a) => {
                write!(f, "the portfolio holds {a}, which the price history has no column for")
            }
            BacktestError::BadEntry(e) => write!(
                f,
                "portfolio entry `{e}` is not SYM=USD with a finite USD amount (negative = short)"
            ),
            BacktestError::DuplicateAsset(a) => {
                write!(f, "{a} appears twice in the portfolio; give each asset once")
            }
            BacktestError::BadWindow {
                window,
                return_days,
            } => write!(
                f,
                "window {window} with {return_days} days of returns leaves no day to test; use 2 ≤ window < {return_days}"
            ),
            BacktestError::BadLevel(l) => {
                write!(f, "VaR level {l} is not strictly between 0 and 1 (e.g. 0.99)")
            }
            BacktestError::NoPaths => write!(f, "the Monte Carlo model needs at least one path a day"),
        }
    }
}

impl std::error::Error for BacktestError {}

/// One model's backtest.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelBacktest {
    /// The model tested.
    pub model: ModelKind,
    /// Days tested (days whose fit failed are not counted).
    pub n: usize,
    /// Days whose loss exceeded the forecast VaR.
    pub exceedances: usize,
    /// `n × (1 − level)`.
    pub expected: f64,
    /// Kupiec's likelihood ratio.
    pub kupiec_lr: f64,
    /// Its χ²(1) p-value.
    pub p_value: f64,
    /// `p_value ≥ 0.05`.
    pub passes: bool,
    /// Days the model could not be fitted (e.g. a correlation matrix that is not PSD).
    pub failed_fits: usize,
    /// Mean forecast VaR over the tested days, USD.
    pub mean_var_usd: f64,
}

/// `x · ln y` with `0 · ln 0 = 0`.
fn xlny(x: f64, y: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        x * y.ln()
    }
}

/// Kupiec's proportion-of-failures test of `k` exceedances in `n` days at VaR `level`:
/// `(LR, p-value)`. Finite for `k = 0` and `k = n`; `(0, 1)` for `n = 0`.
pub fn kupiec(k: usize, n: usize, level: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let p = 1.0 - level;
    let (k, n) = (k.min(n) as f64, n as f64);
    let hit = k / n;
    let lr =
        -2.0 * (xlny(n - k, 1.0 - p) + xlny(k, p)) + 2.0 * (xlny(n - k, 1.0 - hit) + xlny(k, hit));
    let lr = lr.max(0.0);
    (lr, stats::chi2_1_sf(lr))
}

/// P&L of notionals `w` over one day of log returns.
fn pnl(w: &[f64], day: &[f64]) -> f64 {
    w.iter().zip(day).map(|(w, r)| w * r.exp_m1()).sum()
}

fn quad_form(w: &[f64], cov: &[f64]) -> f64 {
    let k = w.len();
    let mut s = 0.0;
    for i in 0..k {
        for j in 0..k {
            s += w[i] * cov[i * k + j] * w[j];
        }
    }
    s.max(0.0)
}

/// [`try_run`], panicking with the error's message on invalid input (unknown asset,
/// window too long, level outside (0, 1), no Monte Carlo path).
pub fn run(
    history: &PriceHistory,
    portfolio: &Portfolio,
    window: usize,
    level: f64,
    models: &[ModelKind],
    paths_per_day: usize,
    seed: u64,
) -> Vec<ModelBacktest> {
    try_run(
        history,
        portfolio,
        window,
        level,
        models,
        paths_per_day,
        seed,
    )
    .unwrap_or_else(|e| panic!("backtest: {e}"))
}

/// The rolling backtest of the module docs, one result per entry of `models`.
pub fn try_run(
    history: &PriceHistory,
    portfolio: &Portfolio,
    window: usize,
    level: f64,
    models: &[ModelKind],
    paths_per_day: usize,
    seed: u64,
) -> Result<Vec<ModelBacktest>, BacktestError> {
    let returns = history.log_returns();
    let w = portfolio.weights(&returns.assets)?;
    if !(level > 0.0 && level < 1.0) {
        return Err(BacktestError::BadLevel(level));
    }
    if window < 2 || window >= returns.n_days {
        return Err(BacktestError::BadWindow {
            window,
            return_days: returns.n_days,
        });
    }
    if paths_per_day == 0 && models.contains(&ModelKind::MonteCarloT) {
        return Err(BacktestError::NoPaths);
    }
    let z = normal_quantile(level);
    let pnls: Vec<f64> = (0..returns.n_days)
        .map(|d| pnl(&w, returns.day(d)))
        .collect();
    let mut scratch = vec![0.0; window.max(paths_per_day)];
    let mut results = Vec::with_capacity(models.len());
    for &model in models {
        let (mut n, mut k, mut failed, mut var_sum) = (0, 0, 0, 0.0);
        for t in window..returns.n_days {
            let Some(var) = forecast(
                model,
                &returns,
                &pnls,
                &w,
                t,
                window,
                level,
                z,
                paths_per_day,
                seed,
                &mut scratch,
            ) else {
                failed += 1;
                continue;
            };
            n += 1;
            var_sum += var;
            if -pnls[t] > var {
                k += 1;
            }
        }
        let (lr, p) = kupiec(k, n, level);
        results.push(ModelBacktest {
            model,
            n,
            exceedances: k,
            expected: n as f64 * (1.0 - level),
            kupiec_lr: lr,
            p_value: p,
            passes: p >= 0.05,
            failed_fits: failed,
            mean_var_usd: if n > 0 { var_sum / n as f64 } else { 0.0 },
        });
    }
    Ok(results)
}

/// Day `t`'s 1-day VaR forecast (USD) by `model` fitted on returns `[t − window, t)`;
/// `None` if the model cannot be fitted.
#[allow(clippy::too_many_arguments)]
fn forecast(
    model: ModelKind,
    returns: &Returns,
    pnls: &[f64],
    w: &[f64],
    t: usize,
    window: usize,
    level: f64,
    z: f64,
    paths: usize,
    seed: u64,
    scratch: &mut [f64],
) -> Option<f64> {
    let k = returns.n_assets();
    let rows = &returns.rows[(t - window) * k..t * k];
    match model {
        ModelKind::Historical => {
            let losses = &mut scratch[..window];
            for (l, p) in losses.iter_mut().zip(&pnls[t - window..t]) {
                *l = -p;
            }
            stats::var_es_in_place(losses, level).ok().map(|(v, _)| v)
        }
        ModelKind::NormalVarCov => Some(z * quad_form(w, &stats::covariance(rows, k)).sqrt()),
        ModelKind::EwmaNormal => {
            Some(z * quad_form(w, &stats::ewma_covariance(rows, k, stats::DEFAULT_LAMBDA)).sqrt())
        }
        ModelKind::MonteCarloT => {
            let fit = returns.window(t - window, t);
            let mc = MonteCarlo::fit(&fit, McConfig::default()).ok()?;
            let mut rng = path_seed(seed, t as u64);
            let mut ratio = [0.0; crate::models::MAX_ASSETS];
            let losses = &mut scratch[..paths];
            for l in losses.iter_mut() {
                mc.sample(&mut rng, 1, &mut ratio[..k]);
                *l = -w
                    .iter()
                    .zip(&ratio[..k])
                    .map(|(w, r)| w * (r - 1.0))
                    .sum::<f64>();
            }
            stats::var_es_in_place(losses, level).ok().map(|(v, _)| v)
        }
    }
}

/// The results as a fixed-width table (one line per model).
pub fn format_table(results: &[ModelBacktest]) -> String {
    let mut s = format!(
        "{:<12} {:>5} {:>6} {:>8} {:>9} {:>8} {:>12} {:>6}\n",
        "model", "days", "exceed", "expected", "kupiec_lr", "p_value", "mean_var_usd", "result"
    );
    for r in results {
        s += &format!(
            "{:<12} {:>5} {:>6} {:>8.2} {:>9.3} {:>8.4} {:>12.0} {:>6}\n",
            r.model.name(),
            r.n,
            r.exceedances,
            r.expected,
            r.kupiec_lr,
            r.p_value,
            r.mean_var_usd,
            if r.passes { "pass" } else { "FAIL" }
        );
    }
    s
}

#[cfg(test)]
mod tests;
