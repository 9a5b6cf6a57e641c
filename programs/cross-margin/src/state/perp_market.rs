//! `PerpMarket`: one perpetual future listed in a group, traded against its liquidity pool
//! at the oracle price.
//!
//! The pool is every trader's counterparty. Its vault holds the settle token (a bank of
//! the group, normally USDC); LPs own it through an SPL mint whose authority is the group
//! PDA. What the pool is worth is its vault minus what it owes traders:
//!
//! ```text
//! Σ trader PnL = Σ quote − Σ funding owed + Σ base × price
//!              = total_quote − (net_base × funding_index − Σ base × snapshot) + net_base × price
//! pool value   = vault − Σ trader PnL
//! ```
//!
//! so the market keeps `total_quote`, `total_base_snapshot` and the open interest per side
//! up to date on every position change, and the pool can be valued from the market alone,
//! without reading a single margin account.

use super::margin_account::PerpPosition;
use super::oracle::{OracleKind, RawPrice};
use super::perp_config::PerpConfig;
use crate::error::CrossMarginError;
use crate::guard::StablePrice;
use crate::health::engine::OraclePrice;
use crate::health::perp::{
    accrue_index, funding_owed, funding_rate_per_hour, FundingParams, HedgeWeights,
};
use crate::health::perp_trade::{open_interest_after, price_i80, traders_pnl};
use crate::health::price::NativePrice;
use crate::health::{InitPrices, TokenRisk, Weights};
use crate::math::Round;
use crate::math::{I80F48Bytes, I80F48};
use anchor_lang::prelude::*;
use static_assertions::const_assert_eq;

pub const PERP_SEED: &[u8] = b"perp";
pub const POOL_VAULT_SEED: &[u8] = b"pool_vault";
pub const LP_MINT_SEED: &[u8] = b"lp_mint";

/// One perp market: PDA `["perp", group, perp_index (u16 LE)]`. Its pool vault is
/// `["pool_vault", market]` and its LP mint `["lp_mint", market]`, both with the group PDA
/// as authority. `I80F48Bytes` fields are fixed point (bits / 2^48, little-endian i128).
#[account(zero_copy)]
#[derive(Debug)]
pub struct PerpMarket {
    pub group: Pubkey,
    /// Price of one whole base unit in USD (Pyth, format per `oracle_kind`).
    pub oracle: Pubkey,
    /// Pyth feed id for `PythPull` oracles.
    pub oracle_feed_id: [u8; 32],
    /// The bank PnL settles into (its mint is the pool vault's mint).
    pub settle_bank: Pubkey,
    /// The pool's token account (settle mint, authority = group PDA).
    pub pool_vault: Pubkey,
    /// LP share mint (authority = group PDA, decimals = the settle token's).
    pub lp_mint: Pubkey,
    /// Human-readable name, UTF-8, zero-padded (e.g. "SOL-PERP").
    pub name: [u8; 16],

    /// Cumulative funding per base native unit, quote native: a position of `base` owes
    /// `base × (funding_index − its snapshot)` (longs pay when it rises). I80F48.
    pub funding_index: I80F48Bytes,
    /// Σ of every position's `quote`. I80F48.
    pub total_quote: I80F48Bytes,
    /// Σ of every position's `base × funding_snapshot`. I80F48.
    pub total_base_snapshot: I80F48Bytes,
    /// Σ of positive base positions, base native units.
    pub long_open_interest: u64,
    /// Σ of |negative base positions|, base native units.
    pub short_open_interest: u64,
    /// Unix time funding was last accrued to.
    pub last_funding_ts: i64,
    /// Start of the current settle window (unix seconds).
    pub settle_window_start: i64,
    /// Positive PnL settled in the current window, settle-token native units.
    pub settled_in_window: u64,
    /// LP shares outstanding (mirrors the mint's supply).
    pub lp_supply: u64,
    /// Open interest cap per side, base native units.
    pub max_open_interest: u64,
    pub max_staleness_secs: u64,
    /// The last oracle reading that passed every check (outage fallback, as a bank's).
    pub last_valid_price: i64,
    pub last_valid_conf: u64,
    pub last_valid_publish_time: i64,
    pub last_valid_expo: i32,
    pub max_conf_bps: u32,
    /// Stable price and breaker (`guard::stable_price`).
    pub stable: StablePrice,

