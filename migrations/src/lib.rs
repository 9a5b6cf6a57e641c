//! Idempotent bootstrap of a group, its banks, its perp markets and its address lookup
//! table from a TOML config.
//!
//! Nothing is sent before the whole config passed [`check`] (offline: keys, every bank's
//! config and the group settings through the program's own validation, token indices,
//! mints, liquidatable pairs; all problems at once). The run then converges the chain to the
//! file, in this order:
//!
//! 1. the group is created if missing (its admin must be the signer otherwise);
//! 2. queued changes of the group that are due are applied (anyone may), so a later run
//!    picks up where the timelock left off;
//! 3. the group settings (security admin, timelock, maint ramp, pause duration) are
//!    converged ([`settings`]): at once during setup; on a live group the tightening part at
//!    once and the rest queued;
//! 4. each bank is registered if missing, and converged if its config or oracle differs
//!    ([`banks`]): during setup with one `bank_edit`; on a live group the tightening part
//!    applies at once (`bank_edit`) and the loosening part is queued behind the timelock,
//!    one allowed step at a time (weights move by at most 0.1 per change). A bank new to a
//!    live group is registered with asset weights 0 and its weights are queued;
//! 5. each perp market is registered if missing, after the banks it settles in; one that
//!    differs from the file is reported (there is no `perp_market_edit` yet; [`perps`]);
//! 6. the group goes live (`group_go_live`) if the config says `live = true` (the default);
//! 7. the group's lookup table is created if missing and extended with whatever keys it
//!    lacks (banks, oracles, vaults, mints; see `cross_margin_client::lookup_table`), so
//!    liquidations between full accounts fit a transaction.
//!
//! The returned [`Plan`] lists what was done, so a second run reports nothing; what waits
//! (a queued change not yet due) is reported as a warning with when it applies. A run that
//! fails part-way returns what it had done before the failure ([`Error::Failed`]).

mod banks;
pub mod check;
pub mod config;
pub mod perps;
mod settings;

pub use check::{check, Checked, CheckedBank, Problems};
pub use config::{load, parse, BankSpec, Config};

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Context, Result};
use cross_margin::state::Group;
use cross_margin_client::builders;
use cross_margin_client::chain::Chain;
use cross_margin_client::changes::{pending_changes, Pending};
use cross_margin_client::lookup_table;
use cross_margin_client::pda;
use cross_margin_client::snapshot::{bank_keys, decode};
use solana_signer::Signer;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    pub group: Pubkey,
    /// The group's address lookup table (the keeper and CLI find it by convention, or take
    /// it as `--lookup-table`).
    pub lookup_table: Option<Pubkey>,
    pub actions: Vec<String>,
    /// Conditions that need an operator or time but are not actions (repeated on every
    /// run): queued changes waiting out the timelock, changes that cannot apply.
    pub warnings: Vec<String>,
    /// Ids of the changes this run queued.
    pub queued: Vec<u64>,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum Error {
    /// The config was refused offline; nothing was sent.
    Invalid(Problems),
    /// A step failed; `done` holds what the run had done before it (its actions completed,
    /// warnings so far).
    Failed {
        done: Box<Plan>,
        error: anyhow::Error,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Error::Invalid(p) => write!(f, "{p} (nothing was sent)"),
            Error::Failed { done, error } => {
                write!(f, "{error:#}")?;
                match done.actions.len() {
                    0 => write!(f, " (nothing had been done)"),
                    n => write!(f, " (after {n} completed: {})", done.actions.join("; ")),
                }
            }
        }
    }
}

impl std::error::Error for Error {}

/// Check `config` offline, then converge the chain to it; the signer is the chain's payer
/// (the group admin).
pub async fn bootstrap<C: Chain>(chain: &mut C, config: &Config) -> Result<Plan, Error> {
    let checked = check(config).map_err(Error::Invalid)?;
    let admin = chain.payer().pubkey();
    let mut plan = Plan {
        group: pda::group(&admin, checked.group_num),
        ..Plan::default()
    };
    match converge(chain, &checked, &mut plan).await {
        Ok(()) => Ok(plan),
        Err(error) => Err(Error::Failed {
            done: Box::new(plan),
            error,
        }),
    }
}

/// The steps of [`bootstrap`], recording each in `plan` as it completes.
async fn converge<C: Chain>(chain: &mut C, config: &Checked, plan: &mut Plan) -> Result<()> {
    let admin = chain.payer().pubkey();
    let group = plan.group;
    let settings = config.settings(admin);
    if chain.account(&group).await?.is_none() {
        chain
            .send(
                &[builders::group_create(
                    &admin,
                    config.group_num,
                    &settings.security_admin,
                )],
                &[],
            )
            .await
            .context("creating the group")?;
        plan.actions.push(format!("created group {group}"));
    }
    let g = load_group(chain, &group).await?;
    if g.admin != admin {
        bail!(
            "group {group} is administered by {}, not by the signer {admin}",
            g.admin
        );
    }
    apply_due_changes(chain, plan).await?;
    settings::converge(chain, plan, settings).await?;
    for bank in &config.banks {
        banks::converge(chain, plan, bank).await?;
    }
    for perp in &config.perps {
        perps::converge(chain, plan, perp).await?;
    }
    let g = load_group(chain, &group).await?;
    match (config.live, g.is_live()) {
        (true, false) => {
            chain
                .send(&[builders::group_go_live(&admin, &group)], &[])
                .await
                .context("going live")?;
            plan.actions.push(format!(
                "group {group} went live: margin accounts may be opened; loosening changes now wait {}",
                duration(g.timelock_secs as i64)
            ));
        }
        (false, true) => plan.warnings.push(format!(
            "the config says live = false but group {group} is live (going live cannot be undone)"
        )),
        _ => {}
    }
    converge_lookup_table(chain, plan, config.lookup_table).await
}

pub(crate) async fn load_group<C: Chain>(chain: &mut C, group: &Pubkey) -> Result<Group> {
    let a = chain
        .account(group)
        .await?
        .ok_or_else(|| anyhow!("group {group} does not exist"))?;
    decode::<Group>(&a.data).ok_or_else(|| anyhow!("{group} exists but is not a group"))
}

/// Apply every queued change of the group that is due (permissionless).
async fn apply_due_changes<C: Chain>(chain: &mut C, plan: &mut Plan) -> Result<()> {
    let now = chain.unix_timestamp().await?;
    let due: Vec<Pending> = pending_changes(chain, &plan.group)
        .await?
        .into_iter()
        .filter(|p| p.is_due(now))
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let banks = bank_keys(chain, &plan.group).await?;
    for p in due {
        let id = p.change.change_id;
        match chain.send(&[p.apply_instruction(&banks)], &[]).await {
            Ok(_) => plan
                .actions
                .push(format!("applied queued change {id}: {}", p.summary())),
            Err(e) => plan.warnings.push(format!(
                "queued change {id} is due but cannot be applied ({e}); cancel it with `cross-margin admin cancel --group {} --id {id}`",
                plan.group
            )),
        }
    }
    Ok(())
}

/// `unix time (in 1d 2h)`.
pub(crate) fn when(at: i64, now: i64) -> String {
    if at <= now {
        format!("unix {at} (due now)")
    } else {
        format!("unix {at} (in {})", duration(at - now))
    }
}

fn duration(secs: i64) -> String {
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (d, h, m) {
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
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
