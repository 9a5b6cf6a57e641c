//! The risk engine against the chain: the demo's crash path (its twelve SOL/ETH steps),
//! played on the validator by the real keeper and by the risk engine's cascade with
//! price impact off, from the same book. Both must book the same liquidations and the
//! same bad debt, to the native unit, and leave every borrower's account identical.
//!
//! The engine is run as the keeper acts: worst maint health first, one liquidator (the
//! demo's keeper account) that keeps what it takes (`CascadeConfig::liquidator`).
//!
//! The clock does not move between steps here (the demo moves it 300 s a step): interest
//! accrues whenever an instruction touches a bank, and the keeper's cranks would make the
//! chain accrue at moments the engine does not model. At one instant nothing accrues, so
//! any difference is a difference in liquidation logic. The SOL-PERP book is left out:
//! the cascade does not model perps yet.

use cross_margin::health::engine::native_balance;
use cross_margin::health::OraclePrice;
use cross_margin::math::I80F48;
use cross_margin::state::MarginAccount;
use cross_margin_cli::demo::losses::Recording;
use cross_margin_cli::demo::{group_before_crash, CRASH_PATH};
use cross_margin_client::chain::Chain;
use cross_margin_client::snapshot::{fetch, GroupSnapshot};
use cross_margin_keeper::keeper::Keeper;
use cross_margin_risk::book::Book;
use cross_margin_risk::cascade::{run_to_finish, CascadeConfig};
use cross_margin_risk::snapshot::Snapshot;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

#[tokio::test]
async fn the_demo_crash_books_the_same_liquidations_on_chain_and_in_the_risk_engine() {
    let mute = gag::Gag::stdout().ok();
    let mut demo = group_before_crash(50, 7, false).await.unwrap();
    let labels: BTreeMap<u16, String> = demo.labels.iter().cloned().collect();
    let snap = Snapshot::save(&mut demo.chain, &demo.group, &labels)
        .await
        .unwrap();
    let keys: Vec<String> = snap.accounts.iter().map(|a| a.key.clone()).collect();
    let mut book = snap.book().unwrap().book;
    assert_eq!(book.skipped_perp_accounts, 0);
    let signer = demo.chain.payer().insecure_clone();
    let mut keeper = Keeper::new(demo.group, demo.keeper_account, signer);
    // One liquidator that keeps what it takes: the demo's keeper account.
    let keeper_index = keys
        .iter()
        .position(|k| *k == demo.keeper_account.to_string())
        .expect("the keeper's account is in the book");
    let config = CascadeConfig {
        liquidator: Some(keeper_index),
        ..CascadeConfig::default()
    };

    let (mut engine_liqs, mut engine_bankrupt) = (0u64, 0u64);
    let mut engine_debt: BTreeMap<u16, u64> = BTreeMap::new();
    let mut chain_debt: BTreeMap<u16, u64> = BTreeMap::new();
    let mut chain_bankrupt = 0u64;
    for &(sol, eth) in CRASH_PATH.iter() {
        demo.set_prices([1.0, sol, eth]).await;
        // The prices exactly as the program validates them.
        let prices: BTreeMap<u16, OraclePrice> = GroupSnapshot::load(&mut demo.chain, &demo.group)
            .await
            .unwrap()
            .banks
            .iter()
            .map(|(t, b)| (*t, b.price.expect("valid oracle")))
            .collect();
        // The engine: one step from the state the last one left.
        let (outcome, finish) = run_to_finish(&book, prices.clone(), &config).unwrap();
        engine_liqs += u64::from(outcome.liquidations);
        engine_bankrupt += u64::from(outcome.bankruptcies);
        for (bank, d) in &outcome.bad_debt {
            *engine_debt.entry(*bank).or_default() += d.debt;
        }
        let accounts: Vec<MarginAccount> = (0..book.accounts.len())
            .map(|i| *finish.account(&book, i))
            .collect();
        book = Book::new(book.now, finish.banks, prices, finish.insurance, accounts);
        // The chain: the keeper until nothing is liquidatable, as the demo runs it.
        let mut recording = Recording::new(&mut demo.chain);
        for _ in 0..20 {
            let r = keeper.tick(&mut recording).await.expect("keeper tick");
            if r.liquidatable == 0 {
                break;
            }
        }
        for r in recording.take() {
            *chain_debt.entry(r.token_index).or_default() += r.debt;
            chain_bankrupt += 1;
        }
    }
    drop(mute);
    let chain_liqs = keeper.metrics.liquidations_sent.load(Ordering::Relaxed);
    let resolved = keeper.metrics.bankruptcies_resolved.load(Ordering::Relaxed);
    eprintln!(
        "demo crash path: chain {chain_liqs} liquidations, {resolved} bankruptcies resolved, debt {chain_debt:?}; engine {engine_liqs} liquidations, {engine_bankrupt} bankruptcies, debt {engine_debt:?}"
    );
    assert!(chain_liqs > 10, "the crash liquidates: {chain_liqs}");
    assert_eq!(engine_liqs, chain_liqs, "liquidations");
    assert_eq!(
        engine_debt, chain_debt,
        "debt written off per bank, native units"
    );
    assert_eq!(engine_bankrupt, chain_bankrupt, "write-offs");
    // Every account, the keeper's included, ends with the same balances to the native unit
    // and the same flags.
    let chain_banks = GroupSnapshot::load(&mut demo.chain, &demo.group)
        .await
        .unwrap();
    let native = |indexed: I80F48, bank: &cross_margin::state::Bank| -> i128 {
        let n = native_balance(indexed, bank.deposit_index.get(), bank.borrow_index.get()).unwrap();
        if n >= 0 {
            n.floor().to_num::<i128>()
        } else {
            n.ceil().to_num::<i128>()
        }
    };
    // The banks end the same to the bit: deposit indices (the socialised losses), borrow
    // indices and collected fees (the liquidations' insurance shares).
    for (t, b) in &book.banks {
        let c = &chain_banks.banks[t].state;
        assert_eq!(c.deposit_index.get(), b.deposit_index.get(), "bank {t}");
        assert_eq!(c.borrow_index.get(), b.borrow_index.get(), "bank {t}");
        assert_eq!(c.collected_fees.get(), b.collected_fees.get(), "bank {t}");
    }
    let mut compared = 0;
    for (i, key) in keys.iter().enumerate() {
        let key: anchor_lang::prelude::Pubkey = key.parse().unwrap();
        let on_chain = fetch::<MarginAccount, _>(&mut demo.chain, &key)
            .await
            .unwrap()
            .expect("account");
        let engine = &book.accounts[i];
        let balances = |a: &MarginAccount, chain: bool| -> Vec<(u16, i128)> {
            a.active_positions()
                .map(|(_, p)| {
                    let bank = if chain {
                        chain_banks.banks[&p.token_index].state
                    } else {
                        book.banks[&p.token_index]
                    };
                    (p.token_index, native(p.indexed.get(), &bank))
                })
                .collect()
        };
        assert_eq!(
            balances(&on_chain, true),
            balances(engine, false),
            "account {key}: native balances differ"
        );
        assert_eq!(on_chain.being_liquidated, engine.being_liquidated);
        compared += 1;
    }
    assert!(compared >= 50);
}
