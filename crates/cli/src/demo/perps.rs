//! The demo's SOL-PERP: a market on SOL's oracle settled in USDC, listed and funded with
//! the CLI's own commands (`perp market register`, `pool deposit`, `perp open
//! --isolated`), and a fixed book of traders:
//!
//! - [`TRADERS`]: USDC collateral, longs at 1× to 6× and shorts at 2× and 4×;
//! - a hedged account: [`HEDGE_SOL`] SOL deposited and the same amount shorted on the perp,
//!   so the crash moves its two legs against each other;
//! - an isolated long: the operator's trading account (the payer's account 1, holding
//!   [`OPERATOR_USDC`]) opens an [`ISOLATED`] long with `perp open --isolated`, which puts
//!   it in account 2 funded with only its collateral.
//!
//! The keeper liquidates perps as it does loans: a perp alone against the pool
//! (`perp_liquidate`) or with its spot hedge (`perp_liquidate_pair`). It also settles the
//! PnL of a liquidatable account whose perp is closed (`perp_settle_pnl`): the loss
//! becomes a USDC debt it then liquidates or, past the account's collateral, resolves as
//! a USDC bankruptcy. The demo only watches; it settles nothing itself.

use super::losses::PerpLiquidation;
use super::setup::Market;
use crate::args::{Collateral, PerpCmd, PerpMarketCmd, PerpOpenArgs, PerpRiskArgs, PoolCmd};
use crate::args::{Side, TokenRef};
use crate::perp::{self as cli_perp, token_balance};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Result};
use cross_margin::health::InitPrices;
use cross_margin::state::{MarginAccount, PerpConfig};
use cross_margin_client::builders;
use cross_margin_client::chain::Chain;
use cross_margin_client::local::{spl, LocalChain};
use cross_margin_client::pda;
use cross_margin_client::perp_builders::{self as pb, PerpMarketAccounts};
use cross_margin_client::snapshot::{fetch, GroupSnapshot};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// USDC in the pool at setup (the admin is its LP).
pub const POOL_USDC: f64 = 250_000.0;
/// Perp traders: (long?, leverage on their USDC collateral, collateral in USDC).
pub const TRADERS: [(bool, f64, f64); 6] = [
    (true, 1.0, 5_000.0),
    (true, 1.5, 5_000.0),
    (true, 3.0, 5_000.0),
    (true, 6.0, 5_000.0),
    (false, 2.0, 5_000.0),
    (false, 4.0, 5_000.0),
];
/// The hedged account's SOL deposit and equal SOL short.
pub const HEDGE_SOL: f64 = 100.0;
/// USDC in the operator's trading account (the isolated position's main account).
pub const OPERATOR_USDC: f64 = 20_000.0;
/// The isolated long: (leverage, USDC collateral moved into its account).
pub const ISOLATED: (f64, f64) = (8.0, 2_000.0);

/// The market's config: the program's default with the demo banks' staleness window.
pub fn config() -> PerpConfig {
    PerpConfig {
        max_staleness_secs: 120,
        ..PerpConfig::DEFAULT
    }
}

/// The perp side of the demo market.
pub struct PerpBook {
    pub market: Pubkey,
    pub accounts: PerpMarketAccounts,
    pub hedged: Pubkey,
    pub isolated: Pubkey,
    /// The isolated position's main account and its bytes right after the position opened.
    pub operator: Pubkey,
    pub operator_bytes: Vec<u8>,
}

/// What the report says about the perps at the end.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PerpSummary {
    pub pool_start: f64,
    pub pool_end: f64,
    /// Perp liquidations (single and pair), and the pair ones among them.
    pub liquidations: u64,
    pub pair_liquidations: u64,
    /// PnL settlements of liquidatable accounts the keeper sent.
    pub settlements: u64,
    pub hedged_maint_end: f64,
    pub hedged_liquidated: bool,
    pub isolated_liquidated: bool,
    /// The isolated account's USDC at the end (negative: a debt, before any bankruptcy).
    pub isolated_usdc_end: f64,
    pub operator_unchanged: bool,
}

fn usdc(tokens: f64) -> u64 {
    (tokens * 1e6) as u64
}

fn sol(tokens: f64) -> u64 {
    (tokens * 1e9) as u64
}

