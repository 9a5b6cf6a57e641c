//! The bootstrap's TOML config as written: the group and one [`BankSpec`] per bank.
//!
//! Every field an operator may omit takes the program's own default — bank fields from
//! `BankConfig::DEFAULT`, group settings from `GroupSettings::defaults` — read from those
//! constants rather than restated here, so the two cannot disagree
//! (`migrations/example.toml` documents them and a test holds it to them).
//!
//! Parsing only checks shapes (types, unknown keys); what the values mean is judged as a
//! whole by [`crate::check`], which reports every problem at once. Required bank keys
//! (`token_index`, `mint`, `oracle`) are therefore optional here and reported there when
//! missing, alongside everything else.

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Result};
use cross_margin::state::{BankConfig, GroupSettings};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Part of the group's address: `["group", admin, group_num]`.
    pub group_num: u32,
    /// May only pause and cancel queued changes; the signer when omitted.
    pub security_admin: Option<String>,
    /// The group's lookup table, if it should not be found by the client's convention
    /// (authority = admin, first address = group) or created.
    pub lookup_table: Option<String>,
    /// End the group's setup phase once its banks are registered (`group_go_live`,
    /// irreversible). Until then margin accounts cannot be opened and every change applies
    /// at once; from then on loosening changes wait out the timelock.
    pub live: bool,
    /// How long a loosening change waits once the group is live.
    pub timelock_secs: u32,
    /// How long a tightened maint weight takes to reach its target.
    pub maint_ramp_secs: u32,
    /// How long a pause lasts unless renewed.
    pub pause_duration_secs: u32,
    pub banks: Vec<BankSpec>,
    /// Perp markets, registered after the banks (see [`crate::perps`]).
    pub perps: Vec<crate::perps::PerpSpec>,
}

impl Default for Config {
    fn default() -> Self {
        let settings = GroupSettings::defaults(Pubkey::default());
        Self {
            group_num: 0,
            security_admin: None,
            lookup_table: None,
            live: true,
            timelock_secs: settings.timelock_secs,
            maint_ramp_secs: settings.maint_ramp_secs,
            pause_duration_secs: settings.pause_duration_secs,
            banks: vec![],
            perps: vec![],
        }
    }
}

impl Config {
    /// The group settings the config asks for, with `security_admin` resolved.
    pub fn settings(&self, security_admin: Pubkey) -> GroupSettings {
        GroupSettings {
            security_admin,
            timelock_secs: self.timelock_secs,
            maint_ramp_secs: self.maint_ramp_secs,
            pause_duration_secs: self.pause_duration_secs,
        }
    }
}

/// One `[[banks]]` entry. Field meanings: `BankConfig` in the program.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct BankSpec {
    /// Required; part of the bank's address, never reused.
    pub token_index: Option<u16>,
    /// Required.
    pub mint: Option<String>,
    /// Required: the Pyth account (pull: the sponsored feed account of its feed id).
    pub oracle: Option<String>,
    /// `"pull"` (Pyth `PriceUpdateV2`) or `"legacy"` (push price account).
    pub oracle_kind: String,
    pub max_staleness_secs: u64,
    pub max_conf_bps: u32,
    pub init_asset_weight_bps: u32,
    pub maint_asset_weight_bps: u32,
    pub maint_liab_weight_bps: u32,
    pub init_liab_weight_bps: u32,
    pub util0_bps: u32,
    pub rate0_bps: u32,
    pub util1_bps: u32,
    pub rate1_bps: u32,
    pub max_rate_bps: u32,
    pub protocol_fee_bps: u32,
    pub loan_origination_fee_bps: u32,
    pub liquidation_fee_bps: u32,
    pub liquidation_insurance_share_bps: u32,
    /// Native units, or `"unlimited"`.
    #[serde(deserialize_with = "limit")]
    pub deposit_limit: u64,
    /// Native units, or `"unlimited"`.
    #[serde(deserialize_with = "limit")]
    pub borrow_limit: u64,
    pub reduce_only: bool,
    pub stable_growth_bps: u32,
    pub breaker_band_bps: u32,
    pub net_outflow_limit_bps: u32,
    pub outflow_window_secs: u32,
}

/// How `oracle_kind` is written for each kind.
const ORACLE_KINDS: [(&str, cross_margin::state::OracleKind); 2] = [
    ("pull", cross_margin::state::OracleKind::PythPull),
    ("legacy", cross_margin::state::OracleKind::PythLegacy),
];

