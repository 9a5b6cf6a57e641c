use super::*;

/// The fixture directory, found at run time from cargo's `CARGO_MANIFEST_DIR` so a test
/// binary reused from a shared target directory still reads this checkout's files.
fn fixtures_dir() -> String {
    let manifest = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    format!("{manifest}/../../fixtures/mainnet")
}

/// Account bytes of a `solana account --output json` dump. The fixtures are part of the
/// repository (`fixtures/mainnet`, with their provenance), so a missing file fails the test.
fn fixture(name: &str) -> Vec<u8> {
    use base64::Engine;
    let path = format!("{}/{name}", fixtures_dir());
    let text = std::fs::read_to_string(&path).expect("fixtures/mainnet is part of the repository");
    let json: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    let b64 = json["account"]["data"][0]
        .as_str()
        .expect("data[0] is base64");
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("valid base64")
}

fn sol_feed() -> [u8; 32] {
    pyth_solana_receiver_sdk::price_update::get_feed_id_from_hex(
        "ef0d8b6fda2ceba41da15d4095d1da392a0d2f8ed0c6c7bc0f4cfac8c280b56d",
    )
    .unwrap()
}

fn policy(kind: OracleKind) -> OraclePolicy {
    OraclePolicy {
        kind,
        feed_id: sol_feed(),
        max_staleness_secs: 60,
        max_conf_bps: 200,
    }
}

#[test]
fn mainnet_pull_account_parses_exactly() {
    let data = fixture("pyth-pull-sol-usd.json");
    assert_eq!(data.len(), 134);
    let raw = parse_oracle(OracleKind::PythPull, &data).unwrap();
    assert_eq!(raw.price, 21_568_137_069);
    assert_eq!(raw.conf, 20_134_469);
    assert_eq!(raw.expo, -8);
    assert_eq!(raw.publish_time, 1_735_984_087);
    assert_eq!(raw.feed_id, sol_feed());
    assert!(raw.fully_verified);
    let p = policy(OracleKind::PythPull);
    assert!(validate_price(&raw, &p, raw.publish_time + 10).is_ok());
    assert_eq!(
        validate_price(&raw, &p, raw.publish_time + 3_600).unwrap_err(),
        CrossMarginError::OracleStale.into()
    );
    // It is Pyth's sponsored SOL/USD account, so a bank may use it; the same update under
    // any other key (anyone can post one) may not.
    let key = pubkey!("7UVimffxr9ow1uXYxsr4LHAcV58mLzhmwaeKvJ1pjLiE");
    assert_eq!(sponsored_feed_address(&sol_feed()), key);
    assert!(check_canonical_oracle(&key, &raw, OracleKind::PythPull).is_ok());
    assert_eq!(
        check_canonical_oracle(&Pubkey::new_unique(), &raw, OracleKind::PythPull).unwrap_err(),
        CrossMarginError::OracleNotCanonical.into()
    );
    let mut foreign = raw;
    foreign.write_authority = Pubkey::new_unique();
    assert_eq!(
        check_canonical_oracle(&key, &foreign, OracleKind::PythPull).unwrap_err(),
        CrossMarginError::OracleNotCanonical.into()
    );
    // The same bytes are not a legacy account.
    assert!(parse_oracle(OracleKind::PythLegacy, &data).is_err());
}

