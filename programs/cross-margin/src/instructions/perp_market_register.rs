use crate::error::CrossMarginError;
use crate::events::PerpMarketConfigured;
use crate::math::{I80F48Bytes, I80F48};
use crate::pda_account::{create_mint, create_pda, create_token_account};
use crate::state::{
    check_canonical_oracle, parse_oracle, validate_price, Bank, Group, OraclePolicy, PerpConfig,
    PerpMarket, LP_MINT_SEED, PERP_SEED, POOL_VAULT_SEED, QUOTE_DECIMALS,
};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_interface::{Mint, TokenInterface};

/// List a perpetual future in the group, with its liquidity pool. **Admin only**
/// (`has_one = admin`); the admin pays rent.
///
/// Checks: the config is consistent (`PerpConfig::validate`); on a live group the market
/// starts with `init_pnl_weight_bps = 0` (`NewPerpPnlWeightNotZero`: unsettled profit on
/// a new oracle cannot be borrowed against until the timelock allows it); the perp index is
/// unused (`PerpIndexInUse`); the settle bank is this group's, its mint has the quote
/// decimals (6) and is `settle_mint`, and `token_program` is its token program
/// (`SettleBankMismatch`); base decimals ≤ 18; the oracle is owned by the Pyth program of
/// the config's kind, parses, is trading / verified with a positive price and, for a pull
/// oracle, is the sponsored feed account. Creates the market PDA
/// `["perp", group, perp_index]`, its pool vault `["pool_vault", market]` (a token account
/// of the settle mint) and LP mint `["lp_mint", market]` (settle decimals), both with the
/// group PDA as authority; starts funding now and the stable price at the oracle's price.
///
/// `remaining_accounts`: none.
#[derive(Accounts)]
#[instruction(perp_index: u16)]
pub struct PerpMarketRegister<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
    #[account(
        has_one = group @ CrossMarginError::SettleBankMismatch,
        constraint = settle_bank.load()?.mint == settle_mint.key() @ CrossMarginError::SettleBankMismatch,
        constraint = settle_bank.load()?.token_program == token_program.key() @ CrossMarginError::SettleBankMismatch,
    )]
    pub settle_bank: AccountLoader<'info, Bank>,
    #[account(
        mint::token_program = token_program,
        constraint = settle_mint.decimals == QUOTE_DECIMALS @ CrossMarginError::SettleBankMismatch,
    )]
    pub settle_mint: InterfaceAccount<'info, Mint>,
    /// CHECK: created in the handler; seeds checked here, emptiness gives `PerpIndexInUse`.
    #[account(
        mut,
        seeds = [PERP_SEED, group.key().as_ref(), &perp_index.to_le_bytes()],
        bump,
        constraint = perp_market.data_is_empty() @ CrossMarginError::PerpIndexInUse,
    )]
    pub perp_market: UncheckedAccount<'info>,
    /// CHECK: created in the handler as a token account of the settle mint owned by the
    /// group.
    #[account(mut, seeds = [POOL_VAULT_SEED, perp_market.key().as_ref()], bump)]
    pub pool_vault: UncheckedAccount<'info>,
    /// CHECK: created in the handler as a mint whose authority is the group.
    #[account(mut, seeds = [LP_MINT_SEED, perp_market.key().as_ref()], bump)]
    pub lp_mint: UncheckedAccount<'info>,
    /// CHECK: owner, format and price validated in the handler.
    pub oracle: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

pub fn perp_market_register<'info>(
    ctx: Context<'info, PerpMarketRegister<'info>>,
    perp_index: u16,
    name: [u8; 16],
    base_decimals: u8,
    config: PerpConfig,
) -> Result<()> {
    config.validate()?;
    require!(
        base_decimals <= crate::instructions::MAX_DECIMALS,
        CrossMarginError::MintDecimalsTooLarge
    );
    require!(
        !ctx.accounts.group.load()?.is_live() || config.init_pnl_weight_bps == 0,
        CrossMarginError::NewPerpPnlWeightNotZero
    );
    let now = Clock::get()?.unix_timestamp;
    let a = &ctx.accounts;
    require_keys_eq!(
        *a.oracle.owner,
        config.oracle_kind.owner(),
        CrossMarginError::OracleWrongOwner
    );
    let raw = parse_oracle(config.oracle_kind, &a.oracle.try_borrow_data()?)?;
    check_canonical_oracle(a.oracle.key, &raw, config.oracle_kind)?;
    let policy = OraclePolicy {
        kind: config.oracle_kind,
        feed_id: raw.feed_id,
        max_staleness_secs: config.max_staleness_secs,
        max_conf_bps: config.max_conf_bps,
    };
    let price = validate_price(&raw, &policy, raw.publish_time)?;

    let group_key = a.group.key();
    let market_key = a.perp_market.key();
    let index_bytes = perp_index.to_le_bytes();
    let bump = [ctx.bumps.perp_market];
    let seeds: [&[u8]; 4] = [PERP_SEED, group_key.as_ref(), &index_bytes, &bump];
    let market_info = a.perp_market.to_account_info();
    create_pda(
        &a.admin,
        &market_info,
        &a.system_program,
        PerpMarket::SPACE,
        &crate::ID,
        &seeds,
    )?;
    let vault_bump = [ctx.bumps.pool_vault];
    create_token_account(
        &a.admin,
        &a.pool_vault.to_account_info(),
        &a.settle_mint,
        &a.group.to_account_info(),
        &a.token_program,
        &a.system_program,
        &[POOL_VAULT_SEED, market_key.as_ref(), &vault_bump],
    )?;
    let mint_bump = [ctx.bumps.lp_mint];
    create_mint(
        &a.admin,
        &a.lp_mint.to_account_info(),
        QUOTE_DECIMALS,
        &group_key,
        &a.token_program,
        &a.system_program,
        &[LP_MINT_SEED, market_key.as_ref(), &mint_bump],
    )?;

    let settle = a.settle_bank.load()?;
    let mut data = market_info.try_borrow_mut_data()?;
    data[..8].copy_from_slice(PerpMarket::DISCRIMINATOR);
    let market: &mut PerpMarket = bytemuck::try_from_bytes_mut(&mut data[8..PerpMarket::SPACE])
        .map_err(|_| CrossMarginError::InvalidAccount)?;
    market.group = group_key;
    market.settle_bank = a.settle_bank.key();
    market.settle_token_index = settle.token_index;
    market.pool_vault = a.pool_vault.key();
    market.lp_mint = a.lp_mint.key();
    market.name = name;
    market.perp_index = perp_index;
    market.base_decimals = base_decimals;
    market.bump = ctx.bumps.perp_market;
    market.pool_vault_bump = ctx.bumps.pool_vault;
    market.lp_mint_bump = ctx.bumps.lp_mint;
    market.funding_index = I80F48Bytes::from(I80F48::ZERO);
    market.last_funding_ts = now;
    market.settle_window_start = now;
    market.apply_config(&config);
    market.set_oracle(a.oracle.key(), raw.feed_id, &price, now);

    emit!(PerpMarketConfigured {
        group: group_key,
        perp_market: market_key,
        perp_index,
        oracle: market.oracle,
        created: true,
    });
    Ok(())
}