    pub init_asset_weight_bps: u32,
    pub maint_asset_weight_bps: u32,
    pub maint_liab_weight_bps: u32,
    pub init_liab_weight_bps: u32,
    pub init_pnl_weight_bps: u32,
    pub hedge_init_bps: u32,
    pub hedge_maint_bps: u32,
    pub trading_fee_bps: u32,
    pub impact_bps: u32,
    pub liquidation_fee_bps: u32,
    pub liquidation_insurance_share_bps: u32,
    pub funding_skew_scale_bps: u32,
    pub max_funding_rate_bps: u32,
    pub pool_reserve_bps: u32,
    pub settle_limit_bps: u32,
    pub settle_window_secs: u32,
    pub adl_threshold_bps: u32,
    pub stable_growth_bps: u32,
    pub breaker_band_bps: u32,

    /// The market's index: its PDA seed and the `market_index` of positions in it.
    pub perp_index: u16,
    /// `token_index` of `settle_bank`.
    pub settle_token_index: u16,
    pub base_decimals: u8,
    /// 0 = `PythLegacy`, 1 = `PythPull`.
    pub oracle_kind: u8,
    /// Boolean: no trade may increase a position.
    pub reduce_only: u8,
    pub bump: u8,
    pub pool_vault_bump: u8,
    pub lp_mint_bump: u8,
    /// Zero.
    pub padding: [u8; 2],
    /// Fee of a hedged pair liquidation (`perp_liquidate_pair`), bps of each leg's
    /// notional, charged once on the perp leg.
    pub pair_liquidation_fee_bps: u32,
    /// The aggregates split by side, for auto-deleveraging's ranking check: Σ `quote` and
    /// Σ `base × funding_snapshot` of the long positions, and of the short ones (a flat
    /// position's quote counts in `total_quote` only). I80F48.
    pub long_quote: I80F48Bytes,
    pub long_base_snapshot: I80F48Bytes,
    pub short_quote: I80F48Bytes,
    pub short_base_snapshot: I80F48Bytes,
    /// Zero; room for later fields.
    pub reserved: [u8; 68],
}
const_assert_eq!(core::mem::size_of::<PerpMarket>(), 640);

impl PerpMarket {
    pub const SPACE: usize = 8 + core::mem::size_of::<PerpMarket>();

    pub fn apply_config(&mut self, c: &PerpConfig) {
        self.oracle_kind = c.oracle_kind as u8;
        self.max_staleness_secs = c.max_staleness_secs;
        self.max_conf_bps = c.max_conf_bps;
        self.init_asset_weight_bps = c.init_asset_weight_bps;
        self.maint_asset_weight_bps = c.maint_asset_weight_bps;
        self.maint_liab_weight_bps = c.maint_liab_weight_bps;
        self.init_liab_weight_bps = c.init_liab_weight_bps;
        self.init_pnl_weight_bps = c.init_pnl_weight_bps;
        self.hedge_init_bps = c.hedge_init_bps;
        self.hedge_maint_bps = c.hedge_maint_bps;
        self.trading_fee_bps = c.trading_fee_bps;
        self.impact_bps = c.impact_bps;
        self.liquidation_fee_bps = c.liquidation_fee_bps;
        self.liquidation_insurance_share_bps = c.liquidation_insurance_share_bps;
        self.max_open_interest = c.max_open_interest;
        self.funding_skew_scale_bps = c.funding_skew_scale_bps;
        self.max_funding_rate_bps = c.max_funding_rate_bps;
        self.pool_reserve_bps = c.pool_reserve_bps;
        self.settle_limit_bps = c.settle_limit_bps;
        self.settle_window_secs = c.settle_window_secs;
        self.adl_threshold_bps = c.adl_threshold_bps;
        self.stable_growth_bps = c.stable_growth_bps;
        self.breaker_band_bps = c.breaker_band_bps;
        self.pair_liquidation_fee_bps = c.pair_liquidation_fee_bps;
        self.reduce_only = c.reduce_only as u8;
    }

