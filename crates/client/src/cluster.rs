//! Which node to talk to and which key signs: one resolution shared by the CLI, the keeper
//! and the bootstrap, so they agree with each other and with the Solana and Anchor CLIs.
//!
//! Each setting comes from the first of: the command-line flag, the tool's environment
//! variable (`CROSS_MARGIN_URL`, `CROSS_MARGIN_KEYPAIR` by default), the Solana CLI config
//! file (`json_rpc_url`, `keypair_path` in `~/.config/solana/cli/config.yml`, or the file
//! given with `-C/--config`; the Solana CLI reads no environment variable for its location),
//! and the built-in default (`l`, `~/.config/solana/id.json`). [`Connection`] records where
//! each value came from, so error lines and `--help` can say so.
//!
//! A URL or moniker is validated by [`parse_url`] before any request is made: a typo such as
//! `-u mainet` fails at once with one line instead of as a DNS or connection error later.
//! A missing default config file is normal (defaults apply); a config file that was named
//! explicitly and is missing, or any config file that cannot be read or parsed, is an error
//! naming the file.

use std::fmt;
use std::path::{Path, PathBuf};

/// The accepted forms, quoted by every URL error.
const ACCEPTED: &str =
    "use l|localhost, d|devnet, m|mainnet-beta, t|testnet or an http:// or https:// URL with a host";

/// The CLI's environment variable for the RPC URL.
pub const URL_ENV: &str = "CROSS_MARGIN_URL";
/// The CLI's environment variable for the keypair file.
pub const KEYPAIR_ENV: &str = "CROSS_MARGIN_KEYPAIR";
/// The moniker used when nothing else sets the URL.
pub const DEFAULT_URL: &str = "l";

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag.
    Flag,
    /// This environment variable.
    Env(String),
    /// The Solana CLI config file at this path.
    ConfigFile(PathBuf),
    /// The built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => write!(f, "flag"),
            Source::Env(var) => write!(f, "env {var}"),
            Source::ConfigFile(path) => write!(f, "Solana CLI config {}", path.display()),
            Source::Default => write!(f, "default"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "invalid cluster `{input}`{}: {reason}; {ACCEPTED}",
        origin_suffix(origin)
    )]
    InvalidUrl {
        input: String,
        reason: String,
        origin: Option<Source>,
    },
    #[error("the Solana CLI config {} does not exist (omit the option to use the default ~/.config/solana/cli/config.yml)", path.display())]
    ConfigMissing { path: PathBuf },
    #[error("cannot read the Solana CLI config {}: {cause}", path.display())]
    ConfigRead { path: PathBuf, cause: String },
    #[error("the Solana CLI config {} is malformed ({cause}): fix it or pass -u and -k", path.display())]
    ConfigFormat { path: PathBuf, cause: String },
    #[error("keypair `{value}` ({origin}) is not a keypair file: hardware, prompt and stdin signers are not supported; pass -k with a JSON keypair file")]
    UnsupportedSigner { value: String, origin: Source },
}

fn origin_suffix(origin: &Option<Source>) -> String {
    origin
        .as_ref()
        .map(|o| format!(" (from {o})"))
        .unwrap_or_default()
}

/// A moniker (`l|localhost`, `d|devnet`, `m|mainnet-beta`, `t|testnet`, any case) as its
/// URL; otherwise the input itself, which must be an `http://` or `https://` URL with a
/// host (port, path and query allowed). Anything else is refused with one line naming the
/// input and the accepted forms. No request is made.
pub fn parse_url(input: &str) -> Result<String, ClusterError> {
    let trimmed = input.trim();
    let invalid = |reason: &str| ClusterError::InvalidUrl {
        input: input.to_string(),
        reason: reason.to_string(),
        origin: None,
    };
    let moniker = match trimmed.to_ascii_lowercase().as_str() {
        "l" | "localhost" => Some("http://127.0.0.1:8899"),
        "d" | "devnet" => Some("https://api.devnet.solana.com"),
        "m" | "mainnet-beta" => Some("https://api.mainnet-beta.solana.com"),
        "t" | "testnet" => Some("https://api.testnet.solana.com"),
        _ => None,
    };
    if let Some(url) = moniker {
        return Ok(url.to_string());
    }
    if trimmed.is_empty() {
        return Err(invalid("empty"));
    }
    if !trimmed.contains("://") {
        return Err(invalid("not a known moniker or a URL"));
    }
    let parsed = url::Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(&format!(
            "scheme `{}` is not http or https",
            parsed.scheme()
        )));
    }
    match parsed.host_str() {
        Some(h) if !h.is_empty() => Ok(trimmed.to_string()),
        _ => Err(invalid("no host")),
    }
}

