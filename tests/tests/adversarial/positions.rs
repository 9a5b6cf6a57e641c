//! Cases 13–18: hiding debt, double counting, duplicate accounts, full slots, bad liquidations.

use anchor_lang::error::ErrorCode as A;
use anchor_lang::prelude::AccountMeta;
use cross_margin::error::CrossMarginError as E;
use cross_margin_client::builders;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::scenarios::{
    lending_market, lending_market_with, sol_at, LENDER, LIQUIDATOR, SOL, USDC, VICTIM,
};
use cross_margin_tests::harness::{assert_anchor_err, assert_err, Protocol, TxError};
use solana_signer::Signer;

async fn victim_withdraw(p: &mut Protocol, health: Vec<AccountMeta>) -> Result<(), TxError> {
    let key = p.users[VICTIM].key.insecure_clone();
    let ix = builders::token_withdraw(
        &key.pubkey(),
        &p.group,
        &p.users[VICTIM].account,
        &p.banks[SOL].token_accounts(),
        &p.users[VICTIM].wallets[SOL],
        1_000_000_000,
        false,
        health,
    );
    p.step(&[ix], &[&key]).await
}

#[tokio::test]
async fn case13_leaving_out_the_liability_to_hide_debt() {
    let mut p = lending_market().await;
    let full = p.health_metas(VICTIM, None).await; // [SOL bank, USDC bank, SOL oracle, USDC oracle]
    let hidden = vec![full[0].clone(), full[2].clone()];
    assert_err(
        victim_withdraw(&mut p, hidden).await,
        E::HealthAccountsCount,
    );
}

#[tokio::test]
async fn case14_a_collateral_bank_passed_twice() {
    let mut p = lending_market().await;
    let full = p.health_metas(VICTIM, None).await;
    let doubled = vec![
        full[0].clone(),
        full[0].clone(),
        full[2].clone(),
        full[2].clone(),
    ];
    assert_err(
        victim_withdraw(&mut p, doubled).await,
        E::HealthBankMismatch,
    );
}

#[tokio::test]
async fn case15_the_same_writable_account_twice() {
    let mut p = lending_market().await;
    sol_at(&mut p, 80.0).await;
    assert_err(
        p.liquidate(VICTIM, VICTIM, SOL, USDC, 1).await,
        E::SelfLiquidation,
    );
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, SOL, 1).await,
        E::SameBank,
    );
    // The vault as the depositor's source token account.
    let lender = p.users[LENDER].key.insecure_clone();
    let bank = p.banks[USDC].token_accounts();
    let ix = builders::token_deposit(
        &lender.pubkey(),
        &p.users[LENDER].account,
        &bank,
        &bank.vault,
        1,
    );
    assert_anchor_err(
        p.step(&[ix], &[&lender]).await,
        A::ConstraintDuplicateMutableAccount,
    );
    // The insurance vault passed as the vault of a fee sweep (liquidation moves no tokens
    // any more; the sweep is where the insurance share leaves the vault).
    let mut asset = p.asset_accounts(SOL);
    asset.vault = asset.insurance_vault;
    let ix = builders::bank_sweep_fees(&p.group, &asset);
    let r = p.step(&[ix], &[]).await;
    assert!(
        matches!(r, Err(TxError::Custom(c)) if c == u32::from(A::ConstraintDuplicateMutableAccount) || c == u32::from(E::VaultMismatch)),
        "{r:?}"
    );
}

#[tokio::test]
async fn case16_a_liquidator_with_every_slot_full() {
    // Seven more banks; the liquidator holds USDC plus all seven others except SOL: 8 slots.
    let mut p = lending_market_with(&[(6, 1.0, default_config()); 7]).await;
    for bank in 2..9 {
        let (mint, wallet) = (p.banks[bank].mint, p.users[LIQUIDATOR].wallets[bank]);
        p.tc.mint_to(&mint, &wallet, 10).await;
        p.deposit(LIQUIDATOR, bank, 10).await.unwrap();
    }
    assert_eq!(
        p.margin_account(LIQUIDATOR)
            .await
            .active_positions()
            .count(),
        8
    );
    sol_at(&mut p, 80.0).await;
    for bank in 2..9 {
        p.set_price(bank, 1.0, 0).await;
    }
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::NoFreePositionSlot,
    );
    // A deposit into a ninth token is refused the same way.
    let (mint, wallet) = (p.banks[SOL].mint, p.users[LIQUIDATOR].wallets[SOL]);
    p.tc.mint_to(&mint, &wallet, 1).await;
    assert_err(p.deposit(LIQUIDATOR, SOL, 1).await, E::NoFreePositionSlot);
}

#[tokio::test]
async fn case17_liquidating_a_healthy_account_or_past_zero() {
    let mut p = lending_market().await;
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::NotLiquidatable,
    );
    sol_at(&mut p, 80.0).await;
    // Asking for far more than needed moves only what brings init health to zero.
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX)
        .await
        .unwrap();
    let h = p.health(VICTIM).await.unwrap();
    assert!(h.init >= 0 && h.init < 1_000, "{h:?}");
    assert!(
        -p.native_balance(VICTIM, USDC).await > 200_000_000.0,
        "most of the debt is left"
    );
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::NotLiquidatable,
    );
}

#[tokio::test]
async fn case18_a_liquidator_with_too_little_collateral() {
    let mut p = lending_market().await;
    let poor = p.add_user(&[(USDC, 10_000_000)]).await;
    p.deposit(poor, USDC, 10_000_000).await.unwrap();
    sol_at(&mut p, 80.0).await;
    assert_err(
        p.liquidate(poor, VICTIM, SOL, USDC, u64::MAX).await,
        E::HealthWouldBeNegative,
    );
    // A small enough slice fits its collateral.
    p.liquidate(poor, VICTIM, SOL, USDC, 1_000_000)
        .await
        .unwrap();
}
