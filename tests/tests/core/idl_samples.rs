//! Samples for the TypeScript check of the IDL (`scripts/check-idl-ts.sh`): the real bytes of
//! a `Group`, a `Bank` and a `MarginAccount` after a small scenario, and the bytes of the
//! `TokenDeposited` event of its last step, each with the field values the Rust side reads
//! from them. The Node script decodes the bytes with the Anchor TypeScript client from the
//! committed IDL and must find the same values.
//!
//! The samples are committed under `idl/samples/`; this test rebuilds them and fails if they
//! differ (`UPDATE_IDL_SAMPLES=1` rewrites them). To be reproducible, every key that ends up
//! in the sampled bytes is fixed: the admin, users and mints are keypairs from constant
//! seeds (the validator's random payer only pays fees and owns nothing sampled), oracles sit
//! at their feed's fixed address, and the clock is set explicitly.
//!
//! Why the event is serialised here rather than read from a log: `emit!` writes its bytes
//! with `sol_log_data`, which anchor-lang compiles to a no-op off the SBF target, so a
//! native-processor run logs nothing. The sample is therefore `anchor_lang::Event::data` of
//! the event the program emits in that step (the exact bytes `emit!` logs as `Program data:`),
//! with every field taken from the scenario: the accounts, the amount and the position's
//! indexed balance read back from the margin account.

use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::{Discriminator, Event};
use anchor_spl::token_2022::spl_token_2022 as t22;
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use cross_margin::events::TokenDeposited;
use cross_margin::guard::{MaintRamp, OutflowWindow, StablePrice};
use cross_margin::math::{I80F48Bytes, I80F48};
use cross_margin::state::{Bank, BankConfig, Group, MarginAccount, PerpPosition, TokenPosition};
use cross_margin_client::builders::{self, BankTokenAccounts};
use cross_margin_client::health_accounts::{self, BankKeys};
use cross_margin_client::pda;
use cross_margin_tests::harness::context::START_TIME;
use cross_margin_tests::harness::pyth::{self, PythPrice};
use cross_margin_tests::harness::tokens::TOKEN;
use cross_margin_tests::harness::TestContext;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use serde_json::{json, Map, Value};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::PathBuf;

const REGENERATE: &str =
    "UPDATE_IDL_SAMPLES=1 cargo test -p cross-margin-tests --test core idl_samples";

/// A field value as the Node check writes what it decodes: public keys in base58, integers
/// up to 32 bits as numbers, wider ones as decimal strings, byte arrays as hex, `I80F48`
/// as its raw bits and the nearest `f64` of bits / 2^48.
trait Canon {
    fn canon(&self) -> Value;
}

impl Canon for Pubkey {
    fn canon(&self) -> Value {
        json!(self.to_string())
    }
}

macro_rules! canon_as {
    (number: $($t:ty),*) => { $(impl Canon for $t { fn canon(&self) -> Value { json!(*self) } })* };
    (string: $($t:ty),*) => { $(impl Canon for $t { fn canon(&self) -> Value { json!(self.to_string()) } })* };
}
canon_as!(number: u8, u16, u32, i32, bool);
canon_as!(string: u64, i64, i128);

