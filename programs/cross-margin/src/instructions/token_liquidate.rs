use crate::error::CrossMarginError;
use crate::events::TokenLiquidated;
use crate::health::engine::HealthCache;
use crate::health::liquidation::{self, LiquidationSide};
use crate::health::retriever::{liquidation_caches, Prices};
use crate::math::I80F48;
use crate::state::{Bank, Flow, Group, MarginAccount};
use anchor_lang::prelude::*;

/// Liquidate an unhealthy account: the liquidator's margin account takes over up to
/// `max_liab_transfer` native units of the liquidatee's borrow in `liab_bank` and receives
/// its deposit in `asset_bank` at the discount of both banks' liquidation fees. No tokens
/// move at all: balances are re-assigned inside the banks, and the insurance share of the
/// fee is booked to the asset bank's protocol fees (swept to its insurance vault by
/// `bank_sweep_fees`), so an empty vault can never block a liquidation.
///
/// **Anyone** with a margin account may call (signer = its owner or delegate).
///
/// Gates: refused while the group is paused (a pause is the response to broken prices, the
/// moment not to seize collateral); liquidator ≠ liquidatee; asset bank ≠ liability bank.
/// Prices: the two banks transferred must have valid oracles now (their prices set the
/// amounts); the liquidatee's other positions are valued at their bank's last valid price,
/// widened to maximum confidence, while their oracle is invalid (`health::retriever`), so
/// a dead feed on an unrelated position cannot shield an unhealthy account. Every oracle
/// of the liquidator's account must be valid (it takes on risk). Reduce-only, bank limits,
/// the breaker and the net outflow limit do not apply (no new risk enters the bank and no
/// token leaves a vault). Both sides' init health uses the oracle alone, not the stable
/// price: liquidation follows the market (the transferred banks' stable prices and
/// breakers are updated from the readings used).
///
/// Allowed when the liquidatee's maint health < 0, or it is already `being_liquidated` and
/// its init health is still < 0. The amount is capped by the argument, the liability, the
/// deposit and the amount that brings init health to 0 (see `health::liquidation`). After it:
/// the liquidatee's init health must have strictly improved; the flag is set, or cleared once
/// init health ≥ 0; the liquidator's init health must be ≥ 0.
///
/// `remaining_accounts`: the liquidatee's health accounts (its banks in slot order, then their
/// oracles), immediately followed by the liquidator's, laid out for the liquidator's
/// positions *after* it opens slots for the two tokens (first free slots). Both lists are
/// checked as strictly as in `token_withdraw`.
#[derive(Accounts)]
pub struct TokenLiquidate<'info> {
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
    #[account(mut, has_one = group @ CrossMarginError::GroupMismatch)]
    pub asset_bank: AccountLoader<'info, Bank>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        constraint = liab_bank.key() != asset_bank.key() @ CrossMarginError::SameBank,
    )]
    pub liab_bank: AccountLoader<'info, Bank>,
}

/// A bank's liquidation side, priced from the liquidatee's health cache (one snapshot).
fn side(bank: &Bank, cache: &HealthCache) -> Result<LiquidationSide> {
    let token = cache
        .token(bank.token_index)
        .ok_or(CrossMarginError::HealthBankMismatch)?;
    require!(token.risk.live, CrossMarginError::OracleStale);
    Ok(bank.liquidation_side(&token.risk.oracle))
}

