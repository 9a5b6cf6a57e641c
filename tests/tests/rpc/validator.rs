//! A real `solana-test-validator` process on loopback ports, with accounts planted from a
//! directory of `solana account --output json` files, killed when dropped.
//!
//! The binary is the `agave-validator` crate's (version 3.1.12, the workspace's Solana
//! version), installed by `scripts/install-test-validator.sh` into
//! `~/.cache/cross-margin/validator` (or named by `CROSS_MARGIN_TEST_VALIDATOR`). Without
//! it these tests fail with the install command: they never pass without having run.

use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the validator may take to answer `getHealth` (about 25 s on 2 cores).
const START_TIMEOUT: Duration = Duration::from_secs(180);

/// The test validator binary, or the line saying how to install it.
pub fn binary() -> Result<PathBuf, String> {
    binary_at(std::env::var_os("CROSS_MARGIN_TEST_VALIDATOR"))
}

/// [`binary`] with `CROSS_MARGIN_TEST_VALIDATOR` given.
pub fn binary_at(named: Option<std::ffi::OsString>) -> Result<PathBuf, String> {
    let path = match named {
        Some(p) => PathBuf::from(p),
        None => {
            let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
            PathBuf::from(home).join(".cache/cross-margin/validator/bin/solana-test-validator")
        }
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "solana-test-validator not found at {}: install it with \
             `scripts/install-test-validator.sh` (builds agave-validator 3.1.12 from crates.io, \
             about 28 minutes cold on 2 cores; `.ci/run` does this) or point \
             CROSS_MARGIN_TEST_VALIDATOR at the binary",
            path.display()
        ))
    }
}

/// A free TCP port on loopback (released before the validator binds it).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A directory under the system temp dir, unique to this process and `label`.
pub fn scratch_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cross-margin-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch dir");
    dir
}

pub struct Validator {
    child: Option<Child>,
    pub url: String,
    ledger: PathBuf,
}

impl Validator {
    /// Start the validator with every account file in `accounts` planted, and wait until it
    /// answers `getHealth`.
    pub async fn start(accounts: &Path) -> Self {
        let bin = binary().unwrap_or_else(|e| panic!("{e}"));
        let ledger = scratch_dir("ledger");
        let rpc_port = free_port();
        // The validator also binds rpc_port + 1 (websocket), a faucet, gossip and a range of
        // dynamic ports: give each a free spot away from the defaults, so two runs (or a
        // developer's own validator on 8899) do not collide.
        let faucet_port = free_port();
        let gossip_port = free_port();
        let dynamic = 20_000 + (std::process::id() % 200) as u16 * 100;
        let log = std::fs::File::create(ledger.join("validator.out")).expect("log file");
        let child = Command::new(&bin)
            .arg("--ledger")
            .arg(&ledger)
            .args(["--bind-address", "127.0.0.1"])
            .args(["--rpc-port", &rpc_port.to_string()])
            .args(["--faucet-port", &faucet_port.to_string()])
            .args(["--gossip-port", &gossip_port.to_string()])
            .args([
                "--dynamic-port-range",
                &format!("{dynamic}-{}", dynamic + 99),
            ])
            .arg("--account-dir")
            .arg(accounts)
            .args(["--reset", "--quiet"])
            .stdout(Stdio::from(log.try_clone().expect("log file")))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut v = Self {
            child: Some(child),
            url: format!("http://127.0.0.1:{rpc_port}"),
            ledger,
        };
        v.wait_healthy().await;
        v
    }

    async fn wait_healthy(&mut self) {
        let client = RpcClient::new(self.url.clone());
        let start = Instant::now();
        loop {
            if client.get_health().await.is_ok() && client.get_slot().await.unwrap_or(0) > 1 {
                return;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "solana-test-validator exited ({status}) before answering:\n{}",
                    self.log_tail()
                );
            }
            if start.elapsed() > START_TIMEOUT {
                panic!(
                    "solana-test-validator did not answer getHealth at {} within {START_TIMEOUT:?}:\n{}",
                    self.url,
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// The last lines the validator printed, and its ledger log's.
    fn log_tail(&self) -> String {
        let mut out = String::new();
        for name in ["validator.out", "validator.log"] {
            if let Ok(text) = std::fs::read_to_string(self.ledger.join(name)) {
                let lines: Vec<&str> = text.lines().collect();
                let from = lines.len().saturating_sub(20);
                out.push_str(&format!("--- {name}\n{}\n", lines[from..].join("\n")));
            }
        }
        out
    }

    /// Kill the process (the node stops answering at once).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Validator {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.ledger);
    }
}
