//! `Protocol` as a [`Chain`] (see `context.rs` for `TestContext`'s), so the keeper, CLI and
//! bootstrap code run against the test validator with every invariant checked after each
//! transaction they send.

use super::context::TxError;
use super::protocol::Protocol;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use cross_margin_client::chain::{Chain, ChainError, Memcmp};
use cross_margin_client::fees::Urgency;
use cross_margin_client::lookup_table::AddressLookupTableAccount;
use cross_margin_client::send::{DryRun, SendOptions, Simulation, DRY_RUN_SIGNATURE};
use solana_account::Account;
use solana_keypair::Keypair;

impl Chain for Protocol {
    fn payer(&self) -> &Keypair {
        self.tc.payer()
    }

    async fn account(&mut self, key: &Pubkey) -> Result<Option<Account>, ChainError> {
        Chain::account(&mut self.tc, key).await
    }

    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, ChainError> {
        self.tc.accounts(keys).await
    }

    async fn owned_accounts(
        &mut self,
        program: &Pubkey,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, ChainError> {
        self.tc.owned_accounts(program, filters).await
    }

    /// Sends through `Protocol::step`, so every invariant is checked after it.
    async fn send_with(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        _urgency: Urgency,
    ) -> Result<String, ChainError> {
        let dry_run = self.tc.chain.send_options().is_some_and(|o| o.dry_run);
        self.step(ixs, signers)
            .await
            .map(|()| if dry_run { DRY_RUN_SIGNATURE } else { "local" }.into())
            .map_err(TxError::into_chain_error)
    }

    async fn simulate(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Simulation, ChainError> {
        self.tc.simulate(ixs, signers).await
    }

    async fn recent_prioritization_fees(
        &mut self,
        writable: &[Pubkey],
    ) -> Result<Vec<u64>, ChainError> {
        self.tc.recent_prioritization_fees(writable).await
    }

    fn set_send_options(&mut self, options: SendOptions) {
        self.tc.set_send_options(options);
    }

    fn take_dry_runs(&mut self) -> Vec<DryRun> {
        self.tc.take_dry_runs()
    }

    fn set_lookup_tables(&mut self, tables: Vec<AddressLookupTableAccount>) {
        self.tc.set_lookup_tables(tables);
    }

    fn lookup_tables(&self) -> &[AddressLookupTableAccount] {
        self.tc.lookup_tables()
    }

    async fn unix_timestamp(&mut self) -> Result<i64, ChainError> {
        Ok(self.tc.now().await)
    }

    async fn slot(&mut self) -> Result<u64, ChainError> {
        self.tc.slot().await
    }

    async fn wait_for_slot(&mut self, slot: u64) -> Result<(), ChainError> {
        self.tc.wait_for_slot(slot).await
    }
}
