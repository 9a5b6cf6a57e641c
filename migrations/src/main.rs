//! `bootstrap CONFIG.toml`: create or update a group, its banks and its lookup table.
//! `bootstrap --check CONFIG.toml`: validate the config offline and exit.

use clap::Parser;
use cross_margin_client::chain::Chain;
use cross_margin_client::cluster;
use cross_margin_client::rpc::RpcChain;
use cross_margin_migrations::{bootstrap, check, load, Error, Plan};

#[derive(Parser)]
#[command(
    about = "Create a group, register its banks and converge its address lookup table from a TOML config (idempotent); the whole config is validated offline first"
)]
struct Args {
    /// RPC URL or moniker: l, d, m, t. Default: `CROSS_MARGIN_URL`, else the Solana CLI
    /// config's `json_rpc_url`, else `l`.
    #[arg(short = 'u', long)]
    url: Option<String>,
    /// The admin's keypair (pays and signs). Default: `CROSS_MARGIN_KEYPAIR`, else the
    /// Solana CLI config's `keypair_path`, else `~/.config/solana/id.json`.
    #[arg(short = 'k', long)]
    keypair: Option<String>,
    /// The Solana CLI config file supplying the default URL and keypair (default:
    /// `~/.config/solana/cli/config.yml`; a missing default file is fine).
    #[arg(short = 'C', long = "solana-config", value_name = "PATH")]
    solana_config: Option<std::path::PathBuf>,
    /// Simulate every transaction the run would send and print it (instructions,
    /// accounts, the simulated result and logs on failure); send nothing. Steps that
    /// depend on an earlier step's account (a bank of a group not yet created) simulate
    /// as failing for that reason.
    #[arg(long, visible_alias = "simulate")]
    dry_run: bool,
    #[command(flatten)]
    send: cross_margin_client::send_args::SendArgs,
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

fn print_done(plan: &Plan, dry_run: bool) {
    // A dry run sent nothing: its actions are what a real run would do.
    let prefix = if dry_run { "would: " } else { "" };
    for action in &plan.actions {
        println!("- {prefix}{action}");
    }
    for warning in &plan.warnings {
        eprintln!("warning: {warning}");
    }
}

/// The transactions a dry run simulated; exits non-zero if any simulation failed.
fn print_dry_runs(chain: &mut RpcChain) {
    let runs = chain.take_dry_runs();
    println!(
        "dry run: {} transaction(s) simulated, none sent",
        runs.len()
    );
    for run in &runs {
        print!("{run}");
    }
    if runs.iter().any(|r| r.failed()) {
        eprintln!("error: a simulated transaction failed (see its logs above)");
        std::process::exit(1);
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
                let perps = match c.perps.len() {
                    0 => String::new(),
                    1 => ", 1 perp market".into(),
                    m => format!(", {m} perp markets"),
                };
                println!(
                    "config OK: {n} bank{}{perps}",
                    if n == 1 { "" } else { "s" }
                );
                return;
            }
            Err(p) => refuse(&p.0),
        }
    }
    let connection = cluster::resolve_connection(
        args.url.as_deref(),
        args.keypair.as_deref(),
        args.solana_config.as_deref(),
    )
    .unwrap_or_else(|e| fail(e));
    let payer =
        cross_margin_client::keypair::read(&connection.keypair_path).unwrap_or_else(|e| fail(e));
    // Who signs where, before anything is sent: the Solana CLI config may have chosen
    // either.
    eprintln!(
        "{} as {} ({}) on {} ({})",
        if args.dry_run {
            "simulating"
        } else {
            "bootstrapping"
        },
        solana_signer::Signer::pubkey(&payer),
        connection.keypair_source,
        cluster::redact_url(&connection.url),
        connection.url_source
    );
    let mut chain = RpcChain::new(&connection.url, payer);
    chain.set_send_options(args.send.options(args.dry_run));
    let result = bootstrap(&mut chain, &config).await;
    if args.dry_run {
        print_dry_runs(&mut chain);
    }
    match result {
        Ok(plan) => {
            println!("group {}", plan.group);
            if let Some(table) = plan.lookup_table {
                println!("lookup table {table}");
            }
            if plan.actions.is_empty() {
                println!("nothing to do: the chain already matches the config");
            }
            print_done(&plan, args.dry_run);
        }
        Err(Error::Invalid(p)) => refuse(&p.0),
        Err(Error::Failed { done, error }) => {
            if !done.actions.is_empty() {
                println!("group {}: done before the failure:", done.group);
            }
            print_done(&done, args.dry_run);
            fail(format!("{error:#}"))
        }
    }
}
