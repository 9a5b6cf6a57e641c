//! Auto-deleveraging, the keeper's side: once a tick, for every perp market whose pool
//! owes its traders more than the market's ADL threshold (measured as the program
//! measures it, `PerpMarket::adl_owed`), deleverage the most profitable positions per unit
//! of size first (PnL at the protected close price, `PerpMarket::adl_pnl`, over the
//! position's size: the top of that ranking always passes the program's check that a
//! position is at least as profitable per unit as its side's average,
//! `health::auto_deleverage::ranks_first`) until the program's own
//! sizing (`health::auto_deleverage::excess`) says the pool is back at its threshold.
//! After each step the market and its pool vault are re-read, so the keeper never sends
//! an ADL the program would refuse as not needed.

use super::perp_actions::market_keys;
use super::{Keeper, TickReport};
use crate::metrics::Metrics;
use anchor_lang::prelude::Pubkey;
use cross_margin::health::auto_deleverage::{excess, ranks_first};
use cross_margin::health::OraclePrice;
use cross_margin::state::PerpMarket;
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::fees::Urgency;
use cross_margin_client::perp_builders;
use cross_margin_client::snapshot::{fetch, token_amount, GroupSnapshot};
use fixed::types::I80F48;
use tracing::{info, warn};

/// At most this many ADL steps per market per tick.
const MAX_ADL_PER_MARKET: usize = 8;

/// What the pool of `market` must pay out now to be back at its ADL threshold, as the
/// program sizes it; `None` when it is within it, its breaker is tripped (the program
/// refuses ADL then) or its vault cannot be read.
async fn excess_now<C: Chain>(
    chain: &mut C,
    market: &PerpMarket,
    price: &OraclePrice,
) -> Result<Option<u64>, ChainError> {
    if market.breaker_tripped() {
        return Ok(None);
    }
    let Some(vault) = token_amount(chain, &market.pool_vault).await? else {
        return Ok(None);
    };
    Ok(market
        .adl_owed(price)
        .ok()
        .and_then(|owed| excess(owed, vault, market.adl_threshold_bps)))
}

impl Keeper {
    /// Deleverage every market over its threshold; returns the steps sent.
    pub(super) async fn auto_deleverage<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        report: &mut TickReport,
    ) -> Result<usize, ChainError> {
        let mut sent = 0;
        for (&index, entry) in &snapshot.perps {
            let Some(price) = entry.price else {
                continue;
            };
            let mut market = entry.state;
            // Most markets are within their threshold: one vault read, no ranking.
            let mut over = excess_now(chain, &market, &price).await?;
            if over.is_none() {
                continue;
            }
            // Most profitable per unit first, at the price the program would pay them at.
            let mut ranked: Vec<(I80F48, I80F48, i64, Pubkey)> = self
                .accounts
                .iter()
                .filter_map(|(key, a)| {
                    let position = &a.perp_positions[a.perp_slot(index)?];
                    let pnl = market.adl_pnl(position, &price).ok()??;
                    let per_unit =
                        pnl.checked_div(I80F48::from_num(position.base.unsigned_abs()))?;
                    (pnl >= I80F48::ONE).then_some((per_unit, pnl, position.base, *key))
                })
                .collect();
            ranked.sort_by(|a, b| b.cmp(a));
            let mut done = 0;
            // Successful steps are capped, and so are attempts: an account the program
            // refuses (a hedge ADL would break, no free slot) costs one try, not the tick.
            for (_, pnl, base, key) in ranked.into_iter().take(2 * MAX_ADL_PER_MARKET) {
                let Some(excess) = over else {
                    break;
                };
                if done == MAX_ADL_PER_MARKET {
                    break;
                }
                // The side's average moves as positions close: skip one the program would
                // now refuse as below it.
                if !at_least_average(&market, &price, pnl, base) {
                    continue;
                }
                let ok = self.deleverage(chain, snapshot, key, index, report).await?;
                if self.dry_run {
                    break;
                }
                if ok {
                    info!(account = %key, market = index, %pnl, excess, "auto-deleveraged");
                    sent += 1;
                    done += 1;
                }
                // Re-read after every attempt: the next decision uses the chain's state.
                let Some(m) = fetch::<PerpMarket, _>(chain, &entry.key).await? else {
                    break;
                };
                market = m;
                over = excess_now(chain, &market, &price).await?;
            }
        }
        Ok(sent)
    }

    /// Send one ADL step of `key`'s position in `market`; returns whether it went through
    /// (in a dry run: recorded as planned, `true`).
    async fn deleverage<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        key: Pubkey,
        market: u16,
        report: &mut TickReport,
    ) -> Result<bool, ChainError> {
        let (Some(account), Some(m)) = (self.accounts.get(&key), market_keys(snapshot, market))
        else {
            return Ok(false);
        };
        let Some(health) = snapshot.account_metas(account, &[m.settle_index], None) else {
            return Ok(false);
        };
        let ix = perp_builders::perp_auto_deleverage(
            &self.group,
            &key,
            &m.accounts,
            &m.settle,
            u64::MAX,
            health,
        );
        if self.dry_run {
            info!(account = %key, market, "dry run: would auto-deleverage");
            report.planned_deleverages.push((key, market));
            return Ok(true);
        }
        // Permissionless: no signer but the fee payer.
        match chain.send_with(&[ix], &[], Urgency::Liquidation).await {
            Ok(sig) => {
                info!(account = %key, market, %sig, "auto-deleverage sent");
                report.deleveraged += 1;
                Metrics::add(&self.metrics.deleverages_sent, 1);
                Ok(true)
            }
            Err(e) if e.is_transient() => Err(e),
            Err(e) => {
                warn!(account = %key, market, error = %e, "auto-deleverage failed");
                report.failures += 1;
                Metrics::add(&self.metrics.liquidation_failures, 1);
                Ok(false)
            }
        }
    }
}

/// Whether the program would accept a position of `base` units with `pnl` as a victim:
/// its profit per unit at least its side's average at the protected close price.
fn at_least_average(market: &PerpMarket, price: &OraclePrice, pnl: I80F48, base: i64) -> bool {
    let Ok((low, high)) = market.protected_prices(price) else {
        return false;
    };
    let long = base > 0;
    let Ok((side_pnl, side_units)) = market.side_pnl(long, if long { low } else { high }) else {
        return false;
    };
    ranks_first(pnl, base.unsigned_abs(), side_pnl, side_units).unwrap_or(false)
}
