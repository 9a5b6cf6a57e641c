//! The liveness invariant (issue 8): every unhealthy account can always be liquidated.
//!
//! After every step, every margin account is valued as `token_liquidate` values a
//! liquidatee (`GroupSnapshot::liquidation_cache`: a position whose oracle is invalid counts
//! at its bank's last valid price, widened to the bank's maximum confidence) and handed to
//! the keeper's own planner, `strategy::verdict`:
//!
//! - `Liquidate { asset, liab }`: a well-capitalised keeper (`keepers.rs`) sends that
//!   liquidation with no cap, through `Protocol::step` (every invariant is checked after
//!   it), and it must succeed;
//! - `Bankrupt(liabs)`: `token_resolve_bankruptcy` must succeed in each of those banks;
//! - `Stuck`: allowed only while no pair can be transferred, because every asset of the
//!   account — or every liability — is priced by an oracle that is invalid now (the two
//!   banks a liquidation transfers must have valid prices). A `Stuck` verdict with a
//!   priced asset and a priced liability is a failure.
//!
//! While the group is paused, the liquidation (or resolution) must be refused with
//! `GroupPaused`. An excused account is remembered; the rule above applies to it again at
//! the very next step, so it is liquidated the first step a pair is priced again (or the
//! group unpaused), and the report counts those catch-ups and the longest wait.
//!
//! Anything else panics with the account's positions, prices, health, the keeper's verdict
//! and the program's error; the panic hook adds the seed and step.

use crate::driver::{Fuzzer, BANKS};
use cross_margin::error::CrossMarginError;
use cross_margin::health::HealthCache;
use cross_margin::state::{Bank, Group, PerpMarket};
use cross_margin_client::snapshot::GroupSnapshot;
use cross_margin_keeper::strategy::{self, Verdict};
use cross_margin_tests::harness::{assert_no_panic, TxError};
use std::collections::BTreeMap;
use std::fmt::Write;

/// How often the check's snapshot is compared with a full `GroupSnapshot::load`.
const FULL_LOAD_EVERY: u64 = 50;

/// Why an unhealthy account was left alone at a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Excuse {
    Paused,
    /// Every asset of the account is priced by an invalid oracle.
    AssetsUnpriced,
    /// Some asset is priced, but every liability's oracle is invalid.
    LiabilitiesUnpriced,
    /// A stranger's settlement of the planner's `SettlePnl` found no vault liquidity for
    /// the loss, or no settle allowance for the profit (`perp_liveness.rs`).
    SettleBlocked,
}

#[derive(Default)]
pub struct Liveness {
    /// Accounts evaluated (every account, every step).
    pub checks: u64,
    /// Evaluations whose verdict was not `Healthy`.
    pub unhealthy: u64,
    pub liquidations: u64,
    pub bankruptcies: u64,
    pub excused: BTreeMap<Excuse, u64>,
    /// Excused accounts (user index → first step excused, why).
    waiting: BTreeMap<usize, (u64, Excuse)>,
    /// Excused accounts liquidated or resolved once they could be.
    pub caught_up: u64,
    /// Excused accounts that became healthy again before any pair was priced.
    pub recovered: u64,
    pub longest_wait: u64,
    /// Competitors' liquidations run just before the keeper's: (succeeded, tried).
    pub competing: (u64, u64),
    /// Perp verdicts carried out, by kind (`perp_liveness.rs`).
    pub perp_forced: BTreeMap<&'static str, u64>,
}

impl Liveness {
    pub fn summary(&self) -> String {
        let count = |e| self.excused.get(&e).copied().unwrap_or(0);
        format!(
            "liveness checks {}, unhealthy {}, forced liquidations {}, bankruptcies {}, \
             excused (all assets priced by invalid oracles) {}, excused (all liabilities \
             priced by invalid oracles) {}, excused (paused) {} (excuses count evaluations), \
             caught up after an excuse {} (longest wait {} steps), recovered while excused {}, \
             competitors first {}/{}, perp verdicts carried out {:?}, stranger settlements \
             blocked {}",
            self.checks,
            self.unhealthy,
            self.liquidations,
            self.bankruptcies,
            count(Excuse::AssetsUnpriced),
            count(Excuse::LiabilitiesUnpriced),
            count(Excuse::Paused),
            self.caught_up,
            self.longest_wait,
            self.recovered,
            self.competing.0,
            self.competing.1,
            self.perp_forced,
            count(Excuse::SettleBlocked)
        )
    }

