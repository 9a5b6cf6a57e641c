//! Health benchmark on the shared health book (../shared/BENCHMARKS.md): one account,
//! 8 positions (5 deposits, 3 borrows). Prints the median of several runs for:
//!
//! 1. pure maths: init + maint health from a decoded `HealthCache`;
//! 2. the on-chain path: decode the margin account, 8 banks and 8 real-format Pyth
//!    `PriceUpdateV2` accounts from raw bytes, validate the prices, build the cache,
//!    compute init + maint health;
//! 3. keeper scan: the keeper's own path — a `GroupSnapshot` (banks and Pyth accounts parsed
//!    once), then each of 100,000 accounts decoded from bytes and both healths computed with
//!    `GroupSnapshot::health` — as accounts per second on one core.
//!
//! Run: `cargo run --release -p cross-margin-client --example health_bench`

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AccountSerialize, Discriminator};
use cross_margin::health::{HealthCache, InitPrices, TokenRisk};
use cross_margin::math::{I80F48Bytes, I80F48};
use cross_margin::state::{
    parse_oracle, validate_price, Bank, MarginAccount, OracleKind, OraclePolicy, TokenPosition,
    MAX_TOKEN_POSITIONS, PYTH_RECEIVER_PROGRAM_ID,
};
use cross_margin_client::snapshot::GroupSnapshot;
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2, VerificationLevel};
use std::hint::black_box;
use std::time::Instant;

/// (price $, decimals, amount in tokens, init w, maint w)
const BOOK: [(f64, u8, f64, f64, f64); 8] = [
    (1.0, 6, 10_000.0, 0.10, 0.05),
    (150.0, 9, 20.0, 0.20, 0.10),
    (60_000.0, 8, 0.1, 0.25, 0.15),
    (3_000.0, 8, 1.5, 0.25, 0.15),
    (0.5, 6, 5_000.0, 0.40, 0.30),
    (1.0, 6, -3_000.0, 0.10, 0.05),
    (150.0, 9, -5.0, 0.20, 0.10),
    (2.0, 6, -500.0, 0.30, 0.20),
];
const NOW: i64 = 1_767_225_600;

struct Book {
    account: Vec<u8>,
    banks: Vec<Vec<u8>>,
    oracles: Vec<Vec<u8>>,
}

fn with_discriminator<T: bytemuck::Pod + Discriminator>(value: &T) -> Vec<u8> {
    let mut data = T::DISCRIMINATOR.to_vec();
    data.extend_from_slice(bytemuck::bytes_of(value));
    data
}

fn build_book() -> Book {
    let group = Pubkey::new_unique();
    let mut account: MarginAccount = bytemuck::Zeroable::zeroed();
    account.init(group, Pubkey::new_unique(), 0, 255);
    let mut banks = vec![];
    let mut oracles = vec![];
    for (i, &(price, decimals, amount, iw, mw)) in BOOK.iter().enumerate() {
        let bps = |w: f64| (w * 10_000.0).round() as u32;
        let mut bank: Bank = bytemuck::Zeroable::zeroed();
        bank.group = group;
        bank.token_index = i as u16;
        bank.decimals = decimals;
        bank.oracle_kind = OracleKind::PythPull as u8;
        bank.oracle_feed_id = [i as u8 + 1; 32];
        bank.max_staleness_secs = 60;
        bank.max_conf_bps = 100;
        bank.deposit_index = I80F48Bytes::from(I80F48::ONE);
        bank.borrow_index = I80F48Bytes::from(I80F48::ONE);
        bank.init_asset_weight_bps = 10_000 - bps(iw);
        bank.maint_asset_weight_bps = 10_000 - bps(mw);
        bank.maint_liab_weight_bps = 10_000 + bps(mw);
        bank.init_liab_weight_bps = 10_000 + bps(iw);
        banks.push(with_discriminator(&bank));

        let update = PriceUpdateV2 {
            write_authority: Pubkey::new_unique(),
            verification_level: VerificationLevel::Full,
            price_message: PriceFeedMessage {
                feed_id: bank.oracle_feed_id,
                price: (price * 1e8).round() as i64,
                conf: 0,
                exponent: -8,
                publish_time: NOW,
                prev_publish_time: NOW - 1,
                ema_price: (price * 1e8).round() as i64,
                ema_conf: 0,
            },
            posted_slot: 1,
        };
        let mut data = vec![];
        update.try_serialize(&mut data).unwrap();
        data.resize(PriceUpdateV2::LEN, 0);
        oracles.push(data);

        let native = (amount * 10f64.powi(decimals as i32)).round();
        account.token_positions[i] = TokenPosition {
            indexed: I80F48Bytes::from(I80F48::from_num(native)),
            token_index: i as u16,
            padding: [0; 6],
        };
    }
    Book {
        account: with_discriminator(&account),
        banks,
        oracles,
    }
}

