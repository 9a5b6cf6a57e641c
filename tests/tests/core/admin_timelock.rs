//! Issue 9, the admin door: a loosening change waits out the timelock and is bounded per
//! step, tightening applies at once, a cancelled or stale change never applies, the admin
//! changes hands in two steps, and the 2026 listing attack fails at every step.

use anchor_lang::prelude::Pubkey;
use cross_margin::error::CrossMarginError as E;
use cross_margin::state::{BankConfig, Group};
use cross_margin_client::builders;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::pyth::{self, PythPrice};
use cross_margin_tests::harness::scenarios::{lending_market, listing_config, sol_at, SOL, USDC};
use cross_margin_tests::harness::tokens::TOKEN;
use cross_margin_tests::harness::{assert_err, Protocol};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_keypair::Keypair;
use solana_signer::Signer;

const DAY: i64 = 86_400;

async fn after_timelock(p: &mut Protocol) {
    p.tc.advance_clock(DAY).await;
    sol_at(p, 100.0).await;
}

#[tokio::test]
async fn margin_accounts_wait_for_the_group_to_go_live() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    let owner = Keypair::new();
    let fund = solana_system_interface::instruction::transfer(&p.admin(), &owner.pubkey(), 1 << 30);
    p.tc.send(&[fund], &[]).await.unwrap();
    let ix = builders::account_create(&owner.pubkey(), &p.group, 0);
    assert_err(
        p.tc.send(std::slice::from_ref(&ix), &[&owner]).await,
        E::GroupNotLive,
    );
    p.go_live().await;
    p.tc.send(&[ix], &[&owner]).await.unwrap();
    let again = builders::group_go_live(&p.admin(), &p.group);
    assert_err(p.step(&[again], &[]).await, E::GroupAlreadyLive);
}

#[tokio::test]
async fn a_loosening_change_waits_for_its_timelock_and_tightening_does_not() {
    let mut p = lending_market().await;
    let sol = p.bank_config(SOL).await;
    let looser = BankConfig {
        init_asset_weight_bps: sol.init_asset_weight_bps + 500,
        ..sol
    };
    assert_err(p.edit_bank(SOL, looser).await, E::LooseningNeedsTimelock);
    let change = p.queue_bank_edit(SOL, looser, None).await.unwrap();
    let r = p.apply_bank_edit(SOL, change).await;
    assert_err(r, E::ChangeNotYetEffective);
    after_timelock(&mut p).await;
    p.apply_bank_edit(SOL, change).await.unwrap();
    assert_eq!(p.bank_config(SOL).await, looser);
    assert!(
        p.tc.account(change).await.is_none(),
        "applied changes are closed"
    );
    // Tightening applies at once.
    let tighter = BankConfig {
        borrow_limit: 1_000_000,
        reduce_only: true,
        ..looser
    };
    p.edit_bank(SOL, tighter).await.unwrap();
    assert_eq!(p.bank_config(SOL).await, tighter);
}

#[tokio::test]
async fn loosening_is_bounded_per_step_and_a_stale_or_cancelled_change_never_applies() {
    let mut p = lending_market().await;
    let sol = p.bank_config(SOL).await;
    let too_far = BankConfig {
        init_asset_weight_bps: sol.init_asset_weight_bps + 1_001,
        maint_asset_weight_bps: sol.maint_asset_weight_bps + 1_000,
        ..sol
    };
    let r = p.queue_bank_edit(SOL, too_far, None).await.map(|_| ());
    assert_err(r, E::LooseningStepTooLarge);
    // Stale: a tightening after queueing makes the queued change inapplicable.
    let limited = BankConfig {
        deposit_limit: 1 << 39,
        ..sol
    };
    p.edit_bank(SOL, limited).await.unwrap();
    let looser = BankConfig {
        deposit_limit: 1 << 40,
        ..limited
    };
    let change = p.queue_bank_edit(SOL, looser, None).await.unwrap();
    p.edit_bank(
        SOL,
        BankConfig {
            reduce_only: true,
            ..limited
        },
    )
    .await
    .unwrap();
    after_timelock(&mut p).await;
    assert_err(p.apply_bank_edit(SOL, change).await, E::ChangeStale);
    // Cancelled by the security admin: gone, never applies.
    let current = p.bank_config(SOL).await;
    let change = p
        .queue_bank_edit(
            SOL,
            BankConfig {
                reduce_only: false,
                ..current
            },
            None,
        )
        .await
        .unwrap();
    let sec = p.security_admin.insecure_clone();
    let stranger = Keypair::new();
    let payer = p.admin();
    let cancel = |k: &Keypair| builders::change_cancel(&k.pubkey(), &p.group, &change, &payer);
    let (by_stranger, by_sec) = (cancel(&stranger), cancel(&sec));
    assert_err(
        p.step(&[by_stranger], &[&stranger]).await,
        E::NotCancelAuthority,
    );
    p.step(&[by_sec], &[&sec]).await.unwrap();
    after_timelock(&mut p).await;
    assert!(p.tc.account(change).await.is_none());
    assert!(p.bank_config(SOL).await.reduce_only);
}

