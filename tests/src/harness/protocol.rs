//! A group with banks, oracles and users, and one method per user action. Every action
//! runs the invariant checks afterwards, whether it succeeded or failed.

use super::context::{TestContext, TxError};
use super::invariants::Invariants;
use super::pyth::{self, PythPrice};
use super::tokens::TOKEN;
use anchor_lang::prelude::Pubkey;
use cross_margin::state::{Bank, BankConfig, MarginAccount, OracleKind};
use cross_margin_client::builders::{self, BankTokenAccounts};
use cross_margin_client::pda;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The tests' default bank: `BankConfig::DEFAULT` with a 5 % liquidation fee and a net
/// outflow limit that never binds (100 % of deposits per window), so tests about other
/// things can move whole balances in one hour; the outflow tests set a real limit.
pub fn default_config() -> BankConfig {
    BankConfig {
        liquidation_fee_bps: 500,
        net_outflow_limit_bps: 10_000,
        ..BankConfig::DEFAULT
    }
}

#[derive(Clone, Debug)]
pub struct BankSetup {
    pub token_index: u16,
    pub mint: Pubkey,
    pub decimals: u8,
    pub token_program: Pubkey,
    pub bank: Pubkey,
    pub vault: Pubkey,
    pub insurance_vault: Pubkey,
    pub oracle: Pubkey,
    pub kind: OracleKind,
    pub feed_id: [u8; 32],
}

impl BankSetup {
    pub fn token_accounts(&self) -> BankTokenAccounts {
        BankTokenAccounts {
            bank: self.bank,
            vault: self.vault,
            mint: self.mint,
            token_program: self.token_program,
        }
    }
}

pub struct User {
    pub key: Keypair,
    pub account: Pubkey,
    /// Token account per bank, indexed like `Protocol::banks`.
    pub wallets: Vec<Pubkey>,
}

pub struct Protocol {
    pub tc: TestContext,
    pub security_admin: Keypair,
    pub group: Pubkey,
    pub banks: Vec<BankSetup>,
    pub users: Vec<User>,
    pub invariants: Invariants,
    /// Perp markets, indexed by perp index (see `harness::perps`).
    pub perps: Vec<super::perps::PerpSetup>,
}

impl Protocol {
    /// A fresh validator with an empty group whose admin is the payer.
    pub async fn new() -> Self {
        Self::with_accounts(vec![]).await
    }

    pub async fn with_accounts(extra: Vec<(Pubkey, solana_account::Account)>) -> Self {
        let mut tc = TestContext::start(extra).await;
        let security_admin = Keypair::new();
        let admin = tc.payer_key();
        let ix = builders::group_create(&admin, 0, &security_admin.pubkey());
        tc.send(&[ix], &[]).await.expect("group_create");
        Self {
            tc,
            security_admin,
            group: pda::group(&admin, 0),
            banks: vec![],
            users: vec![],
            invariants: Invariants::default(),
            perps: vec![],
        }
    }

    pub fn admin(&self) -> Pubkey {
        self.tc.payer_key()
    }

    /// Register a bank for a new mint at `dollars` per token (pull oracle, fresh now).
    pub async fn add_bank(&mut self, decimals: u8, dollars: f64, config: BankConfig) -> usize {
        self.add_bank_with(decimals, TOKEN, dollars, config)
            .await
            .expect("bank_register")
    }

    pub async fn add_bank_with(
        &mut self,
        decimals: u8,
        token_program: Pubkey,
        dollars: f64,
        config: BankConfig,
    ) -> Result<usize, TxError> {
        let mint = self.tc.create_mint(decimals, token_program).await;
        self.register(mint, decimals, token_program, config, Some(dollars), None)
            .await
    }

