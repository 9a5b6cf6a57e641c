//! Cases 1–8: forged, substituted and mismatched accounts.

use anchor_lang::error::ErrorCode as A;
use anchor_lang::prelude::{AccountMeta, Pubkey};
use cross_margin::error::CrossMarginError as E;
use cross_margin_client::builders;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::scenarios::{lending_market, LENDER, SOL, USDC, VICTIM};
use cross_margin_tests::harness::{assert_anchor_err, assert_err, Protocol, TxError};
use solana_account::Account;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// A withdrawal of 1 USDC by `signer` from `account` with the given bank accounts.
async fn withdraw_with(
    p: &mut Protocol,
    signer: &Keypair,
    account: Pubkey,
    bank: builders::BankTokenAccounts,
    health: Vec<AccountMeta>,
) -> Result<(), TxError> {
    let ix = builders::token_withdraw(
        &signer.pubkey(),
        &p.group,
        &account,
        &bank,
        &p.users[LENDER].wallets[USDC],
        1,
        true,
        health,
    );
    p.step(&[ix], &[signer]).await
}

/// Copy an account's bytes to a fresh address owned by `owner`.
async fn clone_to(
    p: &mut Protocol,
    from: Pubkey,
    owner: Pubkey,
    edit: impl FnOnce(&mut Vec<u8>),
) -> Pubkey {
    let mut a: Account = p.tc.account(from).await.unwrap();
    edit(&mut a.data);
    a.owner = owner;
    let key = Pubkey::new_unique();
    p.tc.set_account(&key, a);
    key
}

#[tokio::test]
async fn case01_signing_for_another_users_account() {
    let mut p = lending_market().await;
    let attacker = p.users[LENDER].key.insecure_clone();
    let victim = p.users[VICTIM].account;
    let health = p.health_metas(VICTIM, Some(USDC)).await;
    let bank = p.banks[USDC].token_accounts();
    assert_err(
        withdraw_with(&mut p, &attacker, victim, bank, health).await,
        E::NotOwnerOrDelegate,
    );
}

#[tokio::test]
async fn case02_identical_bytes_owned_by_another_program() {
    let mut p = lending_market().await;
    let attacker = p.users[LENDER].key.insecure_clone();
    // The victim's account, re-owned by the attacker, at an address of another program.
    let owner_offset = 8 + 32;
    let attacker_key = attacker.pubkey();
    let victim_account = p.users[VICTIM].account;
    let forged = clone_to(&mut p, victim_account, Pubkey::new_unique(), |d| {
        d[owner_offset..owner_offset + 32].copy_from_slice(attacker_key.as_ref());
    })
    .await;
    let health = p.health_metas(VICTIM, Some(USDC)).await;
    let bank = p.banks[USDC].token_accounts();
    assert_anchor_err(
        withdraw_with(&mut p, &attacker, forged, bank, health).await,
        A::AccountOwnedByWrongProgram,
    );
}

#[tokio::test]
async fn case03_type_confusion_between_bank_group_and_account() {
    let mut p = lending_market().await;
    let lender = p.users[LENDER].key.insecure_clone();
    let wallet = p.users[LENDER].wallets[USDC];
    let bank = p.banks[USDC].token_accounts();
    for fake_account in [p.banks[USDC].bank, p.group] {
        let ix = builders::token_deposit(&lender.pubkey(), &fake_account, &bank, &wallet, 1);
        assert_anchor_err(
            p.step(&[ix], &[&lender]).await,
            A::AccountDiscriminatorMismatch,
        );
    }
    let mut as_bank = bank;
    as_bank.bank = p.users[LENDER].account;
    let ix = builders::token_deposit(
        &lender.pubkey(),
        &p.users[LENDER].account,
        &as_bank,
        &wallet,
        1,
    );
    assert_anchor_err(
        p.step(&[ix], &[&lender]).await,
        A::AccountDiscriminatorMismatch,
    );
    // A Group in a health-account bank slot.
    let mut health = p.health_metas(LENDER, Some(USDC)).await;
    health[0] = AccountMeta::new_readonly(p.group, false);
    let account = p.users[LENDER].account;
    assert_err(
        withdraw_with(&mut p, &lender, account, bank, health).await,
        E::HealthBankMismatch,
    );
}

#[tokio::test]
async fn case04_attacker_group_with_a_real_bank() {
    let mut p = lending_market().await;
    let attacker = p.users[LENDER].key.insecure_clone();
    let ix = builders::group_create(&attacker.pubkey(), 7, &attacker.pubkey());
    p.step(&[ix], &[&attacker]).await.unwrap();
    let own_group = cross_margin_client::pda::group(&attacker.pubkey(), 7);
    let (bank, oracle) = (p.banks[USDC].bank, p.banks[USDC].oracle);
    let loose = cross_margin::state::BankConfig {
        init_asset_weight_bps: 10_000,
        maint_asset_weight_bps: 10_000,
        ..default_config()
    };
    let ix = builders::bank_edit(
        &attacker.pubkey(),
        &own_group,
        &bank,
        &oracle,
        loose,
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[&attacker]).await, E::GroupMismatch);
    let ix = builders::bank_edit(
        &attacker.pubkey(),
        &p.group,
        &bank,
        &oracle,
        loose,
        &p.other_banks(None),
    );
    assert_err(p.step(&[ix], &[&attacker]).await, E::NotAdmin);
    let ix = builders::group_set_paused(&attacker.pubkey(), &p.group, true);
    assert_err(p.step(&[ix], &[&attacker]).await, E::NotPauseAuthority);
}

