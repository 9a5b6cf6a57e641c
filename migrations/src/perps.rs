//! Perp markets in the bootstrap: the `[[perps]]` entries of the config, their offline
//! check and converging the chain to them.
//!
//! An entry names the market (`perp_index`, `name`), its base asset's oracle and decimals
//! and the bank it settles in (`settle_token_index`, which must be one of the file's
//! `[[banks]]`); every other key is a `PerpConfig` field and takes `PerpConfig::DEFAULT`
//! when omitted (`max_open_interest`: base native units or `"unlimited"`).
//!
//! - Offline ([`check_perps`]): required keys present and keys parsing, the name 1 to 16
//!   bytes, the config through the program's own `PerpConfig::validate`, unique perp
//!   indices, the settle bank in the file.
//! - On chain ([`converge`]): a missing market is registered (after the banks, so its
//!   settle bank exists). A market that exists with another config, oracle or name is
//!   reported as a warning on every run: the program has no `perp_market_edit` yet, so
//!   nothing can converge it.

use crate::config::{key, limit};
use crate::Plan;
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Context, Result};
use cross_margin::state::{Bank, OracleKind, PerpConfig, PerpMarket};
use cross_margin_client::chain::Chain;
use cross_margin_client::pda;
use cross_margin_client::perp_builders::{self as pb, PerpMarketAccounts};
use cross_margin_client::perp_markets::{name as market_name, stored_config};
use cross_margin_client::snapshot::fetch;
use serde::Deserialize;
use solana_signer::Signer;
use std::collections::BTreeMap;

/// One `[[perps]]` entry. Field meanings: `PerpConfig` in the program.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct PerpSpec {
    /// Required; part of the market's address.
    pub perp_index: Option<u16>,
    /// Required; at most 16 bytes.
    pub name: Option<String>,
    /// Required: the base asset's Pyth account (USD per whole base unit).
    pub oracle: Option<String>,
    /// Required: the token index of the bank PnL settles in (one of the `[[banks]]`).
    pub settle_token_index: Option<u16>,
    /// Required: the base asset's decimals.
    pub base_decimals: Option<u8>,
    /// `"pull"` or `"legacy"`.
    pub oracle_kind: String,
    pub max_staleness_secs: u64,
    pub max_conf_bps: u32,
    pub init_asset_weight_bps: u32,
    pub maint_asset_weight_bps: u32,
    pub maint_liab_weight_bps: u32,
    pub init_liab_weight_bps: u32,
    pub init_pnl_weight_bps: u32,
    pub hedge_init_bps: u32,
    pub hedge_maint_bps: u32,
    pub trading_fee_bps: u32,
    pub impact_bps: u32,
    pub liquidation_fee_bps: u32,
    pub pair_liquidation_fee_bps: u32,
    pub liquidation_insurance_share_bps: u32,
    /// Base native units, or `"unlimited"`.
    #[serde(deserialize_with = "limit")]
    pub max_open_interest: u64,
    pub funding_skew_scale_bps: u32,
    pub max_funding_rate_bps: u32,
    pub pool_reserve_bps: u32,
    pub settle_limit_bps: u32,
    pub settle_window_secs: u32,
    pub adl_threshold_bps: u32,
    pub stable_growth_bps: u32,
    pub breaker_band_bps: u32,
    pub reduce_only: bool,
}

