//! `BankConfig`: a bank's risk, fee, oracle and guardrail parameters as the admin passes
//! them (`bank_register`, `bank_edit`, the timelocked queue), their hard bounds and
//! consistency rules, and `LiquidationParams`, the part that decides whether two banks can
//! be liquidated against each other.

use super::oracle::OracleKind;
use crate::error::CrossMarginError;
use crate::health::Weights;
use crate::math::interest::{InterestCurve, BPS};
use anchor_lang::prelude::*;
/// Oracle staleness may be configured up to 15 minutes: Pyth publishes every ~400 ms, so a
/// price older than that is an outage, not latency.
pub const MAX_STALENESS_LIMIT_SECS: u64 = 900;
/// Oracle confidence may be configured up to 10 % of the price.
pub const MAX_CONF_LIMIT_BPS: u32 = 1_000;
/// `token_index` value that marks a free position slot; no bank may use it.
pub const RESERVED_TOKEN_INDEX: u16 = u16::MAX;
/// Liability weights may not exceed 10 (100,000 bps).
pub const MAX_LIAB_WEIGHT_BPS: u32 = 100_000;
/// Risk and fee parameters, as passed to `bank_register` and `bank_edit` (and queued by
/// `bank_queue_edit`). `*_bps` values are basis points (10,000 = 1). Weights must satisfy
/// `0 ≤ init_asset ≤ maint_asset ≤ 10,000 ≤ maint_liab ≤ init_liab ≤ MAX_LIAB_WEIGHT_BPS`.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct BankConfig {
    /// Oracle format; stored in `Bank.oracle_kind` as 0 = `PythLegacy`, 1 = `PythPull`.
    pub oracle_kind: OracleKind,
    /// Oracle prices older than this are stale (1 ..= `MAX_STALENESS_LIMIT_SECS`).
    pub max_staleness_secs: u64,
    /// Largest accepted confidence, bps of the price (1 ..= `MAX_CONF_LIMIT_BPS`).
    pub max_conf_bps: u32,
    /// Weight of deposits in init health (gates new risk).
    pub init_asset_weight_bps: u32,
    /// Weight of deposits in maint health (liquidation trigger).
    pub maint_asset_weight_bps: u32,
    /// Weight of borrows in maint health.
    pub maint_liab_weight_bps: u32,
    /// Weight of borrows in init health.
    pub init_liab_weight_bps: u32,
    /// Interest curve: utilisation of the first kink.
    pub util0_bps: u32,
    /// Interest curve: yearly borrow rate at `util0_bps`.
    pub rate0_bps: u32,
    /// Interest curve: utilisation of the second kink (> `util0_bps`).
    pub util1_bps: u32,
    /// Interest curve: yearly borrow rate at `util1_bps`.
    pub rate1_bps: u32,
    /// Interest curve: yearly borrow rate at 100 % utilisation.
    pub max_rate_bps: u32,
    /// Share of borrow interest kept by the protocol.
    pub protocol_fee_bps: u32,
    /// Charged on every new borrow, added to the debt.
    pub loan_origination_fee_bps: u32,
    /// Liquidator's discount on seized collateral (used by liquidation).
    pub liquidation_fee_bps: u32,
    /// Share of the liquidation fee paid into the insurance fund.
    pub liquidation_insurance_share_bps: u32,
    /// Max native deposits in the bank (`u64::MAX` = unlimited).
    pub deposit_limit: u64,
    /// Max native borrows from the bank (`u64::MAX` = unlimited).
    pub borrow_limit: u64,
    /// No new deposits or borrows (repaying and withdrawing still work); stored in
    /// `Bank.reduce_only` as 0 / 1.
    pub reduce_only: bool,
    /// How fast the stable price may follow the oracle, basis points per hour.
    pub stable_growth_bps: u32,
    /// The bank turns borrow-reduce-only while its oracle is further than this from its
    /// stable price (basis points of the stable price).
    pub breaker_band_bps: u32,
    /// Net withdrawals + borrows − deposits − repays per window, at most this share of the
    /// deposits at the window's start (basis points; 10,000 never binds).
    pub net_outflow_limit_bps: u32,
    /// Length of a net outflow window, seconds.
    pub outflow_window_secs: u32,
}

