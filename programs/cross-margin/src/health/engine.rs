//! The pure health engine: positions + bank snapshots + prices in, health numbers out.
//!
//! ```text
//! health(kind) = Σ deposits × asset_price × asset_weight(kind)
//!              − Σ borrows  × liab_price  × liab_weight(kind)
//! ```
//!
//! `asset_price = price − conf` and `liab_price = price + conf` (the pessimistic ends of the
//! oracle's interval). For **init** health, `price` is the worse of the oracle and the bank's
//! stable price (`guard::stable_price`): assets at `min(oracle, stable) − conf`, liabilities
//! at `max(oracle, stable) + conf`, so a pumped oracle cannot be borrowed against; **maint**
//! health and liquidation use the oracle alone ([`InitPrices`]). The weight is folded into the price once per bank ([`TokenRisk`]),
//! so evaluating an account costs one 128 × 64-bit multiply per position per kind.
//! Deposits are valued rounding down and borrows rounding up, so health never flatters
//! the account. The same code runs in the program, the keeper, the CLI and the simulator.

use super::perp::{hedged_overlap, HedgeWeights};
use super::price::NativePrice;
use crate::error::CrossMarginError;
use crate::math::{rounding, Round, I80F48};
use crate::state::{MAX_PERP_POSITIONS, MAX_TOKEN_POSITIONS, QUOTE_DECIMALS};
use anchor_lang::prelude::*;

/// Init and maint health of one account, in quote-native units (USD × 10^6): init weights
/// gate new risk, maint weights trigger liquidation. Both come from one pass.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Health {
    pub init: I80F48,
    pub maint: I80F48,
}

/// An oracle reading that has passed every validity check (see `state::oracle`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct OraclePrice {
    /// Price mantissa, > 0.
    pub price: i64,
    /// Confidence interval in the same units.
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
}

/// Which price init health uses (maint health always uses the oracle).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum InitPrices {
    /// Assets at `min(oracle, stable)`, liabilities at `max(oracle, stable)`: every
    /// instruction that adds risk.
    WorseOfOracleAndStable,
    /// The oracle alone: liquidations, which must follow the market.
    Oracle,
}

/// The four weights of a bank, in basis points (10,000 = 1).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Weights {
    pub init_asset_bps: u32,
    pub maint_asset_bps: u32,
    pub maint_liab_bps: u32,
    pub init_liab_bps: u32,
}

/// Everything health needs from one bank, with weights and prices pre-multiplied.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TokenRisk {
    pub token_index: u16,
    pub deposit_index: I80F48,
    pub borrow_index: I80F48,
    pub asset_init: NativePrice,
    pub asset_maint: NativePrice,
    pub liab_init: NativePrice,
    pub liab_maint: NativePrice,
    /// Oracle price (no confidence, no weight), for liquidation transfers.
    pub mid: NativePrice,
    /// The oracle reading this risk was built from.
    pub oracle: OraclePrice,
    /// True when `oracle` passed every check now; false when it is the bank's last valid
    /// price widened to its maximum confidence (an outage). Liquidations transfer only
    /// live positions.
    pub live: bool,
}

impl TokenRisk {
    /// Build from a bank's indices, decimals, weights, a validated oracle price and, for init
    /// health, the bank's stable price in the oracle's exponent (`None`: the oracle alone).
    pub fn new(
        token_index: u16,
        deposit_index: I80F48,
        borrow_index: I80F48,
        decimals: u8,
        weights: &Weights,
        oracle: &OraclePrice,
        stable: Option<i64>,
    ) -> Result<Self> {
        let price =
            u64::try_from(oracle.price).map_err(|_| CrossMarginError::OraclePriceInvalid)?;
        let stable = stable.and_then(|s| u64::try_from(s).ok()).unwrap_or(price);
        let asset = price.saturating_sub(oracle.conf);
        let liab = price
            .checked_add(oracle.conf)
            .ok_or(CrossMarginError::OraclePriceInvalid)?;
        let asset_init = price.min(stable).saturating_sub(oracle.conf);
        let liab_init = price
            .max(stable)
            .checked_add(oracle.conf)
            .ok_or(CrossMarginError::OraclePriceInvalid)?;
        let exp10 = oracle
            .expo
            .checked_add(QUOTE_DECIMALS as i32 - decimals as i32)
            .ok_or(CrossMarginError::OraclePriceInvalid)?;
        let make = |value: u64, weight: u32, round: Round| {
            NativePrice::from_decimal(value, weight, exp10, round)
                .ok_or(CrossMarginError::OraclePriceInvalid)
        };
        Ok(Self {
            token_index,
            deposit_index,
            borrow_index,
            asset_init: make(asset_init, weights.init_asset_bps, Round::Down)?,
            asset_maint: make(asset, weights.maint_asset_bps, Round::Down)?,
            liab_init: make(liab_init, weights.init_liab_bps, Round::Up)?,
            liab_maint: make(liab, weights.maint_liab_bps, Round::Up)?,
            mid: make(price, 10_000, Round::Down)?,
            oracle: *oracle,
            live: true,
        })
    }

