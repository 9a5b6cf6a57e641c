//! Hedged pair liquidation: how much of a perp *and the spot balance it hedges* to close
//! together. Pure: the liquidatee's [`HealthCache`] in, a [`PairLiquidationPlan`] out; the
//! program (`perp_liquidate_pair`) and the keeper's planner both call [`plan`].
//!
//! **Why a pair.** Health nets a perp against a spot balance on the same oracle and charges
//! the overlap only the hedge weight (`health::perp`). An underwater, fully hedged account
//! (X SOL deposited, X SOL short) then has no single-leg liquidation that helps: closing
//! the perp re-exposes the spot at its full weight, and selling the spot re-exposes the
//! perp, so `perp_liquidate` and `token_liquidate` both refuse (`LiquidationWouldNotImprove`).
//! Without a pair step such an account could only decay into bad debt. Closing both legs
//! in the same proportion keeps the rest of the book exactly as hedged as before, so the
//! account never becomes riskier on the way.
//!
//! **The step, for `n` base units of the overlap.**
//! - Perp leg: the liquidatee's perp shrinks by `n` against the pool at the oracle price
//!   worsened by the pair fee (`perp_trade::liquidation_price`), as in `perp_liquidate`.
//! - Spot leg: `n` native units of the hedging spot balance move to the liquidator (a long
//!   spot balance is sold to it; a spot borrow is repaid by it) at the oracle mid. The
//!   liquidatee is paid or charged in its perp quote (`spot_quote`), which health counts
//!   at face value, so the step's health effect does not depend on the settle bank's
//!   weights. The liquidator's side is real money, so neither account is lent anything:
//!   - the liquidatee sells spot: the liquidator pays `spot_quote` in settle tokens from
//!     its settle-bank position (borrowing, with interest, if it must) into the pool
//!     vault. The pool's new cash matches the liquidatee's new claim on it, so the pool's
//!     value is unchanged and the pool finances nothing. In a liquidity crunch (the settle
//!     vault lent out) the part the vault cannot release is owed by the liquidator in its
//!     quote instead: the pool lends it until settled, and the liquidation still goes
//!     through;
//!   - the liquidatee buys back a borrow: its quote falls by `spot_quote` (a loss it owes
//!     the pool, which anyone may settle while it is liquidatable) and the liquidator's
//!     quote rises by as much (a claim on the pool it settles as any profit). The pool's
//!     claim and debt cancel.
//!
//! The pair fee is charged once, on the perp leg, and split between liquidator and pool as
//! a perp liquidation's. Per unit of notional, maint health rises by `hedge_maint −
//! pair_fee > 0` (`PerpConfig::validate`) and the program requires that it strictly does.
//! Init health rises by `hedge_init − pair_fee` per unit too, with one exception the
//! amount search respects: unsettled profit counts in init only in proportion to the
//! perp's *unhedged* share, so as the hedge shrinks (or the perp goes flat, leaving its
//! quote as realised profit) more of the profit is discounted. The hedge is still gone and
//! the profit is still owed by the pool: `perp_settle_pnl` turns it into settle-token
//! deposit (anyone may settle a liquidatable account's PnL), where init counts it fully.
//! The amount is the smallest `n` that brings init health to ≥ 0 while the perp stays
//! open (bisection), or else the whole overlap.
//!
//! **Rounding** goes against the liquidator, as in token liquidation: the spot leg is a
//! whole number of settle-token units rounded in the liquidatee's favour (up when it is
//! paid, down when it pays) and the liquidator's fee is rounded down.

use super::engine::{Health, HealthCache};
use super::perp::hedged_overlap;
use super::perp_liquidation::close_fee;
use super::perp_trade::{liquidation_price, trade_quote_delta};
use crate::error::CrossMarginError;
use crate::math::{rounding, Round, I80F48};
use anchor_lang::prelude::*;

/// The market and spot token a pair liquidation closes, and its fee.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PairLiquidationParams {
    pub market_index: u16,
    /// The bank whose balance the perp nets against (`HealthPerp::hedge_token`).
    pub spot_token_index: u16,
    pub pair_fee_bps: u32,
    pub insurance_share_bps: u32,
}

/// What a pair liquidation does to the liquidatee (the liquidator gets the opposite spot
/// leg, pays `spot_quote` in settle tokens when positive, is credited `−spot_quote` in its
/// perp quote when negative, and is credited `liquidator_fee`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PairLiquidationPlan {
    /// Signed change to the perp base (opposite to the position).
    pub base_delta: i64,
    /// Signed change to the spot balance, native units: `−base_delta`.
    pub spot_delta: i64,
    /// The perp leg's close price, quote native per base native.
    pub price: I80F48,
    /// The perp leg's change to the liquidatee's quote.
    pub perp_quote_delta: I80F48,
    /// The spot leg's change to the liquidatee's quote (positive: it sold spot), a whole
    /// number of settle-token native units.
    pub spot_quote: I80F48,
    pub liquidator_fee: I80F48,
    pub pool_fee: I80F48,
    pub health_after: Health,
}

