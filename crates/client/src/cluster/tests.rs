//! URL validation, the Solana CLI config file, and the flag > env > config > default order.

use super::*;
use std::collections::HashMap;

/// A scratch directory standing in for `$HOME`, removed on drop.
struct Home(PathBuf);

impl Home {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("cm-cluster-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Home(dir)
    }

    /// Write `~/.config/solana/cli/config.yml`.
    fn write_default_config(&self, text: &str) -> PathBuf {
        let path = self.0.join(".config/solana/cli/config.yml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn resolve(
    home: &Home,
    vars: &[(&str, &str)],
    url: Option<&str>,
    keypair: Option<&str>,
    config: Option<&Path>,
) -> Result<Connection, ClusterError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let get = move |k: &str| vars.get(k).cloned();
    let env = Environment {
        url_var: URL_ENV,
        keypair_var: KEYPAIR_ENV,
        get: &get,
        home: Some(home.0.clone()),
    };
    resolve_with(url, keypair, config, &env)
}

const SOLANA_CONFIG: &str = "---
json_rpc_url: https://api.devnet.solana.com
websocket_url: ''
keypair_path: /keys/config.json
address_labels:
  '11111111111111111111111111111111': System Program
commitment: confirmed
";

#[test]
fn monikers_become_urls_and_urls_pass_through() {
    for (m, url) in [
        ("l", "http://127.0.0.1:8899"),
        ("localhost", "http://127.0.0.1:8899"),
        ("d", "https://api.devnet.solana.com"),
        ("devnet", "https://api.devnet.solana.com"),
        ("m", "https://api.mainnet-beta.solana.com"),
        ("mainnet-beta", "https://api.mainnet-beta.solana.com"),
        ("t", "https://api.testnet.solana.com"),
        ("testnet", "https://api.testnet.solana.com"),
        ("M", "https://api.mainnet-beta.solana.com"),
    ] {
        assert_eq!(parse_url(m).as_deref(), Ok(url), "{m}");
    }
    for url in [
        "http://127.0.0.1:8899",
        "https://rpc.example.com",
        "https://rpc.example.com:443/path/to?api-key=abc",
        "http://[::1]:8899",
    ] {
        assert_eq!(parse_url(url).as_deref(), Ok(url));
    }
}

#[test]
fn bad_urls_and_monikers_are_refused_with_one_line_naming_the_input() {
    for bad in [
        "",
        "mainet",
        "x",
        "127.0.0.1:8899",
        "ftp://example.com",
        "ws://127.0.0.1:8900",
        "http://",
        "https://:8899",
        "http://host:notaport",
        "http://exa mple.com",
    ] {
        let err = parse_url(bad).unwrap_err();
        let line = err.to_string();
        assert!(
            line.contains(&format!("`{bad}`"))
                && line.contains("l|localhost, d|devnet, m|mainnet-beta, t|testnet")
                && line.contains("http:// or https://")
                && !line.contains('\n'),
            "{line}"
        );
    }
}

#[test]
fn the_unreachable_line_names_the_url_and_the_ways_forward() {
    let line = unreachable_message(
        "http://127.0.0.1:8899",
        "error sending request:\n connection refused",
    );
    assert_eq!(
        line,
        "cannot reach the node at http://127.0.0.1:8899 (error sending request: connection refused): \
         start a local validator (`solana-test-validator`) or choose a cluster with -u l|d|m"
    );
}

#[test]
fn built_in_defaults_without_a_config_file() {
    let home = Home::new("defaults");
    let c = resolve(&home, &[], None, None, None).unwrap();
    assert_eq!(c.url, "http://127.0.0.1:8899");
    assert_eq!(c.url_source, Source::Default);
    assert_eq!(
        c.keypair_path,
        home.0.join(".config/solana/id.json").display().to_string()
    );
    assert_eq!(c.keypair_source, Source::Default);
}

#[test]
fn the_solana_cli_config_supplies_url_and_keypair() {
    let home = Home::new("config");
    let path = home.write_default_config(SOLANA_CONFIG);
    let c = resolve(&home, &[], None, None, None).unwrap();
    assert_eq!(c.url, "https://api.devnet.solana.com");
    assert_eq!(c.keypair_path, "/keys/config.json");
    assert_eq!(c.url_source, Source::ConfigFile(path.clone()));
    assert_eq!(c.keypair_source, Source::ConfigFile(path));
}

#[test]
fn flag_beats_env_beats_config_beats_default() {
    let home = Home::new("order");
    let path = home.write_default_config(SOLANA_CONFIG);
    let env = [(URL_ENV, "m"), (KEYPAIR_ENV, "/keys/env.json")];
    // Env over config.
    let c = resolve(&home, &env, None, None, None).unwrap();
    assert_eq!(c.url, "https://api.mainnet-beta.solana.com");
    assert_eq!(c.url_source, Source::Env(URL_ENV.into()));
    assert_eq!(c.keypair_path, "/keys/env.json");
    // Flags over env.
    let c = resolve(&home, &env, Some("t"), Some("/keys/flag.json"), None).unwrap();
    assert_eq!(c.url, "https://api.testnet.solana.com");
    assert_eq!(
        (c.url_source, c.keypair_source),
        (Source::Flag, Source::Flag)
    );
    assert_eq!(c.keypair_path, "/keys/flag.json");
    // Each setting falls through on its own: the URL flag with the config's keypair.
    let c = resolve(&home, &[], Some("l"), None, None).unwrap();
    assert_eq!(c.url_source, Source::Flag);
    assert_eq!(c.keypair_source, Source::ConfigFile(path));
    // An empty variable counts as unset.
    let c = resolve(&home, &[(URL_ENV, " ")], None, None, None).unwrap();
    assert_eq!(c.url, "https://api.devnet.solana.com");
}

#[test]
fn an_explicit_config_file_replaces_the_default_one() {
    let home = Home::new("explicit");
    home.write_default_config(SOLANA_CONFIG);
    let other = home.0.join("other.yml");
    std::fs::write(
        &other,
        "json_rpc_url: \"http://10.0.0.1:8899\"\nkeypair_path: ~/other.json\n",
    )
    .unwrap();
    let c = resolve(&home, &[], None, None, Some(&other)).unwrap();
    assert_eq!(c.url, "http://10.0.0.1:8899");
    assert_eq!(c.keypair_path, "~/other.json");
    assert_eq!(c.url_source, Source::ConfigFile(other.clone()));
    // A file with only one of the keys supplies that one.
    std::fs::write(&other, "keypair_path: /keys/only.json\n").unwrap();
    let c = resolve(&home, &[], None, None, Some(&other)).unwrap();
    assert_eq!(c.url_source, Source::Default);
    assert_eq!(c.keypair_path, "/keys/only.json");
    // Empty (or comment-only) files give no settings.
    std::fs::write(&other, "---\n# nothing here\n").unwrap();
    let c = resolve(&home, &[], None, None, Some(&other)).unwrap();
    assert_eq!(c.url_source, Source::Default);
}

#[test]
fn config_file_errors_name_the_file() {
    let home = Home::new("errors");
    // An explicitly named file must exist.
    let missing = home.0.join("missing.yml");
    let err = resolve(&home, &[], None, None, Some(&missing)).unwrap_err();
    assert!(matches!(err, ClusterError::ConfigMissing { .. }), "{err}");
    assert!(err.to_string().contains("missing.yml"), "{err}");
    // Malformed YAML, or the wrong types, in the default file.
    for text in [
        "json_rpc_url: [unclosed\n",
        "json_rpc_url:\n  - a\n  - b\n",
        "just a string",
    ] {
        let path = home.write_default_config(text);
        let err = resolve(&home, &[], None, None, None).unwrap_err();
        let line = err.to_string();
        assert!(matches!(err, ClusterError::ConfigFormat { .. }), "{line}");
        assert!(
            line.contains(&path.display().to_string()) && !line.contains('\n'),
            "{line}"
        );
    }
    // A directory where the file should be cannot be read.
    let dir = home.0.join("dir.yml");
    std::fs::create_dir_all(&dir).unwrap();
    let err = resolve(&home, &[], None, None, Some(&dir)).unwrap_err();
    assert!(
        matches!(err, ClusterError::ConfigRead { .. }) && err.to_string().contains("dir.yml"),
        "{err}"
    );
    // With both settings given, a broken default file is never read.
    home.write_default_config("json_rpc_url: [unclosed\n");
    assert!(resolve(&home, &[], Some("l"), Some("/k.json"), None).is_ok());
}

#[test]
fn a_bad_url_names_where_it_came_from() {
    let home = Home::new("origin");
    let path = home.write_default_config("json_rpc_url: devnett\n");
    let err = resolve(&home, &[], None, Some("/k.json"), None).unwrap_err();
    let line = err.to_string();
    assert!(
        line.starts_with("invalid cluster `devnett` (from Solana CLI config ")
            && line.contains(&path.display().to_string()),
        "{line}"
    );
    let err = resolve(&home, &[(URL_ENV, "localhst")], None, None, None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid cluster `localhst` (from env CROSS_MARGIN_URL)"),
        "{err}"
    );
    let err = resolve(&home, &[], Some("foo"), None, None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid cluster `foo` (from flag)"),
        "{err}"
    );
}

#[test]
fn signer_sources_other_than_files_are_refused() {
    let home = Home::new("signers");
    let path = home.write_default_config("keypair_path: usb://ledger\n");
    let err = resolve(&home, &[], Some("l"), None, None).unwrap_err();
    assert_eq!(
        err,
        ClusterError::UnsupportedSigner {
            value: "usb://ledger".into(),
            origin: Source::ConfigFile(path),
        }
    );
    assert!(err.to_string().contains("pass -k"), "{err}");
    for value in ["prompt://", "stdin", "ASK"] {
        assert!(resolve(&home, &[], Some("l"), Some(value), None).is_err());
    }
    let c = resolve(&home, &[], Some("l"), Some("file:///keys/a.json"), None).unwrap();
    assert_eq!(c.keypair_path, "/keys/a.json");
}

#[test]
fn api_keys_in_urls_are_never_printed() {
    let url = "https://rpc.example.com:8443/v1/SECRETPATH?api-key=SECRETKEY";
    assert_eq!(redact_url(url), "https://rpc.example.com:8443/…");
    assert_eq!(redact_url("http://127.0.0.1:8899"), "http://127.0.0.1:8899");
    let err = "error sending request for url (https://rpc.example.com:8443/v1/SECRETPATH?api-key=SECRETKEY)";
    let clean = redact_in(err, url);
    assert!(!clean.contains("SECRET"), "{clean}");
    let line = unreachable_message(url, err);
    assert!(
        !line.contains("SECRET") && line.contains("rpc.example.com"),
        "{line}"
    );
    let with_user = "https://user:pass@host.example/";
    assert!(!redact_url(with_user).contains("pass"));
    assert!(!redact_in("x user:pass@host.example", with_user).contains("pass"));
}
