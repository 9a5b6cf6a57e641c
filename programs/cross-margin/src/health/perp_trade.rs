//! The pure maths of trading against the pool: execution prices, what a trade does to a
//! position and to open interest, the pool's value and its LP shares, the settle limit and
//! the liquidation price. Units as in [`super::perp`]: base native units, quote (settle
//! token) native units, prices in quote native per base native as `I80F48`.
//!
//! **Execution price.** The pool quotes the oracle price worsened, against the trader, by
//! three terms: the trading fee, the oracle's confidence (so a trader who knows the next
//! price cannot buy below it inside the published interval), and an impact term
//! `impact_bps × |size| / max_open_interest` that grows with the trade against the
//! market's cap. Buying pays `mid × (1 + fee + impact) + conf`; selling receives
//! `mid × (1 − fee − impact) − conf` (never below zero). Every product rounds against the
//! trader.
//!
//! **Pool value.** `vault − Σ trader PnL`, the sum computed from the market's aggregates
//! (see `state::perp_market`). LP shares are minted at the value rounded up and redeemed at
//! the value rounded down, each conversion rounded down: the pool never gives away a unit.

use crate::health::price::NativePrice;
use crate::math::{rounding, Round};
use fixed::types::I80F48;

/// 10,000 as `I80F48`.
fn bps_base() -> I80F48 {
    I80F48::from_num(10_000)
}

/// A [`NativePrice`] as `I80F48` quote native per base native, rounded as asked. `None`
/// if it does not fit.
pub fn price_i80(price: &NativePrice, round: Round) -> Option<I80F48> {
    let bits = price.value_bits(1u128 << 48, round)?;
    Some(I80F48::from_bits(i128::try_from(bits).ok()?))
}

/// The pool's price for a trade of `base_delta` (positive = buy) at `mid` with
/// confidence `conf` (see module docs).
pub fn execution_price(
    mid: I80F48,
    conf: I80F48,
    base_delta: i64,
    trading_fee_bps: u32,
    impact_bps: u32,
    max_open_interest: u64,
) -> Option<I80F48> {
    let size = I80F48::from_num(base_delta.unsigned_abs());
    let impact = rounding::div(
        size.checked_mul(I80F48::from_num(impact_bps))?,
        I80F48::from_num(max_open_interest.max(1)),
        Round::Up,
    )?;
    let worsen = I80F48::from_num(trading_fee_bps).checked_add(impact)?;
    if base_delta > 0 {
        let factor = rounding::div(bps_base().checked_add(worsen)?, bps_base(), Round::Up)?;
        rounding::mul(mid, factor, Round::Up)?.checked_add(conf)
    } else {
        let keep = (bps_base() - worsen.min(bps_base())).max(I80F48::ZERO);
        let factor = rounding::div(keep, bps_base(), Round::Down)?;
        Some(
            rounding::mul(mid, factor, Round::Down)?
                .checked_sub(conf)?
                .max(I80F48::ZERO),
        )
    }
}

/// `base × price` for a signed `base`, rounded towards −∞ (`Round::Down`: a PnL measured
/// with it never flatters the holder) or +∞ (`Round::Up`).
pub fn signed_value(base: i64, price: I80F48, round: Round) -> Option<I80F48> {
    let size = I80F48::from_num(base.unsigned_abs());
    if base >= 0 {
        rounding::mul(size, price, round)
    } else {
        let away = match round {
            Round::Down => Round::Up,
            Round::Up => Round::Down,
        };
        Some(-rounding::mul(size, price, away)?)
    }
}

/// The change to a position's quote when it trades `base_delta` at `price`: buying pays
/// `delta × price` rounded up, selling receives `|delta| × price` rounded down.
pub fn trade_quote_delta(base_delta: i64, price: I80F48) -> Option<I80F48> {
    let size = I80F48::from_num(base_delta.unsigned_abs());
    if base_delta > 0 {
        Some(-rounding::mul(size, price, Round::Up)?)
    } else {
        rounding::mul(size, price, Round::Down)
    }
}

