//! Margin advice (dynamic margin): for each bank, the loosest weights that keep the
//! probability of bad debt over the horizon below a target, given today's book and the
//! model's volatility.
//!
//! **How.** A bank's weights are one number here, its maint margin `m`: maint asset
//! weight `1 − m`, maint liability weight `1 + m`, and the init weights keep today's gap
//! to maint (so init still gates new risk by the same amount more). The probability of
//! bad debt falls as `m` grows, so the smallest `m` that meets the target is found by
//! bisection, every candidate judged on the *same* paths (common random numbers: the
//! comparison between two margins is not drowned in sampling noise). Each candidate runs
//! the whole cascade with the program's code; the other banks keep their weights. The
//! bad debt counted is the whole protocol's: in cross margin a collateral bank's weights
//! decide the bad debt of the bank its holders borrow from (SOL's weight, USDC's bad
//! debt), so judging a bank by its own write-offs alone would loosen every collateral.
//! When the target is missed at any margin of this bank, the risk lies elsewhere (another
//! bank's weights or the book's size), and the advice says so. The bisection assumes the probability does not rise
//! with the margin; with price impact on, an immediate tightening liquidates today's book
//! at once, which can break that, so the proposal is a starting point to re-check with
//! `risk var`, not a proof.
//!
//! The result is a `BankConfig`: the bank's config with only the four weights changed,
//! ready to print as a `bank edit` (a tightening applies at once, ramped; a loosening on a
//! live group goes through `admin queue` and its timelock).

use crate::book::{Book, BookError};
use crate::cascade::{run_to_finish, CascadeConfig};
use crate::simulate::{shocked_prices, AssetMap};
use cross_margin::state::{BankConfig, LiquidationParams};
use rayon::prelude::*;
use serde::Serialize;

/// What to look for.
#[derive(Clone, Debug, PartialEq)]
pub struct AdviceConfig {
    /// Largest acceptable probability of any bad debt over the horizon.
    pub target: f64,
    /// Bad debt below this (USD) on a path does not count (rounding dust).
    pub tolerance_usd: f64,
    pub paths: usize,
    pub cascade: CascadeConfig,
    /// Bisection steps on the margin (each halves the interval of 0.01..0.90).
    pub steps: u32,
}

impl Default for AdviceConfig {
    fn default() -> Self {
        Self {
            target: 0.01,
            tolerance_usd: 1.0,
            paths: 1_000,
            cascade: CascadeConfig::default(),
            steps: 8,
        }
    }
}

/// One bank's advice.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Advice {
    pub token_index: u16,
    /// Probability of bad debt with today's weights.
    pub p_now: f64,
    /// The proposed config (today's with the four weights changed), and its probability;
    /// `None` when even the tightest margin tried misses the target.
    #[serde(skip)]
    pub proposed: Option<BankConfig>,
    pub p_proposed: Option<f64>,
    pub current_weights: [u32; 4],
    pub proposed_weights: Option<[u32; 4]>,
    /// True when the proposal loosens some weight (it must wait out the timelock).
    pub loosens: bool,
}

fn weights(c: &BankConfig) -> [u32; 4] {
    [
        c.init_asset_weight_bps,
        c.maint_asset_weight_bps,
        c.maint_liab_weight_bps,
        c.init_liab_weight_bps,
    ]
}

/// `current` with maint margin `m` (bps), init weights keeping today's gap to maint.
pub fn with_margin(current: &BankConfig, m_bps: u32) -> BankConfig {
    let asset_gap = current
        .maint_asset_weight_bps
        .saturating_sub(current.init_asset_weight_bps);
    let liab_gap = current
        .init_liab_weight_bps
        .saturating_sub(current.maint_liab_weight_bps);
    let maint_asset = 10_000u32.saturating_sub(m_bps);
    let maint_liab = 10_000 + m_bps;
    BankConfig {
        maint_asset_weight_bps: maint_asset,
        init_asset_weight_bps: maint_asset.saturating_sub(asset_gap),
        maint_liab_weight_bps: maint_liab,
        init_liab_weight_bps: maint_liab + liab_gap,
        ..*current
    }
}

