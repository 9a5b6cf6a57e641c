//! `PendingChange`: one admin change waiting out the group's timelock.
//!
//! Queued by the admin (`bank_queue_edit`, `group_queue_edit`) at PDA
//! `["change", group, change_id]` (`change_id` = the group's `change_count` then); applied by
//! **anyone** once `effective_at` has passed (`bank_apply_edit`, `group_apply_edit`);
//! cancelled by the admin or the security admin (`change_cancel`). A change records the
//! exact settings it was queued against (`base`): if anything changed in between, applying
//! it fails with `ChangeStale`, so a queued loosening can never silently undo a later
//! tightening. Rent goes back to `payer` when it is applied or cancelled.

use super::{BankConfig, GroupSettings};
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

#[account]
#[derive(InitSpace, Debug)]
pub struct PendingChange {
    pub group: Pubkey,
    /// The bank it changes, or the group itself.
    pub target: Pubkey,
    /// Paid the rent; receives it back.
    pub payer: Pubkey,
    pub change_id: u64,
    pub queued_at: i64,
    /// Anyone may apply it from this time on.
    pub effective_at: i64,
    pub change: ChangeKind,
    pub bump: u8,
}

impl PendingChange {
    pub const SPACE: usize = 8 + PendingChange::INIT_SPACE;
}
