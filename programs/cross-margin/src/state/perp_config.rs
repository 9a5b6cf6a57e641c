//! `PerpConfig`: a perp market's risk, fee, funding and pool parameters as the admin passes
//! them (`perp_market_register`, `perp_market_edit`), with their bounds and consistency
//! rules. Kept apart from the account so the rules are unit-tested as plain values.

use super::bank_config::{
    BREAKER_BAND_BPS_RANGE, MAX_CONF_LIMIT_BPS, MAX_LIAB_WEIGHT_BPS, MAX_STALENESS_LIMIT_SECS,
    STABLE_GROWTH_BPS_RANGE,
};
use super::oracle::OracleKind;
use crate::error::CrossMarginError;
use crate::health::perp::HedgeWeights;
use crate::health::Weights;
use crate::math::interest::BPS;
use anchor_lang::prelude::*;

/// Settle windows last between a minute and a day.
pub const SETTLE_WINDOW_SECS_RANGE: core::ops::RangeInclusive<u32> = 60..=86_400;
/// Funding may be at most 1 % of notional per hour (≈ 88 %/year), whatever the skew.
pub const MAX_FUNDING_RATE_LIMIT_BPS: u32 = 100;

/// A perp market's parameters. `*_bps` are basis points (10,000 = 1). Base amounts are the
/// base asset's native units (`10^base_decimals` per whole unit).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PerpConfig {
    /// Oracle format of the base asset's price (USD per whole base unit).
    pub oracle_kind: OracleKind,
    /// Oracle prices older than this are stale (1 ..= 900).
    pub max_staleness_secs: u64,
    /// Largest accepted confidence, bps of the price (1 ..= 1,000).
    pub max_conf_bps: u32,
    /// Base exposure weights, as a bank's: a long weighs like a deposit (asset weights), a
    /// short like a borrow (liability weights).
    pub init_asset_weight_bps: u32,
    pub maint_asset_weight_bps: u32,
    pub maint_liab_weight_bps: u32,
    pub init_liab_weight_bps: u32,
    /// Weight of unsettled profit in init health (0 = cannot be borrowed or withdrawn
    /// against until settled); maint health counts it fully. ≤ 10,000.
    pub init_pnl_weight_bps: u32,
    /// Init and maint charge on the overlap of a spot balance and this perp on the same
    /// oracle that hedge each other, bps of the overlap's notional (`HedgeWeights`).
    pub hedge_init_bps: u32,
    pub hedge_maint_bps: u32,
    /// Trading fee, bps of notional, paid to the pool through the execution price.
    pub trading_fee_bps: u32,
    /// Price impact at a trade as large as `max_open_interest`, bps; linear in the size.
    pub impact_bps: u32,
    /// Liquidation closes positions against the pool at oracle ∓ this, bps.
    pub liquidation_fee_bps: u32,
    /// Fee of a hedged pair liquidation (`perp_liquidate_pair`: the perp leg closed against
    /// the pool and the spot leg it hedges sold to the liquidator together), bps of the
    /// pair's notional, charged once on the perp leg. Below `hedge_maint_bps`, so closing a
    /// hedged pair always raises maint health; at most `liquidation_fee_bps`.
    pub pair_liquidation_fee_bps: u32,
    /// Share of the liquidation fee kept by the pool (the market's insurance), bps; the
    /// rest is credited to the liquidator.
    pub liquidation_insurance_share_bps: u32,
    /// Open interest cap per side, base native units.
    pub max_open_interest: u64,
    /// Funding rate per hour at full skew, bps of notional.
    pub funding_skew_scale_bps: u32,
    /// Funding rate clamp per hour, bps of notional (≤ `MAX_FUNDING_RATE_LIMIT_BPS`).
    pub max_funding_rate_bps: u32,
    /// The pool keeps at least this share of its net open interest notional: LP
    /// withdrawals and trades that add net exposure beyond it are refused.
    pub pool_reserve_bps: u32,
    /// Positive PnL settled per window, at most this share of the pool's value.
    pub settle_limit_bps: u32,
    /// Length of a settle window, seconds.
    pub settle_window_secs: u32,
    /// Auto-deleveraging (`perp_auto_deleverage`) starts when traders' net unsettled PnL
    /// exceeds this share of the pool's vault (1–9,999 bps).
    pub adl_threshold_bps: u32,
    /// Stable price growth limit, bps per hour (as a bank's).
    pub stable_growth_bps: u32,
    /// Trades that add exposure are refused while the oracle is further than this from
    /// the stable price (bps of the stable price).
    pub breaker_band_bps: u32,
    /// No trade may increase a position (reducing, liquidation and settling still work).
    pub reduce_only: bool,
}

