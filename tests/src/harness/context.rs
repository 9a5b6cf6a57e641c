//! `TestContext`: starts the validator, sends transactions, reads accounts, moves the clock.

use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{AccountDeserialize, Discriminator};
use cross_margin_client::chain::{Chain, ChainError, ChainLayer};
use cross_margin_client::local::LocalChain;
use cross_margin_client::tx::TxBuildError;
use solana_account::Account;
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_signer::Signer;
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
    /// Never sent: a cluster would refuse it (over 1,232 bytes or 64 accounts).
    Unsendable(TxBuildError),
    Other(String),
}

impl TxError {
    pub fn is(&self, e: cross_margin::error::CrossMarginError) -> bool {
        *self == TxError::Custom(u32::from(e))
    }
}

/// The test validator: the client's [`LocalChain`] plus test conveniences.
pub struct TestContext {
    pub chain: LocalChain,
}

impl TestContext {
    pub async fn start(extra_accounts: Vec<(Pubkey, Account)>) -> Self {
        std::env::set_var("RUST_LOG", "error");
        Self {
            chain: LocalChain::start(extra_accounts, START_TIME).await,
        }
    }

    pub fn payer(&self) -> &Keypair {
        &self.chain.ctx.payer
    }

    pub fn payer_key(&self) -> Pubkey {
        self.chain.ctx.payer.pubkey()
    }

    /// Send `ixs` signed by the payer and `signers` (set `CM_TX_LOGS=1` to print the logs of
    /// a failed transaction).
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), TxError> {
        match Chain::send(&mut self.chain, ixs, signers).await {
            Ok(_) => Ok(()),
            Err(e) => {
                if std::env::var_os("CM_TX_LOGS").is_some() {
                    for line in &self.chain.last_logs {
                        eprintln!("  | {line}");
                    }
                }
                Err(match e {
                    ChainError::Program { code, .. } => TxError::Custom(code),
                    ChainError::Transaction(TransactionError::InstructionError(_, e)) => {
                        TxError::Instruction(e)
                    }
                    ChainError::Unsendable(e) => TxError::Unsendable(e),
                    other => TxError::Other(other.to_string()),
                })
            }
        }
    }

    pub async fn account(&mut self, key: Pubkey) -> Option<Account> {
        Chain::account(&mut self.chain, &key)
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
        self.chain.set_account(key, account);
    }

    pub async fn clock(&mut self) -> Clock {
        self.chain
            .ctx
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
        self.chain.set_time(unix_timestamp).await;
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

/// The test context is a [`Chain`] through its `LocalChain` (discovery, sending, reading).
impl ChainLayer for TestContext {
    type Inner = LocalChain;

    fn inner(&self) -> &LocalChain {
        &self.chain
    }

    fn inner_mut(&mut self) -> &mut LocalChain {
        &mut self.chain
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
            TxError::Unsendable(e) => ChainError::Unsendable(e),
            TxError::Other(s) => ChainError::Transport(s),
        }
    }
}
