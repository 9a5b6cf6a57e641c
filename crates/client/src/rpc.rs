//! The real-cluster backend: `solana-rpc-client`, with `getProgramAccounts` memcmp filters
//! for discovery (`group` at offset 8 and `owner` at 40 of a margin account).
//!
//! Transactions are assembled by [`crate::tx::assemble`] (v0 when lookup tables are
//! registered) and checked against the cluster's limits before they reach the node, so an
//! oversized transaction fails with a named error instead of an opaque RPC rejection.
//!
//! Sending ([`Chain::send_with`]): the transaction is simulated and given a compute budget
//! ([`crate::send::prepare`]); a failing simulation is returned as the program's error
//! without paying a fee. It is then signed with a fresh blockhash and broadcast every 2 s
//! until confirmed. Only once its blockhash has expired (block height past its last valid
//! height) and a lookup with transaction history confirms it never landed is it re-signed
//! with a new blockhash ([`crate::confirm`]); after [`SendOptions::max_attempts`] it is
//! reported [`ChainError::Dropped`]. Every other open outcome (waited past
//! [`SendOptions::confirm_timeout`], seen processed then gone) is
//! [`ChainError::Unconfirmed`] with the signature to check, never a blind resend.

use crate::chain::{Chain, ChainError, Memcmp};
use crate::confirm;
use crate::fees::Urgency;
use crate::send::{self, DryRun, SendOptions, Simulation};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_account::Account;
use solana_commitment_config::CommitmentConfig;
use solana_commitment_config::CommitmentLevel;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::AddressLookupTableAccount;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSendTransactionConfig,
    RpcSimulateTransactionConfig,
};
use solana_rpc_client_api::filter::{Memcmp as RpcMemcmp, RpcFilterType};
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;
use std::ops::ControlFlow;
use std::time::Duration;

/// How long [`Chain::wait_for_slot`] waits before giving up (a slot is ~400 ms).
const SLOT_WAIT: Duration = Duration::from_secs(30);

/// `l`, `d`, `m`, `t` (and `localhost`, `devnet`, `mainnet-beta`, `testnet`) to URLs; a
/// URL as it is (validate it first with [`crate::cluster::parse_url`]).
pub fn resolve_url(moniker: &str) -> String {
    crate::cluster::parse_url(moniker).unwrap_or_else(|_| moniker.into())
}

/// How often an unconfirmed transaction is broadcast again (nodes drop transactions under
/// load; the same signed transaction lands at most once).
const REBROADCAST: Duration = Duration::from_secs(2);
/// How often the signature's status is polled while waiting.
const POLL: Duration = Duration::from_millis(500);

pub struct RpcChain {
    client: RpcClient,
    url: String,
    payer: Keypair,
    tables: Vec<AddressLookupTableAccount>,
    options: SendOptions,
    dry_runs: Vec<DryRun>,
    /// Log lines of the last simulation that failed (shown by the tools on request).
    pub last_logs: Vec<String>,
}

impl RpcChain {
    /// A backend for the node at `url` (a URL or moniker, see [`resolve_url`]), sending with
    /// [`SendOptions::default`] (automatic priority fee at the routine percentile).
    pub fn new(url: &str, payer: Keypair) -> Self {
        let url = resolve_url(url);
        let client = RpcClient::new_with_commitment(url.clone(), CommitmentConfig::confirmed());
        Self {
            client,
            url,
            payer,
            tables: vec![],
            options: SendOptions::default(),
            dry_runs: vec![],
            last_logs: vec![],
        }
    }

    /// The underlying client, for reads this trait does not cover.
    pub fn client(&self) -> &RpcClient {
        &self.client
    }

    /// The node's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The send options in force.
    pub fn send_options(&self) -> &SendOptions {
        &self.options
    }

    /// A client error as a [`ChainError`]: a transaction error as the program's error, a
    /// refused or timed-out connection as [`ChainError::Unreachable`] naming the URL.
    fn error(&self, e: ClientError) -> ChainError {
        match e.kind() {
            ErrorKind::TransactionError(t) => ChainError::from_transaction(t.clone()),
            ErrorKind::Reqwest(r) if r.is_connect() || r.is_timeout() => ChainError::Unreachable {
                url: self.url.clone(),
                cause: root_cause(r),
            },
            ErrorKind::Io(io) => ChainError::Unreachable {
                url: self.url.clone(),
                cause: io.to_string(),
            },
            _ => match e.get_transaction_error() {
                Some(t) => ChainError::from_transaction(t),
                // reqwest quotes the URL, API key included.
                None => ChainError::Transport(crate::cluster::redact_in(&e.to_string(), &self.url)),
            },
        }
    }

