//! `-u`, `-k` and `-C` through clap: a bad cluster is refused before any request, the
//! Solana CLI config file supplies the URL and keypair, env and flags override it, and
//! `--help` says which value is in force and where it came from.

use cross_margin_cli::args::{self, Cli};
use cross_margin_cli::clap::CommandFactory;
use cross_margin_cli::connection::{annotate_help, signer};
use cross_margin_client::cluster::{ClusterError, Environment, Source, KEYPAIR_ENV, URL_ENV};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::HashMap;
use std::path::PathBuf;

/// A scratch `$HOME` with a Solana CLI config and two keypair files, removed on drop.
struct Home {
    dir: PathBuf,
    config: PathBuf,
    config_key: Keypair,
    other_key: Keypair,
}

impl Home {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("cm-cli-conn-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let write_key = |file: &str| {
            let key = Keypair::new();
            let json = serde_json::to_string(&key.to_bytes().to_vec()).unwrap();
            std::fs::write(dir.join(file), json).unwrap();
            key
        };
        let config_key = write_key("config-id.json");
        let other_key = write_key("other-id.json");
        let config = dir.join("solana-config.yml");
        std::fs::write(
            &config,
            format!(
                "---\njson_rpc_url: https://api.devnet.solana.com\nwebsocket_url: ''\nkeypair_path: {}\ncommitment: confirmed\n",
                dir.join("config-id.json").display()
            ),
        )
        .unwrap();
        Home {
            dir,
            config,
            config_key,
            other_key,
        }
    }

    fn path(&self, file: &str) -> String {
        self.dir.join(file).display().to_string()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Parse `line` as the binary does and resolve its connection with `vars` as the
/// environment and `home` as `$HOME` (no default config file there).
fn resolve(
    home: &Home,
    vars: &[(&str, &str)],
    line: &[&str],
) -> Result<cross_margin_client::cluster::Connection, ClusterError> {
    let cli =
        args::try_parse_from(std::iter::once("cross-margin").chain(line.iter().copied())).unwrap();
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let get = move |k: &str| vars.get(k).cloned();
    let env = Environment {
        url_var: URL_ENV,
        keypair_var: KEYPAIR_ENV,
        get: &get,
        home: Some(home.dir.clone()),
    };
    cli.connection.resolve_with(&env)
}

#[test]
fn a_bad_cluster_is_refused_with_one_line_before_any_request() {
    let home = Home::new("bad");
    for (url, reason) in [
        ("mainet", "not a known moniker or a URL"),
        ("ftp://example.com", "scheme `ftp` is not http or https"),
        ("http://", ""),
        ("127.0.0.1:8899", "not a known moniker or a URL"),
    ] {
        let err = resolve(&home, &[], &["-u", url, "account", "list"]).unwrap_err();
        let line = err.to_string();
        assert!(matches!(err, ClusterError::InvalidUrl { .. }), "{line}");
        assert!(
            line.starts_with(&format!("invalid cluster `{url}` (from flag)"))
                && line.contains(reason)
                && line.ends_with(
                    "use l|localhost, d|devnet, m|mainnet-beta, t|testnet or an http:// or https:// URL with a host"
                )
                && !line.contains('\n'),
            "{line}"
        );
    }
    // Resolution itself never contacts the node: an address nothing answers on (TEST-NET-1)
    // resolves at once; only a command's first request would try it.
    let start = std::time::Instant::now();
    let c = resolve(
        &home,
        &[],
        &["-u", "http://192.0.2.1:8899", "account", "list"],
    )
    .unwrap();
    assert_eq!(c.url, "http://192.0.2.1:8899");
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn the_solana_cli_config_supplies_url_and_keypair_and_flags_override_it() {
    let home = Home::new("config");
    let config = home.config.display().to_string();
    let c = resolve(&home, &[], &["-C", &config, "account", "list"]).unwrap();
    assert_eq!(c.url, "https://api.devnet.solana.com");
    assert_eq!(c.url_source, Source::ConfigFile(home.config.clone()));
    assert_eq!(c.keypair_source, Source::ConfigFile(home.config.clone()));
    assert_eq!(signer(&c).unwrap().pubkey(), home.config_key.pubkey());

    // Global flags work after the subcommand too; each overrides only its own setting.
    let c = resolve(&home, &[], &["account", "list", "-C", &config, "-u", "m"]).unwrap();
    assert_eq!(c.url, "https://api.mainnet-beta.solana.com");
    assert_eq!(c.url_source, Source::Flag);
    assert_eq!(signer(&c).unwrap().pubkey(), home.config_key.pubkey());
    let other = home.path("other-id.json");
    let c = resolve(
        &home,
        &[],
        &["-C", &config, "-k", &other, "account", "list"],
    )
    .unwrap();
    assert_eq!(c.url, "https://api.devnet.solana.com");
    assert_eq!(signer(&c).unwrap().pubkey(), home.other_key.pubkey());

    // The environment sits between the flags and the config file.
    let env = [(URL_ENV, "t"), (KEYPAIR_ENV, other.as_str())];
    let c = resolve(&home, &env, &["-C", &config, "account", "list"]).unwrap();
    assert_eq!(c.url, "https://api.testnet.solana.com");
    assert_eq!(c.url_source, Source::Env(URL_ENV.into()));
    assert_eq!(signer(&c).unwrap().pubkey(), home.other_key.pubkey());
    let c = resolve(&home, &env, &["-C", &config, "-u", "l", "account", "list"]).unwrap();
    assert_eq!(c.url, "http://127.0.0.1:8899");

    // Nothing set anywhere: the built-in defaults.
    let c = resolve(&home, &[], &["account", "list"]).unwrap();
    assert_eq!(
        (c.url_source, c.keypair_source),
        (Source::Default, Source::Default)
    );
    assert_eq!(c.url, "http://127.0.0.1:8899");
}

#[test]
fn config_and_keypair_errors_name_the_file_and_the_source() {
    let home = Home::new("errors");
    let missing = home.path("nope.yml");
    let err = resolve(&home, &[], &["-C", &missing, "account", "list"]).unwrap_err();
    assert!(err.to_string().contains("nope.yml") && err.to_string().contains("does not exist"));
    std::fs::write(&home.config, "json_rpc_url: [1, 2\n").unwrap();
    let config = home.config.display().to_string();
    let err = resolve(&home, &[], &["-C", &config, "account", "list"]).unwrap_err();
    assert!(
        matches!(err, ClusterError::ConfigFormat { .. }) && err.to_string().contains(&config),
        "{err}"
    );
    // A keypair given with -k that is not a keypair: said so.
    let c = resolve(&home, &[], &["-k", &missing, "account", "list"]).unwrap();
    let line = format!("{:#}", signer(&c).unwrap_err());
    assert!(
        line.starts_with("the keypair given with -k is unusable: cannot read keypair")
            && line.contains("nope.yml"),
        "{line}"
    );
    // A config pointing at a keypair that is not there: the line names both.
    std::fs::write(&home.config, "keypair_path: /nowhere/id.json\n").unwrap();
    let c = resolve(&home, &[], &["-C", &config, "account", "list"]).unwrap();
    let line = format!("{:#}", signer(&c).unwrap_err());
    assert!(
        line.contains("/nowhere/id.json")
            && line.contains(&format!("(from Solana CLI config {config})"))
            && line.contains("pass -k")
            && !line.contains('\n'),
        "{line}"
    );
}

#[test]
fn only_commands_that_read_run_without_a_signer() {
    let key = "11111111111111111111111111111111";
    let needs = |line: &[&str]| {
        args::try_parse_from(std::iter::once("cross-margin").chain(line.iter().copied()))
            .unwrap()
            .command
            .needs_signer()
    };
    for line in [
        &["group", "show", "--group", key][..],
        &["bank", "show", "--bank", key],
        &["account", "show", "--account", key],
        &["account", "list", "--owner", key],
        &["admin", "changes", "--group", key],
    ] {
        assert!(!needs(line), "{line:?}");
    }
    for line in [
        &["account", "list"][..],
        &["group", "pause", "--group", key],
        &["deposit", "--account", key, "--bank", key, "--amount", "1"],
        &["admin", "apply", "--group", key, "--all"],
    ] {
        assert!(needs(line), "{line:?}");
    }
}

#[test]
fn help_shows_the_value_in_force_and_its_source() {
    let home = Home::new("help");
    let config = home.config.display().to_string();
    let now = resolve(&home, &[], &["-C", &config, "account", "list"]);
    let help = annotate_help(Cli::command(), &now)
        .render_help()
        .to_string();
    assert!(
        help.contains(&format!(
            "[now: https://api.devnet.solana.com from Solana CLI config {config}]"
        )),
        "{help}"
    );
    assert!(
        help.contains("$CROSS_MARGIN_URL") && help.contains("json_rpc_url"),
        "{help}"
    );
    assert!(help.contains(&format!(
        "[now: {} from Solana CLI config",
        home.path("config-id.json")
    )));
    let broken = Err(ClusterError::ConfigMissing {
        path: home.dir.join("x.yml"),
    });
    let help = annotate_help(Cli::command(), &broken)
        .render_help()
        .to_string();
    assert!(
        help.contains("[now: unavailable: the Solana CLI config"),
        "{help}"
    );
}
