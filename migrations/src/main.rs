//! `bootstrap CONFIG.toml`: create or update a group, its banks and its lookup table.
//! `bootstrap --check CONFIG.toml`: validate the config offline and exit.

use clap::Parser;
use cross_margin_client::rpc::RpcChain;
use cross_margin_migrations::{bootstrap, check, load, Error, Plan};

#[derive(Parser)]
#[command(
    about = "Create a group, register its banks and converge its address lookup table from a TOML config (idempotent); the whole config is validated offline first"
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
    /// Validate the config offline (keys, every bank's config and the group settings by the
    /// program's own rules, token indices, mints, liquidatable pairs) and exit without
    /// connecting or reading the keypair.
    #[arg(long)]
    check: bool,
    /// The TOML config (see migrations/example.toml).
    config: std::path::PathBuf,
}

/// One line, whatever the error's chain held.
fn line(e: impl std::fmt::Display) -> String {
    e.to_string().replace('\n', " ")
}

fn fail(e: impl std::fmt::Display) -> ! {
    eprintln!("error: {}", line(e));
    std::process::exit(1);
}

/// Every problem on its own line, then exit.
fn refuse(problems: &[String]) -> ! {
    eprintln!(
        "error: the config has {} problem{}; nothing was sent:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        eprintln!("  - {}", line(p));
    }
    std::process::exit(1);
}

fn print_done(plan: &Plan) {
    for action in &plan.actions {
        println!("- {action}");
    }
    for warning in &plan.warnings {
        eprintln!("warning: {warning}");
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let config = load(&args.config).unwrap_or_else(|e| fail(format!("{e:#}")));
    if args.check {
        match check(&config) {
            Ok(c) => {
                let n = c.banks.len();
                println!("config OK: {n} bank{}", if n == 1 { "" } else { "s" });
                return;
            }
            Err(p) => refuse(&p.0),
        }
    }
    let payer = cross_margin_client::keypair::read(&args.keypair).unwrap_or_else(|e| fail(e));
    let mut chain = RpcChain::new(&args.url, payer);
    match bootstrap(&mut chain, &config).await {
        Ok(plan) => {
            println!("group {}", plan.group);
            if let Some(table) = plan.lookup_table {
                println!("lookup table {table}");
            }
            if plan.actions.is_empty() {
                println!("nothing to do: the chain already matches the config");
            }
            print_done(&plan);
        }
        Err(Error::Invalid(p)) => refuse(&p.0),
        Err(Error::Failed { done, error }) => {
            if !done.actions.is_empty() {
                println!("group {}: done before the failure:", done.group);
            }
            print_done(&done);
            fail(format!("{error:#}"))
        }
    }
}
