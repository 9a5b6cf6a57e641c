//! Stress tests: one named shock played out on the book twice, with the cascade's price
//! feedback off and on, so the part of the damage the cascade itself causes is visible.
//!
//! A shock is a price ratio per asset. It comes from a **historical window** (the ratio of
//! each asset's close at the window's end to its close at the start, from the price file:
//! Terra/LUNA and FTX are built in) or from the user (`SOL=-50%,ETH=-35%,USDC=0.88`: a
//! percentage is a move, a bare number is the new USD price).

use crate::book::{Book, BookError};
use crate::cascade::{run, CascadeConfig, Impact, Outcome};
use crate::simulate::{shocked_prices, AssetMap};
use serde::Serialize;
use std::collections::BTreeMap;

/// A historical stress window of the price file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub name: &'static str,
    pub from: &'static str,
    pub to: &'static str,
}

/// The crashes inside the bundled 2020–2022 closes.
pub const WINDOWS: [Window; 2] = [
    Window {
        name: "Terra/LUNA 2022-05",
        from: "2022-05-05",
        to: "2022-05-12",
    },
    Window {
        name: "FTX 2022-11",
        from: "2022-11-06",
        to: "2022-11-10",
    },
];

/// Why a shock could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShockError {
    /// Not `ASSET=MOVE`.
    Syntax(String),
    /// The asset is not a column of the price history.
    UnknownAsset(String),
    /// The move is not a number, a percentage below −100 %, or a price ≤ 0.
    BadMove(String),
}

impl std::fmt::Display for ShockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShockError::Syntax(s) => write!(
                f,
                "shock `{s}` is not ASSET=MOVE: write e.g. SOL=-50%,ETH=-35%,USDC=0.88 (a percentage moves the price, a bare number is the new USD price)"
            ),
            ShockError::UnknownAsset(a) => {
                write!(f, "shock names {a}, which the price history has no column for")
            }
            ShockError::BadMove(m) => write!(
                f,
                "shock move `{m}` must be a percentage above -100% (e.g. -35%) or a positive USD price (e.g. 0.88)"
            ),
        }
    }
}

impl std::error::Error for ShockError {}

/// Ratios for `assets` from `text`; `price(i)` is asset `i`'s current USD price (for a
/// move given as a new price). Assets not named keep ratio 1.
pub fn parse_shock(
    text: &str,
    assets: &[String],
    price: impl Fn(usize) -> f64,
) -> Result<Vec<f64>, ShockError> {
    let mut ratios = vec![1.0; assets.len()];
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| ShockError::Syntax(part.to_string()))?;
        let name = name.trim();
        let value = value.trim();
        let i = assets
            .iter()
            .position(|a| a.eq_ignore_ascii_case(name))
            .ok_or_else(|| ShockError::UnknownAsset(name.to_string()))?;
        let bad = || ShockError::BadMove(value.to_string());
        let ratio = if let Some(pct) = value.strip_suffix('%') {
            let pct: f64 = pct.trim().parse().map_err(|_| bad())?;
            if !pct.is_finite() || pct <= -100.0 {
                return Err(bad());
            }
            1.0 + pct / 100.0
        } else {
            let new: f64 = value.parse().map_err(|_| bad())?;
            let now = price(i);
            if !new.is_finite() || new <= 0.0 || now <= 0.0 {
                return Err(bad());
            }
            new / now
        };
        ratios[i] = ratio;
    }
    Ok(ratios)
}

/// Ratios for `n` assets when every asset not in `stable` falls by `shock` (a fraction).
pub fn uniform_shock(n: usize, stable: &[usize], shock: f64) -> Vec<f64> {
    (0..n)
        .map(|i| {
            if stable.contains(&i) {
                1.0
            } else {
                1.0 - shock
            }
        })
        .collect()
}

/// The indices of `assets` named in `stable` (case-insensitive).
pub fn stable_columns(assets: &[String], stable: &[String]) -> Vec<usize> {
    assets
        .iter()
        .enumerate()
        .filter(|(_, a)| stable.iter().any(|s| s.eq_ignore_ascii_case(a)))
        .map(|(i, _)| i)
        .collect()
}

