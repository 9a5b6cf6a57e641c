//! The keeper binary's logs as a log file or shipper sees them: its standard output is a
//! pipe here, not a terminal, so text lines must carry no colour codes, and
//! `--log-format json` must give one JSON object per line. The run fails at once (its
//! keypair file does not exist), which is enough to see the error line it logs.

use std::process::Command;

const SOME_KEY: &str = "11111111111111111111111111111111";

/// Run the keeper with a missing keypair and `extra` flags; its exit code and stdout.
fn run(extra: &[&str]) -> (Option<i32>, String) {
    let missing = std::env::temp_dir().join("cross-margin-keeper-no-such-keypair.json");
    let out = Command::new(env!("CARGO_BIN_EXE_cross-margin-keeper"))
        .args(["--group", SOME_KEY, "--liquidator", SOME_KEY, "--keypair"])
        .arg(&missing)
        .args(extra)
        .env_remove("NO_COLOR")
        .env_remove("RUST_LOG")
        .env_remove("KEEPER_LOG_FORMAT")
        .output()
        .expect("the keeper binary runs");
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn text_logs_to_a_pipe_have_no_colour_codes() {
    let (code, out) = run(&[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("ERROR"), "{out:?}");
    assert!(
        out.contains("cross-margin-keeper-no-such-keypair.json"),
        "{out:?}"
    );
    assert!(
        !out.contains("\x1b["),
        "colour codes in piped logs: {out:?}"
    );
}

#[test]
fn json_logs_are_one_object_per_line() {
    let (code, out) = run(&["--log-format", "json"]);
    assert_eq!(code, Some(1), "{out}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert_eq!(lines[0]["level"], "ERROR");
    let message = lines[0]["message"].as_str().unwrap();
    assert!(
        message.contains("cross-margin-keeper-no-such-keypair.json"),
        "{message}"
    );
}

#[test]
fn an_unknown_log_format_is_refused() {
    let (code, out) = run(&["--log-format", "yaml"]);
    assert_eq!(code, Some(2), "clap's usage error: {out}");
}
