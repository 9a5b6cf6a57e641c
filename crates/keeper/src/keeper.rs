//! One keeper tick: refresh prices and banks, re-evaluate the accounts that may have
//! changed, liquidate, resolve bankruptcies, crank idle banks and stale stable prices, apply
//! queued admin changes that are due. Generic over the chain, so the
//! same code runs against a cluster and the in-process validator.
//!
//! **Lookup table.** A liquidation between two full accounts does not fit a legacy
//! transaction, so the keeper registers the group's address lookup table with the chain and
//! sends everything as v0 against it. The table is the one pinned with `--lookup-table`, or
//! else the one found by the client's convention (authority = the group's admin, first
//! address = the group: `cross_margin_client::lookup_table::find_group_table`), which the
//! bootstrap creates. It is looked for and re-read on every full scan (banks may have been
//! added); without one the keeper still runs, with legacy transactions (see
//! [`crate::tables`]).

use crate::changes::{Applied, ChangeTracker};
use crate::margin_calls::{self, Fraction, Watchlist};
use crate::metrics::Metrics;
use crate::strategy::{self, Verdict};
use crate::tables::TableTracker;
use anchor_lang::prelude::Pubkey;
use cross_margin::state::{Bank, Group, MarginAccount, PerpMarket};
use cross_margin_client::builders;
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::fees::Urgency;
use cross_margin_client::health_accounts::bank_metas;
use cross_margin_client::snapshot::{fetch, margin_accounts, GroupSnapshot};
use fixed::types::I80F48;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;
use tracing::{info, warn};

mod adl;
mod perp_actions;

/// At most this many liquidations of one account per tick.
const MAX_ROUNDS_PER_ACCOUNT: usize = 8;

pub struct Keeper {
    pub group: Pubkey,
    pub liquidator: Pubkey,
    pub signer: Keypair,
    pub dry_run: bool,
    pub full_scan_every: u64,
    pub idle_crank_secs: i64,
    /// Feed a bank's oracle price to its stable price when the last observation is this
    /// old (the stable price's delayed average samples the oracle only when an instruction
    /// brings it; deposits and repays do not).
    pub stable_refresh_secs: i64,
    /// The group's lookup table, if pinned by the operator (otherwise found by convention).
    pub lookup_table: Option<Pubkey>,
    /// Margin-call threshold (see [`crate::margin_calls`]).
    pub margin_call_fraction: Fraction,
    /// At most this many accounts in the published watchlist.
    pub margin_call_max: usize,
    pub metrics: Arc<Metrics>,
    /// Each account's margin-call verdict as of its last evaluation.
    margin_calls: margin_calls::Tracker,
    /// The table registered with the chain, once one is known.
    tables: TableTracker,
    /// The group's queued changes (re-read on full scans).
    changes: ChangeTracker,
    accounts: HashMap<Pubkey, MarginAccount>,
    /// What each token looked like at the last tick.
    last_marks: BTreeMap<u16, Mark>,
    /// Accounts left unhealthy by the last tick (a failed or partial liquidation): always
    /// re-evaluated next tick, whatever moved.
    pending: BTreeSet<Pubkey>,
    /// Set while a tick is in progress: a tick that aborts (node unreachable) leaves it set,
    /// so the next tick rescans everything instead of trusting a half-finished pass.
    needs_full_scan: bool,
    ticks: u64,
}

/// What a token's health inputs looked like: price and confidence (0 while the oracle is
/// unusable), both indices and the weights in force (a maint weight moves during a ramp,
/// and an applied change moves any). Any change re-evaluates the accounts holding the token.
type Mark = (i64, u64, i128, i128, [u32; 4]);

fn mark(b: &cross_margin_client::snapshot::BankEntry, now: i64) -> Mark {
    let (price, conf) = b
        .risk
        .as_ref()
        .map(|r| (r.oracle.price, r.oracle.conf))
        .unwrap_or((0, 0));
    let w = b.state.weights_at(now);
    (
        price,
        conf,
        b.state.deposit_index.get().to_bits(),
        b.state.borrow_index.get().to_bits(),
        [
            w.init_asset_bps,
            w.maint_asset_bps,
            w.maint_liab_bps,
            w.init_liab_bps,
        ],
    )
}