#[tokio::test]
async fn the_admin_changes_hands_in_two_steps_after_the_timelock() {
    let mut p = lending_market().await;
    let (admin, group) = (p.admin(), p.group);
    let propose = |k: Option<Pubkey>| builders::group_propose_admin(&admin, &group, k);
    assert_err(
        p.step(&[propose(Some(Pubkey::default()))], &[]).await,
        E::InvalidAdmin,
    );
    assert_err(p.step(&[propose(Some(admin))], &[]).await, E::InvalidAdmin);
    let next = Keypair::new();
    p.step(&[propose(Some(next.pubkey()))], &[]).await.unwrap();
    let accept = builders::group_accept_admin(&next.pubkey(), &group);
    assert_err(
        p.step(std::slice::from_ref(&accept), &[&next]).await,
        E::NotPendingAdmin,
    );
    after_timelock(&mut p).await;
    let stranger = Keypair::new();
    let by_stranger = builders::group_accept_admin(&stranger.pubkey(), &group);
    assert_err(
        p.step(&[by_stranger], &[&stranger]).await,
        E::NotPendingAdmin,
    );
    p.step(&[accept], &[&next]).await.unwrap();
    let g: Group = p.tc.load(group).await;
    assert_eq!(
        (g.admin, g.pending_admin),
        (next.pubkey(), Pubkey::default())
    );
    // The old key is no longer admin.
    assert_err(p.step(&[propose(Some(admin))], &[]).await, E::NotAdmin);
}

