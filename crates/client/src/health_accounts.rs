//! The health accounts an instruction must carry in `remaining_accounts`:
//! the bank of every active position in slot order, then the oracles in the same order.
//! Then, for an account with perp positions, the market of each active perp position in
//! slot order and the markets' oracles ([`full_metas`]).
//! An instruction that may open a position (withdraw/borrow of a new token) must include
//! the slot it will open; [`with_new_position`] predicts it exactly as the program does.

use anchor_lang::prelude::{AccountMeta, Pubkey};
use cross_margin::state::{
    MarginAccount, FREE_TOKEN_INDEX, MAX_PERP_POSITIONS, MAX_TOKEN_POSITIONS,
};

/// Where a token's bank and oracle live.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BankKeys {
    pub bank: Pubkey,
    pub oracle: Pubkey,
}

/// Token index per slot (`FREE_TOKEN_INDEX` for free slots) as the program will see it
/// after opening a position for `token_index` if it has none.
pub fn with_new_position(account: &MarginAccount, token_index: u16) -> [u16; MAX_TOKEN_POSITIONS] {
    with_new_positions(account, &[token_index])
}

/// Health account metas for the given slot layout; `lookup` maps a token index to its keys.
/// Returns `None` if a token has no known bank.
pub fn metas(
    slots: &[u16; MAX_TOKEN_POSITIONS],
    lookup: impl Fn(u16) -> Option<BankKeys>,
) -> Option<Vec<AccountMeta>> {
    let keys: Vec<BankKeys> = slots
        .iter()
        .filter(|t| **t != FREE_TOKEN_INDEX)
        .map(|t| lookup(*t))
        .collect::<Option<_>>()?;
    let banks = keys
        .iter()
        .map(|k| AccountMeta::new_readonly(k.bank, false));
    let oracles = keys
        .iter()
        .map(|k| AccountMeta::new_readonly(k.oracle, false));
    Some(banks.chain(oracles).collect())
}

/// Slot layout after opening positions for each of `token_indices` in turn.
pub fn with_new_positions(
    account: &MarginAccount,
    token_indices: &[u16],
) -> [u16; MAX_TOKEN_POSITIONS] {
    let mut slots = account.token_positions.map(|p| p.token_index);
    for t in token_indices {
        if !slots.contains(t) {
            if let Some(free) = slots.iter_mut().find(|s| **s == FREE_TOKEN_INDEX) {
                *free = *t;
            }
        }
    }
    slots
}

/// Bank metas only (no oracles), for `token_resolve_bankruptcy`.
pub fn bank_metas(
    slots: &[u16; MAX_TOKEN_POSITIONS],
    lookup: impl Fn(u16) -> Option<BankKeys>,
) -> Option<Vec<AccountMeta>> {
    slots
        .iter()
        .filter(|t| **t != FREE_TOKEN_INDEX)
        .map(|t| lookup(*t).map(|k| AccountMeta::new_readonly(k.bank, false)))
        .collect()
}

/// Where a perp market and its oracle live.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PerpKeys {
    pub market: Pubkey,
    pub oracle: Pubkey,
}

/// Market index per perp slot (`None` for free slots) as the program will see it after
/// opening a position in `market_index` (first free slot) if it has none.
pub fn perps_with_new(
    account: &MarginAccount,
    market_index: Option<u16>,
) -> [Option<u16>; MAX_PERP_POSITIONS] {
    let mut slots = account
        .perp_positions
        .map(|p| p.is_active().then_some(p.market_index));
    if let Some(m) = market_index {
        if !slots.contains(&Some(m)) {
            if let Some(free) = slots.iter_mut().find(|s| s.is_none()) {
                *free = Some(m);
            }
        }
    }
    slots
}

/// The full health account metas: banks, their oracles, perp markets, their oracles.
/// `None` if a token or market has no known keys.
pub fn full_metas(
    slots: &[u16; MAX_TOKEN_POSITIONS],
    perps: &[Option<u16>; MAX_PERP_POSITIONS],
    lookup: impl Fn(u16) -> Option<BankKeys>,
    perp_lookup: impl Fn(u16) -> Option<PerpKeys>,
) -> Option<Vec<AccountMeta>> {
    let mut metas = metas(slots, lookup)?;
    let keys: Vec<PerpKeys> = perps
        .iter()
        .flatten()
        .map(|m| perp_lookup(*m))
        .collect::<Option<_>>()?;
    metas.extend(
        keys.iter()
            .map(|k| AccountMeta::new_readonly(k.market, false)),
    );
    metas.extend(
        keys.iter()
            .map(|k| AccountMeta::new_readonly(k.oracle, false)),
    );
    Some(metas)
}