#[tokio::test]
async fn case05_bank_with_another_banks_vault_or_mint() {
    let mut p = lending_market().await;
    let lender = p.users[LENDER].key.insecure_clone();
    let account = p.users[LENDER].account;
    let health = p.health_metas(LENDER, Some(USDC)).await;
    let mut bank = p.banks[USDC].token_accounts();
    bank.vault = p.banks[SOL].vault;
    assert_err(
        withdraw_with(&mut p, &lender, account, bank, health.clone()).await,
        E::VaultMismatch,
    );
    let mut bank = p.banks[USDC].token_accounts();
    bank.mint = p.banks[SOL].mint;
    assert_err(
        withdraw_with(&mut p, &lender, account, bank, health).await,
        E::MintMismatch,
    );
    let ix = builders::token_deposit(
        &lender.pubkey(),
        &account,
        &p.banks[USDC].token_accounts(),
        &p.users[LENDER].wallets[SOL],
        1,
    );
    assert_err(p.step(&[ix], &[&lender]).await, E::MintMismatch);
}

#[tokio::test]
async fn case06_vault_with_other_seeds_or_a_non_canonical_bump() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    let mint = p.tc.create_mint(6, anchor_spl::token::ID).await;
    let admin = p.admin();
    let oracle = p.banks[0].oracle;
    let mut ix = builders::bank_register(
        &admin,
        &p.group,
        &mint,
        &anchor_spl::token::ID,
        &oracle,
        1,
        default_config(),
        &p.other_banks(None),
    );
    // The vault slot (index 4) replaced by a PDA of the same seeds with a lower bump, or by
    // another program address with other seeds.
    let bank = cross_margin_client::pda::bank(&p.group, 1);
    let (_, canonical) =
        Pubkey::find_program_address(&[b"vault", bank.as_ref()], &cross_margin::ID);
    let non_canonical = (0..canonical)
        .rev()
        .find_map(|b| {
            Pubkey::create_program_address(&[b"vault", bank.as_ref(), &[b]], &cross_margin::ID).ok()
        })
        .expect("some lower bump is off-curve");
    for fake in [
        non_canonical,
        cross_margin_client::pda::vault(&p.banks[0].bank),
    ] {
        ix.accounts[4] = AccountMeta::new(fake, false);
        assert_anchor_err(p.step(&[ix.clone()], &[]).await, A::ConstraintSeeds);
    }
}

#[tokio::test]
async fn case07_fake_token_program_and_sysvars() {
    let mut p = lending_market().await;
    let lender = p.users[LENDER].key.insecure_clone();
    let account = p.users[LENDER].account;
    let mut bank = p.banks[USDC].token_accounts();
    bank.token_program = Pubkey::new_unique();
    let ix = builders::token_deposit(
        &lender.pubkey(),
        &account,
        &bank,
        &p.users[LENDER].wallets[USDC],
        1,
    );
    assert_anchor_err(p.step(&[ix], &[&lender]).await, A::InvalidProgramId);
    // The program reads the clock through the syscall and takes no sysvar accounts, so a
    // forged Clock or Instructions account has nowhere to go: appended, it is just an
    // unexpected health account.
    let mut health = p.health_metas(LENDER, Some(USDC)).await;
    health.push(AccountMeta::new_readonly(
        <Pubkey as std::str::FromStr>::from_str("SysvarC1ock11111111111111111111111111111111")
            .unwrap(),
        false,
    ));
    let bank = p.banks[USDC].token_accounts();
    assert_err(
        withdraw_with(&mut p, &lender, account, bank, health).await,
        E::HealthAccountsCount,
    );
}

#[tokio::test]
async fn case08_a_chain_of_fake_accounts() {
    // Cashio-style: a fake group, a fake bank pointing at an attacker vault and mint, and a
    // fake margin account claiming a huge deposit, all pointing at each other.
    let mut p = lending_market().await;
    let attacker = p.users[LENDER].key.insecure_clone();
    let fake_program = Pubkey::new_unique();
    let (real_group, real_bank) = (p.group, p.banks[USDC].bank);
    let fake_group = clone_to(&mut p, real_group, fake_program, |_| {}).await;
    let attacker_vault = p.users[LENDER].wallets[USDC];
    let fake_bank = clone_to(&mut p, real_bank, fake_program, |d| {
        d[8..40].copy_from_slice(fake_group.as_ref());
        d[8 + 64..8 + 96].copy_from_slice(attacker_vault.as_ref());
    })
    .await;
    let mut bank = p.banks[USDC].token_accounts();
    bank.bank = fake_bank;
    bank.vault = attacker_vault;
    let health = vec![
        AccountMeta::new_readonly(fake_bank, false),
        AccountMeta::new_readonly(p.banks[USDC].oracle, false),
    ];
    let ix = builders::token_withdraw(
        &attacker.pubkey(),
        &fake_group,
        &p.users[LENDER].account,
        &bank,
        &p.users[LENDER].wallets[USDC],
        1,
        true,
        health,
    );
    assert_anchor_err(
        p.step(&[ix], &[&attacker]).await,
        A::AccountOwnedByWrongProgram,
    );
}