/// Open interest per side after a position moves from `old` to `new` base.
pub fn open_interest_after(long: u64, short: u64, old: i64, new: i64) -> Option<(u64, u64)> {
    let side = |b: i64| (b.max(0) as u64, b.min(0).unsigned_abs());
    let (old_long, old_short) = side(old);
    let (new_long, new_short) = side(new);
    Some((
        long.checked_sub(old_long)?.checked_add(new_long)?,
        short.checked_sub(old_short)?.checked_add(new_short)?,
    ))
}

/// True when a trade from `old` to `new` only shrinks the position (same side, smaller or
/// flat).
pub fn is_reducing(old: i64, new: i64) -> bool {
    new.unsigned_abs() <= old.unsigned_abs() && (new == 0 || (new > 0) == (old > 0))
}

/// The price a liquidation closes `base_delta` at: the oracle price worsened by the
/// liquidation fee against the liquidatee (buying back a short pays `mid × (1 + fee)`,
/// selling a long receives `mid × (1 − fee)`), rounded against it.
pub fn liquidation_price(mid: I80F48, base_delta: i64, fee_bps: u32) -> Option<I80F48> {
    execution_price(mid, I80F48::ZERO, base_delta, fee_bps, 0, 1)
}

/// Σ trader PnL from the market's aggregates at `price`:
/// `total_quote − (net_base × funding_index − total_base_snapshot) + net_base × price`.
pub fn traders_pnl(
    total_quote: I80F48,
    total_base_snapshot: I80F48,
    funding_index: I80F48,
    net_base: i128,
    price: I80F48,
) -> Option<I80F48> {
    let net = I80F48::checked_from_num(net_base)?;
    let owed = net
        .checked_mul(funding_index)?
        .checked_sub(total_base_snapshot)?;
    total_quote
        .checked_sub(owed)?
        .checked_add(net.checked_mul(price)?)
}

/// What the pool is worth: its vault minus what it owes traders (negative when traders'
/// unsettled profit exceeds the vault).
pub fn pool_value(vault: u64, traders_pnl: I80F48) -> Option<I80F48> {
    rounding::from_native(vault).checked_sub(traders_pnl)
}

/// LP shares for a deposit of `amount` into a pool worth `value` with `supply` shares: 1:1
/// into an empty pool, else `amount × supply / ⌈value⌉` rounded down (exact in 128 bits).
/// `None` when the pool has no positive value to price shares at.
pub fn shares_for_deposit(amount: u64, value: I80F48, supply: u64) -> Option<u64> {
    if supply == 0 {
        return Some(amount);
    }
    if value <= 0 {
        return None;
    }
    let value = u128::from(rounding::to_native(value, Round::Up)?);
    u64::try_from(u128::from(amount) * u128::from(supply) / value).ok()
}

/// Settle-token units paid for redeeming `shares` of `supply` from a pool worth `value`:
/// `shares × ⌊value⌋ / supply` rounded down; zero when the pool has no positive value.
pub fn amount_for_shares(shares: u64, value: I80F48, supply: u64) -> Option<u64> {
    if supply == 0 || value <= 0 {
        return Some(0);
    }
    let value = u128::from(rounding::to_native(value, Round::Down)?);
    u64::try_from(u128::from(shares) * value / u128::from(supply)).ok()
}

/// The reserve the pool keeps: `reserve_bps` of the net open interest notional, rounded up
/// to whole settle-token units.
pub fn reserve_required(net_base: i128, price: I80F48, reserve_bps: u32) -> Option<u64> {
    let notional = rounding::mul(
        I80F48::checked_from_num(net_base.unsigned_abs())?,
        price,
        Round::Up,
    )?;
    let reserve = rounding::div(
        notional.checked_mul(I80F48::from_num(reserve_bps))?,
        bps_base(),
        Round::Up,
    )?;
    rounding::to_native(reserve, Round::Up)
}

/// How much positive PnL may still be settled in this window: `limit_bps` of the pool's
/// value (nothing while it has none) minus what was settled already.
pub fn settle_allowance(pool_value: I80F48, limit_bps: u32, settled: u64) -> Option<u64> {
    if pool_value <= 0 {
        return Some(0);
    }
    let cap = rounding::div(
        pool_value.checked_mul(I80F48::from_num(limit_bps))?,
        bps_base(),
        Round::Down,
    )?;
    Some(rounding::to_native(cap, Round::Down)?.saturating_sub(settled))
}

#[cfg(test)]
mod tests;
