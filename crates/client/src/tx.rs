//! Transaction assembly, and the limits a real cluster enforces on it.
//!
//! A cluster drops any transaction whose wire size exceeds 1,232 bytes (one IPv6 packet
//! minus headers) and refuses one that locks more than 64 accounts. The in-process
//! validator enforces neither, so every backend runs [`assemble`], which checks both before
//! anything is sent: a test that passes locally cannot build a transaction a cluster would
//! drop.
//!
//! With lookup tables, the message is compiled as v0 (`v0::Message::try_compile`): every
//! key that is neither a signer nor an invoked program and is found in a table costs one
//! byte instead of 32. A liquidation between two full accounts (8 positions each, 14 banks)
//! only fits this way. Without tables the message is legacy, which every cluster and tool
//! accepts.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::{legacy, v0, AddressLookupTableAccount, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use std::collections::BTreeSet;

/// The largest transaction a cluster accepts, in bytes on the wire.
pub const PACKET_DATA_SIZE: usize = 1_232;
/// The most accounts one transaction may reference (and lock), lookups included.
pub const MAX_TX_ACCOUNTS: usize = 64;

/// Why a transaction cannot be built or would be refused by a cluster.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TxBuildError {
    /// Over the packet limit; `version` says whether lookup tables were used.
    #[error(
        "{version} transaction is {size} bytes, over the {PACKET_DATA_SIZE}-byte packet limit{}",
        too_large_hint(*version)
    )]
    TooLarge {
        size: usize,
        version: MessageVersion,
    },
    #[error("transaction references {count} accounts; a cluster locks at most {MAX_TX_ACCOUNTS}")]
    TooManyAccounts { count: usize },
    /// The v0 compiler refused the instructions (an index past 255).
    #[error("cannot compile the message: {0}")]
    Compile(String),
    /// The keypairs given do not match the message's signers.
    #[error("cannot sign the transaction: {0}")]
    Sign(String),
}

fn too_large_hint(version: MessageVersion) -> &'static str {
    match version {
        MessageVersion::Legacy => " (register the group's lookup table to send it as v0)",
        MessageVersion::V0 => " (even with the registered lookup tables)",
    }
}

/// Which message format a transaction uses.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MessageVersion {
    Legacy,
    V0,
}

impl std::fmt::Display for MessageVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MessageVersion::Legacy => "legacy",
            MessageVersion::V0 => "v0",
        })
    }
}

/// A signed transaction that is within the cluster's limits.
#[derive(Clone, Debug)]
pub struct Assembled {
    pub tx: VersionedTransaction,
    pub shape: TxShape,
}

/// What a cluster measures of a transaction.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TxShape {
    /// Bytes on the wire.
    pub size: usize,
    /// Distinct accounts referenced (programs included), static and looked up.
    pub accounts: usize,
    pub version: MessageVersion,
}

/// Build and sign `ixs` paid by `payer` and signed by `signers` (duplicates and the payer
/// may appear among them). With `tables`, a v0 message looking keys up in them; without, a
/// legacy message. Fails, without panicking, if the result breaks a cluster limit.
pub fn assemble(
    payer: &Keypair,
    signers: &[&Keypair],
    ixs: &[Instruction],
    blockhash: Hash,
    tables: &[AddressLookupTableAccount],
) -> Result<Assembled, TxBuildError> {
    let accounts = distinct_accounts(&payer.pubkey(), ixs);
    if accounts > MAX_TX_ACCOUNTS {
        // Checked first: the legacy compiler panics past 256 keys.
        return Err(TxBuildError::TooManyAccounts { count: accounts });
    }
    let (message, version) = if tables.is_empty() {
        let m = legacy::Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &blockhash);
        (VersionedMessage::Legacy(m), MessageVersion::Legacy)
    } else {
        let m = v0::Message::try_compile(&payer.pubkey(), ixs, tables, blockhash)
            .map_err(|e| TxBuildError::Compile(e.to_string()))?;
        (VersionedMessage::V0(m), MessageVersion::V0)
    };
    let mut keys: Vec<&Keypair> = vec![payer];
    for s in signers {
        if !keys.iter().any(|k| k.pubkey() == s.pubkey()) {
            keys.push(s);
        }
    }
    let tx = VersionedTransaction::try_new(message, &keys)
        .map_err(|e| TxBuildError::Sign(e.to_string()))?;
    let size = wire_size(&tx);
    if size > PACKET_DATA_SIZE {
        return Err(TxBuildError::TooLarge { size, version });
    }
    Ok(Assembled {
        tx,
        shape: TxShape {
            size,
            accounts,
            version,
        },
    })
}

