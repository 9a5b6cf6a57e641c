//! Issue 8: every unhealthy account can always be liquidated. One regression test per hole
//! a review found (`holeNN_…`); each failed on the code before the fix. (Hole 11, the
//! transaction size, lives in `transaction_size.rs`; hole 12, the stack frame, is the
//! `health_cache_size_is_pinned` unit test of the program.)

use cross_margin::error::CrossMarginError as E;
use cross_margin::math::interest::{MIN_DEPOSIT_INDEX, SECONDS_PER_YEAR};
use cross_margin::math::I80F48;
use cross_margin::state::{BankConfig, OracleKind};
use cross_margin_client::builders;
use cross_margin_client::local::pyth::{self, PythPrice};
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::scenarios::{
    lending_market, lending_market_with, listing_config, sol_at, usdc_config, LENDER, LIQUIDATOR,
    SOL, USDC, VICTIM,
};
use cross_margin_tests::harness::tokens::TOKEN;
use cross_margin_tests::harness::{assert_err, Protocol};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;

/// The lending market with a third bank (a 9-decimal $50 token) and `units` of it in the
/// victim's account, opened by the victim itself.
async fn with_third_token(units: u64) -> (Protocol, usize) {
    let mut p = lending_market_with(&[(9, 50.0, default_config())]).await;
    let bank = 2;
    let mint = p.banks[bank].mint;
    let wallet = p.users[VICTIM].wallets[bank];
    p.tc.mint_to(&mint, &wallet, units).await;
    p.deposit(VICTIM, bank, units).await.unwrap();
    (p, bank)
}

/// Make the bank's oracle invalid: its last update an hour old (a stalled feed).
async fn kill_oracle(p: &mut Protocol, bank: usize) {
    let now = p.tc.now().await;
    p.set_raw_price(bank, PythPrice::usd(50.0, 0, now - 3_600))
        .await;
}

#[tokio::test]
async fn hole01_a_stranger_cannot_open_positions_but_may_repay() {
    let mut p = lending_market_with(&[(9, 50.0, default_config())]).await;
    let dead = 2;
    let mint = p.banks[dead].mint;
    let wallet = p.users[LENDER].wallets[dead];
    p.tc.mint_to(&mint, &wallet, 10).await;
    // Planting dust in a new bank of someone else's account is refused …
    assert_err(
        p.deposit_into(LENDER, VICTIM, dead, 2, false).await,
        E::NewPositionNotOwner,
    );
    // … but repaying someone's existing debt stays permissionless.
    let usdc_mint = p.banks[USDC].mint;
    let lender_usdc = p.users[LENDER].wallets[USDC];
    p.tc.mint_to(&usdc_mint, &lender_usdc, 100_000_000).await;
    let debt = -p.native_balance(VICTIM, USDC).await;
    p.deposit_into(LENDER, VICTIM, USDC, 100_000_000, false)
        .await
        .unwrap();
    let after = -p.native_balance(VICTIM, USDC).await;
    assert!(
        (debt - after - 100_000_000.0).abs() <= 1.0,
        "{debt} {after}"
    );
}

#[tokio::test]
async fn hole01_a_dead_oracle_on_another_position_does_not_block_liquidation() {
    let (mut p, third) = with_third_token(2).await; // 2 native units: dust
    kill_oracle(&mut p, third).await;
    sol_at(&mut p, 70.0).await; // maint: 700 × 0.9 − 700 × 1.1 < 0
                                // The dead token cannot be transferred …
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, third, USDC, u64::MAX).await,
        E::OracleStale,
    );
    // … but it does not shield the account: SOL against USDC goes through.
    let before = p.native_balance(VICTIM, SOL).await;
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX)
        .await
        .unwrap();
    assert!(p.native_balance(VICTIM, SOL).await < before);
    // Withdrawals (new risk) still need every price valid.
    assert_err(p.withdraw(VICTIM, SOL, 1, false).await, E::OracleStale);
}