impl<const N: usize> Canon for [u8; N] {
    fn canon(&self) -> Value {
        json!(self.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }
}

impl Canon for I80F48Bytes {
    fn canon(&self) -> Value {
        json!({ "bits": self.get().to_bits().to_string(), "value": self.get().to_num::<f64>() })
    }
}

impl<const N: usize> Canon for [TokenPosition; N] {
    fn canon(&self) -> Value {
        Value::Array(self.iter().map(Canon::canon).collect())
    }
}

impl<const N: usize> Canon for [PerpPosition; N] {
    fn canon(&self) -> Value {
        Value::Array(self.iter().map(Canon::canon).collect())
    }
}

/// The canonical object of a struct's fields, named as in the IDL.
macro_rules! fields {
    ($s:expr; $($f:ident),* $(,)?) => {{
        let s = &$s;
        let mut m = Map::new();
        $( m.insert(stringify!($f).to_string(), Canon::canon(&s.$f)); )*
        Value::Object(m)
    }};
}

macro_rules! canon_struct {
    ($t:ty; $($f:ident),* $(,)?) => {
        impl Canon for $t { fn canon(&self) -> Value { fields!(*self; $($f),*) } }
    };
}
canon_struct!(TokenPosition; indexed, token_index, padding);
canon_struct!(PerpPosition; base, quote, funding_snapshot, market_index, active, settle_recorded,
    settle_token_index, padding);
canon_struct!(StablePrice; price, delay_price, interval_average, last_oracle, last_update,
    interval_start, interval_secs, expo, breaker_tripped, padding);
canon_struct!(OutflowWindow; window_start, net, cap);
canon_struct!(MaintRamp; asset_from_bps, liab_from_bps, start, end);

fn group_fields(g: &Group) -> Value {
    fields!(*g; creator, admin, security_admin, group_num, bump, paused, bank_count,
        pending_admin, pending_admin_at, pause_expires_at, change_count, timelock_secs,
        maint_ramp_secs, pause_duration_secs, live, padding, went_live_at, reserved)
}

fn bank_fields(b: &Bank) -> Value {
    fields!(*b; group, mint, vault, insurance_vault, oracle, oracle_feed_id, token_program,
        deposit_index, borrow_index, indexed_deposits, indexed_borrows, collected_fees,
        last_accrual_ts, deposit_limit, borrow_limit, max_staleness_secs, util0_bps, rate0_bps,
        util1_bps, rate1_bps, max_rate_bps, protocol_fee_bps, loan_origination_fee_bps,
        liquidation_fee_bps, liquidation_insurance_share_bps, init_asset_weight_bps,
        maint_asset_weight_bps, maint_liab_weight_bps, init_liab_weight_bps, max_conf_bps,
        token_index, decimals, oracle_kind, reduce_only, bump, vault_bump, insurance_bump,
        last_valid_price, last_valid_conf, last_valid_publish_time, last_valid_expo, padding,
        unrecoverable_bad_debt, stable, outflow, maint_ramp, stable_growth_bps,
        breaker_band_bps, net_outflow_limit_bps, outflow_window_secs, reserved)
}

fn margin_account_fields(a: &MarginAccount) -> Value {
    fields!(*a; group, owner, delegate, account_num, bump, being_liquidated, padding,
        token_positions, perp_positions, reserved)
}

/// A keypair from a constant seed, so its address is the same on every run.
fn fixed_keypair(seed: u8) -> Keypair {
    Keypair::new_from_array([seed; 32])
}

/// One listed token: its mint (fixed address), decimals, feed and bank.
struct Token {
    mint: Keypair,
    decimals: u8,
    feed_id: [u8; 32],
    dollars: f64,
    bank: Pubkey,
}

impl Token {
    fn oracle(&self) -> Pubkey {
        pyth::pull_address(&self.feed_id)
    }

    fn accounts(&self) -> BankTokenAccounts {
        BankTokenAccounts {
            bank: self.bank,
            vault: pda::vault(&self.bank),
            mint: self.mint.pubkey(),
            token_program: TOKEN,
        }
    }
}

/// The scenario's validator, group and tokens.
struct Scenario {
    tc: TestContext,
    admin: Keypair,
    group: Pubkey,
    tokens: Vec<Token>,
}

/// A user with a margin account (number 0) and a wallet per token.
struct User {
    key: Keypair,
    account: Pubkey,
    wallets: Vec<Pubkey>,
}

const USDC: usize = 0;
const SOL: usize = 1;

impl Scenario {
    /// A group (admin from a fixed seed) with a USDC and a SOL bank, live.
    async fn start() -> Self {
        let admin = fixed_keypair(1);
        let group = pda::group(&admin.pubkey(), 0);
        let listed = [("idl-sample-usdc", 6, 1.0), ("idl-sample-sol", 9, 150.0)];
        let tokens = listed
            .into_iter()
            .enumerate()
            .map(|(i, (feed, decimals, dollars))| Token {
                mint: fixed_keypair(2 + i as u8),
                decimals,
                feed_id: pyth::feed_id(feed),
                dollars,
                bank: pda::bank(&group, i as u16),
            })
            .collect();
        let mut s = Scenario {
            tc: TestContext::start(vec![]).await,
            admin,
            group,
            tokens,
        };
        let admin = s.admin.insecure_clone();
        let key = admin.pubkey();
        let payer = s.tc.payer_key();
        let fund = solana_system_interface::instruction::transfer(&payer, &key, 10_000_000_000);
        s.send(&[fund], &[]).await;
        let security_admin = fixed_keypair(4).pubkey();
        let ix = builders::group_create(&key, 0, &security_admin);
        s.send(&[ix], &[&admin]).await;
        s.publish_prices().await;
        let config = BankConfig {
            loan_origination_fee_bps: 5,
            ..BankConfig::DEFAULT
        };
        for i in 0..s.tokens.len() {
            s.create_mint(i).await;
            let others: Vec<Pubkey> = s.tokens[..i].iter().map(|t| t.bank).collect();
            let t = &s.tokens[i];
            let (mint, oracle) = (t.mint.pubkey(), t.oracle());
            let ix = builders::bank_register(
                &key, &group, &mint, &TOKEN, &oracle, i as u16, config, &others,
            );
            s.send(&[ix], &[&admin]).await;
        }
        s.send(&[builders::group_go_live(&key, &group)], &[&admin])
            .await;
        s
    }

