//! Perp actions in the random stream: SOL-PERP (on the SOL bank's oracle, settled in the
//! stablecoin bank) with an LP pool seeded by the big depositor.
//!
//! One `perp` op picks a kind: an LP deposit or withdrawal (a dedicated LP); a trade by a
//! borrower — open, increase, reduce (never past flat), close, flip, or a hedge against the
//! account's SOL balance (perp = −spot), sized near the account's init headroom, sometimes
//! with a limit price near the oracle; a funding crank after minutes to hours; a PnL
//! settlement by the owner or by a stranger; a perp liquidation or pair liquidation by the
//! big depositor or the attacker with a random cap; a perp bankruptcy resolution; an
//! auto-deleveraging attempt (rarely due: the pool is large; not required to succeed). Most
//! random liquidations find nothing to do: the liveness check liquidates every unhealthy
//! account at the end of each step, and lets a competitor's random perp liquidation go
//! first half the time (`perp_liveness.rs`), which is where most of them happen.
//!
//! The invariants are the harness's (`harness::perp_invariants` and `invariants`, run
//! around every transaction): pool vault = its recorded flows and moved only by them,
//! Σ positions = each market's aggregates (Σ base = long OI − short OI), funding owed =
//! what the aggregates count, funding-inclusive quotes conserved. The driver's per-mint
//! conservation counts the pool vault among the stablecoin's holders.
//!
//! Every kind is counted (succeeded / tried) in the report, and the bounded test (over its
//! seeds together) and a long run fail unless each succeeded at least once (random or
//! forced by the liveness check), so the perp side can never silently exercise nothing.

use crate::driver::{fund, Fuzzer};
use cross_margin::state::PerpConfig;
use cross_margin_tests::harness::perps::default_perp_config;
use cross_margin_tests::harness::TxError;
use std::collections::BTreeMap;

/// The perp market (index 0): base = bank 1 (SOL), settled in bank 0.
pub const PERP: usize = 0;
pub const BASE_BANK: usize = 1;
pub const SETTLE_BANK: usize = 0;

/// The kinds, with their weights within the perp op.
const KINDS: [(&str, u64); 12] = [
    ("lp deposit", 5),
    ("lp withdraw", 5),
    ("trade", 36),
    ("hedge", 8),
    ("funding", 10),
    ("settle", 10),
    ("settle by stranger", 6),
    ("perp liquidate", 7),
    ("pair liquidate", 6),
    ("resolve", 5),
    ("reduce", 8),
    ("auto-deleverage", 2),
];

/// Kinds that must succeed at least once per run (trades are counted by what they did).
pub const REQUIRED: [&str; 14] = [
    "lp deposit",
    "lp withdraw",
    "open",
    "increase",
    "reduce",
    "close",
    "flip",
    "hedge",
    "funding",
    "settle",
    "settle by stranger",
    "perp liquidate",
    "pair liquidate",
    "resolve",
];

#[derive(Default)]
pub struct PerpStats {
    /// (succeeded, tried) per kind; the liveness check's forced actions count too.
    pub kinds: BTreeMap<&'static str, (u64, u64)>,
    /// Failures by kind and program error.
    pub refusals: BTreeMap<(&'static str, String), u64>,
}

impl PerpStats {
    pub fn record(&mut self, kind: &'static str, result: &Result<(), TxError>) {
        let e = self.kinds.entry(kind).or_default();
        e.1 += 1;
        match result {
            Ok(()) => e.0 += 1,
            Err(err) => {
                let name = match err {
                    TxError::Custom(code) => cross_margin_client::chain::error_name(*code)
                        .unwrap_or_else(|| code.to_string()),
                    other => format!("{other:?}"),
                };
                *self.refusals.entry((kind, name)).or_default() += 1;
            }
        }
    }

    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .kinds
            .iter()
            .map(|(k, (ok, n))| format!("{k} {ok}/{n}"))
            .collect();
        format!("{}; refusals {:?}", parts.join(", "), self.refusals)
    }

    /// Add another run's counts.
    pub fn merge(&mut self, other: &PerpStats) {
        for (k, (ok, n)) in &other.kinds {
            let e = self.kinds.entry(k).or_default();
            e.0 += ok;
            e.1 += n;
        }
        for (k, n) in &other.refusals {
            *self.refusals.entry(k.clone()).or_default() += n;
        }
    }

    /// Panics naming every required kind that never succeeded.
    pub fn assert_exercised(&self, what: &str) {
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|k| self.kinds.get(*k).is_none_or(|(ok, _)| *ok == 0))
            .copied()
            .collect();
        assert!(
            missing.is_empty(),
            "{what}: perp actions that never succeeded: {missing:?}; {}",
            self.summary()
        );
    }
}