/// The transaction's size on the wire: the signature count (compact-u16), the signatures
/// and the serialized message.
pub fn wire_size(tx: &VersionedTransaction) -> usize {
    let n = tx.signatures.len();
    compact_u16_len(n) + n * 64 + tx.message.serialize().len()
}

/// Bytes of a compact-u16 (Solana's "short vec" length prefix).
fn compact_u16_len(n: usize) -> usize {
    match n {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        _ => 3,
    }
}

/// Distinct keys the transaction references: the payer, every program and every account.
pub fn distinct_accounts(payer: &Pubkey, ixs: &[Instruction]) -> usize {
    let mut keys = BTreeSet::from([*payer]);
    for ix in ixs {
        keys.insert(ix.program_id);
        keys.extend(ix.accounts.iter().map(|m| m.pubkey));
    }
    keys.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::AccountMeta;

    fn ix(keys: &[Pubkey]) -> Instruction {
        Instruction {
            program_id: Pubkey::new_unique(),
            accounts: keys
                .iter()
                .map(|k| AccountMeta::new_readonly(*k, false))
                .collect(),
            data: vec![1, 2, 3],
        }
    }

    #[test]
    fn wire_size_matches_bincode_of_a_legacy_transaction() {
        let payer = Keypair::new();
        let keys: Vec<Pubkey> = (0..5).map(|_| Pubkey::new_unique()).collect();
        let a = assemble(&payer, &[&payer], &[ix(&keys)], Hash::default(), &[]).unwrap();
        let legacy = match &a.tx.message {
            VersionedMessage::Legacy(m) => solana_transaction::Transaction {
                signatures: a.tx.signatures.clone(),
                message: m.clone(),
            },
            VersionedMessage::V0(_) => panic!("expected legacy"),
        };
        let bytes = solana_transaction::Transaction::message_data(&legacy).len() + 1 + 64;
        assert_eq!(a.shape.size, bytes);
        assert_eq!(a.shape.version, MessageVersion::Legacy);
        // 1 + 64 signature, 3 header, 1 + 7·32 keys, 32 blockhash, 1 + (1 + 1 + 5 + 1 + 3) ix.
        assert_eq!(a.shape.size, 1 + 64 + 3 + 1 + 7 * 32 + 32 + 1 + 11);
    }

    #[test]
    fn a_table_shrinks_the_transaction_and_over_limit_ones_are_refused() {
        let payer = Keypair::new();
        let keys: Vec<Pubkey> = (0..36).map(|_| Pubkey::new_unique()).collect();
        let ixs = [ix(&keys)];
        let err = assemble(&payer, &[], &ixs, Hash::default(), &[]).unwrap_err();
        assert!(
            matches!(err, TxBuildError::TooLarge { size, version: MessageVersion::Legacy } if size > PACKET_DATA_SIZE),
            "{err}"
        );
        let table = AddressLookupTableAccount {
            key: Pubkey::new_unique(),
            addresses: keys.clone(),
        };
        let a = assemble(&payer, &[], &ixs, Hash::default(), &[table]).unwrap();
        assert_eq!(a.shape.version, MessageVersion::V0);
        assert!(a.shape.size < 400, "{}", a.shape.size);
        assert_eq!(a.shape.size, bincode::serialize(&a.tx).unwrap().len());

        let many: Vec<Pubkey> = (0..64).map(|_| Pubkey::new_unique()).collect();
        let err = assemble(&payer, &[], &[ix(&many)], Hash::default(), &[]).unwrap_err();
        assert_eq!(err, TxBuildError::TooManyAccounts { count: 66 });
    }

    #[test]
    fn a_stranger_signer_is_an_error_not_a_panic() {
        let payer = Keypair::new();
        let stranger = Keypair::new();
        let err = assemble(&payer, &[&stranger], &[ix(&[])], Hash::default(), &[]).unwrap_err();
        assert!(matches!(err, TxBuildError::Sign(_)), "{err}");
    }
}
