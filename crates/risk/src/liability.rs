//! The depositors' view of cross margin: who guarantees whom.
//!
//! In a cross-margin group every depositor is an indirect guarantor of every borrower of
//! their bank: a loss the borrower's collateral and the insurance fund cannot cover is
//! socialised by lowering the bank's deposit index. This module measures that exposure
//! per bank at uniform shocks of the volatile assets (every asset not listed as stable
//! falls by the shock, the cascade plays out with its price feedback), and names the
//! accounts whose failures make it up.

use crate::book::{Book, BookError};
use crate::cascade::{run, CascadeConfig};
use crate::simulate::{shocked_prices, AssetMap};
use serde::Serialize;
use std::collections::BTreeMap;

/// The shocks the view is taken at (fractions the volatile assets fall by).
pub const SHOCKS: [f64; 4] = [0.10, 0.20, 0.30, 0.50];

/// One bank at one shock.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShockLoss {
    pub shock: f64,
    /// Debt written off in this bank, USD at the shocked prices.
    pub bad_debt_usd: f64,
    pub insured_usd: f64,
    /// What the bank's depositors lose (a lower deposit index), USD, and as a share of
    /// the bank's deposits.
    pub socialised_usd: f64,
    pub socialised_share: f64,
    /// Insurance fund ÷ bad debt (∞ shown as `None` when there is no bad debt).
    pub coverage: Option<f64>,
}

/// An account's share of a bank's bad debt at the largest shock.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contributor {
    pub index: usize,
    pub owner: String,
    pub account_num: u32,
    pub bad_debt_usd: f64,
}

/// One bank's shared liability.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BankLiability {
    pub token_index: u16,
    pub label: String,
    pub deposits_usd: f64,
    pub borrows_usd: f64,
    pub insurance_usd: f64,
    pub shocks: Vec<ShockLoss>,
    /// The accounts contributing most to the bad debt at the largest shock.
    pub contributors: Vec<Contributor>,
}

/// The view for every bank. `stable` lists the model asset columns that do not fall;
/// `owners[i]` names account `i`; `top` contributors are kept per bank.
#[allow(clippy::too_many_arguments)]
pub fn shared_liability(
    book: &Book,
    map: &AssetMap,
    assets: &[String],
    stable: &[usize],
    labels: &BTreeMap<u16, String>,
    config: &CascadeConfig,
    owners: &[(String, u32)],
    top: usize,
) -> Result<Vec<BankLiability>, BookError> {
    let risks = book.risks(&book.prices)?;
    let mut out: Vec<BankLiability> = Vec::new();
    for (&token, bank) in &book.banks {
        let usd = risks.get(&token).map_or(0.0, |r| r.mid.to_f64() / 1e6);
        let (deposits, borrows) = bank
            .native_totals()
            .map_err(|e| BookError::Math(e.to_string()))?;
        out.push(BankLiability {
            token_index: token,
            label: labels
                .get(&token)
                .cloned()
                .unwrap_or_else(|| format!("token {token}")),
            deposits_usd: deposits.to_num::<f64>() * usd,
            borrows_usd: borrows.to_num::<f64>() * usd,
            insurance_usd: book.insurance.get(&token).copied().unwrap_or(0) as f64 * usd,
            shocks: Vec::new(),
            contributors: Vec::new(),
        });
    }
    for (k, &shock) in SHOCKS.iter().enumerate() {
        let ratios = crate::stress::uniform_shock(assets.len(), stable, shock);
        let prices = shocked_prices(book, map, &ratios);
        let outcome = run(book, prices, config)?;
        let risks = book.risks(&outcome.prices)?;
        for b in out.iter_mut() {
            let usd = risks
                .get(&b.token_index)
                .map_or(0.0, |r| r.mid.to_f64() / 1e6);
            let d = outcome
                .bad_debt
                .get(&b.token_index)
                .copied()
                .unwrap_or_default();
            let bad = d.debt as f64 * usd;
            let socialised = d.socialised as f64 * usd;
            b.shocks.push(ShockLoss {
                shock,
                bad_debt_usd: bad,
                insured_usd: d.insured as f64 * usd,
                socialised_usd: socialised,
                socialised_share: if b.deposits_usd > 0.0 {
                    socialised / b.deposits_usd
                } else {
                    0.0
                },
                coverage: (bad > 0.0).then(|| b.insurance_usd / bad),
            });
            if k + 1 == SHOCKS.len() {
                let mut by_account: BTreeMap<usize, f64> = BTreeMap::new();
                for &(i, token, debt) in &outcome.write_offs {
                    if token == b.token_index {
                        *by_account.entry(i).or_default() += debt as f64 * usd;
                    }
                }
                let mut c: Vec<Contributor> = by_account
                    .into_iter()
                    .map(|(index, bad_debt_usd)| {
                        let (owner, account_num) = owners.get(index).cloned().unwrap_or_default();
                        Contributor {
                            index,
                            owner,
                            account_num,
                            bad_debt_usd,
                        }
                    })
                    .collect();
                c.sort_by(|x, y| y.bad_debt_usd.total_cmp(&x.bad_debt_usd));
                c.truncate(top);
                b.contributors = c;
            }
        }
    }
    Ok(out)
}