#[tokio::test]
async fn hole01_dust_is_seized_in_full_and_bankruptcy_follows() {
    let (mut p, third) = with_third_token(2).await;
    sol_at(&mut p, 1.0).await; // the victim's SOL is worth $10 against $700 of debt
    p.set_price(third, 50.0, 0).await;
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX)
        .await
        .unwrap();
    assert_eq!(p.native_balance(VICTIM, SOL).await, 0.0);
    // Two native units of the third token: seized whole, for at least one unit of debt.
    p.liquidate(LIQUIDATOR, VICTIM, third, USDC, u64::MAX)
        .await
        .unwrap();
    assert_eq!(p.native_balance(VICTIM, third).await, 0.0);
    p.resolve_bankruptcy(VICTIM, USDC).await.unwrap();
    assert_eq!(p.native_balance(VICTIM, USDC).await, 0.0);
}

#[tokio::test]
async fn hole02_collateral_with_zero_init_weight_stays_while_under_water() {
    // A token being phased out: init weight 0, maint weight 0.5.
    let phased_config = BankConfig {
        init_asset_weight_bps: 0,
        maint_asset_weight_bps: 5_000,
        ..default_config()
    };
    let mut p = lending_market_with(&[(6, 1.0, phased_config)]).await;
    let phased = 2;
    let mint = p.banks[phased].mint;
    let wallet = p.users[VICTIM].wallets[phased];
    p.tc.mint_to(&mint, &wallet, 500_000_000).await;
    p.deposit(VICTIM, phased, 500_000_000).await.unwrap();
    sol_at(&mut p, 80.0).await; // init < 0 (800 × 0.8 − 770), maint > 0 with the phased token
    p.set_price(phased, 1.0, 0).await;
    let h = p.health(VICTIM).await.unwrap();
    assert!(h.init < 0 && h.maint > 0, "{h:?}");
    // Withdrawing it leaves init health unchanged but lowers maint health: refused.
    assert_err(
        p.withdraw(VICTIM, phased, 500_000_000, false).await,
        E::HealthWouldBeNegative,
    );
    assert_err(
        p.withdraw(VICTIM, phased, 1, false).await,
        E::HealthWouldBeNegative,
    );
}

#[tokio::test]
async fn hole03_a_deposit_that_restores_init_health_clears_the_flag() {
    let mut p = lending_market().await;
    sol_at(&mut p, 70.0).await;
    // A small liquidation: the account stays below init zero and is flagged.
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 10_000_000)
        .await
        .unwrap();
    assert_eq!(p.margin_account(VICTIM).await.being_liquidated, 1);
    // Without health accounts the flag stays (nothing proves the account is safe) …
    let mint = p.banks[SOL].mint;
    let wallet = p.users[VICTIM].wallets[SOL];
    p.tc.mint_to(&mint, &wallet, 20_000_000_000).await;
    p.deposit_into(VICTIM, VICTIM, SOL, 1, false).await.unwrap();
    assert_eq!(p.margin_account(VICTIM).await.being_liquidated, 1);
    // … with them, a deposit that brings init health to ≥ 0 clears it.
    p.deposit_into(VICTIM, VICTIM, SOL, 10_000_000_000, true)
        .await
        .unwrap();
    assert!(p.health(VICTIM).await.unwrap().init >= 0);
    assert_eq!(p.margin_account(VICTIM).await.being_liquidated, 0);
    // A later dip below init zero that keeps maint ≥ 0 is no longer liquidatable.
    let mut dipped = false;
    for dollars in (20..70).rev() {
        sol_at(&mut p, dollars as f64).await;
        let h = p.health(VICTIM).await.unwrap();
        if h.init < 0 && h.maint >= 0 {
            dipped = true;
            break;
        }
    }
    assert!(dipped, "no price puts init < 0 ≤ maint");
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::NotLiquidatable,
    );
}

