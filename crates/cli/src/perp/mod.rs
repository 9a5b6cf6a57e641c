//! `perp …` and `pool …`: perp markets ([`market`]), the liquidity pool ([`pool`]),
//! trading and settling ([`trade`]), isolated positions ([`isolated`]) and an account's
//! perp positions ([`positions`]).
//!
//! Every command reads the market (and, where tokens move, its settle bank) first, so a
//! wrong address fails with one line naming it before anything is sent.

mod isolated;
mod market;
mod pool;
mod positions;
mod trade;

use crate::args::{PerpCmd, PerpMarketCmd, PoolCmd};
use crate::commands::{load, load_bank};
use crate::output::Report;
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Result};
use cross_margin::state::{Bank, PerpMarket};
use cross_margin_client::chain::Chain;
use cross_margin_client::perp_builders::{PerpMarketAccounts, SettleBank};
use cross_margin_client::send::DRY_RUN_SIGNATURE;

pub use isolated::next_free_account_num;
pub use market::pool_value_at_mid;

/// Run a `perp` command.
pub async fn perp<C: Chain>(chain: &mut C, cmd: PerpCmd) -> Result<Report> {
    match cmd {
        PerpCmd::Market(PerpMarketCmd::Register {
            group,
            settle_bank,
            oracle,
            perp_index,
            name,
            base_decimals,
            risk,
        }) => {
            let args = market::Register {
                group,
                settle_bank,
                oracle,
                perp_index,
                name,
                base_decimals,
            };
            market::register(chain, args, &risk).await
        }
        PerpCmd::Market(PerpMarketCmd::Show { market }) => market::show(chain, market).await,
        PerpCmd::Open(args) if args.isolated => isolated::open(chain, args).await,
        PerpCmd::Open(args) => trade::open(chain, args).await,
        PerpCmd::Close(args) => trade::close(chain, args).await,
        PerpCmd::Settle { account, market } => trade::settle(chain, account, market).await,
        PerpCmd::Show { account } => positions::show(chain, account).await,
    }
}

/// Run a `pool` command.
pub async fn pool<C: Chain>(chain: &mut C, cmd: PoolCmd) -> Result<Report> {
    pool::run(chain, cmd).await
}

/// A perp market as the commands use it: its state, its settle bank and the accounts
/// instructions name.
pub(crate) struct LoadedMarket {
    pub key: Pubkey,
    pub state: PerpMarket,
    pub settle: Bank,
    pub accounts: PerpMarketAccounts,
}

impl LoadedMarket {
    pub async fn load<C: Chain>(chain: &mut C, key: Pubkey) -> Result<Self> {
        let state: PerpMarket = load(chain, &key, "perp market").await?;
        let settle = load_bank(chain, &state.settle_bank).await?;
        let accounts = PerpMarketAccounts::of(key, &state, &settle);
        Ok(Self {
            key,
            state,
            settle,
            accounts,
        })
    }

    pub fn settle_bank(&self) -> SettleBank {
        SettleBank {
            bank: self.state.settle_bank,
            vault: self.settle.vault,
        }
    }

    pub fn name(&self) -> String {
        market_name(&self.state)
    }
}

/// The market's name as text (zero padding dropped).
pub use cross_margin_client::perp_markets::name as market_name;

/// Token amount held by a token account of either token program; 0 when it does not
/// exist.
pub(crate) async fn token_balance<C: Chain>(chain: &mut C, key: &Pubkey) -> Result<u64> {
    Ok(cross_margin_client::snapshot::token_amount(chain, key)
        .await?
        .unwrap_or(0))
}

/// True when `signature` is the dry-run marker: nothing was committed, so there is no
/// state after the command to report.
pub(crate) fn was_dry_run(signature: &str) -> bool {
    signature == DRY_RUN_SIGNATURE
}

/// The signer's associated token account for `mint`, and an instruction creating it if it
/// does not exist yet (idempotent).
pub(crate) async fn ata_or_create<C: Chain>(
    chain: &mut C,
    owner: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
) -> Result<(
    Pubkey,
    Option<anchor_lang::solana_program::instruction::Instruction>,
)> {
    use anchor_spl::associated_token::{
        get_associated_token_address_with_program_id, spl_associated_token_account,
    };
    let key = get_associated_token_address_with_program_id(owner, mint, token_program);
    let create = match chain.account(&key).await? {
        Some(_) => None,
        None => Some(
            spl_associated_token_account::instruction::create_associated_token_account_idempotent(
                owner,
                owner,
                mint,
                token_program,
            ),
        ),
    };
    Ok((key, create))
}

/// Base native units as signed tokens.
pub(crate) fn base_tokens(base: i64, decimals: u8) -> String {
    let abs = cross_margin_client::amount::format_amount(base.unsigned_abs(), decimals);
    if base < 0 {
        format!("-{abs}")
    } else {
        abs
    }
}

/// Quote native units (settle token) per base native unit, as settle tokens per whole
/// base unit.
pub(crate) fn per_whole(price_per_native: f64, base_decimals: u8, settle_decimals: u8) -> f64 {
    price_per_native * 10f64.powi(i32::from(base_decimals) - i32::from(settle_decimals))
}

pub(crate) fn missing_keys() -> anyhow::Error {
    anyhow!("a position's bank or perp market was not found in the group")
}
