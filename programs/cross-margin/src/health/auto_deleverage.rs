//! Auto-deleveraging (ADL): how much of a profitable perp position to close, and pay out,
//! when the pool owes its traders too much. Pure; `perp_auto_deleverage` and the keeper's
//! planner both call it.
//!
//! **Why.** The pool is every trader's counterparty. Liquidation protects it from traders
//! who cannot pay; nothing so far protected it from traders it cannot pay. When the
//! traders' net unsettled PnL (what the pool owes them, net of what losers owe it) grows
//! past `adl_threshold_bps` of the pool vault, further moves in the same direction could
//! leave the vault short of what winners are owed. ADL closes profitable positions (most
//! profitable first: the keeper's ranking) and pays their realised profit out of the pool
//! vault until the ratio is back under the threshold, so the pool can always pay what it
//! owes and its exposure stops growing.
//!
//! **The amount.** With `N` owed and `V` in the vault, paying `X` leaves `N − X` owed
//! against `V − X`: the ratio is back at `t` once `N − X ≤ t (V − X)`, i.e.
//! `X ≥ (N − t V) / (1 − t)` ([`excess`]). A position with profit `P` over `|base|` units
//! realises `P × n / |base|` when `n` units close at the ADL price (closing at that price
//! leaves its PnL unchanged, only realised), so it closes the smallest `n` whose share
//! covers the excess ([`close_units`]), or the whole position.
//!
//! **Prices** are the instruction's business: `N` is measured at the price least
//! favourable to the traders (worse of oracle and stable, widened by the confidence), so a
//! pumped oracle cannot trigger ADL; a position closes at the price worse for its holder
//! (the same ends), so a pump cannot be cashed through it either.
//!
//! **Who goes first.** The program cannot see every position, so it cannot check that the
//! caller picked *the* most profitable one; it checks what it can see: the market keeps
//! each side's aggregates, so a position may be deleveraged only if its profit per unit
//! of size is at least its side's average ([`ranks_first`]). The keeper ranks by profit
//! per unit, and the top of any ranking is at least the average, so the keeper's choice
//! always passes, while a caller cannot single out a below-average winner.
//!
//! **Rounding** favours the pool: the excess and the units are rounded up (deleverage at
//! least enough), the payout down.

use crate::math::{rounding, Round, I80F48};

const BPS: u128 = 10_000;

/// Settle-token native units the pool must pay out to bring `owed` (traders' net unsettled
/// PnL) back to at most `threshold_bps` of `vault`: the smallest `X` with
/// `owed − X ≤ threshold × (vault − X)`, rounded up. `None` when `owed` is within the
/// threshold (no ADL) or `threshold_bps ≥ 10,000` (validated away).
pub fn excess(owed: I80F48, vault: u64, threshold_bps: u32) -> Option<u64> {
    let t = u128::from(threshold_bps);
    if t >= BPS || owed <= I80F48::ZERO {
        return None;
    }
    // owed × 10⁴ − t × vault > 0, in whole native units rounded up (owed's fraction counts).
    let owed = u128::from(rounding::to_native(owed, Round::Up)?);
    let over = owed
        .checked_mul(BPS)?
        .checked_sub(t.checked_mul(u128::from(vault))?)
        .filter(|v| *v > 0)?;
    let den = BPS - t;
    u64::try_from(over.div_ceil(den)).ok()
}

/// Base units to close of a position of `base_abs` units with profit `pnl` (> 0, at the
/// close price) so that its realised share covers `excess`: `⌈excess × base / ⌊pnl⌋⌉`,
/// at most the position and `max_base`. `None` when there is no whole unit of profit.
pub fn close_units(base_abs: u64, pnl: I80F48, excess: u64, max_base: u64) -> Option<u64> {
    let profit = u128::from(rounding::to_native(pnl, Round::Down)?);
    if profit == 0 || base_abs == 0 {
        return None;
    }
    let n = u128::from(excess)
        .checked_mul(u128::from(base_abs))?
        .div_ceil(profit);
    Some(
        u64::try_from(n.min(u128::from(base_abs)))
            .ok()?
            .min(max_base),
    )
}

/// The realised profit, in whole settle-token units rounded down, of closing `n` of
/// `base_abs` units of a position with profit `pnl` at the close price.
pub fn payout(base_abs: u64, pnl: I80F48, n: u64) -> Option<u64> {
    if base_abs == 0 || pnl <= I80F48::ZERO {
        return Some(0);
    }
    let profit = u128::from(rounding::to_native(pnl, Round::Down)?);
    let paid = profit.checked_mul(u128::from(n.min(base_abs)))? / u128::from(base_abs);
    u64::try_from(paid).ok()
}

/// Whether a position with profit `pnl` over `base_abs` units may be deleveraged on a side
/// whose positions together hold `side_pnl` over `side_units`: its profit per unit must be
/// at least the side's average, `pnl / base_abs ≥ side_pnl / side_units`, compared as
/// `(⌈pnl⌉ + 1) × side_units ≥ ⌊side_pnl⌋ × base_abs` in 128-bit integers. The rounding and
/// the one-unit slack go to the position, so the side's most profitable position always
/// passes even though the aggregates and the positions round their products separately
/// (by far less than one native unit). `None` on overflow.
pub fn ranks_first(pnl: I80F48, base_abs: u64, side_pnl: I80F48, side_units: u64) -> Option<bool> {
    let mine = pnl
        .checked_ceil()?
        .checked_to_num::<i128>()?
        .checked_add(1)?;
    let side = side_pnl.checked_floor()?.checked_to_num::<i128>()?;
    let lhs = mine.checked_mul(i128::from(side_units))?;
    let rhs = side.checked_mul(i128::from(base_abs))?;
    Some(lhs >= rhs)
}

#[cfg(test)]
mod tests;
