//! Margin calls: the accounts close to liquidation, so a front end can warn their owners
//! before a keeper liquidates them, not after.
//!
//! **The measure.** For an account whose health cache is `cache` (the one the tick already
//! built, `GroupSnapshot::liquidation_cache`: the program's own engine at oracle prices):
//!
//! ```text
//! maint_assets = Σ over token deposits of their maint-weighted value
//!                (HealthToken::weighted, the valuation HealthCache::health sums)
//! ratio        = maint_health / maint_assets
//! ```
//!
//! `ratio` is the fraction of its deposits' maint-weighted value the account can lose
//! before its maint health reaches zero (liabilities and perp positions unchanged): a
//! `ratio` of 0.08 means an 8 % fall in its collateral's value would make it liquidatable.
//! Hedged spot balances count at their full value (the hedge is ignored), so a hedged
//! account looks more urgent than it is, never less.
//!
//! **The rule.** An account is *on margin call* when all of these hold:
//! - it is not liquidatable (`MarginAccount::is_liquidatable`, the program's rule: maint
//!   health ≥ 0, and init health ≥ 0 too while a liquidation is in progress);
//! - it owes something or carries perp exposure (`HealthCache::has_liabilities`: without
//!   either no price move can liquidate it);
//! - it has deposits (`maint_assets > 0`);
//! - `ratio ≤ fraction` (`--margin-call-fraction`, default 0.1), compared exactly:
//!   `maint_health × 10⁶ ≤ maint_assets × fraction_ppm`.
//!
//! **The watchlist.** The keeper keeps the verdict of each account from the last time it
//! evaluated it (each tick re-evaluates only the accounts whose inputs moved, and every
//! account on a full scan), so the list costs no RPC beyond the tick's own. It is sorted most
//! urgent first (lowest ratio, ties by address), bounded by `--margin-call-max`, and
//! published with the tick's number and cluster time in the tick report, the `/metrics`
//! gauges and the `/margin-calls` JSON endpoint ([`Watchlist::to_json`]).

use anchor_lang::prelude::Pubkey;
use cross_margin::health::HealthCache;
use cross_margin::math::I80F48;
use cross_margin::state::{MarginAccount, QUOTE_DECIMALS};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

#[cfg(test)]
mod tests;

/// Parts per million in one.
const PPM: u32 = 1_000_000;

/// A fraction in [0, 1], held exactly in parts per million (at most 6 decimal places).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fraction {
    ppm: u32,
}

impl Fraction {
    /// The keeper's default margin-call threshold: 0.1 (within 10 % of liquidation).
    pub const DEFAULT: Fraction = Fraction { ppm: 100_000 };

    /// `ppm / 10⁶`; `None` above 1.
    pub fn from_ppm(ppm: u32) -> Option<Self> {
        (ppm <= PPM).then_some(Self { ppm })
    }

    pub fn ppm(self) -> u32 {
        self.ppm
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.ppm) / f64::from(PPM)
    }
}

impl Default for Fraction {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.ppm / PPM, self.ppm % PPM);
        if frac == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{frac:06}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

impl FromStr for Fraction {
    type Err = String;

    /// A decimal between 0 and 1 with at most 6 decimal places: `0.1`, `.05`, `1`.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = |why: &str| {
            format!("invalid fraction {s:?}: {why} (write a decimal between 0 and 1 with at most 6 decimal places, e.g. 0.1 for 10 %)")
        };
        let t = s.trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty() && frac.is_empty() {
            return Err(bad("empty"));
        }
        if !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return Err(bad("only digits and one decimal point are allowed"));
        }
        if frac.len() > 6 {
            return Err(bad("more than 6 decimal places"));
        }
        let whole: u32 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad("greater than 1"))?
        };
        let frac_ppm: u32 = if frac.is_empty() {
            0
        } else {
            // At most 6 digits: fits, and scales to parts per million.
            frac.parse::<u32>().map_err(|_| bad("not a number"))? * 10u32.pow(6 - frac.len() as u32)
        };
        whole
            .checked_mul(PPM)
            .and_then(|w| w.checked_add(frac_ppm))
            .and_then(Fraction::from_ppm)
            .ok_or_else(|| bad("greater than 1"))
    }
}

