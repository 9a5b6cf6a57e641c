//! `cross-margin risk …` and `cross-margin snapshot save`: the risk engine's flags.

use anchor_lang::prelude::Pubkey;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Subcommand, Debug, Clone)]
pub enum RiskCmd {
    /// Monte Carlo / historical Value at Risk of every account and of the protocol's bad
    /// debt, with liquidation cascades run by the program's own code on every path.
    Var(VarArgs),
    /// Historical stress windows (Terra/LUNA, FTX) and your own shocks, each with and
    /// without the cascade's price feedback.
    Stress(StressArgs),
    /// Per bank, the loosest weights that keep the probability of bad debt below a
    /// target, printed as the `bank edit` that would set them.
    Advise(AdviseArgs),
    /// Rolling 1-day VaR backtest of a USD portfolio with every model: exceedances and
    /// the Kupiec test.
    Backtest(BacktestArgs),
    /// The depositors' view: per bank, what would be socialised at 10/20/30/50 % shocks,
    /// the insurance coverage and the accounts contributing most.
    Group(GroupRiskArgs),
}

#[derive(Subcommand, Debug, Clone)]
pub enum SnapshotCmd {
    /// Save a group (banks as stored, their validated prices, insurance vaults, every
    /// margin account) to a JSON file the risk commands read with --snapshot.
    Save {
        /// The group to read from the cluster (-u); omit with --demo.
        #[arg(long, conflicts_with = "demo")]
        group: Option<Pubkey>,
        /// Save the demo's group on an in-process validator (before its crash).
        #[arg(long)]
        demo: bool,
        /// Name banks after the price file's columns, e.g. --label 1=SOL (repeatable).
        #[arg(long = "label", value_parser = parse_label)]
        labels: Vec<(u16, String)>,
        /// Where to write the snapshot.
        #[arg(long, default_value = "snapshot.json")]
        out: PathBuf,
    },
}

/// `TOKEN_INDEX=SYMBOL`.
pub fn parse_label(s: &str) -> Result<(u16, String), String> {
    let (t, l) = s
        .split_once('=')
        .ok_or_else(|| format!("label `{s}` is not TOKEN_INDEX=SYMBOL, e.g. 1=SOL"))?;
    let t: u16 = t
        .trim()
        .parse()
        .map_err(|_| format!("label `{s}`: `{t}` is not a token index"))?;
    let l = l.trim();
    if l.is_empty() {
        return Err(format!("label `{s}` has no symbol"));
    }
    Ok((t, l.to_string()))
}

