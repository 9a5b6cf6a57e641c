//! Cases 20–24: bankruptcy twice, closing, admin powers, pause and reduce-only.

use anchor_lang::error::ErrorCode as A;
use cross_margin::error::CrossMarginError as E;
use cross_margin::math::interest::SECONDS_PER_YEAR;
use cross_margin::state::{BankConfig, GroupSettings};
use cross_margin_client::builders;
use cross_margin_tests::harness::scenarios::{
    lending_market, sol_at, usdc_config, LENDER, LIQUIDATOR, SOL, USDC, VICTIM,
};
use cross_margin_tests::harness::{assert_err, TxError};
use solana_keypair::Keypair;
use solana_signer::Signer;

#[tokio::test]
async fn case20_bankruptcy_twice_and_of_a_solvent_account() {
    let mut p = lending_market().await;
    assert_err(p.resolve_bankruptcy(VICTIM, USDC).await, E::NotBankrupt);
    sol_at(&mut p, 40.0).await;
    while p
        .liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX)
        .await
        .is_ok()
    {}
    p.resolve_bankruptcy(VICTIM, USDC).await.unwrap();
    assert_err(p.resolve_bankruptcy(VICTIM, USDC).await, E::NotBankrupt);
}

#[tokio::test]
async fn case21_closing_with_balances_and_reviving_a_closed_account() {
    let mut p = lending_market().await;
    let owner = p.users[VICTIM].key.insecure_clone();
    let account = p.users[VICTIM].account;
    let close = builders::account_close(&owner.pubkey(), &account);
    assert_err(
        p.step(std::slice::from_ref(&close), &[&owner]).await,
        E::AccountNotEmpty,
    );
    // Debt dust: after a year of interest, repay all but the fraction of a unit.
    p.tc.advance_clock(SECONDS_PER_YEAR / 12).await;
    sol_at(&mut p, 100.0).await;
    let crank = builders::bank_accrue_interest(&p.banks[USDC].bank);
    p.step(&[crank], &[]).await.unwrap();
    let debt = -p.native_balance(VICTIM, USDC).await;
    let (mint, wallet) = (p.banks[USDC].mint, p.users[VICTIM].wallets[USDC]);
    p.tc.mint_to(&mint, &wallet, 10_000_000).await;
    p.deposit(VICTIM, USDC, debt.floor() as u64).await.unwrap();
    let dust = -p.native_balance(VICTIM, USDC).await;
    assert!(dust > 0.0 && dust <= 1.0, "dust {dust}");
    // Keep a sliver of collateral: any debt, even dust, needs some.
    p.withdraw(VICTIM, SOL, 10_000_000_000 - 1_000, false)
        .await
        .unwrap();
    assert_err(
        p.step(std::slice::from_ref(&close), &[&owner]).await,
        E::AccountNotEmpty,
    );
    p.deposit(VICTIM, USDC, 1).await.unwrap(); // clears the dust (the rest is a tiny deposit)
    p.withdraw(VICTIM, SOL, 1_000, false).await.unwrap();
    let left = p.native_balance(VICTIM, USDC).await;
    if left >= 1.0 {
        p.withdraw(VICTIM, USDC, left.floor() as u64, false)
            .await
            .unwrap();
    }
    // Close and, in the same transaction, try to use the account again: the whole
    // transaction fails and the account is still there.
    let deposit = builders::token_deposit(
        &owner.pubkey(),
        &account,
        &p.banks[USDC].token_accounts(),
        &p.users[VICTIM].wallets[USDC],
        1,
    );
    let r = p.step(&[close.clone(), deposit], &[&owner]).await;
    assert!(
        matches!(r, Err(TxError::Custom(c)) if c == u32::from(A::AccountOwnedByWrongProgram) || c == u32::from(A::AccountNotInitialized) || c == u32::from(A::AccountDiscriminatorMismatch)),
        "{r:?}"
    );
    assert!(
        p.tc.account(account).await.is_some(),
        "the failed transaction closed nothing"
    );
    p.step(&[close], &[&owner]).await.unwrap();
    assert!(p.tc.account(account).await.is_none());
}

