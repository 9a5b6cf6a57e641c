use crate::error::CrossMarginError;
use crate::events::PerpPairLiquidated;
use crate::health::pair_liquidation::{plan, PairLiquidationParams};
use crate::health::retriever::{liquidation_caches, Prices};
use crate::math::{rounding, Round, I80F48};
use crate::state::{Bank, Flow, Group, MarginAccount, PerpMarket};
use crate::token_cpi::transfer_out;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Liquidate a *hedged* pair: close up to `max_base` base native units of the liquidatee's
/// perp together with the same units of the spot balance it hedges (same oracle, opposite
/// side; see `health::pair_liquidation` for why neither leg alone can be liquidated). The
/// perp leg closes against the pool at the oracle price worsened by the market's
/// `pair_liquidation_fee_bps`; the spot leg moves to the liquidator at the oracle mid.
/// When the liquidatee sells spot, the liquidator pays for it in settle tokens from its
/// settle-bank position (borrowing if it must, under the bank's borrow limit, reduce-only
/// flag, utilisation cap and origination fee: `BorrowLimitExceeded`, `BankReduceOnly`)
/// into the pool vault, as far as the settle
/// vault can release them (the rest it owes the pool in its perp quote, so an empty vault
/// never blocks the liquidation), and the liquidatee's perp quote is credited the whole
/// price; when the liquidatee buys back a borrow, its perp quote pays the liquidator's. **Anyone** with a margin account in the group (signer = its
/// owner or delegate).
///
/// Checks: not paused; liquidator ≠ liquidatee; the spot bank is not the settle bank;
/// settle bank, pool vault and oracle are the market's, vault, mint and token program the
/// settle bank's; the liquidatee holds the perp (`NoPerpPosition`) and a balance in
/// `spot_bank` that the perp nets against in health (`NotHedged`); it is liquidatable
/// (maint < 0, or `being_liquidated` and init < 0), judged with this market's oracle valid
/// and its other positions at their outage prices, as `perp_liquidate` judges; the shared
/// oracle is valid for the bank too (`OracleStale`). The liquidatee's maint health must
/// strictly improve (`LiquidationWouldNotImprove`); the flag follows init health as for
/// every liquidation. The liquidator takes on the spot leg and pays for it, so every
/// oracle of its account must be valid and its init health must end ≥ 0
/// (`HealthWouldBeNegative`); it needs token slots for the spot and settle banks and a
/// perp slot for the market (`NoFreePositionSlot`, `NoFreePerpSlot`).
///
/// `remaining_accounts`: the liquidatee's health accounts, then the liquidator's laid out
/// for its positions *after* it opens token slots for the spot bank and then the settle
/// bank, and this market's perp slot (first free slots each), as `token_liquidate` lays
/// them out.
#[derive(Accounts)]
pub struct PerpLiquidatePair<'info> {
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
        has_one = settle_bank @ CrossMarginError::SettleBankMismatch,
        has_one = pool_vault @ CrossMarginError::VaultMismatch,
    )]
    pub perp_market: AccountLoader<'info, PerpMarket>,
    /// CHECK: the market's oracle (`has_one`); owner and format checked when read.
    pub oracle: UncheckedAccount<'info>,
    /// The bank whose balance the perp hedges (checked against health's pairing).
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        constraint = spot_bank.key() != settle_bank.key() @ CrossMarginError::NotHedged,
    )]
    pub spot_bank: AccountLoader<'info, Bank>,
    /// The market's settle bank (`has_one` on the market): the liquidator pays for spot it
    /// buys from its position here.
    #[account(
        mut,
        has_one = vault @ CrossMarginError::VaultMismatch,
        has_one = mint @ CrossMarginError::MintMismatch,
        has_one = token_program @ CrossMarginError::TokenProgramMismatch,
    )]
    pub settle_bank: AccountLoader<'info, Bank>,
    /// The settle bank's vault.
    #[account(mut)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    /// The market's pool vault (`has_one` on the market).
    #[account(mut)]
    pub pool_vault: InterfaceAccount<'info, TokenAccount>,
    pub mint: InterfaceAccount<'info, Mint>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn perp_liquidate_pair<'info>(
    ctx: Context<'info, PerpLiquidatePair<'info>>,
    max_base: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let group_signer = ctx.accounts.group.load()?.unpaused_signer(now)?;
    let (params, funding_index, settle_index) = {
        let mut market = ctx.accounts.perp_market.load_mut()?;
        market.refresh(&ctx.accounts.oracle, now)?;
        let mut bank = ctx.accounts.spot_bank.load_mut()?;
        bank.accrue_interest(now)?;
        let mut settle = ctx.accounts.settle_bank.load_mut()?;
        settle.accrue_interest(now)?;
        let params = PairLiquidationParams {
            market_index: market.perp_index,
            spot_token_index: bank.token_index,
            pair_fee_bps: market.pair_liquidation_fee_bps,
            insurance_share_bps: market.liquidation_insurance_share_bps,
        };
        (params, market.funding_index.get(), settle.token_index)
    };
    let (market_index, spot_index) = (params.market_index, params.spot_token_index);

    let mut liqee = ctx.accounts.liquidatee.load_mut()?;
    let perp_slot = liqee
        .perp_slot(market_index)
        .filter(|s| liqee.perp_positions[*s].base != 0)
        .ok_or(CrossMarginError::NoPerpPosition)?;
    let spot_slot = liqee
        .position_slot(spot_index)
        .ok_or(CrossMarginError::NotHedged)?;
    let mut liqor = ctx.accounts.liquidator.load_mut()?;
    let (liqor_spot_slot, liqor_settle_slot) =
        liqor.find_or_create_positions(spot_index, settle_index)?;
    let liqor_perp_slot = liqor.find_or_create_perp(market_index, settle_index, funding_index)?;
    let (mut cache, mut liqor_cache) = liquidation_caches(
        &liqee,
        &liqor,
        ctx.remaining_accounts,
        ctx.program_id,
        now,
        Prices::LivePerp(market_index),
    )?;
    let before = cache.health()?;
    require!(
        liqee.is_liquidatable(&before),
        CrossMarginError::NotLiquidatable
    );
    let perp = *cache
        .perp(market_index)
        .ok_or(CrossMarginError::HealthPerpMismatch)?;
    require!(perp.hedge_token == spot_index, CrossMarginError::NotHedged);
    let spot_oracle = cache
        .token(spot_index)
        .filter(|t| t.risk.live)
        .ok_or(CrossMarginError::OracleStale)?
        .risk
        .oracle;

    let mut market = ctx.accounts.perp_market.load_mut()?;
    let (mid, _) = market.mid_and_conf(&perp.risk.oracle)?;
    let step = plan(
        &mut cache,
        &params,
        liqee.perp_positions[perp_slot].base,
        perp.quote,
        mid,
        max_base,
    )?;
    let ovf = || error!(CrossMarginError::MathOverflow);
    // Settle tokens the liquidator pays into the pool for spot the liquidatee sells (a
    // whole number: `spot_quote` is integral), as far as the settle vault can release them:
    // a liquidity crunch in the settle bank must not block a liquidation, so what it
    // cannot release the liquidator owes the pool in its quote (a perp loss it settles as
    // any other). For a borrow it repays, its quote is owed the price.
    let (cash, liqor_credit) = if step.spot_quote > I80F48::ZERO {
        let price = rounding::to_native(step.spot_quote, Round::Up).ok_or_else(ovf)?;
        let available = {
            let settle = ctx.accounts.settle_bank.load()?;
            ctx.accounts
                .vault
                .amount
                .saturating_sub(settle.reserved_fees()?)
        };
        let cash = price.min(available);
        let owed = rounding::from_native(price - cash);
        let credit = step.liquidator_fee.checked_sub(owed).ok_or_else(ovf)?;
        (cash, credit)
    } else {
        let credit = step
            .liquidator_fee
            .checked_sub(step.spot_quote)
            .ok_or_else(ovf)?;
        (0, credit)
    };

    // Perp leg against the pool, and the spot leg's price, in the liquidatee's quote.
    let position = &mut liqee.perp_positions[perp_slot];
    market.remove_position(position)?;
    market.settle_funding(position)?;
    position.base = position.base.checked_add(step.base_delta).ok_or_else(ovf)?;
    let quote = position
        .quote
        .get()
        .checked_add(step.perp_quote_delta)
        .and_then(|q| q.checked_add(step.spot_quote))
        .ok_or_else(ovf)?;
    position.quote.set(quote);
    market.add_position(position)?;
    let (liqee_base, liqee_quote) = (position.base, quote);

    // The liquidator's fee, and what it is owed for a borrow it repaid, in its quote.
    let credit = &mut liqor.perp_positions[liqor_perp_slot];
    market.remove_position(credit)?;
    market.settle_funding(credit)?;
    let credited = credit
        .quote
        .get()
        .checked_add(liqor_credit)
        .ok_or_else(ovf)?;
    credit.quote.set(credited);
    market.add_position(credit)?;
    let (liqor_base, liqor_quote) = (credit.base, credited);
    drop(market);

    // Spot leg inside the bank: a deposit sold to the liquidator, or a borrow it repays.
    let units = step.spot_delta.unsigned_abs();
    let mut bank = ctx.accounts.spot_bank.load_mut()?;
    // The reading the leg was priced with feeds the bank's stable price and breaker, as a
    // token liquidation's does.
    bank.observe_price(ctx.accounts.spot_bank.key(), &spot_oracle, now);
    let liqee_indexed = liqee.token_positions[spot_slot].indexed.get();
    let liqor_indexed = liqor.token_positions[liqor_spot_slot].indexed.get();
    let (liqee_after, liqor_after) = if step.spot_delta < 0 {
        let sold = bank.withdraw(liqee_indexed, units, false, Flow::Liquidation)?;
        let bought = bank.deposit(liqor_indexed, units, Flow::Liquidation)?;
        (sold.indexed, bought.indexed)
    } else {
        let repaid = bank.deposit(liqee_indexed, units, Flow::Liquidation)?;
        let lent = bank.withdraw(liqor_indexed, units, true, Flow::Liquidation)?;
        (repaid.indexed, lent.indexed)
    };
    drop(bank);
    liqee.token_positions[spot_slot].indexed.set(liqee_after);
    liqor.token_positions[liqor_spot_slot]
        .indexed
        .set(liqor_after);

    // The liquidator's payment leaves its settle-bank position for the pool vault. Past
    // its deposit it is a loan the liquidator chose to take, so it obeys the bank's
    // borrowing rules as a user's borrow does (reduce-only, utilisation, borrow limit,
    // origination fee); a liquidator that cannot borrow pays from a deposit instead.
    let liqor_settle = liqor.token_positions[liqor_settle_slot].indexed.get();
    let liqor_settle = if cash > 0 {
        let mut settle = ctx.accounts.settle_bank.load_mut()?;
        settle
            .withdraw(liqor_settle, cash, true, Flow::User)?
            .indexed
    } else {
        liqor_settle
    };
    liqor.token_positions[liqor_settle_slot]
        .indexed
        .set(liqor_settle);

    cache.set_perp(market_index, I80F48::from_num(liqee_base), liqee_quote)?;
    cache.set_balance(spot_index, liqee_after)?;
    let after = cache.health()?;
    require!(
        after.maint > before.maint,
        CrossMarginError::LiquidationWouldNotImprove
    );
    liqee.being_liquidated = u8::from(after.init < I80F48::ZERO);
    liqor_cache.set_perp(market_index, I80F48::from_num(liqor_base), liqor_quote)?;
    liqor_cache.set_balance(spot_index, liqor_after)?;
    liqor_cache.set_balance(settle_index, liqor_settle)?;
    let liqor_health = liqor_cache.health()?.init;
    if liqor_health < I80F48::ZERO {
        msg!("liquidator init health after {}", liqor_health);
        return err!(CrossMarginError::HealthWouldBeNegative);
    }
    liqee.release_perp_if_empty(perp_slot);
    liqee.release_if_empty(spot_slot);
    liqor.release_perp_if_empty(liqor_perp_slot);
    liqor.release_if_empty(liqor_spot_slot);
    liqor.release_if_empty(liqor_settle_slot);
    drop((liqee, liqor));

    if cash > 0 {
        let a = &ctx.accounts;
        transfer_out(
            &a.token_program,
            &a.vault,
            &a.pool_vault,
            &a.mint,
            a.group.to_account_info(),
            &group_signer.seeds(),
            cash,
        )?;
    }

    emit!(PerpPairLiquidated {
        liquidatee: ctx.accounts.liquidatee.key(),
        liquidator: ctx.accounts.liquidator.key(),
        perp_market: ctx.accounts.perp_market.key(),
        spot_bank: ctx.accounts.spot_bank.key(),
        base_delta: step.base_delta,
        spot_delta: step.spot_delta,
        price: step.price.to_bits(),
        spot_quote: step.spot_quote.to_bits(),
        settle_paid: cash,
        liquidator_fee: step.liquidator_fee.to_bits(),
        pool_fee: step.pool_fee.to_bits(),
        maint_health_after: after.maint.to_bits(),
        init_health_after: after.init.to_bits(),
    });
    Ok(())
}