impl Fuzzer {
    /// List SOL-PERP (breaker band 50 %, stable growth 100 %/h) and seed its pool with $1M of the big depositor's stablecoin; the LP
    /// gets $2M to deposit and withdraw at random.
    pub async fn setup_perps(&mut self) {
        self.p
            .add_perp(
                BASE_BANK,
                SETTLE_BANK,
                PerpConfig {
                    // The fuzzer's ±30 % moves would keep a 25 % band tripped for hours:
                    // a 50 % band, and a stable price that follows within about an hour.
                    breaker_band_bps: 5_000,
                    stable_growth_bps: 10_000,
                    ..default_perp_config()
                },
            )
            .await
            .expect("perp_market_register");
        self.p
            .pool_deposit(self.keeper, PERP, fund(SETTLE_BANK, 1_000_000.0))
            .await
            .expect("seed the pool");
        self.lp = self
            .p
            .add_user(&[(SETTLE_BANK, fund(SETTLE_BANK, 2_000_000.0))])
            .await;
    }

    pub async fn perp_op(&mut self, user: usize) -> Result<(), TxError> {
        let kind = KINDS[self.rng.weighted(&KINDS.map(|(_, w)| w))].0;
        let user = self.perp_holder(user).await;
        let (name, result) = match kind {
            "lp deposit" => {
                let wallet = self.p.wallet_balance(self.lp, SETTLE_BANK).await;
                let amount = self.rng.amount(wallet.max(1));
                (kind, self.p.pool_deposit(self.lp, PERP, amount).await)
            }
            "lp withdraw" => {
                let shares = self.p.lp_balance(self.lp, PERP).await;
                let amount = if self.rng.chance(0.2) {
                    shares.max(1)
                } else {
                    self.rng.amount(shares.max(1))
                };
                (kind, self.p.pool_withdraw(self.lp, PERP, amount).await)
            }
            // The SOL holder (third borrower, who also borrows the alt) mostly hedges, so
            // hedged accounts go under water and pair liquidations meet them.
            "trade" | "hedge" if user == self.users[2] && self.rng.chance(0.6) => {
                ("hedge", self.hedge(user).await)
            }
            "trade" | "reduce" => self.random_trade(user, kind == "reduce").await,
            "hedge" => (kind, self.hedge(user).await),
            "funding" => {
                let secs = 60 + self.rng.amount(12 * 3_600) as i64;
                self.p.tc.advance_clock(secs).await;
                self.refresh_prices(None).await;
                (kind, self.p.crank_funding(PERP).await)
            }
            "settle" => (kind, self.p.settle_pnl(user, PERP).await),
            "settle by stranger" => {
                let stranger = self.stranger;
                (kind, self.p.settle_pnl_as(stranger, user, PERP).await)
            }
            "perp liquidate" => (kind, self.random_perp_liquidation(user).await),
            "pair liquidate" => (kind, self.random_pair_liquidation(user).await),
            "resolve" => (kind, self.p.resolve_perp_bankruptcy(user, PERP).await),
            "auto-deleverage" => {
                let max = self.random_cap(user).await;
                (kind, self.p.auto_deleverage(user, PERP, max).await)
            }
            _ => unreachable!("{kind}"),
        };
        self.perp_stats.record(name, &result);
        if std::env::var_os("FUZZ_DEBUG").is_some() {
            if let Err(TxError::Custom(6000..=6999)) = &result {
                let pos = self.p.perp_position(user, PERP).await;
                eprintln!("DEBUG {name} user {user}: {result:?}, position {pos:?}");
                for line in self.p.tc.chain.last_logs.clone() {
                    eprintln!("  | {line}");
                }
            }
        }
        result
    }

    /// Usually someone with a perp position (when `user` has none): settlements,
    /// liquidations and write-offs need one.
    async fn perp_holder(&mut self, user: usize) -> usize {
        if self.p.perp_position(user, PERP).await.is_some() || self.rng.chance(0.3) {
            return user;
        }
        let mut holders = vec![];
        for u in self.users.clone() {
            if self.p.perp_position(u, PERP).await.is_some() {
                holders.push(u);
            }
        }
        if holders.is_empty() {
            return user;
        }
        holders[self.rng.below(holders.len() as u64) as usize]
    }

    /// `user`'s base position (0 if none).
    pub async fn perp_base(&mut self, user: usize) -> i64 {
        self.p.perp_position(user, PERP).await.map_or(0, |(b, _)| b)
    }

