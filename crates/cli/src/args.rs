//! Command-line arguments: noun-verb subcommands; global connection flags (`-u`, `-k`,
//! `-C`, see [`crate::connection`]) and `--output`.
//!
//! Every amount is typed in tokens and read with the bank's decimals (`--amount 1.5`), or
//! in native units with `--native`; zero, negative and malformed amounts are refused while
//! parsing, before anything is read or sent.

mod perp;
mod risk;
mod risk_engine;

pub use perp::{
    Collateral, PerpCloseArgs, PerpCmd, PerpMarketCmd, PerpOpenArgs, PerpRiskArgs, PoolCmd, Side,
    TokenRef,
};
pub use risk::{Limit, OracleKindArg, RiskArgs};
pub use risk_engine::{
    parse_label, AdviseArgs, BacktestArgs, BookArgs, CascadeArgs, GroupRiskArgs, ImpactArg,
    ModelArg, ModelArgs, RiskCmd, SnapshotCmd, StressArgs, VarArgs,
};

use crate::connection::ConnectionArgs;
use crate::output::Format;
use anchor_lang::prelude::Pubkey;
use clap::{Args, Parser, Subcommand};
use cross_margin_client::amount::Amount;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "cross-margin",
    version,
    about = "Drive the cross-margin protocol: groups, banks, accounts, deposits, borrows, liquidations, and a local demo"
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table", global = true)]
    pub output: Format,
    /// Simulate every transaction the command would send and print it (instructions,
    /// accounts, compute budget, the simulated result and its logs on failure); send
    /// nothing. Exits non-zero if a simulation fails.
    #[arg(long, visible_alias = "simulate", global = true)]
    pub dry_run: bool,
    #[command(flatten)]
    pub send: cross_margin_client::send_args::SendArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The command line parser, with the URL and keypair in force now (and where each comes
/// from) written into the `--url` and `--keypair` help.
pub fn command() -> clap::Command {
    let now = ConnectionArgs::default().resolve();
    crate::connection::annotate_help(<Cli as clap::CommandFactory>::command(), &now)
}

/// Parse a command line as the binary does.
pub fn try_parse_from<I, T>(line: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = command().try_get_matches_from(line)?;
    <Cli as clap::FromArgMatches>::from_arg_matches(&matches)
}

/// This process's command line, or exit: help and version print as usual; a refused value
/// (a zero amount, a malformed key) is one line, other usage errors show clap's usage.
pub fn parse_or_exit() -> Cli {
    match try_parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) if e.kind() == clap::error::ErrorKind::ValueValidation => {
            let text = e.to_string();
            eprintln!("{}", text.lines().next().unwrap_or_default());
            std::process::exit(2);
        }
        Err(e) => e.exit(),
    }
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
    /// Perp markets and positions: register, show, open (cross or `--isolated`), close,
    /// settle.
    #[command(subcommand)]
    Perp(PerpCmd),
    /// A perp market's liquidity pool: deposit for LP shares, withdraw them.
    #[command(subcommand)]
    Pool(PoolCmd),
    /// Timelocked changes (queue, apply, cancel), going live and the admin hand-over.
    #[command(subcommand)]
    Admin(AdminCmd),
    /// Run the whole protocol on an in-process validator: banks, 50 users, a crash, a keeper.
    Demo(DemoArgs),
    /// The risk engine: VaR, stress tests, margin advice, VaR backtests and the
    /// depositors' shared liability, computed with the program's own health and
    /// liquidation code.
    #[command(subcommand)]
    Risk(RiskCmd),
    /// Freeze a group to a file for the risk commands.
    #[command(subcommand)]
    Snapshot(SnapshotCmd),
}

impl Command {
    /// False for commands that only read (and do not default to the signer's key), so an
    /// operator can inspect a cluster without a keypair file.
    pub fn needs_signer(&self) -> bool {
        !matches!(
            self,
            Command::Group(GroupCmd::Show { .. })
                | Command::Bank(BankCmd::Show { .. })
                | Command::Account(AccountCmd::Show { .. })
                | Command::Account(AccountCmd::List { owner: Some(_), .. })
                | Command::Admin(AdminCmd::Changes { .. })
                | Command::Perp(PerpCmd::Show { .. })
                | Command::Perp(PerpCmd::Market(PerpMarketCmd::Show { .. }))
                | Command::Demo(_)
                | Command::Risk(_)
                | Command::Snapshot(_)
        )
    }
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
    /// pending admin, queued changes, and banks with oracle/stable prices, deposits,
    /// borrows, utilisation and breakers.
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
    /// Find margin accounts by owner (memcmp on the owner field): address, group, number,
    /// positions and health.
    List {
        /// Whose accounts (default: the signer).
        #[arg(long)]
        owner: Option<Pubkey>,
        /// Only accounts in this group (default: every group).
        #[arg(long)]
        group: Option<Pubkey>,
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
    /// Amount in tokens, e.g. 1.5 (read with the bank's decimals; more decimal places than
    /// the mint has are refused).
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Amount,
    /// Read --amount in native units, the token's smallest unit (1 USDC = 1000000).
    #[arg(long)]
    pub native: bool,
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
    /// Most liability to take over, in tokens of the liability bank (default: as much as
    /// health allows).
    #[arg(long, allow_hyphen_values = true)]
    pub max: Option<Amount>,
    /// Read --max in native units, the token's smallest unit.
    #[arg(long)]
    pub native: bool,
}

#[derive(Subcommand, Debug)]
pub enum InsuranceCmd {
    /// Add tokens to a bank's insurance vault.
    Deposit {
        /// The bank whose insurance vault to fund.
        #[arg(long)]
        bank: Pubkey,
        /// Amount in tokens, e.g. 1.5 (read with the bank's decimals).
        #[arg(long, allow_hyphen_values = true)]
        amount: Amount,
        /// Read --amount in native units, the token's smallest unit.
        #[arg(long)]
        native: bool,
        /// Your token account (default: the associated token account of the signer).
        #[arg(long)]
        token_account: Option<Pubkey>,
    },
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Number of borrowers (at least 1).
    #[arg(long, default_value_t = 50)]
    pub users: usize,
    /// Where to write the charts: PATH.svg and PATH.png beside it (an .svg or .png
    /// extension on PATH is replaced).
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
