//! Builds a [`HealthCache`] from `remaining_accounts`, checking every account by hand.
//!
//! Layout, for an account with `n` active token positions and `m` active perp positions:
//!
//! ```text
//! remaining[0 .. n]             the Bank of each active token position, in slot order
//! remaining[n .. 2n]            the oracle of each of those banks, in the same order
//! remaining[2n .. 2n+m]         the PerpMarket of each active perp position, in slot order
//! remaining[2n+m .. 2n+2m]      the oracle of each of those markets, in the same order
//! ```
//!
//! Perp markets are checked like banks (owner, discriminator, group, `perp_index` of the
//! slot, oracle key and owner). A perp is netted against the spot balance of a bank on the
//! same oracle account with the same decimals, when the market's hedge weights are valid
//! against that bank's weights (`HedgeWeights::valid_for`); otherwise it is not netted.
//! Its funding is brought up to `now` in memory, as bank interest is.
//!
//! Each bank must be owned by this program, carry the `Bank` discriminator, belong to the
//! account's group and have the token index of the position in that slot; each oracle must
//! be the key stored in its bank and be owned by the Pyth program of the bank's oracle kind.
//! Since a margin account holds at most one position per token, this rejects missing,
//! extra, duplicated and reordered accounts alike. Instructions that may create a position
//! create it (empty) before building the cache, so the new slot is part of the layout.
//!
//! Indices of banks the instruction did not accrue are brought up to `now` in memory
//! (`Bank::indices_at`), so health never reads interest that is hours or days old; maint
//! weights are read on their ramp at `now`. Init prices follow [`InitPrices`]: the worse of
//! oracle and stable price for every instruction that adds risk, the oracle alone for
//! liquidations. The stable price is read as the bank stores it (it moves at most a few
//! percent per hour, and every instruction that writes a bank with its oracle updates it).
//!
//! ## Prices during an oracle outage ([`Prices`])
//!
//! Instructions that add risk (withdraw, borrow, the liquidator's side of a liquidation)
//! demand a valid price for every position ([`Prices::AllLive`]): an invalid oracle fails
//! them with its own error. A liquidation must not be blocked by an oracle it does not
//! use, or a borrower could shield itself behind a dead feed; so the liquidatee's cache is
//! built with [`Prices::LiveFor`]: the two banks being transferred must be valid now (the
//! transfer amounts come from their prices), and every other position whose oracle is
//! invalid is valued pessimistically: a feed that is only *late* at its own latest reading,
//! the confidence widened in proportion to the lateness up to the bank's `max_conf_bps`
//! (`state::widen_stale`: a few seconds late costs almost nothing, so a liquidator cannot
//! profit from refreshing only the feeds it transfers); any other failure (halted, not
//! verified, too wide, unreadable) at the bank's last valid price widened to the full
//! `max_conf_bps` (`Bank::fallback_price`). Assets are marked down, liabilities up. An
//! outage therefore neither hides an unhealthy account (its debts only look larger) nor,
//! within the bank's configured confidence, turns a healthy one liquidatable.
//!
//! ## Frame budget
//!
//! A [`HealthCache`] is ~2.5 KB (8 tokens and 4 perps); SBF gives each function a 4 KB stack frame. The builder
//! returns it boxed (heap) so instructions holding two of them (liquidation) stay far
//! inside the frame; a test asserts the size so a growing cache is noticed.

use super::engine::{HealthCache, HealthPerp, InitPrices, TokenRisk};
use super::perp::funding_owed;
use crate::error::CrossMarginError;
use crate::state::{
    parse_oracle_account, validate_price, Bank, MarginAccount, OracleKind, OraclePolicy,
    PerpMarket, PerpPosition, RawPrice, FREE_TOKEN_INDEX, MAX_TOKEN_POSITIONS,
};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use fixed::types::I80F48;

/// Which positions must have a valid oracle price now (see module docs).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Prices {
    /// Every position: an invalid oracle fails the instruction.
    AllLive,
    /// These token indices must be valid; the other positions (perps included) fall back
    /// to their last valid price at maximum confidence while their oracle is invalid.
    LiveFor([u16; 2]),
    /// This perp market must be valid; every other position falls back.
    LivePerp(u16),
    /// None: every invalid oracle falls back (the caller checks `HealthCache::all_live`
    /// before acting on the result).
    Fallback,
}

impl Prices {
    fn must_be_live(&self, token_index: u16) -> bool {
        match self {
            Prices::AllLive => true,
            Prices::LiveFor(live) => live.contains(&token_index),
            Prices::LivePerp(_) | Prices::Fallback => false,
        }
    }

    fn perp_must_be_live(&self, perp_index: u16) -> bool {
        match self {
            Prices::AllLive => true,
            Prices::LivePerp(live) => *live == perp_index,
            Prices::LiveFor(_) | Prices::Fallback => false,
        }
    }
}