/// The line for a node that could not be reached, naming the URL (redacted: see
/// [`redact_url`]) and the ways forward.
pub fn unreachable_message(url: &str, cause: &str) -> String {
    let cause = redact_in(cause, url);
    let cause = cause.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "cannot reach the node at {} ({cause}): start a local validator (`solana-test-validator`) or choose a cluster with -u l|d|m",
        redact_url(url)
    )
}

/// The parts of `url` where RPC providers put API keys: user info, path, query.
fn secret_parts(url: &str) -> Vec<String> {
    let Ok(parsed) = url::Url::parse(url) else {
        return vec![];
    };
    let mut parts = vec![];
    if let Some(q) = parsed.query().filter(|q| !q.is_empty()) {
        parts.push(q.to_string());
    }
    let path = parsed.path().trim_matches('/');
    if !path.is_empty() {
        parts.push(path.to_string());
    }
    if !parsed.username().is_empty() {
        parts.push(parsed.username().to_string());
    }
    if let Some(p) = parsed.password().filter(|p| !p.is_empty()) {
        parts.push(p.to_string());
    }
    parts
}

/// `url` safe to print in logs, help and errors: scheme, host and port, with any path,
/// query or user info (where RPC providers put API keys) shown as `…`.
pub fn redact_url(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return url.to_string();
    };
    let host = parsed.host_str().unwrap_or_default();
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    let hidden = if secret_parts(url).is_empty() {
        ""
    } else {
        "/…"
    };
    format!("{}://{host}{port}{hidden}", parsed.scheme())
}

/// `text` (an error a library formatted, which may quote the URL) with every secret part
/// of `url` replaced by `…`.
pub fn redact_in(text: &str, url: &str) -> String {
    let mut out = text.to_string();
    for part in secret_parts(url) {
        out = out.replace(&part, "…");
    }
    out
}

/// The node and signer to use, and where each came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    /// A validated `http(s)://` URL (monikers resolved).
    pub url: String,
    /// The keypair file (a leading `~/` is read as the home directory by
    /// [`crate::keypair::read`]).
    pub keypair_path: String,
    pub url_source: Source,
    pub keypair_source: Source,
}

/// Where the environment's settings are read: the variable names, how to read a variable,
/// and the home directory. [`Environment::process`] is the real one; tests and tools with
/// their own variables build their own.
pub struct Environment<'a> {
    pub url_var: &'a str,
    pub keypair_var: &'a str,
    pub get: &'a dyn Fn(&str) -> Option<String>,
    pub home: Option<PathBuf>,
}

fn process_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl Environment<'static> {
    /// This process's environment, with the CLI's variable names.
    pub fn process() -> Self {
        Self::process_with(URL_ENV, KEYPAIR_ENV)
    }

    /// This process's environment with other variable names (e.g. the keeper's).
    pub fn process_with(url_var: &'static str, keypair_var: &'static str) -> Self {
        Environment {
            url_var,
            keypair_var,
            get: &process_var,
            home: std::env::var_os("HOME").map(PathBuf::from),
        }
    }
}

impl Environment<'_> {
    fn var(&self, name: &str) -> Option<String> {
        (self.get)(name).filter(|v| !v.trim().is_empty())
    }

    /// `~/.config/solana/cli/config.yml`, where the Solana CLI keeps its settings.
    pub fn default_config_path(&self) -> Option<PathBuf> {
        self.home
            .as_ref()
            .map(|h| h.join(".config/solana/cli/config.yml"))
    }

    fn default_keypair(&self) -> String {
        match &self.home {
            Some(h) => h.join(".config/solana/id.json").display().to_string(),
            None => crate::keypair::default_path(),
        }
    }
}

/// The two settings the Solana CLI config file contributes (other keys are ignored).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SolanaConfig {
    pub json_rpc_url: Option<String>,
    pub keypair_path: Option<String>,
}

#[derive(serde::Deserialize)]
struct RawConfig {
    #[serde(default)]
    json_rpc_url: Option<String>,
    #[serde(default)]
    keypair_path: Option<String>,
}

