//! The bootstrap's TOML config: the group and one [`BankSpec`] per bank, every risk field
//! defaulting to `BankConfig::DEFAULT` (see `migrations/example.toml`).

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Context, Result};
use cross_margin::state::{BankConfig, OracleKind};
use serde::Deserialize;

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub group_num: u32,
    pub security_admin: Option<String>,
    /// The group's lookup table, if it should not be found by the client's convention
    /// (authority = admin, first address = group) or created.
    pub lookup_table: Option<String>,
    /// End the group's setup phase once its banks are registered (`group_go_live`,
    /// irreversible). Until then margin accounts cannot be opened and every change applies
    /// at once; from then on loosening changes wait out the timelock.
    #[serde(default = "d_true")]
    pub live: bool,
    #[serde(default)]
    pub banks: Vec<BankSpec>,
}

fn d<const V: u32>() -> u32 {
    V
}
fn d_true() -> bool {
    true
}
fn d_staleness() -> u64 {
    60
}
fn d_unlimited() -> u64 {
    u64::MAX
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct BankSpec {
    pub token_index: u16,
    pub mint: String,
    pub oracle: String,
    #[serde(default = "d_pull")]
    pub oracle_kind: String,
    #[serde(default = "d_staleness")]
    pub max_staleness_secs: u64,
    #[serde(default = "d::<200>")]
    pub max_conf_bps: u32,
    #[serde(default = "d::<8000>")]
    pub init_asset_weight_bps: u32,
    #[serde(default = "d::<9000>")]
    pub maint_asset_weight_bps: u32,
    #[serde(default = "d::<11000>")]
    pub maint_liab_weight_bps: u32,
    #[serde(default = "d::<12000>")]
    pub init_liab_weight_bps: u32,
    #[serde(default = "d::<5000>")]
    pub util0_bps: u32,
    #[serde(default = "d::<500>")]
    pub rate0_bps: u32,
    #[serde(default = "d::<8000>")]
    pub util1_bps: u32,
    #[serde(default = "d::<2000>")]
    pub rate1_bps: u32,
    #[serde(default = "d::<10000>")]
    pub max_rate_bps: u32,
    #[serde(default = "d::<1000>")]
    pub protocol_fee_bps: u32,
    #[serde(default = "d::<0>")]
    pub loan_origination_fee_bps: u32,
    #[serde(default = "d::<250>")]
    pub liquidation_fee_bps: u32,
    #[serde(default = "d::<2000>")]
    pub liquidation_insurance_share_bps: u32,
    #[serde(default = "d_unlimited")]
    pub deposit_limit: u64,
    #[serde(default = "d_unlimited")]
    pub borrow_limit: u64,
    #[serde(default)]
    pub reduce_only: bool,
    /// How fast the stable price may follow the oracle, bps per hour.
    #[serde(default = "d::<600>")]
    pub stable_growth_bps: u32,
    /// Oracle vs stable price gap (bps of the stable price) past which the bank turns
    /// borrow-reduce-only.
    #[serde(default = "d::<2500>")]
    pub breaker_band_bps: u32,
    /// Net withdrawals + borrows per window, bps of the deposits at the window's start.
    #[serde(default = "d::<2500>")]
    pub net_outflow_limit_bps: u32,
    #[serde(default = "d::<3600>")]
    pub outflow_window_secs: u32,
}

fn d_pull() -> String {
    "pull".into()
}

impl BankSpec {
    pub fn config(&self) -> Result<BankConfig> {
        let oracle_kind = match self.oracle_kind.as_str() {
            "pull" => OracleKind::PythPull,
            "legacy" => OracleKind::PythLegacy,
            other => bail!(
                "bank {}: oracle_kind must be \"pull\" or \"legacy\", not {other:?}",
                self.token_index
            ),
        };
        let config = BankConfig {
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
        };
        config
            .validate()
            .map_err(|e| anyhow!("bank {}: {e}", self.token_index))?;
        Ok(config)
    }
}

pub fn parse(text: &str) -> Result<Config> {
    toml::from_str(text).context("bootstrap config")
}

pub(crate) fn key(s: &str, what: &str) -> Result<Pubkey> {
    s.parse()
        .map_err(|_| anyhow!("{what} `{s}` is not a valid public key"))
}
