use super::*;
use crate::state::OracleKind;
use anchor_lang::prelude::Pubkey;

type Mutate = fn(&mut BankConfig);

/// Every `BankConfig` field with one loosening and one tightening edit of `DEFAULT`
/// (`None` where every change loosens).
fn bank_cases() -> Vec<(&'static str, Mutate, Option<Mutate>)> {
    vec![
        (
            "oracle_kind",
            |c| c.oracle_kind = OracleKind::PythLegacy,
            None,
        ),
        (
            "max_staleness_secs",
            |c| c.max_staleness_secs = 120,
            Some(|c| c.max_staleness_secs = 30),
        ),
        (
            "max_conf_bps",
            |c| c.max_conf_bps = 300,
            Some(|c| c.max_conf_bps = 100),
        ),
        (
            "init_asset_weight_bps",
            |c| c.init_asset_weight_bps = 8_500,
            Some(|c| c.init_asset_weight_bps = 7_000),
        ),
        (
            "maint_asset_weight_bps",
            |c| c.maint_asset_weight_bps = 9_500,
            Some(|c| c.maint_asset_weight_bps = 8_500),
        ),
        (
            "maint_liab_weight_bps",
            |c| c.maint_liab_weight_bps = 10_500,
            Some(|c| c.maint_liab_weight_bps = 11_500),
        ),
        (
            "init_liab_weight_bps",
            |c| c.init_liab_weight_bps = 11_500,
            Some(|c| c.init_liab_weight_bps = 13_000),
        ),
        (
            "util0_bps",
            |c| c.util0_bps = 6_000,
            Some(|c| c.util0_bps = 4_000),
        ),
        (
            "rate0_bps",
            |c| c.rate0_bps = 400,
            Some(|c| c.rate0_bps = 600),
        ),
        (
            "util1_bps",
            |c| c.util1_bps = 9_000,
            Some(|c| c.util1_bps = 7_000),
        ),
        (
            "rate1_bps",
            |c| c.rate1_bps = 1_500,
            Some(|c| c.rate1_bps = 2_500),
        ),
        (
            "max_rate_bps",
            |c| c.max_rate_bps = 9_000,
            Some(|c| c.max_rate_bps = 10_000),
        ),
        (
            "protocol_fee_bps",
            |c| c.protocol_fee_bps = 2_000,
            Some(|c| c.protocol_fee_bps = 500),
        ),
        (
            "loan_origination_fee_bps",
            |c| c.loan_origination_fee_bps = 10,
            None,
        ),
        ("liquidation_fee_bps", |c| c.liquidation_fee_bps = 200, None),
        (
            "liquidation_insurance_share_bps",
            |c| c.liquidation_insurance_share_bps = 1_000,
            Some(|c| c.liquidation_insurance_share_bps = 3_000),
        ),
        (
            "deposit_limit",
            |c| c.deposit_limit = u64::MAX,
            Some(|c| c.deposit_limit = 1_000),
        ),
        (
            "borrow_limit",
            |c| c.borrow_limit = u64::MAX,
            Some(|c| c.borrow_limit = 1_000),
        ),
        ("reduce_only", |c| c.reduce_only = false, None),
        (
            "stable_growth_bps",
            |c| c.stable_growth_bps = 1_000,
            Some(|c| c.stable_growth_bps = 300),
        ),
        (
            "breaker_band_bps",
            |c| c.breaker_band_bps = 3_000,
            Some(|c| c.breaker_band_bps = 1_000),
        ),
        (
            "net_outflow_limit_bps",
            |c| c.net_outflow_limit_bps = 3_000,
            Some(|c| c.net_outflow_limit_bps = 1_000),
        ),
        (
            "outflow_window_secs",
            |c| c.outflow_window_secs = 1_800,
            Some(|c| c.outflow_window_secs = 7_200),
        ),
    ]
}

/// A base the loosening cases above move away from (limits finite, reduce-only on).
fn base() -> BankConfig {
    BankConfig {
        deposit_limit: 1 << 62,
        borrow_limit: 1 << 62,
        reduce_only: true,
        max_rate_bps: 9_500,
        ..BankConfig::DEFAULT
    }
}