/// A breaker-driven crank waits at least this long after the bank's last observation, so
/// an oracle hovering at the band's edge cannot make the keeper crank every tick.
const MIN_BREAKER_CRANK_GAP_SECS: i64 = 60;

fn bank_accounts(b: &cross_margin_client::snapshot::BankEntry) -> builders::AssetBankAccounts {
    builders::AssetBankAccounts {
        bank: b.key,
        vault: b.state.vault,
        insurance_vault: b.state.insurance_vault,
        mint: b.state.mint,
        token_program: b.state.token_program,
    }
}

/// What a tick did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TickReport {
    pub scanned: usize,
    pub liquidatable: usize,
    pub liquidations: usize,
    pub failures: usize,
    pub bankruptcies: usize,
    pub cranks: usize,
    /// Queued admin changes applied this tick.
    pub applied: Vec<Applied>,
    /// In a dry run, the liquidations the keeper would have sent: (account, asset token
    /// index, liability token index), in the order it would have sent them.
    pub planned_liquidations: Vec<(Pubkey, u16, u16)>,
    /// In a dry run, the bankruptcies it would have resolved: (account, token index).
    pub planned_bankruptcies: Vec<(Pubkey, u16)>,
    /// In a dry run, the perp liquidations it would have sent: (account, perp index).
    pub planned_perp_liquidations: Vec<(Pubkey, u16)>,
    /// In a dry run, the hedged pair liquidations: (account, perp index, spot token index).
    pub planned_pair_liquidations: Vec<(Pubkey, u16, u16)>,
    /// In a dry run, the flat-loss liquidations: (account, perp index, asset token index).
    pub planned_loss_liquidations: Vec<(Pubkey, u16, u16)>,
    /// PnL settlements of liquidatable accounts sent (a loss becomes a settle-token
    /// borrow, a profit a deposit), and in a dry run the ones planned: (account, perp).
    pub settlements: usize,
    pub planned_settlements: Vec<(Pubkey, u16)>,
    /// In a dry run, the perp bankruptcies it would have resolved: (account, perp index).
    pub planned_perp_bankruptcies: Vec<(Pubkey, u16)>,
    /// Auto-deleveraging steps sent (a pool owing its traders too much), and in a dry run
    /// the ones planned: (account, perp index).
    pub deleveraged: usize,
    pub planned_deleverages: Vec<(Pubkey, u16)>,
    /// The accounts on margin call after this tick (in a dry run too), most urgent first;
    /// also served as `/margin-calls`.
    pub margin_calls: Watchlist,
}

/// Every perp market of the snapshot, by index (what the strategy plans with).
fn perp_states(snapshot: &GroupSnapshot) -> BTreeMap<u16, PerpMarket> {
    snapshot.perps.iter().map(|(k, e)| (*k, e.state)).collect()
}

impl Keeper {
    pub fn new(group: Pubkey, liquidator: Pubkey, signer: Keypair) -> Self {
        Self {
            group,
            liquidator,
            signer,
            dry_run: false,
            full_scan_every: 12,
            idle_crank_secs: 3_600,
            stable_refresh_secs: 600,
            lookup_table: None,
            margin_call_fraction: Fraction::DEFAULT,
            margin_call_max: 100,
            metrics: Arc::new(Metrics::default()),
            margin_calls: margin_calls::Tracker::default(),
            tables: TableTracker::default(),
            changes: ChangeTracker::default(),
            accounts: HashMap::new(),
            last_marks: BTreeMap::new(),
            pending: BTreeSet::new(),
            needs_full_scan: true,
            ticks: 0,
        }
    }

