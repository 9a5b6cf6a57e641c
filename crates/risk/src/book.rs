//! A group's book as the risk engine holds it: the program's own `Bank` and
//! `MarginAccount` values (decoded from a cluster or built synthetically), a validated
//! oracle price per bank and each bank's insurance fund.
//!
//! Health is computed exactly as `token_liquidate` computes it: every bank's
//! `TokenRisk` at the liquidation view (`InitPrices::Oracle`: liquidations follow the
//! market, not the stable price), pushed into the program's `HealthCache` per account.
//! Only token positions are modelled for now; an account with an open perp position is
//! counted in [`Book::skipped_perp_accounts`] and left out of cascades rather than valued
//! without its perps.

use cross_margin::health::{HealthCache, InitPrices, OraclePrice, TokenRisk};
use cross_margin::state::{Bank, MarginAccount};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Why a book cannot be valued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BookError {
    /// An account holds a position in a bank the book does not have.
    UnknownBank(u16),
    /// A bank has no price.
    NoPrice(u16),
    /// The program's maths refused the inputs (an overflow or an invalid price).
    Math(String),
}

impl fmt::Display for BookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BookError::UnknownBank(i) => {
                write!(
                    f,
                    "an account holds token {i}, which no bank of the book lists"
                )
            }
            BookError::NoPrice(i) => write!(f, "bank {i} has no price in the book"),
            BookError::Math(e) => write!(f, "the program's health maths refused the book: {e}"),
        }
    }
}

impl std::error::Error for BookError {}

/// Banks, prices, insurance funds and accounts of one group at one moment.
#[derive(Clone)]
pub struct Book {
    /// Unix time the book is valued at (interest indices are brought up to it).
    pub now: i64,
    pub banks: BTreeMap<u16, Bank>,
    pub prices: BTreeMap<u16, OraclePrice>,
    /// Native units in each bank's insurance vault.
    pub insurance: BTreeMap<u16, u64>,
    pub accounts: Vec<MarginAccount>,
    /// Accounts left out because they hold perp positions (not modelled yet).
    pub skipped_perp_accounts: usize,
    /// Banks whose oracle was invalid at the snapshot: priced at the program's outage price
    /// and not live, so no liquidation seizes or takes them (`token_liquidate` refuses it
    /// with `OracleStale`, the keeper skips them) while they still count in health.
    pub outages: BTreeSet<u16>,
}

impl Book {
    /// A book of `banks` at `prices`; accounts with perp positions are set aside.
    pub fn new(
        now: i64,
        banks: BTreeMap<u16, Bank>,
        prices: BTreeMap<u16, OraclePrice>,
        insurance: BTreeMap<u16, u64>,
        accounts: impl IntoIterator<Item = MarginAccount>,
    ) -> Self {
        let (accounts, perps): (Vec<_>, Vec<_>) = accounts
            .into_iter()
            .partition(|a| a.active_perps().next().is_none());
        Self {
            now,
            banks,
            prices,
            insurance,
            accounts,
            skipped_perp_accounts: perps.len(),
            outages: BTreeSet::new(),
        }
    }

    /// Every bank's health inputs at `prices` (liquidation view).
    pub fn risks(
        &self,
        prices: &BTreeMap<u16, OraclePrice>,
    ) -> Result<BTreeMap<u16, TokenRisk>, BookError> {
        risks_with(&self.banks, prices, self.now, &self.outages)
    }
}

/// Every one of `banks`' health inputs at `prices` and `now`, as `token_liquidate` builds
/// them (`Bank::token_risk_at` with `InitPrices::Oracle`).
pub fn risks(
    banks: &BTreeMap<u16, Bank>,
    prices: &BTreeMap<u16, OraclePrice>,
    now: i64,
) -> Result<BTreeMap<u16, TokenRisk>, BookError> {
    risks_with(banks, prices, now, &BTreeSet::new())
}

/// [`risks`], with the banks in `outages` not live (valued, never transferred).
pub fn risks_with(
    banks: &BTreeMap<u16, Bank>,
    prices: &BTreeMap<u16, OraclePrice>,
    now: i64,
    outages: &BTreeSet<u16>,
) -> Result<BTreeMap<u16, TokenRisk>, BookError> {
    banks
        .iter()
        .map(|(&index, bank)| {
            let price = prices.get(&index).ok_or(BookError::NoPrice(index))?;
            let mut risk = bank
                .token_risk_at(price, now, InitPrices::Oracle)
                .map_err(|e| BookError::Math(e.to_string()))?;
            risk.live = !outages.contains(&index);
            Ok((index, risk))
        })
        .collect()
}

/// `account`'s health cache with every bank at `risks`.
pub fn cache(
    account: &MarginAccount,
    risks: &BTreeMap<u16, TokenRisk>,
) -> Result<HealthCache, BookError> {
    let mut cache = HealthCache::default();
    for (_, p) in account.active_positions() {
        let risk = risks
            .get(&p.token_index)
            .ok_or(BookError::UnknownBank(p.token_index))?;
        cache
            .push(*risk, p.indexed.get())
            .map_err(|e| BookError::Math(e.to_string()))?;
    }
    Ok(cache)
}

/// `price` scaled by `factor` (a path's price ratio), as an oracle reading with the same
/// exponent and relative confidence; at least one unit of the mantissa.
pub fn scaled(price: &OraclePrice, factor: f64) -> OraclePrice {
    let factor = if factor.is_finite() {
        factor.max(0.0)
    } else {
        1.0
    };
    let mantissa = ((price.price as f64) * factor).round().max(1.0);
    let mantissa = if mantissa >= i64::MAX as f64 {
        i64::MAX
    } else {
        mantissa as i64
    };
    let conf = if price.price > 0 {
        ((price.conf as f64) * mantissa as f64 / price.price as f64).round() as u64
    } else {
        0
    };
    OraclePrice {
        price: mantissa,
        conf,
        ..*price
    }
}