#[test]
fn every_bank_field_has_its_class() {
    let cases = bank_cases();
    let names: Vec<_> = cases.iter().map(|c| c.0).collect();
    let rules: Vec<_> = BANK_RULES.iter().map(|r| r.name).collect();
    assert_eq!(names, rules, "one case per rule, in order");
    for (name, loosen, tighten) in cases {
        let old = base();
        let mut new = old;
        loosen(&mut new);
        let (o, n) = (bank_fields(&old), bank_fields(&new));
        assert_eq!(
            first_loosening(&BANK_RULES, &o, &n),
            Some(name),
            "{name} loosens"
        );
        let changed: Vec<_> = o.iter().zip(&n).filter(|(a, b)| a != b).collect();
        assert_eq!(changed.len(), 1, "{name}: the case changes one field");
        if let Some(tighten) = tighten {
            let mut new = old;
            tighten(&mut new);
            let n = bank_fields(&new);
            assert_eq!(
                first_loosening(&BANK_RULES, &o, &n),
                None,
                "{name} tightens"
            );
            assert_ne!(o, n, "{name}: the tightening case changes something");
        }
    }
    assert_eq!(
        first_loosening(&BANK_RULES, &bank_fields(&base()), &bank_fields(&base())),
        None
    );
}

#[test]
fn every_group_field_has_its_class() {
    let old = GroupSettings {
        security_admin: Pubkey::new_unique(),
        timelock_secs: 2 * 86_400,
        maint_ramp_secs: 86_400,
        pause_duration_secs: 86_400,
    };
    type G = fn(&mut GroupSettings);
    let cases: [(&str, G, Option<G>); 4] = [
        (
            "security_admin",
            |s| s.security_admin = Pubkey::new_unique(),
            None,
        ),
        (
            "timelock_secs",
            |s| s.timelock_secs = 86_400,
            Some(|s| s.timelock_secs = 3 * 86_400),
        ),
        (
            "maint_ramp_secs",
            |s| s.maint_ramp_secs = 3_600,
            Some(|s| s.maint_ramp_secs = 2 * 86_400),
        ),
        (
            "pause_duration_secs",
            |s| s.pause_duration_secs = 2 * 86_400,
            Some(|s| s.pause_duration_secs = 3_600),
        ),
    ];
    for ((name, loosen, tighten), rule) in cases.into_iter().zip(GROUP_RULES) {
        assert_eq!(name, rule.name);
        let mut new = old;
        loosen(&mut new);
        let (o, n) = group_fields(&old, &new);
        assert_eq!(first_loosening(&GROUP_RULES, &o, &n), Some(name));
        if let Some(tighten) = tighten {
            let mut new = old;
            tighten(&mut new);
            let (o, n) = group_fields(&old, &new);
            assert_eq!(
                first_loosening(&GROUP_RULES, &o, &n),
                None,
                "{name} tightens"
            );
        }
    }
}

#[test]
fn loosening_is_bounded_per_step() {
    let w = BANK_RULES[3];
    assert!(w.within_step(0, 1_000) && !w.within_step(0, 1_001));
    assert!(w.within_step(8_000, 0), "tightening is never bounded");
    let liab = BANK_RULES[6];
    assert!(liab.within_step(12_000, 11_000) && !liab.within_step(12_000, 10_999));
    let limit = BANK_RULES[16];
    assert!(limit.within_step(500, 1_000) && !limit.within_step(500, 1_001));
    assert!(limit.within_step(0, 1) && !limit.within_step(0, 2));
    assert!(limit.within_step(1 << 63, u64::MAX));
    let window = BANK_RULES[22];
    assert!(window.within_step(3_600, 1_800) && !window.within_step(3_600, 1_799));
    let mut big = base();
    big.init_asset_weight_bps = 9_000;
    let o = bank_fields(&BankConfig {
        init_asset_weight_bps: 7_000,
        ..base()
    });
    assert_eq!(
        first_oversized_step(&BANK_RULES, &o, &bank_fields(&big)),
        Some("init_asset_weight_bps")
    );
}
