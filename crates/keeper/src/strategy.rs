//! Pure keeper decisions, computed with the program's own health and liquidation code.

use cross_margin::health::liquidation::{self, LiquidationPlan, LiquidationSide};
use cross_margin::health::{Health, HealthCache};
use cross_margin::math::I80F48;
use cross_margin::state::{Bank, MarginAccount};
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
    /// Debt without collateral: resolve bankruptcy in each of these banks.
    Bankrupt(Vec<u16>),
    /// Unhealthy, but no pair improves it (e.g. only dust left with zero-improvement pairs).
    Stuck,
}

/// The same eligibility rule as `token_liquidate`.
pub fn is_liquidatable(health: &Health, account: &MarginAccount) -> bool {
    health.maint < 0 || (account.being_liquidated != 0 && health.init < 0)
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

/// Decide for an account whose health cache is `cache` (built with
/// `GroupSnapshot::liquidation_cache`, so dead oracles of untransferred positions do not
/// hide it), with the group's `banks`.
pub fn verdict(
    account: &MarginAccount,
    cache: &HealthCache,
    banks: &BTreeMap<u16, Bank>,
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
    if !whole_assets && !liabs.is_empty() {
        return Verdict::Bankrupt(liabs);
    }
    if !is_liquidatable(&health, account) {
        return Verdict::Healthy;
    }
    let mut best: Option<(I80F48, u16, u16)> = None;
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
            if let Some(g) = gain(cache, &plan, asset, liab) {
                if g > 0 && best.is_none_or(|(b, _, _)| g > b) {
                    best = Some((g, asset, liab));
                }
            }
        }
    }
    match best {
        Some((_, asset, liab)) => Verdict::Liquidate { asset, liab },
        None => Verdict::Stuck,
    }
}
