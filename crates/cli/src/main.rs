//! `cross-margin`: the user, admin and demo command line.

use clap::Parser;
use cross_margin_cli::args::{Cli, Command};
use cross_margin_cli::{commands, demo};
use cross_margin_client::rpc::RpcChain;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let output = cli.output;
    let result = match cli.command {
        Command::Demo(args) => match demo::run_quietly(&args).await {
            Ok(steps) => {
                println!("{}", demo::render(&steps));
                println!("chart written to {}", args.out.display());
                Ok(())
            }
            Err(e) => Err(e),
        },
        command => {
            match cross_margin_client::keypair::read(&cli.keypair).map_err(anyhow::Error::from) {
                Ok(payer) => {
                    let mut chain = RpcChain::new(&cli.url, payer);
                    commands::run(&mut chain, command)
                        .await
                        .map(|r| print!("{}", r.render(output)))
                }
                Err(e) => Err(e),
            }
        }
    };
    if let Err(e) = result {
        // One clear line: the context and its cause.
        eprintln!("error: {}", format!("{e:#}").replace('\n', " "));
        std::process::exit(1);
    }
}
