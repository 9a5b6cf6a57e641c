//! Auto-deleveraging, the keeper's side: once a tick, for every perp market whose pool
//! owes its traders more than the market's ADL threshold (measured as the program
//! measures it, `PerpMarket::adl_owed`), deleverage the most profitable positions first
//! (PnL at the protected close price, `PerpMarket::adl_pnl`) until the program's own
//! sizing (`health::auto_deleverage::excess`) says the pool is back at its threshold.
//! After each step the market and its pool vault are re-read, so the keeper never sends
//! an ADL the program would refuse as not needed.

use super::{Keeper, TickReport};
use crate::metrics::Metrics;
use anchor_lang::prelude::Pubkey;
use cross_margin::health::auto_deleverage::excess;
use cross_margin::state::PerpMarket;
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::fees::Urgency;
use cross_margin_client::perp_builders::{self, SettleBank};
use cross_margin_client::snapshot::{fetch, token_amount, GroupSnapshot};
use fixed::types::I80F48;
use tracing::{info, warn};

/// At most this many ADL steps per market per tick.
const MAX_ADL_PER_MARKET: usize = 8;

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
            // Most profitable first, at the price the program would close them at.
            let mut ranked: Vec<(I80F48, Pubkey)> = self
                .accounts
                .iter()
                .filter_map(|(key, a)| {
                    let slot = a.perp_slot(index)?;
                    let pnl = market.adl_pnl(&a.perp_positions[slot], &price).ok()??;
                    (pnl >= I80F48::ONE).then_some((pnl, *key))
                })
                .collect();
            ranked.sort_by(|a, b| b.cmp(a));
            let mut done = 0;
            // Successful steps are capped, and so are attempts: an account the program
            // refuses (a hedge ADL would break, no free slot) costs one try, not the tick.
            for (pnl, key) in ranked.into_iter().take(2 * MAX_ADL_PER_MARKET) {
                if done == MAX_ADL_PER_MARKET || market.breaker_tripped() {
                    break;
                }
                let vault = token_amount(chain, &market.pool_vault).await?;
                let over = market
                    .adl_owed(&price)
                    .ok()
                    .and_then(|owed| excess(owed, vault, market.adl_threshold_bps));
                let Some(over) = over else {
                    break;
                };
                let ok = self.deleverage(chain, snapshot, key, index, report).await?;
                if self.dry_run {
                    break;
                }
                if ok {
                    info!(account = %key, market = index, %pnl, excess = over, "auto-deleveraged");
                    sent += 1;
                    done += 1;
                }
                // Re-read after every attempt: the next decision uses the chain's state.
                match fetch::<PerpMarket, _>(chain, &entry.key).await? {
                    Some(m) => market = m,
                    None => break,
                }
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
        let (Some(account), Some(entry)) = (self.accounts.get(&key), snapshot.perps.get(&market))
        else {
            return Ok(false);
        };
        let settle_index = entry.state.settle_token_index;
        let (Some(health), Some(bank), Some(accounts)) = (
            snapshot.account_metas(account, &[settle_index], None),
            snapshot.banks.get(&settle_index),
            super::perp_actions::accounts(snapshot, market),
        ) else {
            return Ok(false);
        };
        let ix = perp_builders::perp_auto_deleverage(
            &self.group,
            &key,
            &accounts,
            &SettleBank {
                bank: bank.key,
                vault: bank.state.vault,
            },
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