impl PerpBook {
    /// List SOL-PERP and fund its pool with the CLI's commands, then open every position.
    pub async fn create(chain: &mut LocalChain, market: &Market) -> Result<Self> {
        let admin = chain.payer().pubkey();
        let (usdc_bank, sol_bank) = (&market.banks[0], &market.banks[1]);
        let r = cli_perp::perp(
            chain,
            PerpCmd::Market(PerpMarketCmd::Register {
                group: market.group,
                settle_bank: usdc_bank.key,
                oracle: sol_bank.oracle,
                perp_index: 0,
                name: "SOL-PERP".into(),
                base_decimals: sol_bank.decimals,
                risk: Box::new(PerpRiskArgs::from(config())),
            }),
        )
        .await?;
        let key = r
            .get("market")
            .and_then(|v| v.as_str())
            .ok_or_else(|| anyhow!("perp market register reported no market"))?
            .parse()?;
        let accounts = PerpMarketAccounts::derive(
            &market.group,
            0,
            sol_bank.oracle,
            usdc_bank.mint,
            spl::TOKEN,
        );
        let wallet = market
            .fund(chain, &admin, 0, usdc(POOL_USDC + OPERATOR_USDC))
            .await?;
        cli_perp::pool(
            chain,
            PoolCmd::Deposit {
                market: key,
                amount: POOL_USDC.to_string().parse()?,
                native: false,
                token_account: Some(wallet),
                lp_account: None,
            },
        )
        .await?;
        let mut book = PerpBook {
            market: key,
            accounts,
            hedged: Pubkey::default(),
            isolated: Pubkey::default(),
            operator: pda::margin_account(&market.group, &admin, 1),
            operator_bytes: vec![],
        };
        for (long, leverage, collateral) in TRADERS {
            let size = sol(collateral * leverage / super::setup::PRICES[1]) as i64;
            let base = if long { size } else { -size };
            book.trader(chain, market, &[(0, usdc(collateral))], base)
                .await?;
        }
        let hedge = sol(HEDGE_SOL);
        let (hedged, _) = book
            .trader(chain, market, &[(1, hedge)], -(hedge as i64))
            .await?;
        book.hedged = hedged;
        book.isolated(chain, market, wallet).await?;
        Ok(book)
    }

    /// A trader with its own key: margin account 0 funded with `deposits` (bank, native),
    /// then a trade of `base` SOL native units.
    async fn trader(
        &self,
        chain: &mut LocalChain,
        market: &Market,
        deposits: &[(usize, u64)],
        base: i64,
    ) -> Result<(Pubkey, Keypair)> {
        let user = Keypair::new();
        let account = market.open_account(chain, &user).await?;
        for &(bank, amount) in deposits {
            let wallet = market.fund(chain, &user.pubkey(), bank, amount).await?;
            market
                .deposit(chain, &user, account, bank, wallet, amount)
                .await?;
        }
        let snapshot = GroupSnapshot::load(chain, &market.group).await?;
        let state: MarginAccount = fetch(chain, &account)
            .await?
            .ok_or_else(|| anyhow!("trader account missing"))?;
        let health = snapshot
            .account_metas(&state, &[], Some(0))
            .ok_or_else(|| anyhow!("bank or market missing"))?;
        let limit = if base > 0 { u64::MAX } else { 0 };
        let ix = pb::perp_trade(
            &user.pubkey(),
            &market.group,
            &account,
            &self.accounts,
            base,
            limit,
            health,
        );
        chain.send(&[ix], &[&user]).await?;
        Ok((account, user))
    }

