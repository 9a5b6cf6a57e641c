//! Discovery and decoding of a group's state, and health computed with the program's engine.
//!
//! A [`GroupSnapshot`] holds every bank of a group (interest accrued to the snapshot's time in
//! memory, exactly as the next instruction would see it) and its validated oracle price. The
//! per-bank `TokenRisk` is built once per snapshot, so evaluating an account is only the
//! engine's multiply-and-add over its positions: this is the keeper's scan loop.

use crate::chain::{Chain, ChainError, Memcmp};
use crate::health_accounts::{BankKeys, PerpKeys};
use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::Discriminator;
use cross_margin::health::retriever::{oracle_policy, perp_health_inputs, HedgeCandidate};
use cross_margin::health::{Health, HealthCache, InitPrices, OraclePrice, TokenRisk};
use cross_margin::state::{
    parse_oracle, validate_price, Bank, MarginAccount, OraclePolicy, PerpMarket,
    MAX_TOKEN_POSITIONS,
};
use std::collections::BTreeMap;

/// Decode a zero-copy program account (discriminator checked, any alignment).
pub fn decode<T: bytemuck::Pod + Discriminator>(data: &[u8]) -> Option<T> {
    let size = std::mem::size_of::<T>();
    if data.len() < 8 + size || &data[..8] != T::DISCRIMINATOR {
        return None;
    }
    Some(bytemuck::pod_read_unaligned(&data[8..8 + size]))
}

/// The balance of a token account (SPL Token or Token-2022); `None` when it is missing or
/// not a token account.
pub async fn token_amount<C: Chain>(
    chain: &mut C,
    key: &Pubkey,
) -> Result<Option<u64>, ChainError> {
    Ok(chain.account(key).await?.and_then(|a| {
        <anchor_spl::token_interface::TokenAccount as anchor_lang::AccountDeserialize>::try_deserialize(
            &mut &a.data[..],
        )
        .ok()
        .map(|t| t.amount)
    }))
}

/// The program account of type `T` at `key`, decoded; `None` when it is absent or not a
/// `T` (discriminator checked).
pub async fn fetch<T: bytemuck::Pod + Discriminator, C: Chain>(
    chain: &mut C,
    key: &Pubkey,
) -> Result<Option<T>, ChainError> {
    Ok(chain.account(key).await?.and_then(|a| decode::<T>(&a.data)))
}

/// Filters for every account of type `T` whose first field is `group`.
pub fn group_filters<T: Discriminator>(group: &Pubkey) -> Vec<Memcmp> {
    vec![
        Memcmp {
            offset: 0,
            bytes: T::DISCRIMINATOR.to_vec(),
        },
        Memcmp {
            offset: MarginAccount::GROUP_OFFSET,
            bytes: group.to_bytes().to_vec(),
        },
    ]
}

/// Every margin account of `group` (optionally only those of `owner`).
pub async fn margin_accounts<C: Chain>(
    chain: &mut C,
    group: &Pubkey,
    owner: Option<&Pubkey>,
) -> Result<Vec<(Pubkey, MarginAccount)>, ChainError> {
    let mut filters = group_filters::<MarginAccount>(group);
    if let Some(owner) = owner {
        filters.push(Memcmp {
            offset: MarginAccount::OWNER_OFFSET,
            bytes: owner.to_bytes().to_vec(),
        });
    }
    let found = chain.program_accounts(&filters).await?;
    Ok(found
        .into_iter()
        .filter_map(|(key, a)| decode::<MarginAccount>(&a.data).map(|m| (key, m)))
        .collect())
}

/// Every bank of `group`, by address (what `bank_register` / `bank_edit` must be given).
pub async fn bank_keys<C: Chain>(chain: &mut C, group: &Pubkey) -> Result<Vec<Pubkey>, ChainError> {
    let found = chain
        .program_accounts(&group_filters::<Bank>(group))
        .await?;
    Ok(found
        .into_iter()
        .filter(|(_, a)| decode::<Bank>(&a.data).is_some())
        .map(|(k, _)| k)
        .collect())
}

