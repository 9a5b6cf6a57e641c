//! Perp-side actions of the test protocol: markets on a bank's oracle, the pool, trades,
//! settlement, funding and liquidation, each sent through `Protocol::step` (invariants
//! checked after every step).

use super::context::TxError;
use super::protocol::Protocol;
use anchor_lang::prelude::{AccountMeta, Pubkey};
use cross_margin::state::{MarginAccount, PerpConfig, PerpMarket};
use cross_margin_client::health_accounts::{self, PerpKeys};
use cross_margin_client::perp_builders::{self as pb, PerpMarketAccounts, SettleBank};
use solana_signer::Signer;
use std::collections::HashMap;

/// A perp market in the test protocol. Its oracle is the base bank's oracle, so moving
/// that bank's price moves the perp's, and spot in that bank hedges the perp.
#[derive(Clone, Debug)]
pub struct PerpSetup {
    pub accounts: PerpMarketAccounts,
    pub base_bank: usize,
    pub settle_bank: usize,
    /// Each user's LP token account, created on first use.
    pub lp_wallets: HashMap<usize, Pubkey>,
}

/// The tests' default perp config: `PerpConfig::DEFAULT` with a finite OI cap.
pub fn default_perp_config() -> PerpConfig {
    PerpConfig {
        max_open_interest: 1_000_000 * 1_000_000_000,
        ..PerpConfig::DEFAULT
    }
}

impl Protocol {
    /// List a perp on `base_bank`'s oracle (base decimals = that bank's), settled in
    /// `settle_bank`. Returns its perp index.
    pub async fn add_perp(
        &mut self,
        base_bank: usize,
        settle_bank: usize,
        config: PerpConfig,
    ) -> Result<usize, TxError> {
        let index = self.perps.len() as u16;
        let (base, settle) = (
            self.banks[base_bank].clone(),
            self.banks[settle_bank].clone(),
        );
        let accounts = PerpMarketAccounts::derive(
            &self.group,
            index,
            base.oracle,
            settle.mint,
            settle.token_program,
        );
        let ix = pb::perp_market_register(
            &self.admin(),
            &self.group,
            &settle.bank,
            &accounts,
            index,
            "TEST-PERP",
            base.decimals,
            config,
        );
        self.tc.send(&[ix], &[]).await?;
        self.perps.push(PerpSetup {
            accounts,
            base_bank,
            settle_bank,
            lp_wallets: HashMap::new(),
        });
        Ok(index as usize)
    }

    /// The admin edits `perp`'s parameters.
    pub async fn edit_perp(&mut self, perp: usize, config: PerpConfig) -> Result<(), TxError> {
        let ix = pb::perp_market_edit(
            &self.admin(),
            &self.group,
            &self.perps[perp].accounts,
            config,
        );
        self.tc.send(&[ix], &[]).await
    }

    pub async fn perp_state(&mut self, perp: usize) -> PerpMarket {
        let key = self.perps[perp].accounts.market;
        self.tc.load(key).await
    }