#[test]
fn mainnet_legacy_account_parses_and_is_refused_as_not_trading() {
    let data = fixture("pyth-legacy-sol-usd.json");
    assert_eq!(data.len(), 3312);
    let raw = parse_oracle(OracleKind::PythLegacy, &data).unwrap();
    assert_eq!(raw.price, 11_923_378_000);
    assert_eq!(raw.conf, 16_676_631);
    assert_eq!(raw.expo, -8);
    assert!(!raw.trading);
    // Agrees field by field with the Pyth SDK's own reader.
    let sdk = pyth_sdk_solana::state::load_price_account::<32, ()>(&data).unwrap();
    assert_eq!(
        (sdk.agg.price, sdk.agg.conf, sdk.expo, sdk.timestamp),
        (raw.price, raw.conf, raw.expo, raw.publish_time)
    );
    assert_eq!(sdk.agg.status, pyth_sdk_solana::state::PriceStatus::Unknown);
    let p = policy(OracleKind::PythLegacy);
    assert_eq!(
        validate_price(&raw, &p, raw.publish_time).unwrap_err(),
        CrossMarginError::OracleNotTrading.into()
    );
    assert!(parse_oracle(OracleKind::PythPull, &data).is_err());
}

fn good() -> RawPrice {
    RawPrice {
        price: 100_000_000,
        conf: 100_000,
        expo: -8,
        publish_time: 1_000,
        trading: true,
        feed_id: sol_feed(),
        fully_verified: true,
        write_authority: Pubkey::default(),
    }
}

#[test]
fn policy_rejections_are_named() {
    let p = policy(OracleKind::PythPull);
    assert!(validate_price(&good(), &p, 1_060).is_ok());
    type Case = (fn(&mut RawPrice), CrossMarginError);
    let cases: [Case; 8] = [
        (|r| r.price = 0, CrossMarginError::OraclePriceInvalid),
        (|r| r.price = -1, CrossMarginError::OraclePriceInvalid),
        (|r| r.expo = -40, CrossMarginError::OraclePriceInvalid),
        (|r| r.expo = i32::MAX, CrossMarginError::OraclePriceInvalid),
        (|r| r.trading = false, CrossMarginError::OracleNotTrading),
        (
            |r| r.feed_id = [7; 32],
            CrossMarginError::OracleFeedMismatch,
        ),
        (
            |r| r.fully_verified = false,
            CrossMarginError::OracleNotVerified,
        ),
        (
            |r| r.conf = 2_000_001,
            CrossMarginError::OracleConfidenceTooWide,
        ),
    ];
    for (mutate, expected) in cases {
        let mut r = good();
        mutate(&mut r);
        assert_eq!(validate_price(&r, &p, 1_000).unwrap_err(), expected.into());
    }
    assert_eq!(
        validate_price(&good(), &p, 1_061).unwrap_err(),
        CrossMarginError::OracleStale.into()
    );
}

#[test]
fn garbage_never_panics() {
    for len in [0usize, 1, 7, 8, 100, 134, 239, 240, 3312] {
        for fill in [0u8, 0xff, 0x5a] {
            let data = vec![fill; len];
            let _ = parse_oracle(OracleKind::PythLegacy, &data);
            let _ = parse_oracle(OracleKind::PythPull, &data);
        }
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The policy accepts exactly the prices it documents, for any input, without panics:
        /// Trading, positive, exponent in range, age ≤ max, conf/price ≤ max_conf_bps.
        #[test]
        fn validate_price_matches_its_definition(
            price: i64, conf: u64, expo in -40i32..40, publish_time: i64, now: i64,
            max_staleness_secs in 1u64..86_400, max_conf_bps in 1u32..=10_000, trading: bool,
        ) {
            let raw = RawPrice { price, conf, expo, publish_time, trading, feed_id: sol_feed(), fully_verified: true, write_authority: Pubkey::default() };
            let policy = OraclePolicy { kind: OracleKind::PythPull, feed_id: sol_feed(), max_staleness_secs, max_conf_bps };
            let accepted = validate_price(&raw, &policy, now).is_ok();
            let fresh = now.saturating_sub(publish_time) <= max_staleness_secs as i64;
            let tight = price > 0 && (conf as u128) * 10_000 <= (price as u128) * max_conf_bps as u128;
            let expected = trading && price > 0 && (-18..=12).contains(&expo) && fresh && tight;
            prop_assert_eq!(accepted, expected);
        }
    }
}
