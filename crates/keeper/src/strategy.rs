//! Pure keeper decisions, computed with the program's own health and liquidation code.
//!
//! **Which position first.** Every liquidation the program would accept is a candidate:
//! each (asset, liability) token pair and each perp position whose oracle is live. Each is
//! planned with the program's own planner (`health::liquidation::plan`,
//! `health::perp_liquidation::plan`) on the account's cache, and the one that repairs the
//! most init health goes first; ties go to the one that repairs more per unit of fee paid
//! (the liquidatee's loss to the liquidator and the insurance/pool, at oracle prices).
//! (Ranking by repair per fee first was tried: it picked pairs the liquidator had no free
//! slot for; choosing by fee needs the liquidator's slots in the plan, not done yet.) A candidate
//! that would not raise init health is never chosen: the program refuses it
//! (`LiquidationWouldNotImprove`), which is also why closing a perp that hedges spot
//! (re-exposing the spot at full weight) loses to liquidating the unhedged positions.
//!
//! **Hedges and settlement.** A perp netted against spot is also a candidate as a *pair*
//! (`health::pair_liquidation`: both legs close together, the hedge ratio kept), ranked
//! like the others by its init repair. When no candidate raises init health (a hedge
//! whose unwinding ends with the perp flat: its quote becomes realised profit that init
//! discounts until settled), the fallbacks are, in order: the pair that raises maint
//! health the most (the program requires only that), then settling a perp's PnL (profit
//! first: it becomes a deposit init counts fully; a loss becomes a settle-token borrow that
//! token liquidation and bankruptcy reach). Only then is the account `Stuck`.
//!
//! **Flat losses.** A flat perp loss (base 0, quote < 0) next to a deposit is a candidate
//! too (`health::perp_loss_liquidation`, `perp_liquidate_loss`): the liquidator takes the
//! loss over in its own quote and receives the deposit at the token-liquidation discount,
//! moving no tokens. It raises init health like a token liquidation, so it is ranked with
//! the others by the same rule; in a liquidity crunch (the settle vault lent out, so a
//! stranger's loss settlement is refused) it is the only route, and with liquidity it
//! replaces the slow settle-then-liquidate rounds (a stranger settles only what the
//! collateral covers at maint weight, and each token liquidation then seizes a part).
//! The settle token itself is seized this way only when its bank's liquidity cannot pay
//! the settlement (or the chain refused it this tick): settling pays the pool fee-free.

use cross_margin::health::liquidation::{self, LiquidationPlan, LiquidationSide};
use cross_margin::health::pair_liquidation::{self, PairLiquidationParams};
use cross_margin::health::perp_liquidation::{self, PerpLiquidationParams};
use cross_margin::health::perp_loss_liquidation;
use cross_margin::health::HealthCache;
use cross_margin::health::HealthPerp;
use cross_margin::math::{Round, I80F48};
use cross_margin::state::{Bank, MarginAccount, PerpMarket};
use std::collections::BTreeMap;

/// What the keeper should do with an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Healthy,
    /// Liquidate with this (asset token, liability token) pair.
    Liquidate {
        asset: u16,
        liab: u16,
    },
    /// Close part of the perp position in this market against the pool.
    LiquidatePerp {
        market: u16,
    },
    /// Take over the flat loss of the perp in `market` for the deposit in `asset`.
    LiquidateLoss {
        market: u16,
        asset: u16,
    },
    /// Unwind the hedged pair of the perp in `market` and the spot balance in `spot`.
    LiquidatePair {
        market: u16,
        spot: u16,
    },
    /// Settle the PnL of the perp in this market (a stranger may, on a liquidatable account).
    SettlePnl {
        market: u16,
    },
    /// A flat perp loss without collateral: write it off in each of these markets.
    PerpBankrupt(Vec<u16>),
    /// Debt without collateral: resolve bankruptcy in each of these banks.
    Bankrupt(Vec<u16>),
    /// Unhealthy, but no pair improves it (e.g. only dust left with zero-improvement pairs).
    Stuck,
}

