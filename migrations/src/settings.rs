//! Converging the group's settings (security admin, timelock, maint ramp, pause duration)
//! to the config.
//!
//! During setup one `group_edit` sets them. On a live group the program lets `group_edit`
//! only tighten (a longer timelock or ramp, a shorter pause), so the tightening part applies
//! at once and the rest (a new security admin, a shorter timelock or ramp, a longer pause)
//! is queued with `group_queue_edit` behind the timelock; group changes have no step limit,
//! so one queued change reaches the config. While a queued group change waits nothing more
//! is queued; one that does not lead to the config is reported with the command that
//! cancels it. Which direction tightens is the program's own rule table
//! (`guard::classify::GROUP_RULES`).

use crate::{load_group, when, Plan};
use anyhow::{Context, Result};
use cross_margin::guard::classify::{group_fields, Class, GROUP_RULES};
use cross_margin::state::{ChangeKind, GroupSettings};
use cross_margin_client::builders;
use cross_margin_client::chain::Chain;
use cross_margin_client::changes::pending_changes;
use solana_signer::Signer;

/// The part of `want` that only tightens `current` (fields that loosen keep their value).
fn tightening_part(current: &GroupSettings, want: &GroupSettings) -> GroupSettings {
    let (old, new) = group_fields(current, want);
    let tightens = |i: usize| GROUP_RULES[i].class(old[i], new[i]) == Class::Tightening;
    let pick = |i: usize, c: u32, w: u32| if tightens(i) { w } else { c };
    GroupSettings {
        security_admin: if tightens(0) {
            want.security_admin
        } else {
            current.security_admin
        },
        timelock_secs: pick(1, current.timelock_secs, want.timelock_secs),
        maint_ramp_secs: pick(2, current.maint_ramp_secs, want.maint_ramp_secs),
        pause_duration_secs: pick(3, current.pause_duration_secs, want.pause_duration_secs),
    }
}

/// `security_admin → K, timelock_secs 86400→172800` for the fields that differ.
fn diff(old: &GroupSettings, new: &GroupSettings) -> String {
    let (o, n) = group_fields(old, new);
    let mut out = vec![];
    if old.security_admin != new.security_admin {
        out.push(format!("security_admin → {}", new.security_admin));
    }
    for i in 1..GROUP_RULES.len() {
        if o[i] != n[i] {
            out.push(format!("{} {}→{}", GROUP_RULES[i].name, o[i], n[i]));
        }
    }
    out.join(", ")
}

pub async fn converge<C: Chain>(chain: &mut C, plan: &mut Plan, want: GroupSettings) -> Result<()> {
    let group = plan.group;
    let admin = chain.payer().pubkey();
    let g = load_group(chain, &group).await?;
    let current = g.settings();
    if current == want {
        return Ok(());
    }
    if !g.is_live() {
        chain
            .send(&[builders::group_edit(&admin, &group, want)], &[])
            .await
            .context("editing the group's settings")?;
        plan.actions
            .push(format!("set group {group}: {}", diff(&current, &want)));
        return Ok(());
    }
    let tight = tightening_part(&current, &want);
    if tight != current {
        chain
            .send(&[builders::group_edit(&admin, &group, tight)], &[])
            .await
            .context("tightening the group's settings")?;
        plan.actions.push(format!(
            "tightened group {group}: {}",
            diff(&current, &tight)
        ));
    }
    if tight == want {
        return Ok(());
    }
    let now = chain.unix_timestamp().await?;
    let waiting = pending_changes(chain, &group)
        .await?
        .into_iter()
        .find(|p| matches!(p.change.change, ChangeKind::Group(_)));
    if let Some(p) = waiting {
        let id = p.change.change_id;
        let leads_here = matches!(p.change.change, ChangeKind::Group(c)
            if c.settings == want && c.base == tight);
        let cancel = format!("cross-margin admin cancel --group {group} --id {id}");
        plan.warnings.push(if p.is_expired(now) {
            format!("group {group}: queued change {id} ({}) expired unapplied; cancel it with `{cancel}` and run again", p.summary())
        } else if leads_here {
            format!(
                "group {group}: queued change {id} ({}) applies at {}",
                p.summary(),
                when(p.due_at, now)
            )
        } else {
            format!("group {group}: queued change {id} ({}) does not lead to the config; cancel it with `{cancel}` and run again", p.summary())
        });
        return Ok(());
    }
    let id = g.change_count;
    chain
        .send(&[builders::group_queue_edit(&admin, &group, id, want)], &[])
        .await
        .context("queueing the group's settings")?;
    plan.queued.push(id);
    plan.actions.push(format!(
        "queued change {id} for group {group}: {} (the group is live; applies at {})",
        diff(&tight, &want),
        when(g.loosening_effective_at(now), now)
    ));
    Ok(())
}
