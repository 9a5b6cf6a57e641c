//! Idempotent bootstrap of a group, its banks and its address lookup table from a TOML
//! config.
//!
//! The run converges the chain to the file: the group is created if missing; each bank is
//! registered if missing, edited if its config or oracle differs, and left alone otherwise;
//! last, the group's lookup table is created if missing and extended with whatever keys it
//! lacks (banks, oracles, vaults, mints; see `cross_margin_client::lookup_table`), so
//! liquidations between full accounts fit a transaction. The returned [`Plan`] lists what
//! was done, so a second run reports nothing.

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Context, Result};
use cross_margin::state::{Bank, BankConfig, Group, GroupSettings, OracleKind};
use cross_margin_client::builders;
use cross_margin_client::chain::Chain;
use cross_margin_client::lookup_table;
use cross_margin_client::pda;
use cross_margin_client::snapshot::{bank_keys, decode};
use serde::Deserialize;
use solana_signer::Signer;

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub group_num: u32,
    pub security_admin: Option<String>,
    /// The group's lookup table, if it should not be found by the client's convention
    /// (authority = admin, first address = group) or created.
    pub lookup_table: Option<String>,
    #[serde(default)]
    pub banks: Vec<BankSpec>,
}

fn d<const V: u32>() -> u32 {
    V
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
    #[serde(default = "d::<600>")]
    pub stable_growth_bps: u32,
    #[serde(default = "d::<2500>")]
    pub breaker_band_bps: u32,
    #[serde(default = "d::<2500>")]
    pub net_outflow_limit_bps: u32,
    #[serde(default = "d::<3600>")]
    pub outflow_window_secs: u32,
}

fn d_pull() -> String {
    "pull".into()
}

fn key(s: &str, what: &str) -> Result<Pubkey> {
    s.parse()
        .map_err(|_| anyhow!("{what} `{s}` is not a valid public key"))
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

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    pub group: Pubkey,
    /// The group's address lookup table (the keeper and CLI find it by convention, or take
    /// it as `--lookup-table`).
    pub lookup_table: Option<Pubkey>,
    pub actions: Vec<String>,
    /// Conditions that need an operator but are not actions (repeated on every run).
    pub warnings: Vec<String>,
}

/// Converge the chain to `config`; the signer is the chain's payer (the group admin).
pub async fn bootstrap<C: Chain>(chain: &mut C, config: &Config) -> Result<Plan> {
    let admin = chain.payer().pubkey();
    let group = pda::group(&admin, config.group_num);
    let mut plan = Plan {
        group,
        ..Plan::default()
    };
    let pinned_table = config
        .lookup_table
        .as_deref()
        .map(|s| key(s, "lookup_table"))
        .transpose()?;
    let security_admin = match &config.security_admin {
        Some(s) => key(s, "security_admin")?,
        None => admin,
    };
    match chain.account(&group).await? {
        None => {
            chain
                .send(
                    &[builders::group_create(
                        &admin,
                        config.group_num,
                        &security_admin,
                    )],
                    &[],
                )
                .await?;
            plan.actions.push(format!("created group {group}"));
        }
        Some(a) => {
            let g = decode::<Group>(&a.data)
                .ok_or_else(|| anyhow!("{group} exists but is not a group"))?;
            if g.admin != admin {
                bail!(
                    "group {group} is administered by {}, not by the signer {admin}",
                    g.admin
                );
            }
            if g.security_admin != security_admin {
                chain
                    .send(
                        &[builders::group_edit(
                            &admin,
                            &group,
                            GroupSettings {
                                security_admin,
                                ..g.settings()
                            },
                        )],
                        &[],
                    )
                    .await?;
                plan.actions
                    .push(format!("set security admin of {group} to {security_admin}"));
            }
        }
    }
    for spec in &config.banks {
        let want = spec.config()?;
        let mint = key(&spec.mint, "mint")?;
        let oracle = key(&spec.oracle, "oracle")?;
        let bank = pda::bank(&group, spec.token_index);
        match chain.account(&bank).await? {
            None => {
                let program = chain
                    .account(&mint)
                    .await?
                    .ok_or_else(|| anyhow!("mint {mint} does not exist"))?
                    .owner;
                let others = bank_keys(chain, &group).await?;
                let ix = builders::bank_register(
                    &admin,
                    &group,
                    &mint,
                    &program,
                    &oracle,
                    spec.token_index,
                    want,
                    &others,
                );
                chain
                    .send(&[ix], &[])
                    .await
                    .with_context(|| format!("registering bank {}", spec.token_index))?;
                plan.actions.push(format!(
                    "registered bank {} ({mint}) at {bank}",
                    spec.token_index
                ));
            }
            Some(a) => {
                let have = decode::<Bank>(&a.data)
                    .ok_or_else(|| anyhow!("{bank} exists but is not a bank"))?;
                if have.mint != mint {
                    bail!(
                        "bank {} already lists mint {}, not {mint}; token indices cannot be reused",
                        spec.token_index,
                        have.mint
                    );
                }
                if have.config()? != want || have.oracle != oracle {
                    let others = bank_keys(chain, &group).await?;
                    chain
                        .send(
                            &[builders::bank_edit(
                                &admin, &group, &bank, &oracle, want, &others,
                            )],
                            &[],
                        )
                        .await
                        .with_context(|| format!("editing bank {}", spec.token_index))?;
                    plan.actions.push(format!(
                        "edited bank {} to match the config",
                        spec.token_index
                    ));
                }
            }
        }
    }
    converge_lookup_table(chain, &mut plan, pinned_table).await?;
    Ok(plan)
}

/// Create or extend the group's lookup table (after the banks, so it lists them all).
async fn converge_lookup_table<C: Chain>(
    chain: &mut C,
    plan: &mut Plan,
    pinned: Option<Pubkey>,
) -> Result<()> {
    let sync = lookup_table::ensure_group_table(chain, &plan.group, pinned)
        .await
        .context("converging the group's lookup table")?;
    plan.lookup_table = Some(sync.table);
    if sync.created {
        plan.actions.push(format!(
            "created lookup table {} with {}",
            sync.table,
            addresses(sync.added)
        ));
    } else if sync.added > 0 {
        plan.actions.push(format!(
            "extended lookup table {} with {}",
            sync.table,
            addresses(sync.added)
        ));
    }
    if sync.left_out > 0 {
        plan.warnings.push(format!(
            "lookup table {} is full: {} of the group's are not in it",
            sync.table,
            addresses(sync.left_out)
        ));
    }
    Ok(())
}

fn addresses(n: usize) -> String {
    match n {
        1 => "1 address".into(),
        n => format!("{n} addresses"),
    }
}
