use crate::error::CrossMarginError;
use crate::events::PerpLossLiquidated;
use crate::health::perp_loss_liquidation::plan;
use crate::health::retriever::{liquidation_caches, Prices};
use crate::math::I80F48;
use crate::state::{Bank, Group, MarginAccount, PerpMarket};
use anchor_lang::prelude::*;

/// Liquidate an unhealthy account's **flat perp loss** (base 0, quote < 0) in
/// `perp_market`: the liquidator's margin account takes over up to `max_loss` settle-token
/// native units of the liquidatee's negative quote (liquidator quote −= x, liquidatee
/// quote += x: the liquidator owes the pool x now and settles it when it likes; its health
/// counts it at face value) and receives the liquidatee's deposit in `asset_bank` at the
/// token-liquidation discount, `y = ⌊x · (1 + liquidation_fee_A) / P_A⌋` at the oracle, the
/// insurance share of the fee booked to the asset bank's protocol fees as in
/// `token_liquidate` (see `health::perp_loss_liquidation`). **No tokens move**: neither the
/// settle bank's vault (a 100 %-utilised vault cannot block it, unlike a stranger's
/// `perp_settle_pnl`) nor the pool vault (the pool's claim only changes debtor). **Anyone**
/// with a margin account in the group (signer = its owner or delegate).
///
/// Checks: not paused (`GroupPaused`); liquidator ≠ liquidatee (`SelfLiquidation`); market
/// and bank of the group, oracle the market's; the liquidatee holds a position in the
/// market (`NoPerpPosition`) that is flat (`PerpPositionNotFlat`) with a loss
/// (`NoPerpLoss`) and a deposit in the asset bank (`NoAssetToSeize`); the market's oracle
/// is valid now (the liquidator takes a position there) and so is the asset bank's
/// (`OracleStale`: its price sets `y`); the liquidatee's other positions are valued at
/// their outage prices while their oracles are invalid, as in `token_liquidate`. It is
/// liquidatable: maint < 0, or `being_liquidated` and init < 0 (`NotLiquidatable`). The
/// amount is the least of `max_loss`, the loss (rounded up; a sub-unit profit this leaves
/// goes to the pool), what the deposit pays for and the amount that brings init health to
/// ≥ 0; the liquidatee's init and maint health must strictly rise
/// (`LiquidationWouldNotImprove`) and the flag is set, or cleared once init ≥ 0. Funding is
/// settled into both positions first and the market's aggregates follow every quote change.
/// The liquidator needs a token slot for the asset and a perp slot in the market (it opens
/// them: `NoFreePositionSlot`, `NoFreePerpSlot`, `SettleSlotReserved`), every oracle of its
/// account valid, and init health ≥ 0 after (`HealthWouldBeNegative`).
///
/// `remaining_accounts`: the liquidatee's health accounts, then the liquidator's laid out
/// for its positions *after* it opens a token slot for the asset bank and a perp slot for
/// the market (first free slots), as `perp_liquidate_pair` lays them out.
#[derive(Accounts)]
pub struct PerpLiquidateLoss<'info> {
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
    /// The bank whose deposit the liquidator receives.
    #[account(mut, has_one = group @ CrossMarginError::GroupMismatch)]
    pub asset_bank: AccountLoader<'info, Bank>,
}