/// Load a zero-copy program account of type `T` from an unchecked account: owner,
/// discriminator and size are verified; any failure is `mismatch`.
fn load_checked<'a, T: bytemuck::Pod + Discriminator>(
    info: &'a AccountInfo,
    program_id: &Pubkey,
    mismatch: CrossMarginError,
) -> Result<core::cell::Ref<'a, T>> {
    require_keys_eq!(*info.owner, *program_id, mismatch);
    let space = 8 + core::mem::size_of::<T>();
    let data = info.try_borrow_data()?;
    if data.len() < space || data[..8] != *T::DISCRIMINATOR {
        return Err(mismatch.into());
    }
    core::cell::Ref::filter_map(data, |d| bytemuck::try_from_bytes(&d[8..space]).ok())
        .map_err(|_| mismatch.into())
}

/// Load a `Bank` from an unchecked account: owner, discriminator and size are verified.
pub fn load_bank<'a>(
    info: &'a AccountInfo,
    program_id: &Pubkey,
) -> Result<core::cell::Ref<'a, Bank>> {
    load_checked(info, program_id, CrossMarginError::HealthBankMismatch)
}

/// Load a `PerpMarket` from an unchecked account: owner, discriminator and size are
/// verified.
pub fn load_perp_market<'a>(
    info: &'a AccountInfo,
    program_id: &Pubkey,
) -> Result<core::cell::Ref<'a, PerpMarket>> {
    load_checked(info, program_id, CrossMarginError::HealthPerpMismatch)
}

/// The oracle policy a bank applies to its price.
pub fn oracle_policy(bank: &Bank) -> Result<OraclePolicy> {
    Ok(OraclePolicy {
        kind: OracleKind::try_from(bank.oracle_kind)?,
        feed_id: bank.oracle_feed_id,
        max_staleness_secs: bank.max_staleness_secs,
        max_conf_bps: bank.max_conf_bps,
    })
}

/// An oracle account checked against the key its bank or market stores (key, owner) and
/// parsed, and its price now under `policy`. The parsed reading is returned either way, so
/// an invalid price can fall back to it (`outage_price`) without reading it again.
fn oracle_price(
    oracle_info: &AccountInfo,
    expected: &Pubkey,
    policy: &OraclePolicy,
    now: i64,
) -> Result<(Option<RawPrice>, Result<crate::health::OraclePrice>)> {
    require_keys_eq!(
        *oracle_info.key,
        *expected,
        CrossMarginError::HealthOracleMismatch
    );
    Ok(
        match parse_oracle_account(oracle_info, expected, policy.kind) {
            Ok(raw) => {
                let price = validate_price(&raw, policy, now);
                (Some(raw), price)
            }
            Err(e) => (None, Err(e)),
        },
    )
}

/// The bank's oracle account and its price now under the bank's policy ([`oracle_price`]).
pub fn bank_price(
    bank: &Bank,
    oracle_info: &AccountInfo,
    now: i64,
) -> Result<(Option<RawPrice>, Result<crate::health::OraclePrice>)> {
    oracle_price(oracle_info, &bank.oracle, &oracle_policy(bank)?, now)
}

/// What a perp can net against: a bank's oracle, decimals and weights at `now`.
#[derive(Copy, Clone, Debug)]
pub struct HedgeCandidate {
    pub token_index: u16,
    pub oracle: Pubkey,
    pub decimals: u8,
    pub weights: super::Weights,
}

impl HedgeCandidate {
    pub fn of(bank: &Bank, now: i64) -> Self {
        Self {
            token_index: bank.token_index,
            oracle: bank.oracle,
            decimals: bank.decimals,
            weights: bank.weights_at(now),
        }
    }
}

/// The two caches of a liquidation that moves positions into the liquidator's account:
/// `remaining_accounts` holds the liquidatee's health accounts, then the liquidator's laid
/// out for its positions after it opened its new slots. The liquidatee is judged with
/// `liqee_prices` (the transferred positions live, the rest at outage prices), the
/// liquidator, who takes on risk, with every oracle valid; both with init at the oracle.
pub fn liquidation_caches(
    liqee: &MarginAccount,
    liqor: &MarginAccount,
    remaining: &[AccountInfo],
    program_id: &Pubkey,
    now: i64,
    liqee_prices: Prices,
) -> Result<(Box<HealthCache>, Box<HealthCache>)> {
    let split = liqee.health_account_count();
    require!(
        remaining.len() >= split,
        CrossMarginError::HealthAccountsCount
    );
    let (liqee_accounts, liqor_accounts) = remaining.split_at(split);
    let liqee_cache = health_cache_from_accounts(
        liqee,
        liqee_accounts,
        program_id,
        now,
        liqee_prices,
        InitPrices::Oracle,
    )?;
    let liqor_cache = health_cache_from_accounts(
        liqor,
        liqor_accounts,
        program_id,
        now,
        Prices::AllLive,
        InitPrices::Oracle,
    )?;
    Ok((liqee_cache, liqor_cache))
}

