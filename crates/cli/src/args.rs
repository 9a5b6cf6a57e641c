//! Command-line arguments: noun-verb subcommands; global `-u`, `-k`, `--output`.

use crate::output::Format;
use anchor_lang::prelude::Pubkey;
use clap::{Args, Parser, Subcommand, ValueEnum};
use cross_margin::state::{BankConfig, OracleKind};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "cross-margin",
    version,
    about = "Drive the cross-margin protocol: groups, banks, accounts, deposits, borrows, liquidations, and a local demo"
)]
pub struct Cli {
    /// RPC URL or moniker: l (localhost), d (devnet), m (mainnet-beta).
    #[arg(
        short = 'u',
        long,
        env = "CROSS_MARGIN_URL",
        default_value = "l",
        global = true
    )]
    pub url: String,
    /// Signer and fee payer keypair (Solana CLI JSON format).
    #[arg(short = 'k', long, env = "CROSS_MARGIN_KEYPAIR", default_value_t = cross_margin_client::keypair::default_path(), global = true)]
    pub keypair: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "table", global = true)]
    pub output: Format,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create, inspect and pause groups.
    #[command(subcommand)]
    Group(GroupCmd),
    /// Register, edit and inspect banks.
    #[command(subcommand)]
    Bank(BankCmd),
    /// Create, inspect and close margin accounts.
    #[command(subcommand)]
    Account(AccountCmd),
    /// Deposit tokens (repays a borrow in that bank first).
    Deposit(TokenArgs),
    /// Withdraw deposited tokens (never borrows).
    Withdraw(TokenArgs),
    /// Borrow tokens against the whole account.
    Borrow(TokenArgs),
    /// Repay a borrow.
    Repay(TokenArgs),
    /// Liquidate an unhealthy account with your margin account.
    Liquidate(LiquidateArgs),
    /// Fund a bank's insurance vault.
    #[command(subcommand)]
    Insurance(InsuranceCmd),
    /// Timelocked changes (queue, apply, cancel), going live and the admin hand-over.
    #[command(subcommand)]
    Admin(AdminCmd),
    /// Run the whole protocol on an in-process validator: banks, 50 users, a crash, a keeper.
    Demo(DemoArgs),
}

