//! Stateful fuzzing through the real program on the in-process validator.
//!
//! Four banks (a stablecoin, SOL-like, ETH-like, and an "alt" on a legacy Pyth feed), four
//! borrowers, a big depositor, a stranger and a whale. Each step runs one random operation:
//!
//! - the owners' own deposits, withdrawals, borrows and repays; price moves (with
//!   confidence and staleness); clock jumps; liquidations by the big depositor or an
//!   attacking borrower; bankruptcy resolutions; cranks (interest accrual, accrual that
//!   records the oracle's price for outages, fee sweeps to the insurance vault);
//! - third-party actions (`third_party.rs`): a **stranger depositing** into someone else's
//!   account — into a position it holds (must succeed and credit the owner, and clear
//!   `being_liquidated` exactly when the program says it should) or into a new one (must
//!   fail with `NewPositionNotOwner`); **oracle faults** on any bank, mostly the alt's —
//!   stale, confidence too wide, not Trading / partially verified, garbage bytes, the
//!   account closed, or owned by the system program — lasting until a later refresh
//!   repairs them; **vaults drained**: a borrower withdrawing its whole deposit, or the
//!   largest depositor withdrawing all it can and the whale borrowing every withdrawable
//!   unit left (100 % utilisation; protocol fees stay reserved, and asking for one unit
//!   more must fail), or the big depositor bringing liquidity back; a **pause** by the
//!   security admin, lifted by the admin a few steps later. Borrowers have habits (one
//!   keeps its collateral in the alt, one borrows the alt) so outages hit whole accounts.
//!
//! After every step `Protocol::step` checks the vault invariant (with unrecoverable bad
//! debt), the indexed-sum invariant, index monotonicity and that failures changed nothing;
//! this driver adds token conservation per mint, `borrows ≤ deposits + fees` (plus the
//! vault's rounding surplus, which a depositor emptying a vault may take), the health rule
//! for every successful withdrawal and borrow (under water neither init nor maint may
//! fall), the loss waterfall of every bankruptcy (`debt = fees forgone + insured +
//! socialised + unrecoverable`, the index cut worth exactly the socialised part),
//! that the attacker never gains beyond liquidation bonuses, and the **liveness invariant**
//! (`liveness.rs`): every account the program would let a liquidator touch (maint health
//! < 0, or flagged and init < 0, valued as `token_liquidate` values it) is liquidated at
//! once by the keeper's own planner (`strategy::verdict`) from a well-capitalised keeper
//! (`keepers.rs`), or is bankrupt and its resolution succeeds (half the time a competitor's
//! random liquidation goes first, and the planner must still succeed on what is left —
//! this is where the fuzzer's own liquidations now happen). The only excuses are a
//! paused group, or no transferable pair because every asset (or every liability) is
//! priced by an invalid oracle right now; such an account must be liquidated the first
//! step a pair is priced again. The report line counts the checks, forced liquidations,
//! bankruptcies and excuses.
//!
//! - CI (bounded): `cargo test -p cross-margin-tests --test fuzz` — seeds 1..=3, 1,000 steps.
//! - Long run: `FUZZ_STEPS=100000 cargo test -p cross-margin-tests --test fuzz long_run -- --ignored --nocapture`
//!   (random seed, printed; set `FUZZ_SEED=n` to replay one).
#![allow(deprecated)]

mod admin;
mod driver;
mod keepers;
mod liveness;
mod perp_liveness;
mod perps;
mod resolution;
mod rng;
mod third_party;

use driver::Fuzzer;

#[tokio::test]
async fn bounded_fuzz_fixed_seeds() {
    let start = std::time::Instant::now();
    for seed in 1..=3u64 {
        let report = Fuzzer::run(seed, 1_000).await;
        eprintln!("{report}");
    }
    eprintln!(
        "bounded fuzz: 3 seeds in {:.1} s",
        start.elapsed().as_secs_f64()
    );
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
    let report = Fuzzer::run(seed, steps).await;
    eprintln!("{report}");
}