    /// Register `mint`. With `dollars`, a managed test oracle is written first; otherwise
    /// `existing_oracle` (e.g. a mainnet fixture) is used as is.
    pub async fn register(
        &mut self,
        mint: Pubkey,
        decimals: u8,
        token_program: Pubkey,
        config: BankConfig,
        dollars: Option<f64>,
        existing_oracle: Option<Pubkey>,
    ) -> Result<usize, TxError> {
        let token_index = self.banks.len() as u16;
        let feed_id = pyth::feed_id(&format!("feed-{token_index}"));
        let oracle = existing_oracle.unwrap_or_else(|| match config.oracle_kind {
            OracleKind::PythPull => pyth::pull_address(&feed_id),
            OracleKind::PythLegacy => Pubkey::new_unique(),
        });
        let bank = pda::bank(&self.group, token_index);
        let setup = BankSetup {
            token_index,
            mint,
            decimals,
            token_program,
            bank,
            vault: pda::vault(&bank),
            insurance_vault: pda::insurance_vault(&bank),
            oracle,
            kind: config.oracle_kind,
            feed_id,
        };
        self.banks.push(setup);
        let idx = self.banks.len() - 1;
        if let Some(dollars) = dollars {
            self.set_price(idx, dollars, 0).await;
        }
        let admin = self.admin();
        let ix = builders::bank_register(
            &admin,
            &self.group,
            &mint,
            &token_program,
            &oracle,
            token_index,
            config,
            &self.other_banks(Some(idx)),
        );
        if let Err(e) = self.tc.send(&[ix], &[]).await {
            self.banks.pop();
            return Err(e);
        }
        for user in 0..self.users.len() {
            let owner = self.users[user].key.pubkey();
            let wallet = self.tc.create_token_account(&owner, &mint).await;
            self.users[user].wallets.push(wallet);
        }
        Ok(idx)
    }

