//! Health benchmark on the shared health book (../shared/BENCHMARKS.md): one account,
//! 8 positions (5 deposits, 3 borrows), and the same book with 4 perp positions added
//! ([`book::PERPS`]: one netted against a spot deposit on the same oracle, two in profit,
//! one at a loss). Prints the account sizes, then the median of several runs, tokens only
//! and with perps, of:
//!
//! 1. pure maths: init + maint health from a decoded `HealthCache`;
//! 2. from raw bytes, by hand: decode the margin account, its banks and perp markets, parse
//!    and validate their real-format Pyth `PriceUpdateV2` accounts, build the cache (funding
//!    brought to now, hedge partners chosen), compute init + maint health;
//! 3. the program's own path: the margin account loaded through Anchor's `AccountLoader`,
//!    the cache built by `retriever::health_cache_from_accounts` from the `AccountInfo`s of
//!    the banks, markets and oracles (owner, discriminator, group, index and oracle key
//!    checks included), init + maint health;
//! 4. keeper scan: the keeper's own path, a `GroupSnapshot` (banks, markets and Pyth
//!    accounts parsed once), then each of 100,000 accounts decoded from bytes and both
//!    healths computed with `GroupSnapshot::health`, as accounts per second on one core.
//!
//! Run: `cargo run --release -p cross-margin-client --example health_bench`

mod accounts;
mod book;

use accounts::Accounts;
use anchor_lang::prelude::{AccountLoader, Pubkey, Rent};
use book::{decode, decode_owned, Book, NOW};
use cross_margin::health::retriever::{health_cache_from_accounts, perp_health_inputs};
use cross_margin::health::retriever::{HedgeCandidate, Prices};
use cross_margin::health::{Health, HealthCache, InitPrices, TokenRisk};
use cross_margin::math::I80F48;
use cross_margin::state::{
    parse_oracle, validate_price, Bank, MarginAccount, OracleKind, OraclePolicy, PerpMarket,
    MAX_TOKEN_POSITIONS, PYTH_RECEIVER_PROGRAM_ID,
};
use cross_margin_client::snapshot::GroupSnapshot;
use std::hint::black_box;
use std::time::Instant;

const INIT: InitPrices = InitPrices::WorseOfOracleAndStable;

/// Bank bytes + oracle bytes → validated `TokenRisk` (what the program does per position).
fn risk_from_bytes(bank: &Bank, oracle: &[u8]) -> TokenRisk {
    let raw = parse_oracle(OracleKind::PythPull, oracle).unwrap();
    let policy = OraclePolicy {
        kind: OracleKind::PythPull,
        feed_id: bank.oracle_feed_id,
        max_staleness_secs: bank.max_staleness_secs,
        max_conf_bps: bank.max_conf_bps,
    };
    let price = validate_price(&raw, &policy, NOW).unwrap();
    bank.token_risk_at(&price, NOW, INIT).unwrap()
}

/// Path 2: everything decoded and validated from raw bytes by hand, no `AccountInfo`.
fn by_hand(book: &Book, account: &[u8]) -> Health {
    let account: &MarginAccount = decode(account);
    let with_perps = account.active_perps().next().is_some();
    let mut cache = HealthCache::default();
    let mut hedges = [None; MAX_TOKEN_POSITIONS];
    for ((slot, p), hedge) in account.active_positions().zip(hedges.iter_mut()) {
        let bank: &Bank = decode(&book.banks[slot].1);
        cache
            .push(
                risk_from_bytes(bank, &book.oracles[slot].1),
                p.indexed.get(),
            )
            .unwrap();
        if with_perps {
            *hedge = Some(HedgeCandidate::of(bank, NOW));
        }
    }
    for (slot, p) in account.active_perps() {
        let market: &PerpMarket = decode(&book.markets[slot].1);
        let raw = parse_oracle(OracleKind::PythPull, &book.market_oracles[slot].1).unwrap();
        let price = validate_price(&raw, &market.oracle_policy().unwrap(), NOW).unwrap();
        let risk = market.base_risk_at(&price, INIT).unwrap();
        let perp = perp_health_inputs(market, p, risk, &hedges, NOW, INIT).unwrap();
        cache.push_perp(perp).unwrap();
    }
    cache.health().unwrap()
}

/// Path 3: what an instruction runs, from the `AccountInfo`s it receives.
fn retriever(
    account: &'static anchor_lang::prelude::AccountInfo<'static>,
    health: &[anchor_lang::prelude::AccountInfo<'static>],
) -> Box<HealthCache> {
    let loader = AccountLoader::<MarginAccount>::try_from(account).unwrap();
    let account = loader.load().unwrap();
    health_cache_from_accounts(
        &account,
        health,
        &cross_margin::ID,
        NOW,
        Prices::AllLive,
        INIT,
    )
    .unwrap()
}

/// The keeper's view: every bank and market with its oracle parsed once.
fn snapshot(book: &Book) -> GroupSnapshot {
    let mut snapshot = GroupSnapshot {
        group: Pubkey::new_unique(),
        now: NOW,
        banks: Default::default(),
        perps: Default::default(),
    };
    for ((key, bank), (_, oracle)) in book.banks.iter().zip(&book.oracles) {
        let owner_and_data = Some((PYTH_RECEIVER_PROGRAM_ID, oracle.clone()));
        snapshot.insert(*key, decode_owned(bank), owner_and_data);
    }
    for ((key, market), (_, oracle)) in book.markets.iter().zip(&book.market_oracles) {
        let owner_and_data = Some((PYTH_RECEIVER_PROGRAM_ID, oracle.clone()));
        snapshot.insert_perp(*key, decode_owned(market), owner_and_data);
    }
    snapshot
}

/// Median over `runs` of the mean time per iteration, in ns.
fn median_ns(runs: usize, iters: u32, mut f: impl FnMut()) -> f64 {
    let mut samples: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iters {
                f();
            }
            start.elapsed().as_nanos() as f64 / iters as f64
        })
        .collect();
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    samples[runs / 2]
}