#[derive(Subcommand, Debug)]
pub enum GroupCmd {
    /// Create a group; the signer becomes its admin.
    Create {
        /// Group number: the signer's groups are told apart by it (part of the PDA).
        #[arg(long, default_value_t = 0)]
        group_num: u32,
        /// May pause but never unpause (defaults to the signer).
        #[arg(long)]
        security_admin: Option<Pubkey>,
    },
    /// Admins, live/setup phase, pause and its expiry, timelock/ramp/pause settings, the
    /// pending admin, queued changes, and banks with oracle/stable prices and breakers.
    Show {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
    },
    /// Stop withdrawals, borrows and liquidations for the group's pause duration (admin or
    /// security admin; pausing again renews it).
    Pause {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
    },
    /// Resume (admin only).
    Unpause {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum OracleKindArg {
    /// Pyth pull oracle (`PriceUpdateV2` at the sponsored feed address).
    Pull,
    /// Pyth legacy push price account.
    Legacy,
}

/// Risk, fee and oracle parameters of a bank (basis points: 10,000 = 100 %); defaults are
/// `BankConfig::DEFAULT`.
#[derive(Args, Debug, Clone)]
pub struct RiskArgs {
    /// Oracle account format.
    #[arg(long, value_enum, default_value = "pull")]
    pub oracle_kind: OracleKindArg,
    /// Oldest oracle price accepted, seconds (at most 900).
    #[arg(long, default_value_t = BankConfig::DEFAULT.max_staleness_secs)]
    pub max_staleness_secs: u64,
    /// Widest oracle confidence accepted, bps of the price (at most 1,000).
    #[arg(long, default_value_t = BankConfig::DEFAULT.max_conf_bps)]
    pub max_conf_bps: u32,
    /// Init asset weight: share of a deposit's value that backs new borrows.
    #[arg(long, default_value_t = BankConfig::DEFAULT.init_asset_weight_bps)]
    pub init_asset_weight_bps: u32,
    /// Maint asset weight: share of a deposit's value counted before liquidation.
    #[arg(long, default_value_t = BankConfig::DEFAULT.maint_asset_weight_bps)]
    pub maint_asset_weight_bps: u32,
    /// Maint liability weight (≥ 10,000): debt's weight before liquidation.
    #[arg(long, default_value_t = BankConfig::DEFAULT.maint_liab_weight_bps)]
    pub maint_liab_weight_bps: u32,
    /// Init liability weight (≥ maint): debt's weight for new borrows.
    #[arg(long, default_value_t = BankConfig::DEFAULT.init_liab_weight_bps)]
    pub init_liab_weight_bps: u32,
    /// Interest curve: first kink's utilisation.
    #[arg(long, default_value_t = BankConfig::DEFAULT.util0_bps)]
    pub util0_bps: u32,
    /// Interest curve: borrow rate at the first kink (per year).
    #[arg(long, default_value_t = BankConfig::DEFAULT.rate0_bps)]
    pub rate0_bps: u32,
    /// Interest curve: second kink's utilisation.
    #[arg(long, default_value_t = BankConfig::DEFAULT.util1_bps)]
    pub util1_bps: u32,
    /// Interest curve: borrow rate at the second kink (per year).
    #[arg(long, default_value_t = BankConfig::DEFAULT.rate1_bps)]
    pub rate1_bps: u32,
    /// Interest curve: borrow rate at 100 % utilisation (per year).
    #[arg(long, default_value_t = BankConfig::DEFAULT.max_rate_bps)]
    pub max_rate_bps: u32,
    /// Share of borrow interest kept by the protocol.
    #[arg(long, default_value_t = BankConfig::DEFAULT.protocol_fee_bps)]
    pub protocol_fee_bps: u32,
    /// Fee added to the debt on every new borrow (at most 1,000).
    #[arg(long, default_value_t = BankConfig::DEFAULT.loan_origination_fee_bps)]
    pub loan_origination_fee_bps: u32,
    /// Liquidator's discount on seized collateral (at most 5,000).
    #[arg(long, default_value_t = BankConfig::DEFAULT.liquidation_fee_bps)]
    pub liquidation_fee_bps: u32,
    /// Share of the liquidation fee paid into the insurance fund.
    #[arg(long, default_value_t = BankConfig::DEFAULT.liquidation_insurance_share_bps)]
    pub liquidation_insurance_share_bps: u32,
    /// Most native units the bank may hold in deposits (default: unlimited).
    #[arg(long, default_value_t = BankConfig::DEFAULT.deposit_limit)]
    pub deposit_limit: u64,
    /// Most native units that may be borrowed from the bank (default: unlimited).
    #[arg(long, default_value_t = BankConfig::DEFAULT.borrow_limit)]
    pub borrow_limit: u64,
    /// Only withdrawals and repays: no new deposits or borrows.
    #[arg(long)]
    pub reduce_only: bool,
    /// How fast the stable price may follow the oracle (bps per hour).
    #[arg(long, default_value_t = BankConfig::DEFAULT.stable_growth_bps)]
    pub stable_growth_bps: u32,
    /// Breaker band: oracle vs stable price gap that makes the bank borrow-reduce-only (bps).
    #[arg(long, default_value_t = BankConfig::DEFAULT.breaker_band_bps)]
    pub breaker_band_bps: u32,
    /// Net outflow cap per window (bps of deposits at the window start).
    #[arg(long, default_value_t = BankConfig::DEFAULT.net_outflow_limit_bps)]
    pub net_outflow_limit_bps: u32,
    /// Net outflow window length (seconds).
    #[arg(long, default_value_t = BankConfig::DEFAULT.outflow_window_secs)]
    pub outflow_window_secs: u32,
}

impl From<BankConfig> for RiskArgs {
    /// The flags that give `c` (e.g. a bank's current config, to change one field of it).
    fn from(c: BankConfig) -> Self {
        RiskArgs {
            oracle_kind: match c.oracle_kind {
                OracleKind::PythPull => OracleKindArg::Pull,
                OracleKind::PythLegacy => OracleKindArg::Legacy,
            },
            max_staleness_secs: c.max_staleness_secs,
            max_conf_bps: c.max_conf_bps,
            init_asset_weight_bps: c.init_asset_weight_bps,
            maint_asset_weight_bps: c.maint_asset_weight_bps,
            maint_liab_weight_bps: c.maint_liab_weight_bps,
            init_liab_weight_bps: c.init_liab_weight_bps,
            util0_bps: c.util0_bps,
            rate0_bps: c.rate0_bps,
            util1_bps: c.util1_bps,
            rate1_bps: c.rate1_bps,
            max_rate_bps: c.max_rate_bps,
            protocol_fee_bps: c.protocol_fee_bps,
            loan_origination_fee_bps: c.loan_origination_fee_bps,
            liquidation_fee_bps: c.liquidation_fee_bps,
            liquidation_insurance_share_bps: c.liquidation_insurance_share_bps,
            deposit_limit: c.deposit_limit,
            borrow_limit: c.borrow_limit,
            reduce_only: c.reduce_only,
            stable_growth_bps: c.stable_growth_bps,
            breaker_band_bps: c.breaker_band_bps,
            net_outflow_limit_bps: c.net_outflow_limit_bps,
            outflow_window_secs: c.outflow_window_secs,
        }
    }
}

impl RiskArgs {
    pub fn config(&self) -> BankConfig {
        BankConfig {
            oracle_kind: match self.oracle_kind {
                OracleKindArg::Pull => OracleKind::PythPull,
                OracleKindArg::Legacy => OracleKind::PythLegacy,
            },
            max_staleness_secs: self.max_staleness_secs,
            max_conf_bps: self.max_conf_bps,
            init_asset_weight_bps: self.init_asset_weight_bps,
            maint_asset_weight_bps: self.maint_asset_weight_bps,
            maint_liab_weight_bps: self.maint_liab_weight_bps,
            init_liab_weight_bps: self.init_liab_weight_bps,
            util0_bps: self.util0_bps,
            rate0_bps: self.rate0_bps,
            util1_bps: self.util1_bps,
            rate1_bps: self.rate1_bps,
            max_rate_bps: self.max_rate_bps,
            protocol_fee_bps: self.protocol_fee_bps,
            loan_origination_fee_bps: self.loan_origination_fee_bps,
            liquidation_fee_bps: self.liquidation_fee_bps,
            liquidation_insurance_share_bps: self.liquidation_insurance_share_bps,
            deposit_limit: self.deposit_limit,
            borrow_limit: self.borrow_limit,
            reduce_only: self.reduce_only,
            stable_growth_bps: self.stable_growth_bps,
            breaker_band_bps: self.breaker_band_bps,
            net_outflow_limit_bps: self.net_outflow_limit_bps,
            outflow_window_secs: self.outflow_window_secs,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum BankCmd {
    /// List a token: creates the bank and its vaults (group admin only). On a live group
    /// the asset weights must be 0; raise them with `admin queue`.
    Register {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
        /// The token's mint (SPL Token or Token-2022).
        #[arg(long)]
        mint: Pubkey,
        /// The token's Pyth price account.
        #[arg(long)]
        oracle: Pubkey,
        /// The bank's token index in the group (unused, not 65535).
        #[arg(long)]
        token_index: u16,
        #[command(flatten)]
        risk: RiskArgs,
    },
    /// Replace a bank's risk, fee and oracle settings at once (group admin only). On a live
    /// group only tightening applies here; loosening goes through `admin queue`.
    Edit {
        /// The bank's address.
        #[arg(long)]
        bank: Pubkey,
        /// The bank's oracle (its current one, or a new one during setup).
        #[arg(long)]
        oracle: Pubkey,
        #[command(flatten)]
        risk: RiskArgs,
    },
    /// Deposits, borrows, indices and weights; oracle vs stable price and the breaker,
    /// net outflow window, maint weights now vs target, and queued changes.
    Show {
        /// The bank's address.
        #[arg(long)]
        bank: Pubkey,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCmd {
    /// Queue a bank settings change behind the group's timelock (admin only): the full
    /// config from the risk flags (as `bank edit`), applied by anyone once due.
    Queue {
        /// The bank to change.
        #[arg(long)]
        bank: Pubkey,
        /// A new oracle (default: keep the bank's current one).
        #[arg(long)]
        oracle: Option<Pubkey>,
        #[command(flatten)]
        risk: RiskArgs,
    },
    /// Queue a group settings change behind the timelock (admin only); omitted settings
    /// keep their current value.
    QueueGroup {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
        /// New security admin (may pause and cancel queued changes).
        #[arg(long)]
        security_admin: Option<Pubkey>,
        /// New timelock for loosening changes, seconds (1 to 30 days).
        #[arg(long)]
        timelock_secs: Option<u32>,
        /// New maint weight ramp length, seconds (1 hour to 30 days).
        #[arg(long)]
        maint_ramp_secs: Option<u32>,
        /// New pause length, seconds (1 hour to 7 days).
        #[arg(long)]
        pause_duration_secs: Option<u32>,
    },
    /// List the group's queued changes: what they change and when they apply.
    Changes {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
    },
    /// Apply a queued change whose timelock has passed and which has not expired (anyone
    /// may; rent goes back to whoever queued it).
    Apply {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
        /// The change id to apply (sent even if not yet due: the program says when it is).
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        id: Option<u64>,
        /// Apply every change that is due now.
        #[arg(long)]
        all: bool,
    },
    /// Cancel a queued change (the admin any; the security admin bank changes only).
    /// Expired changes (not applied within 7 days of becoming due) can only be cancelled.
    Cancel {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
        /// The change id to cancel.
        #[arg(long)]
        id: u64,
    },
    /// End the setup phase (admin only, irreversible): margin accounts may be opened, and
    /// every loosening change waits out the timelock from now on.
    GoLive {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
    },
    /// Propose a new admin, who may accept after the timelock (admin only); or withdraw the
    /// proposal (admin or security admin).
    ProposeAdmin {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
        /// The proposed admin.
        #[arg(
            long,
            required_unless_present = "withdraw",
            conflicts_with = "withdraw"
        )]
        new_admin: Option<Pubkey>,
        /// Withdraw the pending proposal instead.
        #[arg(long)]
        withdraw: bool,
    },
    /// Become the group's admin (the proposed admin signs, once the timelock has passed).
    AcceptAdmin {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
    },
}

#[derive(Subcommand, Debug)]
pub enum AccountCmd {
    /// Open a margin account for the signer (the group must be live).
    Create {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
        /// Account number: the signer's accounts in a group are told apart by it.
        #[arg(long, default_value_t = 0)]
        account_num: u32,
    },
    /// Positions, prices and init/maint health.
    Show {
        /// The margin account's address.
        #[arg(long)]
        account: Pubkey,
    },
    /// Close an empty account and reclaim its rent.
    Close {
        /// The margin account's address.
        #[arg(long)]
        account: Pubkey,
    },
}

#[derive(Args, Debug, Clone)]
pub struct TokenArgs {
    /// The margin account's address.
    #[arg(long)]
    pub account: Pubkey,
    /// The bank of the token.
    #[arg(long)]
    pub bank: Pubkey,
    /// Amount in native units (e.g. 1 USDC = 1000000).
    #[arg(long)]
    pub amount: u64,
    /// Your token account (default: the associated token account of the signer).
    #[arg(long)]
    pub token_account: Option<Pubkey>,
}

#[derive(Args, Debug, Clone)]
pub struct LiquidateArgs {
    /// Your margin account.
    #[arg(long)]
    pub liquidator: Pubkey,
    /// The unhealthy margin account.
    #[arg(long)]
    pub liquidatee: Pubkey,
    /// Bank of the collateral to seize.
    #[arg(long)]
    pub asset_bank: Pubkey,
    /// Bank of the debt to take over.
    #[arg(long)]
    pub liab_bank: Pubkey,
    /// Most liability to take over, native units (default: as much as health allows).
    #[arg(long)]
    pub max: Option<u64>,
}

#[derive(Subcommand, Debug)]
pub enum InsuranceCmd {
    /// Add tokens to a bank's insurance vault.
    Deposit {
        /// The bank whose insurance vault to fund.
        #[arg(long)]
        bank: Pubkey,
        /// Amount in native units.
        #[arg(long)]
        amount: u64,
        /// Your token account (default: the associated token account of the signer).
        #[arg(long)]
        token_account: Option<Pubkey>,
    },
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Number of users.
    #[arg(long, default_value_t = 50)]
    pub users: usize,
    /// Where to write the chart (SVG).
    #[arg(long, default_value = "demo-chart.svg")]
    pub out: PathBuf,
    /// Seed for the users' random portfolios.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Every argument (as `cross-margin sub … --arg`) that has no help line; empty.
pub fn undocumented_arguments() -> Vec<String> {
    fn check(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} --{id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            check(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = vec![];
    check(
        &<Cli as clap::CommandFactory>::command(),
        "cross-margin",
        &mut missing,
    );
    missing
}