/// Hard bounds of the guardrail parameters (a config outside them is refused).
pub const STABLE_GROWTH_BPS_RANGE: core::ops::RangeInclusive<u32> = 1..=10_000;
pub const BREAKER_BAND_BPS_RANGE: core::ops::RangeInclusive<u32> = 100..=10_000;
/// At least 5 % of deposits may always leave per window, so a limit never freezes funds.
pub const NET_OUTFLOW_LIMIT_BPS_RANGE: core::ops::RangeInclusive<u32> = 500..=10_000;
pub const OUTFLOW_WINDOW_SECS_RANGE: core::ops::RangeInclusive<u32> = 60..=86_400;

impl BankConfig {
    /// A conservative starting point for a volatile token (weights 0.8 / 0.9 / 1.1 / 1.2,
    /// 5 % → 20 % → 100 % rate curve, 10 % protocol share, 2.5 % liquidation fee with 20 %
    /// of it to insurance, 60 s staleness, 2 % confidence, no deposit or borrow limits;
    /// stable price growth 6 %/h, breaker band 25 %, net outflow 25 % of deposits per
    /// hour). Tools and tests start from it and override what differs.
    pub const DEFAULT: BankConfig = BankConfig {
        oracle_kind: OracleKind::PythPull,
        max_staleness_secs: 60,
        max_conf_bps: 200,
        init_asset_weight_bps: 8_000,
        maint_asset_weight_bps: 9_000,
        maint_liab_weight_bps: 11_000,
        init_liab_weight_bps: 12_000,
        util0_bps: 5_000,
        rate0_bps: 500,
        util1_bps: 8_000,
        rate1_bps: 2_000,
        max_rate_bps: 10_000,
        protocol_fee_bps: 1_000,
        loan_origination_fee_bps: 0,
        liquidation_fee_bps: 250,
        liquidation_insurance_share_bps: 2_000,
        deposit_limit: u64::MAX,
        borrow_limit: u64::MAX,
        reduce_only: false,
        stable_growth_bps: 600,
        breaker_band_bps: 2_500,
        net_outflow_limit_bps: 2_500,
        outflow_window_secs: 3_600,
    };

    pub fn interest_curve(&self) -> InterestCurve {
        InterestCurve {
            util0_bps: self.util0_bps,
            rate0_bps: self.rate0_bps,
            util1_bps: self.util1_bps,
            rate1_bps: self.rate1_bps,
            max_rate_bps: self.max_rate_bps,
        }
    }

    /// Reject parameters that are inconsistent or unsafe (pure; unit-tested).
    pub fn validate(&self) -> Result<()> {
        let ordered = self.init_asset_weight_bps <= self.maint_asset_weight_bps
            && self.maint_asset_weight_bps <= BPS
            && BPS <= self.maint_liab_weight_bps
            && self.maint_liab_weight_bps <= self.init_liab_weight_bps
            && self.init_liab_weight_bps <= MAX_LIAB_WEIGHT_BPS;
        require!(ordered, CrossMarginError::InvalidWeights);
        require!(
            self.interest_curve().is_valid(),
            CrossMarginError::InvalidInterestCurve
        );
        require!(
            self.protocol_fee_bps <= BPS
                && self.loan_origination_fee_bps <= BPS / 10
                && self.liquidation_fee_bps <= BPS / 2
                && self.liquidation_insurance_share_bps <= BPS,
            CrossMarginError::InvalidFees
        );
        require!(
            (1..=MAX_STALENESS_LIMIT_SECS).contains(&self.max_staleness_secs)
                && (1..=MAX_CONF_LIMIT_BPS).contains(&self.max_conf_bps),
            CrossMarginError::InvalidOracleConfig
        );
        require!(
            STABLE_GROWTH_BPS_RANGE.contains(&self.stable_growth_bps)
                && BREAKER_BAND_BPS_RANGE.contains(&self.breaker_band_bps)
                && NET_OUTFLOW_LIMIT_BPS_RANGE.contains(&self.net_outflow_limit_bps)
                && OUTFLOW_WINDOW_SECS_RANGE.contains(&self.outflow_window_secs),
            CrossMarginError::InvalidGuardrailConfig
        );
        Ok(())
    }