fn usd(x: I80F48) -> f64 {
    x.to_num::<f64>() / 1e6
}

/// Every way of computing the book's health agrees, and with the expected figures.
fn check(name: &str, expected: (f64, f64), healths: &[Health]) {
    let h = healths[0];
    println!(
        "{name}: init ${:.6}, maint ${:.6} (expected {} / {})",
        usd(h.init),
        usd(h.maint),
        expected.0,
        expected.1
    );
    assert!(healths.iter().all(|x| *x == h), "{healths:?}");
    assert!((usd(h.init) - expected.0).abs() < 1e-6 && (usd(h.maint) - expected.1).abs() < 1e-6);
}

fn sizes() {
    let rent = Rent::default();
    let row = |name: &str, size: usize, space: usize| {
        assert_eq!(8 + size, space, "{name}: 8 + size_of differs from SPACE");
        println!(
            "  {name:<13} {space:>5} bytes (8 discriminator + {size}), rent-exempt {:.5} SOL",
            rent.minimum_balance(space) as f64 / 1e9
        );
    };
    println!("account sizes (std::mem::size_of + 8, checked against the program's SPACE):");
    row(
        "MarginAccount",
        std::mem::size_of::<MarginAccount>(),
        MarginAccount::SPACE,
    );
    row(
        "PerpMarket",
        std::mem::size_of::<PerpMarket>(),
        PerpMarket::SPACE,
    );
    row("Bank", std::mem::size_of::<Bank>(), Bank::SPACE);
}

/// One row of the results: tokens only, with perps, and their ratio.
fn row(name: &str, tokens: f64, perps: f64) {
    println!(
        "{name:<58} {tokens:>8.1} ns {perps:>8.1} ns  {:>5.2}×",
        perps / tokens
    );
}

fn main() {
    let book = book::build();
    let accounts: &'static Accounts = Box::leak(Box::new(Accounts::of(&book)));
    let snap = snapshot(&book);
    let plain: MarginAccount = decode_owned(&book.account.1);
    let perps: MarginAccount = decode_owned(&book.account_perps.1);
    let cache = retriever(&accounts.account, &accounts.health);
    let cache_perps = retriever(&accounts.account_perps, &accounts.health_perps);
    assert_eq!(cache_perps.perps().count(), 4);
    let hedged = cache_perps.perps().filter(|p| p.hedge_token != u16::MAX);
    assert_eq!(hedged.count(), 1, "one perp nets against spot");
    check(
        "health book",
        book::BOOK_HEALTH,
        &[
            cache.health().unwrap(),
            by_hand(&book, &book.account.1),
            snap.health(&plain).unwrap(),
        ],
    );
    check(
        "health book + 4 perps",
        book::PERP_BOOK_HEALTH,
        &[
            cache_perps.health().unwrap(),
            by_hand(&book, &book.account_perps.1),
            snap.health(&perps).unwrap(),
        ],
    );
    sizes();
    println!(
        "health accounts: {} tokens only, {} with 4 perps",
        accounts.health.len(),
        accounts.health_perps.len()
    );
    println!();
    println!(
        "{:<58} {:>11} {:>11}  {:>6}",
        "median per account (init + maint)", "8 tokens", "+ 4 perps", "ratio"
    );

    let pure = |cache: &HealthCache| {
        median_ns(15, 200_000, || {
            black_box(black_box(cache).health().unwrap());
        })
    };
    row(
        "1. pure maths on a decoded HealthCache",
        pure(&cache),
        pure(&cache_perps),
    );

    let hand = |account: &[u8]| {
        median_ns(15, 20_000, || {
            black_box(by_hand(&book, black_box(account)));
        })
    };
    row(
        "2. raw bytes by hand, Pyth PriceUpdateV2 parsed + validated",
        hand(&book.account.1),
        hand(&book.account_perps.1),
    );

    let onchain = |account: &'static _, health: &[_]| {
        median_ns(15, 20_000, || {
            black_box(retriever(black_box(account), health).health().unwrap());
        })
    };
    row(
        "3. program's retriever over AccountInfos, every check",
        onchain(&accounts.account, &accounts.health),
        onchain(&accounts.account_perps, &accounts.health_perps),
    );

    // Keeper scan: 100,000 distinct account buffers, prices parsed once.
    let scan = |account: &[u8]| {
        let all = book::many(account, 100_000);
        median_ns(7, 1, || {
            let mut unhealthy = 0u32;
            for data in &all {
                let a: MarginAccount = decode_owned(data);
                let h = snap.health(&a).unwrap();
                unhealthy += (h.maint < 0) as u32;
            }
            black_box(unhealthy);
        }) / all.len() as f64
    };
    let (tokens, with_perps) = (scan(&book.account.1), scan(&book.account_perps.1));
    row(
        "4. keeper scan via GroupSnapshot, 100,000 accounts",
        tokens,
        with_perps,
    );
    println!(
        "{:<58} {:>7.2} M/s {:>7.2} M/s  accounts per second on one core",
        "",
        1e3 / tokens,
        1e3 / with_perps
    );
}
