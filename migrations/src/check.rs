//! Offline validation of a whole config, before anything is sent.
//!
//! A bootstrap that stops at its third bank because the third bank's weights are wrong
//! leaves a half-built group and one error at a time. [`check`] judges everything that can
//! be judged without a node and reports every problem, one line each, naming the bank and
//! the fields:
//!
//! - public keys parse; required bank keys are present; `oracle_kind` is known;
//! - each bank's config passes the program's own `BankConfig::validate`, and the group
//!   settings the program's `GroupSettings::validate` — the same code decides, nothing is
//!   restated here. Those functions stop at their first failing rule, so each rule's fields
//!   are also checked apart (the rest of the config at the program's defaults, which are
//!   valid) to report every failing rule; the fields named are those of the rule that differ
//!   from the default, which must include the culprit;
//! - token indices are unique and not the reserved free-slot mark (as `bank_register`
//!   requires), no mint is listed twice, and every pair of banks can be liquidated against
//!   each other (`LiquidationParams::pair_ok`, as `bank_register` and `bank_edit` check).
//!
//! - each `[[perps]]` entry: see [`crate::perps::check_perps`].
//!
//! What needs the chain (the mint's program and extensions, the oracle's owner and price,
//! banks already in the group but not in the file) is checked by the program when sent.

use crate::config::{key, BankSpec, Config};
use anchor_lang::prelude::Pubkey;
use cross_margin::error::CrossMarginError;
use cross_margin::state::{BankConfig, GroupSettings, LiquidationParams, RESERVED_TOKEN_INDEX};
use cross_margin_client::changes::bank_diff;
use std::collections::BTreeMap;

/// A config that passed [`check`], with its keys parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub group_num: u32,
    /// `None`: the signer.
    pub security_admin: Option<Pubkey>,
    /// `None`: found by convention or created.
    pub lookup_table: Option<Pubkey>,
    pub live: bool,
    /// The group settings (their `security_admin` is filled in by [`Checked::settings`]).
    settings: GroupSettings,
    pub banks: Vec<CheckedBank>,
    pub perps: Vec<crate::perps::CheckedPerp>,
}

impl Checked {
    /// The group settings the config asks for, for a group administered by `signer`.
    pub fn settings(&self, signer: Pubkey) -> GroupSettings {
        GroupSettings {
            security_admin: self.security_admin.unwrap_or(signer),
            ..self.settings
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedBank {
    pub token_index: u16,
    pub mint: Pubkey,
    pub oracle: Pubkey,
    pub config: BankConfig,
}

/// Everything wrong with a config, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<String>);

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the config: {}",
            if n == 1 { "" } else { "s" },
            self.0.join("; ")
        )
    }
}

impl std::error::Error for Problems {}

/// The program's message for a failed check.
pub(crate) fn message(e: anchor_lang::error::Error) -> String {
    match e {
        anchor_lang::error::Error::AnchorError(a) => a.error_msg,
        anchor_lang::error::Error::ProgramError(p) => p.to_string(),
    }
}

/// A config with one rule's fields taken from the argument, the rest at the defaults.
type Isolate = fn(&BankConfig) -> BankConfig;