#[tokio::test]
async fn hole04_a_loss_larger_than_deposits_floors_the_index() {
    // A bank whose depositors earn nothing (all interest to the protocol), fully lent out.
    let thin_config = BankConfig {
        protocol_fee_bps: 10_000,
        ..default_config()
    };
    let mut p = lending_market_with(&[(6, 1.0, thin_config)]).await;
    let thin = 2;
    let mint = p.banks[thin].mint;
    let lender_wallet = p.users[LENDER].wallets[thin];
    p.tc.mint_to(&mint, &lender_wallet, 100_000_000).await;
    p.deposit(LENDER, thin, 100_000_000).await.unwrap();
    let sol_mint = p.banks[SOL].mint;
    let victim_sol = p.users[VICTIM].wallets[SOL];
    p.tc.mint_to(&sol_mint, &victim_sol, 10_000_000_000).await;
    p.deposit(VICTIM, SOL, 10_000_000_000).await.unwrap();
    p.withdraw(VICTIM, thin, 100_000_000, true).await.unwrap();
    // Two years at 100 % utilisation: the debt is ~7× what depositors hold.
    p.tc.advance_clock(2 * SECONDS_PER_YEAR).await;
    sol_at(&mut p, 0.01).await;
    p.set_price(thin, 1.0, 0).await;
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX)
        .await
        .unwrap();
    p.resolve_bankruptcy(VICTIM, USDC).await.unwrap();
    let mut before = p.bank_state(thin).await;
    before.accrue_interest(p.tc.now().await).unwrap();
    p.resolve_bankruptcy(VICTIM, thin).await.unwrap();
    let bank = p.bank_state(thin).await;
    // The protocol's uncollected fees (booked from interest nobody paid) absorb the loss
    // first, then depositors down to the floor; what neither covers is recorded, not hidden
    // (the harness invariant checks vault = deposits − borrows + fees − unrecoverable).
    let floor_value = before.indexed_deposits.get() * MIN_DEPOSIT_INDEX;
    assert!(before.collected_fees.get() - bank.collected_fees.get() > 400_000_000);
    assert!(bank.deposit_index.get() >= MIN_DEPOSIT_INDEX);
    assert!(
        (bank.deposit_index.get() - MIN_DEPOSIT_INDEX) * before.indexed_deposits.get()
            < I80F48::ONE
    );
    assert!(bank.unrecoverable_bad_debt > 0);
    assert!(I80F48::from_num(bank.unrecoverable_bad_debt) <= floor_value + I80F48::from_num(3));
    // The bank keeps working for what is in it (accrual), but takes no new money: it would
    // only fund the shortfall of the depositors already there.
    let ix = builders::bank_accrue_interest(&p.banks[thin].bank);
    p.step(&[ix], &[]).await.unwrap();
    let lender_wallet = p.users[LENDER].wallets[thin];
    p.tc.mint_to(&mint, &lender_wallet, 5_000_000).await;
    assert_err(p.deposit(LENDER, thin, 5_000_000).await, E::BankInsolvent);
}

#[tokio::test]
async fn hole05_an_empty_vault_does_not_block_liquidation_and_fees_are_not_lendable() {
    let mut p = lending_market().await;
    // The lender borrows every SOL in the vault: the SOL vault is empty.
    let available = p.tc.token_balance(p.banks[SOL].vault).await;
    p.withdraw(LENDER, SOL, available, true).await.unwrap();
    assert_eq!(p.tc.token_balance(p.banks[SOL].vault).await, 0);
    sol_at(&mut p, 70.0).await;
    // Seizing SOL moves no tokens; the insurance share is booked as fees owed to insurance.
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX)
        .await
        .unwrap();
    let fees = p.bank_state(SOL).await.collected_fees.get();
    assert!(fees > I80F48::ONE, "{fees}");
    // The loan is repaid; depositors may take the vault except the fees.
    let debt = (-p.native_balance(LENDER, SOL).await).ceil() as u64;
    let mint = p.banks[SOL].mint;
    let wallet = p.users[LENDER].wallets[SOL];
    p.tc.mint_to(&mint, &wallet, debt).await;
    p.deposit(LENDER, SOL, debt).await.unwrap();
    let vault = p.tc.token_balance(p.banks[SOL].vault).await;
    let reserved = p.bank_state(SOL).await.reserved_fees().unwrap();
    assert!(reserved >= 1);
    assert_err(
        p.withdraw(LIQUIDATOR, SOL, vault - reserved + 1, true)
            .await,
        E::InsufficientVaultLiquidity,
    );
    let insurance_before = p.tc.token_balance(p.banks[SOL].insurance_vault).await;
    p.sweep_fees(SOL).await.unwrap();
    let moved = p.tc.token_balance(p.banks[SOL].insurance_vault).await - insurance_before;
    assert!(moved >= fees.to_num::<u64>(), "{moved} < {fees}");
    assert!(p.bank_state(SOL).await.collected_fees.get() < I80F48::ONE);
}

