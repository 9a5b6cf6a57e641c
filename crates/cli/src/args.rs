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
    /// Run the whole protocol on an in-process validator: banks, 50 users, a crash, a keeper.
    Demo(DemoArgs),
}

#[derive(Subcommand, Debug)]
pub enum GroupCmd {
    /// Create a group; the signer becomes its admin.
    Create {
        #[arg(long, default_value_t = 0)]
        group_num: u32,
        /// May pause but never unpause (defaults to the signer).
        #[arg(long)]
        security_admin: Option<Pubkey>,
    },
    /// Admin, security admin, pause flag and banks with prices.
    Show {
        #[arg(long)]
        group: Pubkey,
    },
    /// Stop withdrawals, borrows and liquidations (admin or security admin).
    Pause {
        #[arg(long)]
        group: Pubkey,
    },
    /// Resume (admin only).
    Unpause {
        #[arg(long)]
        group: Pubkey,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum OracleKindArg {
    Pull,
    Legacy,
}

/// Risk, fee and oracle parameters of a bank (basis points: 10,000 = 100 %); defaults are
/// `BankConfig::DEFAULT`.
#[derive(Args, Debug, Clone)]
pub struct RiskArgs {
    #[arg(long, value_enum, default_value = "pull")]
    pub oracle_kind: OracleKindArg,
    #[arg(long, default_value_t = BankConfig::DEFAULT.max_staleness_secs)]
    pub max_staleness_secs: u64,
    #[arg(long, default_value_t = BankConfig::DEFAULT.max_conf_bps)]
    pub max_conf_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.init_asset_weight_bps)]
    pub init_asset_weight_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.maint_asset_weight_bps)]
    pub maint_asset_weight_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.maint_liab_weight_bps)]
    pub maint_liab_weight_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.init_liab_weight_bps)]
    pub init_liab_weight_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.util0_bps)]
    pub util0_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.rate0_bps)]
    pub rate0_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.util1_bps)]
    pub util1_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.rate1_bps)]
    pub rate1_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.max_rate_bps)]
    pub max_rate_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.protocol_fee_bps)]
    pub protocol_fee_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.loan_origination_fee_bps)]
    pub loan_origination_fee_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.liquidation_fee_bps)]
    pub liquidation_fee_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.liquidation_insurance_share_bps)]
    pub liquidation_insurance_share_bps: u32,
    #[arg(long, default_value_t = BankConfig::DEFAULT.deposit_limit)]
    pub deposit_limit: u64,
    #[arg(long, default_value_t = BankConfig::DEFAULT.borrow_limit)]
    pub borrow_limit: u64,
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
    /// List a token: creates the bank and its vaults (group admin only).
    Register {
        #[arg(long)]
        group: Pubkey,
        #[arg(long)]
        mint: Pubkey,
        #[arg(long)]
        oracle: Pubkey,
        #[arg(long)]
        token_index: u16,
        #[command(flatten)]
        risk: RiskArgs,
    },
    /// Replace a bank's risk, fee and oracle settings (group admin only).
    Edit {
        #[arg(long)]
        bank: Pubkey,
        #[arg(long)]
        oracle: Pubkey,
        #[command(flatten)]
        risk: RiskArgs,
    },
    /// Deposits, borrows, utilisation, indices and weights.
    Show {
        #[arg(long)]
        bank: Pubkey,
    },
}

#[derive(Subcommand, Debug)]
pub enum AccountCmd {
    /// Open a margin account for the signer.
    Create {
        #[arg(long)]
        group: Pubkey,
        #[arg(long, default_value_t = 0)]
        account_num: u32,
    },
    /// Positions, prices and init/maint health.
    Show {
        #[arg(long)]
        account: Pubkey,
    },
    /// Close an empty account and reclaim its rent.
    Close {
        #[arg(long)]
        account: Pubkey,
    },
}

#[derive(Args, Debug, Clone)]
pub struct TokenArgs {
    #[arg(long)]
    pub account: Pubkey,
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
    #[arg(long)]
    pub liquidatee: Pubkey,
    #[arg(long)]
    pub asset_bank: Pubkey,
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
        #[arg(long)]
        bank: Pubkey,
        #[arg(long)]
        amount: u64,
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
