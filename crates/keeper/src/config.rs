//! Keeper configuration: every flag can also come from the environment.

use crate::logging::LogFormat;
use crate::margin_calls::Fraction;
use anchor_lang::prelude::Pubkey;
use clap::Parser;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "cross-margin-keeper",
    about = "Liquidates unhealthy cross-margin accounts, resolves bankruptcies, cranks interest and stable prices, and applies queued admin changes once due"
)]
pub struct Config {
    /// RPC URL or moniker: l (localhost), d (devnet), m (mainnet-beta), t (testnet).
    /// Default: `KEEPER_URL`, else the Solana CLI config's `json_rpc_url`, else `l`.
    #[arg(short = 'u', long)]
    pub url: Option<String>,
    /// Keypair of the liquidator account's owner (also pays fees). Default:
    /// `KEEPER_KEYPAIR`, else the Solana CLI config's `keypair_path`, else
    /// `~/.config/solana/id.json`.
    #[arg(short = 'k', long)]
    pub keypair: Option<String>,
    /// The Solana CLI config file supplying the default URL and keypair (default:
    /// `~/.config/solana/cli/config.yml`; a missing default file is fine).
    #[arg(short = 'C', long = "config", value_name = "PATH")]
    pub solana_config: Option<std::path::PathBuf>,
    /// Priority fee, compute margin and confirmation (liquidations bid the p90 of recent
    /// fees under `auto`, cranks and admin changes the p50).
    #[command(flatten)]
    pub send: cross_margin_client::send_args::SendArgs,
    /// The group to watch.
    #[arg(long, env = "KEEPER_GROUP")]
    pub group: Pubkey,
    /// The liquidator's margin account (takes over debt and receives collateral).
    #[arg(long, env = "KEEPER_LIQUIDATOR")]
    pub liquidator: Pubkey,
    /// Seconds between ticks.
    #[arg(long, env = "KEEPER_INTERVAL", default_value_t = 5)]
    pub interval: u64,
    /// Rediscover all accounts every this many ticks (in between, only accounts holding a
    /// token whose price or index moved are re-evaluated).
    #[arg(long, env = "KEEPER_FULL_SCAN_EVERY", default_value_t = 12)]
    pub full_scan_every: u64,
    /// Crank interest on banks not touched for this many seconds.
    #[arg(long, env = "KEEPER_IDLE_CRANK_SECS", default_value_t = 3_600)]
    pub idle_crank_secs: i64,
    /// Feed each bank's oracle price to its stable price (and breaker) when it has not seen
    /// one for this many seconds.
    #[arg(long, env = "KEEPER_STABLE_REFRESH_SECS", default_value_t = 600)]
    pub stable_refresh_secs: i64,
    /// The group's address lookup table (default: the table whose authority is the group's
    /// admin and whose first address is the group, as the bootstrap creates it).
    #[arg(long, env = "KEEPER_LOOKUP_TABLE")]
    pub lookup_table: Option<Pubkey>,
    /// Find and log the liquidations, resolutions and changes it would send, and send
    /// nothing (any transaction is only simulated).
    #[arg(long, env = "KEEPER_DRY_RUN")]
    pub dry_run: bool,
    /// Margin-call threshold: an account that is not liquidatable yet is on margin call
    /// when its maint health is at most this fraction of its deposits' maint-weighted value
    /// (a fall of that fraction in its collateral's value would liquidate it). A decimal
    /// between 0 and 1, at most 6 decimal places; 0 lists only accounts at exactly zero.
    #[arg(long, env = "KEEPER_MARGIN_CALL_FRACTION", default_value_t = Fraction::DEFAULT)]
    pub margin_call_fraction: Fraction,
    /// List at most this many accounts on margin call (most urgent first) in
    /// `/margin-calls`; the count and gauges cover them all.
    #[arg(long, env = "KEEPER_MARGIN_CALL_MAX", default_value_t = 100)]
    pub margin_call_max: usize,
    /// Address of the HTTP server: Prometheus `/metrics`, `/healthz` and the JSON
    /// `/margin-calls` watchlist.
    #[arg(long, env = "KEEPER_METRICS_ADDR", default_value = "127.0.0.1:9464")]
    pub metrics_addr: String,
    /// Log format on standard output: `text` (coloured only on a terminal; `NO_COLOR`
    /// turns colours off) or `json` (one object per line, for log shippers).
    #[arg(long, env = "KEEPER_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}
