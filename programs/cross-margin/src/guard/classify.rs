//! Which admin changes loosen risk, and by how much one applied change may loosen it.
//!
//! Every field of [`BankConfig`] and [`GroupSettings`] has a rule: the direction that
//! loosens it (higher, lower, or any change) and the largest loosening one applied change
//! may make. On a live group a change that only tightens applies at once (maint weights
//! ramp, see `guard::ramp`); a change with any loosening field is queued behind the group's
//! timelock and re-checked against these bounds when it is applied. The field lists are
//! built by exhaustive destructuring, so adding a config field without a rule does not
//! compile.

use crate::state::{BankConfig, GroupSettings};

/// Which way a field loosens risk.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Looser {
    Higher,
    Lower,
    /// Any change needs the timelock (oracle kind, liquidation fee, security admin).
    AnyChange,
}

/// The largest loosening one applied change may make.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Unbounded,
    /// By at most this many units (weights: basis points).
    By(u64),
    /// At most double (or halve, for fields that loosen downwards). A zero field may rise to 1.
    Double,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub name: &'static str,
    pub looser: Looser,
    pub step: Step,
}

/// How one field changed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Class {
    Unchanged,
    Tightening,
    Loosening,
}

/// Asset weights may rise, and liability weights fall, by 0.1 per applied change.
pub const WEIGHT_STEP_BPS: u64 = 1_000;

const fn rule(name: &'static str, looser: Looser, step: Step) -> Rule {
    Rule { name, looser, step }
}

use Looser::*;
use Step::*;

/// One rule per `BankConfig` field, in the order of [`bank_fields`].
pub const BANK_RULES: [Rule; 23] = [
    rule("oracle_kind", AnyChange, Unbounded),
    rule("max_staleness_secs", Higher, Double),
    rule("max_conf_bps", Higher, Double),
    rule("init_asset_weight_bps", Higher, By(WEIGHT_STEP_BPS)),
    rule("maint_asset_weight_bps", Higher, By(WEIGHT_STEP_BPS)),
    rule("maint_liab_weight_bps", Lower, By(WEIGHT_STEP_BPS)),
    rule("init_liab_weight_bps", Lower, By(WEIGHT_STEP_BPS)),
    // A lower rate, or a kink further right, charges borrowers less at every utilisation.
    rule("util0_bps", Higher, Unbounded),
    rule("rate0_bps", Lower, Unbounded),
    rule("util1_bps", Higher, Unbounded),
    rule("rate1_bps", Lower, Unbounded),
    rule("max_rate_bps", Lower, Unbounded),
    // Fees taken from users wait, so they can leave before paying more.
    rule("protocol_fee_bps", Higher, Unbounded),
    rule("loan_origination_fee_bps", Higher, Unbounded),
    // Lower weakens keepers' incentive; higher takes more from liquidated users.
    rule("liquidation_fee_bps", AnyChange, Unbounded),
    rule("liquidation_insurance_share_bps", Lower, Unbounded),
    rule("deposit_limit", Higher, Double),
    rule("borrow_limit", Higher, Double),
    rule("reduce_only", Lower, Unbounded),
    rule("stable_growth_bps", Higher, Double),
    rule("breaker_band_bps", Higher, Double),
    rule("net_outflow_limit_bps", Higher, Double),
    rule("outflow_window_secs", Lower, Double),
];