impl Default for BankSpec {
    /// Only the required keys unset; everything else `BankConfig::DEFAULT`.
    fn default() -> Self {
        let d = BankConfig::DEFAULT;
        let kind = ORACLE_KINDS
            .iter()
            .find(|(_, k)| *k == d.oracle_kind)
            .map_or("pull", |(name, _)| name);
        Self {
            token_index: None,
            mint: None,
            oracle: None,
            oracle_kind: kind.to_string(),
            max_staleness_secs: d.max_staleness_secs,
            max_conf_bps: d.max_conf_bps,
            init_asset_weight_bps: d.init_asset_weight_bps,
            maint_asset_weight_bps: d.maint_asset_weight_bps,
            maint_liab_weight_bps: d.maint_liab_weight_bps,
            init_liab_weight_bps: d.init_liab_weight_bps,
            util0_bps: d.util0_bps,
            rate0_bps: d.rate0_bps,
            util1_bps: d.util1_bps,
            rate1_bps: d.rate1_bps,
            max_rate_bps: d.max_rate_bps,
            protocol_fee_bps: d.protocol_fee_bps,
            loan_origination_fee_bps: d.loan_origination_fee_bps,
            liquidation_fee_bps: d.liquidation_fee_bps,
            liquidation_insurance_share_bps: d.liquidation_insurance_share_bps,
            deposit_limit: d.deposit_limit,
            borrow_limit: d.borrow_limit,
            reduce_only: d.reduce_only,
            stable_growth_bps: d.stable_growth_bps,
            breaker_band_bps: d.breaker_band_bps,
            net_outflow_limit_bps: d.net_outflow_limit_bps,
            outflow_window_secs: d.outflow_window_secs,
        }
    }
}

impl BankSpec {
    /// The spec as the program's `BankConfig`, not yet validated (see [`crate::check`]);
    /// fails only on an unknown `oracle_kind`.
    pub fn bank_config(&self) -> Result<BankConfig, String> {
        let oracle_kind = ORACLE_KINDS
            .iter()
            .find(|(name, _)| *name == self.oracle_kind)
            .map(|(_, kind)| *kind)
            .ok_or_else(|| {
                format!(
                    "oracle_kind must be \"pull\" or \"legacy\", not {:?}",
                    self.oracle_kind
                )
            })?;
        Ok(BankConfig {
            oracle_kind,
            max_staleness_secs: self.max_staleness_secs,
            max_conf_bps: self.max_conf_bps,
            init_asset_weight_bps: self.init_asset_weight_bps,
            maint_asset_weight_bps: self.maint_asset_weight_bps,
            maint_liab_weight_bps: self.maint_liab_weight_bps,
            init_liab_weight_bps: self.init_liab_weight_bps,
            util0_bps: self.util0_bps,
            rate0_bps: self.rate0_bps,
            util1_bps: self.util1_bps,
            rate1_bps: self.rate1_bps,
            max_rate_bps: self.max_rate_bps,
            protocol_fee_bps: self.protocol_fee_bps,
            loan_origination_fee_bps: self.loan_origination_fee_bps,
            liquidation_fee_bps: self.liquidation_fee_bps,
            liquidation_insurance_share_bps: self.liquidation_insurance_share_bps,
            deposit_limit: self.deposit_limit,
            borrow_limit: self.borrow_limit,
            reduce_only: self.reduce_only,
            stable_growth_bps: self.stable_growth_bps,
            breaker_band_bps: self.breaker_band_bps,
            net_outflow_limit_bps: self.net_outflow_limit_bps,
            outflow_window_secs: self.outflow_window_secs,
        })
    }
}

/// A deposit or borrow limit: native units, or `"unlimited"` (`u64::MAX`, which TOML's
/// 64-bit signed integers cannot spell).
pub(crate) fn limit<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    struct Limit;
    impl Visitor<'_> for Limit {
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a number of native units or \"unlimited\"")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::custom("a limit cannot be negative"))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
            match v {
                "unlimited" => Ok(u64::MAX),
                _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
            }
        }
    }
    d.deserialize_any(Limit)
}

/// Parse a config's text; errors name the line and column.
pub fn parse(text: &str) -> Result<Config> {
    toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| {
            let before = &text[..s.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("line {line}, column {column}: ")
        });
        anyhow!("{}{}", at.unwrap_or_default(), e.message().trim_end())
    })
}

/// Read and parse the config file at `path`; every error is one line naming the file.
pub fn load(path: &Path) -> Result<Config> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow!("config file {shown} not found"),
        _ => anyhow!("cannot read config file {shown}: {e}"),
    })?;
    parse(&text).map_err(|e| anyhow!("config file {shown}: {e}"))
}

/// `s` as a public key, or a line naming `what`.
pub(crate) fn key(s: &str, what: &str) -> Result<Pubkey, String> {
    s.parse()
        .map_err(|_| format!("{what} `{s}` is not a valid public key"))
}
