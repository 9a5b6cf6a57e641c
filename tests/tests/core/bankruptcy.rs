//! Bankruptcy: insurance pays first, the rest is socialised through the deposit index.

use cross_margin::error::CrossMarginError as E;
use cross_margin::math::I80F48;
use cross_margin_tests::harness::scenarios::{
    lending_market as setup, sol_at, LENDER, LIQUIDATOR, SOL, USDC, VICTIM,
};
use cross_margin_tests::harness::{assert_err, Protocol};

/// SOL to $50 and liquidate everything the victim has: about $217 of USDC debt remains
/// with no collateral behind it.
async fn bankrupt_victim() -> (Protocol, u64) {
    let mut p = setup().await;
    sol_at(&mut p, 50.0).await;
    assert_err(p.resolve_bankruptcy(VICTIM, USDC).await, E::NotBankrupt);
    for _ in 0..5 {
        if p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX)
            .await
            .is_err()
        {
            break;
        }
    }
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX).await,
        E::NoAssetToSeize,
    );
    let debt = -p.native_balance(VICTIM, USDC).await;
    assert!(debt > 200_000_000.0 && debt < 230_000_000.0, "debt {debt}");
    (p, debt.ceil() as u64)
}

#[tokio::test]
async fn insurance_covers_the_whole_bad_debt() {
    let (mut p, debt) = bankrupt_victim().await;
    p.fund_insurance(LENDER, USDC, 1_000_000_000).await.unwrap();
    let index_before = p.bank_state(USDC).await.deposit_index.get();
    let vault_before = p.tc.token_balance(p.banks[USDC].vault).await;
    p.resolve_bankruptcy(VICTIM, USDC).await.unwrap();
    let insurance = p.banks[USDC].insurance_vault;
    assert_eq!(p.tc.token_balance(insurance).await, 1_000_000_000 - debt);
    assert_eq!(
        p.tc.token_balance(p.banks[USDC].vault).await,
        vault_before + debt
    );
    assert_eq!(
        p.bank_state(USDC).await.deposit_index.get(),
        index_before,
        "nothing socialised"
    );
    assert!(p.margin_account(VICTIM).await.is_empty());
    assert_err(p.resolve_bankruptcy(VICTIM, USDC).await, E::NotBankrupt);
}

#[tokio::test]
async fn bad_debt_beyond_insurance_is_socialised_through_the_deposit_index() {
    let (mut p, debt) = bankrupt_victim().await;
    p.fund_insurance(LENDER, USDC, 10_000_000).await.unwrap();
    let before = p.bank_state(USDC).await;
    let lender_before = p.native_balance(LENDER, USDC).await;
    p.resolve_bankruptcy(VICTIM, USDC).await.unwrap();
    let after = p.bank_state(USDC).await;
    let socialised = debt - 10_000_000;
    // Depositors as a whole lose the socialised amount (rounded against them by < 1 unit).
    let lost = (after.indexed_deposits.get()
        * (before.deposit_index.get() - after.deposit_index.get()))
    .to_num::<f64>();
    assert!(
        lost >= socialised as f64 && lost < socialised as f64 + 1.0,
        "lost {lost} vs {socialised}"
    );
    assert_eq!(p.tc.token_balance(p.banks[USDC].insurance_vault).await, 0);
    // Each depositor loses pro rata: the lender holds half the USDC deposits.
    let lender_loss = lender_before - p.native_balance(LENDER, USDC).await;
    let share = before.indexed_deposits.get().to_num::<f64>() / 10_000_000_000.0;
    assert!(
        (lender_loss - socialised as f64 / share).abs() < 2.0,
        "lender lost {lender_loss}"
    );
    assert!(after.deposit_index.get() < before.deposit_index.get());
    assert!(after.deposit_index.get() > I80F48::from_num(0.98));
}

#[tokio::test]
async fn resolution_needs_a_bankrupt_account() {
    let (mut p, _) = bankrupt_victim().await;
    // No debt in the SOL bank.
    assert_err(p.resolve_bankruptcy(VICTIM, SOL).await, E::NotBankrupt);
    // The liquidator holds deposits: not bankrupt in USDC (it has no USDC debt either).
    assert_err(p.resolve_bankruptcy(LIQUIDATOR, USDC).await, E::NotBankrupt);
    // Without the bank accounts of its positions, the check cannot run.
    let ix = cross_margin_client::builders::token_resolve_bankruptcy(
        &p.group,
        &p.users[VICTIM].account,
        &p.asset_accounts(USDC),
        vec![],
    );
    assert_err(p.step(&[ix], &[]).await, E::HealthAccountsCount);
    p.resolve_bankruptcy(VICTIM, USDC).await.unwrap();
}
