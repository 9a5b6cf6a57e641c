//! Reading and sending, behind one trait so the keeper, CLI and bootstrap run unchanged
//! against a real cluster ([`crate::rpc::RpcChain`]) or the in-process validator
//! ([`crate::local::LocalChain`]).
//!
//! Both backends assemble transactions with [`crate::tx::assemble`]: legacy while no lookup
//! table is registered, v0 against the registered tables otherwise
//! ([`Chain::set_lookup_tables`], usually through [`crate::lookup_table::use_table`]), and
//! either way refused before sending if a cluster would refuse it
//! ([`ChainError::Unsendable`]).

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_account::Account;
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_message::AddressLookupTableAccount;
use solana_transaction_error::TransactionError;

use crate::fees::Urgency;
use crate::send::{DryRun, SendOptions, Simulation};

/// A `getProgramAccounts` memcmp filter: `bytes` at `offset` of the account data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Memcmp {
    pub offset: usize,
    pub bytes: Vec<u8>,
}

impl Memcmp {
    pub fn matches(&self, data: &[u8]) -> bool {
        data.get(self.offset..self.offset + self.bytes.len()) == Some(&self.bytes[..])
    }
}

/// Why a read or a send failed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The transaction ran and the program refused it with this error code
    /// (`CrossMarginError` codes start at 6000; Anchor's own are below).
    #[error("program error {code}{}", describe(*code, name))]
    Program { code: u32, name: Option<String> },
    #[error("transaction failed: {0}")]
    Transaction(TransactionError),
    /// The node could not be reached or answered garbage; worth retrying.
    #[error("node unavailable: {0}")]
    Transport(String),
    /// Never sent: a cluster would refuse it (too large, too many accounts) or it could not
    /// be signed.
    #[error("transaction not sent: {0}")]
    Unsendable(#[from] crate::tx::TxBuildError),
    /// The node refused the connection or did not answer.
    #[error("{}", crate::cluster::unreachable_message(url, cause))]
    Unreachable { url: String, cause: String },
    /// Not sent: its simulation failed for a reason other than a program error.
    #[error(
        "transaction not sent: its simulation failed: {error}{}",
        last_log(logs)
    )]
    Simulation { error: String, logs: Vec<String> },
    /// Sent; whether it landed is not known. Not transient: sending it again could execute
    /// it twice.
    #[error("transaction {signature} was sent but its outcome is unknown ({reason}): it may still land; check it with `solana confirm {signature}` before sending it again")]
    Unconfirmed { signature: String, reason: String },
    /// Sent, but never confirmed before each of its blockhashes expired.
    #[error("transaction dropped: {signature} was not confirmed before its blockhash expired, {attempts} time(s) with a fresh blockhash; the cluster may be congested: raise --priority-fee or retry")]
    Dropped { signature: String, attempts: u32 },
}

fn last_log(logs: &[String]) -> String {
    logs.last()
        .map(|l| format!(" (last log: {l})"))
        .unwrap_or_default()
}

impl ChainError {
    pub fn from_transaction(err: TransactionError) -> Self {
        match err {
            TransactionError::InstructionError(_, InstructionError::Custom(code)) => {
                ChainError::Program {
                    code,
                    name: error_name(code),
                }
            }
            other => ChainError::Transaction(other),
        }
    }

    /// True for failures a retry may cure (network, blockhash).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ChainError::Transport(_)
                | ChainError::Unreachable { .. }
                | ChainError::Dropped { .. }
                | ChainError::Transaction(TransactionError::BlockhashNotFound)
        )
    }
}

fn describe(code: u32, name: &Option<String>) -> String {
    match (name, error_message(code)) {
        (Some(n), Some(m)) => format!(" {n}: {m}"),
        (Some(n), None) => format!(" {n}"),
        _ => String::new(),
    }
}

/// The user-facing message of a `CrossMarginError` code.
pub fn error_message(code: u32) -> Option<String> {
    code.checked_sub(anchor_lang::error::ERROR_CODE_OFFSET)
        .and_then(|i| all_errors().get(i as usize).map(|e| e.to_string()))
}

