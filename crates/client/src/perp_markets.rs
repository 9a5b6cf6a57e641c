//! Reading perp markets back: the config a market was registered (or last edited) with,
//! for tools that show it or compare it with a wanted one.

use cross_margin::state::{OracleKind, PerpConfig, PerpMarket};

/// The `PerpConfig` stored in `m` (an unknown oracle kind byte reads as pull).
pub fn stored_config(m: &PerpMarket) -> PerpConfig {
    PerpConfig {
        oracle_kind: OracleKind::try_from(m.oracle_kind).unwrap_or(OracleKind::PythPull),
        max_staleness_secs: m.max_staleness_secs,
        max_conf_bps: m.max_conf_bps,
        init_asset_weight_bps: m.init_asset_weight_bps,
        maint_asset_weight_bps: m.maint_asset_weight_bps,
        maint_liab_weight_bps: m.maint_liab_weight_bps,
        init_liab_weight_bps: m.init_liab_weight_bps,
        init_pnl_weight_bps: m.init_pnl_weight_bps,
        hedge_init_bps: m.hedge_init_bps,
        hedge_maint_bps: m.hedge_maint_bps,
        trading_fee_bps: m.trading_fee_bps,
        impact_bps: m.impact_bps,
        liquidation_fee_bps: m.liquidation_fee_bps,
        liquidation_insurance_share_bps: m.liquidation_insurance_share_bps,
        max_open_interest: m.max_open_interest,
        funding_skew_scale_bps: m.funding_skew_scale_bps,
        max_funding_rate_bps: m.max_funding_rate_bps,
        pool_reserve_bps: m.pool_reserve_bps,
        settle_limit_bps: m.settle_limit_bps,
        settle_window_secs: m.settle_window_secs,
        adl_threshold_bps: m.adl_threshold_bps,
        stable_growth_bps: m.stable_growth_bps,
        breaker_band_bps: m.breaker_band_bps,
        reduce_only: m.reduce_only != 0,
    }
}

/// The market's name as text (zero padding dropped).
pub fn name(m: &PerpMarket) -> String {
    String::from_utf8_lossy(&m.name)
        .trim_end_matches('\0')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_market_gives_back_the_config_it_was_given() {
        let mut m: PerpMarket = bytemuck::Zeroable::zeroed();
        let c = PerpConfig {
            max_open_interest: 77,
            reduce_only: true,
            ..PerpConfig::DEFAULT
        };
        m.apply_config(&c);
        m.name = crate::perp_builders::market_name("SOL-PERP");
        assert_eq!(stored_config(&m), c);
        assert_eq!(name(&m), "SOL-PERP");
    }
}
