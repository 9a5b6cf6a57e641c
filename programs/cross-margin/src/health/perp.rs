//! Perpetual futures in health: the pure maths of funding and the hedge netting rule. The
//! engine applies the rule to live prices (`HealthCache::health`, with confidence and the
//! stable price); [`base_exposure_health`] and [`margin_required`] state it at one price
//! and are kept, test-only, as the reference model its properties are proved on.
//!
//! Units: base amounts in the market's base native units (signed: long > 0), prices in
//! quote-native units per base-native unit (the settle token, USDC with 6 decimals), all
//! `I80F48`. Every rounding favours the protocol (through `math::rounding`): what a trader
//! owes rounds up, what the account is worth rounds down.
//!
//! **Funding.** The rate follows the open-interest skew: `(long − short) / (long + short)`
//! times the market's skew scale, clamped to ± the maximum rate per hour; positive means
//! longs pay. One cumulative index per market grows by `rate × price × dt / 3600` per base
//! unit, and a position owes `base × (index − snapshot)`: longs pay, shorts (negative base)
//! receive. When longs and shorts do not balance the pool is the other side, so
//! `Σ owed by positions = (long OI − short OI) × Δindex` is what the pool receives (or pays),
//! and rounding each position up means the pool never pays out more than that.
//!
//! **Hedge netting.** A spot balance and a perp on the same oracle offset each other: a
//! long spot balance against a short perp, or a spot borrow against a long perp. The
//! overlapping part moves not at all with the price, so it is margined at a small hedge
//! weight of its notional instead of paying both sides' full weights; only the unhedged
//! remainders are weighted as usual. No established protocol nets these (Mango v4 and
//! Drift v2 weight each position on its own); the requirement below is continuous in the
//! hedge ratio, never above the unhedged requirement when the hedge weight is valid
//! ([`HedgeWeights::valid_for`]), and a delta-neutral account needs a tenth or less of the
//! margin of the same legs in separate accounts.

#[cfg(test)]
use super::Health;
use super::Weights;
use crate::math::{rounding, Round};
use fixed::types::I80F48;

/// Basis points as an `I80F48` fraction.
fn bps(b: u32) -> I80F48 {
    I80F48::from_num(b) / I80F48::from_num(10_000)
}

/// A market's funding parameters.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FundingParams {
    /// Rate per hour at full skew (all open interest on one side), bps of notional.
    pub skew_scale_bps: u32,
    /// The rate is clamped to ± this per hour, bps of notional.
    pub max_rate_per_hour_bps: u32,
}

/// The funding rate per hour as a fraction of notional; positive: longs pay shorts (and
/// the pool). Zero with no open interest.
pub fn funding_rate_per_hour(long_oi: u64, short_oi: u64, p: &FundingParams) -> I80F48 {
    let total = u128::from(long_oi) + u128::from(short_oi);
    if total == 0 {
        return I80F48::ZERO;
    }
    let skew =
        I80F48::from_num(i128::from(long_oi) - i128::from(short_oi)) / I80F48::from_num(total);
    let max = bps(p.max_rate_per_hour_bps);
    (skew * bps(p.skew_scale_bps)).clamp(-max, max)
}

/// The cumulative funding index after `dt_secs` at `rate` per hour and `price`:
/// `index + rate × price × dt / 3600`. `None` on overflow.
pub fn accrue_index(
    index: I80F48,
    rate_per_hour: I80F48,
    price: I80F48,
    dt_secs: u64,
) -> Option<I80F48> {
    let per_base = rate_per_hour
        .checked_mul(price)?
        .checked_mul(I80F48::from_num(dt_secs))?
        .checked_div(I80F48::from_num(3_600))?;
    index.checked_add(per_base)
}

/// What a position of `base` owes for funding since its `snapshot` of the index
/// (negative: it receives), rounded against the trader: up what it pays, down what it
/// receives.
pub fn funding_owed(base: i64, snapshot: I80F48, index: I80F48) -> Option<I80F48> {
    let delta = index.checked_sub(snapshot)?;
    let pays = (base > 0) == (delta > 0);
    let magnitude = rounding::mul(
        I80F48::from_num(base.unsigned_abs()),
        delta.abs(),
        if pays { Round::Up } else { Round::Down },
    )?;
    Some(if pays { magnitude } else { -magnitude })
}

/// Hedge weights: the share of a hedged overlap's notional charged against health.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct HedgeWeights {
    pub init_bps: u32,
    pub maint_bps: u32,
}

