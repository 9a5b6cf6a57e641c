//! Builds a [`HealthCache`] from `remaining_accounts`, checking every account by hand.
//!
//! Layout, for an account with `n` active token positions:
//!
//! ```text
//! remaining[0 .. n]     the Bank of each active position, in slot order
//! remaining[n .. 2n]    the oracle of each of those banks, in the same order
//! ```
//!
//! Each bank must be owned by this program, carry the `Bank` discriminator, belong to the
//! account's group and have the token index of the position in that slot; each oracle must
//! be the key stored in its bank and be owned by the Pyth program of the bank's oracle kind.
//! Since a margin account holds at most one position per token, this rejects missing,
//! extra, duplicated and reordered accounts alike. Instructions that may create a position
//! create it (empty) before building the cache, so the new slot is part of the layout.

use super::engine::HealthCache;
use crate::error::CrossMarginError;
use crate::state::{
    parse_oracle_account, validate_price, Bank, MarginAccount, OracleKind, OraclePolicy,
};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

/// Load a `Bank` from an unchecked account: owner, discriminator and size are verified.
pub fn load_bank<'a>(
    info: &'a AccountInfo,
    program_id: &Pubkey,
) -> Result<core::cell::Ref<'a, Bank>> {
    require_keys_eq!(
        *info.owner,
        *program_id,
        CrossMarginError::HealthBankMismatch
    );
    let data = info.try_borrow_data()?;
    let ok = data.len() >= Bank::SPACE && data[..8] == *Bank::DISCRIMINATOR;
    require!(ok, CrossMarginError::HealthBankMismatch);
    core::cell::Ref::filter_map(data, |d| bytemuck::try_from_bytes(&d[8..Bank::SPACE]).ok())
        .map_err(|_| CrossMarginError::HealthBankMismatch.into())
}

/// The oracle policy a bank applies to its price.
pub fn oracle_policy(bank: &Bank) -> Result<OraclePolicy> {
    Ok(OraclePolicy {
        kind: OracleKind::try_from(bank.oracle_kind)?,
        feed_id: bank.oracle_feed_id,
        max_staleness_secs: bank.max_staleness_secs,
        max_conf_bps: bank.max_conf_bps,
    })
}

/// Health cache for `account` from exactly its health accounts (see module docs).
pub fn health_cache_from_accounts(
    account: &MarginAccount,
    health_accounts: &[AccountInfo],
    program_id: &Pubkey,
    now: i64,
) -> Result<HealthCache> {
    let n = account.active_positions().count();
    require!(
        health_accounts.len() == 2 * n,
        CrossMarginError::HealthAccountsCount
    );
    let (banks, oracles) = health_accounts.split_at(n);
    let mut cache = HealthCache::default();
    for (((_, position), bank_info), oracle_info) in
        account.active_positions().zip(banks).zip(oracles)
    {
        let bank = load_bank(bank_info, program_id)?;
        require!(
            bank.group == account.group && bank.token_index == position.token_index,
            CrossMarginError::HealthBankMismatch
        );
        let policy = oracle_policy(&bank)?;
        require_keys_eq!(
            *oracle_info.key,
            bank.oracle,
            CrossMarginError::HealthOracleMismatch
        );
        let raw = parse_oracle_account(oracle_info, &bank.oracle, policy.kind)?;
        let price = validate_price(&raw, &policy, now)?;
        cache.push(bank.token_risk(&price)?, position.indexed.get())?;
    }
    Ok(cache)
}
