//! Liquidation amounts: how much liability a liquidator takes over and how much collateral
//! it receives for it. Pure: a liquidatee's [`HealthCache`] and bank parameters in, a
//! [`LiquidationPlan`] out.
//!
//! A liquidator takes `x` native units of the liquidatee's liability in one bank and receives
//! `y = ⌊x · P_liab · (1 + f) / P_asset⌋` native units of its deposit in another, where
//! `P` are oracle prices per native unit and `f` is the sum of both banks' liquidation fees.
//! Part of the fee (`insurance_share` of `y − x · P_liab / P_asset`) goes to the asset bank's
//! insurance fund instead of the liquidator. Amounts are whole native units, and every
//! rounding goes against the liquidator: `y` is rounded down, and when the liquidation takes
//! the whole deposit (however small, even below one native unit) `x` is the liability worth
//! it rounded *up*, at least one unit. So every liquidation of a pair with `k > 0` (below)
//! strictly improves the liquidatee's health, and no dust can block bankruptcy resolution.
//!
//! Per unit of `x`, the liquidatee's init health changes by
//!
//! ```text
//! Δ = P_liab · k,   k = (1 + conf_l/price_l) · w_liab_init − (1 + f) · (1 − conf_a/price_a) · w_asset_init
//! ```
//!
//! so liquidation only helps when `k > 0`, and the amount that brings init health `H < 0` to
//! zero is `−H / Δ`. `x` is the least of: the caller's maximum, the liability (rounded up, so
//! the debt clears), what the deposit can pay for, and that health-zero amount. The last is
//! rounded *up* (with `k` rounded down and one native unit of the asset's worth added), so a
//! liquidation capped by it ends at init health ≥ 0 — the `being_liquidated` flag clears —
//! and above zero by no more than about one native unit of each token's worth: amounts are
//! whole native units, so that is the finest a liquidation can stop.
//!
//! Bank configs are validated so that `k > 0` for every pair at zero confidence
//! (`state::LiquidationParams`); wide confidence can still make a pair unhelpful for a
//! moment, and the keeper then picks another pair.

use super::engine::HealthCache;
use super::price::NativePrice;
use crate::error::CrossMarginError;
use crate::math::interest::BPS;
use crate::math::{rounding, wide, Round, I80F48};
use anchor_lang::prelude::*;

/// One bank's side of a liquidation.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LiquidationSide {
    pub token_index: u16,
    /// Validated oracle price mantissa (> 0) and confidence.
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub decimals: u8,
    pub init_asset_weight_bps: u32,
    pub init_liab_weight_bps: u32,
    pub liquidation_fee_bps: u32,
}

/// What a liquidation moves, all in native units.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LiquidationPlan {
    /// Liability taken over by the liquidator (`x`).
    pub liab_amount: u64,
    /// Deposit taken from the liquidatee (`y`).
    pub asset_amount: u64,
    /// Part of `y` paid into the asset bank's insurance vault.
    pub insurance_amount: u64,
    /// Part of `y` credited to the liquidator.
    pub liquidator_asset: u64,
}

fn ovf<T>(x: Option<T>) -> Result<T> {
    x.ok_or_else(|| CrossMarginError::MathOverflow.into())
}

fn frac(num: u64, den: i64, round: Round) -> Result<I80F48> {
    let den =
        I80F48::from_num(u64::try_from(den).map_err(|_| CrossMarginError::OraclePriceInvalid)?);
    ovf(rounding::div(rounding::from_native(num), den, round))
}

fn bps(x: u32) -> I80F48 {
    I80F48::from_num(x)
}

/// Health improvement factor `k` (see module docs), rounded down, so the amount derived
/// from it never falls short of health zero. Computed scaled by 10^8 (fee and weights are in
/// bps) with one rounded division at the end.
pub fn improvement_factor(asset: &LiquidationSide, liab: &LiquidationSide) -> Result<I80F48> {
    let one = I80F48::from_num(BPS);
    let fee = asset.liquidation_fee_bps as u64 + liab.liquidation_fee_bps as u64;
    let liab_conf = frac(liab.conf, liab.price, Round::Down)?;
    let liab_term = ovf(ovf(one.checked_add(ovf(liab_conf.checked_mul(one))?))?
        .checked_mul(bps(liab.init_liab_weight_bps)))?;
    let asset_conf = frac(asset.conf, asset.price, Round::Down)?.min(I80F48::ONE);
    let asset_term = ovf(ovf(rounding::mul(
        I80F48::from_num(BPS as u64 + fee),
        I80F48::ONE - asset_conf,
        Round::Up,
    ))?
    .checked_mul(bps(asset.init_asset_weight_bps)))?;
    let diff = ovf(liab_term.checked_sub(asset_term))?;
    if diff <= I80F48::ZERO {
        return Ok(diff);
    }
    ovf(rounding::div(
        diff,
        I80F48::from_num(BPS as u64 * BPS as u64),
        Round::Down,
    ))
}

