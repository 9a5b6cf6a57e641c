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

use super::price::NativePrice;
use crate::error::CrossMarginError;
use crate::math::{rounding, Round, I80F48};
use crate::state::{MAX_TOKEN_POSITIONS, QUOTE_DECIMALS};
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

/// The health inputs of one account: up to [`MAX_TOKEN_POSITIONS`] tokens, no heap.
#[derive(Clone, Debug)]
pub struct HealthCache {
    tokens: [Option<HealthToken>; MAX_TOKEN_POSITIONS],
    len: usize,
}

impl Default for HealthCache {
    fn default() -> Self {
        Self {
            tokens: [None; MAX_TOKEN_POSITIONS],
            len: 0,
        }
    }
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

    /// True when every position is priced by an oracle that is valid now.
    pub fn all_live(&self) -> bool {
        self.tokens().all(|t| t.risk.live)
    }

    /// True when the account owes something.
    pub fn has_liabilities(&self) -> bool {
        self.tokens().any(|t| t.balance < I80F48::ZERO)
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

    /// Init and maint health in one pass.
    pub fn health(&self) -> Result<Health> {
        let mut init: i128 = 0;
        let mut maint: i128 = 0;
        for t in self.tokens() {
            let (amount, negative) = (t.balance.to_bits().unsigned_abs(), t.balance < 0);
            let (pi, pm, round) = if negative {
                (&t.risk.liab_init, &t.risk.liab_maint, Round::Up)
            } else {
                (&t.risk.asset_init, &t.risk.asset_maint, Round::Down)
            };
            let vi = pi.value_bits(amount, round);
            let vm = pm.value_bits(amount, round);
            let (vi, vm) = match (vi, vm) {
                (Some(a), Some(b)) => (a as i128, b as i128),
                _ => return err!(CrossMarginError::MathOverflow),
            };
            let (di, dm) = if negative { (-vi, -vm) } else { (vi, vm) };
            init = init.checked_add(di).ok_or(CrossMarginError::MathOverflow)?;
            maint = maint
                .checked_add(dm)
                .ok_or(CrossMarginError::MathOverflow)?;
        }
        Ok(Health {
            init: I80F48::from_bits(init),
            maint: I80F48::from_bits(maint),
        })
    }
}

#[cfg(test)]
mod tests;
