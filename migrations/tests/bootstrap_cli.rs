//! The `bootstrap` binary's offline paths: `--check` on the example, a config with
//! problems (every one on its own line), a missing file named in one line. None of them
//! reads a keypair or connects to a node.

use std::process::{Command, Output};

fn bootstrap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bootstrap"))
        // A keypair and node that do not exist: the offline paths must not need them.
        .args(["-k", "/nonexistent/id.json", "-u", "http://127.0.0.1:9"])
        .args(args)
        .output()
        .expect("the bootstrap binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn check_accepts_the_example() {
    // Found at run time: a binary reused from a target directory shared between checkouts
    // must read this checkout's example.
    let manifest = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    let example = format!("{manifest}/example.toml");
    let out = bootstrap(&["--check", &example]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "config OK: 2 banks, 1 perp market\n");
}

#[test]
fn check_lists_every_problem_and_fails() {
    let path = std::env::temp_dir().join(format!("bootstrap-check-{}.toml", std::process::id()));
    std::fs::write(
        &path,
        "timelock_secs = 5\n[[banks]]\ntoken_index = 65535\nmint = \"x\"\noracle = \"So11111111111111111111111111111111111111112\"\n",
    )
    .unwrap();
    let out = bootstrap(&["--check", path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0], "error: the config has 3 problems; nothing was sent:",
        "{err}"
    );
    assert!(
        lines[1].starts_with("  - group: timelock_secs = 5: "),
        "{err}"
    );
    assert_eq!(
        lines[2], "  - bank 65535: mint `x` is not a valid public key",
        "{err}"
    );
    assert!(
        lines[3].starts_with("  - bank 65535: Token index 65535 is reserved"),
        "{err}"
    );
    assert_eq!(lines.len(), 4, "{err}");
    assert!(text(&out.stdout).is_empty());
}

#[test]
fn a_missing_config_file_is_named_in_one_line() {
    for flags in [&["--check"][..], &[][..]] {
        let mut args = flags.to_vec();
        args.push("/nonexistent/bootstrap.toml");
        let out = bootstrap(&args);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            text(&out.stderr),
            "error: config file /nonexistent/bootstrap.toml not found\n"
        );
    }
}
