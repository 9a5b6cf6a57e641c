//! The in-process validator's accounts as `--account-dir` files for the real one.
//!
//! The program cannot be built for SBF here, so the real validator cannot run it; but the
//! protocol's accounts are plain data. A scenario runs on the in-process backend, and every
//! account it touched is written in the Solana CLI's JSON account form, owner and bytes
//! unchanged. Only what the real validator already has is left out: programs, sysvars and
//! lookup tables (their slot bookkeeping belongs to the other ledger), plus any key in
//! `skip`. Pyth price updates are re-stamped with the real validator's time, so they are
//! as fresh there as they were in the scenario.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AccountDeserialize, AccountSerialize};
use base64::Engine;
use cross_margin_client::chain::Chain;
use cross_margin_tests::harness::Protocol;
use pyth_solana_receiver_sdk::price_update::PriceUpdateV2;
use solana_account::Account;
use std::path::Path;

/// Owners whose accounts the real validator provides itself.
fn provided_by_the_validator(account: &Account) -> bool {
    let loaders = [
        solana_sdk_ids::native_loader::ID,
        solana_sdk_ids::bpf_loader::ID,
        solana_sdk_ids::bpf_loader_deprecated::ID,
        solana_sdk_ids::bpf_loader_upgradeable::ID,
        solana_sdk_ids::loader_v4::ID,
        solana_sdk_ids::sysvar::ID,
        solana_sdk_ids::address_lookup_table::ID,
        solana_sdk_ids::config::ID,
        solana_sdk_ids::stake::ID,
        solana_sdk_ids::vote::ID,
    ];
    account.executable || loaders.contains(&account.owner)
}

/// Write `account` at `key` as a `solana account --output json` file in `dir`.
pub fn write_account(dir: &Path, key: &Pubkey, account: &Account) {
    let json = serde_json::json!({
        "pubkey": key.to_string(),
        "account": {
            "lamports": account.lamports,
            "data": [base64::engine::general_purpose::STANDARD.encode(&account.data), "base64"],
            "owner": account.owner.to_string(),
            "executable": false,
            "rentEpoch": 0,
            "space": account.data.len(),
        }
    });
    std::fs::write(dir.join(format!("{key}.json")), json.to_string()).expect("write account");
}

/// A Pyth pull price update with its publish times moved to `now` (price, confidence and
/// everything else unchanged); `None` if `data` is not one.
pub fn restamped_pyth(data: &[u8], now: i64) -> Option<Vec<u8>> {
    let mut update = PriceUpdateV2::try_deserialize(&mut &data[..]).ok()?;
    update.price_message.publish_time = now;
    update.price_message.prev_publish_time = now - 1;
    let mut out = Vec::with_capacity(data.len());
    update.try_serialize(&mut out).ok()?;
    out.resize(data.len(), 0);
    Some(out)
}

/// Plant every account the scenario touched into `dir`, except `skip`; returns how many.
pub async fn plant(p: &mut Protocol, dir: &Path, skip: &[Pubkey], now: i64) -> usize {
    let mut keys = p.tc.chain.known_accounts();
    keys.extend(p.banks.iter().map(|b| b.oracle));
    keys.push(p.admin());
    keys.sort();
    keys.dedup();
    let mut planted = 0;
    for key in keys {
        if skip.contains(&key) {
            continue;
        }
        let Some(mut account) = Chain::account(p, &key).await.expect("read account") else {
            continue;
        };
        if provided_by_the_validator(&account) {
            continue;
        }
        if account.owner == pyth_solana_receiver_sdk::ID {
            account.data = restamped_pyth(&account.data, now).expect("a pull price update");
        }
        write_account(dir, &key, &account);
        planted += 1;
    }
    planted
}
