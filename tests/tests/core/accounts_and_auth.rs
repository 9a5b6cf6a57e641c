use cross_margin::error::CrossMarginError as E;
use cross_margin::state::GroupSettings;
use cross_margin_client::builders;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::{assert_err, Protocol};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Banks 0 and [`OTHER`] at $1 (both listed before the group went live); user 0 deposited
/// 1,000 into bank 0.
async fn setup() -> Protocol {
    let mut p = Protocol::new().await;
    let b = p.add_bank(6, 1.0, default_config()).await;
    p.add_bank(6, 1.0, default_config()).await;
    let u = p.add_user(&[(b, 1_000_000_000)]).await;
    p.deposit(u, b, 1_000_000_000).await.unwrap();
    p
}

/// The second bank of [`setup`].
const OTHER: usize = 1;

/// A withdrawal from user 0's account signed by `signer` into user `to`'s wallet.
async fn withdraw_as(
    p: &mut Protocol,
    signer: &Keypair,
    to: usize,
    amount: u64,
) -> Result<(), cross_margin_tests::harness::TxError> {
    let health = p.health_metas(0, Some(0)).await;
    let ix = builders::token_withdraw(
        &signer.pubkey(),
        &p.group,
        &p.users[0].account,
        &p.banks[0].token_accounts(),
        &p.users[to].wallets[0],
        amount,
        false,
        health,
    );
    p.step(&[ix], &[signer]).await
}

#[tokio::test]
async fn a_stranger_cannot_withdraw() {
    let mut p = setup().await;
    let thief = p.add_user(&[]).await;
    let key = p.users[thief].key.insecure_clone();
    assert_err(
        withdraw_as(&mut p, &key, thief, 1).await,
        E::NotOwnerOrDelegate,
    );
}

#[tokio::test]
async fn a_delegate_can_withdraw_but_not_close_or_redelegate() {
    let mut p = setup().await;
    let delegate = p.add_user(&[]).await;
    let dkey = p.users[delegate].key.insecure_clone();
    let owner = p.users[0].key.insecure_clone();
    let account = p.users[0].account;
    let ix = builders::account_set_delegate(&owner.pubkey(), &account, &dkey.pubkey());
    p.step(&[ix], &[&owner]).await.unwrap();

    withdraw_as(&mut p, &dkey, delegate, 10).await.unwrap();
    assert_eq!(p.wallet_balance(delegate, 0).await, 10);

    let ix = builders::account_close(&dkey.pubkey(), &account);
    assert_err(p.step(&[ix], &[&dkey]).await, E::NotOwner);
    let ix = builders::account_set_delegate(&dkey.pubkey(), &account, &dkey.pubkey());
    assert_err(p.step(&[ix], &[&dkey]).await, E::NotOwner);

    // The owner revokes; the former delegate is a stranger again.
    let ix = builders::account_set_delegate(&owner.pubkey(), &account, &Default::default());
    p.step(&[ix], &[&owner]).await.unwrap();
    assert_err(
        withdraw_as(&mut p, &dkey, delegate, 1).await,
        E::NotOwnerOrDelegate,
    );
}

#[tokio::test]
async fn pause_blocks_withdraw_and_borrow_and_only_the_admin_unpauses() {
    let mut p = setup().await;
    let other = OTHER;
    let lender = p.add_user(&[(other, 1_000_000)]).await;
    p.deposit(lender, other, 1_000_000).await.unwrap();
    let group = p.group;
    let sec = p.security_admin.insecure_clone();

    let stranger = Keypair::new();
    let ix = builders::group_set_paused(&stranger.pubkey(), &group, true);
    assert_err(p.step(&[ix], &[&stranger]).await, E::NotPauseAuthority);

    let ix = builders::group_set_paused(&sec.pubkey(), &group, true);
    p.step(&[ix], &[&sec]).await.unwrap();
    assert_err(p.withdraw(0, 0, 1, false).await, E::GroupPaused);
    assert_err(p.withdraw(0, other, 1, true).await, E::GroupPaused);
    // Deposits and repays only reduce risk: allowed while paused.
    let (mint, wallet) = (p.banks[0].mint, p.users[0].wallets[0]);
    p.tc.mint_to(&mint, &wallet, 5).await;
    p.deposit(0, 0, 5).await.unwrap();

    let ix = builders::group_set_paused(&sec.pubkey(), &group, false);
    assert_err(p.step(&[ix], &[&sec]).await, E::OnlyAdminCanUnpause);
    let admin = p.admin();
    let ix = builders::group_set_paused(&admin, &group, false);
    p.step(&[ix], &[]).await.unwrap();
    p.withdraw(0, 0, 1, false).await.unwrap();
    p.withdraw(0, other, 1, true).await.unwrap();
}

