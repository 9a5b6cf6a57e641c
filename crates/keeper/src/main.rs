//! `cross-margin-keeper`: run the keeper loop against a cluster until Ctrl-C.

use clap::Parser;
use cross_margin_client::chain::Chain;
use cross_margin_client::cluster;
use cross_margin_client::rpc::RpcChain;
use cross_margin_keeper::config::Config;
use cross_margin_keeper::keeper::Keeper;
use cross_margin_keeper::metrics;
use std::time::Duration;
use tracing::{error, info, warn};

#[tokio::main]
async fn main() {
    let config = Config::parse();
    cross_margin_keeper::logging::init(config.log_format);
    if let Err(e) = run(config).await {
        error!("{e:#}");
        std::process::exit(1);
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    let env = cluster::Environment::process_with("KEEPER_URL", "KEEPER_KEYPAIR");
    let connection = cluster::resolve_with(
        config.url.as_deref(),
        config.keypair.as_deref(),
        config.solana_config.as_deref(),
        &env,
    )?;
    let payer = cross_margin_client::keypair::read(&connection.keypair_path)?;
    let signer = payer.insecure_clone();
    let mut chain = RpcChain::new(&connection.url, payer);
    chain.set_send_options(config.send.options(config.dry_run));
    let mut keeper = Keeper::new(config.group, config.liquidator, signer);
    keeper.dry_run = config.dry_run;
    keeper.full_scan_every = config.full_scan_every;
    keeper.idle_crank_secs = config.idle_crank_secs;
    keeper.stable_refresh_secs = config.stable_refresh_secs;
    keeper.lookup_table = config.lookup_table;
    keeper.margin_call_fraction = config.margin_call_fraction;
    keeper.margin_call_max = config.margin_call_max;
    metrics::serve(
        &config.metrics_addr,
        keeper.metrics.clone(),
        i64::try_from(config.interval)
            .unwrap_or(i64::MAX)
            .saturating_mul(3)
            .saturating_add(30),
    )?;
    info!(
        group = %config.group,
        url = %cluster::redact_url(&connection.url),
        signer = %solana_signer::Signer::pubkey(chain.payer()),
        url_from = %connection.url_source,
        metrics = %config.metrics_addr,
        margin_call_fraction = %config.margin_call_fraction,
        dry_run = config.dry_run,
        priority_fee = %config.send.priority_fee,
        max_priority_fee = config.send.max_priority_fee,
        "keeper started"
    );

    let mut backoff = Duration::from_secs(1);
    loop {
        let wait = match keeper.tick(&mut chain).await {
            Ok(r) => {
                backoff = Duration::from_secs(1);
                info!(
                    scanned = r.scanned,
                    liquidatable = r.liquidatable,
                    liquidations = r.liquidations,
                    failures = r.failures,
                    bankruptcies = r.bankruptcies,
                    cranks = r.cranks,
                    changes_applied = r.applied.len(),
                    margin_calls = r.margin_calls.count,
                    "tick"
                );
                Duration::from_secs(config.interval)
            }
            Err(e) => {
                keeper
                    .metrics
                    .tick_errors
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                warn!(error = %e, retry_in = ?backoff, "tick failed; retrying");
                let w = backoff;
                backoff = (backoff * 2).min(Duration::from_secs(60));
                w
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = tokio::signal::ctrl_c() => {
                info!("Ctrl-C: shutting down");
                return Ok(());
            }
        }
    }
}
