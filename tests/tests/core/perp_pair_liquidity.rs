//! Liveness of the hedged pair liquidation in a liquidity crunch: with the settle bank's
//! vault lent out to the last unit (as in a crash, when everyone borrows USDC), the
//! liquidator cannot move settle tokens into the pool. The liquidation still goes through:
//! what the vault cannot release the liquidator owes the pool in its perp quote. And the
//! liquidator's own payment: past its deposit it is a loan, under the bank's borrow rules.

use super::perps::{setup, underwater_hedge};
use cross_margin::error::CrossMarginError as E;
use cross_margin_tests::harness::assert_err;
use cross_margin_tests::harness::perps::default_perp_config;

const SOL: u64 = 1_000_000_000;

#[tokio::test]
async fn an_empty_settle_vault_does_not_block_a_pair_liquidation() {
    let mut p = setup(default_perp_config()).await;
    let (usdc, sol) = (0, 1);
    let (hedged, _eth) = underwater_hedge(&mut p).await;
    // A whale borrows every USDC the vault holds against SOL.
    let whale = p.add_user(&[(sol, 500 * SOL)]).await;
    p.deposit(whale, sol, 500 * SOL).await.unwrap();
    let vault = p.banks[usdc].vault;
    let free = p.tc.token_balance(vault).await;
    p.withdraw(whale, usdc, free, true).await.unwrap();
    assert_eq!(
        p.tc.token_balance(vault).await,
        0,
        "the USDC vault is empty"
    );

    let before = p.health(hedged).await.unwrap();
    assert!(before.maint < 0, "{before:?}");
    let (liqor_usdc, pool) = (
        p.native_balance(2, usdc).await,
        p.pool_vault_balance(0).await,
    );
    p.liquidate_pair(2, hedged, 0, sol, 5 * SOL).await.unwrap();
    let after = p.health(hedged).await.unwrap();
    assert!(after.maint > before.maint, "{after:?}");
    // Nothing moved between vaults; the liquidator owes the $500 price in its quote, less
    // its 80 % of the 0.5 % fee.
    assert_eq!(p.native_balance(2, usdc).await, liqor_usdc);
    assert_eq!(p.pool_vault_balance(0).await, pool);
    let (_, liqor_quote) = p.perp_position(2, 0).await.unwrap();
    let expected = -500e6 + 500e6 * 0.005 * 0.8;
    assert!(
        (liqor_quote - expected).abs() < 1e3,
        "{liqor_quote} vs {expected}"
    );
}

/// A liquidator holding only SOL pays for the spot it buys by borrowing USDC: a loan like
/// any user's, so the bank's borrow limit holds it (no liquidation route lends past it).
#[tokio::test]
async fn a_liquidator_paying_with_a_loan_obeys_the_borrow_limit() {
    let mut p = setup(default_perp_config()).await;
    let (usdc, sol) = (0, 1);
    let (hedged, _eth) = underwater_hedge(&mut p).await;
    let liqor = p.add_user(&[(sol, 100 * SOL)]).await;
    p.deposit(liqor, sol, 100 * SOL).await.unwrap();
    // Tightening a limit applies at once on a live group: at most 300 USDC lent.
    let mut config = p.bank_config(usdc).await;
    config.borrow_limit = 300_000_000;
    p.edit_bank(usdc, config).await.unwrap();

    // 5 SOL at $100 would need a $500 loan.
    assert_err(
        p.liquidate_pair(liqor, hedged, 0, sol, 5 * SOL).await,
        E::BorrowLimitExceeded,
    );
    // 2 SOL fit: the liquidator owes the bank $200 (plus any origination fee) and the
    // pool vault holds the $200.
    let pool = p.pool_vault_balance(0).await;
    p.liquidate_pair(liqor, hedged, 0, sol, 2 * SOL)
        .await
        .unwrap();
    assert_eq!(p.pool_vault_balance(0).await, pool + 200_000_000);
    let owed = -p.native_balance(liqor, usdc).await;
    assert!((200e6..=200e6 * 1.01 + 1.0).contains(&owed), "owed {owed}");
    let bank = p.bank_state(usdc).await;
    let (_, borrows) = bank.native_totals().unwrap();
    assert!(borrows.to_num::<f64>() >= 200e6, "bank borrows {borrows}");
}
