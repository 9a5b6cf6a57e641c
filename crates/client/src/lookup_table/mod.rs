//! The group's address lookup table.
//!
//! Instructions that carry health accounts list a bank and an oracle per position of each
//! account involved: a liquidation between two full accounts over 14 banks references 37
//! distinct keys, ~1,350 bytes as a legacy transaction, over the 1,232-byte packet limit.
//! A lookup table holding the group's static keys (banks, oracles, vaults, mints, token
//! programs) turns each of those 32-byte keys into a 1-byte index of a v0 message.
//!
//! - [`account`]: decoding a table account, and which of its addresses are usable now
//!   (addresses added in the current slot are not: the "warm-up").
//! - [`group`]: which addresses the group's table holds, and how anyone finds the table.
//! - [`sync`]: creating and extending the table idempotently (the bootstrap, the demo and
//!   the test harness), and registering it with a [`crate::chain::Chain`].
//!
//! **Finding the table.** A table's address derives from its authority and the slot it was
//! created in, so it cannot be computed from the group alone. The convention: *the group's
//! table is the lookup table whose authority is the group's admin and whose first address
//! is the group.* [`group::find_group_table`] looks it up with two memcmp filters on the
//! lookup-table program's accounts; operators may also pin it explicitly (the keeper's
//! `--lookup-table`, the bootstrap config's `lookup_table`), which production should do:
//! the lookup-table program owns millions of accounts on mainnet and some RPC providers
//! refuse `getProgramAccounts` on it. A table cannot redirect a transaction: the message is
//! compiled from the table's on-chain contents, so at worst a wrong table saves no space.

pub mod account;
pub mod group;
pub mod sync;

pub use account::{fetch, LookupTable};
pub use group::{find_group_table, group_addresses};
pub use solana_address_lookup_table_interface::instruction::{
    create_lookup_table, derive_lookup_table_address, extend_lookup_table,
};
pub use solana_message::AddressLookupTableAccount;
pub use sync::{ensure_group_table, use_group_table, use_table, TableSync};

use crate::chain::ChainError;
use anchor_lang::prelude::Pubkey;

/// The address lookup table program (a core BPF program, present on every cluster and
/// loaded by `solana-program-test` by default).
pub const PROGRAM_ID: Pubkey = solana_sdk_ids::address_lookup_table::ID;

/// Why a lookup table could not be read, found or brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum LookupTableError {
    #[error("{0} is not an address lookup table")]
    NotATable(Pubkey),
    #[error("lookup table {0} is deactivated and cannot be used or extended")]
    Deactivated(Pubkey),
    #[error("lookup table {table} is administered by {authority:?}, not by the signer {signer}")]
    WrongAuthority {
        table: Pubkey,
        authority: Option<Pubkey>,
        signer: Pubkey,
    },
    #[error("group {0} does not exist")]
    NoGroup(Pubkey),
    #[error("the signer {signer} is not the admin {admin} of group {group}")]
    NotGroupAdmin {
        group: Pubkey,
        admin: Pubkey,
        signer: Pubkey,
    },
    #[error("the slot-hashes sysvar is missing or unreadable")]
    SlotHashes,
    #[error(transparent)]
    Chain(#[from] ChainError),
}
