//! Admin and crank actions of the test protocol: tightening edits, the timelocked queue, and
//! the permissionless cranks that feed stable prices.

use super::context::TxError;
use super::protocol::Protocol;
use anchor_lang::prelude::Pubkey;
use cross_margin::state::{BankConfig, Group, PendingChange};
use cross_margin_client::{builders, pda};

impl Protocol {
    pub async fn group_state(&mut self) -> Group {
        let group = self.group;
        self.tc.load(group).await
    }

    /// The bank's current config.
    pub async fn bank_config(&mut self, idx: usize) -> BankConfig {
        self.bank_state(idx).await.config().expect("valid config")
    }

    /// `bank_edit` by the admin with the bank's own oracle.
    pub async fn edit_bank(&mut self, idx: usize, config: BankConfig) -> Result<(), TxError> {
        let b = &self.banks[idx];
        let ix = builders::bank_edit(
            &self.admin(),
            &self.group,
            &b.bank,
            &b.oracle,
            config,
            &self.other_banks(Some(idx)),
        );
        self.step(&[ix], &[]).await
    }

    /// Queue `config` for bank `idx` (with `oracle`, default the bank's own); returns the
    /// change's address.
    pub async fn queue_bank_edit(
        &mut self,
        idx: usize,
        config: BankConfig,
        oracle: Option<Pubkey>,
    ) -> Result<Pubkey, TxError> {
        let id = self.group_state().await.change_count;
        let b = &self.banks[idx];
        let ix = builders::bank_queue_edit(
            &self.admin(),
            &self.group,
            &b.bank,
            &oracle.unwrap_or(b.oracle),
            id,
            config,
            &self.other_banks(Some(idx)),
        );
        self.step(&[ix], &[]).await?;
        Ok(pda::change(&self.group, id))
    }

    /// Apply a queued bank change (permissionless: sent by the payer, signing nothing).
    pub async fn apply_bank_edit(&mut self, idx: usize, change: Pubkey) -> Result<(), TxError> {
        let pending: PendingChange = self.tc.load_anchor(change).await;
        let cross_margin::state::ChangeKind::Bank(c) = pending.change else {
            panic!("not a bank change");
        };
        let ix = builders::bank_apply_edit(
            &self.group,
            &self.banks[idx].bank,
            &c.oracle,
            &change,
            &pending.payer,
            &self.other_banks(Some(idx)),
        );
        self.step(&[ix], &[]).await
    }

    /// Feed bank `idx`'s oracle to its stable price and breaker (the keeper's crank).
    pub async fn crank(&mut self, idx: usize) -> Result<(), TxError> {
        let b = &self.banks[idx];
        let ix = builders::bank_accrue_interest_with_oracle(&b.bank, &b.oracle);
        self.step(&[ix], &[]).await
    }
}
