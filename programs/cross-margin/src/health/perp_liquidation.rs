//! Perp liquidation amounts: how much of an unhealthy account's perp position to close
//! against the pool, and who gets the fee. Pure: the liquidatee's [`HealthCache`] in, a
//! [`PerpLiquidationPlan`] out; the program and the keeper's planner both call [`plan`].
//!
//! A liquidation closes `n` base units at the oracle price worsened by the market's
//! liquidation fee (`perp_trade::liquidation_price`). Closing an *unhedged* position raises
//! init health by `n × price × (margin − fee)` per unit, `margin` being `1 − init asset
//! weight` (long) or `init liab weight − 1` (short), and `PerpConfig::validate` keeps the
//! fee below both margins, so the improvement is positive. Closing into a hedge lowers it
//! again (below), so init health in `n` rises then falls. The amount is found by two
//! bisections over the cache: first the last `n` (whole base units, at most the caller's
//! maximum and the position) where one more unit still raises init health, then the
//! smallest `n` up to it after which init health is ≥ 0 (or that peak, if none gets
//! there). Health is recomputed per step: at most ~190 evaluations in all, each the cost
//! of one health evaluation.
//!
//! **Hedged positions.** A perp netted against spot on the same oracle is charged only the
//! hedge weight; closing it breaks the hedge and re-exposes the spot leg at full weight,
//! which can *lower* health. The program therefore requires every liquidation to raise
//! init health strictly (`LiquidationWouldNotImprove`), and the planner reports what the
//! step would do so the keeper ranks candidates by health repaired per unit of fee (the
//! rule in `keeper::strategy`), liquidating token borrows against unhedged collateral and
//! the unhedged part of perps before touching a hedge.
//!
//! The fee is `n × |mid − price|`: `liquidation_insurance_share_bps` of it stays in the
//! pool (the market's insurance), the rest is credited to the liquidator's position in the
//! market (settle it like any PnL). Both round against the liquidator.

use super::engine::{Health, HealthCache};
use super::perp_trade::{liquidation_price, trade_quote_delta};
use crate::error::CrossMarginError;
use crate::math::{rounding, Round, I80F48};
use anchor_lang::prelude::*;

/// What a perp liquidation does.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PerpLiquidationPlan {
    /// Signed base the liquidatee trades (opposite to its position).
    pub base_delta: i64,
    /// The close price, quote native per base native.
    pub price: I80F48,
    /// Change to the liquidatee's quote.
    pub quote_delta: I80F48,
    /// Credited to the liquidator's quote in this market.
    pub liquidator_fee: I80F48,
    /// Kept by the pool.
    pub pool_fee: I80F48,
    /// The liquidatee's health after.
    pub health_after: Health,
}

/// The market parameters a perp liquidation needs.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PerpLiquidationParams {
    pub market_index: u16,
    pub liquidation_fee_bps: u32,
    pub insurance_share_bps: u32,
}

/// Plan the liquidation of up to `max_base` of the perp in `cache` (see module docs).
/// `base` and `quote` are the position as the cache holds it (quote net of funding owed);
/// `mid` the oracle price per base native. The cache is restored before returning, also on
/// error. `LiquidationWouldNotImprove` when closing any part lowers init health.
pub fn plan(
    cache: &mut HealthCache,
    params: &PerpLiquidationParams,
    base: i64,
    quote: I80F48,
    mid: I80F48,
    max_base: u64,
) -> Result<PerpLiquidationPlan> {
    let result = plan_inner(cache, params, base, quote, mid, max_base);
    cache.set_perp(params.market_index, I80F48::from_num(base), quote)?;
    result
}