fn all_errors() -> &'static [cross_margin::error::CrossMarginError] {
    &ALL
}

/// The `CrossMarginError` variant name for a custom error code, if it is one.
pub fn error_name(code: u32) -> Option<String> {
    ALL.iter()
        .find(|e| u32::from(**e) == code)
        .map(|e| e.name())
}

use cross_margin::error::CrossMarginError as E;
/// Every variant in declaration order (index + 6000 = code); a unit test keeps it complete.
const ALL: [E; 100] = [
    E::MathOverflow,
    E::AmountZero,
    E::NotAdmin,
    E::NotPauseAuthority,
    E::OnlyAdminCanUnpause,
    E::GroupPaused,
    E::NotOwnerOrDelegate,
    E::NotOwner,
    E::InvalidWeights,
    E::InvalidInterestCurve,
    E::InvalidFees,
    E::InvalidOracleConfig,
    E::TokenIndexInUse,
    E::UnsupportedMintExtension,
    E::MintDecimalsTooLarge,
    E::MintMismatch,
    E::VaultMismatch,
    E::TokenProgramMismatch,
    E::GroupMismatch,
    E::OracleMismatch,
    E::OracleWrongOwner,
    E::OracleInvalidData,
    E::OracleNotTrading,
    E::OracleStale,
    E::OracleConfidenceTooWide,
    E::OraclePriceInvalid,
    E::OracleFeedMismatch,
    E::OracleNotVerified,
    E::InsufficientWalletBalance,
    E::InsufficientVaultLiquidity,
    E::BorrowNotAllowed,
    E::DepositLimitExceeded,
    E::BorrowLimitExceeded,
    E::BankReduceOnly,
    E::HealthAccountsCount,
    E::HealthBankMismatch,
    E::HealthOracleMismatch,
    E::HealthWouldBeNegative,
    E::NoFreePositionSlot,
    E::AccountNotEmpty,
    E::AccountBeingLiquidated,
    E::InvalidAccount,
    E::NoAssetToSeize,
    E::NoLiabilityToTake,
    E::NotLiquidatable,
    E::LiquidationWouldNotImprove,
    E::LiquidationTooSmall,
    E::SelfLiquidation,
    E::SameBank,
    E::NotBankrupt,
    E::TokenAccountFrozen,
    E::NewPositionNotOwner,
    E::LiquidationPairUnsafe,
    E::BankListIncomplete,
    E::ReservedTokenIndex,
    E::OracleNotCanonical,
    E::BankInsolvent,
    E::InvalidGuardrailConfig,
    E::InvalidGroupSettings,
    E::BreakerBorrowReduceOnly,
    E::NetOutflowLimit,
    E::LooseningNeedsTimelock,
    E::ChangeNotYetEffective,
    E::LooseningStepTooLarge,
    E::NewBankAssetWeightNotZero,
    E::InvalidAdmin,
    E::NotPendingAdmin,
    E::GroupNotLive,
    E::GroupAlreadyLive,
    E::ChangeTargetMismatch,
    E::ChangeStale,
    E::ChangeEmpty,
    E::NotCancelAuthority,
    E::ChangeExpired,
    E::NoFreePerpSlot,
    E::InvalidPerpConfig,
    E::HealthPerpMismatch,
    E::SettleBankMismatch,
    E::PerpIndexInUse,
    E::OpenInterestCap,
    E::PoolReserveBreached,
    E::LimitPriceExceeded,
    E::PerpReduceOnly,
    E::PerpBreakerReduceOnly,
    E::NoPerpPosition,
    E::NothingToSettle,
    E::PoolAmountInvalid,
    E::PerpPositionsOpen,
    E::PerpTradeSizeInvalid,
    E::NewPerpPnlWeightNotZero,
    E::NotHedged,
    E::AdlNotNeeded,
    E::PositionNotProfitable,
    E::AdlWouldEndangerAccount,
    E::AdlBreakerTripped,
    E::AdlBelowAverageProfit,
    E::PoolWithdrawWouldTriggerAdl,
    E::SettleSlotReserved,
    E::PerpPositionNotFlat,
    E::NoPerpLoss,
];

