//! `bootstrap CONFIG.toml`: create or update a group, its banks and its lookup table.

use clap::Parser;
use cross_margin_client::rpc::RpcChain;

#[derive(Parser)]
#[command(
    about = "Create a group, register its banks and converge its address lookup table from a TOML config (idempotent)"
)]
struct Args {
    /// RPC URL or moniker: l, d, m.
    #[arg(short = 'u', long, env = "CROSS_MARGIN_URL", default_value = "l")]
    url: String,
    /// The admin's keypair (pays and signs).
    #[arg(
        short = 'k',
        long,
        env = "CROSS_MARGIN_KEYPAIR",
        default_value = "~/.config/solana/id.json"
    )]
    keypair: String,
    config: std::path::PathBuf,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let result = async {
        let text = std::fs::read_to_string(&args.config)?;
        let config = cross_margin_migrations::parse(&text)?;
        let payer = cross_margin_client::keypair::read(&args.keypair)?;
        let mut chain = RpcChain::new(&args.url, payer);
        cross_margin_migrations::bootstrap(&mut chain, &config).await
    }
    .await;
    match result {
        Ok(plan) => {
            println!("group {}", plan.group);
            if let Some(table) = plan.lookup_table {
                println!("lookup table {table}");
            }
            if plan.actions.is_empty() {
                println!("nothing to do: the chain already matches the config");
            }
            for action in plan.actions {
                println!("- {action}");
            }
            for warning in plan.warnings {
                eprintln!("warning: {warning}");
            }
        }
        Err(e) => {
            eprintln!("error: {}", format!("{e:#}").replace('\n', " "));
            std::process::exit(1);
        }
    }
}
