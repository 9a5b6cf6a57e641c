use cross_margin::error::CrossMarginError as E;
use cross_margin::math::interest::SECONDS_PER_YEAR;
use cross_margin::state::BankConfig;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::{assert_err, Protocol};

/// Collateral $1 with init asset weight 0.75; debt token $2 with init liability weight 1.25.
/// Both are exact in binary, so the health-zero borrow is an exact number of native units.
fn collateral_config() -> BankConfig {
    BankConfig {
        init_asset_weight_bps: 7_500,
        maint_asset_weight_bps: 8_000,
        ..default_config()
    }
}

fn debt_config() -> BankConfig {
    BankConfig {
        maint_liab_weight_bps: 11_000,
        init_liab_weight_bps: 12_500,
        ..default_config()
    }
}

/// Banks: 0 = collateral ($1), 1 = debt token ($2). Users: 0 = borrower, 1 = lender.
async fn setup() -> Protocol {
    let mut p = Protocol::new().await;
    let c = p.add_bank(6, 1.0, collateral_config()).await;
    let d = p.add_bank(6, 2.0, debt_config()).await;
    let borrower = p.add_user(&[(c, 1_000_000_000)]).await;
    let lender = p.add_user(&[(d, 1_000_000_000)]).await;
    p.deposit(borrower, c, 1_000_000_000).await.unwrap();
    p.deposit(lender, d, 1_000_000_000).await.unwrap();
    p
}

#[tokio::test]
async fn borrow_up_to_exactly_zero_init_health() {
    let mut p = setup().await;
    // 1,000 collateral × $1 × 0.75 = $750 = 300 debt tokens × $2 × 1.25.
    let max = 300_000_000;
    assert_err(
        p.withdraw(0, 1, max + 1, true).await,
        E::HealthWouldBeNegative,
    );
    p.withdraw(0, 1, max, true).await.unwrap();
    assert_eq!(p.wallet_balance(0, 1).await, max);
    assert_eq!(p.native_balance(0, 1).await, -(max as f64));
    // At exactly zero, one more native unit of borrowing is refused...
    assert_err(p.withdraw(0, 1, 1, true).await, E::HealthWouldBeNegative);
    // ...and so is withdrawing one native unit of collateral.
    assert_err(p.withdraw(0, 0, 1, false).await, E::HealthWouldBeNegative);
    // Repaying one unit makes room for exactly one more.
    p.deposit(0, 1, 1).await.unwrap();
    p.withdraw(0, 1, 1, true).await.unwrap();
}

#[tokio::test]
async fn origination_fee_is_charged_on_the_debt() {
    let mut p = Protocol::new().await;
    let c = p.add_bank(6, 1.0, default_config()).await;
    let d = p
        .add_bank(
            6,
            1.0,
            BankConfig {
                loan_origination_fee_bps: 50,
                ..default_config()
            },
        )
        .await;
    let borrower = p.add_user(&[(c, 1_000_000_000)]).await;
    let lender = p.add_user(&[(d, 1_000_000_000)]).await;
    p.deposit(borrower, c, 1_000_000_000).await.unwrap();
    p.deposit(lender, d, 1_000_000_000).await.unwrap();
    p.withdraw(borrower, d, 100_000_001, true).await.unwrap();
    // 0.5 % of 100,000,001 = 500,000.005 → 500,001 (rounded up), added to the debt.
    assert_eq!(p.native_balance(borrower, d).await, -100_500_002.0);
    let bank = p.bank_state(d).await;
    assert_eq!(bank.collected_fees.get(), 500_001);
    assert_eq!(p.wallet_balance(borrower, d).await, 100_000_001);
}

#[tokio::test]
async fn interest_over_a_year_matches_the_curve() {
    let mut p = setup().await;
    // Utilisation 25 %: halfway to the first kink (50 %, 5 %/yr), so 2.5 %/yr compounded
    // hourly: (1 + 0.025 / 8,760)^8,760 = 1.0253151…; the protocol keeps 10 % of the interest.
    p.withdraw(0, 1, 250_000_000, true).await.unwrap();
    p.tc.advance_clock(SECONDS_PER_YEAR).await;
    let bank = p.banks[1].bank;
    let ix = cross_margin_client::builders::bank_accrue_interest(&bank);
    p.step(&[ix], &[]).await.unwrap();

    let debt = -p.native_balance(0, 1).await;
    let deposit = p.native_balance(1, 1).await;
    let fees = p.bank_state(1).await.collected_fees.get().to_num::<f64>();
    let growth = (1.0f64 + 0.025 / 8_760.0).powi(8_760);
    let interest = 250_000_000.0 * (growth - 1.0);
    let exact_debt = 250_000_000.0 + interest;
    let exact_deposit = 1_000_000_000.0 + 0.9 * interest;
    assert!(
        (debt - exact_debt).abs() <= 1.0,
        "debt {debt} vs {exact_debt}"
    );
    assert!(debt >= exact_debt - 1e-3, "borrow side rounds up: {debt}");
    assert!(
        (deposit - exact_deposit).abs() <= 1.0,
        "deposit {deposit} vs {exact_deposit}"
    );
    // (Hourly compounding rounds each step of the borrow index up, by < 10^-10 relative in
    // a year; depositors receive 90 % of what borrowers are charged.)
    assert!(
        deposit <= exact_deposit + exact_debt * 1e-10,
        "deposit side: {deposit}"
    );
    assert!((fees - 0.1 * interest).abs() <= 1.0, "fees {fees}");

    // Repay everything, withdraw everything: only the protocol fee stays in the vault.
    let mint = p.banks[1].mint;
    let wallet = p.users[0].wallets[1];
    p.tc.mint_to(&mint, &wallet, interest.ceil() as u64 + 1)
        .await;
    p.set_price(0, 1.0, 0).await;
    p.set_price(1, 2.0, 0).await;
    p.deposit(0, 1, debt.ceil() as u64).await.unwrap();
    assert_eq!(p.native_balance(0, 1).await, 0.0);
    p.withdraw(1, 1, deposit.floor() as u64, false)
        .await
        .unwrap();
    let vault = p.banks[1].vault;
    let left = p.tc.token_balance(vault).await as f64;
    assert!(
        (left - 0.1 * interest).abs() <= 2.0,
        "vault keeps the fees: {left}"
    );
}

#[tokio::test]
async fn reduce_only_bank_blocks_new_deposits_and_borrows_but_not_repay() {
    let mut p = setup().await;
    p.withdraw(0, 1, 1_000_000, true).await.unwrap();
    let bank = p.banks[1].bank;
    let oracle = p.banks[1].oracle;
    let admin = p.admin();
    let group = p.group;
    let config = BankConfig {
        reduce_only: true,
        ..debt_config()
    };
    let ix = cross_margin_client::builders::bank_edit(
        &admin,
        &group,
        &bank,
        &oracle,
        config,
        &p.other_banks(None),
    );
    p.step(&[ix], &[]).await.unwrap();
    assert_err(p.withdraw(0, 1, 1, true).await, E::BankReduceOnly);
    let (mint, wallet) = (p.banks[1].mint, p.users[0].wallets[1]);
    p.tc.mint_to(&mint, &wallet, 1).await;
    // Repaying more than the debt would open a deposit: refused as a whole.
    assert_err(p.deposit(0, 1, 1_000_001).await, E::BankReduceOnly);
    p.deposit(0, 1, 1_000_000).await.unwrap();
    p.withdraw(1, 1, 1_000, false).await.unwrap();
}
