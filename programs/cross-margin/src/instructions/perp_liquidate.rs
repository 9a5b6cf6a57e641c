use crate::error::CrossMarginError;
use crate::events::PerpLiquidated;
use crate::health::perp_liquidation::{plan, PerpLiquidationParams};
use crate::health::retriever::{health_cache_from_accounts, Prices};
use crate::health::InitPrices;
use crate::math::I80F48;
use crate::state::{Group, MarginAccount, PerpMarket};
use anchor_lang::prelude::*;

/// Liquidate an unhealthy account's perp position: close up to `max_base` base native
/// units of it against the pool at the oracle price worsened by the market's liquidation
/// fee, stopping once init health is ≥ 0 (`health::perp_liquidation`). The fee less the
/// pool's insurance share is credited to the liquidator's position in this market (quote,
/// settled like any PnL). **Anyone** with a margin account in the group (signer = its
/// owner or delegate).
///
/// Checks: not paused; liquidator ≠ liquidatee (`SelfLiquidation`); the liquidatee holds a
/// non-zero position in the market (`NoPerpPosition`); it is liquidatable: maint health <
/// 0, or `being_liquidated` and init health < 0 (`NotLiquidatable`); the market's oracle is
/// valid now (the liquidatee's other positions are valued pessimistically while their
/// oracles are invalid, as in `token_liquidate`); init health (oracle prices) strictly
/// improves (`LiquidationWouldNotImprove`: e.g. closing a perp that hedges spot can lower
/// it). The liquidator needs a free perp slot (`NoFreePerpSlot`) but no health check: it
/// only receives a positive quote.
///
/// `remaining_accounts`: the liquidatee's health accounts (its current positions).
#[derive(Accounts)]
pub struct PerpLiquidate<'info> {
    pub signer: Signer<'info>,
    pub group: AccountLoader<'info, Group>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        constraint = liquidator.load()?.is_owner_or_delegate(signer.key) @ CrossMarginError::NotOwnerOrDelegate,
    )]
    pub liquidator: AccountLoader<'info, MarginAccount>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        constraint = liquidatee.key() != liquidator.key() @ CrossMarginError::SelfLiquidation,
    )]
    pub liquidatee: AccountLoader<'info, MarginAccount>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        has_one = oracle @ CrossMarginError::OracleMismatch,
    )]
    pub perp_market: AccountLoader<'info, PerpMarket>,
    /// CHECK: the market's oracle (`has_one`); owner and format checked when read.
    pub oracle: UncheckedAccount<'info>,
}

pub fn perp_liquidate<'info>(
    ctx: Context<'info, PerpLiquidate<'info>>,
    max_base: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(
        !ctx.accounts.group.load()?.is_paused(now),
        CrossMarginError::GroupPaused
    );
    let (market_index, settle_index, funding_index, params) = {
        let mut market = ctx.accounts.perp_market.load_mut()?;
        market.refresh(&ctx.accounts.oracle, now)?;
        let params = PerpLiquidationParams {
            market_index: market.perp_index,
            liquidation_fee_bps: market.liquidation_fee_bps,
            insurance_share_bps: market.liquidation_insurance_share_bps,
        };
        (
            market.perp_index,
            market.settle_token_index,
            market.funding_index.get(),
            params,
        )
    };
    let mut liqee = ctx.accounts.liquidatee.load_mut()?;
    let slot = liqee
        .perp_slot(market_index)
        .filter(|s| liqee.perp_positions[*s].base != 0)
        .ok_or(CrossMarginError::NoPerpPosition)?;
    let mut cache = health_cache_from_accounts(
        &liqee,
        ctx.remaining_accounts,
        ctx.program_id,
        now,
        Prices::LivePerp(market_index),
        InitPrices::Oracle,
    )?;
    let before = cache.health()?;
    require!(
        liqee.is_liquidatable(&before),
        CrossMarginError::NotLiquidatable
    );

    let mut market = ctx.accounts.perp_market.load_mut()?;
    let perp = *cache
        .perp(market_index)
        .ok_or(CrossMarginError::HealthPerpMismatch)?;
    let (mid, _) = market.mid_and_conf(&perp.risk.oracle)?;
    let step = plan(
        &mut cache,
        &params,
        liqee.perp_positions[slot].base,
        perp.quote,
        mid,
        max_base,
    )?;
    require!(
        step.health_after.init > before.init,
        CrossMarginError::LiquidationWouldNotImprove
    );

    let position = &mut liqee.perp_positions[slot];
    market.remove_position(position)?;
    market.settle_funding(position)?;
    let ovf = || error!(CrossMarginError::MathOverflow);
    position.base = position.base.checked_add(step.base_delta).ok_or_else(ovf)?;
    let quote = position
        .quote
        .get()
        .checked_add(step.quote_delta)
        .ok_or_else(ovf)?;
    position.quote.set(quote);
    market.add_position(position)?;
    liqee.being_liquidated = u8::from(step.health_after.init < I80F48::ZERO);
    liqee.release_perp_if_empty(slot);

    let mut liqor = ctx.accounts.liquidator.load_mut()?;
    let liqor_slot = liqor.find_or_create_perp(market_index, settle_index, funding_index)?;
    let credit = &mut liqor.perp_positions[liqor_slot];
    market.remove_position(credit)?;
    market.settle_funding(credit)?;
    let credited = credit
        .quote
        .get()
        .checked_add(step.liquidator_fee)
        .ok_or_else(ovf)?;
    credit.quote.set(credited);
    market.add_position(credit)?;
    liqor.release_perp_if_empty(liqor_slot);

    emit!(PerpLiquidated {
        liquidatee: ctx.accounts.liquidatee.key(),
        liquidator: ctx.accounts.liquidator.key(),
        perp_market: ctx.accounts.perp_market.key(),
        base_delta: step.base_delta,
        price: step.price.to_bits(),
        liquidator_fee: step.liquidator_fee.to_bits(),
        pool_fee: step.pool_fee.to_bits(),
        init_health_after: step.health_after.init.to_bits(),
    });
    Ok(())
}
