//! SPL Token / Token-2022 helpers on the test context, delegating to the client's
//! `local::spl` functions (the same ones the CLI demo uses).

use super::context::{TestContext, TxError};
use anchor_lang::prelude::Pubkey;
use cross_margin_client::local::spl;
pub use cross_margin_client::local::spl::{MintExtension, TOKEN, TOKEN_2022};

impl TestContext {
    /// Create a mint whose mint and freeze authority is the payer.
    pub async fn create_mint(&mut self, decimals: u8, program: Pubkey) -> Pubkey {
        self.create_mint_with(decimals, program, &[])
            .await
            .expect("mint created")
    }

    pub async fn create_mint_with(
        &mut self,
        decimals: u8,
        program: Pubkey,
        extensions: &[MintExtension],
    ) -> Result<Pubkey, TxError> {
        spl::create_mint(self, decimals, program, extensions)
            .await
            .map_err(|e| TxError::Other(e.to_string()))
    }

    /// Create a token account of `mint` owned by `owner` (a fresh keypair address).
    pub async fn create_token_account(&mut self, owner: &Pubkey, mint: &Pubkey) -> Pubkey {
        spl::create_token_account(self, owner, mint)
            .await
            .expect("token account created")
    }

    pub async fn mint_to(&mut self, mint: &Pubkey, to: &Pubkey, amount: u64) {
        spl::mint_to(self, mint, to, amount).await.expect("mint_to");
    }

    /// Freeze a token account (the payer is every test mint's freeze authority).
    pub async fn freeze(&mut self, account: &Pubkey, mint: &Pubkey) {
        spl::freeze(self, account, mint).await.expect("freeze");
    }

    /// Token amount held by a token account (either program).
    pub async fn token_balance(&mut self, account: Pubkey) -> u64 {
        spl::balance(self, &account).await.expect("balance")
    }
}