    /// Native balance of an indexed position: deposits rounded down, borrows rounded up.
    #[inline]
    pub fn native(&self, indexed: I80F48) -> Result<I80F48> {
        native_balance(indexed, self.deposit_index, self.borrow_index)
    }
}

/// `indexed × index` with the sign of `indexed`, rounded against the account.
#[inline]
pub fn native_balance(
    indexed: I80F48,
    deposit_index: I80F48,
    borrow_index: I80F48,
) -> Result<I80F48> {
    let r = if indexed >= 0 {
        rounding::mul(indexed, deposit_index, Round::Down)
    } else {
        indexed
            .checked_abs()
            .and_then(|debt| rounding::mul(debt, borrow_index, Round::Up))
            .map(|v| -v)
    };
    Ok(r.ok_or(CrossMarginError::MathOverflow)?)
}

/// One position as health sees it: signed native balance and its bank's risk.
#[derive(Copy, Clone, Debug)]
pub struct HealthToken {
    pub risk: TokenRisk,
    pub balance: I80F48,
}

impl HealthToken {
    /// `(init, maint)` weighted value of the balance on its own (no hedge netting): assets
    /// rounded down, liabilities up.
    pub fn weighted(&self) -> Result<(I80F48, I80F48)> {
        let (i, m) = weighted_bits(&self.risk, self.balance.to_bits())?;
        Ok((I80F48::from_bits(i), I80F48::from_bits(m)))
    }
}

/// One perp position as health sees it (see `health::perp` for the rules).
///
/// It counts as `quote + weighted(base)`: the quote part (entry cost, realised PnL, fees,
/// funding owed up to now) at face value in the settle token, the base exposure weighted
/// like a token with the market's weights (`risk`, a token with indices 1). For init
/// health, unsettled profit `quote + base × price` counts only at `init_pnl_weight_bps`.
/// When the account holds a spot balance on the same oracle (`hedge_token`), the overlap
/// of opposite legs is charged the hedge weights instead of both legs' weights.
#[derive(Copy, Clone, Debug)]
pub struct HealthPerp {
    pub risk: TokenRisk,
    /// Base position, native units (signed).
    pub base: I80F48,
    /// Quote position net of the funding it owes now, settle-token native units.
    pub quote: I80F48,
    pub init_pnl_weight_bps: u32,
    pub hedge: HedgeWeights,
    /// The token whose spot balance this perp nets against, or `FREE_TOKEN_INDEX`.
    pub hedge_token: u16,
    /// Unweighted init prices `[long, short]` (the asset and liability init prices at
    /// weight 1: worse of oracle and stable, widened by the confidence): the unsettled
    /// profit init health discounts is measured at them, so it is the profit init health
    /// would otherwise count.
    pub init_pnl_prices: [NativePrice; 2],
}

impl HealthPerp {
    pub fn market_index(&self) -> u16 {
        self.risk.token_index
    }

    /// Unsettled PnL at the oracle price: `quote + base × price`, rounded up (a larger
    /// profit is haircut more in init health).
    pub fn pnl(&self) -> Result<I80F48> {
        self.pnl_at(&self.risk.mid)
    }

    /// Unsettled PnL as init health prices it (see `init_pnl_prices`), rounded up.
    pub fn init_pnl(&self) -> Result<I80F48> {
        self.pnl_at(&self.init_pnl_prices[usize::from(self.base < 0)])
    }

    fn pnl_at(&self, price: &NativePrice) -> Result<I80F48> {
        let amount = self.base.to_bits().unsigned_abs();
        let round = if self.base > 0 {
            Round::Up
        } else {
            Round::Down
        };
        let v = price
            .value_bits(amount, round)
            .ok_or(CrossMarginError::MathOverflow)? as i128;
        let v = I80F48::from_bits(if self.base < 0 { -v } else { v });
        Ok(self
            .quote
            .checked_add(v)
            .ok_or(CrossMarginError::MathOverflow)?)
    }
}

/// The health inputs of one account: up to [`MAX_TOKEN_POSITIONS`] tokens and
/// [`MAX_PERP_POSITIONS`] perps, no heap.
#[derive(Clone, Debug)]
pub struct HealthCache {
    tokens: [Option<HealthToken>; MAX_TOKEN_POSITIONS],
    len: usize,
    perps: [Option<HealthPerp>; MAX_PERP_POSITIONS],
    perp_len: usize,
}

