//! Bringing the group's table up to date, and handing it to a chain.
//!
//! [`ensure_group_table`] is idempotent: it creates the table if the group has none, then
//! appends only the addresses it lacks, [`EXTEND_CHUNK`] per transaction, and finally waits
//! one slot so the new addresses are usable (the local validator warps there). A second
//! call sends nothing. [`use_table`] registers a table with a [`Chain`]; every later send
//! is then a v0 transaction compiled against it.

use super::account::{fetch, LookupTable};
use super::group::{find_group_table, group_admin, wanted_addresses};
use super::LookupTableError;
use crate::chain::Chain;
use anchor_lang::prelude::Pubkey;
use solana_address_lookup_table_interface::instruction::{
    create_lookup_table, derive_lookup_table_address, extend_lookup_table,
};
use solana_address_lookup_table_interface::state::LOOKUP_TABLE_MAX_ADDRESSES;
use solana_signer::Signer;

/// Addresses per extend instruction. 20 keeps a create + extend transaction (plus the
/// compute-limit instruction the local backend adds) near 1,000 bytes, under the limit.
pub const EXTEND_CHUNK: usize = 20;

/// What [`ensure_group_table`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableSync {
    pub table: Pubkey,
    pub created: bool,
    /// Addresses appended by this call.
    pub added: usize,
    /// Addresses the table should hold but has no room for (it holds at most 256).
    pub left_out: usize,
}

impl TableSync {
    /// Whether anything was sent.
    pub fn changed(&self) -> bool {
        self.created || self.added > 0
    }
}

/// Create and extend the group's table until it holds every address
/// [`super::group_addresses`] lists (as far as 256 allow). The chain's payer must be the
/// group's admin and becomes the table's authority. `pinned` names the table to use; without
/// it the table is found by the convention of [`find_group_table`], or created.
pub async fn ensure_group_table<C: Chain>(
    chain: &mut C,
    group: &Pubkey,
    pinned: Option<Pubkey>,
) -> Result<TableSync, LookupTableError> {
    let signer = chain.payer().pubkey();
    let admin = group_admin(chain, group).await?;
    if admin != signer {
        return Err(LookupTableError::NotGroupAdmin {
            group: *group,
            admin,
            signer,
        });
    }
    let wanted = wanted_addresses(chain, group).await?;
    let existing = match pinned {
        Some(key) => Some(
            fetch(chain, &key)
                .await?
                .ok_or(LookupTableError::NotATable(key))?,
        ),
        None => find_group_table(chain, group).await?,
    };
    if let Some(t) = &existing {
        check_writable(t, &signer)?;
    }
    let have: &[Pubkey] = existing.as_ref().map_or(&[], |t| &t.addresses);
    let missing: Vec<Pubkey> = wanted
        .iter()
        .filter(|k| !have.contains(k))
        .copied()
        .collect();
    let room = LOOKUP_TABLE_MAX_ADDRESSES.saturating_sub(have.len());
    let left_out = missing.len().saturating_sub(room);
    let mut chunks = missing[..missing.len() - left_out].chunks(EXTEND_CHUNK);

    let mut sync = TableSync {
        left_out,
        ..TableSync::default()
    };
    match existing {
        Some(t) => sync.table = t.key,
        None => {
            let recent = free_recent_slot(chain, &signer).await?;
            let (create, key) = create_lookup_table(signer, signer, recent);
            let mut ixs = vec![create];
            if let Some(first) = chunks.next() {
                ixs.push(extend_lookup_table(
                    key,
                    signer,
                    Some(signer),
                    first.to_vec(),
                ));
                sync.added += first.len();
            }
            chain.send(&ixs, &[]).await?;
            sync.table = key;
            sync.created = true;
        }
    }
    for chunk in chunks {
        let ix = extend_lookup_table(sync.table, signer, Some(signer), chunk.to_vec());
        chain.send(&[ix], &[]).await?;
        sync.added += chunk.len();
    }
    if sync.added > 0 {
        // Warm-up: addresses appended in a slot resolve from the next one.
        let t = fetch(chain, &sync.table)
            .await?
            .ok_or(LookupTableError::NotATable(sync.table))?;
        chain.wait_for_slot(t.last_extended_slot + 1).await?;
    }
    Ok(sync)
}

