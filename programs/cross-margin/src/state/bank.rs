//! `Bank`: one token listed in a group, its vault, oracle, risk parameters and the indexed
//! totals of every position in it.
//!
//! Native balance = indexed balance × index. `deposit_index` and `borrow_index` only grow
//! (a later bankruptcy issue may lower `deposit_index` to socialise a loss), and the bank
//! keeps `Σ indexed deposits`, `Σ indexed borrows` and its collected fees so that
//! `vault = deposits − borrows + fees` can be checked at any time.

use super::bank_config::{BankConfig, LiquidationParams};
use super::oracle::{outage_price, LastValid, OracleKind, RawPrice};
use crate::error::CrossMarginError;
use crate::guard::{MaintRamp, OutflowRefused, OutflowWindow, StablePrice};
use crate::health::engine::OraclePrice;
use crate::health::liquidation::LiquidationSide;
use crate::health::{InitPrices, TokenRisk, Weights};
use crate::math::interest::{self, Accrual, InterestCurve};
use crate::math::{I80F48Bytes, I80F48};
use anchor_lang::prelude::*;
use static_assertions::const_assert_eq;

pub const BANK_SEED: &[u8] = b"bank";
pub const VAULT_SEED: &[u8] = b"vault";
pub const INSURANCE_SEED: &[u8] = b"insurance";

