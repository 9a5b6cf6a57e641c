//! The demo market: group, banks, oracles, going live, the group's lookup table, a keeper
//! account and seeded borrowers.

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Result};
use cross_margin::state::BankConfig;
use cross_margin_client::builders::{self, BankTokenAccounts};
use cross_margin_client::chain::Chain;
use cross_margin_client::local::pyth::{self, PythPrice};
use cross_margin_client::local::{spl, LocalChain};
use cross_margin_client::lookup_table;
use cross_margin_client::pda;
use cross_margin_client::snapshot::{fetch, GroupSnapshot};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// 2026-01-01T00:00:00Z.
pub const START_TIME: i64 = 1_767_225_600;
pub const PRICES: [f64; 3] = [1.0, 100.0, 3_000.0];
pub const DECIMALS: [u8; 3] = [6, 9, 8];
pub const NAMES: [&str; 3] = ["USDC", "SOL", "ETH"];
/// USDC the admin deposits into the USDC bank's insurance vault at setup.
pub const INSURANCE_USDC: f64 = 2_000.0;
/// Each borrower's collateral, dollars at the starting prices.
pub const COLLATERAL_USD: (f64, f64) = (1_000.0, 10_000.0);
/// Each borrower's borrow as a share of its init borrowing power.
pub const LEVERAGE: (f64, f64) = (0.30, 0.98);
/// Share of borrowers holding SOL (the rest hold ETH), and of those the share borrowing
/// ETH (the rest borrow USDC).
pub const SOL_HOLDERS: f64 = 0.7;
pub const ETH_BORROWERS: f64 = 0.25;

pub fn config(i: usize) -> BankConfig {
    let base = BankConfig {
        max_staleness_secs: 120,
        ..BankConfig::DEFAULT
    };
    match i {
        0 => BankConfig {
            init_asset_weight_bps: 9_000,
            maint_asset_weight_bps: 9_500,
            maint_liab_weight_bps: 10_500,
            init_liab_weight_bps: 11_000,
            liquidation_fee_bps: 100,
            ..base
        },
        // A 30 % breaker band: the slide to 72 (−28 % from the stable price of 100) stays
        // inside it, the gap to 45 trips it.
        1 => BankConfig {
            init_asset_weight_bps: 8_500,
            breaker_band_bps: 3_000,
            ..base
        },
        _ => base,
    }
}

pub struct DemoBank {
    pub key: Pubkey,
    pub mint: Pubkey,
    pub vault: Pubkey,
    pub insurance_vault: Pubkey,
    pub oracle: Pubkey,
    pub decimals: u8,
    pub feed: [u8; 32],
}

pub struct Market {
    pub group: Pubkey,
    pub banks: Vec<DemoBank>,
    pub keeper_account: Pubkey,
    pub borrowers: Vec<Pubkey>,
}

fn native(bank: usize, tokens: f64) -> u64 {
    (tokens * 10f64.powi(DECIMALS[bank] as i32)) as u64
}

