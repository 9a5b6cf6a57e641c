//! The in-process validator backend: `solana-program-test` with the program as a native
//! processor and the real SPL Token / Token-2022 programs. Used by the integration tests,
//! the keeper's tests, the bootstrap's tests and the CLI demo.
//!
//! `BanksClient` has no `getProgramAccounts`, so [`LocalChain`] remembers every address that
//! appears in an instruction it sends (and any added with [`LocalChain::track`]) and answers
//! discovery queries by filtering those accounts exactly as the RPC node would.
//!
//! The validator accepts transactions of any size; [`LocalChain::send`] assembles them with
//! [`crate::tx::assemble`], which refuses what a cluster would (over 1,232 bytes or 64
//! accounts), so no test can pass with a transaction mainnet would drop. Slots only move when
//! asked ([`Chain::wait_for_slot`] warps), and a warp keeps the clock's pinned time.
#![allow(deprecated)]

pub mod pyth;
pub mod spl;

use crate::chain::{Chain, ChainError, Memcmp};
use crate::fees::{self, Urgency};
use crate::send::{self, DryRun, SendOptions, Simulation};
use crate::tx::{self, TxShape};
use anchor_lang::prelude::{AccountInfo, Clock, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::solana_program::instruction::Instruction;
use solana_account::{Account, AccountSharedData};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_keypair::Keypair;
use solana_message::AddressLookupTableAccount;
use solana_program_test::{processor, ProgramTest, ProgramTestContext};
use solana_transaction_error::TransactionError;
use std::collections::BTreeSet;
use std::ops::ControlFlow;

/// The program's entrypoint behind the native-processor shim. Anchor 1.x ties the program
/// id, accounts and data to one lifetime, so the shim leaks test-only copies of all three.
pub fn process_instruction(
    program_id: &Pubkey,
    accounts: &[AccountInfo],
    data: &[u8],
) -> ProgramResult {
    let accounts: &[AccountInfo] = Box::leak(accounts.to_vec().into_boxed_slice());
    let program_id: &Pubkey = Box::leak(Box::new(*program_id));
    let data: &[u8] = Box::leak(data.to_vec().into_boxed_slice());
    cross_margin::entry(program_id, accounts, data)
}

/// A `ProgramTest` with the cross-margin program and `extra` accounts (e.g. oracles).
pub fn program_test(extra: Vec<(Pubkey, Account)>) -> ProgramTest {
    let mut pt = ProgramTest::new(
        "cross_margin",
        cross_margin::ID,
        processor!(process_instruction),
    );
    pt.prefer_bpf(false);
    pt.set_compute_max_units(1_400_000);
    for (key, account) in extra {
        pt.add_account(key, account);
    }
    pt
}

pub struct LocalChain {
    pub ctx: ProgramTestContext,
    known: BTreeSet<Pubkey>,
    nonce: u32,
    /// Compute units of the last transaction.
    pub last_compute_units: Option<u64>,
    /// Log lines of the last failed transaction.
    pub last_logs: Vec<String>,
    /// Size, account count and format of the last transaction sent (`None` if the last
    /// send was refused before sending).
    pub last_tx: Option<TxShape>,
    tables: Vec<AddressLookupTableAccount>,
    /// `None` (the default): transactions go out with a fixed maximal compute limit and no
    /// price, as the tests have always sent them. `Some`: prepared exactly as on a cluster
    /// ([`send::prepare`]), so the CLI's dry runs and fee flags are tested in-process.
    send_options: Option<SendOptions>,
    dry_runs: Vec<DryRun>,
}

impl LocalChain {
    /// Start a validator at `unix_timestamp`.
    pub async fn start(extra: Vec<(Pubkey, Account)>, unix_timestamp: i64) -> Self {
        let ctx = program_test(extra).start_with_context().await;
        let chain = Self {
            ctx,
            known: BTreeSet::new(),
            nonce: 0,
            last_compute_units: None,
            last_logs: vec![],
            last_tx: None,
            tables: vec![],
            send_options: None,
            dry_runs: vec![],
        };
        chain.set_time(unix_timestamp).await;
        chain
    }

    async fn refresh_blockhash(&mut self) -> Result<(), ChainError> {
        self.ctx.last_blockhash = self
            .ctx
            .banks_client
            .get_latest_blockhash()
            .await
            .map_err(|e| ChainError::Transport(e.to_string()))?;
        Ok(())
    }

    /// The send options set with [`Chain::set_send_options`], if any.
    pub fn send_options(&self) -> Option<&SendOptions> {
        self.send_options.as_ref()
    }

    /// Every address discovery knows of (each one an instruction sent here named, and those
    /// added with [`LocalChain::track`]).
    pub fn known_accounts(&self) -> Vec<Pubkey> {
        self.known.iter().copied().collect()
    }

    /// Remember an address for discovery queries.
    pub fn track(&mut self, key: Pubkey) {
        self.known.insert(key);
    }

    pub fn set_account(&mut self, key: &Pubkey, account: Account) {
        self.ctx.set_account(key, &AccountSharedData::from(account));
    }

    /// Set the cluster time (`warp_to_slot` barely moves `unix_timestamp`).
    pub async fn set_time(&self, unix_timestamp: i64) {
        let mut clock: Clock = self
            .ctx
            .banks_client
            .get_sysvar()
            .await
            .expect("clock sysvar");
        clock.unix_timestamp = unix_timestamp;
        self.ctx.set_sysvar(&clock);
    }
}

impl Chain for LocalChain {
    fn payer(&self) -> &Keypair {
        &self.ctx.payer
    }

    async fn account(&mut self, key: &Pubkey) -> Result<Option<Account>, ChainError> {
        self.ctx
            .banks_client
            .get_account(*key)
            .await
            .map_err(|e| ChainError::Transport(e.to_string()))
    }

    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, ChainError> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            out.push(self.account(key).await?);
        }
        Ok(out)
    }

    async fn owned_accounts(
        &mut self,
        program: &Pubkey,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, ChainError> {
        let keys: Vec<Pubkey> = self.known.iter().copied().collect();
        let mut out = vec![];
        for key in keys {
            if let Some(a) = self.account(&key).await? {
                if a.owner == *program && filters.iter().all(|f| f.matches(&a.data)) {
                    out.push((key, a));
                }
            }
        }
        Ok(out)
    }

    async fn send_with(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        urgency: Urgency,
    ) -> Result<String, ChainError> {
        for ix in ixs {
            self.known.extend(ix.accounts.iter().map(|m| m.pubkey));
        }
        // A unique compute limit per transaction keeps identical retries from being
        // deduplicated as already processed.
        self.nonce = self.nonce.wrapping_add(1) % 1_000_000;
        let all = match self.send_options.clone() {
            None => {
                let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(
                    fees::MAX_COMPUTE_UNITS - self.nonce,
                )];
                all.extend_from_slice(ixs);
                all
            }
            Some(options) => {
                let prepared = match send::prepare(self, &options, ixs, signers, urgency)
                    .await?
                    .triage(options.dry_run, &mut self.dry_runs, &mut self.last_logs)
                {
                    ControlFlow::Continue(prepared) => prepared,
                    ControlFlow::Break(done) => return done,
                };
                let mut all = prepared.instructions;
                // The same uniqueness, kept above the simulated limit.
                all[0] = ComputeBudgetInstruction::set_compute_unit_limit(
                    (prepared.compute_unit_limit + self.nonce % 1_000).min(fees::MAX_COMPUTE_UNITS),
                );
                all
            }
        };
        self.last_tx = None;
        for _attempt in 0..4 {
            let assembled = tx::assemble(
                &self.ctx.payer,
                signers,
                &all,
                self.ctx.last_blockhash,
                &self.tables,
            )?;
            self.last_tx = Some(assembled.shape);
            let signature = assembled.tx.signatures[0].to_string();
            let outcome = self
                .ctx
                .banks_client
                .process_transaction_with_metadata(assembled.tx)
                .await
                .map_err(|e| ChainError::Transport(e.to_string()))?;
            self.last_compute_units = outcome.metadata.as_ref().map(|m| m.compute_units_consumed);
            match outcome.result {
                Ok(()) => return Ok(signature),
                Err(TransactionError::BlockhashNotFound) => self.refresh_blockhash().await?,
                Err(e) => {
                    self.last_logs = outcome.metadata.map(|m| m.log_messages).unwrap_or_default();
                    return Err(ChainError::from_transaction(e));
                }
            }
        }
        Err(ChainError::Transaction(TransactionError::BlockhashNotFound))
    }

    async fn simulate(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Simulation, ChainError> {
        self.refresh_blockhash().await?;
        let assembled = tx::assemble(
            &self.ctx.payer,
            signers,
            ixs,
            self.ctx.last_blockhash,
            &self.tables,
        )?;
        let outcome = self
            .ctx
            .banks_client
            .simulate_transaction(assembled.tx)
            .await
            .map_err(|e| ChainError::Transport(e.to_string()))?;
        let (logs, units) = match outcome.simulation_details {
            Some(d) => (d.logs, Some(d.units_consumed)),
            None => (vec![], None),
        };
        let error = match outcome.result {
            Some(Ok(())) => None,
            Some(Err(e)) => Some(e),
            None => Some(TransactionError::AccountNotFound),
        };
        Ok(Simulation::from_outcome(error, logs, units))
    }

    /// The in-process validator has no fee market: no samples (so `auto` offers 0).
    async fn recent_prioritization_fees(
        &mut self,
        _writable: &[Pubkey],
    ) -> Result<Vec<u64>, ChainError> {
        Ok(vec![])
    }

    fn set_send_options(&mut self, options: SendOptions) {
        self.send_options = Some(options);
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

    async fn unix_timestamp(&mut self) -> Result<i64, ChainError> {
        let clock: Clock = self
            .ctx
            .banks_client
            .get_sysvar()
            .await
            .map_err(|e| ChainError::Transport(e.to_string()))?;
        Ok(clock.unix_timestamp)
    }

    async fn slot(&mut self) -> Result<u64, ChainError> {
        // Every commitment level points at the working bank in solana-program-test.
        self.ctx
            .banks_client
            .get_root_slot()
            .await
            .map_err(|e| ChainError::Transport(e.to_string()))
    }

    /// Warps to `slot` if the validator is behind it, then re-pins the clock's time (a new
    /// bank would otherwise recompute it from the slot).
    async fn wait_for_slot(&mut self, slot: u64) -> Result<(), ChainError> {
        if self.slot().await? >= slot {
            return Ok(());
        }
        let now = self.unix_timestamp().await?;
        self.ctx
            .warp_to_slot(slot)
            .map_err(|e| ChainError::Transport(format!("warp to slot {slot}: {e:?}")))?;
        self.set_time(now).await;
        Ok(())
    }
}