/// One token listed in a group: PDA `["bank", group, token_index (u16 LE)]`.
///
/// Fields of type `I80F48Bytes` are fixed-point numbers: the 16 bytes are a little-endian
/// signed 128-bit integer `bits`, and the value is `bits / 2^48`. Fields ending in `_bps`
/// are basis points (10,000 = 1). Native units are the mint's smallest unit.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Bank {
    /// The group this bank belongs to.
    pub group: Pubkey,
    /// The listed token's mint.
    pub mint: Pubkey,
    /// Token account holding every deposit: PDA `["vault", bank]`, authority = the group PDA.
    pub vault: Pubkey,
    /// Token account of the insurance fund: PDA `["insurance", bank]`, authority = the group
    /// PDA. Pays bad debt before it is socialised.
    pub insurance_vault: Pubkey,
    /// The Pyth price account (format per `oracle_kind`). Health accounts pass it after the
    /// banks.
    pub oracle: Pubkey,
    /// Pyth feed id for `PythPull` oracles (read from the oracle at configuration).
    pub oracle_feed_id: [u8; 32],
    /// SPL Token or Token-2022: the program that owns `mint`.
    pub token_program: Pubkey,

    /// Native units per indexed unit of a deposit: a position with indexed balance
    /// `b > 0` holds `b × deposit_index` native units. I80F48 (value = bits / 2^48); starts
    /// at 1, grows with interest, falls only when bad debt is socialised.
    pub deposit_index: I80F48Bytes,
    /// Native units per indexed unit of a borrow: a position with indexed balance `b < 0`
    /// owes `|b| × borrow_index` native units. I80F48 (value = bits / 2^48); starts at 1.
    pub borrow_index: I80F48Bytes,
    /// Σ of positive indexed balances over all margin accounts. I80F48 (value = bits / 2^48).
    pub indexed_deposits: I80F48Bytes,
    /// Σ of |negative indexed balances| over all margin accounts. I80F48 (value = bits /
    /// 2^48).
    pub indexed_borrows: I80F48Bytes,
    /// Protocol fees (interest share, origination fees, insurance share of liquidation
    /// fees) held in the vault and owed to the insurance vault, native units. I80F48 (value
    /// = bits / 2^48); never lendable or withdrawable by depositors.
    pub collected_fees: I80F48Bytes,

    /// Unix time the indices were last accrued to.
    pub last_accrual_ts: i64,
    /// Max native deposits (`u64::MAX` = unlimited).
    pub deposit_limit: u64,
    /// Max native borrows (`u64::MAX` = unlimited).
    pub borrow_limit: u64,
    /// An oracle price older than this many seconds is stale.
    pub max_staleness_secs: u64,

    /// Interest curve: utilisation of the first kink, bps.
    pub util0_bps: u32,
    /// Interest curve: yearly borrow rate at `util0_bps`, bps.
    pub rate0_bps: u32,
    /// Interest curve: utilisation of the second kink, bps.
    pub util1_bps: u32,
    /// Interest curve: yearly borrow rate at `util1_bps`, bps.
    pub rate1_bps: u32,
    /// Interest curve: yearly borrow rate at 100 % utilisation, bps.
    pub max_rate_bps: u32,
    /// Share of borrow interest kept by the protocol (to the insurance fund), bps.
    pub protocol_fee_bps: u32,
    /// Charged on every new borrow and added to the debt, bps.
    pub loan_origination_fee_bps: u32,
    /// Liquidator's discount on collateral seized from this bank, bps.
    pub liquidation_fee_bps: u32,
    /// Share of the liquidation fee booked to the insurance fund, bps.
    pub liquidation_insurance_share_bps: u32,
    /// Weight of deposits in init health (gates new risk), bps.
    pub init_asset_weight_bps: u32,
    /// Target weight of deposits in maint health (liquidation trigger), bps; the weight in
    /// force follows `maint_ramp` until it ends.
    pub maint_asset_weight_bps: u32,
    /// Target weight of borrows in maint health, bps; in force per `maint_ramp`.
    pub maint_liab_weight_bps: u32,
    /// Weight of borrows in init health, bps.
    pub init_liab_weight_bps: u32,
    /// Largest accepted oracle confidence, bps of the price.
    pub max_conf_bps: u32,

    /// The bank's token index: its PDA seed and the `token_index` of positions in it.
    pub token_index: u16,
    /// The mint's decimals.
    pub decimals: u8,
    /// Oracle format (the `OracleKind` enum as a byte): 0 = `PythLegacy` (legacy push price
    /// account, owner `PYTH_LEGACY_PROGRAM_ID`), 1 = `PythPull` (`PriceUpdateV2`, owner
    /// `PYTH_RECEIVER_PROGRAM_ID`, the sponsored feed account of `oracle_feed_id`).
    pub oracle_kind: u8,
    /// Boolean: 0 = normal, 1 = reduce-only (no new deposits or borrows; repaying and
    /// withdrawing still work).
    pub reduce_only: u8,
    /// Bump of the bank PDA.
    pub bump: u8,
    /// Bump of the vault PDA.
    pub vault_bump: u8,
    /// Bump of the insurance vault PDA.
    pub insurance_bump: u8,
    /// The last oracle reading that passed every check (set at registration, refreshed by
    /// every instruction that writes the bank with its oracle valid). Positions a
    /// liquidation does not transfer are valued at it while the oracle is invalid, widened
    /// to the bank's maximum confidence (see `health::retriever`).
    pub last_valid_price: i64,
    /// Confidence of `last_valid_price`, same exponent.
    pub last_valid_conf: u64,
    /// Publish time of `last_valid_price` (unix seconds).
    pub last_valid_publish_time: i64,
    /// Exponent of `last_valid_price`: the price is `last_valid_price × 10^last_valid_expo`
    /// USD per whole token.
    pub last_valid_expo: i32,
    /// Zero.
    pub padding: [u8; 4],
    /// Bad debt no one could absorb (the deposit index was at its floor), native units,
    /// cumulative. Depositors' claims exceed the vault by this much.
    pub unrecoverable_bad_debt: u64,
    /// The stable price and breaker state (`guard::stable_price`).
    pub stable: StablePrice,
    /// The current net outflow window (`guard::outflow`).
    pub outflow: OutflowWindow,
    /// Where the maint weights ramp from (`guard::ramp`); the fields above are the targets.
    pub maint_ramp: MaintRamp,
    /// Stable price growth limit, basis points per hour.
    pub stable_growth_bps: u32,
    /// Breaker band: oracle vs stable price gap, basis points of the stable price.
    pub breaker_band_bps: u32,
    /// Net outflow cap per window, basis points of the deposits at the window's start.
    pub net_outflow_limit_bps: u32,
    /// Length of a net outflow window, seconds.
    pub outflow_window_secs: u32,
    /// Zero; room for later fields.
    pub reserved: [u8; 88],
}
const_assert_eq!(core::mem::size_of::<Bank>(), 656);
const_assert_eq!(core::mem::offset_of!(Bank, last_valid_price), 400);

impl Bank {
    pub const SPACE: usize = 8 + core::mem::size_of::<Bank>();

