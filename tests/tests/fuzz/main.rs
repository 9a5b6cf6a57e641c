//! Stateful fuzzing through the real program on the in-process validator.
//!
//! Random sequences of deposits, withdrawals, borrows, repays, price moves (with confidence
//! and staleness), clock jumps, liquidations and bankruptcy resolutions over several
//! accounts and banks. After every step `Protocol::step` checks the vault invariant, the
//! indexed-sum invariant, index monotonicity and that failures changed nothing; this driver
//! adds token conservation per mint, `borrows ≤ deposits + fees`, the health rule for every
//! successful withdrawal and borrow, the exact socialised-loss cut, and that the attacker
//! never gains beyond liquidation bonuses.
//!
//! - CI (bounded): `cargo test -p cross-margin-tests --test fuzz` — seeds 1..=3, 1,000 steps.
//! - Long run: `FUZZ_STEPS=100000 cargo test -p cross-margin-tests --test fuzz long_run -- --ignored --nocapture`
//!   (random seed, printed; set `FUZZ_SEED=n` to replay one).
#![allow(deprecated)]

mod driver;
mod rng;

use driver::Fuzzer;

#[tokio::test]
async fn bounded_fuzz_fixed_seeds() {
    for seed in 1..=3u64 {
        let report = Fuzzer::run(seed, 1_000).await;
        eprintln!("{report}");
    }
}

#[tokio::test]
#[ignore = "long run: FUZZ_STEPS (default 100,000) and FUZZ_SEED (default random)"]
async fn long_run() {
    let steps: u64 = std::env::var("FUZZ_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("FUZZ long run: seed {seed}, {steps} steps (replay with FUZZ_SEED={seed})");
    let start = std::time::Instant::now();
    let report = Fuzzer::run(seed, steps).await;
    eprintln!("{report}\nwall time {:.1} s", start.elapsed().as_secs_f64());
}