    /// The market's parameters as `perp_market_edit` compares them.
    pub fn config(&self) -> Result<PerpConfig> {
        Ok(PerpConfig {
            oracle_kind: OracleKind::try_from(self.oracle_kind)?,
            max_staleness_secs: self.max_staleness_secs,
            max_conf_bps: self.max_conf_bps,
            init_asset_weight_bps: self.init_asset_weight_bps,
            maint_asset_weight_bps: self.maint_asset_weight_bps,
            maint_liab_weight_bps: self.maint_liab_weight_bps,
            init_liab_weight_bps: self.init_liab_weight_bps,
            init_pnl_weight_bps: self.init_pnl_weight_bps,
            hedge_init_bps: self.hedge_init_bps,
            hedge_maint_bps: self.hedge_maint_bps,
            trading_fee_bps: self.trading_fee_bps,
            impact_bps: self.impact_bps,
            liquidation_fee_bps: self.liquidation_fee_bps,
            pair_liquidation_fee_bps: self.pair_liquidation_fee_bps,
            liquidation_insurance_share_bps: self.liquidation_insurance_share_bps,
            max_open_interest: self.max_open_interest,
            funding_skew_scale_bps: self.funding_skew_scale_bps,
            max_funding_rate_bps: self.max_funding_rate_bps,
            pool_reserve_bps: self.pool_reserve_bps,
            settle_limit_bps: self.settle_limit_bps,
            settle_window_secs: self.settle_window_secs,
            adl_threshold_bps: self.adl_threshold_bps,
            stable_growth_bps: self.stable_growth_bps,
            breaker_band_bps: self.breaker_band_bps,
            reduce_only: self.reduce_only != 0,
        })
    }

    pub fn weights(&self) -> Weights {
        Weights {
            init_asset_bps: self.init_asset_weight_bps,
            maint_asset_bps: self.maint_asset_weight_bps,
            maint_liab_bps: self.maint_liab_weight_bps,
            init_liab_bps: self.init_liab_weight_bps,
        }
    }

    pub fn hedge(&self) -> HedgeWeights {
        HedgeWeights {
            init_bps: self.hedge_init_bps,
            maint_bps: self.hedge_maint_bps,
        }
    }

    pub fn funding_params(&self) -> FundingParams {
        FundingParams {
            skew_scale_bps: self.funding_skew_scale_bps,
            max_rate_per_hour_bps: self.max_funding_rate_bps,
        }
    }

    pub fn is_reduce_only(&self) -> bool {
        self.reduce_only != 0
    }

    pub fn breaker_tripped(&self) -> bool {
        self.stable.breaker_tripped != 0
    }

    /// The oracle policy the market applies to its price.
    pub fn oracle_policy(&self) -> Result<super::OraclePolicy> {
        Ok(super::OraclePolicy {
            kind: OracleKind::try_from(self.oracle_kind)?,
            feed_id: self.oracle_feed_id,
            max_staleness_secs: self.max_staleness_secs,
            max_conf_bps: self.max_conf_bps,
        })
    }

    /// Make `oracle` the market's oracle, starting its history at `price`.
    pub fn set_oracle(&mut self, oracle: Pubkey, feed_id: [u8; 32], price: &OraclePrice, now: i64) {
        self.oracle = oracle;
        self.oracle_feed_id = feed_id;
        self.last_valid_publish_time = i64::MIN;
        self.observe_price(price, now);
        self.stable.reset(price.price, price.expo, now);
        self.stable.breaker_tripped = 0;
    }

    /// Feed a validated reading: last valid price, stable price, breaker.
    pub fn observe_price(&mut self, price: &OraclePrice, now: i64) {
        if price.publish_time >= self.last_valid_publish_time {
            self.last_valid_price = price.price;
            self.last_valid_conf = price.conf;
            self.last_valid_expo = price.expo;
            self.last_valid_publish_time = price.publish_time;
        }
        self.stable.track(
            price.price,
            price.expo,
            now,
            self.stable_growth_bps,
            self.breaker_band_bps,
        );
    }