/// One bank in a snapshot.
#[derive(Clone, Debug)]
pub struct BankEntry {
    pub key: Pubkey,
    /// State with interest accrued to the snapshot time.
    pub state: Bank,
    /// `last_accrual_ts` as stored on chain (before the in-memory accrual).
    pub stored_accrual_ts: i64,
    /// The bank's health inputs as risk-adding instructions see them (init at the worse of
    /// oracle and stable price), or why its oracle cannot be used now.
    pub risk: Result<TokenRisk, String>,
    /// The same as `token_liquidate` sees them: init at the oracle alone.
    pub liquidation_risk: Result<TokenRisk, String>,
    /// Health inputs at the bank's outage price (`Bank::outage_price`, `live = false`), as
    /// `token_liquidate` values a position whose oracle is invalid and which the liquidation
    /// does not transfer.
    pub fallback: Option<TokenRisk>,
    /// The validated oracle price now, if valid.
    pub price: Option<OraclePrice>,
}

/// One perp market in a snapshot.
#[derive(Clone, Debug)]
pub struct PerpEntry {
    pub key: Pubkey,
    /// State as stored (funding is brought to the snapshot time per position, in memory).
    pub state: PerpMarket,
    /// Base risk as risk-adding instructions see it, or why the oracle cannot be used.
    pub risk: Result<TokenRisk, String>,
    /// As liquidations see it (init at the oracle alone).
    pub liquidation_risk: Result<TokenRisk, String>,
    /// At the market's outage price (`live = false`).
    pub fallback: Option<TokenRisk>,
    /// The validated oracle price now, if valid.
    pub price: Option<OraclePrice>,
}

/// A group's banks, perp markets and prices at one moment.
#[derive(Clone, Debug, Default)]
pub struct GroupSnapshot {
    pub group: Pubkey,
    pub now: i64,
    pub banks: BTreeMap<u16, BankEntry>,
    pub perps: BTreeMap<u16, PerpEntry>,
}

/// Why an account's health could not be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HealthError {
    UnknownToken(u16),
    UnknownPerp(u16),
    Oracle { token_index: u16, reason: String },
    Math,
}

impl GroupSnapshot {
    /// Discover the group's banks, read their oracles and the clock.
    pub async fn load<C: Chain>(chain: &mut C, group: &Pubkey) -> Result<Self, ChainError> {
        let now = chain.unix_timestamp().await?;
        let banks: Vec<(Pubkey, Bank)> = chain
            .program_accounts(&group_filters::<Bank>(group))
            .await?
            .into_iter()
            .filter_map(|(k, a)| decode::<Bank>(&a.data).map(|b| (k, b)))
            .collect();
        let oracle_keys: Vec<Pubkey> = banks.iter().map(|(_, b)| b.oracle).collect();
        let oracles = chain.accounts(&oracle_keys).await?;
        let mut snapshot = GroupSnapshot {
            group: *group,
            now,
            banks: BTreeMap::new(),
            perps: BTreeMap::new(),
        };
        for ((key, bank), oracle) in banks.into_iter().zip(oracles) {
            snapshot.insert(key, bank, oracle.map(|o| (o.owner, o.data)));
        }
        let markets: Vec<(Pubkey, PerpMarket)> = chain
            .program_accounts(&group_filters::<PerpMarket>(group))
            .await?
            .into_iter()
            .filter_map(|(k, a)| decode::<PerpMarket>(&a.data).map(|m| (k, m)))
            .collect();
        let oracle_keys: Vec<Pubkey> = markets.iter().map(|(_, m)| m.oracle).collect();
        let oracles = chain.accounts(&oracle_keys).await?;
        for ((key, market), oracle) in markets.into_iter().zip(oracles) {
            snapshot.insert_perp(key, market, oracle.map(|o| (o.owner, o.data)));
        }
        Ok(snapshot)
    }

