//! Cases 25–27: Token-2022 extensions and frozen accounts.

use cross_margin::error::CrossMarginError as E;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::scenarios::{lending_market, LENDER, USDC};
use cross_margin_tests::harness::tokens::{MintExtension, TOKEN_2022};
use cross_margin_tests::harness::{assert_err, Protocol};

/// Case 25: a transfer-fee mint would credit more than arrives; the protocol refuses such
/// mints at registration (a plain Token-2022 mint works: see core round trips).
#[tokio::test]
async fn case25_transfer_fee_mints_are_refused_at_registration() {
    let mut p = Protocol::new().await;
    let mint =
        p.tc.create_mint_with(6, TOKEN_2022, &[MintExtension::TransferFee { bps: 50 }])
            .await
            .unwrap();
    let r = p
        .register(mint, 6, TOKEN_2022, default_config(), Some(1.0), None)
        .await;
    assert_err(r.map(|_| ()), E::UnsupportedMintExtension);
}

#[tokio::test]
async fn case26_permanent_delegate_transfer_hook_and_default_frozen_are_refused() {
    for ext in [
        MintExtension::PermanentDelegate,
        MintExtension::TransferHook,
        MintExtension::DefaultFrozen,
    ] {
        let mut p = Protocol::new().await;
        let mint = p.tc.create_mint_with(6, TOKEN_2022, &[ext]).await.unwrap();
        let r = p
            .register(mint, 6, TOKEN_2022, default_config(), Some(1.0), None)
            .await;
        assert_err(r.map(|_| ()), E::UnsupportedMintExtension);
    }
}

#[tokio::test]
async fn case27_a_frozen_wallet_fails_cleanly() {
    let mut p = lending_market().await;
    let (mint, wallet) = (p.banks[USDC].mint, p.users[LENDER].wallets[USDC]);
    p.tc.mint_to(&mint, &wallet, 100).await;
    p.tc.freeze(&wallet, &mint).await;
    assert_err(p.deposit(LENDER, USDC, 100).await, E::TokenAccountFrozen);
    assert_err(
        p.withdraw(LENDER, USDC, 100, false).await,
        E::TokenAccountFrozen,
    );
    let key = p.users[LENDER].key.insecure_clone();
    let ix = cross_margin_client::builders::insurance_deposit(
        &solana_signer::Signer::pubkey(&key),
        &p.asset_accounts(USDC),
        &wallet,
        1,
    );
    assert_err(p.step(&[ix], &[&key]).await, E::TokenAccountFrozen);
}
