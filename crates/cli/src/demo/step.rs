//! What the demo records at each step of the crash, and facts derived from the steps
//! alone (the price gap), shared by the table, the summary, the JSON and the chart.

use super::losses::Resolution;

/// Bad debt in dollars, split by who bore it, as the program's bankruptcy resolution
/// leaves it on chain (see [`super::losses`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BadDebt {
    /// Debt written off: the bankrupt accounts' borrows.
    pub total: f64,
    /// Covered by the insurance fund: paid from the bank's insurance vault, or cancelled
    /// against the bank's uncollected protocol fees (which are owed to the fund).
    pub insured: f64,
    /// Absorbed by the bank's depositors through a lower deposit index.
    pub socialised: f64,
    /// Beyond everything depositors held above the index floor (the bank then takes no new
    /// deposits); 0 unless a bank is wiped out.
    pub unrecoverable: f64,
}

impl BadDebt {
    pub fn add(&mut self, other: &BadDebt) {
        self.total += other.total;
        self.insured += other.insured;
        self.socialised += other.socialised;
        self.unrecoverable += other.unrecoverable;
    }
}

/// One bankruptcy resolution by the keeper, and the prices it is valued at.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteOff {
    pub step: usize,
    pub token: &'static str,
    /// Dollars per token at that step.
    pub price: f64,
    pub decimals: u8,
    /// Native amounts, as measured on chain.
    pub resolution: Resolution,
}

impl WriteOff {
    /// `native` units of the token in dollars.
    pub fn usd(&self, native: u64) -> f64 {
        native as f64 * self.price / 10f64.powi(self.decimals as i32)
    }

    pub fn bad_debt(&self) -> BadDebt {
        let r = &self.resolution;
        BadDebt {
            total: self.usd(r.debt),
            insured: self.usd(r.insured()),
            socialised: self.usd(r.socialised),
            unrecoverable: self.usd(r.unrecoverable),
        }
    }
}

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
    /// Cumulative liquidations (perp ones included) and bankruptcies.
    pub liquidations: u64,
    /// Cumulative perp liquidations, single and pair (part of `liquidations`).
    pub perp_liquidations: u64,
    /// Cumulative hedged pair liquidations (part of `perp_liquidations`).
    pub pair_liquidations: u64,
    /// SOL-PERP's pool value after the step, dollars, as the program values it when it
    /// pays LPs out (`PerpMarket::pool_value`): vault − traders' unsettled profit + their
    /// unsettled losses.
    pub pool_value: f64,
    pub bankruptcies: u64,
    /// Insurance vaults' value after the step, dollars.
    pub insurance: f64,
    /// Cumulative bad debt written off, dollars (each write-off valued at the prices of
    /// its step).
    pub bad_debt: BadDebt,
    /// Borrowers still liquidatable after the keeper ran (should be 0).
    pub left_unhealthy: usize,
    /// Banks whose breaker is tripped after the step (oracle outside the band around the
    /// stable price: borrow-reduce-only).
    pub tripped: Vec<&'static str>,
    /// What the breakers did this step: `SOL trips (oracle -55.0% off stable)`,
    /// `SOL clears`, or the banks still tripped.
    pub breakers: String,
}

/// SOL's largest one-step fall, if it is a gap (10 % or more): the index in `steps` it
/// lands on, the price before and the price after.
pub fn price_gap(steps: &[Step]) -> Option<(usize, f64, f64)> {
    steps
        .windows(2)
        .enumerate()
        .map(|(i, w)| (i + 1, w[0].sol, w[1].sol))
        .filter(|(_, before, after)| *before > 0.0 && (before - after) / before >= 0.10)
        .max_by(|a, b| {
            let fall = |(_, before, after): &(usize, f64, f64)| (before - after) / before;
            fall(a).total_cmp(&fall(b))
        })
}