    pub fn excuse(&mut self, user: usize, step: u64, why: Excuse) {
        *self.excused.entry(why).or_default() += 1;
        self.waiting.entry(user).or_insert((step, why));
    }

    /// `user` was acted on (or is healthy): it no longer waits.
    pub fn settle(&mut self, user: usize, step: u64, acted: bool) {
        if let Some((since, _)) = self.waiting.remove(&user) {
            if acted {
                self.caught_up += 1;
                self.longest_wait = self.longest_wait.max(step - since);
            } else {
                self.recovered += 1;
            }
        }
    }
}

fn bank_states(snapshot: &GroupSnapshot) -> BTreeMap<u16, Bank> {
    snapshot.banks.iter().map(|(t, b)| (*t, b.state)).collect()
}

/// The liability in `token`, valued as init health counts it (quote-native).
fn liability_value(cache: &HealthCache, token: u16) -> f64 {
    cache.token(token).map_or(0.0, |t| {
        (-t.balance.to_num::<f64>()).max(0.0) * t.risk.liab_init.to_f64()
    })
}

impl Fuzzer {
    pub async fn check_liveness(&mut self, step: u64) {
        let mut snapshot = self.snapshot(step).await;
        let paused = self.group_paused().await;
        // Keepers created during the check start healthy; the next step checks them.
        for victim in 0..self.p.users.len() {
            self.liveness.checks += 1;
            let (mut cache, mut verdict) = self.evaluate(victim, &snapshot).await;
            let liquidation = matches!(
                verdict,
                Verdict::Liquidate { .. }
                    | Verdict::LiquidatePerp { .. }
                    | Verdict::LiquidatePair { .. }
                    | Verdict::LiquidateLoss { .. }
            );
            let competed = if paused || !liquidation {
                false
            } else if cache.perps().any(|p| p.base != 0) {
                self.compete_perp(victim).await
            } else {
                self.compete(victim).await
            };
            if competed {
                snapshot = self.snapshot(step).await;
                (cache, verdict) = self.evaluate(victim, &snapshot).await;
            }
            if verdict != Verdict::Healthy {
                self.liveness.unhealthy += 1;
            }
            let acted = match &verdict {
                Verdict::Healthy => {
                    self.liveness.settle(victim, step, false);
                    false
                }
                Verdict::Liquidate { asset, liab } => {
                    self.force_liquidation(step, victim, &snapshot, &cache, *asset, *liab, paused)
                        .await
                }
                Verdict::Bankrupt(liabs) => {
                    self.force_resolution(step, victim, &snapshot, &cache, liabs, paused)
                        .await
                }
                Verdict::Stuck => {
                    self.excuse_stuck(step, victim, &snapshot, &cache);
                    false
                }
                Verdict::LiquidatePerp { .. }
                | Verdict::LiquidatePair { .. }
                | Verdict::LiquidateLoss { .. }
                | Verdict::SettlePnl { .. }
                | Verdict::PerpBankrupt(_) => {
                    self.force_perp(step, victim, &snapshot, &cache, &verdict, paused)
                        .await
                }
            };
            if acted {
                snapshot = self.snapshot(step).await;
            }
        }
    }

    /// `victim`'s account as a liquidation sees it, and the keeper's verdict on it.
    async fn evaluate(
        &mut self,
        victim: usize,
        snapshot: &GroupSnapshot,
    ) -> (HealthCache, Verdict) {
        let account = self.p.margin_account(victim).await;
        let cache = match snapshot.liquidation_cache(&account) {
            Ok(cache) => cache,
            Err(e) => panic!(
                "user {victim}: no liquidation view of the account ({e:?}); {}",
                self.market(snapshot)
            ),
        };
        let perps = snapshot.perps.iter().map(|(i, m)| (*i, m.state)).collect();
        let verdict = strategy::verdict(&account, &cache, &bank_states(snapshot), &perps);
        (cache, verdict)
    }

