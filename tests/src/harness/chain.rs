//! `Protocol` as a [`Chain`], so the keeper, CLI and bootstrap code run against the test
//! validator with every invariant checked after each transaction they send.

use super::context::TxError;
use super::protocol::Protocol;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use cross_margin_client::chain::{error_name, Chain, ChainError, Memcmp};
use solana_account::Account;
use solana_keypair::Keypair;
use solana_transaction_error::TransactionError;

impl Chain for Protocol {
    fn payer(&self) -> &Keypair {
        self.tc.payer()
    }

    async fn account(&mut self, key: &Pubkey) -> Result<Option<Account>, ChainError> {
        Ok(self.tc.account(*key).await)
    }

    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, ChainError> {
        let mut out = vec![];
        for k in keys {
            out.push(self.tc.account(*k).await);
        }
        Ok(out)
    }

    /// Discovery over the accounts this fixture knows: its banks and users' margin accounts.
    async fn program_accounts(
        &mut self,
        filters: &[Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, ChainError> {
        let keys: Vec<Pubkey> = self
            .banks
            .iter()
            .map(|b| b.bank)
            .chain(self.users.iter().map(|u| u.account))
            .collect();
        let mut out = vec![];
        for key in keys {
            if let Some(a) = self.tc.account(key).await {
                if a.owner == cross_margin::ID && filters.iter().all(|f| f.matches(&a.data)) {
                    out.push((key, a));
                }
            }
        }
        Ok(out)
    }

    async fn send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<String, ChainError> {
        match self.step(ixs, signers).await {
            Ok(()) => Ok("local".into()),
            Err(TxError::Custom(code)) => Err(ChainError::Program {
                code,
                name: error_name(code),
            }),
            Err(TxError::Instruction(e)) => Err(ChainError::Transaction(
                TransactionError::InstructionError(0, e),
            )),
            Err(TxError::Other(s)) => Err(ChainError::Transport(s)),
        }
    }

    async fn unix_timestamp(&mut self) -> Result<i64, ChainError> {
        Ok(self.tc.now().await)
    }
}
