use super::*;

#[test]
fn bundled_file_is_the_documented_one() {
    let h = PriceHistory::default_2020_2022();
    assert_eq!(h.assets, ["SOL", "ETH", "BTC", "USDC", "USDT"]);
    assert_eq!(h.n_days(), 996);
    assert_eq!(h.dates[0], "2020-04-10");
    assert_eq!(h.dates[995], "2022-12-31");
    // FTX collapse as the data README quotes it.
    let sol = h.asset_index("SOL").unwrap();
    let d7 = h.day_index("2022-11-07").unwrap();
    let d9 = h.day_index("2022-11-09").unwrap();
    assert_eq!(d9, d7 + 2);
    assert!((h.close(d7, sol) - 29.60).abs() < 0.01);
    assert!((h.close(d9, sol) - 13.94).abs() < 0.01);
    assert_eq!(h.day_index("2019-01-01"), None);
}

#[test]
fn log_returns_and_windows() {
    let h =
        PriceHistory::from_csv("date,A,B\n2024-01-01,100,1\n2024-01-02,110,2\n2024-01-03,99,1\n")
            .unwrap();
    let r = h.log_returns();
    assert_eq!(r.n_days(), 2);
    assert_eq!(r.dates, ["2024-01-02", "2024-01-03"]);
    assert!((r.get(0, 0) - 1.1f64.ln()).abs() < 1e-15);
    assert!((r.get(1, 0) - 0.9f64.ln()).abs() < 1e-15);
    assert!((r.get(0, 1) - 2f64.ln()).abs() < 1e-15);
    assert_eq!(r.column(1), vec![2f64.ln(), 0.5f64.ln()]);
    let w = r.window(1, 9);
    assert_eq!(w.n_days(), 1);
    assert_eq!(w.day(0), r.day(1));
    assert_eq!(w.dates, ["2024-01-03"]);
    let hw = h.window(1, 3);
    assert_eq!(hw.dates, ["2024-01-02", "2024-01-03"]);
    assert_eq!(hw.day(0), [110.0, 2.0]);
    assert_eq!(
        Returns::new(vec!["A".into(), "B".into()], vec![1.0; 3]),
        None
    );
}

#[test]
fn tolerates_crlf_blank_lines_and_spaces() {
    let h =
        PriceHistory::from_csv("date, A ,B\r\n\r\n2024-01-01, 1.5 ,2\r\n2024-01-02,1,2e1\r\n\n")
            .unwrap();
    assert_eq!(h.assets, ["A", "B"]);
    assert_eq!(h.day(1), [1.0, 20.0]);
    let bom = PriceHistory::from_csv("\u{feff}date,A\n2024-01-01,1\n").unwrap();
    assert_eq!(bom.assets, ["A"]);
}

#[test]
fn bad_files_are_named_errors() {
    let e = |t: &str| PriceHistory::from_csv(t).unwrap_err();
    assert_eq!(e(""), HistoryError::Empty);
    assert_eq!(e("\n  \n"), HistoryError::Empty);
    assert!(matches!(e("day,A\n"), HistoryError::BadHeader(_)));
    assert!(matches!(
        e("date\n2024-01-01\n"),
        HistoryError::BadHeader(_)
    ));
    assert!(matches!(e("date,A,,B\n"), HistoryError::BadHeader(_)));
    assert_eq!(e("date,A,A\n"), HistoryError::DuplicateAsset("A".into()));
    assert_eq!(e("date,A\n"), HistoryError::NoRows);
    assert_eq!(
        e("date,A,B\n2024-01-01,1,2\n2024-01-02,1\n"),
        HistoryError::ColumnCount {
            line: 3,
            expected: 3,
            found: 2
        }
    );
    assert_eq!(
        e("date,A\n01/02/2024,1\n"),
        HistoryError::BadDate {
            line: 2,
            text: "01/02/2024".into()
        }
    );
    assert!(matches!(
        e("date,A\n2024-13-01,1\n"),
        HistoryError::BadDate { line: 2, .. }
    ));
    for bad in ["0", "-1", "abc", "", "NaN", "inf"] {
        assert_eq!(
            e(&format!("date,A,B\n2024-01-01,1,{bad}\n")),
            HistoryError::BadPrice {
                line: 2,
                column: 3,
                asset: "B".into(),
                text: bad.into()
            },
            "{bad}"
        );
    }
    assert_eq!(
        e("date,A\n2024-01-02,1\n\n2024-01-02,1\n"),
        HistoryError::DatesNotAscending {
            line: 4,
            date: "2024-01-02".into(),
            previous: "2024-01-02".into()
        }
    );
    // Messages say where and what to do.
    let msg = e("date,A\n2024-01-02,1\n2024-01-01,1\n").to_string();
    assert!(msg.contains("line 3") && msg.contains("sort"), "{msg}");
    let msg = e("date,A\n2024-01-02,x\n").to_string();
    assert!(msg.contains("line 2 column 2 (A)"), "{msg}");
}

#[test]
fn arbitrary_text_never_panics() {
    use proptest::prelude::*;
    proptest!(|(text in "[date,AB0-9.\\-\n\r ]{0,80}")| {
        let _ = PriceHistory::from_csv(&text);
    });
}