    /// Base native units a trade of this size adds about `fraction` of `user`'s init
    /// headroom in exposure (≈ 11 % of notional per unit: weight, fee, confidence).
    async fn headroom_units(&mut self, user: usize, fraction: f64) -> i64 {
        let init = self
            .p
            .health(user)
            .await
            .map_or(0.0, |h| h.init.to_num::<f64>().max(0.0) / 1e6);
        let per_sol = 0.11 * self.prices[BASE_BANK];
        ((init / per_sol) * fraction * 1e9) as i64 + 1
    }

    /// Open, increase, reduce, close or flip; `reduce_only` keeps it on the reducing side.
    async fn random_trade(
        &mut self,
        user: usize,
        reduce_only: bool,
    ) -> (&'static str, Result<(), TxError>) {
        let base = self.perp_base(user).await;
        let fraction = 0.3 + 0.8 * self.rng.below(1_000) as f64 / 1_000.0;
        let fresh = self.headroom_units(user, fraction).await;
        let (kind, delta) = if base == 0 {
            let side = if self.rng.chance(0.5) { 1 } else { -1 };
            ("open", side * fresh)
        } else if reduce_only || self.rng.chance(0.35) {
            if self.rng.chance(0.3) {
                ("close", -base)
            } else {
                let cut = 1 + self.rng.below(base.unsigned_abs()) as i64;
                ("reduce", -base.signum() * cut.min(base.abs()))
            }
        } else if self.rng.chance(0.25) {
            ("flip", -base - base.signum() * fresh)
        } else {
            ("increase", base.signum() * fresh)
        };
        let kind = if kind == "reduce" && delta == -base {
            "close"
        } else {
            kind
        };
        let result = self.trade_with_limit(user, delta).await;
        (kind, result)
    }

    /// A trade with no limit most of the time; else a limit within ±1 % of the oracle.
    async fn trade_with_limit(&mut self, user: usize, delta: i64) -> Result<(), TxError> {
        if delta == 0 || self.rng.chance(0.8) {
            return self.p.trade(user, PERP, delta).await;
        }
        let skew = 0.99 + 0.02 * self.rng.below(1_000) as f64 / 1_000.0;
        let limit = (self.prices[BASE_BANK] * skew * 1e6) as u64;
        self.p.trade_limit(user, PERP, delta, limit).await
    }

    /// Take the perp to −(spot SOL balance): a deposit hedged by a short, a borrow by a long.
    async fn hedge(&mut self, user: usize) -> Result<(), TxError> {
        let spot = self.native_exact(user, BASE_BANK).await.to_num::<f64>();
        if spot.abs() < 1.0 {
            // Nothing to hedge yet: buy spot exposure first (a deposit of the user's SOL).
            let wallet = self.p.wallet_balance(user, BASE_BANK).await;
            let amount = self.rng.amount(wallet.max(1));
            return self.p.deposit(user, BASE_BANK, amount).await;
        }
        let ratio = 0.5 + 0.7 * self.rng.below(1_000) as f64 / 1_000.0;
        let target = -(spot * ratio) as i64;
        let delta = target - self.perp_base(user).await;
        self.p
            .trade(user, PERP, if delta == 0 { -1 } else { delta })
            .await
    }

    /// A perp liquidation by the big depositor or the attacker, with a random cap.
    pub async fn random_perp_liquidation(&mut self, victim: usize) -> Result<(), TxError> {
        let liquidator = self.random_liquidator(victim);
        let max = self.random_cap(victim).await;
        self.p.liquidate_perp(liquidator, victim, PERP, max).await
    }

    /// A pair liquidation (perp with the SOL balance it hedges) with a random cap.
    pub async fn random_pair_liquidation(&mut self, victim: usize) -> Result<(), TxError> {
        let liquidator = self.random_liquidator(victim);
        let max = self.random_cap(victim).await;
        self.p
            .liquidate_pair(liquidator, victim, PERP, BASE_BANK, max)
            .await
    }

    fn random_liquidator(&mut self, victim: usize) -> usize {
        if victim != self.keeper && self.rng.chance(0.6) {
            self.keeper
        } else if victim != self.attacker {
            self.attacker
        } else {
            self.stranger
        }
    }

    async fn random_cap(&mut self, victim: usize) -> u64 {
        let base = self.perp_base(victim).await.unsigned_abs();
        if self.rng.chance(0.5) {
            u64::MAX
        } else {
            self.rng.amount(base.max(1))
        }
    }
}
