//! Keeper configuration: every flag can also come from the environment.

use anchor_lang::prelude::Pubkey;
use clap::Parser;
use std::path::PathBuf;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "cross-margin-keeper",
    about = "Liquidates unhealthy cross-margin accounts, resolves bankruptcies and cranks interest"
)]
pub struct Config {
    /// RPC URL or moniker: l (localhost), d (devnet), m (mainnet-beta).
    #[arg(short = 'u', long, env = "KEEPER_URL", default_value = "l")]
    pub url: String,
    /// Keypair of the liquidator account's owner (also pays fees).
    #[arg(short = 'k', long, env = "KEEPER_KEYPAIR", default_value_t = default_keypair())]
    pub keypair: String,
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
    /// Log what would be sent without sending it.
    #[arg(long, env = "KEEPER_DRY_RUN")]
    pub dry_run: bool,
    /// Address of the Prometheus `/metrics` and `/healthz` server.
    #[arg(long, env = "KEEPER_METRICS_ADDR", default_value = "127.0.0.1:9464")]
    pub metrics_addr: String,
}

fn default_keypair() -> String {
    std::env::var("HOME")
        .map(|h| format!("{h}/.config/solana/id.json"))
        .unwrap_or_else(|_| "id.json".into())
}

/// Read a keypair file in the Solana CLI's JSON format (an array of 64 bytes).
pub fn read_keypair(path: &str) -> anyhow::Result<solana_keypair::Keypair> {
    let path = PathBuf::from(shellexpand(path));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("cannot read keypair {}: {e}", path.display()))?;
    let bytes: Vec<u8> = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("keypair {} is not a JSON byte array: {e}", path.display()))?;
    solana_keypair::Keypair::try_from(&bytes[..])
        .map_err(|e| anyhow::anyhow!("keypair {}: {e}", path.display()))
}

fn shellexpand(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}
