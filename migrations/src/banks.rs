//! Converging one bank to its spec.
//!
//! - Missing: registered with the spec's config during setup; on a live group with asset
//!   weights 0 (the program refuses anything else there), the weights then queued below.
//! - Different, during setup: one `bank_edit`.
//! - Different, on a live group: the fields that tighten apply at once with `bank_edit`
//!   (tightened maint weights ramp); the fields that loosen (and a new oracle) are queued
//!   with `bank_queue_edit`, as far as one change may go (`changes::next_step`: weights by
//!   0.1, limits at most doubled). The change applies after the timelock (the keeper or the
//!   next run applies it), and a later run queues the next step until the bank matches.
//!   While a queued change for the bank is waiting nothing more is queued; a queued change
//!   that does not lead to the spec is reported with the command that cancels it.

use crate::{load_group, when, CheckedBank, Plan};
use anyhow::{anyhow, bail, Context, Result};
use cross_margin::state::{Bank, BankConfig, ChangeKind};
use cross_margin_client::builders;
use cross_margin_client::chain::Chain;
use cross_margin_client::changes::{self, bank_diff, pending_changes};
use cross_margin_client::pda;
use cross_margin_client::snapshot::{bank_keys, decode};
use solana_signer::Signer;

fn fields(old: &BankConfig, new: &BankConfig) -> String {
    bank_diff(old, new)
        .iter()
        .map(|f| format!("{} {}→{}", f.field, f.old, f.new))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn converge<C: Chain>(chain: &mut C, plan: &mut Plan, spec: &CheckedBank) -> Result<()> {
    let admin = chain.payer().pubkey();
    let group = plan.group;
    let CheckedBank {
        token_index: t,
        mint,
        oracle,
        config: want,
    } = *spec;
    let bank = pda::bank(&group, t);
    let g = load_group(chain, &group).await?;
    let have = match chain.account(&bank).await? {
        None => {
            let program = chain
                .account(&mint)
                .await?
                .ok_or_else(|| anyhow!("mint {mint} does not exist"))?
                .owner;
            let others = bank_keys(chain, &group).await?;
            let listing = if g.is_live() {
                BankConfig {
                    init_asset_weight_bps: 0,
                    maint_asset_weight_bps: 0,
                    ..want
                }
            } else {
                want
            };
            let ix = builders::bank_register(
                &admin, &group, &mint, &program, &oracle, t, listing, &others,
            );
            chain
                .send(&[ix], &[])
                .await
                .with_context(|| format!("registering bank {t}"))?;
            plan.actions.push(if listing == want {
                format!("registered bank {t} ({mint}) at {bank}")
            } else {
                format!(
                    "registered bank {t} ({mint}) at {bank} with asset weights 0 (the group is live)"
                )
            });
            if listing == want {
                return Ok(());
            }
            read_bank(chain, &bank).await?
        }
        Some(a) => {
            decode::<Bank>(&a.data).ok_or_else(|| anyhow!("{bank} exists but is not a bank"))?
        }
    };
    if have.mint != mint {
        bail!(
            "bank {t} already lists mint {}, not {mint}; token indices cannot be reused",
            have.mint
        );
    }
    let mut current = have.config()?;
    if current == want && have.oracle == oracle {
        return Ok(());
    }
    let others = bank_keys(chain, &group).await?;
    if !g.is_live() {
        let ix = builders::bank_edit(&admin, &group, &bank, &oracle, want, &others);
        chain
            .send(&[ix], &[])
            .await
            .with_context(|| format!("editing bank {t}"))?;
        plan.actions
            .push(format!("edited bank {t} to match the config"));
        return Ok(());
    }
    // Live: tighten now what tightens.
    let tight = changes::tightening_part(&current, &want);
    if tight != current && tight.validate().is_ok() {
        let ix = builders::bank_edit(&admin, &group, &bank, &have.oracle, tight, &others);
        chain
            .send(&[ix], &[])
            .await
            .with_context(|| format!("tightening bank {t}"))?;
        plan.actions
            .push(format!("tightened bank {t}: {}", fields(&current, &tight)));
        current = tight;
    }
    if current == want && have.oracle == oracle {
        return Ok(());
    }
    // Queue what loosens, one allowed step.
    let next = changes::next_step(&current, &want);
    let now = chain.unix_timestamp().await?;
    let queued = pending_changes(chain, &group)
        .await?
        .into_iter()
        .find(|p| p.bank() == Some(bank));
    if let Some(p) = queued {
        let id = p.change.change_id;
        let leads_here = matches!(p.change.change, ChangeKind::Bank(c)
            if c.base == current && c.base_oracle == have.oracle && c.config == next && c.oracle == oracle);
        plan.warnings.push(if p.is_expired(now) {
            format!(
                "bank {t}: queued change {id} ({}) expired unapplied; cancel it with `cross-margin admin cancel --group {group} --id {id}` and run again",
                p.summary()
            )
        } else if leads_here {
            format!(
                "bank {t}: queued change {id} ({}) applies at {}; run again after that",
                p.summary(),
                when(p.due_at, now)
            )
        } else {
            format!(
                "bank {t}: queued change {id} ({}) does not lead to the config; cancel it with `cross-margin admin cancel --group {group} --id {id}` and run again",
                p.summary()
            )
        });
        return Ok(());
    }
    let id = load_group(chain, &group).await?.change_count;
    let ix = builders::bank_queue_edit(&admin, &group, &bank, &oracle, id, next, &others);
    chain
        .send(&[ix], &[])
        .await
        .with_context(|| format!("queueing the loosening of bank {t}"))?;
    plan.queued.push(id);
    let effective = chain
        .account(&pda::change(&group, id))
        .await?
        .and_then(|a| changes::decode(&a.data))
        .map(|c| c.effective_at)
        .unwrap_or(now);
    let mut what = fields(&current, &next);
    if oracle != have.oracle {
        if !what.is_empty() {
            what.push_str(", ");
        }
        what.push_str(&format!("oracle {}→{oracle}", have.oracle));
    }
    plan.actions.push(format!(
        "queued change {id} for bank {t}: {what}; applies at {}{}",
        when(effective, now),
        if next == want {
            ""
        } else {
            " (one step of the loosening: run again after it applies)"
        }
    ));
    Ok(())
}

async fn read_bank<C: Chain>(chain: &mut C, bank: &anchor_lang::prelude::Pubkey) -> Result<Bank> {
    cross_margin_client::snapshot::fetch::<Bank, _>(chain, bank)
        .await?
        .ok_or_else(|| anyhow!("bank {bank} missing after registration"))
}