    /// The operator's trading account (the payer's account 1) and, through `perp open
    /// --isolated`, the isolated long in the payer's next free account.
    async fn isolated(
        &mut self,
        chain: &mut LocalChain,
        market: &Market,
        wallet: Pubkey,
    ) -> Result<()> {
        let admin = chain.payer().insecure_clone();
        chain
            .send(
                &[builders::account_create(&admin.pubkey(), &market.group, 1)],
                &[],
            )
            .await?;
        market
            .deposit(chain, &admin, self.operator, 0, wallet, usdc(OPERATOR_USDC))
            .await?;
        let (leverage, collateral) = ISOLATED;
        let size = collateral * leverage / super::setup::PRICES[1];
        let r = cli_perp::perp(
            chain,
            PerpCmd::Open(PerpOpenArgs {
                account: self.operator,
                market: self.market,
                side: Side::Long,
                size: size.to_string().parse()?,
                limit_price: None,
                native: false,
                isolated: true,
                collateral: vec![Collateral {
                    token: TokenRef::Index(0),
                    amount: collateral.to_string().parse()?,
                }],
            }),
        )
        .await?;
        self.isolated = r
            .get("isolated_account")
            .and_then(|v| v.as_str())
            .ok_or_else(|| anyhow!("perp open --isolated reported no account"))?
            .parse()?;
        self.operator_bytes = chain
            .account(&self.operator)
            .await?
            .map(|a| a.data)
            .unwrap_or_default();
        Ok(())
    }

    /// The pool's value now in dollars (USDC at $1), as the program values it when it
    /// pays LPs out (`pool_withdraw`, `perp_settle_pnl`): funding accrued to now as
    /// `PerpMarket::refresh` does, then `PerpMarket::pool_value`, i.e. the vault minus
    /// traders' unsettled profit plus their unsettled losses, at the end of the oracle's
    /// confidence interval that favours the remaining LPs.
    pub async fn pool_value<C: Chain>(&self, chain: &mut C, group: &Pubkey) -> Result<f64> {
        let snapshot = GroupSnapshot::load(chain, group).await?;
        let entry = snapshot
            .perps
            .get(&0)
            .ok_or_else(|| anyhow!("SOL-PERP missing"))?;
        let price = entry
            .price
            .ok_or_else(|| anyhow!("SOL-PERP's oracle is not valid now"))?;
        let vault = token_balance(chain, &self.accounts.pool_vault).await?;
        let program = |e: anchor_lang::error::Error| anyhow!("SOL-PERP pool value: {e}");
        let mut market = entry.state;
        let mid = market
            .base_risk_at(&price, InitPrices::Oracle)
            .map_err(program)?;
        market
            .accrue_funding(&mid.mid, snapshot.now)
            .map_err(program)?;
        let value = market.pool_value(vault, &price, false).map_err(program)?;
        Ok(value.to_num::<f64>() / 1e6)
    }

    /// The end-of-run facts: the hedged and isolated accounts and the operator's bytes.
    pub async fn summary<C: Chain>(
        &self,
        chain: &mut C,
        market: &Market,
        pool_start: f64,
        settlements: u64,
        liquidated: &[PerpLiquidation],
    ) -> Result<PerpSummary> {
        let was_liquidated = |key: &Pubkey| liquidated.iter().any(|l| l.liquidatee == *key);
        let snapshot = GroupSnapshot::load(chain, &market.group).await?;
        let hedged: Option<MarginAccount> = fetch(chain, &self.hedged).await?;
        let hedged_maint_end = hedged
            .and_then(|a| snapshot.health(&a).ok())
            .map_or(0.0, |h| h.maint.to_num::<f64>() / 1e6);
        let isolated: Option<MarginAccount> = fetch(chain, &self.isolated).await?;
        let bank = &snapshot.banks[&0].state;
        let isolated_usdc_end = isolated
            .and_then(|a| {
                a.position_slot(0)
                    .map(|s| a.token_positions[s].indexed.get())
            })
            .and_then(|i| {
                cross_margin::health::engine::native_balance(
                    i,
                    bank.deposit_index.get(),
                    bank.borrow_index.get(),
                )
                .ok()
            })
            .map_or(0.0, |b| b.to_num::<f64>() / 1e6);
        let operator_now = chain.account(&self.operator).await?.map(|a| a.data);
        Ok(PerpSummary {
            pool_start,
            pool_end: self.pool_value(chain, &market.group).await?,
            liquidations: liquidated.len() as u64,
            pair_liquidations: liquidated.iter().filter(|l| l.pair).count() as u64,
            settlements,
            hedged_maint_end,
            hedged_liquidated: was_liquidated(&self.hedged),
            isolated_liquidated: was_liquidated(&self.isolated),
            isolated_usdc_end,
            operator_unchanged: operator_now.as_deref() == Some(&self.operator_bytes[..]),
        })
    }
}
