//! The in-process scenario whose accounts the real validator serves: a USDC/SOL market at
//! the wall-clock time (so prices and interest are current on the real validator), five
//! users, SOL crashed from $100 to $60 so two borrowers are liquidatable and one is not;
//! and, beside it, a second group made by the bootstrap, whose lookup table is left out of
//! the plant for the bootstrap to create over RPC.

use anchor_lang::prelude::Pubkey;
use cross_margin::state::BankConfig;
use cross_margin_client::builders;
use cross_margin_client::local::pyth::{self, PythPrice};
use cross_margin_client::rpc::RpcChain;
use cross_margin_tests::harness::scenarios::{sol_config, usdc_config};
use cross_margin_tests::harness::tokens::TOKEN;
use cross_margin_tests::harness::Protocol;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_signer::Signer;
use std::collections::BTreeSet;

pub const USDC: usize = 0;
pub const SOL: usize = 1;
/// User 0 is the lender (100,000 USDC deposited).
pub const LIQUIDATOR: usize = 1;
pub const SAFE: usize = 2;
pub const EDGE: usize = 3;
pub const DEEP: usize = 4;

/// The most staleness a bank accepts: the real validator starts some seconds after the
/// prices are stamped.
const STALENESS: u64 = 900;

pub struct Scenario {
    pub p: Protocol,
    /// Margin accounts with negative maint health after the crash (in-process).
    pub liquidatable: BTreeSet<Pubkey>,
    /// Accounts left out of the plant (the bootstrap group's lookup table).
    pub not_planted: Vec<Pubkey>,
    /// The config the bootstrap made the second group from.
    pub bootstrap_config: cross_margin_migrations::Config,
}

pub fn wall_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

fn fresh(config: BankConfig) -> BankConfig {
    BankConfig {
        max_staleness_secs: STALENESS,
        ..config
    }
}

impl Scenario {
    pub async fn build() -> Self {
        let mut p = Protocol::new().await;
        p.tc.set_time(wall_clock()).await;
        p.add_bank(6, 1.0, fresh(usdc_config())).await;
        p.add_bank(9, 100.0, fresh(sol_config())).await;
        let usdc = |n: u64| n * 1_000_000;
        let sol = |n: u64| n * 1_000_000_000;
        for funds in [
            (USDC, usdc(100_000)),
            (USDC, usdc(100_000)),
            (SOL, sol(10)),
            (SOL, sol(10)),
            (SOL, sol(10)),
        ] {
            let user = p.add_user(&[funds]).await;
            p.deposit(user, funds.0, funds.1).await.unwrap();
        }
        for (user, borrow) in [(SAFE, 200), (EDGE, 600), (DEEP, 700)] {
            p.withdraw(user, USDC, usdc(borrow), true).await.unwrap();
        }
        p.set_price(SOL, 60.0, 0).await;
        p.set_price(USDC, 1.0, 0).await;
        let mut liquidatable = BTreeSet::new();
        for user in 0..p.users.len() {
            let health = p.health(user).await.expect("health");
            if health.maint < 0 {
                liquidatable.insert(p.users[user].account);
            }
        }
        let expected: BTreeSet<Pubkey> = [EDGE, DEEP].map(|u| p.users[u].account).into();
        assert_eq!(
            liquidatable, expected,
            "the crash leaves EDGE and DEEP liquidatable"
        );

        let (bootstrap_config, table) = bootstrap_second_group(&mut p).await;
        Self {
            p,
            liquidatable,
            not_planted: vec![table],
            bootstrap_config,
        }
    }

    /// The protocol's own accounts: group, banks, vaults, oracles, mints, margin accounts.
    pub fn protocol_accounts(&self) -> Vec<Pubkey> {
        let mut keys = vec![self.p.group];
        for b in &self.p.banks {
            keys.extend([b.bank, b.vault, b.insurance_vault, b.oracle, b.mint]);
        }
        keys.extend(self.p.users.iter().map(|u| u.account));
        keys
    }