/// One account on margin call. Amounts in quote-native units (USD × 10⁶), as the engine
/// computes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarginCall {
    pub account: Pubkey,
    pub owner: Pubkey,
    /// The owner's account number (part of the account's address seeds).
    pub account_num: u32,
    pub maint_health: I80F48,
    /// At oracle prices, as liquidations see it (a negative value: the account cannot add
    /// risk).
    pub init_health: I80F48,
    /// The deposits' maint-weighted value (see the module docs).
    pub maint_assets: I80F48,
    /// `maint_health / maint_assets`, rounded toward zero.
    pub ratio: I80F48,
}

/// The deposits' maint-weighted value: the maint part of `HealthToken::weighted` summed over
/// positive balances. `None` on overflow.
pub fn maint_assets(cache: &HealthCache) -> Option<I80F48> {
    cache
        .tokens()
        .filter(|t| t.balance > I80F48::ZERO)
        .try_fold(I80F48::ZERO, |sum, t| sum.checked_add(t.weighted().ok()?.1))
}

/// The margin call of `account` (at `key`, health cache `cache`) under `fraction`, or `None`
/// when it is not on margin call (the rule in the module docs) or its health cannot be
/// computed.
pub fn assess(
    key: Pubkey,
    account: &MarginAccount,
    cache: &HealthCache,
    fraction: Fraction,
) -> Option<MarginCall> {
    let health = cache.health().ok()?;
    if account.is_liquidatable(&health) || health.maint < I80F48::ZERO {
        return None;
    }
    if !cache.has_liabilities() {
        return None;
    }
    let assets = maint_assets(cache)?;
    if assets <= I80F48::ZERO {
        return None;
    }
    let ratio = health.maint.checked_div(assets)?;
    let within = match (
        health.maint.checked_mul_int(i128::from(PPM)),
        assets.checked_mul_int(i128::from(fraction.ppm)),
    ) {
        (Some(lhs), Some(rhs)) => lhs <= rhs,
        // Beyond ~6 × 10¹¹ USD the exact products overflow: compare the rounded ratio.
        _ => ratio <= I80F48::from_num(fraction.ppm) / I80F48::from_num(PPM),
    };
    within.then_some(MarginCall {
        account: key,
        owner: account.owner,
        account_num: account.account_num,
        maint_health: health.maint,
        init_health: health.init,
        maint_assets: assets,
        ratio,
    })
}

/// The accounts on margin call, most urgent first, and when they were assessed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Watchlist {
    /// The keeper tick that produced it (1 for the first).
    pub tick: u64,
    /// The cluster's clock (unix seconds) at that tick's snapshot.
    pub unix_time: i64,
    pub fraction: Fraction,
    /// Every account on margin call, including those past the bound.
    pub count: usize,
    /// The smallest ratio among all of them (`None` when there are none).
    pub min_ratio: Option<I80F48>,
    /// At most `--margin-call-max` of them: lowest ratio first, ties by address.
    pub accounts: Vec<MarginCall>,
}

/// Sort most urgent first (lowest ratio, ties by address) and keep the first `max`.
pub fn rank(mut calls: Vec<MarginCall>, max: usize) -> Vec<MarginCall> {
    calls.sort_by_key(|c| (c.ratio, c.account));
    calls.truncate(max);
    calls
}

/// Every account's margin call as of its last evaluation.
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    calls: BTreeMap<Pubkey, MarginCall>,
}

impl Tracker {
    /// Record the verdict on `key` just evaluated (`cache: None`: its health cannot be
    /// computed, so it is dropped from the list).
    pub fn observe(
        &mut self,
        key: Pubkey,
        account: &MarginAccount,
        cache: Option<&HealthCache>,
        fraction: Fraction,
    ) {
        match cache.and_then(|c| assess(key, account, c, fraction)) {
            Some(call) => {
                self.calls.insert(key, call);
            }
            None => {
                self.calls.remove(&key);
            }
        }
    }