/// Plan the pair liquidation of up to `max_base` of the overlap between the perp in
/// `cache` (`base`, `quote` net of funding owed) and its hedging spot balance, at `mid`
/// (the shared oracle's price per native unit). The cache is restored before returning,
/// also on error. `NotHedged` when the two legs do not offset each other.
pub fn plan(
    cache: &mut HealthCache,
    params: &PairLiquidationParams,
    base: i64,
    quote: I80F48,
    mid: I80F48,
    max_base: u64,
) -> Result<PairLiquidationPlan> {
    let spot = cache
        .token(params.spot_token_index)
        .ok_or(CrossMarginError::NotHedged)?
        .balance;
    let result = plan_inner(cache, params, base, quote, spot, mid, max_base);
    cache.set_perp(params.market_index, I80F48::from_num(base), quote)?;
    cache.set_native(params.spot_token_index, spot)?;
    result
}

/// One step of `n` base units: `(base_delta, price, perp_quote_delta, spot_quote)`.
fn step(sign: i64, n: u64, mid: I80F48, fee_bps: u32) -> Result<(i64, I80F48, I80F48, I80F48)> {
    let ovf = || error!(CrossMarginError::MathOverflow);
    let delta = sign
        .checked_mul(i64::try_from(n).map_err(|_| ovf())?)
        .ok_or_else(ovf)?;
    let price = liquidation_price(mid, delta, fee_bps).ok_or_else(ovf)?;
    let perp_quote = trade_quote_delta(delta, price).ok_or_else(ovf)?;
    // The liquidatee's spot changes by −delta: it receives n × mid when it sells (delta > 0,
    // a short perp closing; the liquidator pays it in whole settle tokens, rounded up) and
    // pays it when it buys back a borrow (rounded down); in its favour either way.
    let round = if delta > 0 { Round::Up } else { Round::Down };
    let value = rounding::mul(I80F48::from_num(n), mid, round)
        .and_then(|v| rounding::to_native(v, round))
        .ok_or_else(ovf)?;
    let spot_quote = if delta > 0 {
        rounding::from_native(value)
    } else {
        -rounding::from_native(value)
    };
    Ok((delta, price, perp_quote, spot_quote))
}

fn plan_inner(
    cache: &mut HealthCache,
    params: &PairLiquidationParams,
    base: i64,
    quote: I80F48,
    spot: I80F48,
    mid: I80F48,
    max_base: u64,
) -> Result<PairLiquidationPlan> {
    let overlap = hedged_overlap(spot, I80F48::from_num(base));
    require!(overlap > I80F48::ZERO, CrossMarginError::NotHedged);
    let whole = overlap.to_num::<u64>();
    let full = whole.min(max_base);
    require!(full > 0, CrossMarginError::LiquidationTooSmall);
    let sign: i64 = if base > 0 { -1 } else { 1 };
    let ovf = || error!(CrossMarginError::MathOverflow);
    let mut health_at = |n: u64| -> Result<Health> {
        let (delta, _, dq, sq) = step(sign, n, mid, params.pair_fee_bps)?;
        let b = base.checked_add(delta).ok_or_else(ovf)?;
        let q = quote
            .checked_add(dq)
            .and_then(|q| q.checked_add(sq))
            .ok_or_else(ovf)?;
        let s = spot.checked_sub(I80F48::from_num(delta)).ok_or_else(ovf)?;
        cache.set_perp(params.market_index, I80F48::from_num(b), q)?;
        cache.set_native(params.spot_token_index, s)?;
        cache.health()
    };
    // Init health rises with n while both legs stay open; flattening the perp turns its
    // remaining quote into unhedged realised profit, which init discounts (module docs),
    // so the search for init ≥ 0 stops short of flat and otherwise takes the whole overlap.
    let last = if full == base.unsigned_abs() {
        full - 1
    } else {
        full
    };
    let n = if last >= 1 && health_at(last)?.init >= I80F48::ZERO {
        let (mut lo, mut hi) = (1u64, last);
        while lo < hi {
            let m = lo + (hi - lo) / 2;
            if health_at(m)?.init >= I80F48::ZERO {
                hi = m;
            } else {
                lo = m + 1;
            }
        }
        lo
    } else {
        full
    };
    let health_after = health_at(n)?;
    require!(
        health_after.maint > health_at(0)?.maint,
        CrossMarginError::LiquidationWouldNotImprove
    );
    let (base_delta, price, perp_quote_delta, spot_quote) =
        step(sign, n, mid, params.pair_fee_bps)?;
    let (liquidator_fee, pool_fee) = close_fee(
        base_delta,
        perp_quote_delta,
        mid,
        params.insurance_share_bps,
    )?;
    Ok(PairLiquidationPlan {
        base_delta,
        spot_delta: -base_delta,
        price,
        perp_quote_delta,
        spot_quote,
        liquidator_fee,
        pool_fee,
        health_after,
    })
}

#[cfg(test)]
mod tests;
