//! Offline validation: every problem of a config at once, one line each naming the bank and
//! field, with the program's own rules deciding.

use cross_margin::state::{BankConfig, GroupSettings, LiquidationParams};
use cross_margin_migrations::{check, load, parse};
use solana_keypair::Keypair;
use solana_signer::Signer;

fn key() -> String {
    Keypair::new().pubkey().to_string()
}

/// A one-bank config with `extra` lines in the bank.
fn one_bank(extra: &str) -> String {
    format!(
        "[[banks]]\ntoken_index = 0\nmint = \"{}\"\noracle = \"{}\"\n{extra}",
        key(),
        key()
    )
}

#[test]
fn every_problem_is_reported_at_once_naming_bank_and_field() {
    let (m1, m2, o) = (key(), key(), key());
    let text = format!(
        r#"
        security_admin = "not-a-key"
        timelock_secs = 60
        pause_duration_secs = 60
        [[banks]]
        token_index = 0
        mint = "{m1}"
        oracle = "{o}"
        init_asset_weight_bps = 9500
        liquidation_fee_bps = 6000
        max_staleness_secs = 0
        breaker_band_bps = 50
        [[banks]]
        token_index = 0
        mint = "{m2}"
        oracle = "{o}"
        [[banks]]
        token_index = 65535
        mint = "{m2}"
        oracle = "xyz"
        oracle_kind = "chainlink"
        [[banks]]
        mint = "{}"
        "#,
        key()
    );
    let problems = check(&parse(&text).unwrap()).unwrap_err().0;
    let expected = [
        "security_admin `not-a-key` is not a valid public key",
        "group: timelock_secs = 60: Timelock must be",
        "group: pause_duration_secs = 60: Timelock must be",
        "bank 0: weights (init_asset_weight_bps = 9500): Weights must satisfy",
        "bank 0: fees (liquidation_fee_bps = 6000): Fees out of range",
        "bank 0: oracle limits (max_staleness_secs = 0): Oracle settings invalid",
        "bank 0: guardrails (breaker_band_bps = 50): Stable growth must be",
        "bank 65535: oracle `xyz` is not a valid public key",
        "bank 65535: Token index 65535 is reserved",
        "bank 65535: oracle_kind must be \"pull\" or \"legacy\", not \"chainlink\"",
        "[[banks]] entry 4: oracle is missing",
        "[[banks]] entry 4: token_index is missing",
        "bank 0: token_index 0 is listed by [[banks]] entries 1, 2 (token indices must be unique)",
    ];
    for e in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(e)),
            "missing {e:?} in\n{}",
            problems.join("\n")
        );
    }
    let dup_mint = format!("mint {m2} is listed by [[banks]] entries 2, 3 (one bank per mint)");
    assert!(problems.contains(&dup_mint), "{problems:#?}");
    assert_eq!(problems.len(), expected.len() + 1, "{problems:#?}");
    assert!(problems.iter().all(|p| !p.contains('\n')), "one line each");
}

#[test]
fn a_pair_that_cannot_be_liquidated_is_refused() {
    // Each bank valid alone; together a liquidation would not improve health.
    let text = format!(
        r#"
        [[banks]]
        token_index = 0
        mint = "{}"
        oracle = "{}"
        init_asset_weight_bps = 9500
        maint_asset_weight_bps = 9900
        maint_liab_weight_bps = 10000
        init_liab_weight_bps = 10000
        liquidation_fee_bps = 500
        [[banks]]
        token_index = 1
        mint = "{}"
        oracle = "{}"
        init_asset_weight_bps = 9500
        maint_asset_weight_bps = 9900
        maint_liab_weight_bps = 10000
        init_liab_weight_bps = 10000
        liquidation_fee_bps = 500
        "#,
        key(),
        key(),
        key(),
        key()
    );
    let config = parse(&text).unwrap();
    let banks: Vec<BankConfig> = config
        .banks
        .iter()
        .map(|b| b.bank_config().unwrap())
        .collect();
    assert!(banks.iter().all(|b| b.validate().is_ok()));
    assert!(!LiquidationParams::pair_ok(
        &banks[0].liquidation_params(),
        &banks[1].liquidation_params()
    ));
    let problems = check(&config).unwrap_err().0;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("banks 0 and 1 cannot be liquidated against each other"),
        "{problems:?}"
    );
}