pub fn perp_liquidate_loss<'info>(
    ctx: Context<'info, PerpLiquidateLoss<'info>>,
    max_loss: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(
        !ctx.accounts.group.load()?.is_paused(now),
        CrossMarginError::GroupPaused
    );
    let (market_index, settle_index, funding_index) = {
        let mut market = ctx.accounts.perp_market.load_mut()?;
        market.refresh(&ctx.accounts.oracle, now)?;
        (
            market.perp_index,
            market.settle_token_index,
            market.funding_index.get(),
        )
    };
    let asset_index = {
        let mut bank = ctx.accounts.asset_bank.load_mut()?;
        bank.accrue_interest(now)?;
        bank.token_index
    };

    let mut liqee = ctx.accounts.liquidatee.load_mut()?;
    let perp_slot = liqee
        .perp_slot(market_index)
        .ok_or(CrossMarginError::NoPerpPosition)?;
    let asset_slot = liqee
        .position_slot(asset_index)
        .ok_or(CrossMarginError::NoAssetToSeize)?;
    let mut liqor = ctx.accounts.liquidator.load_mut()?;
    let liqor_asset_slot = liqor.find_or_create_position(asset_index)?;
    let liqor_perp_slot = liqor.find_or_create_perp(market_index, settle_index, funding_index)?;
    let (mut cache, mut liqor_cache) = liquidation_caches(
        &liqee,
        &liqor,
        ctx.remaining_accounts,
        ctx.program_id,
        now,
        Prices::LiveFor([asset_index, asset_index]),
    )?;
    let before = cache.health()?;
    require!(
        liqee.is_liquidatable(&before),
        CrossMarginError::NotLiquidatable
    );

    let mut bank = ctx.accounts.asset_bank.load_mut()?;
    let asset_oracle = cache
        .token(asset_index)
        .ok_or(CrossMarginError::HealthBankMismatch)?
        .risk;
    require!(asset_oracle.live, CrossMarginError::OracleStale);
    let side = bank.liquidation_side(&asset_oracle.oracle);
    let step = plan(
        &mut cache,
        market_index,
        &side,
        bank.liquidation_insurance_share_bps,
        max_loss,
    )?;
    bank.observe_price(ctx.accounts.asset_bank.key(), &asset_oracle.oracle, now);

    // The loss: the liquidatee's quote rises by x (a sub-unit profit left by rounding
    // stays with the pool), the liquidator's falls by x. Funding first, aggregates around.
    let ovf = || error!(CrossMarginError::MathOverflow);
    let mut market = ctx.accounts.perp_market.load_mut()?;
    let position = &mut liqee.perp_positions[perp_slot];
    market.remove_position(position)?;
    market.settle_funding(position)?;
    position.quote.set(step.quote_after);
    market.add_position(position)?;
    let owed = &mut liqor.perp_positions[liqor_perp_slot];
    market.remove_position(owed)?;
    market.settle_funding(owed)?;
    let liqor_quote = owed
        .quote
        .get()
        .checked_sub(I80F48::from_num(step.loss_amount))
        .ok_or_else(ovf)?;
    owed.quote.set(liqor_quote);
    market.add_position(owed)?;
    drop(market);
    // The health caches hold quotes net of funding owed at `now`: move them by the same
    // amounts.
    let liqor_perp = *liqor_cache
        .perp(market_index)
        .ok_or(CrossMarginError::HealthPerpMismatch)?;
    liqor_cache.set_perp(
        market_index,
        liqor_perp.base,
        liqor_perp
            .quote
            .checked_sub(I80F48::from_num(step.loss_amount))
            .ok_or_else(ovf)?,
    )?;
    cache.set_perp(market_index, I80F48::ZERO, step.quote_after)?;

    // The asset: the liquidatee gives up y, the liquidator receives y − insurance share,
    // which stays in the vault as protocol fees owed to the insurance fund.
    let (seized, received) = bank.seize(
        liqee.token_positions[asset_slot].indexed.get(),
        liqor.token_positions[liqor_asset_slot].indexed.get(),
        step.asset_amount,
        step.liquidator_asset,
        step.insurance_amount,
    )?;
    liqee.token_positions[asset_slot].indexed.set(seized);
    liqor.token_positions[liqor_asset_slot]
        .indexed
        .set(received);
    drop(bank);
    cache.set_balance(asset_index, seized)?;
    liqor_cache.set_balance(asset_index, received)?;

    let after = cache.health()?;
    require!(
        after.init > before.init && after.maint > before.maint,
        CrossMarginError::LiquidationWouldNotImprove
    );
    liqee.being_liquidated = u8::from(after.init < I80F48::ZERO);
    let liqor_after = liqor_cache.health()?.init;
    if liqor_after < I80F48::ZERO {
        msg!("liquidator init health after {}", liqor_after);
        return err!(CrossMarginError::HealthWouldBeNegative);
    }
    liqee.release_perp_if_empty(perp_slot);
    liqee.release_if_empty(asset_slot);
    liqor.release_perp_if_empty(liqor_perp_slot);
    liqor.release_if_empty(liqor_asset_slot);
    drop((liqee, liqor));

    let a = &ctx.accounts;
    emit!(PerpLossLiquidated {
        liquidator: a.liquidator.key(),
        liquidatee: a.liquidatee.key(),
        perp_market: a.perp_market.key(),
        asset_bank: a.asset_bank.key(),
        loss_amount: step.loss_amount,
        quote_after: step.quote_after.to_bits(),
        asset_amount: step.asset_amount,
        insurance_amount: step.insurance_amount,
        asset_price: side.price,
        asset_expo: side.expo,
        init_health_before: before.init.to_bits(),
        maint_health_before: before.maint.to_bits(),
        init_health_after: after.init.to_bits(),
        maint_health_after: after.maint.to_bits(),
    });
    Ok(())
}