/// `amount · P_from · num_bps / (P_to · den_bps)`: native units of `from` converted to native
/// units of `to`, exactly from the decimal oracle prices, rounded once. `None` when the
/// prices' exponent gap (beyond 10^±15) does not fit the exact path or the result does not
/// fit a `u64`; the caller then uses the binary-float path.
pub fn exact_convert(
    amount: u64,
    from: &LiquidationSide,
    to: &LiquidationSide,
    num_bps: u32,
    den_bps: u32,
    round: Round,
) -> Option<u64> {
    let gap = (from.expo - from.decimals as i32) - (to.expo - to.decimals as i32);
    if gap.unsigned_abs() > 15 || from.price <= 0 || to.price <= 0 || den_bps == 0 {
        return None;
    }
    let pow = 10u128.pow(gap.unsigned_abs());
    let to_price = to.price as u128 * den_bps as u128;
    let (num_factor, den) = if gap >= 0 {
        (num_bps as u128 * pow, to_price)
    } else {
        (num_bps as u128, to_price.checked_mul(pow)?)
    };
    let (hi, lo) = wide::mul_u128(amount as u128 * from.price as u128, num_factor);
    let (q, remainder) = wide::div_256(hi, lo, den)?;
    let q = if round == Round::Up && remainder {
        q.checked_add(1)?
    } else {
        q
    };
    u64::try_from(q).ok()
}

/// `x · P_liab · (10^4 + fee_bps) / (P_asset · 10^4)` in native units of the asset (see
/// [`exact_convert`]).
pub fn exact_asset_amount(
    x: u64,
    asset: &LiquidationSide,
    liab: &LiquidationSide,
    fee_bps: u32,
    round: Round,
) -> Option<u64> {
    exact_convert(x, liab, asset, BPS.checked_add(fee_bps)?, BPS, round)
}

/// Plan a liquidation of `liab` against `asset` on the liquidatee whose health inputs are
/// `cache`, taking at most `max_liab` native units of liability.
pub fn plan(
    cache: &HealthCache,
    asset: &LiquidationSide,
    liab: &LiquidationSide,
    insurance_share_bps: u32,
    max_liab: u64,
) -> Result<LiquidationPlan> {
    let debt = cache
        .token(liab.token_index)
        .filter(|t| t.balance < I80F48::ZERO)
        .map(|t| Debt {
            balance: t.balance,
            mid: t.risk.mid,
        });
    plan_against(cache, asset, liab, debt, insurance_share_bps, max_liab)
}

/// The liability a liquidator takes over: the liquidatee's negative native balance and
/// its oracle price per native unit (a token borrow, or a perp's flat loss in settle-token
/// units at face value: `health::perp_loss_liquidation`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Debt {
    pub balance: I80F48,
    pub mid: NativePrice,
}

