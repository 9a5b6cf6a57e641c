//! Transactions that would not fit a packet (issue 8, hole 11).
//!
//! A liquidation between two full accounts (8 positions each, over 14 banks) carries 42
//! account entries: as a legacy transaction it is over the 1,232-byte limit a cluster
//! enforces. The local validator enforces it too now (`LocalChain::send` refuses before
//! sending), and through the group's address lookup table the same liquidation is a v0
//! transaction well under the limit.
//!
//! The accounts are `harness::full_accounts`: 8 positions each over 14 banks, sharing only
//! the asset and liability of the liquidation.
//!
//! The worst case with perps (issue: "8 tokens + 4 perps on both sides of a liquidation
//! fit in one v0 transaction; a test sends one"): both accounts also hold 4 perp
//! positions, and a `perp_liquidate` and a `token_liquidate` between them are sent as v0
//! transactions through the group's table, extended with the perp markets, pool vaults and
//! LP mints (the client's `group_addresses` lists banks only). The hedged pair liquidation,
//! whose fixed accounts are the most (spot bank, settle bank, its vault, the pool vault,
//! the mint and the token program), is sent the same way between two full accounts whose
//! liquidatee's market-0 perp hedges its spot.

use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use cross_margin_client::chain::Chain;
use cross_margin_client::lookup_table::{self, group_addresses};
use cross_margin_client::perp_builders as pb;
use cross_margin_client::tx::{
    self, MessageVersion, TxBuildError, MAX_TX_ACCOUNTS, PACKET_DATA_SIZE,
};
use cross_margin_tests::harness::full_accounts::{
    two_full_accounts, two_full_accounts_with_perps, two_full_hedged_accounts, ASSET, BANKS, HEDGE,
    LIAB, PERP_BANKS, SETTLE, TOKEN,
};
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::scenarios::listing_config;
use cross_margin_tests::harness::{Protocol, TxError};
use solana_signer::Signer;

#[tokio::test]
async fn an_eight_by_eight_liquidation_fits_only_through_the_lookup_table() {
    let (mut p, liqee, liqor) = two_full_accounts().await;
    assert!(p.health(liqee).await.unwrap().maint < 0);
    let (ix, key) = p.liquidate_ix(liqor, liqee, ASSET, LIAB, u64::MAX).await;
    assert_eq!(
        ix.accounts.len(),
        6 + 2 * 16,
        "6 fixed accounts + two health lists"
    );
    let payer = p.tc.payer_key();
    let distinct = tx::distinct_accounts(&payer, std::slice::from_ref(&ix));
    assert!(distinct <= MAX_TX_ACCOUNTS);

    // As legacy, the validator refuses it before sending, as a cluster would drop it.
    let legacy = p.step(std::slice::from_ref(&ix), &[&key]).await;
    let legacy_size = match legacy {
        Err(TxError::Unsendable(TxBuildError::TooLarge {
            size,
            version: MessageVersion::Legacy,
        })) => size,
        other => panic!("expected a too-large legacy transaction, got {other:?}"),
    };
    assert!(legacy_size > PACKET_DATA_SIZE);

    // Through the group's table, the same instruction goes through as v0.
    let sync = p.use_lookup_table().await;
    assert!(sync.created && sync.left_out == 0, "{sync:?}");
    let debt_before = p.native_balance(liqee, LIAB).await;
    let init_before = p.health(liqee).await.unwrap().init;
    p.step(std::slice::from_ref(&ix), &[&key]).await.unwrap();
    let sent = p.tc.chain.last_tx.expect("a transaction was sent");
    assert_eq!(sent.version, MessageVersion::V0);
    assert!(sent.size <= PACKET_DATA_SIZE, "{sent:?}");
    eprintln!(
        "8×8 liquidation over {BANKS} banks: {} account entries, {distinct} distinct keys \
         (with the payer); legacy {legacy_size} bytes, v0 {} bytes (with the local \
         backend's compute-limit instruction)",
        ix.accounts.len(),
        sent.size
    );
    assert!(
        p.native_balance(liqee, LIAB).await > debt_before,
        "debt taken over"
    );
    let init_after = p.health(liqee).await.unwrap().init;
    assert!(init_after > init_before && init_after >= 0, "{init_after}");

    // The same measurement without the compute-limit instruction, from the client alone.
    let tables = p.tc.chain.lookup_tables().to_vec();
    let blockhash = p.tc.chain.ctx.last_blockhash;
    let payer_key = p.tc.payer().insecure_clone();
    let v0 = tx::assemble(
        &payer_key,
        &[&key],
        std::slice::from_ref(&ix),
        blockhash,
        &tables,
    )
    .unwrap();
    let err = tx::assemble(&payer_key, &[&key], &[ix], blockhash, &[]).unwrap_err();
    assert!(
        matches!(err, TxBuildError::TooLarge { size, .. } if size > PACKET_DATA_SIZE),
        "{err}"
    );
    eprintln!("bare liquidation: v0 {} bytes; {err}", v0.shape.size);
}

