//! `Group`: the root of one protocol deployment. Banks and margin accounts belong to a group,
//! and the group PDA is the token authority of every vault in it.

use crate::error::CrossMarginError;
use anchor_lang::prelude::*;
use static_assertions::const_assert_eq;

pub const GROUP_SEED: &[u8] = b"group";

/// The root of one deployment: PDA `["group", creator, group_num (u32 LE)]`, and the token
/// authority of every vault in it. Boolean fields are `u8`: 0 = false, 1 = true.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Group {
    /// Signed `group_create`; part of the PDA seeds.
    pub creator: Pubkey,
    /// May edit the group, register and edit banks, queue loosening changes, pause and
    /// unpause. Handed over in two steps (`group_propose_admin`, `group_accept_admin`).
    pub admin: Pubkey,
    /// May only pause and cancel queued changes (an incident-response key that cannot
    /// loosen anything).
    pub security_admin: Pubkey,
    /// Chosen by the creator; part of the PDA seeds (u32 little-endian).
    pub group_num: u32,
    /// Bump of the group PDA.
    pub bump: u8,
    /// Boolean: 1 while paused (until `pause_expires_at`): withdrawals and borrows are refused;
    /// deposits and repays still work.
    pub paused: u8,
    /// Banks registered so far (token indices need not be contiguous). `bank_register` and
    /// `bank_edit` check a new config against every other bank, and this count is how they
    /// know the list they were given is complete.
    pub bank_count: u16,
    /// The admin proposed by `group_propose_admin` (default = none), who may accept from
    /// `pending_admin_at` on (now + timelock once the group is live).
    pub pending_admin: Pubkey,
    /// Unix time from which `pending_admin` may accept (0 when none is pending).
    pub pending_admin_at: i64,
    /// A pause lapses by itself at this unix time unless renewed: the group is paused while
    /// `paused == 1` and now < `pause_expires_at`.
    pub pause_expires_at: i64,
    /// Queued changes so far; the next one's PDA uses this number.
    pub change_count: u64,
    /// How long a loosening change waits (≥ `MIN_TIMELOCK_SECS`).
    pub timelock_secs: u32,
    /// How long a tightened maint weight takes to reach its target.
    pub maint_ramp_secs: u32,
    /// How long a pause lasts unless renewed.
    pub pause_duration_secs: u32,
    /// Boolean: 1 once the admin declared the group live (`group_go_live`): margin accounts may be
    /// opened, and from then on every loosening change waits out the timelock.
    pub live: u8,
    /// Zero.
    pub padding: [u8; 3],
    /// When `group_go_live` ran: changes queued before it wait a full timelock from then.
    pub went_live_at: i64,
    /// Zero; room for later fields.
    pub reserved: [u8; 48],
}
const_assert_eq!(core::mem::size_of::<Group>(), 232);

/// The hard minimum timelock compiled into the program: no group setting goes below it.
pub const MIN_TIMELOCK_SECS: u32 = 86_400;
pub const MAX_TIMELOCK_SECS: u32 = 30 * 86_400;
/// Tightened maint weights take at least an hour to arrive.
pub const MIN_MAINT_RAMP_SECS: u32 = 3_600;
pub const MAX_MAINT_RAMP_SECS: u32 = 30 * 86_400;
/// A pause lasts between an hour and a week unless renewed.
pub const MIN_PAUSE_SECS: u32 = 3_600;
/// A queued change not applied within this long after it became due expires.
pub const CHANGE_EXPIRY_SECS: i64 = 7 * 86_400;
pub const MAX_PAUSE_SECS: u32 = 7 * 86_400;

/// The group's admin-controlled settings (besides the admin itself), as passed to
/// `group_edit` and `group_queue_edit`.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupSettings {
    /// May pause (not unpause) and cancel queued bank changes.
    pub security_admin: Pubkey,
    /// `MIN_TIMELOCK_SECS ..= MAX_TIMELOCK_SECS`.
    pub timelock_secs: u32,
    /// `MIN_MAINT_RAMP_SECS ..= MAX_MAINT_RAMP_SECS`.
    pub maint_ramp_secs: u32,
    /// `MIN_PAUSE_SECS ..= MAX_PAUSE_SECS`.
    pub pause_duration_secs: u32,
}