/// Probability of the protocol's bad debt above `tolerance_usd` over `paths` paths of `sample`, played **day by day**: `sample(path, out)` fills `days`
/// rows of `assets` cumulative price ratios (row `d` = the ratio after day `d + 1`). The
/// book is first played at today's prices (a tightening liquidates at once), then at each
/// day's prices, the state carried from one day to the next, so a tighter margin can act
/// before the move is over, as it does on chain.
#[allow(clippy::too_many_arguments)]
pub fn bad_debt_probability<F>(
    book: &Book,
    map: &AssetMap,
    assets: usize,
    days: usize,
    sample: &F,
    paths: usize,
    tolerance_usd: f64,
    cascade: &CascadeConfig,
) -> Result<f64, BookError>
where
    F: Fn(u64, &mut [f64]) + Sync,
{
    let hits: Result<Vec<bool>, BookError> = (0..paths as u64)
        .into_par_iter()
        .map(|path| {
            let mut ratios = vec![1.0; assets * days];
            sample(path, &mut ratios);
            let mut state = book.clone();
            let mut debt: std::collections::BTreeMap<u16, u64> = Default::default();
            let mut last_prices = book.prices.clone();
            for day in 0..=days {
                let r = if day == 0 {
                    vec![1.0; assets]
                } else {
                    ratios[(day - 1) * assets..day * assets].to_vec()
                };
                // Ratios are against today's book prices (kept as the state's base).
                let (out, finish) = run_to_finish(&state, shocked_prices(book, map, &r), cascade)?;
                for (t, d) in &out.bad_debt {
                    *debt.entry(*t).or_default() += d.debt;
                }
                last_prices = out.prices;
                let accounts: Vec<_> = (0..state.accounts.len())
                    .map(|i| *finish.account(&state, i))
                    .collect();
                let outages = std::mem::take(&mut state.outages);
                state = Book::new(
                    state.now,
                    finish.banks,
                    book.prices.clone(),
                    finish.insurance,
                    accounts,
                );
                state.outages = outages;
            }
            // Every bank's write-offs, in USD at the path's last prices.
            let risks = book.risks(&last_prices)?;
            let usd: f64 = debt
                .iter()
                .map(|(t, d)| *d as f64 * risks.get(t).map_or(0.0, |r| r.mid.to_f64() / 1e6))
                .sum();
            Ok(usd > tolerance_usd)
        })
        .collect();
    let hits = hits?;
    Ok(hits.iter().filter(|h| **h).count() as f64 / paths.max(1) as f64)
}

/// Advice for bank `token`; `progress()` is called after each candidate.
#[allow(clippy::too_many_arguments)]
pub fn advise_bank<F>(
    book: &Book,
    map: &AssetMap,
    assets: usize,
    days: usize,
    sample: &F,
    token: u16,
    config: &AdviceConfig,
    progress: &dyn Fn(),
) -> Result<Advice, BookError>
where
    F: Fn(u64, &mut [f64]) + Sync,
{
    let bank = book
        .banks
        .get(&token)
        .ok_or(BookError::UnknownBank(token))?;
    let current = bank.config().map_err(|e| BookError::Math(e.to_string()))?;
    let p_of = |b: &Book| {
        let r = bad_debt_probability(
            b,
            map,
            assets,
            days,
            sample,
            config.paths,
            config.tolerance_usd,
            &config.cascade,
        );
        progress();
        r
    };
    let p = |cfg: &BankConfig| -> Result<f64, BookError> {
        let mut b = book.clone();
        let now = b.now;
        let bank = b
            .banks
            .get_mut(&token)
            .ok_or(BookError::UnknownBank(token))?;
        bank.apply_config(cfg, now, None);
        p_of(&b)
    };
    // Today's book as it is (a maint ramp in progress stays where it is).
    let p_now = p_of(book)?;
    // A candidate the program would accept: a valid config, and liquidatable against every
    // other bank in both directions (`bank_edit` checks `LiquidationParams::pair_ok`).
    let valid = |m: u32| {
        let c = with_margin(&current, m);
        let params = LiquidationParams::new(&c.weights(), c.liquidation_fee_bps);
        let pairs = book
            .banks
            .iter()
            .filter(|(t, _)| **t != token)
            .all(|(_, other)| {
                LiquidationParams::pair_ok(&params, &other.liquidation_params_at(book.now))
            });
        (c.validate().is_ok() && pairs).then_some(c)
    };
    // The tightest margin the program accepts (the init liability weight is capped, so a
    // 90 % margin may not be), found in 1 % steps.
    let tightest = (1..=90u32)
        .rev()
        .map(|k| k * 100)
        .find(|m| valid(*m).is_some());
    let (mut lo, mut hi) = (100u32, tightest.unwrap_or(100));
    let mut best: Option<(BankConfig, f64)> = None;
    // The tightest margin first: if it misses, nothing does better.
    if let Some(c) = tightest.and_then(valid) {
        let ph = p(&c)?;
        if ph <= config.target {
            best = Some((c, ph));
            for _ in 0..config.steps {
                let mid = (lo + hi) / 2;
                let Some(c) = valid(mid) else {
                    lo = mid;
                    continue;
                };
                let pm = p(&c)?;
                if pm <= config.target {
                    hi = mid;
                    best = Some((c, pm));
                } else {
                    lo = mid;
                }
            }
        }
    }
    let current_weights = weights(&current);
    let proposed_weights = best.as_ref().map(|(c, _)| weights(c));
    let loosens = proposed_weights.is_some_and(|w| {
        w[0] > current_weights[0]
            || w[1] > current_weights[1]
            || w[2] < current_weights[2]
            || w[3] < current_weights[3]
    });
    Ok(Advice {
        token_index: token,
        p_now,
        p_proposed: best.as_ref().map(|(_, p)| *p),
        proposed: best.map(|(c, _)| c),
        current_weights,
        proposed_weights,
        loosens,
    })
}