/// The fields of `c` as numbers, in the order of [`BANK_RULES`].
pub fn bank_fields(c: &BankConfig) -> [u64; 23] {
    let BankConfig {
        oracle_kind,
        max_staleness_secs,
        max_conf_bps,
        init_asset_weight_bps,
        maint_asset_weight_bps,
        maint_liab_weight_bps,
        init_liab_weight_bps,
        util0_bps,
        rate0_bps,
        util1_bps,
        rate1_bps,
        max_rate_bps,
        protocol_fee_bps,
        loan_origination_fee_bps,
        liquidation_fee_bps,
        liquidation_insurance_share_bps,
        deposit_limit,
        borrow_limit,
        reduce_only,
        stable_growth_bps,
        breaker_band_bps,
        net_outflow_limit_bps,
        outflow_window_secs,
    } = *c;
    [
        oracle_kind as u64,
        max_staleness_secs,
        max_conf_bps as u64,
        init_asset_weight_bps as u64,
        maint_asset_weight_bps as u64,
        maint_liab_weight_bps as u64,
        init_liab_weight_bps as u64,
        util0_bps as u64,
        rate0_bps as u64,
        util1_bps as u64,
        rate1_bps as u64,
        max_rate_bps as u64,
        protocol_fee_bps as u64,
        loan_origination_fee_bps as u64,
        liquidation_fee_bps as u64,
        liquidation_insurance_share_bps as u64,
        deposit_limit,
        borrow_limit,
        reduce_only as u64,
        stable_growth_bps as u64,
        breaker_band_bps as u64,
        net_outflow_limit_bps as u64,
        outflow_window_secs as u64,
    ]
}

/// One rule per `GroupSettings` field, in the order of [`group_fields`].
pub const GROUP_RULES: [Rule; 4] = [
    rule("security_admin", AnyChange, Unbounded),
    rule("timelock_secs", Lower, Unbounded),
    rule("maint_ramp_secs", Lower, Unbounded),
    // A longer pause lets a leaked security-admin key freeze withdrawals for longer.
    rule("pause_duration_secs", Higher, Unbounded),
];

/// The fields of `s` as numbers (the security admin as a change marker: old = 0, new = 1
/// when it differs), in the order of [`GROUP_RULES`].
pub fn group_fields(old: &GroupSettings, new: &GroupSettings) -> ([u64; 4], [u64; 4]) {
    let GroupSettings {
        security_admin,
        timelock_secs,
        maint_ramp_secs,
        pause_duration_secs,
    } = *new;
    let admin_changed = (security_admin != old.security_admin) as u64;
    (
        [
            0,
            old.timelock_secs as u64,
            old.maint_ramp_secs as u64,
            old.pause_duration_secs as u64,
        ],
        [
            admin_changed,
            timelock_secs as u64,
            maint_ramp_secs as u64,
            pause_duration_secs as u64,
        ],
    )
}

impl Rule {
    pub fn class(&self, old: u64, new: u64) -> Class {
        let looser = match self.looser {
            _ if old == new => return Class::Unchanged,
            Higher => new > old,
            Lower => new < old,
            AnyChange => true,
        };
        if looser {
            Class::Loosening
        } else {
            Class::Tightening
        }
    }

    /// Whether a loosening from `old` to `new` is within one step.
    pub fn within_step(&self, old: u64, new: u64) -> bool {
        if self.class(old, new) != Class::Loosening {
            return true;
        }
        match (self.step, self.looser) {
            (Unbounded, _) => true,
            (By(units), _) => old.abs_diff(new) <= units,
            // Halving at most: the new (lower) value is at least half the old one.
            (Double, Lower) => new.saturating_mul(2) >= old,
            (Double, _) => new <= old.saturating_mul(2).max(1),
        }
    }
}

/// The first field that loosens from `old` to `new`, if any.
pub fn first_loosening(rules: &[Rule], old: &[u64], new: &[u64]) -> Option<&'static str> {
    rules
        .iter()
        .zip(old.iter().zip(new))
        .find(|(r, (o, n))| r.class(**o, **n) == Class::Loosening)
        .map(|(r, _)| r.name)
}

/// The first field whose loosening exceeds its per-change step, if any.
pub fn first_oversized_step(rules: &[Rule], old: &[u64], new: &[u64]) -> Option<&'static str> {
    rules
        .iter()
        .zip(old.iter().zip(new))
        .find(|(r, (o, n))| !r.within_step(**o, **n))
        .map(|(r, _)| r.name)
}

#[cfg(test)]
mod tests;