    /// The signature's status as [`confirm::Status`] (`history`: also search transaction
    /// history, not only recent statuses).
    async fn status(
        &self,
        signature: &solana_signature::Signature,
        history: bool,
    ) -> Result<confirm::Status, ChainError> {
        let sigs = [*signature];
        let r = if history {
            self.client.get_signature_statuses_with_history(&sigs).await
        } else {
            self.client.get_signature_statuses(&sigs).await
        }
        .map_err(|e| self.error(e))?;
        Ok(match r.value.into_iter().next().flatten() {
            None => confirm::Status::NotFound,
            Some(s) if s.satisfies_commitment(CommitmentConfig::confirmed()) => match s.err {
                Some(e) => confirm::Status::Failed(e),
                None => confirm::Status::Confirmed,
            },
            Some(_) => confirm::Status::Processed,
        })
    }

    /// Broadcast `tx` until it is confirmed, fails at `confirmed`, or its blockhash expires
    /// (block height past `last_valid`); see [`crate::confirm`] for when the caller may sign
    /// it again. Transient poll errors are waited through until `timeout`.
    async fn broadcast(
        &self,
        tx: &VersionedTransaction,
        last_valid: u64,
        timeout: Duration,
    ) -> Result<confirm::Outcome, ChainError> {
        let signature = tx.signatures[0];
        let start = tokio::time::Instant::now();
        let mut sent_at: Option<tokio::time::Instant> = None;
        let mut tracker = confirm::Tracker::default();
        loop {
            if sent_at.is_none_or(|t| t.elapsed() >= REBROADCAST) {
                // The first broadcast runs the node's preflight (a fresh, exact error if
                // the state moved since our simulation); rebroadcasts skip it, since the
                // node would report the copy it already has as a duplicate.
                let config = RpcSendTransactionConfig {
                    skip_preflight: sent_at.is_some(),
                    preflight_commitment: Some(CommitmentLevel::Confirmed),
                    max_retries: Some(0),
                    ..Default::default()
                };
                if let Err(e) = self.client.send_transaction_with_config(tx, config).await {
                    match self.error(e) {
                        // Refused by preflight: the node did not forward it.
                        ChainError::Transaction(TransactionError::BlockhashNotFound)
                            if sent_at.is_none() =>
                        {
                            return Ok(confirm::Outcome::Resign)
                        }
                        // A timeout may still have forwarded it: from here on it counts
                        // as sent and is only ever waited for.
                        e if e.is_transient() => {}
                        e if sent_at.is_none() => return Err(e),
                        _ => {}
                    }
                }
                sent_at = Some(tokio::time::Instant::now());
            }
            tokio::time::sleep(POLL).await;
            match self.status(&signature, false).await {
                Ok(status) => {
                    if let Some(outcome) = tracker.on_status(&status) {
                        return Ok(outcome);
                    }
                }
                Err(e) if e.is_transient() => {}
                Err(e) => return Ok(confirm::Outcome::Unknown(e.to_string())),
            }
            let height = self
                .client
                .get_block_height_with_commitment(CommitmentConfig::confirmed())
                .await;
            if matches!(height, Ok(h) if h > last_valid) {
                let history = self.status(&signature, true).await.ok();
                return Ok(tracker.on_expiry(history));
            }
            if start.elapsed() > timeout {
                return Ok(tracker.on_timeout(timeout.as_secs()));
            }
        }
    }
}

/// The innermost cause of a connection error ("Connection refused (os error 111)").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

impl Chain for RpcChain {
    fn payer(&self) -> &Keypair {
        &self.payer
    }

