//! The health accounts (`remaining_accounts`) are checked strictly: exactly the bank of
//! every active position in slot order, then their oracles in the same order.

use anchor_lang::prelude::AccountMeta;
use cross_margin::error::CrossMarginError as E;
use cross_margin_client::builders;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::{assert_err, Protocol, TxError};

/// User 0 holds deposits in banks 0 and 1 and borrows from bank 2 (three positions).
async fn setup() -> Protocol {
    let mut p = Protocol::new().await;
    for _ in 0..3 {
        p.add_bank(6, 1.0, default_config()).await;
    }
    let u = p.add_user(&[(0, 1_000_000), (1, 1_000_000)]).await;
    let l = p.add_user(&[(2, 1_000_000)]).await;
    p.deposit(u, 0, 1_000_000).await.unwrap();
    p.deposit(u, 1, 1_000_000).await.unwrap();
    p.deposit(l, 2, 1_000_000).await.unwrap();
    p.withdraw(u, 2, 100_000, true).await.unwrap();
    p
}

/// Withdraw 1 unit of bank 0 with the given health accounts.
async fn withdraw_with(p: &mut Protocol, health: Vec<AccountMeta>) -> Result<(), TxError> {
    let key = p.users[0].key.insecure_clone();
    let ix = builders::token_withdraw(
        &solana_signer::Signer::pubkey(&key),
        &p.group,
        &p.users[0].account,
        &p.banks[0].token_accounts(),
        &p.users[0].wallets[0],
        1,
        false,
        health,
    );
    p.step(&[ix], &[&key]).await
}

#[tokio::test]
async fn the_correct_list_is_accepted() {
    let mut p = setup().await;
    let health = p.health_metas(0, None).await;
    assert_eq!(health.len(), 6);
    withdraw_with(&mut p, health).await.unwrap();
}

#[tokio::test]
async fn missing_or_extra_accounts_are_rejected() {
    let mut p = setup().await;
    let full = p.health_metas(0, None).await;
    // Hiding the debt: drop the borrowed bank and its oracle.
    let hidden: Vec<AccountMeta> = full
        .iter()
        .filter(|m| m.pubkey != p.banks[2].bank && m.pubkey != p.banks[2].oracle)
        .cloned()
        .collect();
    assert_err(withdraw_with(&mut p, hidden).await, E::HealthAccountsCount);
    assert_err(
        withdraw_with(&mut p, full[..5].to_vec()).await,
        E::HealthAccountsCount,
    );
    assert_err(withdraw_with(&mut p, vec![]).await, E::HealthAccountsCount);
    let mut extra = full.clone();
    extra.push(full[0].clone());
    assert_err(withdraw_with(&mut p, extra).await, E::HealthAccountsCount);
}

#[tokio::test]
async fn duplicated_or_reordered_accounts_are_rejected() {
    let mut p = setup().await;
    let full = p.health_metas(0, None).await;
    // A collateral bank passed twice in place of the borrowed bank (double counting).
    let mut dup = full.clone();
    dup[2] = full[0].clone();
    dup[5] = full[3].clone();
    assert_err(withdraw_with(&mut p, dup).await, E::HealthBankMismatch);
    // Banks swapped.
    let mut swapped = full.clone();
    swapped.swap(0, 1);
    swapped.swap(3, 4);
    assert_err(withdraw_with(&mut p, swapped).await, E::HealthBankMismatch);
    // Oracles swapped only.
    let mut oracles = full.clone();
    oracles.swap(3, 4);
    assert_err(
        withdraw_with(&mut p, oracles).await,
        E::HealthOracleMismatch,
    );
    // Another bank's oracle in place of the right one.
    let mut foreign = full.clone();
    foreign[3] = AccountMeta::new_readonly(p.banks[2].oracle, false);
    assert_err(
        withdraw_with(&mut p, foreign).await,
        E::HealthOracleMismatch,
    );
    // A non-bank account in a bank slot.
    let mut not_bank = full.clone();
    not_bank[0] = AccountMeta::new_readonly(p.users[1].account, false);
    assert_err(withdraw_with(&mut p, not_bank).await, E::HealthBankMismatch);
}

#[tokio::test]
async fn a_bank_of_another_group_is_rejected() {
    let mut p = setup().await;
    // A second group by another creator, with its own bank 0 at the same token index.
    let q_admin = solana_keypair::Keypair::new();
    let payer = p.admin();
    let fund = solana_system_interface::instruction::transfer(
        &payer,
        &solana_signer::Signer::pubkey(&q_admin),
        10_000_000_000,
    );
    p.tc.send(&[fund], &[]).await.unwrap();
    let q_key = solana_signer::Signer::pubkey(&q_admin);
    let ix = builders::group_create(&q_key, 0, &q_key);
    p.tc.send(&[ix], &[&q_admin]).await.unwrap();
    let q_group = cross_margin_client::pda::group(&q_key, 0);
    let oracle = p.banks[0].oracle;
    let mint = p.banks[0].mint;
    let ix = builders::bank_register(
        &q_key,
        &q_group,
        &mint,
        &anchor_spl::token::ID,
        &oracle,
        0,
        default_config(),
        &[],
    );
    p.tc.send(&[ix], &[&q_admin]).await.unwrap();

    let mut full = p.health_metas(0, None).await;
    full[0] = AccountMeta::new_readonly(cross_margin_client::pda::bank(&q_group, 0), false);
    assert_err(withdraw_with(&mut p, full).await, E::HealthBankMismatch);
}