    /// The price while the oracle is invalid (as `Bank::outage_price`).
    pub fn outage_price(&self, raw: Option<&RawPrice>, now: i64) -> Result<OraclePrice> {
        super::oracle::outage_price(
            raw,
            &self.oracle_policy()?,
            &super::oracle::LastValid {
                price: self.last_valid_price,
                conf: self.last_valid_conf,
                expo: self.last_valid_expo,
                publish_time: self.last_valid_publish_time,
            },
            now,
        )
    }

    /// Health inputs of the base exposure at `price`: a token with indices 1, this
    /// market's weights and base decimals (`token_index` = the perp index).
    pub fn base_risk_at(&self, price: &OraclePrice, init: InitPrices) -> Result<TokenRisk> {
        self.risk_with(&self.weights(), price, init)
    }

    /// The base risk at weight 1 (the unweighted init prices unsettled profit is measured
    /// at in init health).
    pub fn pnl_risk_at(&self, price: &OraclePrice, init: InitPrices) -> Result<TokenRisk> {
        let one = Weights {
            init_asset_bps: 10_000,
            maint_asset_bps: 10_000,
            maint_liab_bps: 10_000,
            init_liab_bps: 10_000,
        };
        self.risk_with(&one, price, init)
    }

    fn risk_with(&self, w: &Weights, price: &OraclePrice, init: InitPrices) -> Result<TokenRisk> {
        TokenRisk::new(
            self.perp_index,
            I80F48::ONE,
            I80F48::ONE,
            self.base_decimals,
            w,
            price,
            self.stable.for_init(init, price.expo),
        )
    }

    /// Net base position of all traders (long OI − short OI).
    pub fn net_base(&self) -> i128 {
        i128::from(self.long_open_interest) - i128::from(self.short_open_interest)
    }

    /// The funding index as it will be after accruing to `now` at the oracle `mid` price
    /// (pure: health of markets an instruction does not write).
    pub fn funding_index_at(&self, mid: &NativePrice, now: i64) -> Result<I80F48> {
        let dt = now.saturating_sub(self.last_funding_ts).max(0) as u64;
        let index = self.funding_index.get();
        if dt == 0 {
            return Ok(index);
        }
        let rate = funding_rate_per_hour(
            self.long_open_interest,
            self.short_open_interest,
            &self.funding_params(),
        );
        let price = price_i80(mid, Round::Down).ok_or(CrossMarginError::MathOverflow)?;
        Ok(accrue_index(index, rate, price, dt).ok_or(CrossMarginError::MathOverflow)?)
    }

    /// Accrue funding to `now` (every trade runs this first, and the crank).
    pub fn accrue_funding(&mut self, mid: &NativePrice, now: i64) -> Result<I80F48> {
        let index = self.funding_index_at(mid, now)?;
        self.funding_index.set(index);
        if now > self.last_funding_ts {
            self.last_funding_ts = now;
        }
        Ok(index)
    }

    /// Take a position out of the market's aggregates (before changing it).
    pub fn remove_position(&mut self, p: &PerpPosition) -> Result<()> {
        self.add_to_aggregates(p, -1)
    }

    /// Put a position (back) into the market's aggregates (after changing it).
    pub fn add_position(&mut self, p: &PerpPosition) -> Result<()> {
        self.add_to_aggregates(p, 1)
    }

    fn add_to_aggregates(&mut self, p: &PerpPosition, sign: i32) -> Result<()> {
        let ovf = || error!(CrossMarginError::MathOverflow);
        let sign = I80F48::from_num(sign);
        let base = I80F48::from_num(p.base);
        let snapshot = base.checked_mul(p.funding_snapshot.get()).ok_or_else(ovf)?;
        let total_quote = self
            .total_quote
            .get()
            .checked_add(p.quote.get().checked_mul(sign).ok_or_else(ovf)?)
            .ok_or_else(ovf)?;
        let total_snapshot = self
            .total_base_snapshot
            .get()
            .checked_add(snapshot.checked_mul(sign).ok_or_else(ovf)?)
            .ok_or_else(ovf)?;
        let (from, to) = if sign > 0 { (0, p.base) } else { (p.base, 0) };
        let (long, short) =
            open_interest_after(self.long_open_interest, self.short_open_interest, from, to)
                .ok_or_else(ovf)?;
        self.total_quote.set(total_quote);
        self.total_base_snapshot.set(total_snapshot);
        if p.base != 0 {
            let (side_quote, side_snapshot) = if p.base > 0 {
                (&mut self.long_quote, &mut self.long_base_snapshot)
            } else {
                (&mut self.short_quote, &mut self.short_base_snapshot)
            };
            let q = side_quote
                .get()
                .checked_add(p.quote.get().checked_mul(sign).ok_or_else(ovf)?)
                .ok_or_else(ovf)?;
            let s = side_snapshot
                .get()
                .checked_add(snapshot.checked_mul(sign).ok_or_else(ovf)?)
                .ok_or_else(ovf)?;
            side_quote.set(q);
            side_snapshot.set(s);
        }
        self.long_open_interest = long;
        self.short_open_interest = short;
        Ok(())
    }