    async fn account(&mut self, key: &Pubkey) -> Result<Option<Account>, ChainError> {
        // `getMultipleAccounts` rather than `get_account_with_commitment`, which reports
        // every transport failure (a refused connection included) as "AccountNotFound".
        let r = self
            .client
            .get_multiple_accounts_with_commitment(&[*key], CommitmentConfig::confirmed())
            .await
            .map_err(|e| self.error(e))?;
        Ok(r.value.into_iter().next().flatten())
    }

    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, ChainError> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(100) {
            out.extend(
                self.client
                    .get_multiple_accounts_with_commitment(chunk, CommitmentConfig::confirmed())
                    .await
                    .map_err(|e| self.error(e))?
                    .value,
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
            .map_err(|e| self.error(e))
    }

    async fn send_with(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        urgency: Urgency,
    ) -> Result<String, ChainError> {
        let options = self.options.clone();
        let prepared = match send::prepare(self, &options, ixs, signers, urgency)
            .await?
            .triage(options.dry_run, &mut self.dry_runs, &mut self.last_logs)
        {
            ControlFlow::Continue(prepared) => prepared,
            ControlFlow::Break(done) => return done,
        };
        let attempts = options.max_attempts.max(1);
        let mut signature = String::new();
        for attempt in 1..=attempts {
            let (blockhash, last_valid) = self
                .client
                .get_latest_blockhash_with_commitment(CommitmentConfig::confirmed())
                .await
                .map_err(|e| self.error(e))?;
            let assembled = crate::tx::assemble(
                &self.payer,
                signers,
                &prepared.instructions,
                blockhash,
                &self.tables,
            )?;
            signature = assembled.tx.signatures[0].to_string();
            match self
                .broadcast(&assembled.tx, last_valid, options.confirm_timeout)
                .await?
            {
                confirm::Outcome::Confirmed => return Ok(signature),
                confirm::Outcome::Failed(err) => return Err(ChainError::from_transaction(err)),
                confirm::Outcome::Unknown(reason) => {
                    return Err(ChainError::Unconfirmed { signature, reason })
                }
                confirm::Outcome::Resign if attempt < attempts => tracing::warn!(
                    %signature,
                    attempt,
                    attempts,
                    "transaction dropped: its blockhash expired and it never landed; \
                     sending it again with a fresh blockhash"
                ),
                confirm::Outcome::Resign => {}
            }
        }
        Err(ChainError::Dropped {
            signature,
            attempts,
        })
    }

    async fn simulate(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Simulation, ChainError> {
        // The node substitutes a recent blockhash; signatures are not verified.
        let assembled =
            crate::tx::assemble(&self.payer, signers, ixs, Hash::default(), &self.tables)?;
        let config = RpcSimulateTransactionConfig {
            sig_verify: false,
            replace_recent_blockhash: true,
            commitment: Some(CommitmentConfig::confirmed()),
            ..Default::default()
        };
        let result = self
            .client
            .simulate_transaction_with_config(&assembled.tx, config)
            .await
            .map_err(|e| self.error(e))?
            .value;
        Ok(Simulation::from_outcome(
            result.err.map(TransactionError::from),
            result.logs.unwrap_or_default(),
            result.units_consumed,
        ))
    }

    async fn recent_prioritization_fees(
        &mut self,
        writable: &[Pubkey],
    ) -> Result<Vec<u64>, ChainError> {
        // The node accepts at most 128 addresses; a transaction locks at most 64.
        let keys = &writable[..writable.len().min(128)];
        let fees = self
            .client
            .get_recent_prioritization_fees(keys)
            .await
            .map_err(|e| self.error(e))?;
        Ok(fees.into_iter().map(|f| f.prioritization_fee).collect())
    }

    fn set_send_options(&mut self, options: SendOptions) {
        self.options = options;
    }

    fn take_dry_runs(&mut self) -> Vec<DryRun> {
        std::mem::take(&mut self.dry_runs)
    }

    fn set_lookup_tables(&mut self, tables: Vec<AddressLookupTableAccount>) {
        self.tables = tables;
    }

    fn lookup_tables(&self) -> &[AddressLookupTableAccount] {
        &self.tables
    }

    /// Read from the clock sysvar, exactly what the program sees (`getBlockTime` is not
    /// served for the newest slots by every node).
    async fn unix_timestamp(&mut self) -> Result<i64, ChainError> {
        let clock = self
            .account(&solana_sdk_ids::sysvar::clock::ID)
            .await?
            .ok_or_else(|| ChainError::Transport("the node has no clock sysvar".into()))?;
        // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
        clock
            .data
            .get(32..40)
            .and_then(|b| b.try_into().ok())
            .map(i64::from_le_bytes)
            .ok_or_else(|| ChainError::Transport("the clock sysvar is malformed".into()))
    }

    async fn slot(&mut self) -> Result<u64, ChainError> {
        self.client.get_slot().await.map_err(|e| self.error(e))
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