#[tokio::test]
async fn the_group_table_is_created_once_and_extended_with_new_banks_only() {
    let mut p = Protocol::new().await;
    for _ in 0..3 {
        p.add_bank(6, 1.0, default_config()).await;
    }
    let first = p.use_lookup_table().await;
    assert!(first.created);
    let group = p.group;
    let table = lookup_table::fetch(&mut p, &first.table)
        .await
        .unwrap()
        .expect("table exists");
    let banks: Vec<_> = {
        let mut v = vec![];
        for i in 0..3 {
            v.push(p.bank_state(i).await);
        }
        v
    };
    assert_eq!(table.addresses, group_addresses(&group, &banks));
    assert_eq!(table.authority, Some(p.admin()));
    // Anyone finds it by convention: authority = the group's admin, first address = group.
    let found = lookup_table::find_group_table(&mut p, &group)
        .await
        .unwrap();
    assert_eq!(found.map(|t| t.key), Some(first.table));

    // Nothing to do a second time.
    let again = p.use_lookup_table().await;
    assert_eq!((again.table, again.changed()), (first.table, false));

    // A new bank: only its keys (bank, oracle, vault, insurance vault, mint) are appended.
    p.add_bank(9, 2.0, default_config()).await;
    let third = p.use_lookup_table().await;
    assert_eq!(
        (third.table, third.created, third.added),
        (first.table, false, 5)
    );
    let table = lookup_table::fetch(&mut p, &first.table)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(table.addresses.len(), 1 + 3 * 5 + 1 + 1 + 5);
    assert!(table.addresses.contains(&p.banks[3].oracle));
    // Registered: every address usable now, since the helper waited a slot.
    assert_eq!(
        p.tc.chain.lookup_tables()[0].addresses.len(),
        table.addresses.len()
    );
}

#[tokio::test]
async fn a_transaction_over_64_accounts_is_refused_before_it_is_sent() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    let user = p.add_user(&[]).await;
    let accounts = (0..MAX_TX_ACCOUNTS)
        .map(|_| AccountMeta::new_readonly(Pubkey::new_unique(), false))
        .collect();
    let ix = Instruction {
        program_id: cross_margin::ID,
        accounts,
        data: vec![],
    };
    let key = p.users[user].key.insecure_clone();
    // Even a lookup table cannot lift the account limit.
    p.use_lookup_table().await;
    match p.step(&[ix], &[&key]).await {
        Err(TxError::Unsendable(TxBuildError::TooManyAccounts { count })) => {
            assert!(count > MAX_TX_ACCOUNTS)
        }
        other => panic!("expected TooManyAccounts, got {other:?}"),
    }
}

#[tokio::test]
async fn addresses_appended_in_this_slot_are_only_looked_up_from_the_next() {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, default_config()).await;
    let user = p.add_user(&[]).await;
    let table = p.use_lookup_table().await.table;
    // A second bank (listed on the live group: asset weight 0), appended to the table by
    // hand without waiting for the next slot.
    p.add_bank(6, 1.0, listing_config(default_config())).await;
    let (mint, wallet) = (p.banks[1].mint, p.users[user].wallets[1]);
    p.tc.mint_to(&mint, &wallet, 10 * TOKEN).await;
    let admin = p.admin();
    let new_keys = vec![p.banks[1].bank, p.banks[1].vault, p.banks[1].mint];
    let extend = lookup_table::extend_lookup_table(table, admin, Some(admin), new_keys);
    p.step(&[extend], &[]).await.unwrap();
    let slot = p.tc.slot().await.unwrap();
    let t = lookup_table::fetch(&mut p, &table).await.unwrap().unwrap();
    assert_eq!(t.last_extended_slot, slot);
    assert_eq!(t.usable_at(slot).addresses.len(), t.addresses.len() - 3);

    // Compiled against every address, ignoring the warm-up, the runtime refuses it.
    p.tc.chain
        .set_lookup_tables(vec![lookup_table::AddressLookupTableAccount {
            key: table,
            addresses: t.addresses.clone(),
        }]);
    match p.deposit(user, 1, TOKEN).await {
        Err(TxError::Other(e)) => assert!(e.contains("lookup"), "{e}"),
        other => panic!("expected an address-lookup failure, got {other:?}"),
    }
    // Registered as the client does (usable addresses only), the new keys stay static.
    lookup_table::use_table(&mut p, &table).await.unwrap();
    p.deposit(user, 1, TOKEN).await.unwrap();
    // From the next slot on, they are looked up.
    p.tc.wait_for_slot(slot + 1).await.unwrap();
    lookup_table::use_table(&mut p, &table).await.unwrap();
    assert_eq!(p.tc.chain.lookup_tables()[0].addresses, t.addresses);
    p.deposit(user, 1, TOKEN).await.unwrap();
    let sent = p.tc.chain.last_tx.unwrap();
    assert_eq!(sent.version, MessageVersion::V0);
}