    /// Sometimes a competitor gets there first: the fuzzer's random liquidation (the big
    /// depositor or the attacker, a random cap, the attacker's gain bounded by the bonus)
    /// runs before the keeper, whose planner must then still succeed on what is left.
    /// Without this, the check would leave the random liquidation op nothing to liquidate.
    /// Returns whether it succeeded.
    pub async fn compete(&mut self, victim: usize) -> bool {
        if victim == self.attacker || !self.rng.chance(0.5) {
            return false;
        }
        let bank = self.rng.below(BANKS as u64) as usize;
        let result = self.liquidation(victim, bank).await;
        assert_no_panic(&result);
        self.liveness.competing.1 += 1;
        if result.is_ok() {
            self.liveness.competing.0 += 1;
        }
        result.is_ok()
    }

    /// The group's banks and prices now, as the keeper sees them: `GroupSnapshot::insert`
    /// for every bank the fuzzer registered, which is what `GroupSnapshot::load` does after
    /// discovering the banks by a scan of every known account — a scan that would double
    /// the cost of the check. Every `FULL_LOAD_EVERY` steps the real `load` runs too and
    /// must agree.
    async fn snapshot(&mut self, step: u64) -> GroupSnapshot {
        let now = self.p.tc.now().await;
        let mut snapshot = GroupSnapshot {
            group: self.p.group,
            now,
            banks: Default::default(),
            perps: Default::default(),
        };
        for b in self.p.banks.clone() {
            let bank: Bank = self.p.tc.load(b.bank).await;
            let oracle = self.p.tc.account(b.oracle).await.map(|a| (a.owner, a.data));
            snapshot.insert(b.bank, bank, oracle);
        }
        for m in self.p.perps.clone() {
            let market: PerpMarket = self.p.tc.load(m.accounts.market).await;
            let oracle = self
                .p
                .tc
                .account(m.accounts.oracle)
                .await
                .map(|a| (a.owner, a.data));
            snapshot.insert_perp(m.accounts.market, market, oracle);
        }
        if step.is_multiple_of(FULL_LOAD_EVERY) {
            let group = self.p.group;
            let loaded = GroupSnapshot::load(&mut self.p, &group)
                .await
                .expect("snapshot of the group");
            assert_eq!(
                format!("{:?}", loaded.banks),
                format!("{:?}", snapshot.banks),
                "the fuzzer's snapshot differs from GroupSnapshot::load"
            );
            assert_eq!(
                format!("{:?}", loaded.perps),
                format!("{:?}", snapshot.perps),
                "the fuzzer's perp snapshot differs from GroupSnapshot::load"
            );
        }
        snapshot
    }

    async fn group_paused(&mut self) -> bool {
        let group = self.p.group;
        let now = self.p.tc.now().await;
        self.p.tc.load::<Group>(group).await.is_paused(now)
    }

    fn bank_index(&self, token: u16) -> usize {
        self.p
            .banks
            .iter()
            .position(|b| b.token_index == token)
            .expect("a known token")
    }

    /// Send the planner's liquidation; returns whether state changed.
    #[allow(clippy::too_many_arguments)]
    async fn force_liquidation(
        &mut self,
        step: u64,
        victim: usize,
        snapshot: &GroupSnapshot,
        cache: &HealthCache,
        asset_token: u16,
        liab_token: u16,
        paused: bool,
    ) -> bool {
        let (asset, liab) = (self.bank_index(asset_token), self.bank_index(liab_token));
        let keeper = if paused {
            self.stranger
        } else {
            let needed = liability_value(cache, liab_token);
            self.liquidator_for(snapshot, victim, asset, liab, needed)
                .await
        };
        let result = self
            .p
            .liquidate(keeper, victim, asset, liab, u64::MAX)
            .await;
        match result {
            Ok(()) => {
                self.liveness.liquidations += 1;
                self.liveness.settle(victim, step, true);
                self.unload(keeper, asset, liab).await;
                true
            }
            Err(e) if paused && e.is(CrossMarginError::GroupPaused) => {
                self.liveness.excuse(victim, step, Excuse::Paused);
                false
            }
            Err(e) => panic!(
                "LIVENESS: the keeper's liquidation of user {victim} (asset token \
                 {asset_token}, liability token {liab_token}, by user {keeper}) failed with \
                 {e:?} ({}); {}",
                error_name(&e),
                self.describe(
                    victim,
                    snapshot,
                    cache,
                    &format!("{:?}", (asset_token, liab_token))
                )
            ),
        }
    }