fn check_writable(t: &LookupTable, signer: &Pubkey) -> Result<(), LookupTableError> {
    if t.deactivated {
        return Err(LookupTableError::Deactivated(t.key));
    }
    if t.authority != Some(*signer) {
        return Err(LookupTableError::WrongAuthority {
            table: t.key,
            authority: t.authority,
            signer: *signer,
        });
    }
    Ok(())
}

/// Register `table` with the chain (only the addresses usable now), so every later send is
/// a v0 transaction looking keys up in it. Returns how many addresses it offers.
pub async fn use_table<C: Chain>(chain: &mut C, table: &Pubkey) -> Result<usize, LookupTableError> {
    let t = fetch(chain, table)
        .await?
        .ok_or(LookupTableError::NotATable(*table))?;
    if t.deactivated {
        return Err(LookupTableError::Deactivated(t.key));
    }
    let slot = chain.slot().await?;
    let usable = t.usable_at(slot);
    let n = usable.addresses.len();
    chain.set_lookup_tables(vec![usable]);
    Ok(n)
}

/// Find the group's table by convention and register it; `None` (and nothing registered)
/// if the group has none.
pub async fn use_group_table<C: Chain>(
    chain: &mut C,
    group: &Pubkey,
) -> Result<Option<Pubkey>, LookupTableError> {
    match find_group_table(chain, group).await? {
        Some(t) => {
            use_table(chain, &t.key).await?;
            Ok(Some(t.key))
        }
        None => Ok(None),
    }
}

/// A slot the lookup-table program accepts for a new table of `authority`: the newest entry
/// of the `SlotHashes` sysvar whose derived table address is still free.
async fn free_recent_slot<C: Chain>(
    chain: &mut C,
    authority: &Pubkey,
) -> Result<u64, LookupTableError> {
    let mut slots = slot_hashes(chain).await?;
    if slots.is_empty() {
        // A brand-new ledger has no past slot yet.
        let now = chain.slot().await?;
        chain.wait_for_slot(now + 1).await?;
        slots = slot_hashes(chain).await?;
    }
    for slot in slots {
        let (key, _) = derive_lookup_table_address(authority, slot);
        if chain.account(&key).await?.is_none() {
            return Ok(slot);
        }
    }
    Err(LookupTableError::SlotHashes)
}

/// The slots listed in the `SlotHashes` sysvar, newest first (a bincode `Vec<(u64, Hash)>`).
async fn slot_hashes<C: Chain>(chain: &mut C) -> Result<Vec<u64>, LookupTableError> {
    let account = chain
        .account(&solana_sdk_ids::sysvar::slot_hashes::ID)
        .await?
        .ok_or(LookupTableError::SlotHashes)?;
    parse_slot_hashes(&account.data).ok_or(LookupTableError::SlotHashes)
}

fn parse_slot_hashes(data: &[u8]) -> Option<Vec<u64>> {
    const ENTRY: usize = 8 + 32;
    let len = u64::from_le_bytes(data.get(..8)?.try_into().ok()?) as usize;
    let entries = data.get(8..8usize.checked_add(len.checked_mul(ENTRY)?)?)?;
    Some(
        entries
            .chunks_exact(ENTRY)
            .filter_map(|e| e[..8].try_into().ok().map(u64::from_le_bytes))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_hashes_parse_newest_first_and_refuse_truncation() {
        let mut data = 2u64.to_le_bytes().to_vec();
        for slot in [9u64, 8] {
            data.extend_from_slice(&slot.to_le_bytes());
            data.extend_from_slice(&[7; 32]);
        }
        assert_eq!(parse_slot_hashes(&data), Some(vec![9, 8]));
        assert_eq!(parse_slot_hashes(&data[..50]), None);
        assert_eq!(parse_slot_hashes(&u64::MAX.to_le_bytes()), None);
        assert_eq!(parse_slot_hashes(&[]), None);
    }
}