    /// Settle the funding a position owes at the market's (already accrued) index into its
    /// quote, and move its snapshot there. The caller has removed it from the aggregates.
    pub fn settle_funding(&self, p: &mut PerpPosition) -> Result<I80F48> {
        let index = self.funding_index.get();
        let owed = funding_owed(p.base, p.funding_snapshot.get(), index)
            .ok_or(CrossMarginError::MathOverflow)?;
        let quote = p
            .quote
            .get()
            .checked_sub(owed)
            .ok_or(CrossMarginError::MathOverflow)?;
        p.quote.set(quote);
        p.funding_snapshot.set(index);
        Ok(owed)
    }

    /// Start a new settle window when the current one has ended (`perp_settle_pnl` and
    /// `perp_auto_deleverage` count what they pay out in it).
    pub fn roll_settle_window(&mut self, now: i64) {
        let window_end = self
            .settle_window_start
            .saturating_add(i64::from(self.settle_window_secs));
        if now >= window_end {
            self.settle_window_start = now;
            self.settled_in_window = 0;
        }
    }

    /// The prices `(low, high)` per base native unit at the ends least favourable to a long
    /// and to a short: the worse of oracle and stable price, widened by the confidence.
    /// A profit measured at them cannot be pumped beyond the stable price.
    pub fn protected_prices(&self, price: &OraclePrice) -> Result<(I80F48, I80F48)> {
        let (mid, conf) = self.mid_and_conf(price)?;
        let stable = self.stable_per_native(price.expo)?.unwrap_or(mid);
        let low = mid.min(stable).saturating_sub(conf).max(I80F48::ZERO);
        let high = mid
            .max(stable)
            .checked_add(conf)
            .ok_or(CrossMarginError::MathOverflow)?;
        Ok((low, high))
    }

    /// What the pool owes its traders as auto-deleveraging measures it: their net
    /// unsettled PnL at the protected price least favourable to them (low when they are
    /// net long, high when net short), so a pumped oracle cannot start ADL.
    pub fn adl_owed(&self, price: &OraclePrice) -> Result<I80F48> {
        let (low, high) = self.protected_prices(price)?;
        self.traders_pnl(if self.net_base() > 0 { low } else { high })
    }

    /// A position's PnL (funding owed brought to the market's index) if it closed at the
    /// protected price worse for its holder: what auto-deleveraging would realise. `None`
    /// for a flat position.
    pub fn adl_pnl(&self, p: &PerpPosition, price: &OraclePrice) -> Result<Option<I80F48>> {
        if p.base == 0 {
            return Ok(None);
        }
        let mut p = *p;
        self.settle_funding(&mut p)?;
        let (low, high) = self.protected_prices(price)?;
        let close = if p.base > 0 { low } else { high };
        let value = crate::health::perp_trade::signed_value(p.base, close, Round::Down)
            .ok_or(CrossMarginError::MathOverflow)?;
        Ok(Some(
            p.quote
                .get()
                .checked_add(value)
                .ok_or(CrossMarginError::MathOverflow)?,
        ))
    }