    /// Every registered bank's address except `except` (what `bank_register` and
    /// `bank_edit` must be given).
    pub fn other_banks(&self, except: Option<usize>) -> Vec<Pubkey> {
        self.banks
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != except)
            .map(|(_, b)| b.bank)
            .collect()
    }

    /// Publish a price for bank `idx` now, with confidence `conf_bps` of the price.
    pub async fn set_price(&mut self, idx: usize, dollars: f64, conf_bps: u64) {
        let now = self.tc.now().await;
        self.set_raw_price(idx, PythPrice::usd(dollars, conf_bps, now))
            .await;
    }

    pub async fn set_raw_price(&mut self, idx: usize, p: PythPrice) {
        let b = &self.banks[idx];
        let account = match b.kind {
            OracleKind::PythPull => pyth::pull_account(b.feed_id, p, VerificationLevel::Full),
            OracleKind::PythLegacy => pyth::legacy_account(p, true),
        };
        let oracle = b.oracle;
        self.tc.set_account(&oracle, account);
    }

    /// A user with a margin account, a wallet per bank, SOL for fees, and `funds` minted.
    pub async fn add_user(&mut self, funds: &[(usize, u64)]) -> usize {
        let key = Keypair::new();
        let owner = key.pubkey();
        let payer = self.admin();
        let fund = solana_system_interface::instruction::transfer(&payer, &owner, 1_000_000_000);
        self.tc.send(&[fund], &[]).await.expect("fund user");
        self.go_live().await;
        let ix = builders::account_create(&owner, &self.group, 0);
        self.tc.send(&[ix], &[&key]).await.expect("account_create");
        let mut wallets = vec![];
        for b in self.banks.clone() {
            wallets.push(self.tc.create_token_account(&owner, &b.mint).await);
        }
        for &(bank, amount) in funds {
            let mint = self.banks[bank].mint;
            self.tc.mint_to(&mint, &wallets[bank], amount).await;
        }
        self.users.push(User {
            account: pda::margin_account(&self.group, &owner, 0),
            key,
            wallets,
        });
        self.users.len() - 1
    }

    /// End the group's setup phase (once): margin accounts may be opened, and from now on
    /// loosening changes wait out the timelock and new banks start at asset weight 0.
    /// `add_user` calls it, so a test's banks registered before its first user are set up
    /// freely, as a deployment would be.
    pub async fn go_live(&mut self) {
        let group: cross_margin::state::Group = self.tc.load(self.group).await;
        if !group.is_live() {
            let ix = builders::group_go_live(&self.admin(), &self.group);
            self.tc.send(&[ix], &[]).await.expect("group_go_live");
        }
    }

    pub async fn margin_account(&mut self, user: usize) -> MarginAccount {
        let key = self.users[user].account;
        self.tc.load(key).await
    }

    pub async fn bank_state(&mut self, idx: usize) -> Bank {
        let key = self.banks[idx].bank;
        self.tc.load(key).await
    }

    /// Health accounts for `user`, including the slot a new position in `token` would take.
    pub async fn health_metas(
        &mut self,
        user: usize,
        token: Option<usize>,
    ) -> Vec<anchor_lang::prelude::AccountMeta> {
        self.full_metas(user, token, None).await
    }

    /// Send, then check every invariant (a failure must have changed nothing).
    pub async fn step(
        &mut self,
        ixs: &[anchor_lang::solana_program::instruction::Instruction],
        signers: &[&Keypair],
    ) -> Result<(), TxError> {
        let before = Invariants::snapshot(self).await;
        let perps_before = super::perp_invariants::PerpBefore::capture(self, ixs).await;
        let result = self.tc.send(ixs, signers).await;
        let touched: Vec<Pubkey> = ixs
            .iter()
            .flat_map(|ix| ix.accounts.iter().map(|m| m.pubkey))
            .collect();
        let socialises = ixs.iter().any(|ix| {
            ix.data.starts_with(
                <cross_margin::instruction::TokenResolveBankruptcy as anchor_lang::Discriminator>::DISCRIMINATOR,
            )
        });
        Invariants::after_step(self, &touched, result.is_ok(), socialises).await;
        if let Some(perps_before) = perps_before {
            perps_before.check(self, ixs, result.is_ok()).await;
        }
        if result.is_err() {
            let after = Invariants::snapshot(self).await;
            assert_eq!(
                before, after,
                "a failed transaction changed state: {result:?}"
            );
        }
        result
    }

    /// Deposit from the user's own wallet into the user's own account.
    pub async fn deposit(&mut self, user: usize, bank: usize, amount: u64) -> Result<(), TxError> {
        let u = &self.users[user];
        let ix = builders::token_deposit(
            &u.key.pubkey(),
            &u.account,
            &self.banks[bank].token_accounts(),
            &u.wallets[bank],
            amount,
        );
        let key = u.key.insecure_clone();
        self.step(&[ix], &[&key]).await
    }

    /// Deposit from `payer`'s wallet into `owner`'s account: anyone may add to a position
    /// that exists, only the owner (or delegate) may open one. With `with_health`, `owner`'s
    /// health accounts are appended so the deposit may clear `being_liquidated`.
    pub async fn deposit_into(
        &mut self,
        payer: usize,
        owner: usize,
        bank: usize,
        amount: u64,
        with_health: bool,
    ) -> Result<(), TxError> {
        let health = if with_health {
            self.health_metas(owner, Some(bank)).await
        } else {
            vec![]
        };
        let mut ix = builders::token_deposit(
            &self.users[payer].key.pubkey(),
            &self.users[owner].account,
            &self.banks[bank].token_accounts(),
            &self.users[payer].wallets[bank],
            amount,
        );
        ix.accounts.extend(health);
        let key = self.users[payer].key.insecure_clone();
        self.step(&[ix], &[&key]).await
    }

    /// Withdraw (or borrow, with `allow_borrow`) into the user's own wallet.
    pub async fn withdraw(
        &mut self,
        user: usize,
        bank: usize,
        amount: u64,
        allow_borrow: bool,
    ) -> Result<(), TxError> {
        let health = self.health_metas(user, Some(bank)).await;
        let u = &self.users[user];
        let ix = builders::token_withdraw(
            &u.key.pubkey(),
            &self.group,
            &u.account,
            &self.banks[bank].token_accounts(),
            &u.wallets[bank],
            amount,
            allow_borrow,
            health,
        );
        let key = u.key.insecure_clone();
        self.step(&[ix], &[&key]).await
    }

    /// Signed native balance of the user's position in `bank` now (deposits down, debt up),
    /// with the bank's interest accrued to now in memory.
    pub async fn native_balance(&mut self, user: usize, bank: usize) -> f64 {
        let account = self.margin_account(user).await;
        let now = self.tc.now().await;
        let mut b = self.bank_state(bank).await;
        b.accrue_interest(now).expect("accrue");
        let indexed = account
            .position_slot(b.token_index)
            .map(|s| account.token_positions[s].indexed.get())
            .unwrap_or_default();
        cross_margin::health::engine::native_balance(
            indexed,
            b.deposit_index.get(),
            b.borrow_index.get(),
        )
        .unwrap()
        .to_num::<f64>()
    }

    pub async fn wallet_balance(&mut self, user: usize, bank: usize) -> u64 {
        let w = self.users[user].wallets[bank];
        self.tc.token_balance(w).await
    }
}