    fn perp_lookup(&self) -> impl Fn(u16) -> Option<PerpKeys> + '_ {
        move |m| {
            self.perps.get(m as usize).map(|p| PerpKeys {
                market: p.accounts.market,
                oracle: p.accounts.oracle,
            })
        }
    }

    /// Full health metas of `account` after opening `new_tokens` and `new_perp`.
    pub fn metas_for(
        &self,
        account: &MarginAccount,
        new_tokens: &[u16],
        new_perp: Option<u16>,
    ) -> Vec<AccountMeta> {
        health_accounts::full_metas(
            &health_accounts::with_new_positions(account, new_tokens),
            &health_accounts::perps_with_new(account, new_perp),
            self.lookup(),
            self.perp_lookup(),
        )
        .expect("every position has a known bank or market")
    }

    /// `user`'s full health metas, with a new position in bank `token` and/or market `perp`.
    pub async fn full_metas(
        &mut self,
        user: usize,
        token: Option<usize>,
        perp: Option<usize>,
    ) -> Vec<AccountMeta> {
        let account = self.margin_account(user).await;
        let tokens: Vec<u16> = token
            .map(|t| self.banks[t].token_index)
            .into_iter()
            .collect();
        self.metas_for(&account, &tokens, perp.map(|p| p as u16))
    }

    async fn lp_wallet(&mut self, user: usize, perp: usize) -> Pubkey {
        if let Some(w) = self.perps[perp].lp_wallets.get(&user) {
            return *w;
        }
        let owner = self.users[user].key.pubkey();
        let mint = self.perps[perp].accounts.lp_mint;
        let w = self.tc.create_token_account(&owner, &mint).await;
        self.perps[perp].lp_wallets.insert(user, w);
        w
    }

    /// `user` deposits `amount` of the settle token from its wallet into the pool.
    pub async fn pool_deposit(
        &mut self,
        user: usize,
        perp: usize,
        amount: u64,
    ) -> Result<(), TxError> {
        let lp = self.lp_wallet(user, perp).await;
        let p = &self.perps[perp];
        let u = &self.users[user];
        let ix = pb::pool_deposit(
            &u.key.pubkey(),
            &self.group,
            &p.accounts,
            &u.wallets[p.settle_bank],
            &lp,
            amount,
        );
        let key = u.key.insecure_clone();
        self.step(&[ix], &[&key]).await
    }

    pub async fn pool_withdraw(
        &mut self,
        user: usize,
        perp: usize,
        shares: u64,
    ) -> Result<(), TxError> {
        let lp = self.lp_wallet(user, perp).await;
        let p = &self.perps[perp];
        let u = &self.users[user];
        let ix = pb::pool_withdraw(
            &u.key.pubkey(),
            &self.group,
            &p.accounts,
            &lp,
            &u.wallets[p.settle_bank],
            shares,
        );
        let key = u.key.insecure_clone();
        self.step(&[ix], &[&key]).await
    }

    pub async fn lp_balance(&mut self, user: usize, perp: usize) -> u64 {
        let w = self.lp_wallet(user, perp).await;
        self.tc.token_balance(w).await
    }

    pub async fn pool_vault_balance(&mut self, perp: usize) -> u64 {
        let v = self.perps[perp].accounts.pool_vault;
        self.tc.token_balance(v).await
    }

    /// Trade `base_delta` with no limit (`limit`: quote native per whole base unit).
    pub async fn trade(
        &mut self,
        user: usize,
        perp: usize,
        base_delta: i64,
    ) -> Result<(), TxError> {
        let limit = if base_delta > 0 { u64::MAX } else { 0 };
        self.trade_limit(user, perp, base_delta, limit).await
    }

    pub async fn trade_limit(
        &mut self,
        user: usize,
        perp: usize,
        base_delta: i64,
        limit: u64,
    ) -> Result<(), TxError> {
        let health = self.full_metas(user, None, Some(perp)).await;
        let u = &self.users[user];
        let ix = pb::perp_trade(
            &u.key.pubkey(),
            &self.group,
            &u.account,
            &self.perps[perp].accounts,
            base_delta,
            limit,
            health,
        );
        let key = u.key.insecure_clone();
        self.step(&[ix], &[&key]).await
    }

    pub async fn settle_pnl(&mut self, user: usize, perp: usize) -> Result<(), TxError> {
        self.settle_pnl_as(user, user, perp).await
    }

    /// `signer` settles `user`'s PnL in `perp`.
    pub async fn settle_pnl_as(
        &mut self,
        signer: usize,
        user: usize,
        perp: usize,
    ) -> Result<(), TxError> {
        let settle_bank = self.perps[perp].settle_bank;
        let health = self.full_metas(user, Some(settle_bank), None).await;
        let settle = self.settle_keys(perp);
        let key = self.users[signer].key.insecure_clone();
        let ix = pb::perp_settle_pnl(
            &key.pubkey(),
            &self.group,
            &self.users[user].account,
            &self.perps[perp].accounts,
            &settle,
            health,
        );
        self.step(&[ix], &[&key]).await
    }

    /// Auto-deleverage up to `max_base` of `user`'s position in `perp` (permissionless: no
    /// signer but the payer).
    pub async fn auto_deleverage(
        &mut self,
        user: usize,
        perp: usize,
        max_base: u64,
    ) -> Result<(), TxError> {
        let settle_bank = self.perps[perp].settle_bank;
        let health = self.full_metas(user, Some(settle_bank), None).await;
        let settle = self.settle_keys(perp);
        let ix = pb::perp_auto_deleverage(
            &self.group,
            &self.users[user].account,
            &self.perps[perp].accounts,
            &settle,
            max_base,
            health,
        );
        self.step(&[ix], &[]).await
    }

    /// The settle bank of `perp` as the perp instructions name it.
    pub fn settle_keys(&self, perp: usize) -> SettleBank {
        let b = &self.banks[self.perps[perp].settle_bank];
        SettleBank {
            bank: b.bank,
            vault: b.vault,
        }
    }

    pub async fn crank_funding(&mut self, perp: usize) -> Result<(), TxError> {
        let ix = pb::perp_update_funding(&self.perps[perp].accounts);
        self.step(&[ix], &[]).await
    }

    pub async fn liquidate_perp(
        &mut self,
        liquidator: usize,
        liquidatee: usize,
        perp: usize,
        max_base: u64,
    ) -> Result<(), TxError> {
        let health = self.full_metas(liquidatee, None, None).await;
        let key = self.users[liquidator].key.insecure_clone();
        let ix = pb::perp_liquidate(
            &key.pubkey(),
            &self.group,
            &self.users[liquidator].account,
            &self.users[liquidatee].account,
            &self.perps[perp].accounts,
            max_base,
            health,
        );
        self.step(&[ix], &[&key]).await
    }

    /// `liquidator` unwinds up to `max_base` of `liquidatee`'s hedged pair: its perp in
    /// `perp` and its balance in bank `spot`.
    pub async fn liquidate_pair(
        &mut self,
        liquidator: usize,
        liquidatee: usize,
        perp: usize,
        spot: usize,
        max_base: u64,
    ) -> Result<(), TxError> {
        let liqee = self.margin_account(liquidatee).await;
        let liqor = self.margin_account(liquidator).await;
        let mut health = self.metas_for(&liqee, &[], None);
        let settle_index = self.banks[self.perps[perp].settle_bank].token_index;
        let tokens = [self.banks[spot].token_index, settle_index];
        health.extend(self.metas_for(&liqor, &tokens, Some(perp as u16)));
        let key = self.users[liquidator].key.insecure_clone();
        let ix = pb::perp_liquidate_pair(
            &key.pubkey(),
            &self.group,
            &self.users[liquidator].account,
            &self.users[liquidatee].account,
            &self.perps[perp].accounts,
            &self.banks[spot].bank,
            &self.settle_keys(perp),
            max_base,
            health,
        );
        self.step(&[ix], &[&key]).await
    }

    /// `liquidator` takes over up to `max_loss` of `liquidatee`'s flat loss in `perp` for its
    /// deposit in bank `asset` (`perp_liquidate_loss`).
    pub async fn liquidate_loss(
        &mut self,
        liquidator: usize,
        liquidatee: usize,
        perp: usize,
        asset: usize,
        max_loss: u64,
    ) -> Result<(), TxError> {
        let liqee = self.margin_account(liquidatee).await;
        let liqor = self.margin_account(liquidator).await;
        let mut health = self.metas_for(&liqee, &[], None);
        let tokens = [self.banks[asset].token_index];
        health.extend(self.metas_for(&liqor, &tokens, Some(perp as u16)));
        let key = self.users[liquidator].key.insecure_clone();
        let ix = pb::perp_liquidate_loss(
            &key.pubkey(),
            &self.group,
            &self.users[liquidator].account,
            &self.users[liquidatee].account,
            &self.perps[perp].accounts,
            &self.banks[asset].bank,
            max_loss,
            health,
        );
        self.step(&[ix], &[&key]).await
    }

    /// Write off `user`'s bankrupt loss in `perp` (permissionless: no signer but the payer).
    pub async fn resolve_perp_bankruptcy(
        &mut self,
        user: usize,
        perp: usize,
    ) -> Result<(), TxError> {
        let account = self.margin_account(user).await;
        let slots = account.token_positions.map(|p| p.token_index);
        let banks = health_accounts::bank_metas(&slots, self.lookup()).expect("known banks");
        let settle = &self.banks[self.perps[perp].settle_bank];
        let ix = pb::perp_resolve_bankruptcy(
            &self.group,
            &self.users[user].account,
            &self.perps[perp].accounts,
            &settle.bank,
            &settle.insurance_vault,
            banks,
        );
        self.step(&[ix], &[]).await
    }

    /// `user`'s position in `perp`: (base, quote) or `None`.
    pub async fn perp_position(&mut self, user: usize, perp: usize) -> Option<(i64, f64)> {
        let a = self.margin_account(user).await;
        let slot = a.perp_slot(perp as u16)?;
        let p = &a.perp_positions[slot];
        Some((p.base, p.quote.get().to_num::<f64>()))
    }
}