    async fn send(
        &mut self,
        ixs: &[anchor_lang::solana_program::instruction::Instruction],
        signers: &[&Keypair],
    ) {
        self.tc
            .send(ixs, signers)
            .await
            .unwrap_or_else(|e| panic!("scenario step failed: {e:?}"));
    }

    /// Publish every token's price, fresh now.
    async fn publish_prices(&mut self) {
        let now = self.tc.now().await;
        for t in &self.tokens {
            let account = pyth::pull_account(
                t.feed_id,
                PythPrice::usd(t.dollars, 10, now),
                VerificationLevel::Full,
            );
            self.tc.set_account(&t.oracle(), account);
        }
    }

    /// A mint at the token's fixed address (authority: the payer, which mints test funds).
    async fn create_mint(&mut self, token: usize) {
        let payer = self.tc.payer_key();
        let t = &self.tokens[token];
        let mint = t.mint.pubkey();
        let space = anchor_spl::token::Mint::LEN;
        let rent = anchor_lang::prelude::Rent::default().minimum_balance(space);
        let ixs = [
            solana_system_interface::instruction::create_account(
                &payer,
                &mint,
                rent,
                space as u64,
                &TOKEN,
            ),
            t22::instruction::initialize_mint2(&TOKEN, &mint, &payer, None, t.decimals)
                .expect("ix"),
        ];
        let signer = t.mint.insecure_clone();
        self.send(&ixs, &[&signer]).await;
    }

    /// A user from a fixed seed with SOL for fees, a margin account and `funds[i]` of token i.
    async fn add_user(&mut self, seed: u8, funds: &[u64]) -> User {
        let key = fixed_keypair(seed);
        let owner = key.pubkey();
        let payer = self.tc.payer_key();
        let fund = solana_system_interface::instruction::transfer(&payer, &owner, 1_000_000_000);
        self.send(&[fund], &[]).await;
        let ix = builders::account_create(&owner, &self.group, 0);
        self.send(&[ix], &[&key]).await;
        let mut wallets = vec![];
        for (i, amount) in funds.iter().enumerate() {
            let mint = self.tokens[i].mint.pubkey();
            let wallet = self.tc.create_token_account(&owner, &mint).await;
            self.tc.mint_to(&mint, &wallet, *amount).await;
            wallets.push(wallet);
        }
        let account = pda::margin_account(&self.group, &owner, 0);
        User {
            key,
            account,
            wallets,
        }
    }

    async fn deposit(&mut self, user: &User, token: usize, amount: u64) {
        let t = self.tokens[token].accounts();
        let ix = builders::token_deposit(
            &user.key.pubkey(),
            &user.account,
            &t,
            &user.wallets[token],
            amount,
        );
        self.send(&[ix], &[&user.key]).await;
    }

    /// Withdraw with borrowing allowed, the health accounts laid out as the program expects.
    async fn borrow(&mut self, user: &User, token: usize, amount: u64) {
        let a: MarginAccount = self.tc.load(user.account).await;
        let slots = health_accounts::with_new_position(&a, token as u16);
        let keys: Vec<BankKeys> = self
            .tokens
            .iter()
            .map(|t| BankKeys {
                bank: t.bank,
                oracle: t.oracle(),
            })
            .collect();
        let health: Vec<AccountMeta> =
            health_accounts::metas(&slots, |i| keys.get(i as usize).copied()).expect("known banks");
        let t = self.tokens[token].accounts();
        let ix = builders::token_withdraw(
            &user.key.pubkey(),
            &self.group,
            &user.account,
            &t,
            &user.wallets[token],
            amount,
            true,
            health,
        );
        self.send(&[ix], &[&user.key]).await;
    }

