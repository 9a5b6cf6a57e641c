//! `TestContext`: starts the validator, sends transactions, reads accounts, moves the clock.

use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{AccountDeserialize, Discriminator};
use solana_account::{Account, AccountSharedData};
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_program_test::ProgramTestContext;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

/// Start of test time: 2026-01-01T00:00:00Z.
pub const START_TIME: i64 = 1_767_225_600;

/// How a transaction failed, reduced to what tests compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxError {
    /// A program error code (`CrossMarginError` codes start at 6000).
    Custom(u32),
    /// Any other instruction error (e.g. a panic shows as `ProgramFailedToComplete`).
    Instruction(InstructionError),
    Other(String),
}

impl TxError {
    pub fn is(&self, e: cross_margin::error::CrossMarginError) -> bool {
        *self == TxError::Custom(u32::from(e))
    }
}

pub struct TestContext {
    pub ctx: ProgramTestContext,
    nonce: u32,
    /// Every address seen in a sent instruction, for `Chain::program_accounts`.
    known: std::collections::BTreeSet<Pubkey>,
    /// Compute units of the last transaction (set `CM_TX_LOGS=1` to print failed logs).
    pub last_compute_units: Option<u64>,
}

impl TestContext {
    pub async fn start(extra_accounts: Vec<(Pubkey, Account)>) -> Self {
        std::env::set_var("RUST_LOG", "error");
        let ctx = cross_margin_client::local::program_test(extra_accounts)
            .start_with_context()
            .await;
        let me = Self {
            ctx,
            nonce: 0,
            known: Default::default(),
            last_compute_units: None,
        };
        me.set_time(START_TIME).await;
        me
    }

    pub fn payer(&self) -> &Keypair {
        &self.ctx.payer
    }

    pub fn payer_key(&self) -> Pubkey {
        self.ctx.payer.pubkey()
    }

    /// Send `ixs` signed by the payer and `signers`. Each transaction gets a unique
    /// compute-limit instruction so identical retries are not deduplicated.
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), TxError> {
        self.nonce += 1;
        for ix in ixs {
            self.known.extend(ix.accounts.iter().map(|m| m.pubkey));
        }
        let mut all = vec![
            solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_limit(
                1_400_000 - self.nonce,
            ),
        ];
        all.extend_from_slice(ixs);
        let mut keys: Vec<&Keypair> = vec![&self.ctx.payer];
        keys.extend_from_slice(signers);
        let mut attempt = 0;
        let outcome = loop {
            let tx = Transaction::new_signed_with_payer(
                &all,
                Some(&self.ctx.payer.pubkey()),
                &keys,
                self.ctx.last_blockhash,
            );
            let outcome = self
                .ctx
                .banks_client
                .process_transaction_with_metadata(tx)
                .await
                .map_err(|e| TxError::Other(e.to_string()))?;
            // Long runs outlive a blockhash; fetch the current one and send again.
            if matches!(outcome.result, Err(TransactionError::BlockhashNotFound)) && attempt < 3 {
                attempt += 1;
                self.ctx.last_blockhash = self
                    .ctx
                    .banks_client
                    .get_latest_blockhash()
                    .await
                    .map_err(|e| TxError::Other(e.to_string()))?;
                continue;
            }
            break outcome;
        };
        if outcome.result.is_err() && std::env::var_os("CM_TX_LOGS").is_some() {
            for line in outcome.metadata.iter().flat_map(|m| &m.log_messages) {
                eprintln!("  | {line}");
            }
        }
        self.last_compute_units = outcome.metadata.as_ref().map(|m| m.compute_units_consumed);
        match outcome.result {
            Ok(()) => Ok(()),
            Err(TransactionError::InstructionError(_, e)) => Err(match e {
                InstructionError::Custom(code) => TxError::Custom(code),
                other => TxError::Instruction(other),
            }),
            Err(e) => Err(TxError::Other(e.to_string())),
        }
    }

    pub async fn account(&mut self, key: Pubkey) -> Option<Account> {
        self.ctx
            .banks_client
            .get_account(key)
            .await
            .expect("banks client")
    }

    /// Decode a zero-copy program account (discriminator checked).
    pub async fn load<T: bytemuck::Pod + Discriminator>(&mut self, key: Pubkey) -> T {
        let a = self
            .account(key)
            .await
            .unwrap_or_else(|| panic!("account {key} missing"));
        assert_eq!(
            &a.data[..8],
            T::DISCRIMINATOR,
            "wrong discriminator for {key}"
        );
        *bytemuck::from_bytes(&a.data[8..8 + std::mem::size_of::<T>()])
    }

    /// Decode a borsh/anchor account.
    pub async fn load_anchor<T: AccountDeserialize>(&mut self, key: Pubkey) -> T {
        let a = self.account(key).await.expect("account exists");
        T::try_deserialize(&mut &a.data[..]).expect("decodes")
    }

    pub fn set_account(&mut self, key: &Pubkey, account: Account) {
        self.ctx.set_account(key, &AccountSharedData::from(account));
    }

    pub async fn clock(&mut self) -> Clock {
        self.ctx
            .banks_client
            .get_sysvar::<Clock>()
            .await
            .expect("clock")
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    /// Set the cluster time (`warp_to_slot` barely moves `unix_timestamp`).
    pub async fn set_time(&self, unix_timestamp: i64) {
        let mut clock: Clock = self.ctx.banks_client.get_sysvar().await.expect("clock");
        clock.unix_timestamp = unix_timestamp;
        self.ctx.set_sysvar(&clock);
    }

    pub async fn advance_clock(&mut self, secs: i64) {
        let now = self.now().await;
        self.set_time(now + secs).await;
    }
}

