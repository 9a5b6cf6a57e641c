use cross_margin::error::CrossMarginError as E;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::tokens::{TOKEN, TOKEN_2022};
use cross_margin_tests::harness::{assert_err, Protocol};

/// Deposit then withdraw everything, for a mint of the given decimals and token program.
async fn round_trip(decimals: u8, token_program: anchor_lang::prelude::Pubkey) {
    let mut p = Protocol::new().await;
    let bank = p
        .add_bank_with(decimals, token_program, 3.0, default_config())
        .await
        .unwrap();
    let unit = 10u64.pow(decimals as u32);
    let amount = 1_234 * unit + (unit > 1) as u64 * 7;
    let user = p.add_user(&[(bank, amount)]).await;

    p.deposit(user, bank, amount).await.unwrap();
    assert_eq!(p.wallet_balance(user, bank).await, 0);
    assert_eq!(p.native_balance(user, bank).await, amount as f64);
    let b = p.bank_state(bank).await;
    assert_eq!(p.tc.token_balance(b.vault).await, amount);

    // Partial, then the rest: the position frees its slot when empty.
    p.withdraw(user, bank, amount / 2, false).await.unwrap();
    p.withdraw(user, bank, amount - amount / 2, false)
        .await
        .unwrap();
    assert_eq!(p.wallet_balance(user, bank).await, amount);
    let account = p.margin_account(user).await;
    assert!(account.is_empty(), "position slot released");
    let b = p.bank_state(bank).await;
    assert_eq!(b.indexed_deposits.get(), 0);
    assert_eq!(p.tc.token_balance(b.vault).await, 0);

    // Withdrawing from an empty account without allow_borrow is not a silent borrow.
    assert_err(p.withdraw(user, bank, 1, false).await, E::BorrowNotAllowed);
    assert!(p.invariants.checks > 0);
}

#[tokio::test]
async fn round_trip_0_decimals() {
    round_trip(0, TOKEN).await;
}

#[tokio::test]
async fn round_trip_6_decimals() {
    round_trip(6, TOKEN).await;
}

#[tokio::test]
async fn round_trip_9_decimals() {
    round_trip(9, TOKEN).await;
}

#[tokio::test]
async fn round_trip_token_2022() {
    round_trip(6, TOKEN_2022).await;
}

#[tokio::test]
async fn anyone_may_add_to_a_position_but_only_the_owner_opens_one() {
    let mut p = Protocol::new().await;
    let bank = p.add_bank(6, 1.0, default_config()).await;
    let alice = p.add_user(&[(bank, 1)]).await;
    let bob = p.add_user(&[(bank, 500)]).await;
    assert_err(
        p.deposit_into(bob, alice, bank, 500, false).await,
        E::NewPositionNotOwner,
    );
    p.deposit(alice, bank, 1).await.unwrap();
    p.deposit_into(bob, alice, bank, 500, false).await.unwrap();
    assert_eq!(p.native_balance(alice, bank).await, 501.0);
    assert_eq!(p.wallet_balance(bob, bank).await, 0);
}

#[tokio::test]
async fn zero_and_max_amounts_give_named_errors() {
    let mut p = Protocol::new().await;
    let bank = p.add_bank(6, 1.0, default_config()).await;
    let user = p.add_user(&[(bank, 1_000)]).await;
    assert_err(p.deposit(user, bank, 0).await, E::AmountZero);
    assert_err(
        p.deposit(user, bank, u64::MAX).await,
        E::InsufficientWalletBalance,
    );
    p.deposit(user, bank, 1_000).await.unwrap();
    assert_err(p.withdraw(user, bank, 0, false).await, E::AmountZero);
    assert_err(
        p.withdraw(user, bank, u64::MAX, true).await,
        E::InsufficientVaultLiquidity,
    );
    assert_err(
        p.withdraw(user, bank, u64::MAX, false).await,
        E::BorrowNotAllowed,
    );
}