impl PerpConfig {
    /// A conservative starting point for a major (SOL-like) market: weights 0.9 / 0.95 /
    /// 1.05 / 1.1, hedges 2 % init / 1 % maint, unsettled profit not borrowable, 0.1 % fee,
    /// 1 % impact at the OI cap, 2 % liquidation fee (0.5 % for a hedged pair) with 20 % to
    /// the pool, funding 0.1 %/h
    /// at full skew clamped at 0.05 %/h, 20 % pool reserve, 10 % of the pool settled per
    /// hour, ADL above 50 % of the vault.
    pub const DEFAULT: PerpConfig = PerpConfig {
        oracle_kind: OracleKind::PythPull,
        max_staleness_secs: 60,
        max_conf_bps: 200,
        init_asset_weight_bps: 9_000,
        maint_asset_weight_bps: 9_500,
        maint_liab_weight_bps: 10_500,
        init_liab_weight_bps: 11_000,
        init_pnl_weight_bps: 0,
        hedge_init_bps: 200,
        hedge_maint_bps: 100,
        trading_fee_bps: 10,
        impact_bps: 100,
        liquidation_fee_bps: 200,
        pair_liquidation_fee_bps: 50,
        liquidation_insurance_share_bps: 2_000,
        max_open_interest: u64::MAX,
        funding_skew_scale_bps: 10,
        max_funding_rate_bps: 5,
        pool_reserve_bps: 2_000,
        settle_limit_bps: 1_000,
        settle_window_secs: 3_600,
        adl_threshold_bps: 5_000,
        stable_growth_bps: 600,
        breaker_band_bps: 2_500,
        reduce_only: false,
    };

    pub fn weights(&self) -> Weights {
        Weights {
            init_asset_bps: self.init_asset_weight_bps,
            maint_asset_bps: self.maint_asset_weight_bps,
            maint_liab_bps: self.maint_liab_weight_bps,
            init_liab_bps: self.init_liab_weight_bps,
        }
    }

    pub fn hedge(&self) -> HedgeWeights {
        HedgeWeights {
            init_bps: self.hedge_init_bps,
            maint_bps: self.hedge_maint_bps,
        }
    }

    /// Reject inconsistent or unsafe parameters (pure).
    ///
    /// Besides bounds: the liquidation fee must stay below the margin of both sides
    /// (`fee < 1 − init asset weight` and `fee < init liab weight − 1`), so closing any
    /// part of an unhedged position at oracle ∓ fee raises init health; and the hedge
    /// weights must be valid against this market's own weights (`HedgeWeights::valid_for`
    /// with the perp on both sides: the pairing with a bank is checked again where it is
    /// formed, in health, by falling back to no netting).
    pub fn validate(&self) -> Result<()> {
        let w = self.weights();
        let ordered = w.init_asset_bps <= w.maint_asset_bps
            && w.maint_asset_bps < BPS
            && BPS < w.maint_liab_bps
            && w.maint_liab_bps <= w.init_liab_bps
            && w.init_liab_bps <= MAX_LIAB_WEIGHT_BPS;
        require!(ordered, CrossMarginError::InvalidWeights);
        require!(
            (1..=MAX_STALENESS_LIMIT_SECS).contains(&self.max_staleness_secs)
                && (1..=MAX_CONF_LIMIT_BPS).contains(&self.max_conf_bps),
            CrossMarginError::InvalidOracleConfig
        );
        let fee_ok = self.liquidation_fee_bps > 0
            && self.liquidation_fee_bps < BPS - w.init_asset_bps
            && self.liquidation_fee_bps < w.init_liab_bps - BPS
            && self.liquidation_insurance_share_bps <= BPS
            && self.pair_liquidation_fee_bps > 0
            && self.pair_liquidation_fee_bps < self.hedge_maint_bps
            && self.pair_liquidation_fee_bps <= self.liquidation_fee_bps
            && self.trading_fee_bps <= 500
            && self.impact_bps <= 2_000;
        require!(fee_ok, CrossMarginError::InvalidPerpConfig);
        let rest_ok = self.init_pnl_weight_bps <= BPS
            && self.hedge().valid_for(&w, &w)
            && self.max_open_interest > 0
            && self.max_funding_rate_bps <= MAX_FUNDING_RATE_LIMIT_BPS
            && self.pool_reserve_bps <= BPS
            && (1..=BPS).contains(&self.settle_limit_bps)
            && SETTLE_WINDOW_SECS_RANGE.contains(&self.settle_window_secs)
            && (1..BPS).contains(&self.adl_threshold_bps);
        require!(rest_ok, CrossMarginError::InvalidPerpConfig);
        require!(
            STABLE_GROWTH_BPS_RANGE.contains(&self.stable_growth_bps)
                && BREAKER_BAND_BPS_RANGE.contains(&self.breaker_band_bps),
            CrossMarginError::InvalidGuardrailConfig
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_valid_and_each_bound_is_enforced() {
        PerpConfig::DEFAULT.validate().unwrap();
        let bad: [fn(&mut PerpConfig); 10] = [
            |c| c.pair_liquidation_fee_bps = 0,
            |c| c.pair_liquidation_fee_bps = c.hedge_maint_bps,
            |c| c.maint_asset_weight_bps = 10_000,
            |c| c.liquidation_fee_bps = 1_000,
            |c| c.liquidation_fee_bps = 0,
            |c| c.hedge_init_bps = 5_000,
            |c| c.max_funding_rate_bps = 101,
            |c| c.settle_window_secs = 10,
            |c| c.max_open_interest = 0,
            |c| c.breaker_band_bps = 0,
        ];
        for (i, f) in bad.iter().enumerate() {
            let mut c = PerpConfig::DEFAULT;
            f(&mut c);
            assert!(c.validate().is_err(), "case {i} accepted");
        }
    }
}