    /// Resolve the bankruptcy in every liability bank the planner named.
    async fn force_resolution(
        &mut self,
        step: u64,
        victim: usize,
        snapshot: &GroupSnapshot,
        cache: &HealthCache,
        liabs: &[u16],
        paused: bool,
    ) -> bool {
        let mut acted = false;
        for &token in liabs {
            let bank = self.bank_index(token);
            match self.bankruptcy(victim, bank).await {
                Ok(()) => {
                    self.liveness.bankruptcies += 1;
                    acted = true;
                }
                Err(e) if paused && e.is(CrossMarginError::GroupPaused) => {
                    self.liveness.excuse(victim, step, Excuse::Paused);
                    return acted;
                }
                Err(e) => panic!(
                    "LIVENESS: resolving the bankruptcy of user {victim} in token {token} \
                     failed with {e:?} ({}); {}",
                    error_name(&e),
                    self.describe(victim, snapshot, cache, &format!("Bankrupt({liabs:?})"))
                ),
            }
        }
        self.liveness.settle(victim, step, true);
        acted
    }

    /// The planner found no improving pair: excused only if no pair has both prices.
    fn excuse_stuck(
        &mut self,
        step: u64,
        victim: usize,
        snapshot: &GroupSnapshot,
        cache: &HealthCache,
    ) {
        // A liability below one native unit is not transferable in practice: a liquidation
        // moves whole units of debt and would seize nothing for it (the program refuses to
        // let it force-convert a large deposit instead). Such dust (left by rounding when a
        // partial repay nearly clears a debt) counts as unpriced here; the account's real debt
        // then sits behind the invalid oracles.
        // A live open perp can always be liquidated against the pool: it counts as priced
        // on both sides (a Stuck verdict with one is a failure).
        let live_perp = cache.perps().any(|p| p.risk.live && p.base != 0);
        let priced = |sign: i32| {
            live_perp
                || cache.tokens().any(|t| {
                    let side = t.balance.signum().to_num::<i32>() == sign;
                    let whole = sign > 0 || t.balance <= -cross_margin::math::I80F48::ONE;
                    t.risk.live && side && whole
                })
        };
        let why = if !priced(1) {
            Excuse::AssetsUnpriced
        } else if !priced(-1) {
            Excuse::LiabilitiesUnpriced
        } else {
            panic!(
                "LIVENESS: user {victim} is unhealthy and has a priced asset and a priced \
                 liability, but the keeper's planner finds no liquidation; {}",
                self.describe(victim, snapshot, cache, "Stuck")
            )
        };
        self.liveness.excuse(victim, step, why);
    }

    /// Everything needed to replay a failure by hand.
    fn describe(
        &self,
        victim: usize,
        snapshot: &GroupSnapshot,
        cache: &HealthCache,
        verdict: &str,
    ) -> String {
        let mut out = format!(
            "keeper verdict {verdict}; health as a liquidation sees it {:?}; waiting since {:?}",
            cache.health(),
            self.liveness.waiting.get(&victim)
        );
        for t in cache.tokens() {
            let _ = write!(
                out,
                "\n  token {}: native balance {}, live price {}, oracle {:?}",
                t.risk.token_index, t.balance, t.risk.live, t.risk.oracle
            );
        }
        out.push_str(&self.perp_view(cache));
        let _ = write!(out, "\n  {}", self.market(snapshot));
        out
    }

    /// Oracle status of every bank and the fuzzer's reference prices.
    fn market(&self, snapshot: &GroupSnapshot) -> String {
        let mut out = format!(
            "reference prices {:?}, broken oracles {:?}, paused {}",
            self.prices, self.faulty, self.paused
        );
        for (token, b) in &snapshot.banks {
            let status = match &b.risk {
                Ok(r) => format!("valid {:?}", r.oracle),
                Err(reason) => format!(
                    "INVALID ({reason}), fallback {:?}",
                    b.fallback.map(|f| f.oracle)
                ),
            };
            let _ = write!(out, "\n  bank {token}: {status}");
        }
        debug_assert_eq!(snapshot.banks.len(), BANKS);
        out
    }
}

fn error_name(e: &TxError) -> String {
    match e {
        TxError::Custom(code) => {
            cross_margin_client::chain::error_name(*code).unwrap_or_else(|| format!("code {code}"))
        }
        other => format!("{other:?}"),
    }
}
