//! Raw account bytes as the runtime hands them to an instruction: one `AccountInfo` per
//! distinct key over an 8-byte-aligned buffer (the loader's alignment), with the owner the
//! program checks; an account passed twice (the hedged market's oracle is its spot bank's)
//! is the same `AccountInfo` twice, as the runtime deduplicates it.

use super::book::{Book, Raw};
use anchor_lang::prelude::{AccountInfo, Pubkey};
use cross_margin::state::PYTH_RECEIVER_PROGRAM_ID;

/// The accounts an instruction computing the book's health receives.
pub struct Accounts {
    /// The margin account with token positions only, and with the perps too.
    pub account: AccountInfo<'static>,
    pub account_perps: AccountInfo<'static>,
    /// Health accounts (`remaining_accounts`) of each: banks, bank oracles, then markets
    /// and market oracles.
    pub health: Vec<AccountInfo<'static>>,
    pub health_perps: Vec<AccountInfo<'static>>,
}

/// Leaked storage: the benchmark keeps every account for the whole run.
fn info(key: Pubkey, owner: Pubkey, data: &[u8]) -> AccountInfo<'static> {
    let words = Box::leak(vec![0u64; data.len().div_ceil(8)].into_boxed_slice());
    let bytes = &mut bytemuck::cast_slice_mut::<u64, u8>(words)[..data.len()];
    bytes.copy_from_slice(data);
    AccountInfo::new(
        Box::leak(Box::new(key)),
        false,
        false,
        Box::leak(Box::new(1_000_000_000)),
        bytes,
        Box::leak(Box::new(owner)),
        false,
    )
}

impl Accounts {
    pub fn of(book: &Book) -> Self {
        let mut seen: Vec<AccountInfo<'static>> = vec![];
        let mut get = |(key, data): &Raw, owner: Pubkey| -> AccountInfo<'static> {
            if let Some(i) = seen.iter().find(|i| i.key == key) {
                return i.clone();
            }
            let i = info(*key, owner, data);
            seen.push(i.clone());
            i
        };
        let program = cross_margin::ID;
        let mut health: Vec<_> = book.banks.iter().map(|b| get(b, program)).collect();
        health.extend(
            book.oracles
                .iter()
                .map(|o| get(o, PYTH_RECEIVER_PROGRAM_ID)),
        );
        let mut health_perps = health.clone();
        health_perps.extend(book.markets.iter().map(|m| get(m, program)));
        health_perps.extend(
            book.market_oracles
                .iter()
                .map(|o| get(o, PYTH_RECEIVER_PROGRAM_ID)),
        );
        Accounts {
            account: get(&book.account, program),
            account_perps: get(&book.account_perps, program),
            health,
            health_perps,
        }
    }
}
