//! Idempotent bootstrap of a group, its banks and its address lookup table from a TOML
//! config.
//!
//! The run converges the chain to the file, in this order:
//!
//! 1. the group is created if missing (its admin must be the signer otherwise);
//! 2. queued changes of the group that are due are applied (anyone may), so a later run
//!    picks up where the timelock left off;
//! 3. the security admin is set: at once during setup, queued once the group is live;
//! 4. each bank is registered if missing, and converged if its config or oracle differs
//!    ([`banks`]): during setup with one `bank_edit`; on a live group the tightening part
//!    applies at once (`bank_edit`) and the loosening part is queued behind the timelock,
//!    one allowed step at a time (weights move by at most 0.1 per change). A bank new to a
//!    live group is registered with asset weights 0 and its weights are queued;
//! 5. the group goes live (`group_go_live`) if the config says `live = true` (the default);
//! 6. the group's lookup table is created if missing and extended with whatever keys it
//!    lacks (banks, oracles, vaults, mints; see `cross_margin_client::lookup_table`), so
//!    liquidations between full accounts fit a transaction.
//!
//! The returned [`Plan`] lists what was done, so a second run reports nothing; what waits
//! (a queued change not yet due) is reported as a warning with when it applies.

mod banks;
pub mod config;

pub use config::{parse, BankSpec, Config};

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Context, Result};
use config::key;
use cross_margin::state::{ChangeKind, Group, GroupSettings};
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
    // Refuse invalid bank values before anything is sent.
    let specs = config
        .banks
        .iter()
        .map(|s| s.config().map(|c| (s, c)))
        .collect::<Result<Vec<_>>>()?;
    if chain.account(&group).await?.is_none() {
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
    let g = load_group(chain, &group).await?;
    if g.admin != admin {
        bail!(
            "group {group} is administered by {}, not by the signer {admin}",
            g.admin
        );
    }
    apply_due_changes(chain, &mut plan).await?;
    let g = load_group(chain, &group).await?;
    if g.security_admin != security_admin {
        set_security_admin(chain, &mut plan, &g, security_admin).await?;
    }
    for (spec, want) in specs {
        banks::converge(chain, &mut plan, spec, want).await?;
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
    converge_lookup_table(chain, &mut plan, pinned_table).await?;
    Ok(plan)
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

/// Set the security admin: at once during setup; on a live group a new security admin is a
/// loosening change, so it is queued (once).
async fn set_security_admin<C: Chain>(
    chain: &mut C,
    plan: &mut Plan,
    g: &Group,
    security_admin: Pubkey,
) -> Result<()> {
    let group = plan.group;
    let admin = chain.payer().pubkey();
    let settings = GroupSettings {
        security_admin,
        ..g.settings()
    };
    if !g.is_live() {
        chain
            .send(&[builders::group_edit(&admin, &group, settings)], &[])
            .await?;
        plan.actions
            .push(format!("set security admin of {group} to {security_admin}"));
        return Ok(());
    }
    let now = chain.unix_timestamp().await?;
    let waiting = pending_changes(chain, &group).await?.into_iter().find(|p| {
        matches!(p.change.change, ChangeKind::Group(c) if c.settings == settings && c.base == g.settings())
    });
    if let Some(p) = waiting {
        plan.warnings.push(format!(
            "security admin of {group} becomes {security_admin} with queued change {} at {}",
            p.change.change_id,
            when(p.due_at, now)
        ));
        return Ok(());
    }
    let id = g.change_count;
    chain
        .send(
            &[builders::group_queue_edit(&admin, &group, id, settings)],
            &[],
        )
        .await
        .context("queueing the security admin change")?;
    plan.queued.push(id);
    plan.actions.push(format!(
        "queued change {id}: security admin of {group} → {security_admin} (the group is live; applies at {})",
        when(now + g.timelock_secs as i64, now)
    ));
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
