//! The values an integrator needs, exported to the IDL's `constants` (Anchor `#[constant]`).
//!
//! Each item here is the program's own constant, re-exported: its value is the expression
//! naming the definition the program uses, so the IDL cannot drift from the code. Where the
//! IDL needs another type (it has no `usize`), the value is converted here and a
//! compile-time assertion proves the conversion loses nothing. Nothing in the program reads
//! this module; it exists so that `anchor idl build` (and `scripts/build-idl.py`) can see
//! the values.

use crate::instructions::bank_register;
use crate::math::{interest, I80F48};
use crate::state::{self, Bank, Group, MarginAccount};
use anchor_lang::prelude::*;

// ---- PDA seeds (each seed's bytes; integer seeds are little-endian) ----

/// Group PDA: `["group", creator, group_num (u32 LE)]`.
#[constant]
pub const GROUP_SEED: &[u8] = state::GROUP_SEED;
/// Bank PDA: `["bank", group, token_index (u16 LE)]`.
#[constant]
pub const BANK_SEED: &[u8] = state::BANK_SEED;
/// A bank's vault (token account, authority = the group PDA): `["vault", bank]`.
#[constant]
pub const VAULT_SEED: &[u8] = state::VAULT_SEED;
/// A bank's insurance vault (authority = the group PDA): `["insurance", bank]`.
#[constant]
pub const INSURANCE_SEED: &[u8] = state::INSURANCE_SEED;
/// Margin account PDA: `["account", group, owner, account_num (u32 LE)]`.
#[constant]
pub const ACCOUNT_SEED: &[u8] = state::ACCOUNT_SEED;
/// Queued change (`PendingChange`) PDA: `["change", group, change_id (u64 LE)]`, where
/// `change_id` is the group's `change_count` when queued.
#[constant]
pub const CHANGE_SEED: &[u8] = state::CHANGE_SEED;

// ---- Margin accounts and units ----

/// `token_index` of a free position slot in `MarginAccount.token_positions` (no bank may
/// use this index).
#[constant]
pub const FREE_TOKEN_INDEX: u16 = state::FREE_TOKEN_INDEX;
const _: () = assert!(state::FREE_TOKEN_INDEX == state::RESERVED_TOKEN_INDEX);

/// Token position slots per margin account (the length of `token_positions`).
#[constant]
pub const MAX_TOKEN_POSITIONS: u8 = state::MAX_TOKEN_POSITIONS as u8;
const _: () = assert!(MAX_TOKEN_POSITIONS as usize == state::MAX_TOKEN_POSITIONS);

/// Decimals of quote-native units, the unit of every value and of health: USD × 10^6.
#[constant]
pub const QUOTE_DECIMALS: u8 = state::QUOTE_DECIMALS;

/// Fractional bits of every `I80F48` value: a field of type `I80F48Bytes` holds the 16
/// little-endian bytes of a signed 128-bit integer `bits`, and its value is
/// `bits / 2^48`. Event fields documented as I80F48 carry the same `bits` as `i128`.
#[constant]
pub const I80F48_FRACTIONAL_BITS: u8 = I80F48::FRAC_NBITS as u8;
const _: () = assert!(I80F48_FRACTIONAL_BITS as u32 == I80F48::FRAC_NBITS);

/// Denominator of every `*_bps` field: 10,000 bps = 1 (a weight of 1, a rate of 100 %).
#[constant]
pub const BPS: u32 = interest::BPS;

/// Largest mint decimals a bank may list.
#[constant]
pub const MAX_DECIMALS: u8 = bank_register::MAX_DECIMALS;

/// Byte offset of `MarginAccount.group` in the account data (after the 8-byte
/// discriminator), for `getProgramAccounts` memcmp filters.
#[constant]
pub const MARGIN_ACCOUNT_GROUP_OFFSET: u32 = MarginAccount::GROUP_OFFSET as u32;
const _: () = assert!(MARGIN_ACCOUNT_GROUP_OFFSET as usize == MarginAccount::GROUP_OFFSET);

