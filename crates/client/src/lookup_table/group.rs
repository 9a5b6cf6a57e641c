//! What the group's table holds, and how a client finds it.
//!
//! The table holds the keys every user shares and no transaction signs: the group, then the
//! bank and oracle of every token (the health accounts, the bulk of any large
//! transaction), then each bank's vault, insurance vault, mint and token program, then the
//! system program. A table holds at most 256 addresses; that order decides what is left
//! out first if a group ever lists more tokens than fit (127 banks keep all their health
//! accounts).

use super::{account::LookupTable, LookupTableError, PROGRAM_ID};
use crate::chain::{Chain, Memcmp};
use crate::snapshot::{decode, group_filters};
use anchor_lang::prelude::Pubkey;
use anchor_lang::system_program;
use cross_margin::state::{Bank, Group};
use solana_address_lookup_table_interface::state::{
    LOOKUP_TABLE_MAX_ADDRESSES, LOOKUP_TABLE_META_SIZE,
};

/// Offset of the authority's `Option` tag in a table account (after the 4-byte state tag
/// and the deactivation slot, last-extended slot and its start index); the key follows it.
const AUTHORITY_OFFSET: usize = 21;

/// The addresses the group's table should hold, in table order (see the module docs),
/// without duplicates.
pub fn group_addresses(group: &Pubkey, banks: &[Bank]) -> Vec<Pubkey> {
    let mut banks: Vec<&Bank> = banks.iter().collect();
    banks.sort_by_key(|b| b.token_index);
    let mut out: Vec<Pubkey> = vec![*group];
    let health = banks
        .iter()
        .flat_map(|b| [crate::pda::bank(group, b.token_index), b.oracle]);
    let token_side = banks
        .iter()
        .flat_map(|b| [b.vault, b.insurance_vault, b.mint, b.token_program]);
    for key in health
        .chain(token_side)
        .chain(std::iter::once(system_program::ID))
    {
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

/// The addresses the group's table should hold now, from its banks on chain.
pub async fn wanted_addresses<C: Chain>(
    chain: &mut C,
    group: &Pubkey,
) -> Result<Vec<Pubkey>, LookupTableError> {
    let banks: Vec<Bank> = chain
        .program_accounts(&group_filters::<Bank>(group))
        .await?
        .into_iter()
        .filter_map(|(_, a)| decode::<Bank>(&a.data))
        .collect();
    let mut wanted = group_addresses(group, &banks);
    wanted.truncate(LOOKUP_TABLE_MAX_ADDRESSES);
    Ok(wanted)
}

/// The group's admin (the authority its table must have).
pub async fn group_admin<C: Chain>(
    chain: &mut C,
    group: &Pubkey,
) -> Result<Pubkey, LookupTableError> {
    crate::snapshot::fetch::<Group, _>(chain, group)
        .await?
        .map(|g| g.admin)
        .ok_or(LookupTableError::NoGroup(*group))
}

/// The group's table by the convention of the module docs: a live lookup table whose
/// authority is the group's admin and whose first address is the group. If several match,
/// the one holding the most addresses (then the lowest key) wins, so every client picks
/// the same one.
pub async fn find_group_table<C: Chain>(
    chain: &mut C,
    group: &Pubkey,
) -> Result<Option<LookupTable>, LookupTableError> {
    let admin = group_admin(chain, group).await?;
    let mut authority = vec![1u8];
    authority.extend_from_slice(admin.as_ref());
    let filters = [
        Memcmp {
            offset: AUTHORITY_OFFSET,
            bytes: authority,
        },
        Memcmp {
            offset: LOOKUP_TABLE_META_SIZE,
            bytes: group.to_bytes().to_vec(),
        },
    ];
    let found = chain.owned_accounts(&PROGRAM_ID, &filters).await?;
    let best = found
        .into_iter()
        .filter_map(|(key, a)| LookupTable::decode(key, &a.owner, &a.data).ok())
        .filter(|t| {
            !t.deactivated && t.authority == Some(admin) && t.addresses.first() == Some(group)
        })
        .min_by(|a, b| {
            b.addresses
                .len()
                .cmp(&a.addresses.len())
                .then(a.key.cmp(&b.key))
        });
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank(token_index: u16, mint: Pubkey, token_program: Pubkey) -> Bank {
        let mut b: Bank = bytemuck::Zeroable::zeroed();
        b.token_index = token_index;
        b.mint = mint;
        b.oracle = Pubkey::new_unique();
        b.vault = Pubkey::new_unique();
        b.insurance_vault = Pubkey::new_unique();
        b.token_program = token_program;
        b
    }

    #[test]
    fn the_group_comes_first_then_health_accounts_then_token_side_keys_once_each() {
        let group = Pubkey::new_unique();
        let token = Pubkey::new_unique();
        let banks = [
            bank(1, Pubkey::new_unique(), token),
            bank(0, Pubkey::new_unique(), token),
        ];
        let keys = group_addresses(&group, &banks);
        assert_eq!(keys[0], group);
        assert_eq!(keys[1], crate::pda::bank(&group, 0));
        assert_eq!(keys[2], banks[1].oracle);
        assert_eq!(keys[3], crate::pda::bank(&group, 1));
        assert_eq!(keys[4], banks[0].oracle);
        assert_eq!(keys[5], banks[1].vault);
        // group + 2 × (bank, oracle, vault, insurance, mint) + one token program + system.
        assert_eq!(keys.len(), 1 + 2 * 5 + 1 + 1);
        assert_eq!(*keys.last().unwrap(), system_program::ID);
    }
}