    /// Add or replace a perp market, with its oracle account's owner and data.
    pub fn insert_perp(
        &mut self,
        key: Pubkey,
        market: PerpMarket,
        oracle: Option<(Pubkey, Vec<u8>)>,
    ) {
        let now = self.now;
        let policy = market.oracle_policy().map_err(|e| e.to_string());
        let raw = match (&policy, oracle.as_ref()) {
            (Ok(policy), Some((owner, data))) if *owner == policy.kind.owner() => {
                parse_oracle(policy.kind, data).ok()
            }
            _ => None,
        };
        let price = policy.and_then(|p| valid_price_with(&p, oracle, now));
        let risk_with = |init| {
            price
                .clone()
                .and_then(|p| market.base_risk_at(&p, init).map_err(|e| e.to_string()))
        };
        let fallback = market
            .outage_price(raw.as_ref(), now)
            .and_then(|p| market.base_risk_at(&p, InitPrices::Oracle))
            .ok()
            .map(|r| TokenRisk { live: false, ..r });
        self.perps.insert(
            market.perp_index,
            PerpEntry {
                key,
                risk: risk_with(InitPrices::WorseOfOracleAndStable),
                liquidation_risk: risk_with(InitPrices::Oracle),
                fallback,
                price: price.ok(),
                state: market,
            },
        );
    }

    pub fn perp_keys(&self, market_index: u16) -> Option<PerpKeys> {
        self.perps.get(&market_index).map(|m| PerpKeys {
            market: m.key,
            oracle: m.state.oracle,
        })
    }

    /// The account's full health metas (tokens and perps) after opening positions in
    /// `new_tokens` (in order) and in the perp market `new_perp`, as the program lays them
    /// out.
    pub fn account_metas(
        &self,
        account: &MarginAccount,
        new_tokens: &[u16],
        new_perp: Option<u16>,
    ) -> Option<Vec<AccountMeta>> {
        crate::health_accounts::full_metas(
            &crate::health_accounts::with_new_positions(account, new_tokens),
            &crate::health_accounts::perps_with_new(account, new_perp),
            |t| self.keys(t),
            |m| self.perp_keys(m),
        )
    }

    /// Add or replace a bank, with its oracle account's owner and data.
    pub fn insert(&mut self, key: Pubkey, mut bank: Bank, oracle: Option<(Pubkey, Vec<u8>)>) {
        let stored_accrual_ts = bank.last_accrual_ts;
        // The oracle as the program would parse it (owner checked), for outage pricing.
        let raw = oracle.as_ref().and_then(|(owner, data)| {
            let kind = oracle_policy(&bank).ok()?.kind;
            (*owner == kind.owner())
                .then(|| parse_oracle(kind, data).ok())
                .flatten()
        });
        let now = self.now;
        let price = bank
            .accrue_interest(now)
            .map_err(|e| e.to_string())
            .and_then(|_| valid_price(&bank, oracle, now));
        let risk_with = |init| {
            price
                .clone()
                .and_then(|p| bank.token_risk_at(&p, now, init).map_err(|e| e.to_string()))
        };
        let risk = risk_with(InitPrices::WorseOfOracleAndStable);
        let liquidation_risk = risk_with(InitPrices::Oracle);
        let fallback = bank
            .outage_price(raw.as_ref(), now)
            .and_then(|p| bank.token_risk_at(&p, now, InitPrices::Oracle))
            .ok()
            .map(|r| TokenRisk { live: false, ..r });
        self.banks.insert(
            bank.token_index,
            BankEntry {
                key,
                state: bank,
                stored_accrual_ts,
                risk,
                liquidation_risk,
                fallback,
                price: price.ok(),
            },
        );
    }

    pub fn keys(&self, token_index: u16) -> Option<BankKeys> {
        self.banks.get(&token_index).map(|b| BankKeys {
            bank: b.key,
            oracle: b.state.oracle,
        })
    }

    /// Health accounts for a slot layout.
    pub fn health_metas(&self, slots: &[u16; MAX_TOKEN_POSITIONS]) -> Option<Vec<AccountMeta>> {
        crate::health_accounts::metas(slots, |t| self.keys(t))
    }

    /// The account's health cache, built with the program's engine; every oracle must be
    /// valid (as for a withdrawal).
    pub fn cache(&self, account: &MarginAccount) -> Result<HealthCache, HealthError> {
        self.build_cache(account, false)
    }