/// The 2026 loss: a compromised admin lists a fake token with an oracle it controls,
/// raises its weights and limits and borrows everything, in one transaction. Each step
/// fails on its own, and so does the whole.
#[tokio::test]
async fn the_2026_listing_attack_fails_at_every_step() {
    let mut p = lending_market().await;
    let attacker = p.add_user(&[]).await;
    let collateral = BankConfig {
        init_asset_weight_bps: 9_000,
        maint_asset_weight_bps: 9_500,
        ..default_config()
    };
    // 1. An oracle account the attacker wrote, not Pyth's sponsored feed account.
    let mint = p.tc.create_mint(6, TOKEN).await;
    let fake_oracle = Pubkey::new_unique();
    let r = p
        .register(
            mint,
            6,
            TOKEN,
            listing_config(collateral),
            Some(1_000.0),
            Some(fake_oracle),
        )
        .await;
    assert!(
        matches!(r, Err(ref e) if e.is(E::OracleNotCanonical)),
        "{r:?}"
    );
    // 2. Listed as collateral straight away.
    let r = p
        .add_bank_with(6, TOKEN, 1_000.0, collateral)
        .await
        .map(|_| ());
    assert_err(r, E::NewBankAssetWeightNotZero);
    // 3. Listed at weight 0 (allowed: not collateral), then weights and limits raised.
    let fake = p.add_bank(6, 1_000.0, listing_config(collateral)).await;
    assert_err(
        p.edit_bank(fake, collateral).await,
        E::LooseningNeedsTimelock,
    );
    let r = p.queue_bank_edit(fake, collateral, None).await.map(|_| ());
    assert_err(r, E::LooseningStepTooLarge);
    // 4. Borrowing everything against the fake token at weight 0.
    let (fake_mint, wallet) = (p.banks[fake].mint, p.users[attacker].wallets[fake]);
    p.tc.mint_to(&fake_mint, &wallet, 1_000_000_000_000).await;
    p.deposit(attacker, fake, 1_000_000_000_000).await.unwrap();
    let r = p.withdraw(attacker, USDC, 10_000_000_000, true).await;
    assert_err(r, E::HealthWouldBeNegative);
    // 5. A first 0.1 step queued: visible for a day, and the security admin vetoes it.
    let step = BankConfig {
        init_asset_weight_bps: 1_000,
        maint_asset_weight_bps: 1_000,
        ..listing_config(collateral)
    };
    let change = p.queue_bank_edit(fake, step, None).await.unwrap();
    assert_err(
        p.apply_bank_edit(fake, change).await,
        E::ChangeNotYetEffective,
    );
    let sec = p.security_admin.insecure_clone();
    let cancel = builders::change_cancel(&sec.pubkey(), &p.group, &change, &p.admin());
    p.step(&[cancel], &[&sec]).await.unwrap();
    // 6. The whole attack in one transaction (list with a canonical oracle, raise the
    // weights) fails and changes nothing.
    let mint = p.tc.create_mint(6, TOKEN).await;
    let token_index = p.banks.len() as u16;
    let feed = pyth::feed_id("attacker feed");
    let oracle = pyth::pull_address(&feed);
    let now = p.tc.now().await;
    let account = pyth::pull_account(
        feed,
        PythPrice::usd(1_000.0, 0, now),
        VerificationLevel::Full,
    );
    p.tc.set_account(&oracle, account);
    let bank = cross_margin_client::pda::bank(&p.group, token_index);
    let (admin, group, others) = (p.admin(), p.group, p.other_banks(None));
    let list = builders::bank_register(
        &admin,
        &group,
        &mint,
        &TOKEN,
        &oracle,
        token_index,
        listing_config(collateral),
        &others,
    );
    let mut with_new = others.clone();
    with_new.push(bank);
    let raise = builders::bank_edit(&admin, &group, &bank, &oracle, collateral, &with_new);
    assert_err(p.step(&[list, raise], &[]).await, E::LooseningNeedsTimelock);
    assert!(p.tc.account(bank).await.is_none());
}

/// Audit finding: a change queued during setup (due at once then) must not skip the
/// timelock once the group is live; and the security admin may veto bank changes but not
/// cancel a group change (its own replacement).
#[tokio::test]
async fn a_change_queued_during_setup_waits_a_full_timelock_after_go_live() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    p.add_bank(9, 100.0, default_config()).await;
    let looser = BankConfig {
        max_conf_bps: 300,
        ..p.bank_config(1).await
    };
    let change = p.queue_bank_edit(1, looser, None).await.unwrap();
    p.go_live().await;
    assert_err(p.apply_bank_edit(1, change).await, E::ChangeNotYetEffective);
    let (admin, group) = (p.admin(), p.group);
    let current = p.group_state().await.settings();
    let id = p.group_state().await.change_count;
    let new_sec = Keypair::new();
    let queue = builders::group_queue_edit(
        &admin,
        &group,
        id,
        cross_margin::state::GroupSettings {
            security_admin: new_sec.pubkey(),
            ..current
        },
    );
    p.step(&[queue], &[]).await.unwrap();
    let group_change = cross_margin_client::pda::change(&group, id);
    let sec = p.security_admin.insecure_clone();
    let veto = builders::change_cancel(&sec.pubkey(), &group, &group_change, &admin);
    assert_err(p.step(&[veto], &[&sec]).await, E::NotCancelAuthority);
    p.tc.advance_clock(DAY).await;
    p.set_price(0, 1.0, 0).await;
    p.set_price(1, 100.0, 0).await;
    p.apply_bank_edit(1, change).await.unwrap();
    let apply = builders::group_apply_edit(&group, &group_change, &admin);
    p.step(&[apply], &[]).await.unwrap();
    assert_eq!(p.group_state().await.security_admin, new_sec.pubkey());
}