/// What one stress did, without and with cascade feedback.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StressResult {
    pub name: String,
    /// `(asset, ratio)` of the shock.
    pub shock: Vec<(String, f64)>,
    pub without_feedback: StressOutcome,
    pub with_feedback: StressOutcome,
}

/// The parts of a cascade a stress table shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StressOutcome {
    pub rounds: u32,
    pub liquidations: u32,
    pub accounts_hit: u32,
    pub bankruptcies: u32,
    pub volume_usd: f64,
    pub bad_debt_usd: f64,
    /// Bad debt per bank (token index → USD at final prices).
    pub bad_debt_by_bank: BTreeMap<u16, f64>,
    /// Debt written off per bank, native units (comparable with and without feedback;
    /// the USD figures are at each run's own final prices).
    pub bad_debt_native: BTreeMap<u16, u64>,
    pub insured_native: BTreeMap<u16, u64>,
    pub socialised_native: BTreeMap<u16, u64>,
}

impl StressOutcome {
    pub fn from_outcome(book: &Book, o: &Outcome) -> Result<Self, BookError> {
        let risks = book.risks(&o.prices)?;
        let bad_debt_by_bank = o
            .bad_debt
            .iter()
            .map(|(b, d)| {
                let usd = risks.get(b).map_or(0.0, |r| r.mid.to_f64() / 1e6);
                (*b, d.debt as f64 * usd)
            })
            .collect();
        Ok(Self {
            rounds: o.rounds,
            liquidations: o.liquidations,
            accounts_hit: o.accounts_hit,
            bankruptcies: o.bankruptcies,
            volume_usd: o.volume_usd,
            bad_debt_usd: o.bad_debt_usd,
            bad_debt_by_bank,
            bad_debt_native: o.bad_debt.iter().map(|(b, d)| (*b, d.debt)).collect(),
            insured_native: o.bad_debt.iter().map(|(b, d)| (*b, d.insured)).collect(),
            socialised_native: o.bad_debt.iter().map(|(b, d)| (*b, d.socialised)).collect(),
        })
    }
}

/// Play `ratios` out on `book`: once with `config`'s impacts off, once with them on.
pub fn stress(
    book: &Book,
    map: &AssetMap,
    name: &str,
    assets: &[String],
    ratios: &[f64],
    config: &CascadeConfig,
) -> Result<StressResult, BookError> {
    let prices = shocked_prices(book, map, ratios);
    let off = CascadeConfig {
        impacts: config.impacts.keys().map(|k| (*k, Impact::Off)).collect(),
        ..config.clone()
    };
    let without = run(book, prices.clone(), &off)?;
    let with = run(book, prices, config)?;
    Ok(StressResult {
        name: name.to_string(),
        shock: assets.iter().cloned().zip(ratios.iter().copied()).collect(),
        without_feedback: StressOutcome::from_outcome(book, &without)?,
        with_feedback: StressOutcome::from_outcome(book, &with)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assets() -> Vec<String> {
        ["SOL", "ETH", "USDC"].map(String::from).to_vec()
    }

    #[test]
    fn shocks_read_moves_and_prices() {
        let r = parse_shock("SOL=-50%, eth=-35% ,USDC=0.88", &assets(), |i| {
            [100.0, 3000.0, 1.0][i]
        })
        .unwrap();
        assert_eq!(r, vec![0.5, 0.65, 0.88]);
        assert_eq!(parse_shock("", &assets(), |_| 1.0).unwrap(), vec![1.0; 3]);
    }

    #[test]
    fn bad_shocks_are_named() {
        let e = |s: &str| parse_shock(s, &assets(), |_| 1.0).unwrap_err();
        assert_eq!(e("SOL"), ShockError::Syntax("SOL".into()));
        assert_eq!(e("DOGE=-5%"), ShockError::UnknownAsset("DOGE".into()));
        assert_eq!(e("SOL=-100%"), ShockError::BadMove("-100%".into()));
        assert_eq!(e("SOL=abc"), ShockError::BadMove("abc".into()));
        assert_eq!(e("SOL=0"), ShockError::BadMove("0".into()));
        assert!(e("SOL").to_string().contains("SOL=-50%"));
    }
}