/// Byte offset of `MarginAccount.owner` in the account data, for memcmp filters.
#[constant]
pub const MARGIN_ACCOUNT_OWNER_OFFSET: u32 = MarginAccount::OWNER_OFFSET as u32;
const _: () = assert!(MARGIN_ACCOUNT_OWNER_OFFSET as usize == MarginAccount::OWNER_OFFSET);

/// Data length of a `MarginAccount`, discriminator included (a `dataSize` filter).
#[constant]
pub const MARGIN_ACCOUNT_SIZE: u32 = MarginAccount::SPACE as u32;
const _: () = assert!(MARGIN_ACCOUNT_SIZE as usize == MarginAccount::SPACE);

/// Data length of a `Bank`, discriminator included.
#[constant]
pub const BANK_SIZE: u32 = Bank::SPACE as u32;
const _: () = assert!(BANK_SIZE as usize == Bank::SPACE);

/// Data length of a `Group`, discriminator included.
#[constant]
pub const GROUP_SIZE: u32 = Group::SPACE as u32;
const _: () = assert!(GROUP_SIZE as usize == Group::SPACE);

// ---- Governance bounds (compiled in; no group setting goes outside them) ----

/// Shortest timelock a group may set: loosening changes wait at least this long.
#[constant]
pub const MIN_TIMELOCK_SECS: u32 = state::MIN_TIMELOCK_SECS;
/// Longest timelock a group may set.
#[constant]
pub const MAX_TIMELOCK_SECS: u32 = state::MAX_TIMELOCK_SECS;
/// Shortest maint-weight ramp: a tightened maint weight takes at least this long.
#[constant]
pub const MIN_MAINT_RAMP_SECS: u32 = state::MIN_MAINT_RAMP_SECS;
/// Longest maint-weight ramp a group may set.
#[constant]
pub const MAX_MAINT_RAMP_SECS: u32 = state::MAX_MAINT_RAMP_SECS;
/// Shortest pause duration a group may set.
#[constant]
pub const MIN_PAUSE_SECS: u32 = state::MIN_PAUSE_SECS;
/// Longest pause duration a group may set (a pause lapses unless renewed).
#[constant]
pub const MAX_PAUSE_SECS: u32 = state::MAX_PAUSE_SECS;
/// A queued change not applied within this long after it became due expires
/// (`ChangeExpired`); cancel it and queue again.
#[constant]
pub const CHANGE_EXPIRY_SECS: i64 = state::CHANGE_EXPIRY_SECS;

// ---- Oracles and risk bounds ----

/// Owner of legacy Pyth push price accounts (`oracle_kind` 0, `PythLegacy`).
#[constant]
pub const PYTH_LEGACY_PROGRAM_ID: Pubkey = state::PYTH_LEGACY_PROGRAM_ID;
/// Owner of Pyth `PriceUpdateV2` accounts (`oracle_kind` 1, `PythPull`): the receiver.
#[constant]
pub const PYTH_RECEIVER_PROGRAM_ID: Pubkey = state::PYTH_RECEIVER_PROGRAM_ID;
/// Largest `max_staleness_secs` a bank may configure.
#[constant]
pub const MAX_STALENESS_LIMIT_SECS: u64 = state::MAX_STALENESS_LIMIT_SECS;
/// Largest `max_conf_bps` (oracle confidence / price) a bank may configure.
#[constant]
pub const MAX_CONF_LIMIT_BPS: u32 = state::MAX_CONF_LIMIT_BPS;
/// Smallest oracle exponent accepted.
#[constant]
pub const MIN_EXPO: i32 = state::MIN_EXPO;
/// Largest oracle exponent accepted.
#[constant]
pub const MAX_EXPO: i32 = state::MAX_EXPO;
/// Largest liability weight, in bps (a weight of 10).
#[constant]
pub const MAX_LIAB_WEIGHT_BPS: u32 = state::MAX_LIAB_WEIGHT_BPS;