#[tokio::test]
async fn group_edit_is_admin_only() {
    let mut p = setup().await;
    let group = p.group;
    let stranger = Keypair::new();
    let ix = builders::group_edit(
        &stranger.pubkey(),
        &group,
        GroupSettings::defaults(stranger.pubkey()),
    );
    assert_err(p.step(&[ix], &[&stranger]).await, E::NotAdmin);
    let admin = p.admin();
    let current =
        p.tc.load::<cross_margin::state::Group>(group)
            .await
            .settings();
    // On a live group a new security admin is a loosening: it must be queued.
    let new_sec = Keypair::new();
    let loosen = GroupSettings {
        security_admin: new_sec.pubkey(),
        ..current
    };
    let ix = builders::group_edit(&admin, &group, loosen);
    assert_err(p.step(&[ix], &[]).await, E::LooseningNeedsTimelock);
    // A longer timelock tightens and applies at once.
    let tighter = GroupSettings {
        timelock_secs: current.timelock_secs * 2,
        ..current
    };
    p.step(&[builders::group_edit(&admin, &group, tighter)], &[])
        .await
        .unwrap();
    let g: cross_margin::state::Group = p.tc.load(group).await;
    assert_eq!(g.settings(), tighter);
    assert_eq!(g.admin, admin);
}

#[tokio::test]
async fn closing_requires_an_empty_account_and_returns_rent() {
    let mut p = setup().await;
    let other = OTHER;
    let lender = p.add_user(&[(other, 1_000_000)]).await;
    p.deposit(lender, other, 1_000_000).await.unwrap();
    let owner = p.users[0].key.insecure_clone();
    let account = p.users[0].account;
    let close = builders::account_close(&owner.pubkey(), &account);

    assert_err(
        p.step(std::slice::from_ref(&close), &[&owner]).await,
        E::AccountNotEmpty,
    );
    // With debt too.
    p.withdraw(0, other, 1_000, true).await.unwrap();
    assert_err(
        p.step(std::slice::from_ref(&close), &[&owner]).await,
        E::AccountNotEmpty,
    );
    // Debt repaid (with the borrowed tokens), deposit still there.
    p.deposit(0, other, 1_000).await.unwrap();
    assert_err(
        p.step(std::slice::from_ref(&close), &[&owner]).await,
        E::AccountNotEmpty,
    );
    p.withdraw(0, 0, 1_000_000_000, false).await.unwrap();
    assert!(p.margin_account(0).await.is_empty());

    let lamports_before = p.tc.account(owner.pubkey()).await.unwrap().lamports;
    let rent = p.tc.account(account).await.unwrap().lamports;
    p.step(&[close], &[&owner]).await.unwrap();
    assert!(p.tc.account(account).await.is_none(), "account closed");
    let lamports_after = p.tc.account(owner.pubkey()).await.unwrap().lamports;
    assert_eq!(
        lamports_after,
        lamports_before + rent,
        "rent returned to the owner"
    );
}

#[tokio::test]
async fn accounts_of_another_mint_are_rejected() {
    let mut p = setup().await;
    let other = OTHER;
    let u = &p.users[0];
    let (key, account) = (u.key.insecure_clone(), u.account);
    let mut bank0 = p.banks[0].token_accounts();

    // Bank 0 with bank 1's vault.
    bank0.vault = p.banks[other].vault;
    let ix = builders::token_deposit(&key.pubkey(), &account, &bank0, &p.users[0].wallets[0], 1);
    assert_err(p.step(&[ix], &[&key]).await, E::VaultMismatch);

    // Bank 0 with bank 1's mint.
    let mut bank0 = p.banks[0].token_accounts();
    bank0.mint = p.banks[other].mint;
    let ix = builders::token_deposit(&key.pubkey(), &account, &bank0, &p.users[0].wallets[0], 1);
    assert_err(p.step(&[ix], &[&key]).await, E::MintMismatch);

    // A source wallet of the other mint.
    let bank0 = p.banks[0].token_accounts();
    let ix = builders::token_deposit(
        &key.pubkey(),
        &account,
        &bank0,
        &p.users[0].wallets[other],
        1,
    );
    assert_err(p.step(&[ix], &[&key]).await, E::MintMismatch);

    // A destination wallet of the other mint.
    let health = p.health_metas(0, Some(0)).await;
    let ix = builders::token_withdraw(
        &key.pubkey(),
        &p.group,
        &account,
        &bank0,
        &p.users[0].wallets[other],
        1,
        false,
        health,
    );
    assert_err(p.step(&[ix], &[&key]).await, E::MintMismatch);

    // The classic token program for a bank whose mint it owns is fine; another program is not.
    let mut bank0 = p.banks[0].token_accounts();
    bank0.token_program = anchor_spl::token_2022::ID;
    let ix = builders::token_deposit(&key.pubkey(), &account, &bank0, &p.users[0].wallets[0], 1);
    assert_err(p.step(&[ix], &[&key]).await, E::TokenProgramMismatch);
}