/// The offline check accepts a bank exactly when the program's `BankConfig::validate`
/// does, over values around every bound of every field it reads.
#[test]
fn the_program_decides_each_bank_value() {
    let fields: [(&str, &[u64]); 18] = [
        ("max_staleness_secs", &[0, 1, 60, 900, 901, 86_400]),
        ("max_conf_bps", &[0, 1, 1_000, 1_001, 10_000]),
        ("init_asset_weight_bps", &[0, 9_000, 9_001, 10_000]),
        ("maint_asset_weight_bps", &[0, 7_999, 10_000, 10_001]),
        ("maint_liab_weight_bps", &[9_999, 10_000, 12_000, 12_001]),
        ("init_liab_weight_bps", &[10_999, 12_000, 100_000, 100_001]),
        ("util0_bps", &[0, 1, 7_999, 8_000, 10_000]),
        ("rate0_bps", &[0, 2_000, 2_001]),
        ("util1_bps", &[5_000, 5_001, 10_000, 10_001]),
        ("rate1_bps", &[499, 500, 10_000, 10_001]),
        ("max_rate_bps", &[1_999, 2_000, 10_000, 10_001, 100_000]),
        ("protocol_fee_bps", &[0, 10_000, 10_001]),
        ("loan_origination_fee_bps", &[0, 1_000, 1_001]),
        ("liquidation_fee_bps", &[0, 5_000, 5_001]),
        ("liquidation_insurance_share_bps", &[0, 10_000, 10_001]),
        ("stable_growth_bps", &[0, 1, 10_000, 10_001]),
        ("breaker_band_bps", &[99, 100, 10_000, 10_001]),
        ("net_outflow_limit_bps", &[499, 500, 10_000, 10_001]),
    ];
    let mut seen = (0, 0);
    for (field, values) in fields {
        for v in values {
            let config = parse(&one_bank(&format!("{field} = {v}"))).unwrap();
            let program = config.banks[0].bank_config().unwrap().validate();
            let offline = check(&config);
            assert_eq!(
                offline.is_ok(),
                program.is_ok(),
                "{field} = {v}: {offline:?} vs {program:?}"
            );
            if let Err(p) = offline {
                assert!(p.0[0].contains(field), "{field} = {v}: {p}");
                seen.1 += 1;
            } else {
                seen.0 += 1;
            }
        }
    }
    assert!(
        seen.0 > 20 && seen.1 > 20,
        "both verdicts exercised: {seen:?}"
    );
    for window in [59u32, 60, 86_400, 86_401] {
        let config = parse(&one_bank(&format!("outflow_window_secs = {window}"))).unwrap();
        let program = config.banks[0].bank_config().unwrap().validate();
        assert_eq!(check(&config).is_ok(), program.is_ok(), "{window}");
    }
}

#[test]
fn the_program_decides_the_group_settings() {
    let d = GroupSettings::defaults(Default::default());
    for (field, values) in [
        (
            "timelock_secs",
            [0u32, 86_399, 86_400, 2_592_000, 2_592_001],
        ),
        ("maint_ramp_secs", [0, 3_599, 3_600, 2_592_000, 2_592_001]),
        ("pause_duration_secs", [0, 3_599, 3_600, 604_800, 604_801]),
    ] {
        for v in values {
            let config = parse(&format!("{field} = {v}")).unwrap();
            let settings = config.settings(d.security_admin);
            let offline = check(&config);
            assert_eq!(
                offline.is_ok(),
                settings.validate().is_ok(),
                "{field} = {v}: {offline:?}"
            );
            if let Err(p) = offline {
                assert_eq!(p.0.len(), 1, "{p}");
                assert!(
                    p.0[0].starts_with(&format!("group: {field} = {v}: ")),
                    "{p}"
                );
            }
        }
    }
}

#[test]
fn limits_are_native_units_or_unlimited() {
    let c = parse(&one_bank(
        "deposit_limit = \"unlimited\"\nborrow_limit = 5000",
    ))
    .unwrap();
    let b = c.banks[0].bank_config().unwrap();
    assert_eq!((b.deposit_limit, b.borrow_limit), (u64::MAX, 5_000));
    let negative = parse(&one_bank("borrow_limit = -1")).unwrap_err();
    assert!(
        format!("{negative:#}").contains("a limit cannot be negative"),
        "{negative:#}"
    );
    let word = parse(&one_bank("borrow_limit = \"lots\"")).unwrap_err();
    assert!(format!("{word:#}").contains("\"unlimited\""), "{word:#}");
}

#[test]
fn parse_errors_name_the_line_and_a_missing_file_is_named() {
    let err = parse("group_num = 1\nlive = \"yes\"\n").unwrap_err();
    let line = format!("{err:#}");
    assert!(line.starts_with("line 2, column 8: "), "{line}");
    assert!(!line.contains('\n'), "{line:?}");
    let unknown = parse("group_num = 1\nunknown = 3").unwrap_err();
    assert!(
        format!("{unknown:#}").contains("unknown field `unknown`"),
        "{unknown:#}"
    );

    let missing = std::env::temp_dir().join("cross-margin-no-such-config.toml");
    let err = load(&missing).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        format!("config file {} not found", missing.display())
    );
    let dir = std::env::temp_dir();
    let err = load(&dir).unwrap_err();
    assert!(
        format!("{err:#}").starts_with(&format!("cannot read config file {}: ", dir.display())),
        "{err:#}"
    );
}