impl Default for PerpSpec {
    /// Only the required keys unset; everything else `PerpConfig::DEFAULT`.
    fn default() -> Self {
        let d = PerpConfig::DEFAULT;
        Self {
            perp_index: None,
            name: None,
            oracle: None,
            settle_token_index: None,
            base_decimals: None,
            oracle_kind: match d.oracle_kind {
                OracleKind::PythPull => "pull",
                OracleKind::PythLegacy => "legacy",
            }
            .into(),
            max_staleness_secs: d.max_staleness_secs,
            max_conf_bps: d.max_conf_bps,
            init_asset_weight_bps: d.init_asset_weight_bps,
            maint_asset_weight_bps: d.maint_asset_weight_bps,
            maint_liab_weight_bps: d.maint_liab_weight_bps,
            init_liab_weight_bps: d.init_liab_weight_bps,
            init_pnl_weight_bps: d.init_pnl_weight_bps,
            hedge_init_bps: d.hedge_init_bps,
            hedge_maint_bps: d.hedge_maint_bps,
            trading_fee_bps: d.trading_fee_bps,
            impact_bps: d.impact_bps,
            liquidation_fee_bps: d.liquidation_fee_bps,
            pair_liquidation_fee_bps: d.pair_liquidation_fee_bps,
            liquidation_insurance_share_bps: d.liquidation_insurance_share_bps,
            max_open_interest: d.max_open_interest,
            funding_skew_scale_bps: d.funding_skew_scale_bps,
            max_funding_rate_bps: d.max_funding_rate_bps,
            pool_reserve_bps: d.pool_reserve_bps,
            settle_limit_bps: d.settle_limit_bps,
            settle_window_secs: d.settle_window_secs,
            adl_threshold_bps: d.adl_threshold_bps,
            stable_growth_bps: d.stable_growth_bps,
            breaker_band_bps: d.breaker_band_bps,
            reduce_only: d.reduce_only,
        }
    }
}

impl PerpSpec {
    /// The spec as the program's `PerpConfig`, not yet validated; fails only on an unknown
    /// `oracle_kind`.
    pub fn perp_config(&self) -> Result<PerpConfig, String> {
        let oracle_kind = match self.oracle_kind.as_str() {
            "pull" => OracleKind::PythPull,
            "legacy" => OracleKind::PythLegacy,
            other => {
                return Err(format!(
                    "oracle_kind must be \"pull\" or \"legacy\", not {other:?}"
                ))
            }
        };
        Ok(PerpConfig {
            oracle_kind,
            max_staleness_secs: self.max_staleness_secs,
            max_conf_bps: self.max_conf_bps,
            init_asset_weight_bps: self.init_asset_weight_bps,
            maint_asset_weight_bps: self.maint_asset_weight_bps,
            maint_liab_weight_bps: self.maint_liab_weight_bps,
            init_liab_weight_bps: self.init_liab_weight_bps,
            init_pnl_weight_bps: self.init_pnl_weight_bps,
            hedge_init_bps: self.hedge_init_bps,
            hedge_maint_bps: self.hedge_maint_bps,
            trading_fee_bps: self.trading_fee_bps,
            impact_bps: self.impact_bps,
            liquidation_fee_bps: self.liquidation_fee_bps,
            pair_liquidation_fee_bps: self.pair_liquidation_fee_bps,
            liquidation_insurance_share_bps: self.liquidation_insurance_share_bps,
            max_open_interest: self.max_open_interest,
            funding_skew_scale_bps: self.funding_skew_scale_bps,
            max_funding_rate_bps: self.max_funding_rate_bps,
            pool_reserve_bps: self.pool_reserve_bps,
            settle_limit_bps: self.settle_limit_bps,
            settle_window_secs: self.settle_window_secs,
            adl_threshold_bps: self.adl_threshold_bps,
            stable_growth_bps: self.stable_growth_bps,
            breaker_band_bps: self.breaker_band_bps,
            reduce_only: self.reduce_only,
        })
    }
}

/// A `[[perps]]` entry that passed the check, keys parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPerp {
    pub perp_index: u16,
    pub name: String,
    pub oracle: Pubkey,
    pub settle_token_index: u16,
    pub base_decimals: u8,
    pub config: PerpConfig,
}

fn label(i: usize, spec: &PerpSpec) -> String {
    match spec.perp_index {
        Some(p) => format!("perp {p}"),
        None => format!("[[perps]] entry {}", i + 1),
    }
}

