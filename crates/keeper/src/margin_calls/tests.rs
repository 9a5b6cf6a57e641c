use super::*;
use cross_margin::health::{OraclePrice, TokenRisk, Weights};

const USD: i64 = 1_000_000;

/// $1 tokens with 6 decimals (one native unit = one quote-native unit): maint weights 1,
/// init 0.9 on assets and 1.1 on liabilities.
fn risk(token_index: u16) -> TokenRisk {
    TokenRisk::new(
        token_index,
        I80F48::ONE,
        I80F48::ONE,
        6,
        &Weights {
            init_asset_bps: 9_000,
            maint_asset_bps: 10_000,
            maint_liab_bps: 10_000,
            init_liab_bps: 11_000,
        },
        &OraclePrice {
            price: USD,
            conf: 0,
            expo: -6,
            publish_time: 0,
        },
        None,
    )
    .unwrap()
}

/// An account with `deposit` native units of token 0 and `borrow` of token 1.
fn cache(deposit: i64, borrow: i64) -> HealthCache {
    let mut c = HealthCache::default();
    c.push(risk(0), I80F48::from_num(deposit)).unwrap();
    if borrow > 0 {
        c.push(risk(1), I80F48::from_num(-borrow)).unwrap();
    }
    c
}

fn account(being_liquidated: bool) -> MarginAccount {
    let mut a: MarginAccount = bytemuck::Zeroable::zeroed();
    a.owner = Pubkey::new_from_array([7; 32]);
    a.account_num = 3;
    a.being_liquidated = u8::from(being_liquidated);
    a
}

fn tenth() -> Fraction {
    "0.1".parse().unwrap()
}

fn key(n: u8) -> Pubkey {
    Pubkey::new_from_array([n; 32])
}

#[test]
fn exactly_at_the_fraction_is_a_margin_call_one_unit_more_is_not() {
    // $100 of deposits, $90 owed: maint health $10 = 0.1 × maint assets.
    let at = assess(
        key(1),
        &account(false),
        &cache(100 * USD, 90 * USD),
        tenth(),
    )
    .unwrap();
    assert_eq!(at.maint_health, I80F48::from_num(10 * USD));
    assert_eq!(at.maint_assets, I80F48::from_num(100 * USD));
    // Init weights round the debt up (never flattering the account): within a unit.
    assert!((at.init_health - I80F48::from_num(-9 * USD)).abs() < I80F48::ONE);
    assert_eq!((at.owner, at.account_num), (key(7), 3));
    assert!(at.ratio <= I80F48::from_num(0.1) && at.ratio > I80F48::from_num(0.0999));
    // One native unit less debt: maint health 10.000001 > 0.1 × 100.
    assert_eq!(
        assess(
            key(1),
            &account(false),
            &cache(100 * USD, 90 * USD - 1),
            tenth()
        ),
        None
    );
}

#[test]
fn zero_maint_health_is_a_margin_call_liquidatable_accounts_are_not() {
    let zero = assess(
        key(1),
        &account(false),
        &cache(100 * USD, 100 * USD),
        tenth(),
    )
    .unwrap();
    assert_eq!(
        (zero.maint_health, zero.ratio),
        (I80F48::ZERO, I80F48::ZERO)
    );
    assert_eq!(
        assess(
            key(1),
            &account(false),
            &cache(100 * USD, 100 * USD + 1),
            tenth()
        ),
        None,
        "maint health < 0: liquidatable"
    );
    // Maint $5 but init < 0 while a liquidation is in progress: still liquidatable.
    let c = cache(100 * USD, 95 * USD);
    assert!(assess(key(1), &account(false), &c, tenth()).is_some());
    assert_eq!(assess(key(1), &account(true), &c, tenth()), None);
}

#[test]
fn accounts_without_debt_or_deposits_are_never_on_margin_call() {
    let all: Fraction = "1".parse().unwrap();
    assert_eq!(
        assess(key(1), &account(false), &cache(100 * USD, 0), all),
        None
    );
    assert_eq!(assess(key(1), &account(false), &cache(0, 0), all), None);
    assert!(assess(key(1), &account(false), &cache(100 * USD, USD), all).is_some());
}