    /// One pass. Errors are transport-level (the caller backs off and retries); failed
    /// transactions are counted and logged, never fatal.
    pub async fn tick<C: Chain>(&mut self, chain: &mut C) -> Result<TickReport, ChainError> {
        let start = Instant::now();
        let snapshot = GroupSnapshot::load(chain, &self.group).await?;
        let full = self.needs_full_scan || self.ticks.is_multiple_of(self.full_scan_every.max(1));
        self.needs_full_scan = true;
        self.ticks += 1;
        if full {
            self.tables
                .refresh(chain, &self.group, self.lookup_table)
                .await?;
            self.changes.refresh(chain, &self.group).await?;
        }
        let marks: BTreeMap<u16, Mark> = snapshot
            .banks
            .iter()
            .map(|(t, b)| (*t, mark(b, snapshot.now)))
            .collect();
        let moved: BTreeSet<u16> = marks
            .iter()
            .filter(|(t, m)| self.last_marks.get(t) != Some(m))
            .map(|(t, _)| *t)
            .collect();
        self.last_marks = marks;
        if full {
            self.accounts = margin_accounts(chain, &self.group, None)
                .await?
                .into_iter()
                .collect();
            let accounts = &self.accounts;
            self.margin_calls.retain(|k| accounts.contains_key(k));
        }
        let banks: BTreeMap<u16, Bank> =
            snapshot.banks.iter().map(|(t, b)| (*t, b.state)).collect();
        let perps = perp_states(&snapshot);
        let mut report = TickReport::default();
        let candidates: Vec<Pubkey> = self
            .accounts
            .iter()
            .filter(|(key, a)| {
                **key != self.liquidator
                    && (full
                        || self.pending.contains(*key)
                        || a.active_positions()
                            .any(|(_, p)| moved.contains(&p.token_index)))
            })
            .map(|(k, _)| *k)
            .collect();
        // One evaluation per candidate: the healthy ones (nearly all) stop here. The rest
        // are handled worst maint health first (ties by address): in a cascade the accounts
        // closest to bad debt go before the others, whatever order the node listed them in.
        let mut unhealthy: Vec<(I80F48, Pubkey)> = vec![];
        for key in candidates {
            report.scanned += 1;
            self.pending.remove(&key);
            let Some(account) = self.accounts.get(&key) else {
                continue;
            };
            // Positions with a dead oracle are valued as the program values them in a
            // liquidation; only an unknown bank or one never priced skips the account.
            let Ok(cache) = snapshot.liquidation_cache(account) else {
                self.margin_calls
                    .observe(key, account, None, self.margin_call_fraction);
                continue;
            };
            if strategy::verdict(account, &cache, &banks, &perps) == Verdict::Healthy {
                self.margin_calls
                    .observe(key, account, Some(&cache), self.margin_call_fraction);
                continue;
            }
            let maint = cache.health().map(|h| h.maint).unwrap_or(I80F48::MIN);
            unhealthy.push((maint, key));
        }
        unhealthy.sort();
        for (_, key) in unhealthy {
            self.handle_account(chain, &snapshot, &banks, key, &mut report)
                .await?;
            // As left by its liquidations (re-read after each one; unchanged in a dry run).
            match self.accounts.get(&key) {
                Some(account) => {
                    let cache = snapshot.liquidation_cache(account).ok();
                    self.margin_calls.observe(
                        key,
                        account,
                        cache.as_ref(),
                        self.margin_call_fraction,
                    );
                }
                None => self.margin_calls.retain(|k| *k != key),
            }
        }
        self.auto_deleverage(chain, &snapshot, &mut report).await?;
        report.cranks = self.crank_banks(chain, &snapshot).await?;
        let banks: Vec<Pubkey> = snapshot.banks.values().map(|b| b.key).collect();
        report.applied = self
            .changes
            .apply_due(chain, snapshot.now, &banks, self.dry_run, &self.metrics)
            .await?;
        self.needs_full_scan = false;
        report.margin_calls = self.margin_calls.watchlist(
            self.ticks,
            snapshot.now,
            self.margin_call_fraction,
            self.margin_call_max,
        );
        let m = &self.metrics;
        m.set_watchlist(report.margin_calls.clone());
        Metrics::add(&m.accounts_scanned, report.scanned as u64);
        m.accounts_liquidatable
            .store(report.liquidatable as u64, Ordering::Relaxed);
        m.last_scan_micros
            .store(start.elapsed().as_micros() as u64, Ordering::Relaxed);
        m.last_ok_unix.store(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
            Ordering::Relaxed,
        );
        Ok(report)
    }

