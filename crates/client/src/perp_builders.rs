//! Builders for the perp and pool instructions (see [`crate::builders`] for the token
//! side). Health accounts, where an instruction takes them, are appended by the caller
//! from [`crate::health_accounts::full_metas`] or `GroupSnapshot::account_metas`.

use crate::pda;
use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use cross_margin::state::{Bank, PerpConfig, PerpMarket};
use cross_margin::{accounts, instruction, ID};

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// The accounts of a perp market that instructions name.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PerpMarketAccounts {
    pub market: Pubkey,
    pub oracle: Pubkey,
    pub pool_vault: Pubkey,
    pub lp_mint: Pubkey,
    /// The settle token's mint and token program.
    pub settle_mint: Pubkey,
    pub token_program: Pubkey,
}

impl PerpMarketAccounts {
    /// The accounts of the market at `key` as stored in its state, with the settle mint
    /// and token program of its settle bank.
    pub fn of(key: Pubkey, market: &PerpMarket, settle: &Bank) -> Self {
        Self {
            market: key,
            oracle: market.oracle,
            pool_vault: market.pool_vault,
            lp_mint: market.lp_mint,
            settle_mint: settle.mint,
            token_program: settle.token_program,
        }
    }

    /// The derived addresses of market `perp_index` in `group`.
    pub fn derive(
        group: &Pubkey,
        perp_index: u16,
        oracle: Pubkey,
        settle_mint: Pubkey,
        token_program: Pubkey,
    ) -> Self {
        let market = pda::perp_market(group, perp_index);
        Self {
            market,
            oracle,
            pool_vault: pda::pool_vault(&market),
            lp_mint: pda::lp_mint(&market),
            settle_mint,
            token_program,
        }
    }
}

/// Change market `m`'s parameters (admin; on a live group only tightening applies).
pub fn perp_market_edit(
    admin: &Pubkey,
    group: &Pubkey,
    m: &PerpMarketAccounts,
    config: PerpConfig,
) -> Instruction {
    build(
        accounts::PerpMarketEdit {
            admin: *admin,
            group: *group,
            perp_market: m.market,
            oracle: m.oracle,
        },
        instruction::PerpMarketEdit { config },
    )
}

/// Name bytes for a market (UTF-8, truncated to 16 bytes, zero-padded).
pub fn market_name(name: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    let bytes = name.as_bytes();
    let n = bytes.len().min(16);
    out[..n].copy_from_slice(&bytes[..n]);
    out
}

#[allow(clippy::too_many_arguments)]
pub fn perp_market_register(
    admin: &Pubkey,
    group: &Pubkey,
    settle_bank: &Pubkey,
    m: &PerpMarketAccounts,
    perp_index: u16,
    name: &str,
    base_decimals: u8,
    config: PerpConfig,
) -> Instruction {
    build(
        accounts::PerpMarketRegister {
            admin: *admin,
            group: *group,
            settle_bank: *settle_bank,
            settle_mint: m.settle_mint,
            perp_market: m.market,
            pool_vault: m.pool_vault,
            lp_mint: m.lp_mint,
            oracle: m.oracle,
            token_program: m.token_program,
            system_program: system_program::ID,
        },
        instruction::PerpMarketRegister {
            perp_index,
            name: market_name(name),
            base_decimals,
            config,
        },
    )
}

pub fn pool_deposit(
    depositor: &Pubkey,
    group: &Pubkey,
    m: &PerpMarketAccounts,
    source: &Pubkey,
    lp_destination: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        accounts::PoolDeposit {
            depositor: *depositor,
            group: *group,
            perp_market: m.market,
            pool_vault: m.pool_vault,
            lp_mint: m.lp_mint,
            settle_mint: m.settle_mint,
            source: *source,
            lp_destination: *lp_destination,
            oracle: m.oracle,
            token_program: m.token_program,
        },
        instruction::PoolDeposit { amount },
    )
}

pub fn pool_withdraw(
    owner: &Pubkey,
    group: &Pubkey,
    m: &PerpMarketAccounts,
    lp_source: &Pubkey,
    destination: &Pubkey,
    shares: u64,
) -> Instruction {
    build(
        accounts::PoolWithdraw {
            owner: *owner,
            group: *group,
            perp_market: m.market,
            pool_vault: m.pool_vault,
            lp_mint: m.lp_mint,
            settle_mint: m.settle_mint,
            lp_source: *lp_source,
            destination: *destination,
            oracle: m.oracle,
            token_program: m.token_program,
        },
        instruction::PoolWithdraw { shares },
    )
}

/// Trade `base_delta` (positive buys); `health` = the account's full health metas with this
/// market's position included.
pub fn perp_trade(
    signer: &Pubkey,
    group: &Pubkey,
    account: &Pubkey,
    m: &PerpMarketAccounts,
    base_delta: i64,
    limit_price: u64,
    health: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::PerpTrade {
            signer: *signer,
            group: *group,
            account: *account,
            perp_market: m.market,
            pool_vault: m.pool_vault,
            oracle: m.oracle,
        },
        instruction::PerpTrade {
            base_delta,
            limit_price,
        },
    );
    ix.accounts.extend(health);
    ix
}

pub fn perp_update_funding(m: &PerpMarketAccounts) -> Instruction {
    build(
        accounts::PerpUpdateFunding {
            perp_market: m.market,
            oracle: m.oracle,
        },
        instruction::PerpUpdateFunding {},
    )
}