    /// Whether this config lists a bank as collateral (any asset weight above zero).
    pub fn has_asset_weight(&self) -> bool {
        self.init_asset_weight_bps > 0 || self.maint_asset_weight_bps > 0
    }

    pub fn weights(&self) -> Weights {
        Weights {
            init_asset_bps: self.init_asset_weight_bps,
            maint_asset_bps: self.maint_asset_weight_bps,
            maint_liab_bps: self.maint_liab_weight_bps,
            init_liab_bps: self.init_liab_weight_bps,
        }
    }

    pub fn liquidation_params(&self) -> LiquidationParams {
        LiquidationParams::new(&self.weights(), self.liquidation_fee_bps)
    }
}

/// The parameters that decide whether a pair of banks can be liquidated.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LiquidationParams {
    pub init_asset_weight_bps: u32,
    pub maint_asset_weight_bps: u32,
    pub maint_liab_weight_bps: u32,
    pub init_liab_weight_bps: u32,
    pub liquidation_fee_bps: u32,
}

impl LiquidationParams {
    pub fn new(w: &Weights, liquidation_fee_bps: u32) -> Self {
        Self {
            init_asset_weight_bps: w.init_asset_bps,
            maint_asset_weight_bps: w.maint_asset_bps,
            maint_liab_weight_bps: w.maint_liab_bps,
            init_liab_weight_bps: w.init_liab_bps,
            liquidation_fee_bps,
        }
    }

    /// Whether a liquidation seizing a deposit of `asset` for a borrow of `liab` always
    /// works. With `f` the sum of both fees, a liquidator pays `P_l·x` of debt for
    /// `(1 + f)·P_l·x` of collateral, so the liquidatee's init health improves only if
    /// `(1 + f)·w_asset_init < w_liab_init` (strictly: at zero confidence the improvement
    /// factor `k` of `health::liquidation` must be positive), and its maint health does not
    /// fall only if `(1 + f)·w_asset_maint ≤ w_liab_maint`. Exact integer arithmetic.
    pub fn can_liquidate(asset: &Self, liab: &Self) -> bool {
        let one = BPS as u64;
        let fee = one + asset.liquidation_fee_bps as u64 + liab.liquidation_fee_bps as u64;
        let init_ok =
            fee * (asset.init_asset_weight_bps as u64) < one * (liab.init_liab_weight_bps as u64);
        let maint_ok = fee * (asset.maint_asset_weight_bps as u64)
            <= one * (liab.maint_liab_weight_bps as u64);
        init_ok && maint_ok
    }

    /// Both directions of a pair (each bank may be the asset or the liability).
    pub fn pair_ok(a: &Self, b: &Self) -> bool {
        Self::can_liquidate(a, b) && Self::can_liquidate(b, a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> BankConfig {
        BankConfig {
            loan_origination_fee_bps: 5,
            liquidation_fee_bps: 500,
            ..BankConfig::DEFAULT
        }
    }

    #[test]
    fn validation_catches_each_inconsistency() {
        assert!(sample().validate().is_ok());
        type Case = (fn(&mut BankConfig), CrossMarginError);
        let cases: [Case; 8] = [
            (
                |c| c.init_asset_weight_bps = 9_500,
                CrossMarginError::InvalidWeights,
            ),
            (
                |c| c.maint_asset_weight_bps = 10_001,
                CrossMarginError::InvalidWeights,
            ),
            (
                |c| c.maint_liab_weight_bps = 9_999,
                CrossMarginError::InvalidWeights,
            ),
            (
                |c| c.init_liab_weight_bps = 10_500,
                CrossMarginError::InvalidWeights,
            ),
            (
                |c| c.util1_bps = 4_000,
                CrossMarginError::InvalidInterestCurve,
            ),
            (
                |c| c.protocol_fee_bps = 10_001,
                CrossMarginError::InvalidFees,
            ),
            (
                |c| c.max_staleness_secs = 0,
                CrossMarginError::InvalidOracleConfig,
            ),
            (
                |c| c.max_conf_bps = 0,
                CrossMarginError::InvalidOracleConfig,
            ),
        ];
        for (mutate, expected) in cases {
            let mut c = sample();
            mutate(&mut c);
            assert_eq!(c.validate().unwrap_err(), expected.into());
        }
    }
}