/// The rules of `BankConfig::validate`, each as the fields it reads: each is checked with
/// only its own fields taken from the config.
fn bank_rules() -> [(&'static str, Isolate); 5] {
    [
        ("weights", |c| BankConfig {
            init_asset_weight_bps: c.init_asset_weight_bps,
            maint_asset_weight_bps: c.maint_asset_weight_bps,
            maint_liab_weight_bps: c.maint_liab_weight_bps,
            init_liab_weight_bps: c.init_liab_weight_bps,
            ..BankConfig::DEFAULT
        }),
        ("interest curve", |c| BankConfig {
            util0_bps: c.util0_bps,
            rate0_bps: c.rate0_bps,
            util1_bps: c.util1_bps,
            rate1_bps: c.rate1_bps,
            max_rate_bps: c.max_rate_bps,
            ..BankConfig::DEFAULT
        }),
        ("fees", |c| BankConfig {
            protocol_fee_bps: c.protocol_fee_bps,
            loan_origination_fee_bps: c.loan_origination_fee_bps,
            liquidation_fee_bps: c.liquidation_fee_bps,
            liquidation_insurance_share_bps: c.liquidation_insurance_share_bps,
            ..BankConfig::DEFAULT
        }),
        ("oracle limits", |c| BankConfig {
            max_staleness_secs: c.max_staleness_secs,
            max_conf_bps: c.max_conf_bps,
            ..BankConfig::DEFAULT
        }),
        ("guardrails", |c| BankConfig {
            stable_growth_bps: c.stable_growth_bps,
            breaker_band_bps: c.breaker_band_bps,
            net_outflow_limit_bps: c.net_outflow_limit_bps,
            outflow_window_secs: c.outflow_window_secs,
            ..BankConfig::DEFAULT
        }),
    ]
}

/// `field = value, …` for the fields of `c` that differ from the default.
fn changed_fields(c: &BankConfig) -> String {
    bank_diff(&BankConfig::DEFAULT, c)
        .iter()
        .map(|f| format!("{} = {}", f.field, f.new))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every problem of one bank's config, per rule of `BankConfig::validate`.
fn config_problems(label: &str, c: &BankConfig, out: &mut Vec<String>) {
    let Err(whole) = c.validate() else { return };
    let before = out.len();
    for (rule, isolate) in bank_rules() {
        let part = isolate(c);
        if let Err(e) = part.validate() {
            out.push(format!(
                "{label}: {rule} ({}): {}",
                changed_fields(&part),
                message(e)
            ));
        }
    }
    if out.len() == before {
        // A rule across the parts above: report the program's verdict on the whole.
        out.push(format!("{label}: {}", message(whole)));
    }
}

/// The group settings' problems, field by field (`GroupSettings::validate`).
fn settings_problems(config: &Config, out: &mut Vec<String>) {
    let want = config.settings(Pubkey::default());
    let Err(whole) = want.validate() else { return };
    let d = GroupSettings::defaults(Pubkey::default());
    type Set = fn(&mut GroupSettings, u32);
    let fields: [(&str, u32, Set); 3] = [
        ("timelock_secs", want.timelock_secs, |s, v| {
            s.timelock_secs = v
        }),
        ("maint_ramp_secs", want.maint_ramp_secs, |s, v| {
            s.maint_ramp_secs = v
        }),
        ("pause_duration_secs", want.pause_duration_secs, |s, v| {
            s.pause_duration_secs = v
        }),
    ];
    let before = out.len();
    for (name, value, set) in fields {
        let mut alone = d;
        set(&mut alone, value);
        if let Err(e) = alone.validate() {
            out.push(format!("group: {name} = {value}: {}", message(e)));
        }
    }
    if out.len() == before {
        out.push(format!("group: {}", message(whole)));
    }
}

/// Check `config` offline; every problem found, or the config with its keys parsed.
pub fn check(config: &Config) -> Result<Checked, Problems> {
    let mut out = vec![];
    let mut optional_key = |s: &Option<String>, what: &str| {
        s.as_deref()
            .map(|s| key(s, what))
            .transpose()
            .unwrap_or_else(|e| {
                out.push(e);
                None
            })
    };
    let security_admin = optional_key(&config.security_admin, "security_admin");
    let lookup_table = optional_key(&config.lookup_table, "lookup_table");
    settings_problems(config, &mut out);
    let banks: Vec<Option<CheckedBank>> = config
        .banks
        .iter()
        .enumerate()
        .map(|(i, spec)| check_bank(i, spec, &mut out))
        .collect();
    relations(config, &banks, &mut out);
    let token_indices: Vec<u16> = config.banks.iter().filter_map(|b| b.token_index).collect();
    let perps = crate::perps::check_perps(&config.perps, &token_indices, &mut out);
    if !out.is_empty() {
        return Err(Problems(out));
    }
    Ok(Checked {
        group_num: config.group_num,
        security_admin,
        lookup_table,
        live: config.live,
        settings: config.settings(Pubkey::default()),
        banks: banks.into_iter().flatten().collect(),
        perps,
    })
}

/// How a bank is named in a problem: by token index, or by its place in the file.
fn label(i: usize, spec: &BankSpec) -> String {
    match spec.token_index {
        Some(t) => format!("bank {t}"),
        None => format!("[[banks]] entry {}", i + 1),
    }
}

/// One bank on its own; `None` if it has a problem (recorded in `out`).
fn check_bank(i: usize, spec: &BankSpec, out: &mut Vec<String>) -> Option<CheckedBank> {
    let label = label(i, spec);
    let before = out.len();
    let mut required = |value: &Option<String>, name: &str| match value {
        None => {
            out.push(format!("{label}: {name} is missing"));
            None
        }
        Some(s) => key(s, name)
            .map_err(|e| out.push(format!("{label}: {e}")))
            .ok(),
    };
    let mint = required(&spec.mint, "mint");
    let oracle = required(&spec.oracle, "oracle");
    match spec.token_index {
        None => out.push(format!("{label}: token_index is missing")),
        Some(RESERVED_TOKEN_INDEX) => {
            out.push(format!("{label}: {}", CrossMarginError::ReservedTokenIndex))
        }
        Some(_) => {}
    }
    let config = match spec.bank_config() {
        Ok(c) => Some(c),
        Err(e) => {
            out.push(format!("{label}: {e}"));
            None
        }
    };
    if let Some(c) = &config {
        config_problems(&label, c, out);
    }
    if out.len() > before {
        return None;
    }
    Some(CheckedBank {
        token_index: spec.token_index?,
        mint: mint?,
        oracle: oracle?,
        config: config?,
    })
}

/// Relations between banks: unique token indices and mints, liquidatable pairs.
fn relations(config: &Config, banks: &[Option<CheckedBank>], out: &mut Vec<String>) {
    let mut by_index: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
    let mut by_mint: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, spec) in config.banks.iter().enumerate() {
        if let Some(t) = spec.token_index {
            by_index.entry(t).or_default().push(i + 1);
        }
        if let Some(m) = spec.mint.as_deref() {
            by_mint.entry(m).or_default().push(i + 1);
        }
    }
    let entries = |at: &[usize]| {
        at.iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (t, at) in by_index.iter().filter(|(_, at)| at.len() > 1) {
        out.push(format!(
            "bank {t}: token_index {t} is listed by [[banks]] entries {} (token indices must be unique)",
            entries(at)
        ));
    }
    for (m, at) in by_mint.iter().filter(|(_, at)| at.len() > 1) {
        out.push(format!(
            "mint {m} is listed by [[banks]] entries {} (one bank per mint)",
            entries(at)
        ));
    }
    let valid: Vec<&CheckedBank> = banks.iter().flatten().collect();
    for (i, a) in valid.iter().enumerate() {
        for b in &valid[i + 1..] {
            if a.token_index == b.token_index {
                continue;
            }
            let (pa, pb): (LiquidationParams, LiquidationParams) =
                (a.config.liquidation_params(), b.config.liquidation_params());
            if !LiquidationParams::pair_ok(&pa, &pb) {
                out.push(format!(
                    "banks {} and {} cannot be liquidated against each other: {}",
                    a.token_index,
                    b.token_index,
                    CrossMarginError::LiquidationPairUnsafe
                ));
            }
        }
    }
}