/// Read a Solana CLI config file. `Ok(None)` if it does not exist and `required` is false.
pub fn read_solana_config(
    path: &Path,
    required: bool,
) -> Result<Option<SolanaConfig>, ClusterError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return if required {
                Err(ClusterError::ConfigMissing {
                    path: path.to_path_buf(),
                })
            } else {
                Ok(None)
            };
        }
        Err(e) => {
            return Err(ClusterError::ConfigRead {
                path: path.to_path_buf(),
                cause: e.to_string(),
            })
        }
    };
    let without_comments = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    if without_comments
        .trim()
        .trim_start_matches("---")
        .trim()
        .is_empty()
    {
        return Ok(Some(SolanaConfig::default()));
    }
    let raw: RawConfig = serde_yaml::from_str(&text).map_err(|e| ClusterError::ConfigFormat {
        path: path.to_path_buf(),
        cause: e.to_string().replace('\n', " "),
    })?;
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    Ok(Some(SolanaConfig {
        json_rpc_url: nonempty(raw.json_rpc_url),
        keypair_path: nonempty(raw.keypair_path),
    }))
}

/// Resolve the URL and keypair with this process's environment and the CLI's variable
/// names: flag > `CROSS_MARGIN_URL` / `CROSS_MARGIN_KEYPAIR` > Solana CLI config (`config_path`,
/// or `~/.config/solana/cli/config.yml`) > `l` / `~/.config/solana/id.json`.
pub fn resolve_connection(
    url_flag: Option<&str>,
    keypair_flag: Option<&str>,
    config_path: Option<&Path>,
) -> Result<Connection, ClusterError> {
    resolve_with(url_flag, keypair_flag, config_path, &Environment::process())
}

/// [`resolve_connection`] with an explicit environment.
pub fn resolve_with(
    url_flag: Option<&str>,
    keypair_flag: Option<&str>,
    config_path: Option<&Path>,
    env: &Environment,
) -> Result<Connection, ClusterError> {
    let url_env = env.var(env.url_var);
    let keypair_env = env.var(env.keypair_var);
    // The config file is read only when a setting falls through to it, except that a file
    // named explicitly must exist and parse: naming a broken file is a mistake to report.
    let needs_config = (url_flag.is_none() && url_env.is_none())
        || (keypair_flag.is_none() && keypair_env.is_none());
    let config_file = config_path
        .map(Path::to_path_buf)
        .or_else(|| env.default_config_path());
    let config = match (&config_file, needs_config || config_path.is_some()) {
        (Some(path), true) => read_solana_config(path, config_path.is_some())?,
        _ => None,
    }
    .unwrap_or_default();
    let from_config = |v: Option<String>| {
        v.zip(config_file.clone())
            .map(|(v, p)| (v, Source::ConfigFile(p)))
    };

    let (url_input, url_source) = url_flag
        .map(|u| (u.to_string(), Source::Flag))
        .or_else(|| url_env.map(|u| (u, Source::Env(env.url_var.to_string()))))
        .or_else(|| from_config(config.json_rpc_url))
        .unwrap_or_else(|| (DEFAULT_URL.to_string(), Source::Default));
    let url = parse_url(&url_input).map_err(|e| match e {
        ClusterError::InvalidUrl { input, reason, .. } => ClusterError::InvalidUrl {
            input,
            reason,
            origin: Some(url_source.clone()),
        },
        other => other,
    })?;

    let (keypair_input, keypair_source) = keypair_flag
        .map(|k| (k.to_string(), Source::Flag))
        .or_else(|| keypair_env.map(|k| (k, Source::Env(env.keypair_var.to_string()))))
        .or_else(|| from_config(config.keypair_path))
        .unwrap_or_else(|| (env.default_keypair(), Source::Default));
    let keypair_path = keypair_file(&keypair_input, &keypair_source)?;

    Ok(Connection {
        url,
        keypair_path,
        url_source,
        keypair_source,
    })
}

/// The file behind a Solana signer source: a path, or `file://path`; hardware wallets,
/// prompts and stdin (which the Solana CLI also accepts) are refused with one line.
fn keypair_file(value: &str, origin: &Source) -> Result<String, ClusterError> {
    let unsupported = || ClusterError::UnsupportedSigner {
        value: value.to_string(),
        origin: origin.clone(),
    };
    if let Some(path) = value.strip_prefix("file://") {
        return Ok(path.to_string());
    }
    let lower = value.to_ascii_lowercase();
    if value.contains("://")
        || lower == "stdin"
        || lower == "ask"
        || lower == "-"
        || lower.starts_with("prompt:")
        || lower.starts_with("usb:")
    {
        return Err(unsupported());
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests;