/// The client's decoder (any alignment), as the keeper uses it.
fn decode_owned<T: bytemuck::Pod + Discriminator>(data: &[u8]) -> T {
    cross_margin_client::snapshot::decode(data).expect("decodes")
}

fn decode<T: bytemuck::Pod + Discriminator>(data: &[u8]) -> &T {
    assert_eq!(&data[..8], T::DISCRIMINATOR);
    bytemuck::from_bytes(&data[8..8 + std::mem::size_of::<T>()])
}

/// Bank bytes + oracle bytes → validated `TokenRisk` (what the program does per position).
fn risk_from_bytes(bank: &[u8], oracle: &[u8]) -> TokenRisk {
    let bank: &Bank = decode(bank);
    let raw = parse_oracle(OracleKind::PythPull, oracle).unwrap();
    let policy = OraclePolicy {
        kind: OracleKind::PythPull,
        feed_id: bank.oracle_feed_id,
        max_staleness_secs: bank.max_staleness_secs,
        max_conf_bps: bank.max_conf_bps,
    };
    let price = validate_price(&raw, &policy, NOW).unwrap();
    bank.token_risk_at(&price, NOW, InitPrices::WorseOfOracleAndStable)
        .unwrap()
}

fn cache_from(account: &MarginAccount, risks: &[TokenRisk; MAX_TOKEN_POSITIONS]) -> HealthCache {
    let mut cache = HealthCache::default();
    for (slot, p) in account.active_positions() {
        cache.push(risks[slot], p.indexed.get()).unwrap();
    }
    cache
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

fn main() {
    let book = build_book();
    let risks: [TokenRisk; 8] =
        std::array::from_fn(|i| risk_from_bytes(&book.banks[i], &book.oracles[i]));
    let account: &MarginAccount = decode(&book.account);
    let cache = cache_from(account, &risks);
    let h = cache.health().unwrap();
    let usd = |x: I80F48| x.to_num::<f64>() / 1e6;
    println!(
        "health book: init ${:.6}, maint ${:.6} (expected 15,275 / 17,700)",
        usd(h.init),
        usd(h.maint)
    );
    assert!((usd(h.init) - 15_275.0).abs() < 1e-6 && (usd(h.maint) - 17_700.0).abs() < 1e-6);

    let pure = median_ns(15, 200_000, || {
        black_box(black_box(&cache).health().unwrap());
    });
    println!("1. pure maths, init + maint from decoded state: {pure:.1} ns/account");

    let onchain = median_ns(15, 20_000, || {
        let account: &MarginAccount = decode(black_box(&book.account));
        let mut cache = HealthCache::default();
        for (slot, p) in account.active_positions() {
            let risk = risk_from_bytes(&book.banks[slot], &book.oracles[slot]);
            cache.push(risk, p.indexed.get()).unwrap();
        }
        black_box(cache.health().unwrap());
    });
    println!("2. from raw bytes with 8 real-format PriceUpdateV2 parsed + validated: {onchain:.1} ns/account");

    // Keeper scan: 100,000 distinct account buffers, prices parsed once.
    let accounts: Vec<Vec<u8>> = (0..100_000u64)
        .map(|i| {
            let mut a = *decode::<MarginAccount>(&book.account);
            let p = &mut a.token_positions[0];
            p.indexed.set(p.indexed.get() + I80F48::from_num(i));
            with_discriminator(&a)
        })
        .collect();
    let mut snapshot = GroupSnapshot {
        group: Pubkey::new_unique(),
        now: NOW,
        banks: Default::default(),
        perps: Default::default(),
    };
    for (bank, oracle) in book.banks.iter().zip(&book.oracles) {
        let state: Bank = decode_owned(bank);
        snapshot.insert(
            Pubkey::new_unique(),
            state,
            Some((PYTH_RECEIVER_PROGRAM_ID, oracle.clone())),
        );
    }
    let per_account = median_ns(7, 1, || {
        let mut unhealthy = 0u32;
        for data in &accounts {
            let a: MarginAccount = decode_owned(data);
            let h = snapshot.health(&a).unwrap();
            unhealthy += (h.maint < 0) as u32;
        }
        black_box(unhealthy);
    }) / accounts.len() as f64;
    println!(
        "3. keeper scan via GroupSnapshot, 100,000 accounts (decode + init + maint): {:.0} ns/account = {:.2} M accounts/s on one core",
        per_account,
        1e3 / per_account
    );
}