/// Reading accounts and sending transactions.
#[allow(async_fn_in_trait)]
pub trait Chain {
    /// The fee payer (and default signer).
    fn payer(&self) -> &Keypair;
    async fn account(&mut self, key: &Pubkey) -> Result<Option<Account>, ChainError>;
    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, ChainError>;
    /// Accounts owned by `program` matching every filter (`getProgramAccounts`).
    async fn owned_accounts(
        &mut self,
        program: &Pubkey,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, ChainError>;
    /// Accounts of this program matching every filter.
    async fn program_accounts(
        &mut self,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, ChainError> {
        self.owned_accounts(&cross_margin::ID, filters).await
    }
    /// Send `ixs` signed by the payer and `signers`; waits for confirmation. A v0
    /// transaction if lookup tables are registered, legacy otherwise; refused with
    /// [`ChainError::Unsendable`] before sending if over a cluster's limits. Under
    /// [`SendOptions`] (always on the RPC backend) it is simulated first, given a compute
    /// unit limit and price ([`crate::send::prepare`]), and in a dry run only recorded
    /// ([`Chain::take_dry_runs`]), returning [`crate::send::DRY_RUN_SIGNATURE`].
    async fn send_with(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        urgency: Urgency,
    ) -> Result<String, ChainError>;
    /// [`Chain::send_with`] at routine urgency.
    async fn send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<String, ChainError> {
        self.send_with(ixs, signers, Urgency::Routine).await
    }
    /// Run `ixs` (signed as [`Chain::send`] would) without committing anything.
    async fn simulate(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Simulation, ChainError>;
    /// Priority fees (micro-lamports per compute unit) recent transactions paid that locked
    /// any of `writable` (`getRecentPrioritizationFees`; empty where there is no market).
    async fn recent_prioritization_fees(
        &mut self,
        writable: &[Pubkey],
    ) -> Result<Vec<u64>, ChainError>;
    /// How later sends are prepared (priority fee, compute margin, dry run).
    fn set_send_options(&mut self, options: SendOptions);
    /// The transactions a dry run simulated instead of sending, oldest first; clears them.
    fn take_dry_runs(&mut self) -> Vec<DryRun>;
    /// Lookup tables every later [`Chain::send`] compiles against (replacing any before);
    /// empty for legacy transactions. Only addresses already usable may be listed (see
    /// [`crate::lookup_table::LookupTable::usable_at`]).
    fn set_lookup_tables(&mut self, tables: Vec<AddressLookupTableAccount>);
    /// The registered lookup tables.
    fn lookup_tables(&self) -> &[AddressLookupTableAccount];
    /// The cluster's clock (`Clock::unix_timestamp`).
    async fn unix_timestamp(&mut self) -> Result<i64, ChainError>;
    /// The slot transactions are processed in now.
    async fn slot(&mut self) -> Result<u64, ChainError>;
    /// Return once the cluster has reached `slot` (the local validator warps there, keeping
    /// its clock's time).
    async fn wait_for_slot(&mut self, slot: u64) -> Result<(), ChainError>;
}

/// A [`Chain`] that wraps another and passes every call through to it, except the sends
/// (and the clock) it chooses to handle itself: a recorder, a fault injector, a test
/// harness that checks invariants after each transaction. Give it its inner chain and
/// override only the hooks that differ; the blanket impl below makes it a `Chain`, so no
/// wrapper repeats the forwarding of the other fourteen calls.
#[allow(async_fn_in_trait)]
pub trait ChainLayer {
    type Inner: Chain;
    fn inner(&self) -> &Self::Inner;
    fn inner_mut(&mut self) -> &mut Self::Inner;
    /// What [`Chain::send_with`] does through this layer.
    async fn layer_send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        urgency: Urgency,
    ) -> Result<String, ChainError> {
        self.inner_mut().send_with(ixs, signers, urgency).await
    }
    /// What [`Chain::unix_timestamp`] does through this layer.
    async fn layer_unix_timestamp(&mut self) -> Result<i64, ChainError> {
        self.inner_mut().unix_timestamp().await
    }
}

impl<L: ChainLayer> Chain for L {
    fn payer(&self) -> &Keypair {
        self.inner().payer()
    }
    async fn account(&mut self, key: &Pubkey) -> Result<Option<Account>, ChainError> {
        self.inner_mut().account(key).await
    }
    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, ChainError> {
        self.inner_mut().accounts(keys).await
    }
    async fn owned_accounts(
        &mut self,
        program: &Pubkey,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, ChainError> {
        self.inner_mut().owned_accounts(program, filters).await
    }
    async fn send_with(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        urgency: Urgency,
    ) -> Result<String, ChainError> {
        self.layer_send(ixs, signers, urgency).await
    }
    async fn simulate(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Simulation, ChainError> {
        self.inner_mut().simulate(ixs, signers).await
    }
    async fn recent_prioritization_fees(
        &mut self,
        writable: &[Pubkey],
    ) -> Result<Vec<u64>, ChainError> {
        self.inner_mut().recent_prioritization_fees(writable).await
    }
    fn set_send_options(&mut self, options: SendOptions) {
        self.inner_mut().set_send_options(options);
    }
    fn take_dry_runs(&mut self) -> Vec<DryRun> {
        self.inner_mut().take_dry_runs()
    }
    fn set_lookup_tables(&mut self, tables: Vec<AddressLookupTableAccount>) {
        self.inner_mut().set_lookup_tables(tables);
    }
    fn lookup_tables(&self) -> &[AddressLookupTableAccount] {
        self.inner().lookup_tables()
    }
    async fn unix_timestamp(&mut self) -> Result<i64, ChainError> {
        self.layer_unix_timestamp().await
    }
    async fn slot(&mut self) -> Result<u64, ChainError> {
        self.inner_mut().slot().await
    }
    async fn wait_for_slot(&mut self, slot: u64) -> Result<(), ChainError> {
        self.inner_mut().wait_for_slot(slot).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_has_its_name_and_message() {
        for (i, e) in ALL.iter().enumerate() {
            assert_eq!(u32::from(*e), 6_000 + i as u32, "{e:?} out of order");
        }
        assert_eq!(error_name(6_037).as_deref(), Some("HealthWouldBeNegative"));
        let err = ChainError::Program {
            code: 6_023,
            name: error_name(6_023),
        };
        assert!(
            err.to_string()
                .starts_with("program error 6023 OracleStale: The oracle price is older"),
            "{err}"
        );
        assert_eq!(error_name(6_051).as_deref(), Some("NewPositionNotOwner"));
        assert_eq!(
            error_name(6_059).as_deref(),
            Some("BreakerBorrowReduceOnly")
        );
        assert_eq!(error_name(6_074).as_deref(), Some("NoFreePerpSlot"));
        assert_eq!(error_name(6_081).as_deref(), Some("LimitPriceExceeded"));
        assert_eq!(error_name(6_094).as_deref(), Some("AdlBreakerTripped"));
        assert_eq!(
            error_name(6_096).as_deref(),
            Some("PoolWithdrawWouldTriggerAdl")
        );
        assert_eq!(error_name(6_097).as_deref(), Some("SettleSlotReserved"));
        assert_eq!(error_name(6_098).as_deref(), Some("PerpPositionNotFlat"));
        assert_eq!(error_name(6_099).as_deref(), Some("NoPerpLoss"));
        assert_eq!(error_name(6_100), None);
    }

    /// The table names every error the program declares: as many as the committed IDL
    /// lists (regenerated with each program change), in the same order.
    #[test]
    fn the_error_table_is_complete() {
        let idl: serde_json::Value =
            serde_json::from_str(include_str!("../../../idl/cross_margin.json")).unwrap();
        let errors = idl["errors"].as_array().unwrap();
        assert_eq!(errors.len(), ALL.len(), "add the new variants to ALL");
        for (e, listed) in ALL.iter().zip(errors) {
            assert_eq!(
                listed["name"].as_str().unwrap().to_lowercase(),
                e.name().to_lowercase()
            );
        }
    }
}