    /// Forget every account for which `keep` is false (closed accounts after a full scan).
    pub fn retain(&mut self, mut keep: impl FnMut(&Pubkey) -> bool) {
        self.calls.retain(|k, _| keep(k));
    }

    /// The watchlist now, bounded by `max`.
    pub fn watchlist(
        &self,
        tick: u64,
        unix_time: i64,
        fraction: Fraction,
        max: usize,
    ) -> Watchlist {
        Watchlist {
            tick,
            unix_time,
            fraction,
            count: self.calls.len(),
            min_ratio: self.calls.values().map(|c| c.ratio).min(),
            accounts: rank(self.calls.values().cloned().collect(), max),
        }
    }
}

/// Quote-native units to USD.
fn usd(x: I80F48) -> f64 {
    x.to_num::<f64>() / 10f64.powi(i32::from(QUOTE_DECIMALS))
}

/// One entry of the `/margin-calls` JSON.
#[derive(serde::Serialize)]
struct JsonCall {
    account: String,
    owner: String,
    account_num: u32,
    maint_health: f64,
    init_health: f64,
    maint_assets: f64,
    ratio: f64,
}

/// The `/margin-calls` JSON document.
#[derive(serde::Serialize)]
struct JsonWatchlist {
    tick: u64,
    unix_time: i64,
    fraction: f64,
    count: usize,
    truncated: bool,
    accounts: Vec<JsonCall>,
}

impl Watchlist {
    /// The document `/margin-calls` serves (amounts in USD, addresses in base58):
    ///
    /// ```json
    /// {"tick": 12, "unix_time": 1765155600, "fraction": 0.1, "count": 2, "truncated": false,
    ///  "accounts": [{"account": "…", "owner": "…", "account_num": 0, "maint_health": 27.0,
    ///                "init_health": -45.0, "maint_assets": 720.0, "ratio": 0.0375}, …]}
    /// ```
    ///
    /// `count` counts every account on margin call, `accounts` lists at most
    /// `--margin-call-max` of them (`truncated` says some were left off).
    pub fn to_json(&self) -> String {
        let doc = JsonWatchlist {
            tick: self.tick,
            unix_time: self.unix_time,
            fraction: self.fraction.as_f64(),
            count: self.count,
            truncated: self.count > self.accounts.len(),
            accounts: self
                .accounts
                .iter()
                .map(|c| JsonCall {
                    account: c.account.to_string(),
                    owner: c.owner.to_string(),
                    account_num: c.account_num,
                    maint_health: usd(c.maint_health),
                    init_health: usd(c.init_health),
                    maint_assets: usd(c.maint_assets),
                    ratio: c.ratio.to_num::<f64>(),
                })
                .collect(),
        };
        // Plain strings and finite numbers: serialising cannot fail.
        serde_json::to_string(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The Prometheus lines of the margin-call gauges.
    pub fn render_metrics(list: Option<&Watchlist>, out: &mut String) {
        let count = list.map_or(0, |l| l.count);
        out.push_str(
            "# HELP keeper_margin_call_accounts Accounts on margin call in the last tick (not liquidatable, maint health within --margin-call-fraction of maint-weighted deposits)\n\
             # TYPE keeper_margin_call_accounts gauge\n",
        );
        out.push_str(&format!("keeper_margin_call_accounts {count}\n"));
        out.push_str(
            "# HELP keeper_margin_call_min_ratio Smallest maint health / maint-weighted deposits among accounts on margin call (no sample when none)\n\
             # TYPE keeper_margin_call_min_ratio gauge\n",
        );
        if let Some(r) = list.and_then(|l| l.min_ratio) {
            out.push_str(&format!(
                "keeper_margin_call_min_ratio {}\n",
                r.to_num::<f64>()
            ));
        }
    }
}
