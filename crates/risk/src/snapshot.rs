//! A group frozen to a file, so risk runs are repeatable and need no node.
//!
//! `cross-margin snapshot save` reads a group through the client's `Chain` (a cluster or
//! the in-process validator): every bank as stored, its validated oracle price at the
//! snapshot time (the program's own oracle checks, `GroupSnapshot`), each insurance
//! vault's balance and every margin account as stored. The file keeps the raw account
//! bytes (base64, discriminator included), so loading it decodes exactly what the chain
//! held; nothing is re-derived. Labels name the banks after the price file's columns
//! (`SOL`, `ETH`, ...) so shocks and models find them.
//!
//! Format (JSON, version 1):
//! ```json
//! { "version": 1, "group": "<base58>", "slot_time": 1700000000,
//!   "banks": [ { "key": "...", "label": "SOL", "data": "<base64>",
//!                "price": { "price": 10000000000, "conf": 0, "expo": -8, "publish_time": 1700000000 },
//!                "insurance": 2000000000 } ],
//!   "accounts": [ { "key": "...", "data": "<base64>" } ] }
//! ```
//! A bank whose oracle was not valid at the snapshot has `"price": null` and its
//! `"outage_price"` (the program's `Bank::outage_price`, as `token_liquidate` values an
//! untransferred position); loaded, it counts in health at that price but is not live, so
//! the cascade never seizes or takes it, as the program would refuse.

use crate::book::Book;
use base64::Engine;
use cross_margin::health::OraclePrice;
use cross_margin::state::{Bank, MarginAccount};
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::snapshot::{decode, margin_accounts, token_amount, GroupSnapshot};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const VERSION: u32 = 1;

/// An oracle reading as saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPrice {
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
}

impl From<OraclePrice> for SavedPrice {
    fn from(p: OraclePrice) -> Self {
        Self {
            price: p.price,
            conf: p.conf,
            expo: p.expo,
            publish_time: p.publish_time,
        }
    }
}