impl Default for HealthCache {
    fn default() -> Self {
        Self {
            tokens: [None; MAX_TOKEN_POSITIONS],
            len: 0,
            perps: [None; MAX_PERP_POSITIONS],
            perp_len: 0,
        }
    }
}

/// `(init, maint)` weighted value of a signed native amount (raw `I80F48` bits) at a
/// risk's prices: assets rounded down, liabilities up.
#[inline]
fn weighted_bits(risk: &TokenRisk, amount: i128) -> Result<(i128, i128)> {
    let (abs, negative) = (amount.unsigned_abs(), amount < 0);
    let (pi, pm, round) = if negative {
        (&risk.liab_init, &risk.liab_maint, Round::Up)
    } else {
        (&risk.asset_init, &risk.asset_maint, Round::Down)
    };
    match (pi.value_bits(abs, round), pm.value_bits(abs, round)) {
        (Some(a), Some(b)) if negative => Ok((-(a as i128), -(b as i128))),
        (Some(a), Some(b)) => Ok((a as i128, b as i128)),
        _ => err!(CrossMarginError::MathOverflow),
    }
}

/// `x × bps / 10^4` on raw non-negative bits, rounded up.
fn bps_up(x: i128, bps: u32) -> Result<i128> {
    let v = x
        .checked_mul(i128::from(bps))
        .ok_or(CrossMarginError::MathOverflow)?;
    Ok(v.div_euclid(10_000) + i128::from(v.rem_euclid(10_000) != 0))
}

impl HealthCache {
    /// Add a position; its bank's `risk` must be for the same token.
    pub fn push(&mut self, risk: TokenRisk, indexed: I80F48) -> Result<()> {
        let slot = self
            .tokens
            .get_mut(self.len)
            .ok_or(CrossMarginError::HealthAccountsCount)?;
        *slot = Some(HealthToken {
            balance: risk.native(indexed)?,
            risk,
        });
        self.len += 1;
        Ok(())
    }

    pub fn tokens(&self) -> impl Iterator<Item = &HealthToken> {
        self.tokens[..self.len].iter().flatten()
    }

    pub fn token(&self, token_index: u16) -> Option<&HealthToken> {
        self.tokens().find(|t| t.risk.token_index == token_index)
    }

    /// True when every position (token and perp) is priced by an oracle that is valid now.
    pub fn all_live(&self) -> bool {
        self.tokens().all(|t| t.risk.live) && self.perps_live()
    }

    /// True when the account owes something or carries perp exposure (a perp position can
    /// lose).
    pub fn has_liabilities(&self) -> bool {
        self.tokens().any(|t| t.balance < I80F48::ZERO)
            || self
                .perps()
                .any(|p| p.base != I80F48::ZERO || p.quote < I80F48::ZERO)
    }

    /// Replace the native balance of `token_index` after the instruction changed it.
    pub fn set_balance(&mut self, token_index: u16, indexed: I80F48) -> Result<()> {
        let token = self.tokens[..self.len]
            .iter_mut()
            .flatten()
            .find(|t| t.risk.token_index == token_index)
            .ok_or(CrossMarginError::HealthBankMismatch)?;
        token.balance = token.risk.native(indexed)?;
        Ok(())
    }

    /// Replace the native balance of `token_index` directly (a planner's what-if; the
    /// instruction re-reads the indexed balance afterwards with [`Self::set_balance`]).
    pub fn set_native(&mut self, token_index: u16, native: I80F48) -> Result<()> {
        let token = self.tokens[..self.len]
            .iter_mut()
            .flatten()
            .find(|t| t.risk.token_index == token_index)
            .ok_or(CrossMarginError::HealthBankMismatch)?;
        token.balance = native;
        Ok(())
    }

    /// Replace a position's bank risk (same bank, same indices: e.g. after the instruction
    /// moved the bank's stable price); the balance is kept.
    pub fn set_risk(&mut self, risk: TokenRisk) -> Result<()> {
        let token = self.tokens[..self.len]
            .iter_mut()
            .flatten()
            .find(|t| t.risk.token_index == risk.token_index)
            .ok_or(CrossMarginError::HealthBankMismatch)?;
        require!(
            token.risk.deposit_index == risk.deposit_index
                && token.risk.borrow_index == risk.borrow_index,
            CrossMarginError::HealthBankMismatch
        );
        token.risk = risk;
        Ok(())
    }

    /// Add a perp position (after every token position it may hedge against).
    pub fn push_perp(&mut self, perp: HealthPerp) -> Result<()> {
        let slot = self
            .perps
            .get_mut(self.perp_len)
            .ok_or(CrossMarginError::HealthAccountsCount)?;
        *slot = Some(perp);
        self.perp_len += 1;
        Ok(())
    }

