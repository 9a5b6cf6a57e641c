//! The keeper's perp actions: close a perp against the pool, unwind a hedged pair, take
//! over a flat loss, settle a liquidatable account's PnL. Each builds the instruction the strategy chose with the
//! snapshot's accounts, records it in a dry run, or sends it at liquidation urgency.

use super::{Keeper, TickReport};
use crate::metrics::Metrics;
use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use cross_margin::state::MarginAccount;
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::fees::Urgency;
use cross_margin_client::health_accounts::bank_metas;
use cross_margin_client::perp_builders::{self, PerpMarketAccounts, SettleBank};
use cross_margin_client::snapshot::{fetch, GroupSnapshot};
use solana_signer::Signer;
use tracing::{info, warn};

/// What the perp instructions name of a market: its accounts, its settle bank's, and the
/// settle token's index.
pub(super) struct MarketKeys {
    pub accounts: PerpMarketAccounts,
    pub settle: SettleBank,
    pub settle_index: u16,
    pub insurance_vault: Pubkey,
}

/// Market `market`'s keys as the snapshot knows them; `None` without the market or its
/// settle bank.
pub(super) fn market_keys(snapshot: &GroupSnapshot, market: u16) -> Option<MarketKeys> {
    let entry = snapshot.perps.get(&market)?;
    let settle_index = entry.state.settle_token_index;
    let settle = snapshot.banks.get(&settle_index)?;
    Some(MarketKeys {
        accounts: PerpMarketAccounts::of(entry.key, &entry.state, &settle.state),
        settle: SettleBank {
            bank: settle.key,
            vault: settle.state.vault,
        },
        settle_index,
        insurance_vault: settle.state.insurance_vault,
    })
}

/// A send's outcome as the keeper counts it: a transient error aborts the tick.
enum Sent {
    Ok,
    Failed,
}

