//! Liquidating a flat perp loss: a liquidator takes over part of the liquidatee's negative
//! quote in a market where it holds no base, and receives its deposit in an asset bank at
//! the token-liquidation discount. Pure: the liquidatee's [`HealthCache`] in, a
//! [`PerpLossLiquidationPlan`] out; the program (`perp_liquidate_loss`) and the keeper's
//! planner both call [`plan`].
//!
//! **Why.** A flat loss is owed to the pool in the perp quote. Settling it moves tokens out
//! of the settle bank's vault (`perp_settle_pnl`), which a 100 %-utilised vault cannot do;
//! `token_liquidate` finds no token liability, `perp_liquidate` no base, and bankruptcy
//! needs the collateral gone. Moving the *claim* instead of the tokens needs no liquidity:
//! the liquidator's quote falls by `x` (it owes the pool now, and settles when it likes),
//! the liquidatee's rises by `x`, and the pool's claim just changes debtor.
//!
//! **Pricing** is a token liquidation's (`health::liquidation::plan_against`), with the
//! liability being the quote: one settle-token native unit worth one quote-native unit
//! (health counts a perp quote at face value in both kinds), no confidence, weight 1 and no
//! liquidation fee of its own. So `y = ⌊x · (1 + f_A) / P_A⌋`, the insurance share of the
//! fee goes to A's protocol fees, `x` stops at init health ≥ 0 (rounded up, plus one asset
//! unit's worth), dust deposits are seized whole with `x` rounded up. Per unit of `x` init
//! health rises by `k = 1 − (1 + f_A)·(1 − conf_A/price_A)·w_init_A`.
//!
//! **Rounding.** `y` rounds down (the liquidatee gives up no more than the price plus the
//! fee) and `x` is a whole number of units that the liquidator owes in full. The
//! liquidatee's quote rises by `x`, except that a sub-unit profit this leaves (`x` is the
//! loss rounded *up*) goes to the pool: the liquidator pays for that fraction, as it pays
//! for a seized deposit's sub-unit fraction in a token liquidation. A flat position left
//! at zero frees its slot.
//!
//! **Checks in the plan**: the position is flat (`PerpPositionNotFlat`) with a loss
//! (`NoPerpLoss`), the asset is a deposit (`NoAssetToSeize`), and both init and maint
//! health strictly rise (`LiquidationWouldNotImprove`: e.g. seizing a deposit that hedges
//! another perp can lower them, or a deposit whose init weight × (1 + fee) ≥ 1).

use super::engine::{Health, HealthCache};
use super::liquidation::{plan_against, Debt, LiquidationSide};
use super::price::NativePrice;
use crate::error::CrossMarginError;
use crate::math::{Round, I80F48};
use crate::state::{FREE_TOKEN_INDEX, QUOTE_DECIMALS};
use anchor_lang::prelude::*;

/// What a perp loss liquidation moves.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PerpLossLiquidationPlan {
    /// Loss the liquidator takes over, settle-token native units (its quote falls by it).
    pub loss_amount: u64,
    /// The liquidatee's quote after (a sub-unit profit already given to the pool).
    pub quote_after: I80F48,
    /// Deposit taken from the liquidatee (`y`), native units of the asset.
    pub asset_amount: u64,
    /// Part of `y` booked to the asset bank's protocol fees for its insurance fund.
    pub insurance_amount: u64,
    /// Part of `y` credited to the liquidator.
    pub liquidator_asset: u64,
    /// The liquidatee's health after (estimated on native balances; the program
    /// recomputes it from the indexed balances it writes).
    pub health_after: Health,
}

/// The perp quote as a liquidation's liability side: one native unit worth one
/// quote-native unit, at weight 1, no confidence and no fee.
pub const fn quote_side() -> LiquidationSide {
    LiquidationSide {
        token_index: FREE_TOKEN_INDEX,
        price: 1,
        conf: 0,
        expo: 0,
        decimals: QUOTE_DECIMALS,
        init_asset_weight_bps: 10_000,
        init_liab_weight_bps: 10_000,
        liquidation_fee_bps: 0,
    }
}

/// The quote's price per native unit (one quote-native unit).
fn quote_mid() -> Result<NativePrice> {
    NativePrice::from_decimal(1, 10_000, 0, Round::Down)
        .ok_or_else(|| error!(CrossMarginError::MathOverflow))
}

/// The liquidatee's quote after taking over `x` of `quote` (< 0): `quote + x`, a sub-unit
/// profit left by rounding given to the pool (module docs).
pub fn quote_after(quote: I80F48, x: u64) -> Result<I80F48> {
    let q = quote
        .checked_add(I80F48::from_num(x))
        .ok_or(CrossMarginError::MathOverflow)?;
    Ok(if q > I80F48::ZERO && q < I80F48::ONE {
        I80F48::ZERO
    } else {
        q
    })
}

/// Plan the liquidation of up to `max_loss` of the flat loss in perp market
/// `market_index` against the deposit priced by `asset` (the asset bank's side at its live
/// oracle), on the liquidatee whose health inputs are `cache`. The cache is restored before
/// returning, also on error.
pub fn plan(
    cache: &mut HealthCache,
    market_index: u16,
    asset: &LiquidationSide,
    insurance_share_bps: u32,
    max_loss: u64,
) -> Result<PerpLossLiquidationPlan> {
    let perp = *cache
        .perp(market_index)
        .ok_or(CrossMarginError::NoPerpPosition)?;
    require!(
        perp.base == I80F48::ZERO,
        CrossMarginError::PerpPositionNotFlat
    );
    require!(perp.quote < I80F48::ZERO, CrossMarginError::NoPerpLoss);
    let deposit = cache
        .token(asset.token_index)
        .filter(|t| t.balance > I80F48::ZERO)
        .ok_or(CrossMarginError::NoAssetToSeize)?
        .balance;
    let before = cache.health()?;
    let debt = Debt {
        balance: perp.quote,
        mid: quote_mid()?,
    };
    let amounts = plan_against(
        cache,
        asset,
        &quote_side(),
        Some(debt),
        insurance_share_bps,
        max_loss,
    )?;
    // Never more than the loss (rounded up to whole units): a seizure of a dust deposit's
    // whole unit must not turn the rest of a deposit into a flat perp profit, which init
    // discounts and only the settle limit pays.
    let loss = perp
        .quote
        .checked_neg()
        .map(|l| l.ceil())
        .ok_or(CrossMarginError::MathOverflow)?;
    require!(
        I80F48::from_num(amounts.liab_amount) <= loss,
        CrossMarginError::LiquidationTooSmall
    );
    let quote = quote_after(perp.quote, amounts.liab_amount)?;
    let remaining = deposit
        .checked_sub(I80F48::from_num(amounts.asset_amount))
        .ok_or(CrossMarginError::MathOverflow)?
        .max(I80F48::ZERO);
    cache.set_perp(market_index, I80F48::ZERO, quote)?;
    cache.set_native(asset.token_index, remaining)?;
    let after = cache.health();
    cache.set_perp(market_index, I80F48::ZERO, perp.quote)?;
    cache.set_native(asset.token_index, deposit)?;
    let after = after?;
    require!(
        after.init > before.init && after.maint > before.maint,
        CrossMarginError::LiquidationWouldNotImprove
    );
    Ok(PerpLossLiquidationPlan {
        loss_amount: amounts.liab_amount,
        quote_after: quote,
        asset_amount: amounts.asset_amount,
        insurance_amount: amounts.insurance_amount,
        liquidator_asset: amounts.liquidator_asset,
        health_after: after,
    })
}

#[cfg(test)]
mod tests;