    pub fn perps(&self) -> impl Iterator<Item = &HealthPerp> {
        self.perps[..self.perp_len].iter().flatten()
    }

    pub fn perp(&self, market_index: u16) -> Option<&HealthPerp> {
        self.perps().find(|p| p.market_index() == market_index)
    }

    fn perp_mut(&mut self, market_index: u16) -> Result<&mut HealthPerp> {
        Ok(self.perps[..self.perp_len]
            .iter_mut()
            .flatten()
            .find(|p| p.risk.token_index == market_index)
            .ok_or(CrossMarginError::HealthPerpMismatch)?)
    }

    /// Replace a perp's base and quote (net of funding owed) after the instruction changed
    /// them.
    pub fn set_perp(&mut self, market_index: u16, base: I80F48, quote: I80F48) -> Result<()> {
        let p = self.perp_mut(market_index)?;
        p.base = base;
        p.quote = quote;
        Ok(())
    }

    /// True when every perp position is priced by an oracle valid now.
    pub fn perps_live(&self) -> bool {
        self.perps().all(|p| p.risk.live)
    }

    /// Init and maint health in one pass.
    ///
    /// Perps first: each nets its base against the remaining spot balance of its hedge
    /// token (the overlap is charged the hedge weights on its notional at the oracle
    /// price), then adds `quote + weighted(rest) − charge`, and for init health subtracts
    /// the part of its unsettled profit (at the unweighted init price) that init does not
    /// count, in proportion to the unhedged share of its base (the hedged share's profit is
    /// offset by the spot leg's loss). Then every token at its
    /// (netted) balance.
    pub fn health(&self) -> Result<Health> {
        let mut init: i128 = 0;
        let mut maint: i128 = 0;
        let mut balances = [0i128; MAX_TOKEN_POSITIONS];
        for (b, t) in balances.iter_mut().zip(self.tokens()) {
            *b = t.balance.to_bits();
        }
        let ovf = || CrossMarginError::MathOverflow;
        for p in self.perps() {
            let mut base = p.base.to_bits();
            let (mut charge_init, mut charge_maint) = (0i128, 0i128);
            let hedge_slot = self
                .tokens()
                .position(|t| t.risk.token_index == p.hedge_token);
            if let Some(k) = hedge_slot {
                let h = hedged_overlap(I80F48::from_bits(balances[k]), p.base).to_bits();
                if h > 0 {
                    let shrink = |x: i128| if x > 0 { x - h } else { x + h };
                    balances[k] = shrink(balances[k]);
                    base = shrink(base);
                    let notional = p
                        .risk
                        .mid
                        .value_bits(h as u128, Round::Up)
                        .ok_or_else(ovf)? as i128;
                    charge_init = bps_up(notional, p.hedge.init_bps)?;
                    charge_maint = bps_up(notional, p.hedge.maint_bps)?;
                }
            }
            let (vi, vm) = weighted_bits(&p.risk, base)?;
            let quote = p.quote.to_bits();
            let pnl = p.init_pnl()?.to_bits();
            // Only the unhedged share of the profit is discounted: the hedged share is
            // matched by the spot leg's equal loss, which init health counts in full.
            let haircut = if pnl > 0 {
                let full = bps_up(pnl, 10_000u32.saturating_sub(p.init_pnl_weight_bps))?;
                // A flat position's profit (realised, unsettled) hedges nothing.
                let share = if p.base == I80F48::ZERO {
                    I80F48::ONE
                } else {
                    rounding::div(I80F48::from_bits(base.abs()), p.base.abs(), Round::Up)
                        .ok_or_else(ovf)?
                        .min(I80F48::ONE)
                };
                rounding::mul(I80F48::from_bits(full), share, Round::Up)
                    .ok_or_else(ovf)?
                    .to_bits()
            } else {
                0
            };
            let di = quote
                .checked_add(vi)
                .and_then(|v| v.checked_sub(charge_init))
                .and_then(|v| v.checked_sub(haircut))
                .ok_or_else(ovf)?;
            let dm = quote
                .checked_add(vm)
                .and_then(|v| v.checked_sub(charge_maint))
                .ok_or_else(ovf)?;
            init = init.checked_add(di).ok_or_else(ovf)?;
            maint = maint.checked_add(dm).ok_or_else(ovf)?;
        }
        for (t, balance) in self.tokens().zip(balances) {
            let (di, dm) = weighted_bits(&t.risk, balance)?;
            init = init.checked_add(di).ok_or_else(ovf)?;
            maint = maint.checked_add(dm).ok_or_else(ovf)?;
        }
        Ok(Health {
            init: I80F48::from_bits(init),
            maint: I80F48::from_bits(maint),
        })
    }
}

#[cfg(test)]
mod perp_tests;
#[cfg(test)]
mod tests;
