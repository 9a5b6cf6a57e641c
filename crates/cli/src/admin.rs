//! `admin …`: the timelocked change queue, going live and the two-step admin hand-over.

use crate::args::AdminCmd;
use crate::commands::{load, load_bank};
use crate::output::{time, Report};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Context, Result};
use cross_margin::state::{Group, GroupSettings};
use cross_margin_client::builders;
use cross_margin_client::chain::Chain;
use cross_margin_client::changes::{self, pending_changes, Pending};
use cross_margin_client::pda;
use cross_margin_client::snapshot::bank_keys;
use solana_signer::Signer;

pub async fn admin<C: Chain>(chain: &mut C, cmd: AdminCmd) -> Result<Report> {
    let signer = chain.payer().pubkey();
    match cmd {
        AdminCmd::Queue { bank, oracle, risk } => {
            let b = load_bank(chain, &bank).await?;
            let g: Group = load(chain, &b.group, "group").await?;
            let oracle = oracle.unwrap_or(b.oracle);
            let config = crate::commands::risk_config(&risk, b.decimals)?;
            let diff = changes::bank_diff(&b.config()?, &config);
            if diff.is_empty() && oracle == b.oracle {
                bail!("bank {bank} already has this config and oracle: nothing to queue");
            }
            let others = bank_keys(chain, &b.group).await?;
            let id = g.change_count;
            let ix =
                builders::bank_queue_edit(&signer, &b.group, &bank, &oracle, id, config, &others);
            let sig = chain
                .send(&[ix], &[])
                .await
                .context("queueing the bank change failed")?;
            queued(chain, &b.group, id, sig).await
        }
        AdminCmd::QueueGroup {
            group,
            security_admin,
            timelock_secs,
            maint_ramp_secs,
            pause_duration_secs,
        } => {
            let g: Group = load(chain, &group, "group").await?;
            let current = g.settings();
            let settings = GroupSettings {
                security_admin: security_admin.unwrap_or(current.security_admin),
                timelock_secs: timelock_secs.unwrap_or(current.timelock_secs),
                maint_ramp_secs: maint_ramp_secs.unwrap_or(current.maint_ramp_secs),
                pause_duration_secs: pause_duration_secs.unwrap_or(current.pause_duration_secs),
            };
            if settings == current {
                bail!("group {group} already has these settings: nothing to queue");
            }
            let id = g.change_count;
            let ix = builders::group_queue_edit(&signer, &group, id, settings);
            let sig = chain
                .send(&[ix], &[])
                .await
                .context("queueing the group change failed")?;
            queued(chain, &group, id, sig).await
        }
        AdminCmd::Changes { group } => {
            let now = chain.unix_timestamp().await?;
            let list = pending_changes(chain, &group).await?;
            let mut r = Report::default()
                .field("group", group.to_string())
                .field("queued_changes", list.len())
                .field("due", changes::due(&list, now).len());
            r.table = Some((
                ["id", "target", "effective", "state", "changes"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                list.iter().map(|p| row(p, now)).collect(),
            ));
            Ok(r)
        }
        AdminCmd::Apply { group, id, all } => apply(chain, group, id, all).await,
        AdminCmd::Cancel { group, id } => {
            let key = pda::change(&group, id);
            let p = load_change(chain, &group, id).await?;
            let ix = builders::change_cancel(&signer, &group, &key, &p.change.payer);
            let sig = chain
                .send(&[ix], &[])
                .await
                .with_context(|| format!("cancelling change {id} failed"))?;
            Ok(Report::default()
                .field("cancelled", id)
                .field("change", key.to_string())
                .field("signature", sig))
        }
        AdminCmd::GoLive { group } => {
            let sig = chain
                .send(&[builders::group_go_live(&signer, &group)], &[])
                .await
                .context("going live failed")?;
            Ok(Report::default()
                .field("group", group.to_string())
                .field("live", true)
                .field("signature", sig))
        }
        AdminCmd::ProposeAdmin {
            group,
            new_admin,
            withdraw,
        } => {
            let proposed = if withdraw { None } else { new_admin };
            if proposed.is_none() && !withdraw {
                bail!("pass --new-admin KEY, or --withdraw to withdraw the proposal");
            }
            let ix = builders::group_propose_admin(&signer, &group, proposed);
            let sig = chain
                .send(&[ix], &[])
                .await
                .context("proposing the admin failed")?;
            let g: Group = load(chain, &group, "group").await?;
            let now = chain.unix_timestamp().await?;
            let mut r = Report::default().field("group", group.to_string());
            r = match proposed {
                Some(k) => r
                    .field("proposed_admin", k.to_string())
                    .field("accept_from", time(g.pending_admin_at, now))
                    .field("accept_from_unix", g.pending_admin_at),
                None => r.field("proposal", "withdrawn"),
            };
            Ok(r.field("signature", sig))
        }
        AdminCmd::AcceptAdmin { group } => {
            let sig = chain
                .send(&[builders::group_accept_admin(&signer, &group)], &[])
                .await
                .context("accepting the admin role failed")?;
            Ok(Report::default()
                .field("group", group.to_string())
                .field("admin", signer.to_string())
                .field("signature", sig))
        }
    }
}

/// The report of a queued change, read back from the chain.
async fn queued<C: Chain>(chain: &mut C, group: &Pubkey, id: u64, sig: String) -> Result<Report> {
    let p = load_change(chain, group, id).await?;
    let now = chain.unix_timestamp().await?;
    Ok(Report::default()
        .field("change_id", id)
        .field("change", p.key.to_string())
        .field("target", p.change.target.to_string())
        .field("effective_at", p.due_at)
        .field("effective", time(p.due_at, now))
        .field("expires", time(p.expires_at, now))
        .field("changes", p.summary())
        .field(
            "apply_with",
            format!("cross-margin admin apply --group {group} --id {id} (the keeper does it too)"),
        )
        .field("signature", sig))
}

async fn load_change<C: Chain>(chain: &mut C, group: &Pubkey, id: u64) -> Result<Pending> {
    let key = pda::change(group, id);
    let account = chain.account(&key).await?.ok_or_else(|| {
        anyhow!("change {id} of group {group} does not exist (applied, cancelled or never queued)")
    })?;
    let change = changes::decode(&account.data)
        .ok_or_else(|| anyhow!("{key} is not a cross-margin queued change"))?;
    let g: Group = load(chain, group, "group").await?;
    Ok(Pending::new(key, change, &g))
}

fn row(p: &Pending, now: i64) -> Vec<String> {
    vec![
        p.change.change_id.to_string(),
        match p.bank() {
            Some(bank) => format!("bank {bank}"),
            None => "group".into(),
        },
        time(p.due_at, now),
        p.state(now).into(),
        p.summary(),
    ]
}

/// Apply one change (sent whether due or not, so the program's verdict is the answer) or
/// every due one.
async fn apply<C: Chain>(
    chain: &mut C,
    group: Pubkey,
    id: Option<u64>,
    all: bool,
) -> Result<Report> {
    let now = chain.unix_timestamp().await?;
    let banks = bank_keys(chain, &group).await?;
    let targets: Vec<Pending> = match (id, all) {
        (Some(id), false) => vec![load_change(chain, &group, id).await?],
        (None, true) => pending_changes(chain, &group)
            .await?
            .into_iter()
            .filter(|p| p.is_due(now))
            .collect(),
        _ => bail!("pass --id N, or --all to apply every due change"),
    };
    let mut rows = vec![];
    let mut applied = 0;
    let mut first_error = None;
    for p in &targets {
        let id = p.change.change_id;
        let result = chain.send(&[p.apply_instruction(&banks)], &[]).await;
        let outcome = match result {
            Ok(sig) => {
                applied += 1;
                format!("applied ({sig})")
            }
            Err(e) => {
                let line = match p.state(now) {
                    "due" => format!("applying change {id} failed: {e}"),
                    "expired" => format!(
                        "applying change {id} failed (it expired at {}; cancel it): {e}",
                        time(p.expires_at, now)
                    ),
                    _ => format!(
                        "applying change {id} failed (it applies from {}): {e}",
                        time(p.due_at, now)
                    ),
                };
                first_error.get_or_insert(line.clone());
                line
            }
        };
        let mut r = row(p, now);
        r[3] = outcome;
        rows.push(r);
    }
    if id.is_some() {
        if let Some(e) = first_error {
            bail!(e);
        }
    }
    let mut r = Report::default()
        .field("group", group.to_string())
        .field("applied", applied)
        .field("failed", targets.len() - applied);
    r.table = Some((
        ["id", "target", "effective", "result", "changes"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows,
    ));
    Ok(r)
}