/// Assert that `result` failed with the program error `expected`, naming both on mismatch.
#[track_caller]
pub fn assert_err(result: Result<(), TxError>, expected: cross_margin::error::CrossMarginError) {
    match result {
        Err(e) if e.is(expected) => {}
        other => panic!(
            "expected {expected:?} ({}), got {other:?}",
            u32::from(expected)
        ),
    }
}

/// Assert that `result` failed with Anchor's own error `expected` (account checks, decoding).
#[track_caller]
pub fn assert_anchor_err(result: Result<(), TxError>, expected: anchor_lang::error::ErrorCode) {
    let code = u32::from(expected);
    match result {
        Err(TxError::Custom(c)) if c == code => {}
        other => panic!("expected Anchor {expected:?} ({code}), got {other:?}"),
    }
}

/// Assert that `result` is not a panic: success, or a program / Anchor error code.
#[track_caller]
pub fn assert_no_panic(result: &Result<(), TxError>) {
    if let Err(TxError::Instruction(e)) = result {
        assert!(
            !matches!(e, InstructionError::ProgramFailedToComplete),
            "the program panicked"
        );
    }
}

impl cross_margin_client::chain::Chain for TestContext {
    fn payer(&self) -> &Keypair {
        &self.ctx.payer
    }

    async fn account(
        &mut self,
        key: &Pubkey,
    ) -> Result<Option<Account>, cross_margin_client::chain::ChainError> {
        Ok(TestContext::account(self, *key).await)
    }

    async fn accounts(
        &mut self,
        keys: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, cross_margin_client::chain::ChainError> {
        let mut out = vec![];
        for k in keys {
            out.push(TestContext::account(self, *k).await);
        }
        Ok(out)
    }

    async fn program_accounts(
        &mut self,
        filters: &[cross_margin_client::chain::Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, cross_margin_client::chain::ChainError> {
        let keys: Vec<Pubkey> = self.known.iter().copied().collect();
        let mut out = vec![];
        for key in keys {
            if let Some(a) = TestContext::account(self, key).await {
                if a.owner == cross_margin::ID && filters.iter().all(|f| f.matches(&a.data)) {
                    out.push((key, a));
                }
            }
        }
        Ok(out)
    }

    async fn send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<String, cross_margin_client::chain::ChainError> {
        TestContext::send(self, ixs, signers)
            .await
            .map(|()| "local".into())
            .map_err(TxError::into_chain_error)
    }

    async fn unix_timestamp(&mut self) -> Result<i64, cross_margin_client::chain::ChainError> {
        Ok(self.now().await)
    }
}

impl TxError {
    pub fn into_chain_error(self) -> cross_margin_client::chain::ChainError {
        use cross_margin_client::chain::{error_name, ChainError};
        match self {
            TxError::Custom(code) => ChainError::Program {
                code,
                name: error_name(code),
            },
            TxError::Instruction(e) => {
                ChainError::Transaction(TransactionError::InstructionError(0, e))
            }
            TxError::Other(s) => ChainError::Transport(s),
        }
    }
}