impl HedgeWeights {
    /// Whether netting can never make an account look healthier than its unhedged legs
    /// allow: each hedge weight at most the cheaper pairing's combined margin (a long spot
    /// leg's `1 − asset weight` plus a short perp leg's `liab weight − 1`, and the same with
    /// the roles swapped), and init at least maint.
    pub fn valid_for(&self, spot: &Weights, perp: &Weights) -> bool {
        let margin =
            |asset: u32, liab: u32| 10_000u32.saturating_sub(asset) + liab.saturating_sub(10_000);
        let init_cap = margin(spot.init_asset_bps, perp.init_liab_bps)
            .min(margin(perp.init_asset_bps, spot.init_liab_bps));
        let maint_cap = margin(spot.maint_asset_bps, perp.maint_liab_bps)
            .min(margin(perp.maint_asset_bps, spot.maint_liab_bps));
        self.maint_bps <= self.init_bps && self.init_bps <= init_cap && self.maint_bps <= maint_cap
    }
}

#[cfg(test)]
/// `x × b / 10,000` for `x ≥ 0`, rounded in `round`'s direction.
fn mul_bps(x: I80F48, b: u32, round: Round) -> Option<I80F48> {
    rounding::div(
        x.checked_mul(I80F48::from_num(b))?,
        I80F48::from_num(10_000),
        round,
    )
}

#[cfg(test)]
/// The weighted value of `amount` base units at `price`: assets at `asset_bps` rounded
/// down, liabilities at `liab_bps` rounded up in magnitude (both against the account).
fn weighted(amount: I80F48, price: I80F48, asset_bps: u32, liab_bps: u32) -> Option<I80F48> {
    if amount >= 0 {
        mul_bps(
            rounding::mul(amount, price, Round::Down)?,
            asset_bps,
            Round::Down,
        )
    } else {
        let notional = rounding::mul(amount.abs(), price, Round::Up)?;
        Some(-mul_bps(notional, liab_bps, Round::Up)?)
    }
}

/// The overlap of a spot balance and a perp base position that hedge each other (opposite
/// signs), in base units; zero otherwise.
pub fn hedged_overlap(spot: I80F48, perp: I80F48) -> I80F48 {
    if (spot > 0 && perp < 0) || (spot < 0 && perp > 0) {
        spot.abs().min(perp.abs())
    } else {
        I80F48::ZERO
    }
}

#[cfg(test)]
/// Init and maint health of a spot balance and a perp base position on the same oracle
/// at `price` (the perp's quote part, its entry cost and PnL, is added by the caller as
/// is). The overlap is charged its hedge weight; the remainders their usual weights.
pub fn base_exposure_health(
    spot: I80F48,
    spot_weights: &Weights,
    perp: I80F48,
    perp_weights: &Weights,
    hedge: &HedgeWeights,
    price: I80F48,
) -> Option<Health> {
    let h = hedged_overlap(spot, perp);
    let shrink = |x: I80F48| -> Option<I80F48> {
        if x > 0 {
            x.checked_sub(h)
        } else {
            x.checked_add(h)
        }
    };
    let (spot_rest, perp_rest) = (shrink(spot)?, shrink(perp)?);
    let hedged_notional = rounding::mul(h, price, Round::Up)?;
    let charge = |b: u32| mul_bps(hedged_notional, b, Round::Up);
    let side = |asset_spot: u32, liab_spot: u32, asset_perp: u32, liab_perp: u32, hedge_bps| {
        weighted(spot_rest, price, asset_spot, liab_spot)?
            .checked_add(weighted(perp_rest, price, asset_perp, liab_perp)?)?
            .checked_sub(charge(hedge_bps)?)
    };
    Some(Health {
        init: side(
            spot_weights.init_asset_bps,
            spot_weights.init_liab_bps,
            perp_weights.init_asset_bps,
            perp_weights.init_liab_bps,
            hedge.init_bps,
        )?,
        maint: side(
            spot_weights.maint_asset_bps,
            spot_weights.maint_liab_bps,
            perp_weights.maint_asset_bps,
            perp_weights.maint_liab_bps,
            hedge.maint_bps,
        )?,
    })
}

#[cfg(test)]
/// The margin the two legs consume: their unweighted value minus their health (what the
/// weights and the hedge charge take away), for init and maint.
pub fn margin_required(
    spot: I80F48,
    spot_weights: &Weights,
    perp: I80F48,
    perp_weights: &Weights,
    hedge: &HedgeWeights,
    price: I80F48,
) -> Option<Health> {
    let value = spot.checked_add(perp)?.checked_mul(price)?;
    let h = base_exposure_health(spot, spot_weights, perp, perp_weights, hedge, price)?;
    Some(Health {
        init: value.checked_sub(h.init)?,
        maint: value.checked_sub(h.maint)?,
    })
}

#[cfg(test)]
mod tests;
