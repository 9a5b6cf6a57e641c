//! The global `-u/--url`, `-k/--keypair` and `-C/--config` flags, and turning them into a
//! validated node URL and a signer.
//!
//! The order (flag, then `CROSS_MARGIN_URL` / `CROSS_MARGIN_KEYPAIR`, then the Solana CLI
//! config file, then `l` / `~/.config/solana/id.json`) lives in
//! [`cross_margin_client::cluster`], shared with the keeper and the bootstrap; this module
//! only adapts it to clap. Because the defaults depend on the environment and on a file,
//! they cannot be static clap defaults: [`annotate_help`] writes the value in force now and
//! where it came from into `--help`.

use anyhow::{Context, Result};
use clap::Args;
use cross_margin_client::cluster::{self, ClusterError, Connection, Environment, Source};
use solana_keypair::Keypair;
use std::path::PathBuf;

/// Where to connect and who signs (every flag optional).
#[derive(Args, Debug, Clone, Default)]
pub struct ConnectionArgs {
    /// RPC URL or moniker: l|localhost, d|devnet, m|mainnet-beta, t|testnet, or an http(s)://
    /// URL. Default: $CROSS_MARGIN_URL, else json_rpc_url of the Solana CLI config, else l.
    #[arg(short = 'u', long, global = true)]
    pub url: Option<String>,
    /// Signer and fee payer keypair file (Solana CLI JSON format). Default:
    /// $CROSS_MARGIN_KEYPAIR, else keypair_path of the Solana CLI config, else
    /// ~/.config/solana/id.json.
    #[arg(short = 'k', long, global = true)]
    pub keypair: Option<String>,
    /// Solana CLI config file supplying the default URL and keypair (default:
    /// ~/.config/solana/cli/config.yml; a missing default file is ignored).
    #[arg(short = 'C', long, global = true)]
    pub config: Option<PathBuf>,
}

impl ConnectionArgs {
    /// The URL and keypair in force, validated, with this process's environment. Makes no
    /// request: a bad URL or config file fails here with one line.
    pub fn resolve(&self) -> Result<Connection, ClusterError> {
        self.resolve_with(&Environment::process())
    }

    /// [`ConnectionArgs::resolve`] with an explicit environment (tests).
    pub fn resolve_with(&self, env: &Environment) -> Result<Connection, ClusterError> {
        cluster::resolve_with(
            self.url.as_deref(),
            self.keypair.as_deref(),
            self.config.as_deref(),
            env,
        )
    }
}

/// `(from …)` for a value that did not come from a flag, so an error about it says where
/// to fix it.
fn origin(source: &Source) -> String {
    match source {
        Source::Flag => String::new(),
        other => format!(" (from {other})"),
    }
}

/// Read the connection's keypair; the error names the file and where its path came from.
pub fn signer(c: &Connection) -> Result<Keypair> {
    cross_margin_client::keypair::read(&c.keypair_path).with_context(|| match c.keypair_source {
        Source::Flag => "the keypair given with -k is unusable".to_string(),
        _ => format!(
            "no signer{}: pass -k with a keypair file, or create one with `solana-keygen new`",
            origin(&c.keypair_source)
        ),
    })
}

/// `--help` with the URL and keypair that apply now (from the environment and the default
/// config file) and their source appended to the `--url` and `--keypair` help lines.
pub fn annotate_help(cmd: clap::Command, now: &Result<Connection, ClusterError>) -> clap::Command {
    let (url, keypair) = match now {
        Ok(c) => (
            format!(
                "[now: {} from {}]",
                cross_margin_client::cluster::redact_url(&c.url),
                c.url_source
            ),
            format!("[now: {} from {}]", c.keypair_path, c.keypair_source),
        ),
        Err(e) => {
            let line = format!("[now: unavailable: {e}]");
            (line.clone(), line)
        }
    };
    let append = |arg: clap::Arg, extra: String| {
        let base = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        arg.help(format!("{base} {extra}"))
    };
    cmd.mut_arg("url", |a| append(a, url))
        .mut_arg("keypair", |a| append(a, keypair))
}