    /// Write `config` into the bank (after `validate`). With `ramp_secs`, maint weights that
    /// tighten ramp from the weights in force at `now` over that many seconds; without, every
    /// weight applies at once (registration, or a group not yet live).
    pub fn apply_config(&mut self, c: &BankConfig, now: i64, ramp_secs: Option<u32>) {
        let current = self.maint_weights_at(now);
        let target = (c.maint_asset_weight_bps, c.maint_liab_weight_bps);
        match ramp_secs {
            Some(secs) => self.maint_ramp.restart(current, target, now, secs),
            None => self.maint_ramp.restart(target, target, now, 0),
        }
        self.oracle_kind = c.oracle_kind as u8;
        self.max_staleness_secs = c.max_staleness_secs;
        self.max_conf_bps = c.max_conf_bps;
        self.init_asset_weight_bps = c.init_asset_weight_bps;
        self.maint_asset_weight_bps = c.maint_asset_weight_bps;
        self.maint_liab_weight_bps = c.maint_liab_weight_bps;
        self.init_liab_weight_bps = c.init_liab_weight_bps;
        self.util0_bps = c.util0_bps;
        self.rate0_bps = c.rate0_bps;
        self.util1_bps = c.util1_bps;
        self.rate1_bps = c.rate1_bps;
        self.max_rate_bps = c.max_rate_bps;
        self.protocol_fee_bps = c.protocol_fee_bps;
        self.loan_origination_fee_bps = c.loan_origination_fee_bps;
        self.liquidation_fee_bps = c.liquidation_fee_bps;
        self.liquidation_insurance_share_bps = c.liquidation_insurance_share_bps;
        self.deposit_limit = c.deposit_limit;
        self.borrow_limit = c.borrow_limit;
        self.reduce_only = c.reduce_only as u8;
        self.stable_growth_bps = c.stable_growth_bps;
        self.breaker_band_bps = c.breaker_band_bps;
        self.net_outflow_limit_bps = c.net_outflow_limit_bps;
        self.outflow_window_secs = c.outflow_window_secs;
    }

    pub fn config(&self) -> Result<BankConfig> {
        Ok(BankConfig {
            oracle_kind: OracleKind::try_from(self.oracle_kind)?,
            max_staleness_secs: self.max_staleness_secs,
            max_conf_bps: self.max_conf_bps,
            init_asset_weight_bps: self.init_asset_weight_bps,
            maint_asset_weight_bps: self.maint_asset_weight_bps,
            maint_liab_weight_bps: self.maint_liab_weight_bps,
            init_liab_weight_bps: self.init_liab_weight_bps,
            util0_bps: self.util0_bps,
            rate0_bps: self.rate0_bps,
            util1_bps: self.util1_bps,
            rate1_bps: self.rate1_bps,
            max_rate_bps: self.max_rate_bps,
            protocol_fee_bps: self.protocol_fee_bps,
            loan_origination_fee_bps: self.loan_origination_fee_bps,
            liquidation_fee_bps: self.liquidation_fee_bps,
            liquidation_insurance_share_bps: self.liquidation_insurance_share_bps,
            deposit_limit: self.deposit_limit,
            borrow_limit: self.borrow_limit,
            reduce_only: self.reduce_only != 0,
            stable_growth_bps: self.stable_growth_bps,
            breaker_band_bps: self.breaker_band_bps,
            net_outflow_limit_bps: self.net_outflow_limit_bps,
            outflow_window_secs: self.outflow_window_secs,
        })
    }

    /// The parameters pair checks use: the loosest maint weights the bank has from `now`
    /// until its ramp ends (a ramp only ever tightens).
    pub fn liquidation_params_at(&self, now: i64) -> LiquidationParams {
        let (asset, liab) =
            self.maint_ramp
                .loosest(self.maint_asset_weight_bps, self.maint_liab_weight_bps, now);
        let w = Weights {
            maint_asset_bps: asset,
            maint_liab_bps: liab,
            ..self.target_weights()
        };
        LiquidationParams::new(&w, self.liquidation_fee_bps)
    }

    /// Remember a validated oracle reading (newer than the one held) for outages.
    pub fn record_valid_price(&mut self, price: &OraclePrice) {
        if price.publish_time >= self.last_valid_publish_time {
            self.last_valid_price = price.price;
            self.last_valid_conf = price.conf;
            self.last_valid_expo = price.expo;
            self.last_valid_publish_time = price.publish_time;
        }
    }

    /// Feed a validated oracle reading to the bank (`key`) at `now`: the last valid price,
    /// the stable price model and the breaker; a breaker that trips or resets emits
    /// `BreakerChanged`.
    pub fn observe_price(&mut self, key: Pubkey, price: &OraclePrice, now: i64) {
        self.record_valid_price(price);
        let changed = self.stable.track(
            price.price,
            price.expo,
            now,
            self.stable_growth_bps,
            self.breaker_band_bps,
        );
        if let Some(tripped) = changed {
            emit!(crate::events::BreakerChanged {
                bank: key,
                tripped,
                oracle_price: price.price,
                stable_price: self.stable.price,
                expo: price.expo,
            });
        }
    }