/// The size of `ixs` signed by `signers` as a v0 transaction against `tables` (no
/// compute-limit instruction), or why it cannot be built.
fn v0_size(
    p: &Protocol,
    signers: &[&solana_keypair::Keypair],
    ixs: &[Instruction],
    tables: &[lookup_table::AddressLookupTableAccount],
) -> Result<usize, TxBuildError> {
    let payer = p.tc.payer().insecure_clone();
    let blockhash = p.tc.chain.ctx.last_blockhash;
    tx::assemble(&payer, signers, ixs, blockhash, tables).map(|a| a.shape.size)
}

#[tokio::test]
async fn eight_tokens_and_four_perps_on_both_sides_liquidate_in_one_v0_transaction() {
    let (mut p, liqee, liqor) = two_full_accounts_with_perps().await;
    let before = p.health(liqee).await.unwrap();
    assert!(before.maint < 0, "{before:?}");
    let group_only = {
        p.use_lookup_table().await;
        p.tc.chain.lookup_tables().to_vec()
    };
    let added = p.use_lookup_table_with_perps().await;
    assert_eq!(
        added,
        3 * PERP_BANKS.len(),
        "market, pool vault, LP mint each"
    );
    let payer = p.tc.payer_key();

    // (b) perp_liquidate: close one token of the liquidatee's long in market 0 (its
    // health accounts: 8 tokens + 4 perps).
    let health = p.full_metas(liqee, None, None).await;
    assert_eq!(health.len(), 2 * (8 + 4));
    let key = p.users[liqor].key.insecure_clone();
    let perp_ix = pb::perp_liquidate(
        &key.pubkey(),
        &p.group,
        &p.users[liqor].account,
        &p.users[liqee].account,
        &p.perps[0].accounts,
        TOKEN,
        health,
    );
    let perp_distinct = tx::distinct_accounts(&payer, std::slice::from_ref(&perp_ix));
    let base_before = p.perp_position(liqee, 0).await.unwrap().0;
    p.step(std::slice::from_ref(&perp_ix), &[&key])
        .await
        .expect("perp_liquidate between two full accounts");
    let perp_sent = p.tc.chain.last_tx.expect("sent");
    assert_eq!(perp_sent.version, MessageVersion::V0);
    assert!(perp_sent.size <= PACKET_DATA_SIZE, "{perp_sent:?}");
    assert!(perp_distinct <= MAX_TX_ACCOUNTS);
    let base_after = p.perp_position(liqee, 0).await.unwrap().0;
    assert_eq!(base_after, base_before - TOKEN as i64, "one token closed");
    let perp_bare = v0_size(
        &p,
        &[&key],
        std::slice::from_ref(&perp_ix),
        p.tc.chain.lookup_tables(),
    )
    .unwrap();
    let perp_group_only = v0_size(&p, &[&key], std::slice::from_ref(&perp_ix), &group_only);

    // (a) token_liquidate: two health lists of 8 tokens + 4 perps each.
    assert!(
        p.health(liqee).await.unwrap().maint < 0,
        "still liquidatable"
    );
    let (ix, key) = p.liquidate_ix(liqor, liqee, ASSET, LIAB, u64::MAX).await;
    assert_eq!(ix.accounts.len(), 6 + 2 * (2 * (8 + 4)));
    let distinct = tx::distinct_accounts(&payer, std::slice::from_ref(&ix));
    assert!(distinct <= MAX_TX_ACCOUNTS, "{distinct} accounts");
    let debt_before = p.native_balance(liqee, LIAB).await;
    p.step(std::slice::from_ref(&ix), &[&key])
        .await
        .expect("token_liquidate between two full accounts");
    let sent = p.tc.chain.last_tx.expect("sent");
    assert_eq!(sent.version, MessageVersion::V0);
    assert!(sent.size <= PACKET_DATA_SIZE, "{sent:?}");
    assert!(
        p.native_balance(liqee, LIAB).await > debt_before,
        "debt taken over"
    );
    let bare = v0_size(
        &p,
        &[&key],
        std::slice::from_ref(&ix),
        p.tc.chain.lookup_tables(),
    )
    .unwrap();
    let group_only_size = v0_size(&p, &[&key], std::slice::from_ref(&ix), &group_only);
    let legacy = v0_size(&p, &[&key], std::slice::from_ref(&ix), &[]);
    // A client with only the group's bank table still fits (the four markets cost 32 bytes
    // each); as legacy it does not.
    for size in [group_only_size.clone(), perp_group_only.clone()] {
        assert!(
            size.as_ref().is_ok_and(|s| *s <= PACKET_DATA_SIZE),
            "{size:?}"
        );
    }
    assert!(
        matches!(legacy, Err(TxBuildError::TooLarge { size, .. }) if size > PACKET_DATA_SIZE),
        "{legacy:?}"
    );

    eprintln!(
        "8 tokens + 4 perps on both sides over {BANKS} banks and {} markets:\n  \
         perp_liquidate: {} account entries, {perp_distinct} distinct keys (with the \
         payer), v0 {} bytes sent (with the compute-limit instruction), {perp_bare} bare; \
         with the group's table alone (no perp keys) {perp_group_only:?}\n  \
         token_liquidate: {} account entries, {distinct} distinct keys, v0 {} bytes sent, \
         {bare} bare; with the group's table alone {group_only_size:?}; legacy {legacy:?}",
        PERP_BANKS.len(),
        perp_ix.accounts.len(),
        perp_sent.size,
        ix.accounts.len(),
        sent.size,
    );
}