#[tokio::test]
async fn hole06_configs_that_cannot_be_liquidated_are_refused() {
    // A 0.98 / 1.02 stable pair with 2.5 % fees: no liquidation between two such banks
    // improves health, since (1 + 5 %) × 0.98 ≥ 1.02.
    let tight = BankConfig {
        init_asset_weight_bps: 9_800,
        maint_asset_weight_bps: 9_900,
        maint_liab_weight_bps: 10_100,
        init_liab_weight_bps: 10_200,
        liquidation_fee_bps: 250,
        ..default_config()
    };
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, usdc_config()).await;
    p.add_bank(6, 1.0, tight).await; // fine against USDC
    assert_err(
        p.add_bank_with(6, TOKEN, 1.0, tight).await.map(|_| ()),
        E::LiquidationPairUnsafe,
    );
    // Maint only: (1 + 4 %) × 0.99 > 1.01, so a liquidation would lower maint health.
    let maint = BankConfig {
        init_asset_weight_bps: 8_000,
        maint_asset_weight_bps: 9_900,
        maint_liab_weight_bps: 10_100,
        init_liab_weight_bps: 12_000,
        liquidation_fee_bps: 200,
        ..default_config()
    };
    let mut q = Protocol::new().await;
    q.add_bank(6, 1.0, maint).await;
    assert_err(
        q.add_bank_with(6, TOKEN, 1.0, maint).await.map(|_| ()),
        E::LiquidationPairUnsafe,
    );
    // Editing USDC into a second tight bank is refused too; so are incomplete bank lists.
    let admin = p.admin();
    let (bank, oracle, group) = (p.banks[0].bank, p.banks[0].oracle, p.group);
    let edit = |others: &[anchor_lang::prelude::Pubkey]| {
        builders::bank_edit(&admin, &group, &bank, &oracle, tight, others)
    };
    let ix = edit(&p.other_banks(None));
    assert_err(p.step(&[ix], &[]).await, E::LiquidationPairUnsafe);
    let ix = edit(&[]);
    assert_err(p.step(&[ix], &[]).await, E::BankListIncomplete);
    let mut ix = edit(&p.other_banks(None));
    ix.accounts.push(ix.accounts.last().unwrap().clone()); // one bank twice
    assert_err(p.step(&[ix], &[]).await, E::BankListIncomplete);
}

#[tokio::test]
async fn hole07_the_free_slot_token_index_is_refused() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    let mint = p.tc.create_mint(6, TOKEN).await;
    let admin = p.admin();
    let oracle = p.banks[0].oracle;
    let ix = builders::bank_register(
        &admin,
        &p.group,
        &mint,
        &TOKEN,
        &oracle,
        u16::MAX,
        default_config(),
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[]).await, E::ReservedTokenIndex);
}

