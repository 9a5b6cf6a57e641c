//! `migrations/example.toml` parses, passes the offline check, and documents the real
//! defaults: every `key = value  # default: X` comment is compared with
//! `BankConfig::DEFAULT`, `GroupSettings::defaults` and the parser's own defaults, field by
//! field, and every key that may be omitted must carry such a comment.

use cross_margin::guard::classify::{BANK_RULES, GROUP_RULES};
use cross_margin::state::{BankConfig, GroupSettings};
use cross_margin_client::changes::bank_diff;
use cross_margin_migrations::{check, parse, Config};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::BTreeMap;

fn example() -> String {
    let path = cross_margin_tests::repo_file("migrations/example.toml");
    std::fs::read_to_string(path).unwrap()
}

/// A documented default: the TOML literal after `default:` and its line.
struct Documented {
    literal: String,
    line: usize,
}

/// Every `key = value  # default: X` line (also commented out: `# key = value  # default: X`).
fn documented_defaults(text: &str) -> BTreeMap<String, Documented> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_start().trim_start_matches('#').trim_start();
        let Some((key, rest)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            continue;
        }
        let Some((_, comment)) = rest.split_once('#') else {
            continue;
        };
        let Some((_, after)) = comment.split_once("default:") else {
            continue;
        };
        let literal = after.split_whitespace().next().unwrap_or("").to_string();
        assert!(
            !literal.is_empty(),
            "line {}: `default:` without a value",
            i + 1
        );
        let previous = out.insert(
            key.to_string(),
            Documented {
                literal,
                line: i + 1,
            },
        );
        assert!(previous.is_none(), "line {}: {key} documented twice", i + 1);
    }
    out
}

/// The keys that may be omitted and have a fixed default: every bank config field (the
/// program's list), the group settings but the security admin (the signer), `group_num`
/// and `live`.
fn defaultable() -> (Vec<&'static str>, Vec<&'static str>) {
    let bank = BANK_RULES.iter().map(|r| r.name).collect();
    let mut group: Vec<&str> = GROUP_RULES
        .iter()
        .map(|r| r.name)
        .filter(|n| *n != "security_admin")
        .collect();
    group.extend(["group_num", "live"]);
    (bank, group)
}

/// Every way `text`'s default comments differ from the real defaults, one line each.
fn drift(text: &str) -> Vec<String> {
    let docs = documented_defaults(text);
    let (bank_keys, group_keys) = defaultable();
    let mut problems = vec![];
    for key in bank_keys.iter().chain(&group_keys) {
        if !docs.contains_key(*key) {
            problems.push(format!("{key} has no `# default:` comment"));
        }
    }
    for (key, d) in &docs {
        if !bank_keys.contains(&key.as_str()) && !group_keys.contains(&key.as_str()) {
            problems.push(format!("line {}: {key} is not a defaultable key", d.line));
        }
    }
    let assignments = |keys: &[&str]| {
        keys.iter()
            .filter_map(|k| docs.get(*k).map(|d| format!("{k} = {}\n", d.literal)))
            .collect::<String>()
    };

    // Bank keys: the documented defaults, read as the bootstrap reads a bank, against
    // BankConfig::DEFAULT.
    let key = Keypair::new().pubkey();
    let bank_text = format!(
        "[[banks]]\ntoken_index = 0\nmint = \"{key}\"\noracle = \"{key}\"\n{}",
        assignments(&bank_keys)
    );
    let documented = parse(&bank_text).unwrap().banks[0].bank_config().unwrap();
    for f in bank_diff(&BankConfig::DEFAULT, &documented) {
        problems.push(format!(
            "line {}: {} documented default {}, BankConfig::DEFAULT has {}",
            docs[f.field].line, f.field, f.new, f.old
        ));
    }

    // Group keys: against GroupSettings::defaults and the parser's defaults.
    let group: Config = parse(&assignments(&group_keys)).unwrap();
    let real = GroupSettings::defaults(key);
    let want = group.settings(key);
    let omitted = parse("").unwrap();
    let show = |v: &dyn std::fmt::Display| v.to_string();
    let pairs = [
        (
            "timelock_secs",
            show(&want.timelock_secs),
            show(&real.timelock_secs),
        ),
        (
            "maint_ramp_secs",
            show(&want.maint_ramp_secs),
            show(&real.maint_ramp_secs),
        ),
        (
            "pause_duration_secs",
            show(&want.pause_duration_secs),
            show(&real.pause_duration_secs),
        ),
        (
            "group_num",
            show(&group.group_num),
            show(&omitted.group_num),
        ),
        ("live", show(&group.live), show(&omitted.live)),
    ];
    assert_eq!(
        pairs.len(),
        group_keys.len(),
        "one comparison per group key"
    );
    for (name, documented, real) in pairs {
        if documented != real {
            problems.push(format!(
                "line {}: {name} documented default {documented}, the real default is {real}",
                docs[name].line
            ));
        }
    }
    problems
}

#[test]
fn every_documented_default_is_the_real_default() {
    let text = example();
    let problems = drift(&text);
    assert!(
        problems.is_empty(),
        "example.toml:\n{}",
        problems.join("\n")
    );
    let docs = documented_defaults(&text);
    assert_eq!(docs["init_asset_weight_bps"].literal, "8000");
    assert_eq!(docs["deposit_limit"].literal, "\"unlimited\"");
    assert_eq!(docs["oracle_kind"].literal, "\"pull\"");
}

#[test]
fn a_wrong_or_missing_default_comment_is_caught() {
    let text = example();
    let mut drifted = text.clone();
    for (from, to) in [
        ("# default: 250 ", "# default: 300 "),
        ("# default: 172800 ", "# no default "),
        ("# default: true ", "# default: false "),
    ] {
        assert_eq!(text.matches(from).count(), 1, "{from}");
        drifted = drifted.replace(from, to);
    }
    let problems = drift(&drifted);
    let line = |key: &str| {
        1 + text
            .lines()
            .position(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("{key} in example.toml"))
    };
    assert_eq!(
        problems,
        vec![
            "pause_duration_secs has no `# default:` comment".to_string(),
            format!(
                "line {}: liquidation_fee_bps documented default 300, BankConfig::DEFAULT has 250",
                line("liquidation_fee_bps")
            ),
            format!(
                "line {}: live documented default false, the real default is true",
                line("live")
            ),
        ]
    );
}

#[test]
fn omitted_keys_take_the_program_defaults() {
    let key = Keypair::new().pubkey();
    let c = parse(&format!(
        "[[banks]]\ntoken_index = 3\nmint = \"{key}\"\noracle = \"{key}\""
    ))
    .unwrap();
    assert_eq!(c.banks[0].bank_config().unwrap(), BankConfig::DEFAULT);
    assert_eq!(c.settings(key), GroupSettings::defaults(key));
    assert!(c.live);
}

#[test]
fn the_example_parses_and_passes_the_offline_check() {
    let config = parse(&example()).unwrap();
    let checked = check(&config).unwrap();
    assert_eq!(checked.banks.len(), 2);
    assert!(checked.live);
    let signer = Keypair::new().pubkey();
    assert_eq!(checked.settings(signer), GroupSettings::defaults(signer));
    assert_eq!(
        checked.banks[1].config,
        BankConfig {
            liquidation_fee_bps: 250,
            ..BankConfig::DEFAULT
        },
        "omitted fields take BankConfig::DEFAULT"
    );
    let first = checked.banks[0].config;
    assert_eq!(
        (
            first.init_asset_weight_bps,
            first.liquidation_fee_bps,
            first.deposit_limit
        ),
        (9_000, 100, u64::MAX)
    );
}