/// Where the book comes from (exactly one).
#[derive(Args, Debug, Clone)]
pub struct BookArgs {
    /// A snapshot written by `cross-margin snapshot save`.
    #[arg(long, conflicts_with_all = ["synthetic", "demo", "group"])]
    pub snapshot: Option<PathBuf>,
    /// A synthetic population of this many borrowers (USDC, SOL, ETH, BTC banks).
    #[arg(long, conflicts_with_all = ["demo", "group"])]
    pub synthetic: Option<usize>,
    /// Seed of the synthetic population (or the demo's users).
    #[arg(long, default_value_t = 7)]
    pub book_seed: u64,
    /// The demo's group on an in-process validator (its users before the crash).
    #[arg(long, conflicts_with = "group")]
    pub demo: bool,
    /// Users in the --demo group.
    #[arg(long, default_value_t = 50)]
    pub demo_users: usize,
    /// A live group read from the cluster (-u).
    #[arg(long)]
    pub group: Option<Pubkey>,
    /// Name a bank after a price-file column, e.g. --label 1=SOL (repeatable; overrides
    /// the snapshot's labels).
    #[arg(long = "label", value_parser = parse_label)]
    pub labels: Vec<(u16, String)>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModelArg {
    /// Bootstrap of whole historical days (keeps correlation and fat tails).
    Historical,
    /// EWMA volatilities and correlation, normal innovations.
    McNormal,
    /// EWMA volatilities and correlation, Student-t innovations (fitted ν).
    McT,
}

/// The return model.
#[derive(Args, Debug, Clone)]
pub struct ModelArgs {
    /// Daily closes CSV (`date,SYM1,SYM2,...`); default: the bundled 2020-2022 SOL, ETH,
    /// BTC, USDC, USDT closes.
    #[arg(long)]
    pub prices: Option<PathBuf>,
    /// Return model.
    #[arg(long, value_enum, default_value = "mc-t")]
    pub model: ModelArg,
    /// EWMA decay of the Monte Carlo models.
    #[arg(long, default_value_t = 0.94)]
    pub lambda: f64,
    /// Student-t degrees of freedom (default: fitted by maximum likelihood).
    #[arg(long)]
    pub dof: Option<f64>,
    /// Horizon in days.
    #[arg(long, default_value_t = 1)]
    pub horizon: usize,
    /// Number of paths.
    #[arg(long, default_value_t = 10_000)]
    pub paths: usize,
    /// Seed of the paths (the same seed gives the same numbers).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImpactArg {
    Off,
    Linear,
    Sqrt,
}

/// The cascade's market and keeper model.
#[derive(Args, Debug, Clone)]
pub struct CascadeArgs {
    /// Price impact of seized collateral sold.
    #[arg(long, value_enum, default_value = "sqrt")]
    pub impact: ImpactArg,
    /// USD sold that moves a volatile asset's price by 1 % (stablecoins are not moved).
    #[arg(long, default_value_t = 1_000_000.0)]
    pub depth_usd: f64,
    /// USD of debt the liquidators can take over per round (default: unlimited).
    #[arg(long)]
    pub capital_usd: Option<f64>,
    /// Price-file columns that are stablecoins: not moved by impact or by `risk group`'s
    /// shocks.
    #[arg(long, value_delimiter = ',', default_value = "USDC,USDT")]
    pub stable: Vec<String>,
    /// Liquidation rounds at most.
    #[arg(long, default_value_t = 64)]
    pub max_rounds: u32,
}

#[derive(Args, Debug, Clone)]
pub struct VarArgs {
    #[command(flatten)]
    pub book: BookArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub cascade: CascadeArgs,
    /// Accounts listed (most expected shortfall first).
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Worst paths listed.
    #[arg(long, default_value_t = 5)]
    pub worst: usize,
    /// Write charts (loss histogram with VaR and ES, cascade depth) to PATH.svg/.png.
    #[arg(long)]
    pub chart: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct StressArgs {
    #[command(flatten)]
    pub book: BookArgs,
    /// Price file for the historical windows (default: the bundled 2020-2022 closes).
    #[arg(long)]
    pub prices: Option<PathBuf>,
    #[command(flatten)]
    pub cascade: CascadeArgs,
    /// Your own shock, e.g. "SOL=-50%,ETH=-35%,USDC=0.88" (a percentage moves the price, a
    /// bare number is the new USD price); repeatable.
    #[arg(long)]
    pub shock: Vec<String>,
    /// Skip the built-in historical windows.
    #[arg(long)]
    pub no_history: bool,
    /// Write the chart of bad debt against shock size, with and without feedback.
    #[arg(long)]
    pub chart: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct AdviseArgs {
    #[command(flatten)]
    pub book: BookArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub cascade: CascadeArgs,
    /// Largest acceptable probability of bad debt over the horizon.
    #[arg(long, default_value_t = 0.01)]
    pub target: f64,
    /// Advise only this bank (token index); default: every bank.
    #[arg(long)]
    pub bank: Option<u16>,
}

#[derive(Args, Debug, Clone)]
pub struct BacktestArgs {
    /// Daily closes CSV (default: the bundled 2020-2022 closes).
    #[arg(long)]
    pub prices: Option<PathBuf>,
    /// USD notional per asset, e.g. SOL=1000,ETH=-500 (negative = short); default: equal
    /// long notional in every asset of the file.
    #[arg(long)]
    pub portfolio: Option<String>,
    /// Days of history each day's VaR is fitted on.
    #[arg(long, default_value_t = 250)]
    pub window: usize,
    /// Confidence level in percent.
    #[arg(long, default_value_t = 99.0)]
    pub level: f64,
    /// Monte Carlo draws per day for the Student-t model.
    #[arg(long, default_value_t = 2_000)]
    pub draws: usize,
    /// Seed of the Monte Carlo draws.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args, Debug, Clone)]
pub struct GroupRiskArgs {
    #[command(flatten)]
    pub book: BookArgs,
    #[command(flatten)]
    pub cascade: CascadeArgs,
    /// Contributing accounts listed per bank.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
}