/// Health cache for `account` from exactly its health accounts (see module docs).
pub fn health_cache_from_accounts(
    account: &MarginAccount,
    health_accounts: &[AccountInfo],
    program_id: &Pubkey,
    now: i64,
    prices: Prices,
    init: InitPrices,
) -> Result<Box<HealthCache>> {
    let n = account.active_positions().count();
    let m = account.active_perps().count();
    require!(
        health_accounts.len() == 2 * (n + m),
        CrossMarginError::HealthAccountsCount
    );
    let (banks, rest) = health_accounts.split_at(n);
    let (oracles, rest) = rest.split_at(n);
    let (markets, market_oracles) = rest.split_at(m);
    let mut cache = Box::<HealthCache>::default();
    let mut hedges = [None::<HedgeCandidate>; MAX_TOKEN_POSITIONS];
    for ((((_, position), bank_info), oracle_info), hedge) in account
        .active_positions()
        .zip(banks)
        .zip(oracles)
        .zip(hedges.iter_mut())
    {
        let bank = load_bank(bank_info, program_id)?;
        require!(
            bank.group == account.group && bank.token_index == position.token_index,
            CrossMarginError::HealthBankMismatch
        );
        let (raw, price) = bank_price(&bank, oracle_info, now)?;
        let risk = match price {
            Ok(price) => bank.token_risk_at(&price, now, init)?,
            // Only the price itself may be bad (the key was checked above).
            Err(e) if prices.must_be_live(bank.token_index) => return Err(e),
            Err(_) => {
                let outage = bank.outage_price(raw.as_ref(), now)?;
                TokenRisk {
                    live: false,
                    ..bank.token_risk_at(&outage, now, init)?
                }
            }
        };
        *hedge = Some(HedgeCandidate::of(&bank, now));
        cache.push(risk, position.indexed.get())?;
    }
    for (((_, position), market_info), oracle_info) in
        account.active_perps().zip(markets).zip(market_oracles)
    {
        let market = load_perp_market(market_info, program_id)?;
        require!(
            market.group == account.group && market.perp_index == position.market_index,
            CrossMarginError::HealthPerpMismatch
        );
        cache.push_perp(perp_health(
            &market,
            position,
            oracle_info,
            &hedges,
            now,
            prices,
            init,
        )?)?;
    }
    Ok(cache)
}

/// A perp position's health inputs: its market's oracle checked and priced (or its outage
/// price), funding brought to `now`, the hedge partner chosen.
fn perp_health(
    market: &PerpMarket,
    position: &PerpPosition,
    oracle_info: &AccountInfo,
    hedges: &[Option<HedgeCandidate>],
    now: i64,
    prices: Prices,
    init: InitPrices,
) -> Result<HealthPerp> {
    let (raw, price) = market_price(market, oracle_info, now)?;
    let (price, live) = match price {
        Ok(price) => (price, true),
        Err(e) if prices.perp_must_be_live(market.perp_index) => return Err(e),
        Err(_) => (market.outage_price(raw.as_ref(), now)?, false),
    };
    let risk = TokenRisk {
        live,
        ..market.base_risk_at(&price, init)?
    };
    perp_health_inputs(market, position, risk, hedges, now, init)
}

/// A perp position's health inputs from its market's base `risk` (priced by the caller):
/// funding brought to `now` in memory, and the first hedge candidate on the same oracle
/// with the same decimals whose weights the market's hedge weights are valid against. The
/// program's retriever and the client's snapshot both call this.
pub fn perp_health_inputs(
    market: &PerpMarket,
    position: &PerpPosition,
    risk: TokenRisk,
    hedges: &[Option<HedgeCandidate>],
    now: i64,
    init: InitPrices,
) -> Result<HealthPerp> {
    let unweighted = market.pnl_risk_at(&risk.oracle, init)?;
    let index = market.funding_index_at(&risk.mid, now)?;
    let owed = funding_owed(position.base, position.funding_snapshot.get(), index)
        .ok_or(CrossMarginError::MathOverflow)?;
    let hedge = market.hedge();
    let perp_weights = market.weights();
    let hedge_token = hedges
        .iter()
        .flatten()
        .find(|h| {
            h.oracle == market.oracle
                && h.decimals == market.base_decimals
                && hedge.valid_for(&h.weights, &perp_weights)
        })
        .map_or(FREE_TOKEN_INDEX, |h| h.token_index);
    Ok(HealthPerp {
        risk,
        base: I80F48::from_num(position.base),
        quote: position
            .quote
            .get()
            .checked_sub(owed)
            .ok_or(CrossMarginError::MathOverflow)?,
        init_pnl_weight_bps: market.init_pnl_weight_bps,
        hedge,
        hedge_token,
        init_pnl_prices: [unweighted.asset_init, unweighted.liab_init],
    })
}

/// The market's oracle account and its price now under the market's policy
/// ([`oracle_price`]).
pub fn market_price(
    market: &PerpMarket,
    oracle_info: &AccountInfo,
    now: i64,
) -> Result<(Option<RawPrice>, Result<crate::health::OraclePrice>)> {
    oracle_price(oracle_info, &market.oracle, &market.oracle_policy()?, now)
}
