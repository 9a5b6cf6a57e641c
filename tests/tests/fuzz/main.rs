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
//!   keeps its collateral in the alt, one borrows the alt) so outages hit whole accounts;
//! - perp actions (`perps.rs`) on SOL-PERP (the SOL bank's oracle, settled in the
//!   stablecoin, a $1M LP pool): LP deposits and withdrawals, trades (open, increase,
//!   reduce, close, flip, hedges against spot, some with limit prices), funding cranks
//!   after time passes, settlements by owners and strangers, perp and pair liquidations,
//!   perp bankruptcy write-offs and auto-deleveraging attempts.
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
//! step a pair is priced again. Perp verdicts (perp or pair liquidation, a stranger's
//! settlement, a perp write-off) must be carried out too (`perp_liveness.rs`). The perp
//! invariants run in the harness around every transaction (`harness::perp_invariants`:
//! the pool vault equals its recorded flows and moves only by them; Σ base = long OI −
//! short OI; funding conserves). The report line counts the checks, forced liquidations,
//! bankruptcies, excuses, and each perp action kind (succeeded / tried).
//!
//! - CI (bounded): `cargo test -p cross-margin-tests --test fuzz` — seeds 1..=3, 750 steps
//!   each (1,000 before perps; the perp checks make a step ~40 % dearer).
//! - Long run: `FUZZ_STEPS=100000 cargo test -p cross-margin-tests --test fuzz long_run -- --ignored --nocapture`
//!   (random seed, printed; set `FUZZ_SEED=n` to replay one). `FUZZ_DEBUG=1` prints every
//!   refused perp action with the program's logs.
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
use perps::PerpStats;

/// Steps per seed of the bounded run (3 seeds, ≈ 200 s in debug on a 2-core machine).
const STEPS: u64 = 750;

#[tokio::test]
async fn bounded_fuzz_fixed_seeds() {
    let start = std::time::Instant::now();
    let mut perps = PerpStats::default();
    for seed in 1..=3u64 {
        let (report, stats) = Fuzzer::run(seed, STEPS).await;
        eprintln!("{report}");
        perps.merge(&stats);
    }
    eprintln!(
        "bounded fuzz: 3 seeds × {STEPS} steps in {:.1} s; perp actions over the three \
         (succeeded/tried): {}",
        start.elapsed().as_secs_f64(),
        perps.summary()
    );
    perps.assert_exercised("seeds 1..=3");
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
    let (report, perps) = Fuzzer::run(seed, steps).await;
    eprintln!("{report}");
    perps.assert_exercised(&format!("seed {seed}"));
}