pub fn token_liquidate<'info>(
    ctx: Context<'info, TokenLiquidate<'info>>,
    max_liab_transfer: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(
        !ctx.accounts.group.load()?.is_paused(now),
        CrossMarginError::GroupPaused
    );
    let (asset_index, liab_index) = {
        let mut asset = ctx.accounts.asset_bank.load_mut()?;
        let mut liab = ctx.accounts.liab_bank.load_mut()?;
        asset.accrue_interest(now)?;
        liab.accrue_interest(now)?;
        (asset.token_index, liab.token_index)
    };

    let mut liqee = ctx.accounts.liquidatee.load_mut()?;
    let liqee_asset_slot = liqee
        .position_slot(asset_index)
        .ok_or(CrossMarginError::NoAssetToSeize)?;
    let liqee_liab_slot = liqee
        .position_slot(liab_index)
        .ok_or(CrossMarginError::NoLiabilityToTake)?;
    let mut liqor = ctx.accounts.liquidator.load_mut()?;
    let (liqor_asset_slot, liqor_liab_slot) =
        liqor.find_or_create_positions(asset_index, liab_index)?;
    let (mut liqee_cache, mut liqor_cache) = liquidation_caches(
        &liqee,
        &liqor,
        ctx.remaining_accounts,
        ctx.program_id,
        now,
        Prices::LiveFor([asset_index, liab_index]),
    )?;

    let before = liqee_cache.health()?;
    require!(
        liqee.is_liquidatable(&before),
        CrossMarginError::NotLiquidatable
    );

    let mut asset_bank = ctx.accounts.asset_bank.load_mut()?;
    let mut liab_bank = ctx.accounts.liab_bank.load_mut()?;
    let asset_side = side(&asset_bank, &liqee_cache)?;
    let liab_side = side(&liab_bank, &liqee_cache)?;
    let plan = liquidation::plan(
        &liqee_cache,
        &asset_side,
        &liab_side,
        asset_bank.liquidation_insurance_share_bps,
        max_liab_transfer,
    )?;
    let bank_keys = [ctx.accounts.asset_bank.key(), ctx.accounts.liab_bank.key()];
    for ((bank, index), key) in [(&mut asset_bank, asset_index), (&mut liab_bank, liab_index)]
        .into_iter()
        .zip(bank_keys)
    {
        if let Some(t) = liqee_cache.token(index) {
            bank.observe_price(key, &t.risk.oracle, now);
        }
    }

    // Liability: the liquidatee repays x, the liquidator borrows x.
    let repaid = liab_bank.deposit(
        liqee.token_positions[liqee_liab_slot].indexed.get(),
        plan.liab_amount,
        Flow::Liquidation,
    )?;
    liqee.token_positions[liqee_liab_slot]
        .indexed
        .set(repaid.indexed);
    let taken = liab_bank.withdraw(
        liqor.token_positions[liqor_liab_slot].indexed.get(),
        plan.liab_amount,
        true,
        Flow::Liquidation,
    )?;
    liqor.token_positions[liqor_liab_slot]
        .indexed
        .set(taken.indexed);

    // Asset: the liquidatee gives up y, the liquidator receives y − insurance share, and the
    // insurance share stays in the vault as protocol fees owed to the insurance fund.
    let (seized, received) = asset_bank.seize(
        liqee.token_positions[liqee_asset_slot].indexed.get(),
        liqor.token_positions[liqor_asset_slot].indexed.get(),
        plan.asset_amount,
        plan.liquidator_asset,
        plan.insurance_amount,
    )?;
    liqee.token_positions[liqee_asset_slot].indexed.set(seized);
    liqor.token_positions[liqor_asset_slot]
        .indexed
        .set(received);

    for (cache, account) in [(&mut liqee_cache, &liqee), (&mut liqor_cache, &liqor)] {
        for index in [asset_index, liab_index] {
            let slot = account
                .position_slot(index)
                .ok_or(CrossMarginError::HealthBankMismatch)?;
            cache.set_balance(index, account.token_positions[slot].indexed.get())?;
        }
    }
    let after = liqee_cache.health()?;
    require!(
        after.init > before.init,
        CrossMarginError::LiquidationWouldNotImprove
    );
    liqee.being_liquidated = (after.init < I80F48::ZERO) as u8;
    let liqor_after = liqor_cache.health()?.init;
    if liqor_after < I80F48::ZERO {
        msg!("liquidator init health after {}", liqor_after);
        return err!(CrossMarginError::HealthWouldBeNegative);
    }
    for slot in [liqee_asset_slot, liqee_liab_slot] {
        liqee.release_if_empty(slot);
    }
    for slot in [liqor_asset_slot, liqor_liab_slot] {
        liqor.release_if_empty(slot);
    }
    drop((liqee, liqor, asset_bank, liab_bank));

    let a = &ctx.accounts;
    emit!(TokenLiquidated {
        liquidator: a.liquidator.key(),
        liquidatee: a.liquidatee.key(),
        asset_bank: a.asset_bank.key(),
        liab_bank: a.liab_bank.key(),
        liab_amount: plan.liab_amount,
        asset_amount: plan.asset_amount,
        insurance_amount: plan.insurance_amount,
        asset_price: asset_side.price,
        liab_price: liab_side.price,
        init_health_before: before.init.to_bits(),
        maint_health_before: before.maint.to_bits(),
        init_health_after: after.init.to_bits(),
        maint_health_after: after.maint.to_bits(),
    });
    Ok(())
}