#[tokio::test]
async fn a_hedged_pair_liquidation_between_full_accounts_fits_one_v0_transaction() {
    let (mut p, liqee, liqor) = two_full_hedged_accounts().await;
    let before = p.health(liqee).await.unwrap();
    assert!(before.maint < 0, "{before:?}");
    p.use_lookup_table().await;
    p.use_lookup_table_with_perps().await;
    let payer = p.tc.payer_key();
    let spot = PERP_BANKS[0];
    // Both lists are full (8 tokens + 4 perps); the liquidator already holds the spot,
    // the settle token and the market, so its list opens nothing.
    let liqee_account = p.margin_account(liqee).await;
    let liqor_account = p.margin_account(liqor).await;
    let mut health = p.metas_for(&liqee_account, &[], None);
    let tokens = [p.banks[spot].token_index, p.banks[SETTLE].token_index];
    health.extend(p.metas_for(&liqor_account, &tokens, Some(0)));
    assert_eq!(health.len(), 2 * 2 * (8 + 4));
    let key = p.users[liqor].key.insecure_clone();
    let ix = pb::perp_liquidate_pair(
        &key.pubkey(),
        &p.group,
        &p.users[liqor].account,
        &p.users[liqee].account,
        &p.perps[0].accounts,
        &p.banks[spot].bank,
        &p.settle_keys(0),
        u64::MAX,
        health,
    );
    let distinct = tx::distinct_accounts(&payer, std::slice::from_ref(&ix));
    assert!(distinct <= MAX_TX_ACCOUNTS, "{distinct} accounts");
    let legacy = v0_size(&p, &[&key], std::slice::from_ref(&ix), &[]);
    assert!(
        matches!(legacy, Err(TxBuildError::TooLarge { size, .. }) if size > PACKET_DATA_SIZE),
        "{legacy:?}"
    );
    p.step(std::slice::from_ref(&ix), &[&key])
        .await
        .expect("perp_liquidate_pair between two full accounts");
    let sent = p.tc.chain.last_tx.expect("sent");
    assert_eq!(sent.version, MessageVersion::V0);
    assert!(sent.size <= PACKET_DATA_SIZE, "{sent:?}");
    // Both legs moved by the same units and the liquidatee's maint health rose.
    let base = p.perp_position(liqee, 0).await.unwrap().0;
    let closed = base + HEDGE;
    assert!(closed > 0, "the short shrank: {base}");
    let spot_left = p.native_balance(liqee, spot).await;
    assert!(
        (spot_left - (HEDGE - closed) as f64).abs() < 2.0,
        "{spot_left} vs {}",
        HEDGE - closed
    );
    let after = p.health(liqee).await.unwrap();
    assert!(after.maint > before.maint, "{before:?} → {after:?}");
    let bare = v0_size(
        &p,
        &[&key],
        std::slice::from_ref(&ix),
        p.tc.chain.lookup_tables(),
    )
    .unwrap();
    eprintln!(
        "hedged pair, 8 tokens + 4 perps on both sides: {} account entries, {distinct} \
         distinct keys (with the payer), v0 {} bytes sent, {bare} bare; legacy {legacy:?}",
        ix.accounts.len(),
        sent.size
    );
}