    /// Σ PnL of one side's positions (`long` or short) if they closed at `close`, funding
    /// owed brought to the market's index, and that side's open interest: what
    /// auto-deleveraging compares a position's profit per unit against.
    pub fn side_pnl(&self, long: bool, close: I80F48) -> Result<(I80F48, u64)> {
        let (quote, snapshot, units, net) = if long {
            let oi = self.long_open_interest;
            (
                self.long_quote.get(),
                self.long_base_snapshot.get(),
                oi,
                i128::from(oi),
            )
        } else {
            let oi = self.short_open_interest;
            (
                self.short_quote.get(),
                self.short_base_snapshot.get(),
                oi,
                -i128::from(oi),
            )
        };
        let pnl = traders_pnl(quote, snapshot, self.funding_index.get(), net, close)
            .ok_or(CrossMarginError::MathOverflow)?;
        Ok((pnl, units))
    }

    /// Σ trader PnL at `price` (quote native per base native).
    pub fn traders_pnl(&self, price: I80F48) -> Result<I80F48> {
        Ok(traders_pnl(
            self.total_quote.get(),
            self.total_base_snapshot.get(),
            self.funding_index.get(),
            self.net_base(),
            price,
        )
        .ok_or(CrossMarginError::MathOverflow)?)
    }

    /// `value` (an oracle mantissa at `price.expo`) in quote native per base native.
    fn per_native(&self, value: u64, expo: i32, round: Round) -> Result<I80F48> {
        let exp10 = expo
            .checked_add(i32::from(super::QUOTE_DECIMALS) - i32::from(self.base_decimals))
            .ok_or(CrossMarginError::OraclePriceInvalid)?;
        let p = NativePrice::from_decimal(value, 10_000, exp10, round)
            .ok_or(CrossMarginError::OraclePriceInvalid)?;
        Ok(price_i80(&p, round).ok_or(CrossMarginError::OraclePriceInvalid)?)
    }

    /// The oracle price and confidence in quote native per base native: the mid rounded
    /// down, the confidence rounded up.
    pub fn mid_and_conf(&self, price: &OraclePrice) -> Result<(I80F48, I80F48)> {
        let mid = u64::try_from(price.price).map_err(|_| CrossMarginError::OraclePriceInvalid)?;
        Ok((
            self.per_native(mid, price.expo, Round::Down)?,
            self.per_native(price.conf, price.expo, Round::Up)?,
        ))
    }

    /// The stable price in quote native per base native, if initialised at `expo`.
    pub fn stable_per_native(&self, expo: i32) -> Result<Option<I80F48>> {
        match self
            .stable
            .at_expo(expo)
            .and_then(|s| u64::try_from(s).ok())
        {
            Some(s) => Ok(Some(self.per_native(s, expo, Round::Down)?)),
            None => Ok(None),
        }
    }

    /// Validate the market's oracle now (it must be valid), feed it to the stable price
    /// and breaker, and accrue funding to `now`. Every instruction that writes the market
    /// starts here.
    pub fn refresh(&mut self, oracle_info: &AccountInfo, now: i64) -> Result<OraclePrice> {
        let (_, price) = crate::health::retriever::market_price(self, oracle_info, now)?;
        let price = price?;
        self.observe_price(&price, now);
        let mid = self.base_risk_at(&price, InitPrices::Oracle)?.mid;
        self.accrue_funding(&mid, now)?;
        Ok(price)
    }

    /// The pool's value with the vault holding `vault`, traders' PnL taken at the end of the
    /// oracle's confidence interval that favours the pool's remaining LPs: `dearest` (an LP
    /// deposit) values the pool as high as the interval allows, so new shares are not
    /// cheap; otherwise (a withdrawal) as low, so redeemed shares are not rich.
    pub fn pool_value(&self, vault: u64, price: &OraclePrice, dearest: bool) -> Result<I80F48> {
        let (mid, conf) = self.mid_and_conf(price)?;
        // Traders' PnL rises with the price when they are net long.
        let high = (self.net_base() > 0) != dearest;
        let p = if high {
            mid.checked_add(conf)
                .ok_or(CrossMarginError::MathOverflow)?
        } else {
            mid.saturating_sub(conf).max(I80F48::ZERO)
        };
        let pnl = self.traders_pnl(p)?;
        Ok(crate::health::perp_trade::pool_value(vault, pnl)
            .ok_or(CrossMarginError::MathOverflow)?)
    }
}
