//! `cross-margin demo` end to end with a few borrowers: the keeper keeps up, the breaker
//! trips on the gap, bad debt is split into insured and socialised exactly as the program
//! resolved it, SOL-PERP's positions are liquidated too (an isolated one without touching
//! its owner's other account), the printed report and its JSON agree, and both charts are
//! real charts.

use cross_margin_cli::args::DemoArgs;
use cross_margin_cli::demo::{self, chart, Demo};
use cross_margin_cli::output::Format;
use std::path::{Path, PathBuf};

/// 16 borrowers: enough for bankruptcies whose debt is partly insured and partly
/// socialised, few enough to run in seconds.
const USERS: usize = 16;

fn args(out: PathBuf) -> DemoArgs {
    DemoArgs {
        users: USERS,
        out,
        seed: 7,
        quiet: true,
    }
}

/// A fresh directory for one test's charts.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cross-margin-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The table's cells of the step row `step`, keyed by header.
fn table_row(table: &str, step: usize) -> Vec<(String, String)> {
    let mut lines = table.lines();
    let headers = lines.next().unwrap();
    // Headers are right-aligned over their columns and contain spaces ("SOL $"), so cut
    // the row at the column boundaries the dashes underline.
    let dashes = lines.next().unwrap();
    let mut bounds = vec![];
    let mut start = None;
    for (i, c) in dashes.char_indices().chain([(dashes.len(), ' ')]) {
        match (c, start) {
            ('-', None) => start = Some(i),
            (' ', Some(s)) => {
                bounds.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let row = lines
        .find(|l| l.split_whitespace().next() == Some(step.to_string().as_str()))
        .unwrap();
    let cell = |line: &str, (s, e): (usize, usize)| {
        let chars: Vec<char> = line.chars().collect();
        let end = if e == bounds.last().unwrap().1 {
            chars.len()
        } else {
            e
        };
        chars[s.min(chars.len())..end.min(chars.len())]
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    };
    bounds
        .iter()
        .map(|b| (cell(headers, *b), cell(row, *b)))
        .collect()
}

fn number(cells: &[(String, String)], header: &str) -> f64 {
    cells
        .iter()
        .find(|(h, _)| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {cells:?}"))
        .1
        .parse()
        .unwrap()
}

fn check_steps(demo: &Demo, table: &str) {
    let steps = &demo.steps;
    assert_eq!(steps.len(), demo::CRASH_PATH.len());
    assert!(
        steps.iter().all(|s| s.left_unhealthy == 0),
        "the keeper clears every step\n{table}"
    );
    assert!(steps.last().unwrap().liquidations > 0, "{table}");
    assert_eq!(table.lines().count(), steps.len() + 2, "{table}");
    // The breaker: SOL's oracle gaps to 45 while its stable price still sits near 100, so
    // SOL's breaker trips on that step (not before: the slide to 72 stays inside its 30 %
    // band) and the table says so.
    let gap = demo::CRASH_PATH
        .iter()
        .position(|&(sol, _)| sol == 45.0)
        .unwrap();
    assert_eq!(demo::price_gap(steps), Some((gap, 72.0, 45.0)));
    assert!(steps[..gap].iter().all(|s| s.tripped.is_empty()), "{table}");
    assert_eq!(steps[gap].tripped, vec!["SOL"], "{table}");
    assert!(steps[gap].breakers.starts_with("SOL trips"), "{table}");
    assert!(table.contains("SOL trips"), "{table}");
}

/// Insured + socialised (+ unrecoverable) is the written-off debt: per bankruptcy in
/// native units (each part read independently from chain state), and per step in dollars.
fn check_bad_debt(demo: &Demo, table: &str) {
    let last = demo.steps.last().unwrap();
    assert_eq!(demo.write_offs.len() as u64, last.bankruptcies, "{table}");
    let d = last.bad_debt;
    assert!(
        d.insured > 0.0 && d.socialised > 0.0,
        "both parts occur: {d:?}"
    );
    for w in &demo.write_offs {
        let r = &w.resolution;
        assert!(r.debt > 0, "{w:?}");
        assert_eq!(r.unexplained(), 0, "the parts make up the debt: {w:?}");
    }
    // The USDC bank's insurance vault holds the admin's deposit, so USDC debt is insured
    // first; the ETH bank's fund starts empty, so ETH bad debt beyond its fees is
    // socialised to ETH depositors.
    let vault_paid: u64 = demo
        .write_offs
        .iter()
        .filter(|w| w.token == "USDC")
        .map(|w| w.resolution.from_insurance_vault)
        .sum();
    assert!(vault_paid > 0, "{:?}", demo.write_offs);
    for s in &demo.steps {
        let b = s.bad_debt;
        let parts = b.insured + b.socialised + b.unrecoverable;
        assert!((parts - b.total).abs() < 1e-6, "step {}: {b:?}", s.step);
        let row = table_row(table, s.step);
        assert!(
            (number(&row, "bad debt $") - b.total).abs() < 0.006,
            "{row:?}"
        );
        assert!(
            (number(&row, "insured $") - b.insured).abs() < 0.006,
            "{row:?}"
        );
        assert!(
            (number(&row, "socialised $") - b.socialised).abs() < 0.006,
            "{row:?}"
        );
    }
    // What the vaults paid came out of the fund (which fee sweeps may have topped up).
    let paid_from_vaults: f64 = demo
        .write_offs
        .iter()
        .map(|w| w.usd(w.resolution.from_insurance_vault))
        .sum();
    assert!(
        last.insurance + paid_from_vaults >= 2_000.0 - 0.01 && last.insurance < 2_000.0,
        "fund {} after paying {paid_from_vaults}",
        last.insurance
    );
}

/// SOL-PERP: perps are liquidated in the crash, the pool is valued every step, the hedged
/// account rides it out and the isolated long is liquidated without touching its owner's
/// trading account.
fn check_perps(demo: &Demo, table: &str) {
    let p = &demo.perps;
    let last = demo.steps.last().unwrap();
    assert!(p.liquidations > 0, "{p:?}\n{table}");
    assert_eq!(last.perp_liquidations, p.liquidations);
    assert!(
        last.liquidations >= p.liquidations,
        "perp liquidations are counted in liqs"
    );
    assert!(p.isolated_liquidated, "{p:?}");
    assert!(
        p.operator_unchanged,
        "the isolated position's main account changed: {p:?}"
    );
    assert!(
        p.isolated_usdc_end <= 0.0,
        "the isolated collateral paid the loss: {p:?}"
    );
    assert!(!p.hedged_liquidated && p.hedged_maint_end > 0.0, "{p:?}");
    // The pool is valued at every step, near its deposit (it earns fees and the
    // liquidated longs' losses, pays the shorts' profits).
    assert!(p.pool_start > 249_000.0 && p.pool_end > 240_000.0, "{p:?}");
    for s in &demo.steps {
        let row = table_row(table, s.step);
        assert!(
            (number(&row, "pool $") - s.pool_value).abs() < 0.51,
            "{row:?}"
        );
        assert_eq!(number(&row, "perp liqs"), s.perp_liquidations as f64);
    }
    assert!(
        demo.steps
            .windows(2)
            .any(|w| w[1].perp_liquidations > w[0].perp_liquidations),
        "{table}"
    );
}

fn check_text(demo: &Demo, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    // Two lines of introduction, a blank line, then the table.
    assert!(
        lines[0].starts_with(&format!("Who: {USERS} borrowers")),
        "{text}"
    );
    assert!(
        lines[1].starts_with("Insurance fund: $2,000 of USDC"),
        "{text}"
    );
    assert!(
        lines[2].is_empty() && lines[3].starts_with("step"),
        "{text}"
    );
    // Every column is defined.
    let columns = text.split("\nColumns:\n").nth(1).unwrap();
    for (header, _) in demo::columns(false) {
        assert!(
            columns.lines().any(|l| l.trim_start().starts_with(header)),
            "{header} undefined in {text}"
        );
    }
    let summary = text.split("\nSummary:\n").nth(1).unwrap();
    let d = demo.steps.last().unwrap().bad_debt;
    assert!(
        summary.contains(&format!(
            "{} written off = {} insured",
            chart::dollars(d.total, 2),
            chart::dollars(d.insured, 2)
        )),
        "{summary}"
    );
    assert!(
        summary.contains("gapping 37.5 % from $72 to $45 at step 5"),
        "{summary}"
    );
    assert!(
        summary.contains("no borrower was left liquidatable"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(
            "Perps: {} perp liquidations",
            demo.perps.liquidations
        )) && summary.contains("byte-for-byte unchanged"),
        "{summary}"
    );
    assert!(
        text.ends_with(&format!(
            "Charts: {} and {}\n",
            demo.charts.svg.display(),
            demo.charts.png.display()
        )),
        "{text}"
    );
}

fn check_json(demo: &Demo, table: &str) {
    let json: serde_json::Value =
        serde_json::from_str(&demo::render_as(demo, Format::Json)).unwrap();
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), demo.steps.len());
    let summary = &json["summary"];
    let last = demo.steps.len() - 1;
    let row = table_row(table, last);
    assert_eq!(summary["users"], USERS);
    assert_eq!(summary["liquidations"].as_f64(), Some(number(&row, "liqs")));
    assert_eq!(
        summary["bankruptcies"].as_f64(),
        Some(number(&row, "bankrupt"))
    );
    assert_eq!(
        summary["insurance_fund_end_usd"].as_f64(),
        Some(number(&row, "fund $"))
    );
    let debt = &summary["bad_debt_usd"];
    assert_eq!(debt["total"].as_f64(), Some(number(&row, "bad debt $")));
    assert_eq!(debt["insured"].as_f64(), Some(number(&row, "insured $")));
    assert_eq!(
        debt["socialised"].as_f64(),
        Some(number(&row, "socialised $"))
    );
    assert_eq!(summary["steps_left_unhealthy"], 0);
    assert_eq!(
        summary["perps"]["perp_liquidations"].as_u64(),
        Some(demo.perps.liquidations)
    );
    assert_eq!(summary["perps"]["isolated_owner_account_unchanged"], true);
    let pool = steps[last]["pool_value_usd"].as_f64().unwrap();
    assert!((pool - number(&row, "pool $")).abs() < 0.51, "{pool}");
    assert_eq!(summary["price_gap"]["step"], 5);
    assert_eq!(summary["breakers_tripped_at_end"][0], "SOL");
    for (i, s) in steps.iter().enumerate() {
        let row = table_row(table, i);
        assert_eq!(s["unhealthy"].as_f64(), Some(number(&row, "unhealthy")));
        assert_eq!(
            s["bad_debt_usd"]["total"].as_f64(),
            Some(number(&row, "bad debt $"))
        );
    }
    let bankruptcies = json["bankruptcies"].as_array().unwrap();
    assert_eq!(bankruptcies.len(), demo.write_offs.len());
    for b in bankruptcies {
        let n = &b["native"];
        let sum = [
            "from_insurance_vault",
            "fees_forgone",
            "socialised",
            "unrecoverable",
        ]
        .iter()
        .map(|k| n[k].as_u64().unwrap())
        .sum::<u64>();
        assert_eq!(Some(sum), n["debt"].as_u64(), "{b}");
    }
    assert_eq!(json["introduction"].as_array().unwrap().len(), 2);
    assert_eq!(
        json["charts"]["png"].as_str().map(Path::new),
        Some(demo.charts.png.as_path())
    );
}

fn check_svg(path: &Path) {
    let svg = std::fs::read_to_string(path).unwrap();
    assert!(
        svg.starts_with("<?xml") && svg.contains("<svg"),
        "an SVG document"
    );
    for text in [
        // Legends.
        "Σ maint health of all borrowers",
        "bad debt insured: paid by the insurance",
        "bad debt socialised: borne by the",
        "insurance fund: all banks",
        "liquidations by the keeper, cumulative",
        // Axis titles.
        "maint health ($)",
        "count (borrowers, transactions)",
        ">dollars<",
        "step (5 minutes apart) and SOL",
        // The gap.
        "gap: SOL $72 → $45",
        "stroke-dasharray",
    ] {
        assert!(svg.contains(text), "{text} missing from the SVG");
    }
    for css in ["style=", "<style", "dy=", "dominant-baseline"] {
        assert!(!svg.contains(css), "{css} in the SVG");
    }
    assert!(svg.contains(r#"font-family="DejaVu Sans,"#));
}

fn check_png(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let decoder = chart::png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (chart::WIDTH, chart::HEIGHT));
    assert_eq!(info.color_type, chart::png::ColorType::Rgb);
    let pixels: Vec<[u8; 3]> = buf[..info.buffer_size()]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let ink = pixels.iter().filter(|p| **p != [255, 255, 255]).count();
    let share = ink as f64 / pixels.len() as f64;
    assert!(
        (0.03..0.6).contains(&share),
        "{share} of the pixels are drawn"
    );
    let colours: std::collections::BTreeSet<[u8; 3]> = pixels.iter().copied().collect();
    assert!(colours.len() > 100, "anti-aliased lines and text");
    // The stacked bad-debt bars in their legend colours.
    for c in [chart::INSURED, chart::SOCIALISED, chart::FUND] {
        assert!(colours.contains(&[c.0, c.1, c.2]), "{c:?} not drawn");
    }
}

#[tokio::test]
async fn the_demo_reports_splits_and_charts_its_run() {
    let dir = scratch("demo");
    let out = dir.join("demo-chart.svg");
    let demo = demo::run(&args(out.clone())).await.unwrap();
    assert_eq!(demo.charts.svg, out);
    assert_eq!(demo.charts.png, dir.join("demo-chart.png"));
    let table = demo::table(&demo);
    check_steps(&demo, &table);
    check_bad_debt(&demo, &table);
    check_perps(&demo, &table);
    check_text(&demo, &demo::render_as(&demo, Format::Table));
    check_json(&demo, &table);
    check_svg(&demo.charts.svg);
    check_png(&demo.charts.png);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn bad_demo_arguments_fail_at_once_in_one_line() {
    let dir = scratch("demo-args");
    let missing = dir.join("no-such-dir").join("chart.svg");
    let err = demo::run(&args(missing)).await.unwrap_err().to_string();
    assert!(
        err.contains("does not exist") && !err.contains('\n'),
        "{err}"
    );
    let err = demo::run(&args(dir.clone())).await.unwrap_err().to_string();
    assert!(err.contains("is a directory"), "{err}");
    let mut none = args(dir.join("chart.svg"));
    none.users = 0;
    let err = demo::run(&none).await.unwrap_err().to_string();
    assert!(err.contains("at least one borrower"), "{err}");
    // Nothing was written.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let _ = std::fs::remove_dir_all(dir);
}
