//! A lookup table account as stored on chain, and which of its addresses a transaction may
//! use now.
//!
//! Addresses appended in slot `S` only resolve in transactions of later slots: the runtime
//! serves the first `last_extended_slot_start_index` addresses while the current slot is
//! still `last_extended_slot`. [`LookupTable::usable_at`] applies the same rule, so a
//! message is never compiled against an address the runtime would refuse to load.

use super::{LookupTableError, PROGRAM_ID};
use crate::chain::Chain;
use anchor_lang::prelude::Pubkey;
use solana_address_lookup_table_interface::state::AddressLookupTable;
use solana_message::AddressLookupTableAccount;

/// A decoded lookup table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupTable {
    pub key: Pubkey,
    /// Who may extend it; `None` once frozen.
    pub authority: Option<Pubkey>,
    pub addresses: Vec<Pubkey>,
    /// The slot of the last extension, and how many addresses it had before that.
    pub last_extended_slot: u64,
    pub last_extended_start: usize,
    /// Deactivation was requested (the table is on its way to being closed).
    pub deactivated: bool,
}

impl LookupTable {
    /// Decode a lookup-table account's data (`owner` must be the lookup-table program).
    pub fn decode(key: Pubkey, owner: &Pubkey, data: &[u8]) -> Result<Self, LookupTableError> {
        if *owner != PROGRAM_ID {
            return Err(LookupTableError::NotATable(key));
        }
        let table =
            AddressLookupTable::deserialize(data).map_err(|_| LookupTableError::NotATable(key))?;
        Ok(Self {
            key,
            authority: table.meta.authority,
            addresses: table.addresses.to_vec(),
            last_extended_slot: table.meta.last_extended_slot,
            last_extended_start: table.meta.last_extended_slot_start_index as usize,
            deactivated: table.meta.deactivation_slot != u64::MAX,
        })
    }

    /// The addresses a transaction processed in `slot` may look up, as the v0 compiler
    /// takes them. A deactivated table yields none.
    pub fn usable_at(&self, slot: u64) -> AddressLookupTableAccount {
        let len = if self.deactivated {
            0
        } else if slot > self.last_extended_slot {
            self.addresses.len()
        } else {
            self.last_extended_start.min(self.addresses.len())
        };
        AddressLookupTableAccount {
            key: self.key,
            addresses: self.addresses[..len].to_vec(),
        }
    }
}

/// Read and decode the table at `key`; `None` if no account is there.
pub async fn fetch<C: Chain>(
    chain: &mut C,
    key: &Pubkey,
) -> Result<Option<LookupTable>, LookupTableError> {
    match chain.account(key).await? {
        None => Ok(None),
        Some(a) => LookupTable::decode(*key, &a.owner, &a.data).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_address_lookup_table_interface::state::LookupTableMeta;
    use std::borrow::Cow;

    fn encoded(meta: LookupTableMeta, addresses: &[Pubkey]) -> Vec<u8> {
        AddressLookupTable {
            meta,
            addresses: Cow::Borrowed(addresses),
        }
        .serialize_for_tests()
        .expect("serializes")
    }

    #[test]
    fn addresses_extended_in_the_current_slot_are_not_usable_yet() {
        let authority = Pubkey::new_unique();
        let addresses: Vec<Pubkey> = (0..5).map(|_| Pubkey::new_unique()).collect();
        let meta = LookupTableMeta {
            last_extended_slot: 10,
            last_extended_slot_start_index: 3,
            ..LookupTableMeta::new(authority)
        };
        let key = Pubkey::new_unique();
        let t = LookupTable::decode(key, &PROGRAM_ID, &encoded(meta, &addresses)).unwrap();
        assert_eq!(t.authority, Some(authority));
        assert_eq!(t.addresses, addresses);
        assert_eq!(t.usable_at(10).addresses, addresses[..3].to_vec());
        assert_eq!(t.usable_at(11).addresses, addresses);
        assert!(!t.deactivated);
    }

    #[test]
    fn foreign_owners_garbage_and_deactivated_tables_are_refused_or_empty() {
        let key = Pubkey::new_unique();
        let data = encoded(LookupTableMeta::new(key), &[Pubkey::new_unique()]);
        assert!(matches!(
            LookupTable::decode(key, &Pubkey::new_unique(), &data),
            Err(LookupTableError::NotATable(_))
        ));
        assert!(matches!(
            LookupTable::decode(key, &PROGRAM_ID, &[1, 2, 3]),
            Err(LookupTableError::NotATable(_))
        ));
        let meta = LookupTableMeta {
            deactivation_slot: 7,
            ..LookupTableMeta::new(key)
        };
        let t = LookupTable::decode(key, &PROGRAM_ID, &encoded(meta, &[key])).unwrap();
        assert!(t.deactivated);
        assert!(t.usable_at(100).addresses.is_empty());
    }
}
