//! The liveness invariant for perp verdicts of the keeper's planner (`strategy::verdict`):
//!
//! - `LiquidatePerp { market }`: half the time a competitor's random perp liquidation
//!   (`perps.rs`) goes first; then the perp keeper — an account holding only its credits
//!   in the market, which `perp_liquidate` needs no health from — liquidates with no cap,
//!   and it must succeed;
//! - `LiquidatePair { market, spot }`: a well-capitalised token keeper (`keepers.rs`,
//!   sized for the pair's notional) takes the pair with no cap, and it must succeed; the
//!   keeper then settles its perp quote, sells or repays the spot leg and repays any
//!   stablecoin it borrowed to pay for it (best effort); excused while the settle token's
//!   oracle is invalid (the keeper pays in it, so its own position there must be priced);
//! - `LiquidateLoss { market, asset }`: a token keeper (`keepers.rs`, sized for the loss)
//!   takes the flat loss over for the deposit with no cap, and it must succeed (no tokens
//!   move, so no vault can refuse it); the keeper then settles its quote, sells the seized
//!   deposit and repays any stablecoin it borrowed (best effort);
//! - `SettlePnl { market }`: a stranger settles, and it must succeed unless the settle
//!   bank's vault lacks the liquidity for a loss (`InsufficientVaultLiquidity`, a drained
//!   vault) or a profit has no allowance left this window / nothing in the pool vault
//!   (`NothingToSettle`): both pass with time or deposits, and are counted as excuses;
//! - `PerpBankrupt(markets)`: `perp_resolve_bankruptcy` must succeed in each.
//!
//! While the group is paused each must be refused with `GroupPaused`. Anything else
//! panics with the account as the planner saw it.

use crate::driver::Fuzzer;
use crate::liveness::Excuse;
use crate::perps::{BASE_BANK, PERP, SETTLE_BANK};
use cross_margin::error::CrossMarginError;
use cross_margin::health::HealthCache;
use cross_margin_client::snapshot::GroupSnapshot;
use cross_margin_keeper::strategy::Verdict;
use cross_margin_tests::harness::{assert_no_panic, TxError};
use std::fmt::Write;

impl Fuzzer {
    /// For an account with an open perp, half the time a competitor goes first with a
    /// random perp liquidation (40 %), pair liquidation (40 %; refused unless the perp
    /// hedges its SOL balance) or token liquidation (20 %), whatever the planner chose.
    /// Returns whether it succeeded.
    pub async fn compete_perp(&mut self, victim: usize) -> bool {
        if victim == self.attacker || !self.rng.chance(0.5) {
            return false;
        }
        let result = match self.rng.below(10) {
            0..=3 => {
                let r = self.random_perp_liquidation(victim).await;
                self.perp_stats.record("perp liquidate", &r);
                r
            }
            4..=7 => {
                let r = self.random_pair_liquidation(victim).await;
                self.perp_stats.record("pair liquidate", &r);
                r
            }
            _ => return self.compete(victim).await,
        };
        assert_no_panic(&result);
        self.liveness.competing.1 += 1;
        if result.is_ok() {
            self.liveness.competing.0 += 1;
        }
        result.is_ok()
    }

