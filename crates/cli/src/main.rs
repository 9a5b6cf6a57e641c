//! `cross-margin`: the user, admin and demo command line.

use anyhow::Result;
use cross_margin_cli::args::{self, Cli, Command};
use cross_margin_cli::{commands, connection, demo, dry_run, risk};
use cross_margin_client::chain::Chain;
use cross_margin_client::rpc::RpcChain;

/// The RPC backend for the node and signer the flags, environment and Solana CLI config
/// select. The URL is validated (and the keypair read) before any request is made. A
/// command that only reads runs without a keypair file: it never signs, so a throwaway key
/// stands in.
fn connect(cli: &Cli) -> Result<RpcChain> {
    let c = cli.connection.resolve()?;
    let payer = match connection::signer(&c) {
        Ok(payer) => payer,
        Err(_) if !cli.command.needs_signer() => solana_keypair::Keypair::new(),
        Err(e) => return Err(e),
    };
    let mut chain = RpcChain::new(&c.url, payer);
    chain.set_send_options(cli.send.options(cli.dry_run));
    Ok(chain)
}

#[tokio::main]
async fn main() {
    let cli = args::parse_or_exit();
    let output = cli.output;
    let result = match &cli.command {
        Command::Demo(args) => demo::run_quietly(args)
            .await
            .map(|d| print!("{}", demo::render_as(&d, output))),
        Command::Risk(cmd) => risk::run(cmd, output, || connect(&cli))
            .await
            .map(|s| print!("{s}")),
        Command::Snapshot(cmd) => risk::snapshot(cmd, output, || connect(&cli))
            .await
            .map(|s| print!("{s}")),
        _ => match connect(&cli) {
            Ok(mut chain) => {
                let result = commands::run(&mut chain, cli.command).await;
                let runs = chain.take_dry_runs();
                match result {
                    Ok(report) => {
                        print!("{}", dry_run::render_with(report, &runs, output));
                        dry_run::check(&runs)
                    }
                    Err(e) => dry_run::print(&runs, output).and(Err(e)),
                }
            }
            Err(e) => Err(e),
        },
    };
    if let Err(e) = result {
        // One clear line: the context and its cause.
        eprintln!("error: {}", format!("{e:#}").replace('\n', " "));
        std::process::exit(1);
    }
}