    /// A USDC deposit of `user` (signed by the user).
    pub fn deposit_ix(&self, user: usize) -> anchor_lang::solana_program::instruction::Instruction {
        let u = &self.p.users[user];
        builders::token_deposit(
            &u.key.pubkey(),
            &u.account,
            &self.p.banks[USDC].token_accounts(),
            &u.wallets[USDC],
            1_000_000,
        )
    }
}

/// A second group (number 5, in setup) made by the bootstrap in-process, with two banks on
/// new mints; returns its config and the lookup table the bootstrap created.
async fn bootstrap_second_group(p: &mut Protocol) -> (cross_margin_migrations::Config, Pubkey) {
    let now = p.tc.now().await;
    let usdc = p.tc.create_mint(6, TOKEN).await;
    let sol = p.tc.create_mint(9, TOKEN).await;
    let oracles = [
        pyth::pull_address(&pyth::feed_id("USDC")),
        pyth::pull_address(&pyth::feed_id("SOL")),
    ];
    for (key, label, price) in [(oracles[0], "USDC", 1.0), (oracles[1], "SOL", 100.0)] {
        p.tc.set_account(
            &key,
            pyth::pull_account(
                pyth::feed_id(label),
                PythPrice::usd(price, 0, now),
                VerificationLevel::Full,
            ),
        );
        p.tc.chain.track(key);
    }
    let text = format!(
        r#"
        group_num = 5
        live = false
        [[banks]]
        token_index = 0
        mint = "{usdc}"
        oracle = "{}"
        [[banks]]
        token_index = 1
        mint = "{sol}"
        oracle = "{}"
        "#,
        oracles[0], oracles[1]
    );
    let config = cross_margin_migrations::parse(&text).expect("config");
    let plan = cross_margin_migrations::bootstrap(p, &config)
        .await
        .expect("bootstrap in-process");
    let table = plan.lookup_table.expect("a lookup table");
    (config, table)
}

/// The compute unit limit and price of a landed transaction, read back from the node.
pub async fn landed_compute_budget(rpc: &RpcChain, signature: &str) -> (u32, u64) {
    use solana_rpc_client_api::config::{
        CommitmentConfig, RpcTransactionConfig, UiTransactionEncoding,
    };
    let sig = signature.parse().expect("a signature");
    let config = RpcTransactionConfig {
        encoding: Some(UiTransactionEncoding::Base64),
        commitment: Some(CommitmentConfig::confirmed()),
        max_supported_transaction_version: Some(0),
    };
    let tx = rpc
        .client()
        .get_transaction_with_config(&sig, config)
        .await
        .expect("getTransaction")
        .transaction
        .transaction
        .decode()
        .expect("a decodable transaction");
    let keys = tx.message.static_account_keys();
    let (mut limit, mut price) = (None, None);
    for ix in tx.message.instructions() {
        if keys[ix.program_id_index as usize] != solana_sdk_ids::compute_budget::ID {
            continue;
        }
        match ix.data.split_first() {
            Some((2, rest)) => limit = Some(u32::from_le_bytes(rest.try_into().unwrap())),
            Some((3, rest)) => price = Some(u64::from_le_bytes(rest.try_into().unwrap())),
            _ => {}
        }
    }
    (
        limit.expect("a compute unit limit"),
        price.expect("a compute unit price"),
    )
}

/// `account show` and `account list --owner` through the CLI's command code over RPC.
pub async fn cli_checks(s: &mut Scenario, rpc: &mut RpcChain) {
    use cross_margin_cli::args::{AccountCmd, Command};
    use cross_margin_cli::output::Format;
    let deep = s.p.users[DEEP].account;
    let report =
        cross_margin_cli::commands::run(rpc, Command::Account(AccountCmd::Show { account: deep }))
            .await
            .expect("account show over RPC");
    let text = report.render(Format::Json);
    assert!(text.contains(&deep.to_string()), "{text}");
    eprintln!(
        "cli: account show over RPC:\n{}",
        report.render(Format::Table)
    );
}