fn plan_inner(
    cache: &mut HealthCache,
    params: &PerpLiquidationParams,
    base: i64,
    quote: I80F48,
    mid: I80F48,
    max_base: u64,
) -> Result<PerpLiquidationPlan> {
    let full = base.unsigned_abs().min(max_base);
    require!(full > 0, CrossMarginError::LiquidationTooSmall);
    let sign: i64 = if base > 0 { -1 } else { 1 };
    let fee = params.liquidation_fee_bps;
    let ovf = || error!(CrossMarginError::MathOverflow);
    let step = |n: u64| -> Result<(i64, I80F48, I80F48)> {
        let delta = sign * i64::try_from(n).map_err(|_| ovf())?;
        let price = liquidation_price(mid, delta, fee).ok_or_else(ovf)?;
        let dq = trade_quote_delta(delta, price).ok_or_else(ovf)?;
        Ok((delta, price, dq))
    };
    let mut health_at = |n: u64| -> Result<Health> {
        let (delta, _, dq) = step(n)?;
        let b = base.checked_add(delta).ok_or_else(ovf)?;
        let q = quote.checked_add(dq).ok_or_else(ovf)?;
        cache.set_perp(params.market_index, I80F48::from_num(b), q)?;
        cache.health()
    };
    let (n, health_after) = repair_amount(full, &mut health_at)?;
    let (base_delta, price, quote_delta) = step(n)?;
    let (liquidator_fee, pool_fee) =
        close_fee(base_delta, quote_delta, mid, params.insurance_share_bps)?;
    Ok(PerpLiquidationPlan {
        base_delta,
        price,
        quote_delta,
        liquidator_fee,
        pool_fee,
        health_after,
    })
}

/// How many of `full` units to close, and the health then, given `health_at(n)` = the
/// liquidatee's health after closing `n`. Init health in `n` rises while the closed part
/// is unhedged and may fall once closing breaks a hedge (module docs): first the last `n`
/// where one more unit still helps (bisection on the slope), then the smallest `n` up to
/// it that reaches init ≥ 0, or that peak if none does. `LiquidationWouldNotImprove` when
/// no `n` raises init health. `full ≥ 1`.
pub(crate) fn repair_amount(
    full: u64,
    health_at: &mut impl FnMut(u64) -> Result<Health>,
) -> Result<(u64, Health)> {
    let (mut lo, mut hi) = (1u64, full);
    while lo < hi {
        let m = lo + (hi - lo) / 2;
        if health_at(m + 1)?.init > health_at(m)?.init {
            lo = m + 1;
        } else {
            hi = m;
        }
    }
    let peak = lo;
    let start = health_at(0)?.init;
    let at_peak = health_at(peak)?;
    // Not one unit helps (e.g. the whole position hedges spot): nothing to plan.
    require!(
        at_peak.init > start,
        CrossMarginError::LiquidationWouldNotImprove
    );
    if at_peak.init < I80F48::ZERO {
        return Ok((peak, at_peak));
    }
    let (mut lo, mut hi) = (1u64, peak);
    while lo < hi {
        let m = lo + (hi - lo) / 2;
        if health_at(m)?.init >= I80F48::ZERO {
            hi = m;
        } else {
            lo = m + 1;
        }
    }
    let health = if lo == peak { at_peak } else { health_at(lo)? };
    Ok((lo, health))
}

/// The fee of a liquidation close of `base_delta` that changed the quote by `quote_delta`
/// (what closing at the liquidation price costs compared with `mid`), split into
/// `(liquidator, pool)` by [`split_fee`].
pub(crate) fn close_fee(
    base_delta: i64,
    quote_delta: I80F48,
    mid: I80F48,
    insurance_share_bps: u32,
) -> Result<(I80F48, I80F48)> {
    let at_mid = trade_quote_delta(base_delta, mid).ok_or(CrossMarginError::MathOverflow)?;
    let total = at_mid
        .checked_sub(quote_delta)
        .ok_or(CrossMarginError::MathOverflow)?
        .max(I80F48::ZERO);
    split_fee(total, insurance_share_bps)
}

/// A liquidation fee `total ≥ 0` split into `(liquidator, pool)`: the pool keeps
/// `insurance_share_bps` of it, the liquidator's part rounded down.
fn split_fee(total: I80F48, insurance_share_bps: u32) -> Result<(I80F48, I80F48)> {
    let keep = 10_000u32.saturating_sub(insurance_share_bps.min(10_000));
    let liquidator = rounding::div(
        total
            .checked_mul(I80F48::from_num(keep))
            .ok_or(CrossMarginError::MathOverflow)?,
        I80F48::from_num(10_000),
        Round::Down,
    )
    .ok_or(CrossMarginError::MathOverflow)?;
    Ok((liquidator, total - liquidator))
}

#[cfg(test)]
pub(crate) mod tests;
