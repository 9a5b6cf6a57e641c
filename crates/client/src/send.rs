//! How a transaction is prepared before it is sent, the same on every backend: simulate it,
//! request the compute units it used plus a margin, offer a priority fee, and, in a dry
//! run, stop there and keep a report of what would have been sent.
//!
//! A simulation that fails stops the send: the program's error (with its logs) is returned
//! without paying a fee for a transaction that would fail on chain.
//!
//! The backends call [`prepare`] from [`crate::chain::Chain::send_with`]; confirmation,
//! rebroadcast and blockhash-expiry retries are the RPC backend's ([`crate::rpc`]).

use crate::chain::{Chain, ChainError};
use crate::fees::{self, PriorityFee, Urgency};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_keypair::Keypair;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::ControlFlow;
use std::time::Duration;

/// What [`crate::chain::Chain::send`] returns in a dry run instead of a signature.
pub const DRY_RUN_SIGNATURE: &str = "(dry run: not sent)";

/// How every transaction of a tool is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendOptions {
    /// The compute unit price.
    pub priority_fee: PriorityFee,
    /// The highest price offered, micro-lamports per compute unit, whatever `priority_fee`
    /// asks for.
    pub max_priority_fee: u64,
    /// The lowest price offered (below the cap), micro-lamports per compute unit: what
    /// `auto` falls back to when recent fees are all 0 or cannot be read.
    pub min_priority_fee: u64,
    /// Margin over the simulated compute units, basis points.
    pub compute_margin_bps: u32,
    /// Simulate and record ([`DryRun`]) instead of sending.
    pub dry_run: bool,
    /// How long one attempt waits for confirmation before its blockhash expiry is checked.
    pub confirm_timeout: Duration,
    /// How many blockhashes a transaction is sent with before it is reported dropped.
    pub max_attempts: u32,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self {
            priority_fee: PriorityFee::default(),
            max_priority_fee: fees::DEFAULT_MAX_PRIORITY_FEE,
            min_priority_fee: 0,
            compute_margin_bps: fees::DEFAULT_COMPUTE_MARGIN_BPS,
            dry_run: false,
            confirm_timeout: Duration::from_secs(90),
            max_attempts: 3,
        }
    }
}

/// What a simulation of a transaction returned.
#[derive(Clone, Debug, Default)]
pub struct Simulation {
    /// The error the transaction would fail with, if any.
    pub error: Option<String>,
    /// The custom program error code, if that is why it fails.
    pub program_error: Option<u32>,
    pub logs: Vec<String>,
    pub units_consumed: Option<u64>,
}

impl Simulation {
    /// From a runtime outcome: `error` is `None` on success.
    pub fn from_outcome(
        error: Option<solana_transaction_error::TransactionError>,
        logs: Vec<String>,
        units_consumed: Option<u64>,
    ) -> Self {
        let program_error = error.as_ref().and_then(|e| match e {
            solana_transaction_error::TransactionError::InstructionError(
                _,
                solana_instruction_error::InstructionError::Custom(code),
            ) => Some(*code),
            _ => None,
        });
        Self {
            error: error.map(|e| ChainError::from_transaction(e).to_string()),
            program_error,
            logs,
            units_consumed,
        }
    }
}

/// A transaction ready to sign: the compute budget instructions first, then the caller's.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub instructions: Vec<Instruction>,
    pub compute_unit_limit: u32,
    pub compute_unit_price: u64,
    pub simulation: Simulation,
}

/// One account an instruction uses, as a dry run prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountUse {
    pub key: Pubkey,
    pub signer: bool,
    pub writable: bool,
}

/// One instruction of a dry run.
#[derive(Clone, Debug)]
pub struct InstructionSummary {
    pub program: Pubkey,
    /// The instruction's name when it is one of this program's, else `None`.
    pub name: Option<String>,
    pub accounts: Vec<AccountUse>,
    pub data_len: usize,
}

/// A transaction a dry run simulated instead of sending.
#[derive(Clone, Debug)]
pub struct DryRun {
    pub instructions: Vec<InstructionSummary>,
    pub compute_unit_limit: u32,
    pub compute_unit_price: u64,
    pub simulation: Simulation,
}

impl DryRun {
    pub fn failed(&self) -> bool {
        self.simulation.error.is_some()
    }
}

