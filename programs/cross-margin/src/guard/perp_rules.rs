//! Which perp market edits loosen risk. Every [`PerpConfig`] field has a rule, built by
//! exhaustive destructuring so a new field without one does not compile.
//!
//! On a live group `perp_market_edit` applies a change only when no field loosens: a
//! higher open-interest cap, lower weights of shorts or higher of longs, a higher
//! unsettled-profit weight, a wider breaker or settle limit, turning reduce-only off... are
//! refused (`LooseningNeedsTimelock`), because one such transaction reaches every position
//! in the market at once. Perp markets have no timelock queue yet (banks and the group do:
//! `bank_queue_edit`), so on a live group such changes are not possible at all; tightening
//! (e.g. reduce-only on, a lower cap in a crisis) applies at once. Maint-side fields (maint
//! weights, the maint hedge weight) count as loosening whichever way they move: a sudden
//! maint tightening would make accounts liquidatable in one slot, and perp markets have no
//! maint ramp yet.

use crate::state::PerpConfig;

/// Which way a field loosens risk.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Looser {
    Higher,
    Lower,
    AnyChange,
}

fn loosens(looser: Looser, old: u64, new: u64) -> bool {
    match looser {
        Looser::Higher => new > old,
        Looser::Lower => new < old,
        Looser::AnyChange => new != old,
    }
}

/// The first field of `new` that loosens risk compared with `old`, by name.
pub fn first_loosening_field(old: &PerpConfig, new: &PerpConfig) -> Option<&'static str> {
    use Looser::*;
    let PerpConfig {
        oracle_kind,
        max_staleness_secs,
        max_conf_bps,
        init_asset_weight_bps,
        maint_asset_weight_bps,
        maint_liab_weight_bps,
        init_liab_weight_bps,
        init_pnl_weight_bps,
        hedge_init_bps,
        hedge_maint_bps,
        trading_fee_bps,
        impact_bps,
        liquidation_fee_bps,
        pair_liquidation_fee_bps,
        liquidation_insurance_share_bps,
        max_open_interest,
        funding_skew_scale_bps,
        max_funding_rate_bps,
        pool_reserve_bps,
        settle_limit_bps,
        settle_window_secs,
        adl_threshold_bps,
        stable_growth_bps,
        breaker_band_bps,
        reduce_only,
    } = *new;
    let w = u64::from;
    let fields: [(&'static str, Looser, u64, u64); 25] = [
        (
            "oracle_kind",
            AnyChange,
            old.oracle_kind as u64,
            oracle_kind as u64,
        ),
        (
            "max_staleness_secs",
            Higher,
            old.max_staleness_secs,
            max_staleness_secs,
        ),
        ("max_conf_bps", Higher, w(old.max_conf_bps), w(max_conf_bps)),
        (
            "init_asset_weight_bps",
            Higher,
            w(old.init_asset_weight_bps),
            w(init_asset_weight_bps),
        ),
        (
            "maint_asset_weight_bps",
            AnyChange,
            w(old.maint_asset_weight_bps),
            w(maint_asset_weight_bps),
        ),
        (
            "maint_liab_weight_bps",
            AnyChange,
            w(old.maint_liab_weight_bps),
            w(maint_liab_weight_bps),
        ),
        (
            "init_liab_weight_bps",
            Lower,
            w(old.init_liab_weight_bps),
            w(init_liab_weight_bps),
        ),
        (
            "init_pnl_weight_bps",
            Higher,
            w(old.init_pnl_weight_bps),
            w(init_pnl_weight_bps),
        ),
        (
            "hedge_init_bps",
            Lower,
            w(old.hedge_init_bps),
            w(hedge_init_bps),
        ),
        (
            "hedge_maint_bps",
            AnyChange,
            w(old.hedge_maint_bps),
            w(hedge_maint_bps),
        ),
        (
            "trading_fee_bps",
            Lower,
            w(old.trading_fee_bps),
            w(trading_fee_bps),
        ),
        ("impact_bps", Lower, w(old.impact_bps), w(impact_bps)),
        (
            "liquidation_fee_bps",
            AnyChange,
            w(old.liquidation_fee_bps),
            w(liquidation_fee_bps),
        ),
        (
            "pair_liquidation_fee_bps",
            AnyChange,
            w(old.pair_liquidation_fee_bps),
            w(pair_liquidation_fee_bps),
        ),
        (
            "liquidation_insurance_share_bps",
            Lower,
            w(old.liquidation_insurance_share_bps),
            w(liquidation_insurance_share_bps),
        ),
        (
            "max_open_interest",
            Higher,
            old.max_open_interest,
            max_open_interest,
        ),
        (
            "funding_skew_scale_bps",
            AnyChange,
            w(old.funding_skew_scale_bps),
            w(funding_skew_scale_bps),
        ),
        (
            "max_funding_rate_bps",
            AnyChange,
            w(old.max_funding_rate_bps),
            w(max_funding_rate_bps),
        ),
        (
            "pool_reserve_bps",
            Lower,
            w(old.pool_reserve_bps),
            w(pool_reserve_bps),
        ),
        (
            "settle_limit_bps",
            Higher,
            w(old.settle_limit_bps),
            w(settle_limit_bps),
        ),
        (
            "settle_window_secs",
            Lower,
            w(old.settle_window_secs),
            w(settle_window_secs),
        ),
        (
            "adl_threshold_bps",
            Higher,
            w(old.adl_threshold_bps),
            w(adl_threshold_bps),
        ),
        (
            "stable_growth_bps",
            Higher,
            w(old.stable_growth_bps),
            w(stable_growth_bps),
        ),
        (
            "breaker_band_bps",
            Higher,
            w(old.breaker_band_bps),
            w(breaker_band_bps),
        ),
        (
            "reduce_only",
            Lower,
            u64::from(old.reduce_only),
            u64::from(reduce_only),
        ),
    ];
    fields
        .into_iter()
        .find(|(_, looser, o, n)| loosens(*looser, *o, *n))
        .map(|(name, ..)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Edit = fn(&mut PerpConfig);

    #[test]
    fn tightening_passes_and_each_loosening_is_named() {
        let old = PerpConfig::DEFAULT;
        let tighter = PerpConfig {
            reduce_only: true,
            max_open_interest: 1_000,
            init_asset_weight_bps: 8_000,
            init_liab_weight_bps: 12_000,
            breaker_band_bps: 1_000,
            settle_limit_bps: 100,
            ..old
        };
        assert_eq!(first_loosening_field(&old, &tighter), None);
        assert_eq!(first_loosening_field(&old, &old), None);
        let cases: [(Edit, &str); 6] = [
            (|c| c.reduce_only = false, "reduce_only"),
            (|c| c.max_open_interest = u64::MAX, "max_open_interest"),
            (|c| c.init_pnl_weight_bps = 5_000, "init_pnl_weight_bps"),
            (
                |c| c.maint_asset_weight_bps = 9_000,
                "maint_asset_weight_bps",
            ),
            (|c| c.hedge_init_bps = 150, "hedge_init_bps"),
            (|c| c.settle_window_secs = 60, "settle_window_secs"),
        ];
        for (f, name) in cases {
            let mut new = tighter;
            f(&mut new);
            assert_eq!(first_loosening_field(&tighter, &new), Some(name));
        }
    }
}