/// A bank's side of a liquidation; `None` unless its price is valid now (the program
/// transfers only live positions).
fn side(bank: &Bank, cache: &HealthCache) -> Option<LiquidationSide> {
    let token = cache.token(bank.token_index)?;
    token
        .risk
        .live
        .then(|| bank.liquidation_side(&token.risk.oracle))
}

/// Init-health gain of applying `plan` to the liquidatee.
fn gain(cache: &HealthCache, plan: &LiquidationPlan, asset: u16, liab: u16) -> Option<I80F48> {
    let before = cache.health().ok()?.init;
    let mut after = cache.clone();
    let a = cache.token(asset)?;
    let l = cache.token(liab)?;
    // Balances in the cache are native; convert back to indexed for `set_balance` (checked:
    // a fully socialised bank can have a zero deposit index).
    let a_native = a.balance.checked_sub(I80F48::from_num(plan.asset_amount))?;
    let l_native = l
        .balance
        .checked_add(I80F48::from_num(plan.liab_amount))?
        .min(I80F48::ZERO);
    after
        .set_balance(asset, a_native.checked_div(a.risk.deposit_index)?)
        .ok()?;
    after
        .set_balance(liab, l_native.checked_div(l.risk.borrow_index)?)
        .ok()?;
    after.health().ok()?.init.checked_sub(before)
}

/// Value at the oracle mid of `amount` native units of `token` in the cache.
fn mid_value(cache: &HealthCache, token: u16, amount: u64) -> Option<I80F48> {
    let bits = cache
        .token(token)?
        .risk
        .mid
        .value_bits(u128::from(amount) << 48, Round::Down)?;
    Some(I80F48::from_bits(i128::try_from(bits).ok()?))
}

/// What a token liquidation costs the liquidatee: the seized asset's value minus the
/// liability taken over, at oracle prices.
fn token_fee(cache: &HealthCache, plan: &LiquidationPlan, asset: u16, liab: u16) -> Option<I80F48> {
    mid_value(cache, asset, plan.asset_amount)?.checked_sub(mid_value(
        cache,
        liab,
        plan.liab_amount,
    )?)
}

/// `(repair, repair per unit of fee)`, the ranking key (see module docs).
fn rank(gain: I80F48, fee: I80F48) -> (I80F48, I80F48) {
    let per_fee = if fee > 0 {
        gain.checked_div(fee).unwrap_or(I80F48::MAX)
    } else {
        I80F48::MAX
    };
    (gain, per_fee)
}

/// Decide for an account whose health cache is `cache` (built with
/// `GroupSnapshot::liquidation_cache`, so dead oracles of untransferred positions do not
/// hide it), with the group's `banks` and perp markets.
pub fn verdict(
    account: &MarginAccount,
    cache: &HealthCache,
    banks: &BTreeMap<u16, Bank>,
    perps: &BTreeMap<u16, PerpMarket>,
) -> Verdict {
    verdict_excluding(account, cache, banks, perps, &[])
}