impl fmt::Display for DryRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "transaction (not sent): compute unit limit {}, price {} micro-lamports/CU",
            self.compute_unit_limit, self.compute_unit_price
        )?;
        for (i, ix) in self.instructions.iter().enumerate() {
            let name = ix.name.as_deref().unwrap_or("");
            writeln!(
                f,
                "  #{i} {} {name} ({} data bytes)",
                ix.program, ix.data_len
            )?;
            for a in &ix.accounts {
                let flags = match (a.signer, a.writable) {
                    (true, true) => "signer, writable",
                    (true, false) => "signer",
                    (false, true) => "writable",
                    (false, false) => "read-only",
                };
                writeln!(f, "      {} ({flags})", a.key)?;
            }
        }
        match (&self.simulation.error, self.simulation.units_consumed) {
            (None, Some(units)) => writeln!(f, "  simulation: success, {units} compute units")?,
            (None, None) => writeln!(f, "  simulation: success")?,
            (Some(e), _) => {
                writeln!(f, "  simulation: FAILED: {e}")?;
                for line in &self.simulation.logs {
                    writeln!(f, "    | {line}")?;
                }
            }
        }
        Ok(())
    }
}

/// Summaries of `ixs` for a dry run, naming this program's instructions.
pub fn summarize(ixs: &[Instruction]) -> Vec<InstructionSummary> {
    ixs.iter()
        .map(|ix| InstructionSummary {
            program: ix.program_id,
            name: (ix.program_id == cross_margin::ID)
                .then(|| instruction_name(&ix.data))
                .flatten(),
            accounts: ix
                .accounts
                .iter()
                .map(|m| AccountUse {
                    key: m.pubkey,
                    signer: m.is_signer,
                    writable: m.is_writable,
                })
                .collect(),
            data_len: ix.data.len(),
        })
        .collect()
}

/// The name of a cross-margin instruction from its 8-byte Anchor discriminator.
pub fn instruction_name(data: &[u8]) -> Option<String> {
    use anchor_lang::Discriminator;
    use cross_margin::instruction as ix;
    let disc = data.get(..8)?;
    macro_rules! find {
        ($($t:ident),* $(,)?) => {
            $(if disc == ix::$t::DISCRIMINATOR { return Some(snake(stringify!($t))); })*
        };
    }
    find!(
        GroupCreate,
        GroupEdit,
        GroupQueueEdit,
        GroupApplyEdit,
        GroupProposeAdmin,
        GroupAcceptAdmin,
        GroupGoLive,
        GroupSetPaused,
        BankRegister,
        BankEdit,
        BankQueueEdit,
        BankApplyEdit,
        ChangeCancel,
        BankAccrueInterest,
        BankSweepFees,
        AccountCreate,
        AccountClose,
        AccountSetDelegate,
        TokenDeposit,
        TokenWithdraw,
        TokenLiquidate,
        TokenResolveBankruptcy,
        InsuranceDeposit,
        PerpMarketRegister,
        PerpMarketEdit,
        PoolDeposit,
        PoolWithdraw,
        PerpTrade,
        PerpUpdateFunding,
        PerpSettlePnl,
        PerpLiquidate,
        PerpLiquidateLoss,
        PerpLiquidatePair,
        PerpAutoDeleverage,
        PerpResolveBankruptcy,
    );
    None
}

fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The writable accounts of `ixs` (what `getRecentPrioritizationFees` is asked about: the
/// fee market is local to the accounts a transaction locks for writing).
pub fn writable_accounts(ixs: &[Instruction]) -> Vec<Pubkey> {
    let set: BTreeSet<Pubkey> = ixs
        .iter()
        .flat_map(|ix| ix.accounts.iter())
        .filter(|m| m.is_writable)
        .map(|m| m.pubkey)
        .collect();
    set.into_iter().collect()
}

/// Prepend the compute budget to `ixs`: the price from `options` (recent fees on the
/// writable accounts for `auto`), and a limit sized from a simulation of the transaction.
/// The simulation's result is returned either way; the caller decides what a failed one
/// means (the send path stops, a dry run reports it).
pub async fn prepare<C: Chain + ?Sized>(
    chain: &mut C,
    options: &SendOptions,
    ixs: &[Instruction],
    signers: &[&Keypair],
    urgency: Urgency,
) -> Result<Prepared, ChainError> {
    let recent = match options.priority_fee {
        // A node that does not serve the fee history (or rate-limits it) must not stop a
        // liquidation: the floor is offered instead.
        PriorityFee::Auto { .. } => match chain
            .recent_prioritization_fees(&writable_accounts(ixs))
            .await
        {
            Ok(fees) => fees,
            Err(e) => {
                tracing::warn!(error = %e, floor = options.min_priority_fee, "recent priority fees unavailable; offering the floor");
                vec![]
            }
        },
        PriorityFee::Fixed(_) => vec![],
    };
    let price = fees::auto_price(
        options.priority_fee,
        urgency,
        &recent,
        options.min_priority_fee,
        options.max_priority_fee,
    );
    tracing::debug!(price, samples = recent.len(), ?urgency, fee = %options.priority_fee, "compute unit price");
    let with_budget = |limit: u32| {
        let mut all = vec![
            ComputeBudgetInstruction::set_compute_unit_limit(limit),
            ComputeBudgetInstruction::set_compute_unit_price(price),
        ];
        all.extend_from_slice(ixs);
        all
    };
    let simulation = chain
        .simulate(&with_budget(fees::MAX_COMPUTE_UNITS), signers)
        .await?;
    let limit = match simulation.units_consumed {
        Some(units) => fees::compute_unit_limit(units, options.compute_margin_bps),
        None => fees::MAX_COMPUTE_UNITS,
    };
    Ok(Prepared {
        instructions: with_budget(limit),
        compute_unit_limit: limit,
        compute_unit_price: price,
        simulation,
    })
}

impl Prepared {
    /// The dry-run record of this transaction (the caller's instructions, without the
    /// compute budget ones, which the header line shows).
    pub fn dry_run(&self) -> DryRun {
        DryRun {
            instructions: summarize(&self.instructions[2..]),
            compute_unit_limit: self.compute_unit_limit,
            compute_unit_price: self.compute_unit_price,
            simulation: self.simulation.clone(),
        }
    }

    /// Where a send ends before anything is signed, the same for every backend: a dry run
    /// is recorded in `dry_runs` and returns [`DRY_RUN_SIGNATURE`]; a failed simulation
    /// keeps its logs in `last_logs` and returns its error. Otherwise the transaction goes
    /// on to be sent.
    pub fn triage(
        self,
        dry_run: bool,
        dry_runs: &mut Vec<DryRun>,
        last_logs: &mut Vec<String>,
    ) -> ControlFlow<Result<String, ChainError>, Prepared> {
        if dry_run {
            dry_runs.push(self.dry_run());
            return ControlFlow::Break(Ok(DRY_RUN_SIGNATURE.into()));
        }
        if let Some(err) = self.simulation_error() {
            *last_logs = self.simulation.logs;
            return ControlFlow::Break(Err(err));
        }
        ControlFlow::Continue(self)
    }

    /// The error a failed simulation means for the send path.
    pub fn simulation_error(&self) -> Option<ChainError> {
        let sim = &self.simulation;
        let message = sim.error.as_ref()?;
        Some(match sim.program_error {
            Some(code) => ChainError::Program {
                code,
                name: crate::chain::error_name(code),
            },
            None => ChainError::Simulation {
                error: message.clone(),
                logs: sim.logs.clone(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_instructions_are_named_from_their_discriminator() {
        use anchor_lang::{Discriminator, InstructionData};
        let data = cross_margin::instruction::TokenLiquidate {
            max_liab_transfer: 5,
        }
        .data();
        assert_eq!(instruction_name(&data).as_deref(), Some("token_liquidate"));
        assert_eq!(
            instruction_name(cross_margin::instruction::BankQueueEdit::DISCRIMINATOR).as_deref(),
            Some("bank_queue_edit")
        );
        assert_eq!(instruction_name(&[1, 2, 3]), None);
        assert_eq!(instruction_name(&[0; 8]), None);
    }

    /// Every instruction of the committed IDL is named, so a new instruction cannot be
    /// forgotten here.
    #[test]
    fn every_idl_instruction_is_named() {
        let idl: serde_json::Value = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../idl/cross_margin.json"
        )))
        .expect("the committed IDL is JSON");
        let ixs = idl["instructions"].as_array().expect("instructions");
        assert!(!ixs.is_empty());
        for ix in ixs {
            let disc: Vec<u8> = ix["discriminator"]
                .as_array()
                .expect("discriminator")
                .iter()
                .map(|b| b.as_u64().expect("byte") as u8)
                .collect();
            let name = ix["name"].as_str().expect("name");
            assert_eq!(instruction_name(&disc).as_deref(), Some(name));
        }
    }
}