    /// The sample of a program account: its bytes and the fields Rust reads from them.
    async fn account_sample(&mut self, name: &str, key: Pubkey) -> Value {
        let data = self.tc.account(key).await.expect("sampled account").data;
        let fields = match name {
            "Group" => group_fields(&bytemuck::pod_read_unaligned(&data[8..Group::SPACE])),
            "Bank" => bank_fields(&bytemuck::pod_read_unaligned(&data[8..Bank::SPACE])),
            "MarginAccount" => margin_account_fields(&bytemuck::pod_read_unaligned(
                &data[8..MarginAccount::SPACE],
            )),
            other => panic!("no sample layout for {other}"),
        };
        json!({
            "kind": "account",
            "name": name,
            "address": key.to_string(),
            "data_base64": B64.encode(&data),
            "fields": fields,
        })
    }
}

/// Runs the scenario: a lender deposits USDC; a borrower deposits SOL, borrows USDC, and 30
/// days later repays part of it. Returns the samples, by file name.
async fn samples() -> Vec<(&'static str, Value)> {
    let mut s = Scenario::start().await;
    let lender = s.add_user(5, &[10_000_000_000, 0]).await;
    s.deposit(&lender, USDC, 10_000_000_000).await;
    let borrower = s.add_user(6, &[0, 100_000_000_000]).await;
    s.deposit(&borrower, SOL, 100_000_000_000).await;
    s.borrow(&borrower, USDC, 2_000_000_000).await;

    // A month of interest, then a partial repay.
    s.tc.set_time(START_TIME + 30 * 86_400).await;
    s.publish_prices().await;
    let repay = 500_000_000;
    s.deposit(&borrower, USDC, repay).await;

    let bank = s.tokens[USDC].bank;
    let margin: MarginAccount = s.tc.load(borrower.account).await;
    let slot = margin.position_slot(USDC as u16).expect("USDC position");
    let indexed = margin.token_positions[slot].indexed.get();
    // Still a borrow after it: the whole amount went to repaying.
    assert!(indexed < I80F48::ZERO, "the repay left part of the borrow");
    let event = TokenDeposited {
        account: borrower.account,
        bank,
        depositor: borrower.key.pubkey(),
        amount: repay,
        repaid: repay,
        indexed_balance: indexed.to_bits(),
    };
    let data = event.data();
    assert_eq!(&data[..8], TokenDeposited::DISCRIMINATOR);
    let event_sample = json!({
        "kind": "event",
        "name": "TokenDeposited",
        "program_id": cross_margin::ID.to_string(),
        "data_base64": B64.encode(&data),
        "fields": fields!(event; account, bank, depositor, amount, repaid, indexed_balance),
    });
    let group = s.group;
    vec![
        ("group.json", s.account_sample("Group", group).await),
        ("bank.json", s.account_sample("Bank", bank).await),
        (
            "margin_account.json",
            s.account_sample("MarginAccount", borrower.account).await,
        ),
        ("event_token_deposited.json", event_sample),
    ]
}

fn samples_dir() -> PathBuf {
    cross_margin_tests::repo_file("idl/samples")
}

#[tokio::test]
async fn idl_samples_match_the_program() {
    let update = std::env::var_os("UPDATE_IDL_SAMPLES").is_some_and(|v| v == "1");
    let dir = samples_dir();
    let mut stale = vec![];
    for (file, sample) in samples().await {
        let mut text = serde_json::to_string_pretty(&sample).expect("json");
        text.push('\n');
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).expect("create idl/samples");
            std::fs::write(&path, &text)
                .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(format!("idl/samples/{file}"));
        }
    }
    assert!(
        stale.is_empty(),
        "not what the program produces now (or missing): {}; regenerate with: {REGENERATE}",
        stale.join(", ")
    );
}

#[tokio::test]
async fn idl_samples_are_reproducible() {
    let (first, second) = (samples().await, samples().await);
    for ((file, a), (_, b)) in first.iter().zip(&second) {
        assert_eq!(a, b, "{file} differs between two runs of the same scenario");
    }
}