#[tokio::test]
async fn hole08_ten_years_at_the_rate_cap_leave_repay_and_withdraw_working() {
    let mut p = lending_market().await;
    let over_cap = BankConfig {
        max_rate_bps: 10_001,
        ..default_config()
    };
    assert_err(
        p.add_bank_with(6, TOKEN, 1.0, over_cap).await.map(|_| ()),
        E::InvalidInterestCurve,
    );
    // Listed on the live group: asset weight 0; max rate = the 100 %/yr cap.
    let bank = p.add_bank(6, 1.0, listing_config(default_config())).await;
    let mint = p.banks[bank].mint;
    let wallet = p.users[LENDER].wallets[bank];
    p.tc.mint_to(&mint, &wallet, 7_000_000_000).await;
    p.deposit(LENDER, bank, 7_000_000_000).await.unwrap();
    p.withdraw(LIQUIDATOR, bank, 7_000_000_000, true)
        .await
        .unwrap();
    // Ten years at 100 % utilisation and the cap rate, cranked once a year.
    for _ in 0..10 {
        p.tc.advance_clock(SECONDS_PER_YEAR).await;
        let ix = builders::bank_accrue_interest(&p.banks[bank].bank);
        p.step(&[ix], &[]).await.unwrap();
    }
    let b = p.bank_state(bank).await;
    assert!(b.borrow_index.get() > 20_000 && b.borrow_index.get() < 32_768);
    // The whole debt (~1.5 × 10^14 native units) is repaid, and the lender withdraws.
    let debt = (-p.native_balance(LIQUIDATOR, bank).await).ceil() as u64;
    let wallet = p.users[LIQUIDATOR].wallets[bank];
    p.tc.mint_to(&mint, &wallet, debt).await;
    p.deposit(LIQUIDATOR, bank, debt).await.unwrap();
    let lent = p.native_balance(LENDER, bank).await as u64;
    assert!(lent > 100_000_000_000_000, "{lent}");
    sol_at(&mut p, 100.0).await;
    p.set_price(bank, 1.0, 0).await;
    p.withdraw(LENDER, bank, lent, false).await.unwrap();
}

#[tokio::test]
async fn hole09_health_reads_untouched_banks_at_indices_brought_to_now() {
    let mut p = lending_market().await;
    // Take the victim to init ≈ +$1.
    let h = p.health(VICTIM).await.unwrap().init.to_num::<f64>() / 1e6;
    let more = ((h - 0.5) / 1.1 * 1e6) as u64; // USDC's init liability weight is 1.1
    p.withdraw(VICTIM, USDC, more, true).await.unwrap();
    // Half a year with no instruction touching USDC; prices stay fresh.
    p.tc.advance_clock(SECONDS_PER_YEAR / 2).await;
    sol_at(&mut p, 100.0).await;
    let usdc = p.bank_state(USDC).await;
    let now = p.tc.now().await;
    assert!(
        usdc.last_accrual_ts < now - SECONDS_PER_YEAR / 4,
        "USDC was not touched"
    );
    // At the stored index the account has ~$1 of room; at today's index it has none.
    assert!(p.health(VICTIM).await.unwrap().init < 0);
    assert_err(
        p.withdraw(VICTIM, SOL, 1_000_000, false).await,
        E::HealthWouldBeNegative,
    );
}

#[tokio::test]
async fn hole10_oracle_bounds_and_canonical_pull_accounts() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    for config in [
        BankConfig {
            max_conf_bps: 1_001,
            ..default_config()
        },
        BankConfig {
            max_staleness_secs: 901,
            ..default_config()
        },
    ] {
        assert_err(
            p.add_bank_with(6, TOKEN, 1.0, config).await.map(|_| ()),
            E::InvalidOracleConfig,
        );
    }
    // A well-formed PriceUpdateV2 posted at an address of the poster's choosing.
    let now = p.tc.now().await;
    let feed = pyth::feed_id("SOL");
    let rogue = anchor_lang::prelude::Pubkey::new_unique();
    p.tc.set_account(
        &rogue,
        pyth::pull_account(feed, PythPrice::usd(100.0, 0, now), VerificationLevel::Full),
    );
    let mint = p.tc.create_mint(9, TOKEN).await;
    let admin = p.admin();
    let config = BankConfig {
        oracle_kind: OracleKind::PythPull,
        ..default_config()
    };
    let ix = builders::bank_register(
        &admin,
        &p.group,
        &mint,
        &TOKEN,
        &rogue,
        1,
        config,
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[]).await, E::OracleNotCanonical);
}
