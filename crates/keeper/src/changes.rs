//! Applying the group's queued admin changes once their timelock has passed.
//!
//! `bank_apply_edit` and `group_apply_edit` are permissionless, so the keeper applies every
//! due change: an admin queues a change and walks away, and it takes effect on time. The
//! list of changes is re-read on full scans only (it is a `getProgramAccounts`, and a
//! change waits at least a day); on every tick the keeper applies those of the known ones
//! that are due. A change that fails to apply (typically `ChangeStale`: the bank was edited
//! since it was queued) is dropped from the list and retried at the next full scan, so it
//! costs one transaction per full scan until the admin cancels it. A change not applied
//! within 7 days of becoming due expires and is only logged (once per full scan).

use crate::metrics::Metrics;
use anchor_lang::prelude::Pubkey;
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::changes::{pending_changes, Pending};
use tracing::{info, warn};

/// One change the keeper applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub change_id: u64,
    pub change: Pubkey,
    /// The bank changed, or the group.
    pub target: Pubkey,
}

#[derive(Default, Debug)]
pub struct ChangeTracker {
    known: Vec<Pending>,
}

impl ChangeTracker {
    /// Re-read the group's queued changes.
    pub async fn refresh<C: Chain>(
        &mut self,
        chain: &mut C,
        group: &Pubkey,
    ) -> Result<(), ChainError> {
        self.known = pending_changes(chain, group).await?;
        Ok(())
    }

    /// The queued changes known since the last refresh, by id.
    pub fn known(&self) -> &[Pending] {
        &self.known
    }

    /// Apply every known change due at `now`; `banks` = every bank of the group.
    pub async fn apply_due<C: Chain>(
        &mut self,
        chain: &mut C,
        now: i64,
        banks: &[Pubkey],
        dry_run: bool,
        metrics: &Metrics,
    ) -> Result<Vec<Applied>, ChainError> {
        let mut applied = vec![];
        let mut i = 0;
        while i < self.known.len() {
            let p = &self.known[i];
            if p.is_expired(now) {
                warn!(change_id = p.change.change_id, change = %p.key, target = %p.change.target, "queued change expired unapplied: the admin should cancel it");
                self.known.remove(i);
                continue;
            }
            if !p.is_due(now) {
                i += 1;
                continue;
            }
            let (id, key, target) = (p.change.change_id, p.key, p.change.target);
            if dry_run {
                info!(change_id = id, %target, changes = %p.summary(), "dry run: would apply change");
                i += 1;
                continue;
            }
            let ix = p.apply_instruction(banks);
            let summary = p.summary();
            match chain.send(&[ix], &[]).await {
                Ok(sig) => {
                    info!(change_id = id, change = %key, %target, changes = %summary, %sig, "applied queued change");
                    Metrics::add(&metrics.changes_applied, 1);
                    applied.push(Applied {
                        change_id: id,
                        change: key,
                        target,
                    });
                }
                Err(e) if e.is_transient() => return Err(e),
                Err(e) => {
                    warn!(change_id = id, change = %key, %target, error = %e, "queued change could not be applied; retrying at the next full scan");
                    Metrics::add(&metrics.liquidation_failures, 1);
                }
            }
            self.known.remove(i);
        }
        Ok(applied)
    }
}