#[test]
fn the_watchlist_is_most_urgent_first_bounded_and_counts_everyone() {
    let mut t = Tracker::default();
    let f = tenth();
    // Ratios 0.08 (keys 4 and 2: a tie, by address), 0.02, 0.05, and one safe account.
    for (n, debt) in [(4, 92), (1, 98), (3, 95), (2, 92), (5, 50)] {
        t.observe(
            key(n),
            &account(false),
            Some(&cache(100 * USD, debt * USD)),
            f,
        );
    }
    let list = t.watchlist(7, 1_000, f, 10);
    let order: Vec<Pubkey> = list.accounts.iter().map(|c| c.account).collect();
    assert_eq!(order, [key(1), key(3), key(2), key(4)]);
    assert_eq!((list.tick, list.unix_time, list.count), (7, 1_000, 4));
    assert_eq!(list.min_ratio, Some(list.accounts[0].ratio));

    let short = t.watchlist(7, 1_000, f, 1);
    assert_eq!((short.count, short.accounts.len()), (4, 1));
    assert_eq!(short.accounts[0].account, key(1));
    assert_eq!(short.min_ratio, list.min_ratio);

    // Repaid, liquidated, or unreadable: off the list.
    t.observe(
        key(1),
        &account(false),
        Some(&cache(100 * USD, 10 * USD)),
        f,
    );
    t.observe(
        key(3),
        &account(false),
        Some(&cache(100 * USD, 101 * USD)),
        f,
    );
    t.observe(key(2), &account(false), None, f);
    t.retain(|k| *k != key(4));
    let empty = t.watchlist(8, 1_005, f, 10);
    assert_eq!((empty.count, empty.min_ratio), (0, None));
    assert!(empty.accounts.is_empty());
}

#[test]
fn fractions_parse_exactly_and_bad_ones_say_what_to_write() {
    for (s, ppm) in [
        ("0.1", 100_000),
        (".05", 50_000),
        ("1", 1_000_000),
        ("1.0", 1_000_000),
        ("0", 0),
        (" 0.000001 ", 1),
        ("0.25", 250_000),
    ] {
        assert_eq!(s.parse::<Fraction>().map(Fraction::ppm), Ok(ppm), "{s}");
    }
    for s in [
        "1.5",
        "2",
        "-0.1",
        "abc",
        "",
        ".",
        "0.1234567",
        "1e-2",
        "0.1.2",
        "99999999999",
    ] {
        let e = s.parse::<Fraction>().unwrap_err();
        assert!(e.contains("between 0 and 1"), "{s}: {e}");
    }
    assert_eq!(Fraction::DEFAULT.to_string(), "0.1");
    assert_eq!("0.250".parse::<Fraction>().unwrap().to_string(), "0.25");
    assert_eq!("1".parse::<Fraction>().unwrap().to_string(), "1");
    assert_eq!(Fraction::from_ppm(1_000_001), None);
}

#[test]
fn the_json_document_and_the_gauges() {
    let mut t = Tracker::default();
    let f = tenth();
    t.observe(
        key(1),
        &account(false),
        Some(&cache(100 * USD, 95 * USD)),
        f,
    );
    t.observe(
        key(2),
        &account(false),
        Some(&cache(100 * USD, 98 * USD)),
        f,
    );
    let list = t.watchlist(3, 1_700, f, 1);
    let doc: serde_json::Value = serde_json::from_str(&list.to_json()).unwrap();
    assert_eq!(doc["tick"], 3);
    assert_eq!(doc["unix_time"], 1_700);
    assert_eq!(doc["fraction"], 0.1);
    assert_eq!(
        (doc["count"].as_u64(), doc["truncated"].as_bool()),
        (Some(2), Some(true))
    );
    let first = &doc["accounts"][0];
    assert_eq!(first["account"], key(2).to_string());
    assert_eq!(first["owner"], key(7).to_string());
    assert_eq!(first["account_num"], 3);
    assert_eq!(first["maint_health"], 2.0);
    assert_eq!(first["maint_assets"], 100.0);
    assert!((first["init_health"].as_f64().unwrap() + 17.8).abs() < 1e-9);
    assert!((first["ratio"].as_f64().unwrap() - 0.02).abs() < 1e-9);
    assert_eq!(doc["accounts"].as_array().unwrap().len(), 1);

    let mut out = String::new();
    Watchlist::render_metrics(Some(&list), &mut out);
    assert!(
        out.contains("# TYPE keeper_margin_call_accounts gauge\nkeeper_margin_call_accounts 2\n"),
        "{out}"
    );
    let min = out
        .lines()
        .find_map(|l| l.strip_prefix("keeper_margin_call_min_ratio "))
        .unwrap();
    assert!((min.parse::<f64>().unwrap() - 0.02).abs() < 1e-9, "{out}");
    let mut none = String::new();
    Watchlist::render_metrics(None, &mut none);
    assert!(none.contains("keeper_margin_call_accounts 0\n"));
    assert!(
        !none.contains("keeper_margin_call_min_ratio 0"),
        "no sample without accounts"
    );
}