    /// Make `oracle` the bank's oracle, starting its last valid price and stable price at its
    /// validated `price` (the old feed's history says nothing about the new one).
    pub fn set_oracle(&mut self, oracle: Pubkey, feed_id: [u8; 32], price: &OraclePrice, now: i64) {
        self.oracle = oracle;
        self.oracle_feed_id = feed_id;
        self.last_valid_publish_time = i64::MIN;
        self.record_valid_price(price);
        self.reset_stable_price(price, now);
    }

    /// Start the stable price afresh at `price` (registration, a new oracle).
    pub fn reset_stable_price(&mut self, price: &OraclePrice, now: i64) {
        self.stable.reset(price.price, price.expo, now);
        self.stable.breaker_tripped = 0;
    }

    /// True while the bank's oracle was, when last observed, outside the breaker band around
    /// the stable price: the bank is borrow-reduce-only.
    pub fn breaker_tripped(&self) -> bool {
        self.stable.breaker_tripped != 0
    }

    /// Count a withdrawal or borrow of `amount` against the net outflow limit; `deposits` =
    /// the bank's native deposits before the withdrawal ([`Self::native_deposits_floor`]),
    /// the base of a window that opens now.
    pub fn record_outflow(&mut self, amount: u64, now: i64, deposits: u64) -> Result<()> {
        // A limit of 0 only exists in banks created before the guardrails (`validate`
        // refuses it): no limit rather than a frozen bank.
        if self.net_outflow_limit_bps == 0 {
            return Ok(());
        }
        self.outflow
            .record_outflow(
                amount,
                now,
                self.outflow_window_secs,
                deposits,
                self.net_outflow_limit_bps,
            )
            .map_err(|r: OutflowRefused| {
                msg!(
                    "net outflow {} + {} would exceed this window's cap {}; the window resets at unix time {} (in {} s)",
                    r.net,
                    amount,
                    r.cap,
                    r.resets_at,
                    r.resets_at.saturating_sub(now)
                );
                CrossMarginError::NetOutflowLimit.into()
            })
    }

    /// Count a deposit or repay of `amount` against the net outflow (never refused).
    pub fn record_inflow(&mut self, amount: u64, now: i64) -> Result<()> {
        let deposits = self.native_deposits_floor()?;
        self.outflow.record_inflow(
            amount,
            now,
            self.outflow_window_secs,
            deposits,
            self.net_outflow_limit_bps,
        );
        Ok(())
    }

    /// Native deposits, rounded down and capped at `u64::MAX`.
    pub fn native_deposits_floor(&self) -> Result<u64> {
        let (deposits, _) = self.native_totals()?;
        Ok(deposits
            .max(I80F48::ZERO)
            .to_num::<u128>()
            .min(u64::MAX as u128) as u64)
    }

    /// The price to value this bank's positions at while its oracle is invalid: the last
    /// valid reading, its confidence widened to the bank's maximum (`max_conf_bps` of the
    /// price, rounded up), so assets are marked down and liabilities up.
    pub fn fallback_price(&self) -> Result<OraclePrice> {
        self.last_valid().widest(self.max_conf_bps)
    }

    fn last_valid(&self) -> LastValid {
        LastValid {
            price: self.last_valid_price,
            conf: self.last_valid_conf,
            expo: self.last_valid_expo,
            publish_time: self.last_valid_publish_time,
        }
    }

    /// The price of this bank while its oracle is invalid now (`raw` = the oracle account as
    /// parsed, if it parses): the oracle's own reading if only its age is wrong, confidence
    /// widened with lateness (`widen_stale`); otherwise the last valid price at maximum
    /// confidence ([`Self::fallback_price`]). The program's retriever and the keeper's
    /// snapshot both call this.
    pub fn outage_price(&self, raw: Option<&RawPrice>, now: i64) -> Result<OraclePrice> {
        let policy = crate::health::retriever::oracle_policy(self)?;
        outage_price(raw, &policy, &self.last_valid(), now)
    }

    /// Deposit and borrow index as they will be after accruing to `now`, without writing
    /// the bank (health of banks an instruction does not touch). Accrual rounds the borrow
    /// index up and the deposit index down: against the account.
    pub fn indices_at(&self, now: i64) -> Result<(I80F48, I80F48)> {
        let a = self.accrual_to(now)?;
        Ok((a.deposit_index, a.borrow_index))
    }

    /// The interest curve in force, read straight from the bank's fields (health brings
    /// every bank's indices to now with it: no full config is built on that path).
    pub fn interest_curve(&self) -> InterestCurve {
        InterestCurve {
            util0_bps: self.util0_bps,
            rate0_bps: self.rate0_bps,
            util1_bps: self.util1_bps,
            rate1_bps: self.rate1_bps,
            max_rate_bps: self.max_rate_bps,
        }
    }

