//! The real-cluster backend: `solana-rpc-client`, with `getProgramAccounts` memcmp filters
//! for discovery (`group` at offset 8 and `owner` at 40 of a margin account).
//!
//! Transactions are assembled by [`crate::tx::assemble`] (v0 when lookup tables are
//! registered) and checked against the cluster's limits before they reach the node, so an
//! oversized transaction fails with a named error instead of an opaque RPC rejection.

use crate::chain::{Chain, ChainError, Memcmp};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_account::Account;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_message::AddressLookupTableAccount;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::ErrorKind;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::{Memcmp as RpcMemcmp, RpcFilterType};
use std::time::Duration;

/// How long [`Chain::wait_for_slot`] waits before giving up (a slot is ~400 ms).
const SLOT_WAIT: Duration = Duration::from_secs(30);

/// `l`, `d`, `m` (and `localhost`, `devnet`, `mainnet-beta`) to URLs; anything else as is.
pub fn resolve_url(moniker: &str) -> String {
    match moniker {
        "l" | "localhost" => "http://127.0.0.1:8899".into(),
        "d" | "devnet" => "https://api.devnet.solana.com".into(),
        "m" | "mainnet-beta" => "https://api.mainnet-beta.solana.com".into(),
        "t" | "testnet" => "https://api.testnet.solana.com".into(),
        url => url.into(),
    }
}

pub struct RpcChain {
    client: RpcClient,
    payer: Keypair,
    tables: Vec<AddressLookupTableAccount>,
}

impl RpcChain {
    pub fn new(url: &str, payer: Keypair) -> Self {
        let client =
            RpcClient::new_with_commitment(resolve_url(url), CommitmentConfig::confirmed());
        Self {
            client,
            payer,
            tables: vec![],
        }
    }
}

fn transport(e: solana_rpc_client_api::client_error::Error) -> ChainError {
    match e.kind() {
        ErrorKind::TransactionError(t) => ChainError::from_transaction(t.clone()),
        _ => match e.get_transaction_error() {
            Some(t) => ChainError::from_transaction(t),
            None => ChainError::Transport(e.to_string()),
        },
    }
}

impl Chain for RpcChain {
    fn payer(&self) -> &Keypair {
        &self.payer
    }

    async fn account(&mut self, key: &Pubkey) -> Result<Option<Account>, ChainError> {
        let r = self
            .client
            .get_account_with_commitment(key, CommitmentConfig::confirmed())
            .await
            .map_err(transport)?;
        Ok(r.value)
    }

    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, ChainError> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(100) {
            out.extend(
                self.client
                    .get_multiple_accounts(chunk)
                    .await
                    .map_err(transport)?,
            );
        }
        Ok(out)
    }

    async fn owned_accounts(
        &mut self,
        program: &Pubkey,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, ChainError> {
        let config = RpcProgramAccountsConfig {
            filters: Some(
                filters
                    .iter()
                    .map(|f| {
                        RpcFilterType::Memcmp(RpcMemcmp::new_raw_bytes(f.offset, f.bytes.clone()))
                    })
                    .collect(),
            ),
            account_config: RpcAccountInfoConfig {
                encoding: Some(solana_rpc_client_api::config::UiAccountEncoding::Base64),
                commitment: Some(CommitmentConfig::confirmed()),
                ..Default::default()
            },
            ..Default::default()
        };
        // The UI-account variant returns encoded accounts; this one decodes them for us.
        #[allow(deprecated)]
        self.client
            .get_program_accounts_with_config(program, config)
            .await
            .map_err(transport)
    }

    async fn send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<String, ChainError> {
        let blockhash = self
            .client
            .get_latest_blockhash()
            .await
            .map_err(transport)?;
        let assembled = crate::tx::assemble(&self.payer, signers, ixs, blockhash, &self.tables)?;
        let sig = self
            .client
            .send_and_confirm_transaction(&assembled.tx)
            .await
            .map_err(transport)?;
        Ok(sig.to_string())
    }

    fn set_lookup_tables(&mut self, tables: Vec<AddressLookupTableAccount>) {
        self.tables = tables;
    }

    fn lookup_tables(&self) -> &[AddressLookupTableAccount] {
        &self.tables
    }

    async fn unix_timestamp(&mut self) -> Result<i64, ChainError> {
        let slot = self.client.get_slot().await.map_err(transport)?;
        self.client.get_block_time(slot).await.map_err(transport)
    }

    async fn slot(&mut self) -> Result<u64, ChainError> {
        self.client.get_slot().await.map_err(transport)
    }

    async fn wait_for_slot(&mut self, slot: u64) -> Result<(), ChainError> {
        let start = tokio::time::Instant::now();
        while self.slot().await? < slot {
            if start.elapsed() > SLOT_WAIT {
                return Err(ChainError::Transport(format!(
                    "the cluster did not reach slot {slot} within {SLOT_WAIT:?}"
                )));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(())
    }
}