/// Every `[[perps]]` entry checked offline against the file's `banks` (token indices);
/// problems go to `out`, one line each.
pub fn check_perps(specs: &[PerpSpec], banks: &[u16], out: &mut Vec<String>) -> Vec<CheckedPerp> {
    let mut by_index: BTreeMap<u16, usize> = BTreeMap::new();
    let mut checked = vec![];
    for (i, spec) in specs.iter().enumerate() {
        let label = label(i, spec);
        let before = out.len();
        let mut missing = |name: &str| out.push(format!("{label}: {name} is missing"));
        let (index, name, settle, decimals) = (
            spec.perp_index,
            spec.name.clone(),
            spec.settle_token_index,
            spec.base_decimals,
        );
        for (absent, field) in [
            (index.is_none(), "perp_index"),
            (name.is_none(), "name"),
            (spec.oracle.is_none(), "oracle"),
            (settle.is_none(), "settle_token_index"),
            (decimals.is_none(), "base_decimals"),
        ] {
            if absent {
                missing(field);
            }
        }
        let oracle = spec.oracle.as_deref().and_then(|s| {
            key(s, "oracle")
                .map_err(|e| out.push(format!("{label}: {e}")))
                .ok()
        });
        if let Some(n) = &name {
            if n.is_empty() || n.len() > 16 {
                out.push(format!("{label}: name {n:?} must be 1 to 16 bytes"));
            }
        }
        if let Some(p) = index {
            if let Some(first) = by_index.insert(p, i + 1) {
                out.push(format!(
                    "{label}: perp_index {p} is also [[perps]] entry {first} (perp indices must be unique)"
                ));
            }
        }
        if let Some(t) = settle.filter(|t| !banks.contains(t)) {
            out.push(format!(
                "{label}: settle_token_index {t} is not one of the [[banks]]"
            ));
        }
        let config = match spec.perp_config() {
            Ok(c) => match c.validate() {
                Ok(()) => Some(c),
                Err(e) => {
                    out.push(format!("{label}: {}", crate::check::message(e)));
                    None
                }
            },
            Err(e) => {
                out.push(format!("{label}: {e}"));
                None
            }
        };
        if out.len() > before {
            continue;
        }
        if let (
            Some(perp_index),
            Some(name),
            Some(oracle),
            Some(settle_token_index),
            Some(base_decimals),
            Some(config),
        ) = (index, name, oracle, settle, decimals, config)
        {
            checked.push(CheckedPerp {
                perp_index,
                name,
                oracle,
                settle_token_index,
                base_decimals,
                config,
            });
        }
    }
    checked
}

/// Register the market if it is missing; otherwise warn about what differs.
pub async fn converge<C: Chain>(chain: &mut C, plan: &mut Plan, spec: &CheckedPerp) -> Result<()> {
    let admin = chain.payer().pubkey();
    let group = plan.group;
    let p = spec.perp_index;
    let key = pda::perp_market(&group, p);
    if let Some(have) = fetch::<PerpMarket, _>(chain, &key).await? {
        let mut differs = vec![];
        if stored_config(&have) != spec.config {
            differs.push("config".to_string());
        }
        if have.oracle != spec.oracle {
            differs.push(format!("oracle ({} on chain)", have.oracle));
        }
        if market_name(&have) != spec.name {
            differs.push(format!("name ({:?} on chain)", market_name(&have)));
        }
        if !differs.is_empty() {
            plan.warnings.push(format!(
                "perp {p} ({key}) differs from the config in its {}: the program has no perp_market_edit yet, so it stays as it is",
                differs.join(", ")
            ));
        }
        return Ok(());
    }
    let settle_key = pda::bank(&group, spec.settle_token_index);
    let settle: Bank = fetch(chain, &settle_key)
        .await?
        .ok_or_else(|| anyhow!("perp {p}: settle bank {settle_key} does not exist"))?;
    let accounts =
        PerpMarketAccounts::derive(&group, p, spec.oracle, settle.mint, settle.token_program);
    let ix = pb::perp_market_register(
        &admin,
        &group,
        &settle_key,
        &accounts,
        p,
        &spec.name,
        spec.base_decimals,
        spec.config,
    );
    chain
        .send(&[ix], &[])
        .await
        .with_context(|| format!("registering perp {p}"))?;
    plan.actions.push(format!(
        "registered perp {p} ({}) at {key}, pool vault {}",
        spec.name, accounts.pool_vault
    ));
    Ok(())
}