/// [`verdict`] without the liquidations and settlements in `failed` (ones the chain
/// refused this tick): the keeper falls through to the next best instead of stopping at
/// an account another action could still repair.
pub fn verdict_excluding(
    account: &MarginAccount,
    cache: &HealthCache,
    banks: &BTreeMap<u16, Bank>,
    perps: &BTreeMap<u16, PerpMarket>,
    failed: &[Verdict],
) -> Verdict {
    let Ok(health) = cache.health() else {
        return Verdict::Stuck;
    };
    // Every deposit can be seized, however small; bankruptcy only counts whole units.
    let assets: Vec<u16> = cache
        .tokens()
        .filter(|t| t.balance > 0)
        .map(|t| t.risk.token_index)
        .collect();
    let whole_assets = cache.tokens().any(|t| t.balance >= 1);
    let liabs: Vec<u16> = cache
        .tokens()
        .filter(|t| t.balance < 0)
        .map(|t| t.risk.token_index)
        .collect();
    // Sub-unit dust is no asset to bankruptcy resolution: resolving is free, seizing it
    // would cost the keeper at least one native unit of debt.
    // An open perp (or unsettled profit) is exposure or an asset: it is liquidated first,
    // bankruptcy waits (`token_resolve_bankruptcy` refuses it: `PerpPositionsOpen`).
    let perp_exposure = cache.perps().any(|p| p.base != 0 || p.quote >= I80F48::ONE);
    // A flat loss with nothing left to pay it: insurance, then the pool absorb it.
    let perp_losses: Vec<u16> = cache
        .perps()
        .filter(|p| p.base == 0 && p.quote < I80F48::ZERO)
        .map(|p| p.market_index())
        .collect();
    if !whole_assets && !perp_exposure && !perp_losses.is_empty() {
        return Verdict::PerpBankrupt(perp_losses);
    }
    if !whole_assets && !liabs.is_empty() && !perp_exposure {
        return Verdict::Bankrupt(liabs);
    }
    if !account.is_liquidatable(&health) {
        return Verdict::Healthy;
    }
    let mut best: Option<((I80F48, I80F48), Verdict)> = None;
    let mut consider = |key: (I80F48, I80F48), v: Verdict| {
        if key.0 > 0 && !failed.contains(&v) && best.as_ref().is_none_or(|(b, _)| key > *b) {
            best = Some((key, v));
        }
    };
    for &asset in &assets {
        for &liab in &liabs {
            let (Some(a), Some(l)) = (banks.get(&asset), banks.get(&liab)) else {
                continue;
            };
            let (Some(sa), Some(sl)) = (side(a, cache), side(l, cache)) else {
                continue;
            };
            let Ok(plan) =
                liquidation::plan(cache, &sa, &sl, a.liquidation_insurance_share_bps, u64::MAX)
            else {
                continue;
            };
            if let (Some(g), Some(fee)) = (
                gain(cache, &plan, asset, liab),
                token_fee(cache, &plan, asset, liab),
            ) {
                consider(rank(g, fee), Verdict::Liquidate { asset, liab });
            }
        }
    }
    for p in cache.perps().filter(|p| p.base != 0 && p.risk.live) {
        let market_index = p.market_index();
        let Some(market) = perps.get(&market_index) else {
            continue;
        };
        let Ok((mid, _)) = market.mid_and_conf(&p.risk.oracle) else {
            continue;
        };
        let params = PerpLiquidationParams {
            market_index,
            liquidation_fee_bps: market.liquidation_fee_bps,
            insurance_share_bps: market.liquidation_insurance_share_bps,
        };
        let mut scratch = cache.clone();
        let Ok(step) = perp_liquidation::plan(
            &mut scratch,
            &params,
            p.base.to_num::<i64>(),
            p.quote,
            mid,
            u64::MAX,
        ) else {
            continue;
        };
        if let Some(g) = step.health_after.init.checked_sub(health.init) {
            let fee = step.liquidator_fee + step.pool_fee;
            consider(
                rank(g, fee),
                Verdict::LiquidatePerp {
                    market: market_index,
                },
            );
        }
    }
    // Flat losses against each live deposit.
    for p in cache
        .perps()
        .filter(|p| p.base == 0 && p.quote < 0 && p.risk.live)
    {
        let market = p.market_index();
        let Some(m) = perps.get(&market) else {
            continue;
        };
        let settle = m.settle_token_index;
        for &asset in &assets {
            // The settle token pays a loss fee-free by settlement while its vault can
            // release it; seizing it at a discount is for a crunch (or a refusal).
            if asset == settle
                && !failed.contains(&Verdict::SettlePnl { market })
                && settle_liquid(cache, banks, settle, p.quote)
            {
                continue;
            }
            let Some(bank) = banks.get(&asset) else {
                continue;
            };
            let Some(sa) = side(bank, cache) else {
                continue;
            };
            let mut scratch = cache.clone();
            let Ok(step) = perp_loss_liquidation::plan(
                &mut scratch,
                market,
                &sa,
                bank.liquidation_insurance_share_bps,
                u64::MAX,
            ) else {
                continue;
            };
            let fee = mid_value(cache, asset, step.asset_amount)
                .and_then(|v| v.checked_sub(I80F48::from_num(step.loss_amount)));
            if let (Some(g), Some(fee)) = (step.health_after.init.checked_sub(health.init), fee) {
                consider(rank(g, fee), Verdict::LiquidateLoss { market, asset });
            }
        }
    }
    // Pairs: ranked with the rest when they raise init; otherwise kept as a fallback.
    let mut fallback: Option<(I80F48, Verdict)> = None;
    for p in cache.perps().filter(|p| p.base != 0 && p.risk.live) {
        let Some((plan, spot)) = pair_plan(cache, p, perps) else {
            continue;
        };
        let v = Verdict::LiquidatePair {
            market: p.market_index(),
            spot,
        };
        let gain = plan.health_after.init - health.init;
        let maint_gain = plan.health_after.maint - health.maint;
        if gain > 0 {
            consider(rank(gain, plan.liquidator_fee + plan.pool_fee), v);
        } else if maint_gain > 0
            && !failed.contains(&v)
            && fallback.as_ref().is_none_or(|(g, _)| maint_gain > *g)
        {
            fallback = Some((maint_gain, v));
        }
    }
    if let Some((_, v)) = best {
        return v;
    }
    if let Some((_, v)) = fallback {
        return v;
    }
    settle_candidates(cache)
        .map(|market| Verdict::SettlePnl { market })
        .find(|v| !failed.contains(v))
        .unwrap_or(Verdict::Stuck)
}