#[tokio::test]
async fn case22_non_admin_edits_and_invalid_admin_values() {
    let mut p = lending_market().await;
    let stranger = Keypair::new();
    let (bank, oracle, group) = (p.banks[USDC].bank, p.banks[USDC].oracle, p.group);
    let ix = builders::bank_edit(
        &stranger.pubkey(),
        &group,
        &bank,
        &oracle,
        usdc_config(),
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[&stranger]).await, E::NotAdmin);
    let ix = builders::group_edit(
        &stranger.pubkey(),
        &group,
        GroupSettings::defaults(stranger.pubkey()),
    );
    assert_err(p.step(&[ix], &[&stranger]).await, E::NotAdmin);
    let admin = p.admin();
    for (config, expected) in [
        (
            BankConfig {
                init_asset_weight_bps: 10_001,
                ..usdc_config()
            },
            E::InvalidWeights,
        ),
        (
            BankConfig {
                init_liab_weight_bps: 200_000,
                ..usdc_config()
            },
            E::InvalidWeights,
        ),
        (
            BankConfig {
                max_rate_bps: 2_000_000,
                ..usdc_config()
            },
            E::InvalidInterestCurve,
        ),
        (
            BankConfig {
                loan_origination_fee_bps: 5_000,
                ..usdc_config()
            },
            E::InvalidFees,
        ),
        (
            BankConfig {
                max_staleness_secs: 10_000_000,
                ..usdc_config()
            },
            E::InvalidOracleConfig,
        ),
    ] {
        let ix = builders::bank_edit(&admin, &group, &bank, &oracle, config, &p.other_banks(None));
        assert_err(p.step(&[ix], &[]).await, expected);
    }
}

/// Case 23: what works while paused and in a reduce-only bank (README, Security).
#[tokio::test]
async fn case23_paused_group_and_reduce_only_bank() {
    let mut p = lending_market().await;
    let (admin, group) = (p.admin(), p.group);
    p.step(&[builders::group_set_paused(&admin, &group, true)], &[])
        .await
        .unwrap();
    // Allowed while paused: deposit, repay, insurance deposit, interest crank, account create.
    let (mint, wallet) = (p.banks[USDC].mint, p.users[LENDER].wallets[USDC]);
    p.tc.mint_to(&mint, &wallet, 10_000_000).await;
    p.deposit(LENDER, USDC, 1).await.unwrap();
    p.deposit(VICTIM, USDC, 1).await.unwrap();
    p.fund_insurance(LENDER, USDC, 1).await.unwrap();
    let crank = builders::bank_accrue_interest(&p.banks[USDC].bank);
    p.step(&[crank], &[]).await.unwrap();
    p.add_user(&[]).await;
    // Refused while paused: withdraw, borrow, liquidate, resolve bankruptcy.
    assert_err(p.withdraw(LENDER, USDC, 1, false).await, E::GroupPaused);
    assert_err(p.withdraw(VICTIM, USDC, 1, true).await, E::GroupPaused);
    sol_at(&mut p, 80.0).await;
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 1).await,
        E::GroupPaused,
    );
    assert_err(p.resolve_bankruptcy(VICTIM, USDC).await, E::GroupPaused);
    p.step(&[builders::group_set_paused(&admin, &group, false)], &[])
        .await
        .unwrap();

    // Reduce-only USDC: repay and withdraw work; new deposits and borrows do not;
    // liquidation still works (it adds no risk to the bank).
    let (bank, oracle) = (p.banks[USDC].bank, p.banks[USDC].oracle);
    let ro = BankConfig {
        reduce_only: true,
        ..usdc_config()
    };
    p.step(
        &[builders::bank_edit(
            &admin,
            &group,
            &bank,
            &oracle,
            ro,
            &p.other_banks(None),
        )],
        &[],
    )
    .await
    .unwrap();
    p.deposit(VICTIM, USDC, 1_000_000).await.unwrap();
    p.withdraw(LENDER, USDC, 1_000_000, false).await.unwrap();
    assert_err(p.deposit(LENDER, USDC, 1_000_000).await, E::BankReduceOnly);
    assert_err(p.withdraw(VICTIM, USDC, 1, true).await, E::BankReduceOnly);
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 1_000_000)
        .await
        .unwrap();
}

#[tokio::test]
async fn case24_security_admin_pauses_but_cannot_unpause() {
    let mut p = lending_market().await;
    let sec = p.security_admin.insecure_clone();
    let group = p.group;
    p.step(
        &[builders::group_set_paused(&sec.pubkey(), &group, true)],
        &[&sec],
    )
    .await
    .unwrap();
    let ix = builders::group_set_paused(&sec.pubkey(), &group, false);
    assert_err(p.step(&[ix], &[&sec]).await, E::OnlyAdminCanUnpause);
    let ix = builders::group_edit(&sec.pubkey(), &group, GroupSettings::defaults(sec.pubkey()));
    assert_err(p.step(&[ix], &[&sec]).await, E::NotAdmin);
}
