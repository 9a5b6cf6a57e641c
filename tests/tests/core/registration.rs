use cross_margin::error::CrossMarginError as E;
use cross_margin::state::{BankConfig, OracleKind};
use cross_margin_client::builders;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::tokens::TOKEN;
use cross_margin_tests::harness::{assert_err, Protocol};
use solana_keypair::Keypair;
use solana_signer::Signer;

#[tokio::test]
async fn a_registered_bank_has_the_documented_state() {
    let mut p = Protocol::new().await;
    let b = p.add_bank(9, 150.0, default_config()).await;
    let bank = p.bank_state(b).await;
    let s = &p.banks[b];
    assert_eq!(
        (bank.mint, bank.vault, bank.insurance_vault, bank.oracle),
        (s.mint, s.vault, s.insurance_vault, s.oracle)
    );
    assert_eq!(
        (bank.group, bank.decimals, bank.token_index),
        (p.group, 9, 0)
    );
    assert_eq!(bank.oracle_feed_id, s.feed_id);
    assert_eq!(bank.deposit_index.get(), 1);
    assert_eq!(bank.config().unwrap(), default_config());
    assert_eq!(p.tc.token_balance(s.insurance_vault).await, 0);
    let vault = p.tc.account(s.vault).await.unwrap();
    assert_eq!(vault.owner, TOKEN);
}

#[tokio::test]
async fn only_the_admin_registers_and_edits() {
    let mut p = Protocol::new().await;
    let b = p.add_bank(6, 1.0, default_config()).await;
    let stranger = Keypair::new();
    let payer = p.admin();
    let fund =
        solana_system_interface::instruction::transfer(&payer, &stranger.pubkey(), 1_000_000_000);
    p.tc.send(&[fund], &[]).await.unwrap();
    let mint = p.tc.create_mint(6, TOKEN).await;
    let oracle = p.banks[b].oracle;
    let ix = builders::bank_register(
        &stranger.pubkey(),
        &p.group,
        &mint,
        &TOKEN,
        &oracle,
        7,
        default_config(),
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[&stranger]).await, E::NotAdmin);
    let bank = p.banks[b].bank;
    let ix = builders::bank_edit(
        &stranger.pubkey(),
        &p.group,
        &bank,
        &oracle,
        default_config(),
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[&stranger]).await, E::NotAdmin);
    // The admin's edit applies.
    let config = BankConfig {
        init_asset_weight_bps: 5_000,
        ..default_config()
    };
    let admin = p.admin();
    let ix = builders::bank_edit(
        &admin,
        &p.group,
        &bank,
        &oracle,
        config,
        &p.other_banks(None),
    );
    p.step(&[ix], &[]).await.unwrap();
    assert_eq!(p.bank_state(b).await.init_asset_weight_bps, 5_000);
    // Invalid values are refused on edit as on register.
    let bad = BankConfig {
        init_liab_weight_bps: 9_000,
        ..default_config()
    };
    let ix = builders::bank_edit(&admin, &p.group, &bank, &oracle, bad, &p.other_banks(None));
    assert_err(p.step(&[ix], &[]).await, E::InvalidWeights);
}

#[tokio::test]
async fn inconsistent_parameters_are_refused() {
    let mut p = Protocol::new().await;
    let cases = [
        (
            BankConfig {
                init_asset_weight_bps: 9_500,
                ..default_config()
            },
            E::InvalidWeights,
        ),
        (
            BankConfig {
                maint_asset_weight_bps: 10_500,
                ..default_config()
            },
            E::InvalidWeights,
        ),
        (
            BankConfig {
                init_liab_weight_bps: 10_500,
                ..default_config()
            },
            E::InvalidWeights,
        ),
        (
            BankConfig {
                maint_liab_weight_bps: 9_900,
                ..default_config()
            },
            E::InvalidWeights,
        ),
        (
            BankConfig {
                max_staleness_secs: 0,
                ..default_config()
            },
            E::InvalidOracleConfig,
        ),
        (
            BankConfig {
                max_conf_bps: 0,
                ..default_config()
            },
            E::InvalidOracleConfig,
        ),
        (
            BankConfig {
                util0_bps: 9_000,
                ..default_config()
            },
            E::InvalidInterestCurve,
        ),
        (
            BankConfig {
                liquidation_fee_bps: 6_000,
                ..default_config()
            },
            E::InvalidFees,
        ),
    ];
    for (config, expected) in cases {
        assert_err(
            p.add_bank_with(6, TOKEN, 1.0, config).await.map(|_| ()),
            expected,
        );
    }
    assert!(p.banks.is_empty());
}

#[tokio::test]
async fn a_token_index_cannot_be_reused() {
    let mut p = Protocol::new().await;
    let b = p.add_bank(6, 1.0, default_config()).await;
    let mint = p.tc.create_mint(6, TOKEN).await;
    let admin = p.admin();
    let oracle = p.banks[b].oracle;
    let ix = builders::bank_register(
        &admin,
        &p.group,
        &mint,
        &TOKEN,
        &oracle,
        0,
        default_config(),
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[]).await, E::TokenIndexInUse);
}

#[tokio::test]
async fn oracle_of_the_wrong_kind_or_owner_is_refused() {
    let mut p = Protocol::new().await;
    let b = p.add_bank(6, 1.0, default_config()).await;
    // The pull account registered as a legacy oracle: wrong owner for that kind.
    let oracle = p.banks[b].oracle;
    let mint = p.tc.create_mint(6, TOKEN).await;
    let admin = p.admin();
    let config = BankConfig {
        oracle_kind: OracleKind::PythLegacy,
        ..default_config()
    };
    let ix = builders::bank_register(
        &admin,
        &p.group,
        &mint,
        &TOKEN,
        &oracle,
        1,
        config,
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[]).await, E::OracleWrongOwner);
    // A system account as the oracle.
    let ix = builders::bank_register(
        &admin,
        &p.group,
        &mint,
        &TOKEN,
        &admin,
        1,
        default_config(),
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[]).await, E::OracleWrongOwner);
}

#[tokio::test]
async fn decimals_above_18_are_refused_and_18_is_fine() {
    let mut p = Protocol::new().await;
    p.add_bank(18, 0.000001, default_config()).await;
    let mint = p.tc.create_mint(19, TOKEN).await;
    let r = p
        .register(mint, 19, TOKEN, default_config(), Some(1.0), None)
        .await;
    assert_err(r.map(|_| ()), E::MintDecimalsTooLarge);
}