impl GroupSettings {
    /// Timelock 1 day, maint ramp 1 day, pause 2 days.
    pub fn defaults(security_admin: Pubkey) -> Self {
        Self {
            security_admin,
            timelock_secs: MIN_TIMELOCK_SECS,
            maint_ramp_secs: 86_400,
            pause_duration_secs: 2 * 86_400,
        }
    }

    pub fn validate(&self) -> Result<()> {
        require!(
            (MIN_TIMELOCK_SECS..=MAX_TIMELOCK_SECS).contains(&self.timelock_secs)
                && (MIN_MAINT_RAMP_SECS..=MAX_MAINT_RAMP_SECS).contains(&self.maint_ramp_secs)
                && (MIN_PAUSE_SECS..=MAX_PAUSE_SECS).contains(&self.pause_duration_secs),
            CrossMarginError::InvalidGroupSettings
        );
        Ok(())
    }
}

impl Group {
    pub const SPACE: usize = 8 + core::mem::size_of::<Group>();

    /// Paused now: the pause was set and has not lapsed.
    pub fn is_paused(&self, now: i64) -> bool {
        self.paused != 0 && now < self.pause_expires_at
    }

    pub fn is_live(&self) -> bool {
        self.live != 0
    }

    pub fn settings(&self) -> GroupSettings {
        GroupSettings {
            security_admin: self.security_admin,
            timelock_secs: self.timelock_secs,
            maint_ramp_secs: self.maint_ramp_secs,
            pause_duration_secs: self.pause_duration_secs,
        }
    }

    pub fn apply_settings(&mut self, s: &GroupSettings) {
        self.security_admin = s.security_admin;
        self.timelock_secs = s.timelock_secs;
        self.maint_ramp_secs = s.maint_ramp_secs;
        self.pause_duration_secs = s.pause_duration_secs;
    }

    /// When a loosening change queued now may apply: at once before the group is live
    /// (nobody's funds are at stake yet), after the timelock from then on.
    pub fn loosening_effective_at(&self, now: i64) -> i64 {
        if self.is_live() {
            now.saturating_add(self.timelock_secs.max(MIN_TIMELOCK_SECS) as i64)
        } else {
            now
        }
    }

    /// When a change queued at `queued_at` with `effective_at` may apply: a change queued
    /// during the setup phase (effective at once then) still waits a full timelock from the
    /// moment the group went live, so nothing queued before users arrived skips the wait.
    pub fn change_due_at(&self, queued_at: i64, effective_at: i64) -> i64 {
        if self.is_live() && queued_at <= self.went_live_at {
            effective_at.max(
                self.went_live_at
                    .saturating_add(self.timelock_secs.max(MIN_TIMELOCK_SECS) as i64),
            )
        } else {
            effective_at
        }
    }

    /// The maint ramp for a tightening applied now (none before the group is live).
    pub fn maint_ramp(&self) -> Option<u32> {
        self.is_live()
            .then_some(self.maint_ramp_secs.max(MIN_MAINT_RAMP_SECS))
    }

    /// What the group PDA needs to sign a vault transfer, copied out so the group account is
    /// not borrowed while the token program runs. Fails with `GroupPaused` while paused: every
    /// instruction that moves tokens out of a vault is one a pause must stop.
    pub fn unpaused_signer(&self, now: i64) -> Result<GroupSigner> {
        require!(!self.is_paused(now), CrossMarginError::GroupPaused);
        Ok(GroupSigner {
            creator: self.creator,
            group_num: self.group_num.to_le_bytes(),
            bump: [self.bump],
        })
    }
}

/// An owned copy of the group PDA's signer seeds.
#[derive(Copy, Clone, Debug)]
pub struct GroupSigner {
    creator: Pubkey,
    group_num: [u8; 4],
    bump: [u8; 1],
}

impl GroupSigner {
    pub fn seeds(&self) -> [&[u8]; 4] {
        [
            GROUP_SEED,
            self.creator.as_ref(),
            &self.group_num,
            &self.bump,
        ]
    }
}
