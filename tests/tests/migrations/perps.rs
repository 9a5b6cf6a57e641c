//! `[[perps]]` in the bootstrap config: checked offline with the program's own rules,
//! registered after the banks, left alone (and reported) when the chain differs, since the
//! program cannot edit a perp market yet.

use cross_margin::state::{PerpConfig, PerpMarket};
use cross_margin_client::local::pyth::{self, PythPrice};
use cross_margin_client::pda;
use cross_margin_migrations::{bootstrap, check, parse};
use cross_margin_tests::harness::tokens::TOKEN;
use cross_margin_tests::harness::Protocol;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;

/// A group with USDC and SOL banks and a SOL-PERP settled in USDC.
async fn config_text(p: &mut Protocol) -> String {
    let now = p.tc.now().await;
    let usdc = p.tc.create_mint(6, TOKEN).await;
    let sol = p.tc.create_mint(9, TOKEN).await;
    let (usdc_oracle, sol_oracle) = (
        pyth::pull_address(&pyth::feed_id("USDC")),
        pyth::pull_address(&pyth::feed_id("SOL")),
    );
    for (key, label, price) in [(usdc_oracle, "USDC", 1.0), (sol_oracle, "SOL", 100.0)] {
        p.tc.set_account(
            &key,
            pyth::pull_account(
                pyth::feed_id(label),
                PythPrice::usd(price, 0, now),
                VerificationLevel::Full,
            ),
        );
    }
    format!(
        r#"
        group_num = 3
        [[banks]]
        token_index = 0
        mint = "{usdc}"
        oracle = "{usdc_oracle}"
        init_asset_weight_bps = 9000
        maint_asset_weight_bps = 9500
        maint_liab_weight_bps = 10500
        init_liab_weight_bps = 11000
        liquidation_fee_bps = 100
        [[banks]]
        token_index = 1
        mint = "{sol}"
        oracle = "{sol_oracle}"
        [[perps]]
        perp_index = 0
        name = "SOL-PERP"
        oracle = "{sol_oracle}"
        settle_token_index = 0
        base_decimals = 9
        max_open_interest = 100000000000000
        trading_fee_bps = 5
        "#
    )
}

#[tokio::test]
async fn bootstrap_registers_perp_markets_once_and_reports_drift() {
    let mut p = Protocol::new().await;
    let text = config_text(&mut p).await;
    let config = parse(&text).unwrap();
    let first = bootstrap(&mut p, &config).await.unwrap();
    let group = pda::group(&p.admin(), 3);
    let market = pda::perp_market(&group, 0);
    assert!(
        first
            .actions
            .iter()
            .any(|a| a.starts_with(&format!("registered perp 0 (SOL-PERP) at {market}"))),
        "{:?}",
        first.actions
    );
    let m: PerpMarket = p.tc.load(market).await;
    assert_eq!(
        cross_margin_client::perp_markets::stored_config(&m),
        PerpConfig {
            max_open_interest: 100_000_000_000_000,
            trading_fee_bps: 5,
            ..PerpConfig::DEFAULT
        }
    );
    assert_eq!(m.settle_bank, pda::bank(&group, 0));
    assert_eq!(m.base_decimals, 9);

    // Second run: nothing to do.
    let second = bootstrap(&mut p, &config).await.unwrap();
    assert!(second.actions.is_empty(), "{:?}", second.actions);
    assert!(second.warnings.is_empty(), "{:?}", second.warnings);

    // A different config cannot be applied yet: reported, the market left as it is.
    let before = p.tc.account(market).await.unwrap().data;
    let edited = parse(&text.replace("trading_fee_bps = 5", "trading_fee_bps = 7")).unwrap();
    let third = bootstrap(&mut p, &edited).await.unwrap();
    assert!(third.actions.is_empty(), "{:?}", third.actions);
    assert!(
        third.warnings.iter().any(|w| w.contains("perp 0")
            && w.contains("config")
            && w.contains("no perp_market_edit")),
        "{:?}",
        third.warnings
    );
    assert_eq!(p.tc.account(market).await.unwrap().data, before);
}

#[tokio::test]
async fn perp_entries_are_checked_offline() {
    let mut p = Protocol::new().await;
    let text = config_text(&mut p).await;
    let bad = parse(
        &text
            .replace("settle_token_index = 0", "settle_token_index = 4")
            .replace("name = \"SOL-PERP\"", "name = \"A-VERY-LONG-PERP-NAME\"")
            .replace("trading_fee_bps = 5", "liquidation_fee_bps = 5000"),
    )
    .unwrap();
    let problems = check(&bad).unwrap_err().0;
    let has = |s: &str| {
        problems
            .iter()
            .any(|p| p.starts_with("perp 0: ") && p.contains(s))
    };
    assert!(has("must be 1 to 16 bytes"), "{problems:?}");
    assert!(
        has("settle_token_index 4 is not one of the [[banks]]"),
        "{problems:?}"
    );
    assert!(has("Perp config invalid"), "{problems:?}");
    // Required keys, and perp indices used twice.
    let twice =
        format!("{text}\n[[perps]]\nperp_index = 0\nname = \"X\"\nsettle_token_index = 0\n");
    let problems = check(&parse(&twice).unwrap()).unwrap_err().0;
    assert!(
        problems.iter().any(|p| p == "perp 0: oracle is missing"),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("perp_index 0 is also [[perps]] entry 1")),
        "{problems:?}"
    );
    // An unknown key is refused while parsing.
    assert!(parse(&text.replace("trading_fee_bps", "trading_fees_bps")).is_err());
}
