//! `Protocol` as a [`Chain`] (see `context.rs` for `TestContext`'s), so the keeper, CLI and
//! bootstrap code run against the test validator with every invariant checked after each
//! transaction they send.

use super::context::{TestContext, TxError};
use super::protocol::Protocol;
use anchor_lang::solana_program::instruction::Instruction;
use cross_margin_client::chain::{ChainError, ChainLayer};
use cross_margin_client::fees::Urgency;
use cross_margin_client::send::DRY_RUN_SIGNATURE;
use solana_keypair::Keypair;

impl ChainLayer for Protocol {
    type Inner = TestContext;

    fn inner(&self) -> &TestContext {
        &self.tc
    }

    fn inner_mut(&mut self) -> &mut TestContext {
        &mut self.tc
    }

    /// Sends through `Protocol::step`, so every invariant is checked after it.
    async fn layer_send(
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

    async fn layer_unix_timestamp(&mut self) -> Result<i64, ChainError> {
        Ok(self.tc.now().await)
    }
}