/// [`plan`] for a liability described by `debt` (`None`: nothing to take,
/// `NoLiabilityToTake`) and priced by `liab`, against the deposit of `asset` in `cache`.
pub fn plan_against(
    cache: &HealthCache,
    asset: &LiquidationSide,
    liab: &LiquidationSide,
    debt: Option<Debt>,
    insurance_share_bps: u32,
    max_liab: u64,
) -> Result<LiquidationPlan> {
    let a = cache
        .token(asset.token_index)
        .filter(|t| t.balance > I80F48::ZERO)
        .ok_or(CrossMarginError::NoAssetToSeize)?;
    let l = debt.ok_or(CrossMarginError::NoLiabilityToTake)?;
    let init = cache.health()?.init;
    require!(init < I80F48::ZERO, CrossMarginError::NotLiquidatable);

    let k = improvement_factor(asset, liab)?;
    require!(
        k > I80F48::ZERO,
        CrossMarginError::LiquidationWouldNotImprove
    );
    // Checked: the inputs are bank parameters (≤ 50 % each once validated), but this is a
    // pure function and must not panic on any input.
    let fee = ovf(asset
        .liquidation_fee_bps
        .checked_add(liab.liquidation_fee_bps))?;
    let fee_factor = ovf(BPS.checked_add(fee))?;
    // Asset per unit of liability, with and without the fee: only the binary-float
    // fallbacks use these, so they are computed lazily and an extreme price ratio fails only
    // a plan that needs them.
    let ratio_fee = || -> Result<NativePrice> {
        let scaled = ovf(l.mid.scale_bps(fee_factor, Round::Down))?;
        ovf(scaled.mul(&ovf(a.risk.mid.recip(Round::Up))?, Round::Down))
    };
    let ratio_base = || -> Result<NativePrice> {
        ovf(l.mid.mul(&ovf(a.risk.mid.recip(Round::Down))?, Round::Down))
    };

    let amount = |price: &NativePrice, x: I80F48, round: Round| -> Result<I80F48> {
        let bits = ovf(price.value_bits(x.to_bits().unsigned_abs(), round))?;
        Ok(I80F48::from_bits(bits as i128))
    };
    let to_native = |x: I80F48, round| ovf(rounding::to_native(x, round));

    // Health-zero amount: (|H| + one native unit of asset's worth) / k / P_liab, rounded up.
    let asset_unit = amount(&a.risk.asset_init, I80F48::ONE, Round::Up)?;
    let shortfall = ovf((-init).checked_add(asset_unit))?;
    // Candidates too large for a u64 saturate there (the caller's cap or another candidate
    // binds first), so a huge position never turns into an overflow error.
    let saturate = |v: Result<I80F48>| {
        v.ok()
            .and_then(|v| rounding::to_native(v, Round::Up))
            .unwrap_or(u64::MAX)
    };
    let x_health = saturate(
        rounding::div(shortfall, k, Round::Up)
            .ok_or_else(|| CrossMarginError::MathOverflow.into())
            .and_then(|needed| amount(&ovf(l.mid.recip(Round::Up))?, needed, Round::Up)),
    );
    let x_liab = saturate(Ok(-l.balance));
    let asset_available = to_native(a.balance, Round::Down)?;
    // Liability that pays for the whole deposit, rounded *up* (against the liquidator) and
    // at least one native unit: any deposit, however small, can be seized in full, so dust
    // never blocks bankruptcy. (k > 0 means the liquidatee's health still improves.)
    // (Priced on the balance rounded up: a fraction below one native unit is forfeited to
    // the vault with the rest of the position, and the liquidator pays for it.)
    let whole = to_native(a.balance, Round::Up)?;
    let x_full = exact_convert(whole, asset, liab, BPS, fee_factor, Round::Up)
        .map(Ok)
        .unwrap_or_else(|| {
            // Liability per unit of asset, P_a / (P_l·(1 + f)), rounded up.
            let liab_fee = ovf(l.mid.scale_bps(fee_factor, Round::Down))?;
            let inverse = ovf(a.risk.mid.mul(&ovf(liab_fee.recip(Round::Up))?, Round::Up))?;
            amount(&inverse, rounding::from_native(whole), Round::Up)
                .and_then(|v| ovf(rounding::to_native(v, Round::Up)))
        })
        .ok()
        .map(|x| x.max(1));
    let seize_all = |x: u64| Some(x) == x_full;
    let x = max_liab
        .min(x_liab)
        .min(x_health)
        .min(x_full.unwrap_or(u64::MAX));
    require!(x > 0, CrossMarginError::LiquidationTooSmall);

    // The seized amount is rounded *down*: the liquidatee gives up no more than the fair
    // price plus fees, so every liquidation of a pair with k > 0 improves its health.
    let partial = |x: u64| -> Result<u64> {
        Ok(match exact_asset_amount(x, asset, liab, fee, Round::Down) {
            Some(y) => y,
            None => to_native(
                amount(&ratio_fee()?, rounding::from_native(x), Round::Down)?,
                Round::Down,
            )?,
        }
        .min(asset_available))
    };
    let (x, y) = if seize_all(x) {
        (x, asset_available)
    } else {
        match (partial(x)?, x_full) {
            (0, Some(full)) if full <= max_liab && full <= x_health => {
                // Less than one native unit of the asset would change hands (a tiny debt
                // against a valuable unit): take the whole deposit instead, paying for all
                // of it; any liability beyond the debt becomes the liquidatee's deposit.
                // Only when that does not carry the account past init health zero, so no
                // liquidator can force-convert a large deposit against a dust debt.
                (full, asset_available)
            }
            (0, _) => return err!(CrossMarginError::LiquidationTooSmall),
            (y, _) => (x, y),
        }
    };
    // The fair (fee-less) amount; beyond a u64 it saturates, and then there is no fee part
    // (y ≤ asset_available < base).
    let base = exact_asset_amount(x, asset, liab, 0, Round::Down).unwrap_or_else(|| {
        ratio_base()
            .and_then(|r| amount(&r, rounding::from_native(x), Round::Down))
            .ok()
            .and_then(|v| rounding::to_native(v, Round::Down))
            .unwrap_or(u64::MAX)
    });
    let fee_part = y.saturating_sub(base);
    let insurance = ovf(u64::try_from(
        fee_part as u128 * insurance_share_bps.min(BPS) as u128 / BPS as u128,
    )
    .ok())?;
    Ok(LiquidationPlan {
        liab_amount: x,
        asset_amount: y,
        insurance_amount: insurance,
        liquidator_asset: y - insurance,
    })
}

#[cfg(test)]
mod tests;
