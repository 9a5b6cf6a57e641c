//! `PendingChange`: one admin change waiting out the group's timelock.
//!
//! Queued by the admin (`bank_queue_edit`, `group_queue_edit`) at PDA
//! `["change", group, change_id]` (`change_id` = the group's `change_count` then); applied by
//! **anyone** once `effective_at` has passed (`bank_apply_edit`, `group_apply_edit`);
//! cancelled by the admin or the security admin (`change_cancel`). A change records the
//! exact settings it was queued against (`base`): if anything changed in between, applying
//! it fails with `ChangeStale`, so a queued loosening can never silently undo a later
//! tightening. Rent goes back to `payer` when it is applied or cancelled.

use super::{BankConfig, Group, GroupSettings, CHANGE_EXPIRY_SECS};
use crate::error::CrossMarginError;
use crate::events::ChangeQueued;
use anchor_lang::prelude::*;

pub const CHANGE_SEED: &[u8] = b"change";

/// A bank config change: the config and oracle it was queued against, and the new ones.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct BankChange {
    pub base: BankConfig,
    pub base_oracle: Pubkey,
    pub config: BankConfig,
    pub oracle: Pubkey,
}

/// A group settings change.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupChange {
    pub base: GroupSettings,
    pub settings: GroupSettings,
}

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Bank(BankChange),
    Group(GroupChange),
}

/// One admin change waiting out the group's timelock: PDA
/// `["change", group, change_id (u64 LE)]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct PendingChange {
    /// The group the change belongs to.
    pub group: Pubkey,
    /// The bank it changes, or the group itself.
    pub target: Pubkey,
    /// Paid the rent; receives it back.
    pub payer: Pubkey,
    /// The group's `change_count` when queued; part of the PDA seeds.
    pub change_id: u64,
    /// Unix time it was queued.
    pub queued_at: i64,
    /// Anyone may apply it from this unix time on (a change queued before the group went
    /// live waits until `went_live_at + timelock_secs` if that is later), until
    /// `CHANGE_EXPIRY_SECS` after it became due.
    pub effective_at: i64,
    /// The settings it was queued against (`base`) and the new ones.
    pub change: ChangeKind,
    /// Bump of the change PDA.
    pub bump: u8,
}

/// What a queue instruction records in a freshly created change.
pub struct NewChange {
    /// The change account's own address (for the event).
    pub key: Pubkey,
    pub group: Pubkey,
    pub target: Pubkey,
    pub payer: Pubkey,
    pub bump: u8,
    pub change: ChangeKind,
    /// The first loosening field, for the event (`None`: the change only tightens).
    pub loosens: Option<&'static str>,
}

impl PendingChange {
    pub const SPACE: usize = 8 + PendingChange::INIT_SPACE;

    /// Record `new` as change number `change_id` of `group`, which must be the group's next
    /// number (the PDA seed); the count moves on. Due at once during setup, after the
    /// timelock on a live group. Emits `ChangeQueued`.
    pub fn record(
        &mut self,
        group: &mut Group,
        change_id: u64,
        new: NewChange,
        now: i64,
    ) -> Result<()> {
        require!(
            change_id == group.change_count,
            CrossMarginError::ChangeTargetMismatch
        );
        group.change_count = group
            .change_count
            .checked_add(1)
            .ok_or(CrossMarginError::MathOverflow)?;
        *self = PendingChange {
            group: new.group,
            target: new.target,
            payer: new.payer,
            change_id,
            queued_at: now,
            effective_at: group.loosening_effective_at(now),
            change: new.change,
            bump: new.bump,
        };
        emit!(ChangeQueued {
            group: self.group,
            change: new.key,
            target: self.target,
            change_id,
            effective_at: self.effective_at,
            loosens: new.loosens.unwrap_or_default().to_string(),
        });
        Ok(())
    }

    /// Fails unless the change may apply now: due (`Group::change_due_at`: a change queued
    /// during setup waits a full timelock from going live) and not expired.
    pub fn check_due(&self, group: &Group, now: i64) -> Result<()> {
        let due = group.change_due_at(self.queued_at, self.effective_at);
        if now < due {
            msg!(
                "change {} applies from unix time {} (in {} s)",
                self.change_id,
                due,
                due - now
            );
            return err!(CrossMarginError::ChangeNotYetEffective);
        }
        require!(
            now <= due.saturating_add(CHANGE_EXPIRY_SECS),
            CrossMarginError::ChangeExpired
        );
        Ok(())
    }
}