/// Whether the settle bank's lendable liquidity (deposits − borrows, from its totals: the
/// vault less its fees) covers what a stranger's settlement of `quote` would move (the
/// loss, at most the account's settle deposit).
fn settle_liquid(
    cache: &HealthCache,
    banks: &BTreeMap<u16, Bank>,
    settle: u16,
    quote: I80F48,
) -> bool {
    let Some(Ok((deposits, borrows))) = banks.get(&settle).map(Bank::native_totals) else {
        return false;
    };
    let held = cache.token(settle).map_or(I80F48::ZERO, |t| t.balance);
    let needed = (-quote).ceil().min(held.floor());
    deposits.saturating_sub(borrows) >= needed
}

/// The pair liquidation the program would run for perp `p`, and its spot token.
fn pair_plan(
    cache: &HealthCache,
    p: &HealthPerp,
    perps: &BTreeMap<u16, PerpMarket>,
) -> Option<(pair_liquidation::PairLiquidationPlan, u16)> {
    let spot = p.hedge_token;
    if !cache.token(spot)?.risk.live {
        return None;
    }
    let market = perps.get(&p.market_index())?;
    let (mid, _) = market.mid_and_conf(&p.risk.oracle).ok()?;
    let params = PairLiquidationParams {
        market_index: p.market_index(),
        spot_token_index: spot,
        pair_fee_bps: market.pair_liquidation_fee_bps,
        insurance_share_bps: market.liquidation_insurance_share_bps,
    };
    let mut scratch = cache.clone();
    let plan = pair_liquidation::plan(
        &mut scratch,
        &params,
        p.base.to_num::<i64>(),
        p.quote,
        mid,
        u64::MAX,
    )
    .ok()?;
    Some((plan, spot))
}

/// The perps whose PnL settling would move, best first: every profit of at least one
/// native unit (it becomes a deposit), then every loss of at least one unit. Valued at the
/// oracle. The caller takes the first the chain has not refused this tick (audit M6: one
/// refused settlement must not hide the others).
fn settle_candidates(cache: &HealthCache) -> impl Iterator<Item = u16> + '_ {
    let pnl = |p: &&HealthPerp| p.pnl().ok();
    let live = || cache.perps().filter(|p| p.risk.live);
    live()
        .filter(move |p| pnl(p).is_some_and(|v| v >= I80F48::ONE))
        .chain(live().filter(move |p| pnl(p).is_some_and(|v| v <= -I80F48::ONE)))
        .map(|p| p.market_index())
}

#[cfg(test)]
mod tests;