    /// What accruing to `now` would change (pure: the bank is not written).
    fn accrual_to(&self, now: i64) -> Result<Accrual> {
        let curve = self.interest_curve();
        Ok(interest::accrue(
            &curve,
            self.protocol_fee_bps,
            self.indexed_deposits.get(),
            self.indexed_borrows.get(),
            self.deposit_index.get(),
            self.borrow_index.get(),
            now.saturating_sub(self.last_accrual_ts),
        )
        .ok_or(CrossMarginError::MathOverflow)?)
    }

    /// Native units of protocol fees held in the vault, rounded up: never lendable or
    /// withdrawable by depositors (`bank_sweep_fees` moves them to the insurance vault).
    pub fn reserved_fees(&self) -> Result<u64> {
        crate::math::rounding::to_native(
            self.collected_fees.get().max(I80F48::ZERO),
            crate::math::Round::Up,
        )
        .ok_or_else(|| CrossMarginError::MathOverflow.into())
    }

    /// The configured weights, maint weights at their ramp targets.
    pub fn target_weights(&self) -> Weights {
        Weights {
            init_asset_bps: self.init_asset_weight_bps,
            maint_asset_bps: self.maint_asset_weight_bps,
            maint_liab_bps: self.maint_liab_weight_bps,
            init_liab_bps: self.init_liab_weight_bps,
        }
    }

    /// The maint `(asset, liab)` weights in force at `now` (on their ramp).
    pub fn maint_weights_at(&self, now: i64) -> (u32, u32) {
        self.maint_ramp
            .at(self.maint_asset_weight_bps, self.maint_liab_weight_bps, now)
    }

    /// The weights in force at `now`.
    pub fn weights_at(&self, now: i64) -> Weights {
        let (maint_asset_bps, maint_liab_bps) = self.maint_weights_at(now);
        Weights {
            maint_asset_bps,
            maint_liab_bps,
            ..self.target_weights()
        }
    }

    pub fn is_reduce_only(&self) -> bool {
        self.reduce_only != 0
    }

    /// This bank's health inputs at `price` and `now`: indices brought up to `now` in memory,
    /// maint weights on their ramp, and init prices per `init` (the worse of oracle and
    /// stable price, or the oracle alone for liquidations).
    pub fn token_risk_at(
        &self,
        price: &OraclePrice,
        now: i64,
        init: InitPrices,
    ) -> Result<TokenRisk> {
        let (deposit_index, borrow_index) = self.indices_at(now)?;
        let stable = self.stable.for_init(init, price.expo);
        TokenRisk::new(
            self.token_index,
            deposit_index,
            borrow_index,
            self.decimals,
            &self.weights_at(now),
            price,
            stable,
        )
    }

    /// This bank's side of a liquidation at the price its health inputs were built from.
    pub fn liquidation_side(&self, price: &OraclePrice) -> LiquidationSide {
        LiquidationSide {
            token_index: self.token_index,
            price: price.price,
            conf: price.conf,
            expo: price.expo,
            decimals: self.decimals,
            init_asset_weight_bps: self.init_asset_weight_bps,
            init_liab_weight_bps: self.init_liab_weight_bps,
            liquidation_fee_bps: self.liquidation_fee_bps,
        }
    }

    /// Accrue interest up to `now`; returns what changed (for the event).
    pub fn accrue_interest(&mut self, now: i64) -> Result<Accrual> {
        let accrual = self.accrual_to(now)?;
        self.deposit_index.set(accrual.deposit_index);
        self.borrow_index.set(accrual.borrow_index);
        let fees = self
            .collected_fees
            .get()
            .checked_add(accrual.fee_native)
            .ok_or(CrossMarginError::MathOverflow)?;
        self.collected_fees.set(fees);
        if now > self.last_accrual_ts {
            self.last_accrual_ts = now;
        }
        Ok(accrual)
    }

    /// Native deposits and borrows, rounded against the protocol's users.
    pub fn native_totals(&self) -> Result<(I80F48, I80F48)> {
        use crate::math::{rounding, Round};
        let d = rounding::mul(
            self.indexed_deposits.get(),
            self.deposit_index.get(),
            Round::Down,
        );
        let b = rounding::mul(
            self.indexed_borrows.get(),
            self.borrow_index.get(),
            Round::Up,
        );
        match (d, b) {
            (Some(d), Some(b)) => Ok((d, b)),
            _ => err!(CrossMarginError::MathOverflow),
        }
    }
}