    /// Carry out a perp verdict; returns whether state changed.
    pub async fn force_perp(
        &mut self,
        step: u64,
        victim: usize,
        snapshot: &GroupSnapshot,
        cache: &HealthCache,
        verdict: &Verdict,
        paused: bool,
    ) -> bool {
        let (kind, result) = match verdict {
            Verdict::LiquidatePerp { market } => {
                assert_eq!(*market as usize, PERP);
                let keeper = self.perp_keeper;
                let r = self.p.liquidate_perp(keeper, victim, PERP, u64::MAX).await;
                ("perp liquidate", r)
            }
            Verdict::LiquidatePair { market, spot } => {
                assert_eq!((*market as usize, *spot as usize), (PERP, BASE_BANK));
                let keeper = if paused {
                    self.stranger
                } else {
                    let needed = pair_notional(cache, *market);
                    self.liquidator_for(snapshot, victim, BASE_BANK, BASE_BANK, needed)
                        .await
                };
                let r = self
                    .p
                    .liquidate_pair(keeper, victim, PERP, BASE_BANK, u64::MAX)
                    .await;
                if r.is_ok() {
                    self.unload_pair(keeper).await;
                }
                ("pair liquidate", r)
            }
            Verdict::LiquidateLoss { market, asset } => {
                assert_eq!(*market as usize, PERP);
                let asset = *asset as usize;
                let keeper = if paused {
                    self.stranger
                } else {
                    let needed = loss_value(cache, *market);
                    self.liquidator_for(snapshot, victim, asset, SETTLE_BANK, needed)
                        .await
                };
                let r = self
                    .p
                    .liquidate_loss(keeper, victim, PERP, asset, u64::MAX)
                    .await;
                if r.is_ok() {
                    let _ = self.p.settle_pnl(keeper, PERP).await;
                    self.unload(keeper, asset, SETTLE_BANK).await;
                }
                ("loss liquidate", r)
            }
            Verdict::SettlePnl { market } => {
                assert_eq!(*market as usize, PERP);
                let stranger = self.stranger;
                let r = self.p.settle_pnl_as(stranger, victim, PERP).await;
                ("settle by stranger", r)
            }
            Verdict::PerpBankrupt(markets) => {
                assert_eq!(markets, &vec![PERP as u16]);
                let r = self.p.resolve_perp_bankruptcy(victim, PERP).await;
                ("resolve", r)
            }
            other => unreachable!("{other:?}"),
        };
        self.perp_stats.record(kind, &result);
        match result {
            Ok(()) => {
                *self.liveness.perp_forced.entry(kind).or_default() += 1;
                self.liveness.settle(victim, step, true);
                true
            }
            Err(e) if paused && e.is(CrossMarginError::GroupPaused) => {
                self.liveness.excuse(victim, step, Excuse::Paused);
                false
            }
            // The pair's liquidator pays in the settle token, so its own settle position
            // must be priced (`perp_liquidate_pair` judges it with every oracle valid):
            // with the settle oracle invalid the pair waits, as a token liquidation waits
            // when every liability is unpriced, and must go once it is priced again.
            Err(_)
                if kind == "pair liquidate"
                    && cache
                        .token(SETTLE_BANK as u16)
                        .is_some_and(|t| !t.risk.live) =>
            {
                self.liveness
                    .excuse(victim, step, Excuse::LiabilitiesUnpriced);
                false
            }
            Err(e)
                if kind == "settle by stranger"
                    && (e.is(CrossMarginError::InsufficientVaultLiquidity)
                        || e.is(CrossMarginError::NothingToSettle)) =>
            {
                self.liveness.excuse(victim, step, Excuse::SettleBlocked);
                false
            }
            Err(e) => panic!(
                "LIVENESS: the keeper's {kind} of user {victim} failed with {e:?} ({}); \
                 keeper verdict {verdict:?}; health as a liquidation sees it {:?}; {}",
                error_name(&e),
                cache.health(),
                self.perp_view(cache)
            ),
        }
    }

    /// After a pair liquidation: settle the keeper's perp quote and sell the seized spot
    /// (or repay the spot debt taken over). Best effort, as `unload`.
    async fn unload_pair(&mut self, keeper: usize) {
        let _ = self.p.settle_pnl(keeper, PERP).await;
        self.unload(keeper, BASE_BANK, BASE_BANK).await;
        self.unload(keeper, SETTLE_BANK, SETTLE_BANK).await;
    }

    /// The perp positions and the pool as the planner saw them.
    pub fn perp_view(&self, cache: &HealthCache) -> String {
        let mut out = String::new();
        for p in cache.perps() {
            let _ = write!(
                out,
                "\n  perp {}: base {}, quote {}, live {}, oracle {:?}, pnl {:?}, hedge token {}",
                p.market_index(),
                p.base,
                p.quote,
                p.risk.live,
                p.risk.oracle,
                p.pnl(),
                p.hedge_token
            );
        }
        for t in cache.tokens() {
            let _ = write!(
                out,
                "\n  token {}: native balance {}, live {}",
                t.risk.token_index, t.balance, t.risk.live
            );
        }
        out
    }
}

/// The flat loss in `market` (quote-native): what a loss keeper takes over at most.
fn loss_value(cache: &HealthCache, market: u16) -> f64 {
    cache
        .perp(market)
        .map_or(0.0, |p| (-p.quote.to_num::<f64>()).max(0.0))
}

/// Quote-native value of the perp's base at the oracle (what a pair keeper takes over).
fn pair_notional(cache: &HealthCache, market: u16) -> f64 {
    cache.perp(market).map_or(0.0, |p| {
        let mid = p.risk.mid.to_f64();
        p.base.to_num::<f64>().abs() * mid
    })
}

fn error_name(e: &TxError) -> String {
    match e {
        TxError::Custom(code) => {
            cross_margin_client::chain::error_name(*code).unwrap_or_else(|| format!("code {code}"))
        }
        other => format!("{other:?}"),
    }
}