impl From<SavedPrice> for OraclePrice {
    fn from(p: SavedPrice) -> Self {
        Self {
            price: p.price,
            conf: p.conf,
            expo: p.expo,
            publish_time: p.publish_time,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedBank {
    pub key: String,
    pub label: Option<String>,
    /// The account's bytes, base64.
    pub data: String,
    pub price: Option<SavedPrice>,
    /// The program's outage price (`Bank::outage_price`: the last valid price widened to
    /// the bank's maximum confidence) when `price` is null.
    #[serde(default)]
    pub outage_price: Option<SavedPrice>,
    /// Native units in the bank's insurance vault.
    pub insurance: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAccount {
    pub key: String,
    pub data: String,
}

/// A saved group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub group: String,
    /// Unix time the snapshot was taken at (the cluster's clock).
    pub slot_time: i64,
    pub banks: Vec<SavedBank>,
    pub accounts: Vec<SavedAccount>,
}

/// Why a snapshot cannot be read or used.
#[derive(Debug)]
pub enum SnapshotError {
    Json(serde_json::Error),
    Version(u32),
    /// An entry's bytes are not base64 or not the program account they claim to be.
    BadAccount {
        key: String,
        what: &'static str,
    },
    Chain(ChainError),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::Json(e) => write!(f, "the snapshot is not valid JSON: {e}"),
            SnapshotError::Version(v) => write!(
                f,
                "snapshot version {v} is not supported (this build reads version {VERSION}): save it again with this build's `cross-margin snapshot save`"
            ),
            SnapshotError::BadAccount { key, what } => {
                write!(f, "snapshot entry {key} is not a valid {what}")
            }
            SnapshotError::Chain(e) => write!(f, "reading the group: {e}"),
        }
    }
}

impl std::error::Error for SnapshotError {}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The bytes of a zero-copy program account: discriminator and state.
fn account_bytes<T: bytemuck::Pod + anchor_lang::Discriminator>(state: &T) -> Vec<u8> {
    let mut v = T::DISCRIMINATOR.to_vec();
    v.extend_from_slice(bytemuck::bytes_of(state));
    v
}

impl Snapshot {
    /// Read `group` from `chain`: banks, their validated prices and insurance vaults, and
    /// every margin account. `labels` names banks by token index.
    pub async fn save<C: Chain>(
        chain: &mut C,
        group: &anchor_lang::prelude::Pubkey,
        labels: &BTreeMap<u16, String>,
    ) -> Result<Self, SnapshotError> {
        let snap = GroupSnapshot::load(chain, group)
            .await
            .map_err(SnapshotError::Chain)?;
        let mut banks = Vec::new();
        for (token, entry) in &snap.banks {
            let insurance = token_amount(chain, &entry.state.insurance_vault)
                .await
                .map_err(SnapshotError::Chain)?
                .unwrap_or(0);
            // The bank as stored (loading accrues it to the snapshot time), read again: a
            // bank that vanished or does not decode is an error, never the in-memory copy,
            // which is already accrued and would accrue twice.
            let stored = chain
                .account(&entry.key)
                .await
                .map_err(SnapshotError::Chain)?
                .and_then(|a| decode::<Bank>(&a.data))
                .ok_or_else(|| SnapshotError::BadAccount {
                    key: entry.key.to_string(),
                    what: "bank (re-read)",
                })?;
            banks.push(SavedBank {
                key: entry.key.to_string(),
                label: labels.get(token).cloned(),
                data: b64().encode(account_bytes(&stored)),
                price: entry.price.map(SavedPrice::from),
                outage_price: match entry.price {
                    Some(_) => None,
                    None => entry.fallback.map(|f| SavedPrice::from(f.oracle)),
                },
                insurance,
            });
        }
        let accounts = margin_accounts(chain, group, None)
            .await
            .map_err(SnapshotError::Chain)?
            .into_iter()
            .map(|(key, a)| SavedAccount {
                key: key.to_string(),
                data: b64().encode(account_bytes(&a)),
            })
            .collect();
        Ok(Self {
            version: VERSION,
            group: group.to_string(),
            slot_time: snap.now,
            banks,
            accounts,
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a snapshot serialises")
    }

    pub fn from_json(text: &str) -> Result<Self, SnapshotError> {
        let s: Snapshot = serde_json::from_str(text).map_err(SnapshotError::Json)?;
        if s.version != VERSION {
            return Err(SnapshotError::Version(s.version));
        }
        Ok(s)
    }

    /// The book: banks accrued to the snapshot time, prices (outage price where the oracle
    /// was invalid), insurance, accounts; with the labels and each account's
    /// (owner, account number).
    pub fn book(&self) -> Result<LoadedBook, SnapshotError> {
        let mut banks = BTreeMap::new();
        let mut prices = BTreeMap::new();
        let mut insurance = BTreeMap::new();
        let mut labels = BTreeMap::new();
        let mut bank_keys = BTreeMap::new();
        let mut outages = std::collections::BTreeSet::new();
        for b in &self.banks {
            let bad = |what| SnapshotError::BadAccount {
                key: b.key.clone(),
                what,
            };
            let bytes = b64().decode(&b.data).map_err(|_| bad("bank (base64)"))?;
            let mut bank = decode::<Bank>(&bytes).ok_or_else(|| bad("bank"))?;
            bank.accrue_interest(self.slot_time)
                .map_err(|_| bad("bank (interest accrual)"))?;
            let t = bank.token_index;
            let price = match (b.price, b.outage_price) {
                (Some(p), _) => OraclePrice::from(p),
                (None, outage) => {
                    outages.insert(t);
                    match outage {
                        Some(p) => OraclePrice::from(p),
                        None => bank.fallback_price().map_err(|_| bad("bank (no price)"))?,
                    }
                }
            };
            if bank.group.to_string() != self.group || banks.contains_key(&t) {
                return Err(bad(
                    "bank of this group (wrong group or a duplicate token index)",
                ));
            }
            if let Some(l) = &b.label {
                labels.insert(t, l.clone());
            }
            prices.insert(t, price);
            insurance.insert(t, b.insurance);
            bank_keys.insert(t, b.key.clone());
            banks.insert(t, bank);
        }
        let mut accounts = Vec::with_capacity(self.accounts.len());
        let mut owners = Vec::with_capacity(self.accounts.len());
        for a in &self.accounts {
            let bad = |what| SnapshotError::BadAccount {
                key: a.key.clone(),
                what,
            };
            let bytes = b64()
                .decode(&a.data)
                .map_err(|_| bad("margin account (base64)"))?;
            let account = decode::<MarginAccount>(&bytes).ok_or_else(|| bad("margin account"))?;
            if account.group.to_string() != self.group {
                return Err(bad("margin account of this group"));
            }
            accounts.push(account);
        }
        let mut book = Book::new(self.slot_time, banks, prices, insurance, accounts);
        book.outages = outages;
        for a in &book.accounts {
            owners.push((a.owner.to_string(), a.account_num));
        }
        Ok(LoadedBook {
            book,
            labels,
            owners,
            bank_keys,
        })
    }
}

/// A book with what the reports name things by.
#[derive(Clone)]
pub struct LoadedBook {
    pub book: Book,
    /// Bank label (price-file column) by token index.
    pub labels: BTreeMap<u16, String>,
    /// `(owner, account number)` of each of the book's accounts.
    pub owners: Vec<(String, u32)>,
    /// Each bank's address (base58; a placeholder for a synthetic book).
    pub bank_keys: BTreeMap<u16, String>,
}

impl LoadedBook {
    /// The synthetic population as a loaded book.
    pub fn synthetic(p: &crate::synthetic::Population) -> Self {
        let book = crate::synthetic::generate(p);
        let owners = book
            .accounts
            .iter()
            .map(|a| (a.owner.to_string(), a.account_num))
            .collect();
        let bank_keys = book
            .banks
            .keys()
            .map(|t| (*t, format!("SYNTHETIC_BANK_{t}")))
            .collect();
        Self {
            book,
            labels: crate::synthetic::labels(),
            owners,
            bank_keys,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{generate, Population};

    /// A book written out and read back is the same book, byte for byte.
    #[test]
    fn a_saved_book_reads_back_exactly() {
        let book = generate(&Population {
            borrowers: 20,
            ..Population::default()
        });
        let snap = Snapshot {
            version: VERSION,
            group: anchor_lang::prelude::Pubkey::default().to_string(),
            slot_time: book.now,
            banks: book
                .banks
                .iter()
                .map(|(t, b)| SavedBank {
                    key: format!("bank{t}"),
                    label: crate::synthetic::labels().get(t).cloned(),
                    data: b64().encode(account_bytes(b)),
                    price: Some(book.prices[t].into()),
                    outage_price: None,
                    insurance: book.insurance[t],
                })
                .collect(),
            accounts: book
                .accounts
                .iter()
                .enumerate()
                .map(|(i, a)| SavedAccount {
                    key: format!("a{i}"),
                    data: b64().encode(account_bytes(a)),
                })
                .collect(),
        };
        let back = Snapshot::from_json(&snap.to_json())
            .unwrap()
            .book()
            .unwrap();
        assert_eq!(back.book.accounts.len(), book.accounts.len());
        for (x, y) in back.book.accounts.iter().zip(&book.accounts) {
            assert_eq!(bytemuck::bytes_of(x), bytemuck::bytes_of(y));
        }
        for (t, b) in &book.banks {
            assert_eq!(
                bytemuck::bytes_of(&back.book.banks[t]),
                bytemuck::bytes_of(b)
            );
        }
        assert_eq!(back.book.prices, book.prices);
        assert_eq!(back.labels, crate::synthetic::labels());
        // A wrong version and a corrupt entry are named.
        let mut old = snap.clone();
        old.version = 0;
        assert!(Snapshot::from_json(&old.to_json())
            .unwrap_err()
            .to_string()
            .contains("snapshot save"));
        let mut bad = snap.clone();
        bad.accounts[0].data = "!!".into();
        assert!(bad.book().is_err());
        // Another group's snapshot header, or a duplicated bank, is refused.
        let mut other = snap.clone();
        other.group = anchor_lang::prelude::Pubkey::new_unique().to_string();
        assert!(other.book().is_err());
        let mut twice = snap;
        twice.banks.push(twice.banks[0].clone());
        assert!(twice.book().is_err());
    }
}
