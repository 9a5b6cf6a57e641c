//! Liquidation-side actions of the test protocol, and off-chain health computed with the
//! program's own engine (the same code a keeper runs).

use super::context::TxError;
use super::protocol::Protocol;
use anchor_lang::prelude::AccountMeta;
use anchor_lang::solana_program::instruction::Instruction;
use cross_margin::health::Health;
use cross_margin_client::builders::{self, AssetBankAccounts};
use cross_margin_client::health_accounts::{self, BankKeys};
use cross_margin_client::snapshot::GroupSnapshot;
use solana_keypair::Keypair;
use solana_signer::Signer;

impl Protocol {
    pub fn asset_accounts(&self, bank: usize) -> AssetBankAccounts {
        let b = &self.banks[bank];
        AssetBankAccounts {
            bank: b.bank,
            vault: b.vault,
            insurance_vault: b.insurance_vault,
            mint: b.mint,
            token_program: b.token_program,
        }
    }

    pub(crate) fn lookup(&self) -> impl Fn(u16) -> Option<BankKeys> + '_ {
        move |ti| {
            self.banks
                .iter()
                .find(|b| b.token_index == ti)
                .map(|b| BankKeys {
                    bank: b.bank,
                    oracle: b.oracle,
                })
        }
    }

    /// Init and maint health of `user`'s account now, computed off-chain with the program's
    /// health engine from the raw bank and oracle accounts, with each bank's interest accrued
    /// to now in memory (exactly what the next instruction would see). `None` if an oracle
    /// is invalid.
    pub async fn health(&mut self, user: usize) -> Option<Health> {
        let account = self.margin_account(user).await;
        let now = self.tc.now().await;
        // The client's snapshot does the accrual, oracle checks and pricing; only the banks
        // of this account's positions are loaded.
        let mut snapshot = GroupSnapshot {
            group: self.group,
            now,
            banks: Default::default(),
            perps: Default::default(),
        };
        for (_, position) in account.active_positions() {
            let b = self
                .banks
                .iter()
                .find(|b| b.token_index == position.token_index)?
                .clone();
            let bank = self.bank_state(b.token_index as usize).await;
            let oracle = self.tc.account(b.oracle).await.map(|a| (a.owner, a.data));
            snapshot.insert(b.bank, bank, oracle);
        }
        for (_, position) in account.active_perps() {
            let m = self.perps.get(position.market_index as usize)?.accounts;
            let market = self.tc.load(m.market).await;
            let oracle = self.tc.account(m.oracle).await.map(|a| (a.owner, a.data));
            snapshot.insert_perp(m.market, market, oracle);
        }
        snapshot.health(&account).ok()
    }

    /// `liquidator` takes up to `max` of `liquidatee`'s debt in `liab` for its `asset`.
    pub async fn liquidate(
        &mut self,
        liquidator: usize,
        liquidatee: usize,
        asset: usize,
        liab: usize,
        max: u64,
    ) -> Result<(), TxError> {
        let (ix, key) = self
            .liquidate_ix(liquidator, liquidatee, asset, liab, max)
            .await;
        self.step(&[ix], &[&key]).await
    }

    /// The liquidation instruction [`Protocol::liquidate`] sends, and its signer.
    pub async fn liquidate_ix(
        &mut self,
        liquidator: usize,
        liquidatee: usize,
        asset: usize,
        liab: usize,
        max: u64,
    ) -> (Instruction, Keypair) {
        let liqee = self.margin_account(liquidatee).await;
        let liqor = self.margin_account(liquidator).await;
        let tokens = [self.banks[asset].token_index, self.banks[liab].token_index];
        let mut health: Vec<AccountMeta> = self.metas_for(&liqee, &[], None);
        health.extend(self.metas_for(&liqor, &tokens, None));
        let key = self.users[liquidator].key.insecure_clone();
        let ix = builders::token_liquidate(
            &key.pubkey(),
            &self.group,
            &self.users[liquidator].account,
            &self.users[liquidatee].account,
            &self.banks[asset].bank,
            &self.banks[liab].bank,
            max,
            health,
        );
        (ix, key)
    }

    pub async fn resolve_bankruptcy(&mut self, user: usize, bank: usize) -> Result<(), TxError> {
        let account = self.margin_account(user).await;
        let slots = account.token_positions.map(|p| p.token_index);
        let banks = health_accounts::bank_metas(&slots, self.lookup()).expect("known banks");
        let ix = builders::token_resolve_bankruptcy(
            &self.group,
            &self.users[user].account,
            &self.asset_accounts(bank),
            banks,
        );
        self.step(&[ix], &[]).await
    }

    /// Move `bank`'s collected fees to its insurance vault (permissionless crank).
    pub async fn sweep_fees(&mut self, bank: usize) -> Result<(), TxError> {
        let ix = builders::bank_sweep_fees(&self.group, &self.asset_accounts(bank));
        self.step(&[ix], &[]).await
    }

    /// Mint `amount` to `user` and pay it into `bank`'s insurance fund.
    pub async fn fund_insurance(
        &mut self,
        user: usize,
        bank: usize,
        amount: u64,
    ) -> Result<(), TxError> {
        let (mint, wallet) = (self.banks[bank].mint, self.users[user].wallets[bank]);
        self.tc.mint_to(&mint, &wallet, amount).await;
        let key = self.users[user].key.insecure_clone();
        let ix =
            builders::insurance_deposit(&key.pubkey(), &self.asset_accounts(bank), &wallet, amount);
        self.step(&[ix], &[&key]).await
    }
}