impl Keeper {
    /// Close part of `key`'s perp in `market` against the pool; returns whether a
    /// transaction went through.
    pub(super) async fn liquidate_perp<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        key: Pubkey,
        account: &MarginAccount,
        market: u16,
        report: &mut TickReport,
    ) -> Result<bool, ChainError> {
        let (Some(health), Some(m)) = (
            snapshot.account_metas(account, &[], None),
            market_keys(snapshot, market),
        ) else {
            return Ok(false);
        };
        let ix = perp_builders::perp_liquidate(
            &self.signer.pubkey(),
            &self.group,
            &self.liquidator,
            &key,
            &m.accounts,
            u64::MAX,
            health,
        );
        if self.dry_run {
            info!(account = %key, market, "dry run: would liquidate perp");
            report.planned_perp_liquidations.push((key, market));
            return Ok(false);
        }
        self.count_liquidation(chain, ix, key, "perp liquidation", report)
            .await
    }

    /// The liquidatee's health accounts, then the liquidator's laid out with `tokens` and a
    /// perp position in `market` opened (what the two-account perp liquidations take);
    /// `None` when the liquidator's account is missing or a position is unknown.
    async fn both_health_lists<C: Chain>(
        &self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        account: &MarginAccount,
        tokens: &[u16],
        market: u16,
    ) -> Result<Option<Vec<AccountMeta>>, ChainError> {
        let Some(liquidator) = fetch::<MarginAccount, _>(chain, &self.liquidator).await? else {
            warn!(liquidator = %self.liquidator, "liquidator account not found");
            return Ok(None);
        };
        let (Some(mut health), Some(liqor_health)) = (
            snapshot.account_metas(account, &[], None),
            snapshot.account_metas(&liquidator, tokens, Some(market)),
        ) else {
            return Ok(None);
        };
        health.extend(liqor_health);
        Ok(Some(health))
    }

    /// Unwind `key`'s hedged pair (perp in `market`, spot balance in `spot`).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn liquidate_pair<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        key: Pubkey,
        account: &MarginAccount,
        market: u16,
        spot: u16,
        report: &mut TickReport,
    ) -> Result<bool, ChainError> {
        let Some(m) = market_keys(snapshot, market) else {
            return Ok(false);
        };
        let Some(bank) = snapshot.banks.get(&spot) else {
            return Ok(false);
        };
        let tokens = [spot, m.settle_index];
        let Some(health) = self
            .both_health_lists(chain, snapshot, account, &tokens, market)
            .await?
        else {
            return Ok(false);
        };
        let ix = perp_builders::perp_liquidate_pair(
            &self.signer.pubkey(),
            &self.group,
            &self.liquidator,
            &key,
            &m.accounts,
            &bank.key,
            &m.settle,
            u64::MAX,
            health,
        );
        if self.dry_run {
            info!(account = %key, market, spot, "dry run: would liquidate hedged pair");
            report.planned_pair_liquidations.push((key, market, spot));
            return Ok(false);
        }
        self.count_liquidation(chain, ix, key, "pair liquidation", report)
            .await
    }

    /// Take over `key`'s flat loss in `market` for its deposit in `asset` (no tokens
    /// move, so an empty settle vault does not stop it).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn liquidate_loss<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        key: Pubkey,
        account: &MarginAccount,
        market: u16,
        asset: u16,
        report: &mut TickReport,
    ) -> Result<bool, ChainError> {
        let Some(m) = market_keys(snapshot, market) else {
            return Ok(false);
        };
        let Some(bank) = snapshot.banks.get(&asset) else {
            return Ok(false);
        };
        let Some(health) = self
            .both_health_lists(chain, snapshot, account, &[asset], market)
            .await?
        else {
            return Ok(false);
        };
        let ix = perp_builders::perp_liquidate_loss(
            &self.signer.pubkey(),
            &self.group,
            &self.liquidator,
            &key,
            &m.accounts,
            &bank.key,
            u64::MAX,
            health,
        );
        if self.dry_run {
            info!(account = %key, market, asset, "dry run: would liquidate flat perp loss");
            report.planned_loss_liquidations.push((key, market, asset));
            return Ok(false);
        }
        self.count_liquidation(chain, ix, key, "perp loss liquidation", report)
            .await
    }

    /// Settle the PnL of `key`'s perp in `market` (allowed to anyone while the account is
    /// liquidatable); returns whether a transaction went through.
    pub(super) async fn settle_pnl<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        key: Pubkey,
        account: &MarginAccount,
        market: u16,
        report: &mut TickReport,
    ) -> Result<bool, ChainError> {
        let Some(m) = market_keys(snapshot, market) else {
            return Ok(false);
        };
        let Some(health) = snapshot.account_metas(account, &[m.settle_index], None) else {
            return Ok(false);
        };
        let ix = perp_builders::perp_settle_pnl(
            &self.signer.pubkey(),
            &self.group,
            &key,
            &m.accounts,
            &m.settle,
            health,
        );
        if self.dry_run {
            info!(account = %key, market, "dry run: would settle PnL");
            report.planned_settlements.push((key, market));
            return Ok(false);
        }
        let sent = self.send(chain, ix, key, "PnL settlement", report).await?;
        if matches!(sent, Sent::Ok) {
            report.settlements += 1;
        }
        Ok(matches!(sent, Sent::Ok))
    }

    /// Write off `key`'s flat perp losses in `markets` (permissionless); returns whether
    /// any went through.
    pub(super) async fn resolve_perp<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        key: Pubkey,
        account: &MarginAccount,
        markets: &[u16],
        report: &mut TickReport,
    ) -> Result<bool, ChainError> {
        let slots = account.token_positions.map(|p| p.token_index);
        let Some(banks) = bank_metas(&slots, |t| snapshot.keys(t)) else {
            return Ok(false);
        };
        let mut any = false;
        for &market in markets {
            let Some(m) = market_keys(snapshot, market) else {
                continue;
            };
            let ix = perp_builders::perp_resolve_bankruptcy(
                &self.group,
                &key,
                &m.accounts,
                &m.settle.bank,
                &m.insurance_vault,
                banks.clone(),
            );
            if self.dry_run {
                info!(account = %key, market, "dry run: would resolve perp bankruptcy");
                report.planned_perp_bankruptcies.push((key, market));
                continue;
            }
            match chain.send_with(&[ix], &[], Urgency::Liquidation).await {
                Ok(sig) => {
                    info!(account = %key, market, %sig, "perp bankruptcy resolved");
                    report.bankruptcies += 1;
                    Metrics::add(&self.metrics.bankruptcies_resolved, 1);
                    any = true;
                }
                Err(e) if e.is_transient() => return Err(e),
                Err(e) => {
                    warn!(account = %key, market, error = %e, "perp bankruptcy failed");
                    report.failures += 1;
                }
            }
        }
        Ok(any)
    }

    /// Send one liquidation and count it in the report and metrics.
    async fn count_liquidation<C: Chain>(
        &mut self,
        chain: &mut C,
        ix: Instruction,
        key: Pubkey,
        what: &str,
        report: &mut TickReport,
    ) -> Result<bool, ChainError> {
        match self.send(chain, ix, key, what, report).await? {
            Sent::Ok => {
                report.liquidations += 1;
                Metrics::add(&self.metrics.liquidations_sent, 1);
                Ok(true)
            }
            Sent::Failed => {
                Metrics::add(&self.metrics.liquidation_failures, 1);
                Ok(false)
            }
        }
    }

    /// Send at liquidation urgency; a refused transaction is logged and counted as a
    /// failure, a transient error aborts the tick.
    async fn send<C: Chain>(
        &mut self,
        chain: &mut C,
        ix: Instruction,
        key: Pubkey,
        what: &str,
        report: &mut TickReport,
    ) -> Result<Sent, ChainError> {
        match chain
            .send_with(&[ix], &[&self.signer], Urgency::Liquidation)
            .await
        {
            Ok(sig) => {
                info!(account = %key, %sig, "{what} sent");
                Ok(Sent::Ok)
            }
            Err(e) if e.is_transient() => Err(e),
            Err(e) => {
                warn!(account = %key, error = %e, "{what} failed");
                report.failures += 1;
                Ok(Sent::Failed)
            }
        }
    }
}