fn splitmix(seed: &mut u64) -> f64 {
    *seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

impl Market {
    pub async fn create(chain: &mut LocalChain) -> Result<Self> {
        let admin = chain.payer().pubkey();
        chain
            .send(&[builders::group_create(&admin, 0, &admin)], &[])
            .await?;
        let group = pda::group(&admin, 0);
        let mut banks = vec![];
        for i in 0..3 {
            let mint = spl::create_mint(chain, DECIMALS[i], spl::TOKEN, &[]).await?;
            let feed = pyth::feed_id(NAMES[i]);
            let oracle = pyth::pull_address(&feed);
            chain.set_account(
                &oracle,
                pyth::pull_account(
                    feed,
                    PythPrice::usd(PRICES[i], 5, START_TIME),
                    VerificationLevel::Full,
                ),
            );
            chain
                .send(
                    &[builders::bank_register(
                        &admin,
                        &group,
                        &mint,
                        &spl::TOKEN,
                        &oracle,
                        i as u16,
                        config(i),
                        &banks.iter().map(|b: &DemoBank| b.key).collect::<Vec<_>>(),
                    )],
                    &[],
                )
                .await?;
            let key = pda::bank(&group, i as u16);
            banks.push(DemoBank {
                key,
                mint,
                vault: pda::vault(&key),
                insurance_vault: pda::insurance_vault(&key),
                oracle,
                decimals: DECIMALS[i],
                feed,
            });
        }
        // Banks are set up; margin accounts may be opened once the group is live.
        chain
            .send(&[builders::group_go_live(&admin, &group)], &[])
            .await?;
        // The group's lookup table, as the bootstrap would make it; every later transaction
        // (the keeper's included) is a v0 transaction against it.
        let table = lookup_table::ensure_group_table(chain, &group, None).await?;
        lookup_table::use_table(chain, &table.table).await?;
        // The keeper: the payer's margin account with deep deposits; and an insurance fund.
        chain
            .send(&[builders::account_create(&admin, &group, 0)], &[])
            .await?;
        let keeper_account = pda::margin_account(&group, &admin, 0);
        let market = Market {
            group,
            banks,
            keeper_account,
            borrowers: vec![],
        };
        for (i, tokens) in [(0, 5_000_000.0), (1, 10_000.0), (2, 1_000.0)] {
            let wallet = market
                .fund(chain, &admin, i, native(i, tokens + 5_000.0))
                .await?;
            market
                .deposit(
                    chain,
                    &chain.payer().insecure_clone(),
                    keeper_account,
                    i,
                    wallet,
                    native(i, tokens),
                )
                .await?;
        }
        let insurance = native(0, INSURANCE_USDC);
        let wallet = market.fund(chain, &admin, 0, insurance).await?;
        let ix = builders::insurance_deposit(&admin, &market.asset(0), &wallet, insurance);
        chain.send(&[ix], &[]).await?;
        Ok(market)
    }

    fn asset(&self, i: usize) -> builders::AssetBankAccounts {
        let b = &self.banks[i];
        builders::AssetBankAccounts {
            bank: b.key,
            vault: b.vault,
            insurance_vault: b.insurance_vault,
            mint: b.mint,
            token_program: spl::TOKEN,
        }
    }

    fn tokens(&self, i: usize) -> BankTokenAccounts {
        let b = &self.banks[i];
        BankTokenAccounts {
            bank: b.key,
            vault: b.vault,
            mint: b.mint,
            token_program: spl::TOKEN,
        }
    }

    /// A token account of `owner` for bank `i` holding `amount`.
    pub(super) async fn fund(
        &self,
        chain: &mut LocalChain,
        owner: &Pubkey,
        i: usize,
        amount: u64,
    ) -> Result<Pubkey> {
        let wallet = spl::create_token_account(chain, owner, &self.banks[i].mint).await?;
        spl::mint_to(chain, &self.banks[i].mint, &wallet, amount).await?;
        Ok(wallet)
    }

    pub(super) async fn deposit(
        &self,
        chain: &mut LocalChain,
        owner: &Keypair,
        account: Pubkey,
        i: usize,
        wallet: Pubkey,
        amount: u64,
    ) -> Result<()> {
        let ix =
            builders::token_deposit(&owner.pubkey(), &account, &self.tokens(i), &wallet, amount);
        chain.send(&[ix], &[owner]).await?;
        Ok(())
    }

    /// Give `user` lamports for rent and open its margin account 0.
    pub(super) async fn open_account(
        &self,
        chain: &mut LocalChain,
        user: &Keypair,
    ) -> Result<Pubkey> {
        let payer = chain.payer().pubkey();
        chain
            .send(
                &[solana_system_interface::instruction::transfer(
                    &payer,
                    &user.pubkey(),
                    100_000_000,
                )],
                &[],
            )
            .await?;
        chain
            .send(
                &[builders::account_create(&user.pubkey(), &self.group, 0)],
                &[user],
            )
            .await?;
        Ok(pda::margin_account(&self.group, &user.pubkey(), 0))
    }

    /// Borrower `n`: [`COLLATERAL_USD`] of SOL or ETH, borrowing USDC (or ETH against SOL)
    /// at [`LEVERAGE`] of its init borrowing power.
    pub async fn add_borrower(
        &mut self,
        chain: &mut LocalChain,
        n: usize,
        seed: u64,
    ) -> Result<()> {
        let mut rng = seed ^ (n as u64).wrapping_mul(0x2545_f491_4f6c_dd1d);
        let user = Keypair::new();
        let account = self.open_account(chain, &user).await?;
        let collateral = if splitmix(&mut rng) < SOL_HOLDERS {
            1
        } else {
            2
        };
        let debt = if collateral == 1 && splitmix(&mut rng) < ETH_BORROWERS {
            2
        } else {
            0
        };
        let (low, high) = COLLATERAL_USD;
        let value = low + (high - low) * splitmix(&mut rng);
        let amount = native(collateral, value / PRICES[collateral]);
        let wallet = self.fund(chain, &user.pubkey(), collateral, amount).await?;
        self.deposit(chain, &user, account, collateral, wallet, amount)
            .await?;
        let (c, d) = (config(collateral), config(debt));
        let power = value * c.init_asset_weight_bps as f64 / d.init_liab_weight_bps as f64;
        let leverage = LEVERAGE.0 + (LEVERAGE.1 - LEVERAGE.0) * splitmix(&mut rng);
        let borrow = native(debt, power * leverage / PRICES[debt]);
        let to = spl::create_token_account(chain, &user.pubkey(), &self.banks[debt].mint).await?;
        let snapshot = GroupSnapshot::load(chain, &self.group).await?;
        let state = fetch(chain, &account)
            .await?
            .ok_or_else(|| anyhow!("account missing"))?;
        let health = snapshot
            .account_metas(&state, &[debt as u16], None)
            .ok_or_else(|| anyhow!("bank missing"))?;
        let ix = builders::token_withdraw(
            &user.pubkey(),
            &self.group,
            &account,
            &self.tokens(debt),
            &to,
            borrow,
            true,
            health,
        );
        chain.send(&[ix], &[&user]).await?;
        self.borrowers.push(account);
        Ok(())
    }

    /// Publish fresh prices (0.05 % confidence) for all banks.
    pub async fn set_prices(&self, chain: &mut LocalChain, prices: [f64; 3]) {
        let now = chain.unix_timestamp().await.unwrap_or(START_TIME);
        for (b, price) in self.banks.iter().zip(prices) {
            chain.set_account(
                &b.oracle,
                pyth::pull_account(
                    b.feed,
                    PythPrice::usd(price, 5, now),
                    VerificationLevel::Full,
                ),
            );
        }
    }

    /// Σ maint health of the borrowers (dollars) and how many are liquidatable.
    pub async fn borrower_health(&self, chain: &mut LocalChain) -> Result<(f64, usize)> {
        let snapshot = GroupSnapshot::load(chain, &self.group).await?;
        let (mut total, mut unhealthy) = (0.0, 0);
        for key in &self.borrowers {
            let Some(a) = fetch::<cross_margin::state::MarginAccount, _>(chain, key).await? else {
                continue;
            };
            let h = snapshot
                .health(&a)
                .map_err(|e| anyhow!("health of {key}: {e:?}"))?;
            total += h.maint.to_num::<f64>() / 1e6;
            unhealthy += a.is_liquidatable(&h) as usize;
        }
        Ok((total, unhealthy))
    }
}