    /// The liquidatee's health cache as `token_liquidate` sees it: init health at oracle
    /// prices (no stable price); positions whose oracle is invalid are valued at their bank's
    /// fallback price (`TokenRisk::live == false`); only live positions can be transferred.
    pub fn liquidation_cache(&self, account: &MarginAccount) -> Result<HealthCache, HealthError> {
        self.build_cache(account, true)
    }

    fn build_cache(
        &self,
        account: &MarginAccount,
        allow_fallback: bool,
    ) -> Result<HealthCache, HealthError> {
        let mut cache = HealthCache::default();
        let mut hedges = [None; MAX_TOKEN_POSITIONS];
        for ((_, p), hedge) in account.active_positions().zip(hedges.iter_mut()) {
            let entry = self
                .banks
                .get(&p.token_index)
                .ok_or(HealthError::UnknownToken(p.token_index))?;
            let risk = choose(
                &entry.risk,
                &entry.liquidation_risk,
                entry.fallback,
                allow_fallback,
            )
            .map_err(|reason| HealthError::Oracle {
                token_index: p.token_index,
                reason: reason.clone(),
            })?;
            *hedge = Some(HedgeCandidate::of(&entry.state, self.now));
            cache
                .push(risk, p.indexed.get())
                .map_err(|_| HealthError::Math)?;
        }
        let init = if allow_fallback {
            InitPrices::Oracle
        } else {
            InitPrices::WorseOfOracleAndStable
        };
        for (_, p) in account.active_perps() {
            let entry = self
                .perps
                .get(&p.market_index)
                .ok_or(HealthError::UnknownPerp(p.market_index))?;
            let risk = choose(
                &entry.risk,
                &entry.liquidation_risk,
                entry.fallback,
                allow_fallback,
            )
            .map_err(|reason| HealthError::Oracle {
                token_index: p.market_index,
                reason: format!("perp market {}: {reason}", p.market_index),
            })?;
            let perp = perp_health_inputs(&entry.state, p, risk, &hedges, self.now, init)
                .map_err(|_| HealthError::Math)?;
            cache.push_perp(perp).map_err(|_| HealthError::Math)?;
        }
        Ok(cache)
    }

    pub fn health(&self, account: &MarginAccount) -> Result<Health, HealthError> {
        self.cache(account)?.health().map_err(|_| HealthError::Math)
    }
}

/// The risk a position is valued at: as risk-adding instructions see it, or (for a
/// liquidation cache) as liquidations see it, falling back to the outage price while the
/// oracle is invalid; otherwise why the oracle cannot be used.
fn choose<'a>(
    risk: &'a Result<TokenRisk, String>,
    liquidation_risk: &'a Result<TokenRisk, String>,
    fallback: Option<TokenRisk>,
    allow_fallback: bool,
) -> Result<TokenRisk, &'a String> {
    let live = if allow_fallback {
        liquidation_risk
    } else {
        risk
    };
    match (live, fallback) {
        (Ok(risk), _) => Ok(*risk),
        (Err(_), Some(fallback)) if allow_fallback => Ok(fallback),
        (Err(reason), _) => Err(reason),
    }
}

/// The bank's oracle price now, validated exactly as the program does.
fn valid_price(
    bank: &Bank,
    oracle: Option<(Pubkey, Vec<u8>)>,
    now: i64,
) -> Result<OraclePrice, String> {
    // The program's own oracle checks, on the bytes it would see.
    let policy = oracle_policy(bank).map_err(|e| e.to_string())?;
    valid_price_with(&policy, oracle, now)
}

/// An oracle account's price now under `policy`, validated exactly as the program does.
fn valid_price_with(
    policy: &OraclePolicy,
    oracle: Option<(Pubkey, Vec<u8>)>,
    now: i64,
) -> Result<OraclePrice, String> {
    let (owner, data) = oracle.ok_or("oracle account missing")?;
    if owner != policy.kind.owner() {
        return Err("oracle owned by the wrong program".into());
    }
    let raw = parse_oracle(policy.kind, &data).map_err(|e| e.to_string())?;
    validate_price(&raw, policy, now).map_err(|e| e.to_string())
}