/// The settle bank's accounts for `perp_settle_pnl`.
#[derive(Copy, Clone, Debug)]
pub struct SettleBank {
    pub bank: Pubkey,
    pub vault: Pubkey,
}

/// Settle PnL; `health` = the account's full health metas with the settle token's
/// position included.
pub fn perp_settle_pnl(
    signer: &Pubkey,
    group: &Pubkey,
    account: &Pubkey,
    m: &PerpMarketAccounts,
    settle: &SettleBank,
    health: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::PerpSettlePnl {
            signer: *signer,
            group: *group,
            account: *account,
            perp_market: m.market,
            settle_bank: settle.bank,
            vault: settle.vault,
            pool_vault: m.pool_vault,
            mint: m.settle_mint,
            oracle: m.oracle,
            token_program: m.token_program,
        },
        instruction::PerpSettlePnl {},
    );
    ix.accounts.extend(health);
    ix
}

/// Auto-deleverage up to `max_base` of `account`'s profitable position in `m`
/// (permissionless: no signer but the fee payer); `health` = the account's full health
/// metas with the settle token's position included.
pub fn perp_auto_deleverage(
    group: &Pubkey,
    account: &Pubkey,
    m: &PerpMarketAccounts,
    settle: &SettleBank,
    max_base: u64,
    health: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::PerpAutoDeleverage {
            group: *group,
            account: *account,
            perp_market: m.market,
            settle_bank: settle.bank,
            vault: settle.vault,
            pool_vault: m.pool_vault,
            mint: m.settle_mint,
            oracle: m.oracle,
            token_program: m.token_program,
        },
        instruction::PerpAutoDeleverage { max_base },
    );
    ix.accounts.extend(health);
    ix
}

/// Liquidate `liquidatee`'s perp; `health` = the liquidatee's full health metas.
pub fn perp_liquidate(
    signer: &Pubkey,
    group: &Pubkey,
    liquidator: &Pubkey,
    liquidatee: &Pubkey,
    m: &PerpMarketAccounts,
    max_base: u64,
    health: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::PerpLiquidate {
            signer: *signer,
            group: *group,
            liquidator: *liquidator,
            liquidatee: *liquidatee,
            perp_market: m.market,
            oracle: m.oracle,
        },
        instruction::PerpLiquidate { max_base },
    );
    ix.accounts.extend(health);
    ix
}

/// Unwind a hedged pair of `liquidatee`: its perp in `m` and its balance in `spot_bank`
/// (the bank on the market's oracle); `settle` = the market's settle bank and its vault
/// (the liquidator pays for spot it buys from there). `health` = the liquidatee's full
/// health metas, then the liquidator's laid out after it opens token slots for the spot
/// bank and then the settle bank, and a perp slot for the market.
#[allow(clippy::too_many_arguments)]
pub fn perp_liquidate_pair(
    signer: &Pubkey,
    group: &Pubkey,
    liquidator: &Pubkey,
    liquidatee: &Pubkey,
    m: &PerpMarketAccounts,
    spot_bank: &Pubkey,
    settle: &SettleBank,
    max_base: u64,
    health: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::PerpLiquidatePair {
            signer: *signer,
            group: *group,
            liquidator: *liquidator,
            liquidatee: *liquidatee,
            perp_market: m.market,
            oracle: m.oracle,
            spot_bank: *spot_bank,
            settle_bank: settle.bank,
            vault: settle.vault,
            pool_vault: m.pool_vault,
            mint: m.settle_mint,
            token_program: m.token_program,
        },
        instruction::PerpLiquidatePair { max_base },
    );
    ix.accounts.extend(health);
    ix
}

/// Take over `liquidatee`'s flat perp loss in `m` (up to `max_loss` settle-token native
/// units) for its deposit in `asset_bank` at the token-liquidation discount. `health` =
/// the liquidatee's full health metas, then the liquidator's laid out after it opens a
/// token slot for the asset bank and a perp slot for the market
/// (`GroupSnapshot::account_metas(liquidator, &[asset], Some(market))`).
#[allow(clippy::too_many_arguments)]
pub fn perp_liquidate_loss(
    signer: &Pubkey,
    group: &Pubkey,
    liquidator: &Pubkey,
    liquidatee: &Pubkey,
    m: &PerpMarketAccounts,
    asset_bank: &Pubkey,
    max_loss: u64,
    health: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::PerpLiquidateLoss {
            signer: *signer,
            group: *group,
            liquidator: *liquidator,
            liquidatee: *liquidatee,
            perp_market: m.market,
            oracle: m.oracle,
            asset_bank: *asset_bank,
        },
        instruction::PerpLiquidateLoss { max_loss },
    );
    ix.accounts.extend(health);
    ix
}

/// Write off `account`'s bankrupt perp loss in `m` (insurance, then the pool). `settle`
/// = the market's settle bank and its insurance vault; `banks` = the bank of every active
/// token position of the account, in slot order.
pub fn perp_resolve_bankruptcy(
    group: &Pubkey,
    account: &Pubkey,
    m: &PerpMarketAccounts,
    settle_bank: &Pubkey,
    insurance_vault: &Pubkey,
    banks: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::PerpResolveBankruptcy {
            group: *group,
            account: *account,
            perp_market: m.market,
            settle_bank: *settle_bank,
            insurance_vault: *insurance_vault,
            pool_vault: m.pool_vault,
            mint: m.settle_mint,
            token_program: m.token_program,
        },
        instruction::PerpResolveBankruptcy {},
    );
    ix.accounts.extend(banks);
    ix
}
