//! The risk commands end to end: the demo's group on the in-process validator, saved to a
//! snapshot and read back, then every `risk` command on it (JSON output parsed).

use cross_margin_cli::args::{self, Command};
use cross_margin_cli::output::Format;
use cross_margin_client::local::LocalChain;
use serde_json::Value;

fn parse(line: &str) -> Command {
    args::try_parse_from(std::iter::once("cross-margin").chain(line.split_whitespace()))
        .unwrap_or_else(|e| panic!("{line}: {e}"))
        .command
}

fn no_cluster() -> cross_margin_cli::risk::Result<LocalChain> {
    Err(cross_margin_cli::risk::anyhow!(
        "these tests read no cluster"
    ))
}

async fn json(line: &str) -> Value {
    let out = match parse(line) {
        Command::Risk(cmd) => cross_margin_cli::risk::run(&cmd, Format::Json, no_cluster).await,
        Command::Snapshot(cmd) => {
            cross_margin_cli::risk::snapshot(&cmd, Format::Json, no_cluster).await
        }
        other => panic!("not a risk command: {other:?}"),
    }
    .unwrap_or_else(|e| panic!("{line}: {e:#}"));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{line}: {e}: {out}"))
}

#[tokio::test]
async fn every_risk_command_runs_on_a_saved_demo_group() {
    let dir = std::env::temp_dir().join(format!("cm-risk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let snap = dir.join("demo.json");
    let saved = json(&format!("snapshot save --demo --out {}", snap.display())).await;
    assert_eq!(saved["banks"], 3, "{saved}");
    let accounts = saved["accounts"].as_u64().unwrap();
    assert!(accounts > 50, "{saved}");

    // VaR over 5 days: the same seed gives the same report, from the file or the demo.
    let var_line = format!(
        "risk var --snapshot {} --paths 300 --horizon 5 --model historical --chart {}",
        snap.display(),
        dir.join("var").display()
    );
    let var = json(&var_line).await;
    assert!(
        var == json(&var_line).await,
        "the same seed gives the same report"
    );
    // A fresh demo group (new keys, so its accounts come in another order: the cascade
    // meets them, and spends the insurance fund, in that order) gives the same cascades
    // and the same bad debt to a hundredth of a percent.
    let demo = json("risk var --demo --paths 300 --horizon 5 --model historical").await;
    let (a, b) = (&var["report"]["protocol"], &demo["report"]["protocol"]);
    for key in ["rounds", "accounts_hit", "paths", "p_bad_debt"] {
        assert!(a[key] == b[key], "{key}: {} vs {}", a[key], b[key]);
    }
    let (x, y) = (
        a["bad_debt_mean"].as_f64().unwrap(),
        b["bad_debt_mean"].as_f64().unwrap(),
    );
    assert!(
        (x - y).abs() <= 1e-4 * x.abs().max(1.0),
        "bad debt {x} vs {y}"
    );
    let r = &var["report"];
    assert_eq!(r["protocol"]["paths"], 300);
    let listed = r["accounts"].as_array().unwrap();
    assert!(!listed.is_empty());
    for a in listed {
        let p = a["p_liquidation"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p));
        let t = a["tails"].as_array().unwrap();
        // VaR rises with the level and ES is at least VaR.
        let var_at = |i: usize| t[i]["var"].as_f64().unwrap();
        assert!(var_at(0) <= var_at(1) && var_at(1) <= var_at(2), "{a}");
        assert!(t[1]["es"].as_f64().unwrap() >= var_at(1) - 1e-9, "{a}");
    }
    assert!(dir.join("var.png").exists() && dir.join("var.svg").exists());
    // The demo's perp accounts are set aside, and said so.
    assert!(
        var["book"].as_str().unwrap().contains("perp"),
        "{}",
        var["book"]
    );

    // Stress: the built-in windows and a shock; feedback never lowers bad debt.
    let stress = json(&format!(
        "risk stress --snapshot {} --shock SOL=-60%,ETH=-40% --depth-usd 20000 --chart {}",
        snap.display(),
        dir.join("stress").display()
    ))
    .await;
    let rows = stress["stresses"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "Terra, FTX and the shock");
    for s in rows {
        // Per bank, in native units (USD figures are at each run's own final prices).
        let (off, on) = (
            &s["without_feedback"]["bad_debt_native"],
            &s["with_feedback"]["bad_debt_native"],
        );
        for (bank, debt) in off.as_object().unwrap() {
            let with = on[bank].as_u64().unwrap_or(0);
            assert!(with >= debt.as_u64().unwrap(), "bank {bank}: {s}");
        }
    }
    let shock = &rows[2];
    assert!(
        shock["without_feedback"]["liquidations"].as_u64().unwrap() > 0,
        "{shock}"
    );

    // The depositors' view: four shocks per bank, bad debt growing with the shock.
    let group = json(&format!(
        "risk group --snapshot {} --depth-usd 20000",
        snap.display()
    ))
    .await;
    for b in group["banks"].as_array().unwrap() {
        let s = b["shocks"].as_array().unwrap();
        assert_eq!(s.len(), 4);
        let bad = |i: usize| s[i]["bad_debt_usd"].as_f64().unwrap();
        assert!(bad(3) >= bad(0), "{b}");
    }

    // Advice for SOL: a command line the CLI parses back.
    let advice = json(&format!(
        "risk advise --snapshot {} --bank 1 --paths 200 --horizon 5 --model historical --target 0.05",
        snap.display()
    ))
    .await;
    let bank = &advice["banks"][0];
    if let Some(cmd) = bank["command"].as_str() {
        let words: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        args::try_parse_from(std::iter::once("cross-margin").chain(words))
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let p = bank["advice"]["p_proposed"].as_f64().unwrap();
        assert!(p <= 0.05, "{bank}");
    }

    // Backtest on the bundled prices: every model reported, the verdict stated.
    let bt = json("risk backtest --window 250 --draws 300").await;
    let models = bt["models"].as_array().unwrap();
    assert_eq!(models.len(), 4);
    for m in models {
        assert!(m["days"].as_u64().unwrap() > 700);
        assert!(m["passes"].is_boolean());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn risk_commands_refuse_bad_input_in_one_line() {
    let cases = [
        ("risk var --paths 10", "choose a book"),
        (
            "risk stress --synthetic 10 --shock SOL",
            "is not ASSET=MOVE",
        ),
        ("risk stress --synthetic 10 --shock DOGE=-5%", "no column"),
        ("risk var --synthetic 10 --depth-usd=-5", "--depth-usd"),
        ("risk backtest --level 150", "--level"),
        ("risk advise --synthetic 10 --target 2", "--target"),
        ("risk var --snapshot /no/such/file.json", "reading snapshot"),
    ];
    for (line, expected) in cases {
        let err = match parse(line) {
            Command::Risk(cmd) => cross_margin_cli::risk::run(&cmd, Format::Table, no_cluster)
                .await
                .unwrap_err(),
            other => panic!("{other:?}"),
        };
        let msg = format!("{err:#}");
        assert!(msg.contains(expected), "{line}: {msg}");
    }
}