    async fn handle_account<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        banks: &BTreeMap<u16, Bank>,
        key: Pubkey,
        report: &mut TickReport,
    ) -> Result<(), ChainError> {
        let mut counted = false;
        // Actions the chain refused this tick: the next round tries the next best.
        let mut failed: Vec<Verdict> = vec![];
        for _round in 0..MAX_ROUNDS_PER_ACCOUNT {
            let Some(account) = self.accounts.get(&key).copied() else {
                return Ok(());
            };
            // Positions with a dead oracle are valued as the program values them in a
            // liquidation (last valid price, widest confidence); only an unknown bank or a
            // bank that never had a valid price skips the account.
            let Ok(cache) = snapshot.liquidation_cache(&account) else {
                return Ok(());
            };
            let perps = perp_states(snapshot);
            let verdict = strategy::verdict_excluding(&account, &cache, banks, &perps, &failed);
            if failed.contains(&verdict) {
                // Bankruptcy verdicts are not alternatives: one refusal a tick is enough.
                return Ok(());
            }
            if !counted && verdict != Verdict::Healthy {
                report.liquidatable += 1;
                counted = true;
            }
            if verdict != Verdict::Healthy {
                self.pending.insert(key);
            }
            let sent = match verdict.clone() {
                Verdict::Healthy => {
                    self.pending.remove(&key);
                    return Ok(());
                }
                Verdict::Stuck => return Ok(()),
                Verdict::Liquidate { asset, liab } => {
                    self.liquidate(chain, snapshot, key, &account, asset, liab, report)
                        .await?
                }
                Verdict::LiquidatePerp { market } => {
                    self.liquidate_perp(chain, snapshot, key, &account, market, report)
                        .await?
                }
                Verdict::LiquidateLoss { market, asset } => {
                    self.liquidate_loss(chain, snapshot, key, &account, market, asset, report)
                        .await?
                }
                Verdict::LiquidatePair { market, spot } => {
                    self.liquidate_pair(chain, snapshot, key, &account, market, spot, report)
                        .await?
                }
                Verdict::PerpBankrupt(markets) => {
                    self.resolve_perp(chain, snapshot, key, &account, &markets, report)
                        .await?
                }
                Verdict::SettlePnl { market } => {
                    self.settle_pnl(chain, snapshot, key, &account, market, report)
                        .await?
                }
                Verdict::Bankrupt(liabs) => {
                    self.resolve(chain, snapshot, key, &account, &liabs, report)
                        .await?
                }
            };
            if !sent {
                // A dry run plans one action per account; a refused one falls through.
                if self.dry_run {
                    return Ok(());
                }
                failed.push(verdict);
                continue;
            }
            // Re-read the account and go again until it is healthy.
            match chain.account(&key).await? {
                Some(a) => match cross_margin_client::snapshot::decode::<MarginAccount>(&a.data) {
                    Some(m) => {
                        self.accounts.insert(key, m);
                    }
                    None => return Ok(()),
                },
                None => {
                    self.accounts.remove(&key);
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Returns whether a transaction went through.
    #[allow(clippy::too_many_arguments)]
    async fn liquidate<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        key: Pubkey,
        account: &MarginAccount,
        asset: u16,
        liab: u16,
        report: &mut TickReport,
    ) -> Result<bool, ChainError> {
        let Some(liquidator) = fetch::<MarginAccount, _>(chain, &self.liquidator).await? else {
            warn!(liquidator = %self.liquidator, "liquidator account not found");
            return Ok(false);
        };
        let (Some(mut health), Some(liqor_health)) = (
            snapshot.account_metas(account, &[], None),
            snapshot.account_metas(&liquidator, &[asset, liab], None),
        ) else {
            return Ok(false);
        };
        health.extend(liqor_health);
        let ix = builders::token_liquidate(
            &self.signer.pubkey(),
            &self.group,
            &self.liquidator,
            &key,
            &snapshot.banks[&asset].key,
            &snapshot.banks[&liab].key,
            u64::MAX,
            health,
        );
        if self.dry_run {
            info!(account = %key, asset, liab, "dry run: would liquidate");
            report.planned_liquidations.push((key, asset, liab));
            return Ok(false);
        }
        match chain
            .send_with(&[ix], &[&self.signer], Urgency::Liquidation)
            .await
        {
            Ok(sig) => {
                info!(account = %key, asset, liab, %sig, "liquidated");
                report.liquidations += 1;
                Metrics::add(&self.metrics.liquidations_sent, 1);
                Ok(true)
            }
            Err(e) if e.is_transient() => Err(e),
            Err(e) => {
                warn!(account = %key, asset, liab, error = %e, "liquidation failed");
                report.failures += 1;
                Metrics::add(&self.metrics.liquidation_failures, 1);
                Ok(false)
            }
        }
    }

    async fn resolve<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
        key: Pubkey,
        account: &MarginAccount,
        liabs: &[u16],
        report: &mut TickReport,
    ) -> Result<bool, ChainError> {
        let slots = account.token_positions.map(|p| p.token_index);
        let Some(banks) = bank_metas(&slots, |t| snapshot.keys(t)) else {
            return Ok(false);
        };
        let mut any = false;
        for liab in liabs {
            let accounts = bank_accounts(&snapshot.banks[liab]);
            let ix =
                builders::token_resolve_bankruptcy(&self.group, &key, &accounts, banks.clone());
            if self.dry_run {
                info!(account = %key, bank = liab, "dry run: would resolve bankruptcy");
                report.planned_bankruptcies.push((key, *liab));
                continue;
            }
            match chain.send_with(&[ix], &[], Urgency::Liquidation).await {
                Ok(sig) => {
                    info!(account = %key, bank = liab, %sig, "bankruptcy resolved");
                    report.bankruptcies += 1;
                    Metrics::add(&self.metrics.bankruptcies_resolved, 1);
                    any = true;
                }
                Err(e) if e.is_transient() => return Err(e),
                Err(e) => {
                    warn!(account = %key, bank = liab, error = %e, "bankruptcy resolution failed");
                    report.failures += 1;
                    Metrics::add(&self.metrics.liquidation_failures, 1);
                }
            }
        }
        Ok(any)
    }

    /// Crank the banks that need it: idle ones (no accrual for `idle_crank_secs`: accrue,
    /// observe the oracle, sweep fees unless paused), ones whose stable price has not seen
    /// the oracle for `stable_refresh_secs`, and ones whose breaker would flip at the current
    /// oracle price (both: accrue and observe). Every crank appends the oracle, so the
    /// stable price and breaker of every bank with a valid price keep up with the market.
    async fn crank_banks<C: Chain>(
        &mut self,
        chain: &mut C,
        snapshot: &GroupSnapshot,
    ) -> Result<usize, ChainError> {
        if self.dry_run {
            return Ok(0);
        }
        let now = snapshot.now;
        let mut paused = None;
        let mut cranks = 0;
        for b in snapshot.banks.values() {
            // `state` was accrued in memory; the stored timestamp is what says "idle".
            let idle = now - b.stored_accrual_ts >= self.idle_crank_secs;
            let since_observed = now - b.state.stable.last_update;
            let (stale, flips) = match &b.price {
                Some(p) => (
                    since_observed >= self.stable_refresh_secs,
                    since_observed >= MIN_BREAKER_CRANK_GAP_SECS
                        && b.state
                            .stable
                            .outside_band(p.price, b.state.breaker_band_bps)
                            != b.state.breaker_tripped(),
                ),
                None => (false, false),
            };
            if !(idle || stale || flips) {
                continue;
            }
            let mut ixs = vec![builders::bank_accrue_interest_with_oracle(
                &b.key,
                &b.state.oracle,
            )];
            if idle {
                // Fee sweeps are refused while the group is paused.
                let paused = match paused {
                    Some(p) => p,
                    None => {
                        let p = fetch::<Group, _>(chain, &self.group)
                            .await?
                            .is_some_and(|g| g.is_paused(now));
                        *paused.insert(p)
                    }
                };
                if !paused {
                    ixs.push(builders::bank_sweep_fees(&self.group, &bank_accounts(b)));
                }
            }
            match chain.send(&ixs, &[]).await {
                Ok(_) => {
                    cranks += 1;
                    Metrics::add(&self.metrics.interest_cranks, 1);
                    if flips {
                        info!(bank = %b.key, token = b.state.token_index, tripped = !b.state.breaker_tripped(), "breaker updated");
                    }
                }
                Err(e) if e.is_transient() => return Err(e),
                Err(e) => warn!(bank = %b.key, error = %e, "bank crank failed"),
            }
        }
        Ok(cranks)
    }
}
