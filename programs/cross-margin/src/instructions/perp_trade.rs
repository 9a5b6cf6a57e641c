use crate::error::CrossMarginError;
use crate::events::PerpTraded;
use crate::health::perp_trade::{
    execution_price, is_reducing, reserve_required, trade_quote_delta,
};
use crate::health::retriever::{health_cache_from_accounts, Prices};
use crate::health::InitPrices;
use crate::math::I80F48;
use crate::state::{Group, MarginAccount, PerpMarket};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

/// Trade `base_delta` base native units of a perp against the pool (positive buys,
/// negative sells): open, increase, reduce, close or flip. **Owner or delegate**
/// (`NotOwnerOrDelegate`).
///
/// Price: the oracle worsened by the trading fee, the oracle's confidence and the size's
/// impact (`health::perp_trade`); refused when worse than `limit_price`, quote native units
/// per **whole** base unit (a buy pays at most it, a sell receives at least it;
/// `LimitPriceExceeded`). Funding is accrued to now and settled into the position first.
///
/// Checks: not paused; `0 < |base_delta| ≤ max_open_interest` (`PerpTradeSizeInvalid`);
/// the oracle is valid now; a trade that grows the position is refused while the market
/// is reduce-only (`PerpReduceOnly`) or its breaker is tripped (`PerpBreakerReduceOnly`),
/// and when it takes its side's open interest above the cap (`OpenInterestCap`); a trade
/// that grows the traders' net open interest needs the pool vault to keep its reserve
/// (`PoolReserveBreached`). Health (init at the worse of oracle and stable price; every
/// oracle valid, or for a trade that only shrinks the position this market's alone, the
/// others at their outage prices): init health must end ≥ 0, or the trade only shrinks the
/// position and lowers neither init nor maint health (`HealthWouldBeNegative`).
///
/// `remaining_accounts`: the account's health accounts, laid out with this market's perp
/// position included (a new one takes the first free perp slot).
#[derive(Accounts)]
pub struct PerpTrade<'info> {
    pub signer: Signer<'info>,
    pub group: AccountLoader<'info, Group>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        constraint = account.load()?.is_owner_or_delegate(signer.key) @ CrossMarginError::NotOwnerOrDelegate,
    )]
    pub account: AccountLoader<'info, MarginAccount>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        has_one = pool_vault @ CrossMarginError::VaultMismatch,
        has_one = oracle @ CrossMarginError::OracleMismatch,
    )]
    pub perp_market: AccountLoader<'info, PerpMarket>,
    pub pool_vault: InterfaceAccount<'info, TokenAccount>,
    /// CHECK: the market's oracle (`has_one`); owner and format checked when read.
    pub oracle: UncheckedAccount<'info>,
}

pub fn perp_trade<'info>(
    ctx: Context<'info, PerpTrade<'info>>,
    base_delta: i64,
    limit_price: u64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(
        !ctx.accounts.group.load()?.is_paused(now),
        CrossMarginError::GroupPaused
    );
    // Funding and the stable price move first; the market is then read again from the
    // health accounts with them written.
    let (market_index, settle_index, funding_index) = {
        let mut market = ctx.accounts.perp_market.load_mut()?;
        require!(
            base_delta != 0 && base_delta.unsigned_abs() <= market.max_open_interest,
            CrossMarginError::PerpTradeSizeInvalid
        );
        market.refresh(&ctx.accounts.oracle, now)?;
        (
            market.perp_index,
            market.settle_token_index,
            market.funding_index.get(),
        )
    };
    let mut account = ctx.accounts.account.load_mut()?;
    let slot = account.find_or_create_perp(market_index, settle_index, funding_index)?;
    let old_base = account.perp_positions[slot].base;
    let new_base = old_base
        .checked_add(base_delta)
        .ok_or(CrossMarginError::PerpTradeSizeInvalid)?;
    let reducing = is_reducing(old_base, new_base);
    // A trade that only shrinks the position needs this market's oracle alone: the other
    // positions are valued at their outage prices (pessimistic before and after), so a
    // dead feed elsewhere cannot stop a trader from cutting risk.
    let prices = if reducing {
        Prices::LivePerp(market_index)
    } else {
        Prices::AllLive
    };
    let mut cache = health_cache_from_accounts(
        &account,
        ctx.remaining_accounts,
        ctx.program_id,
        now,
        prices,
        InitPrices::WorseOfOracleAndStable,
    )?;
    let before = cache.health()?;

    let mut market = ctx.accounts.perp_market.load_mut()?;
    let oracle = cache
        .perp(market_index)
        .ok_or(CrossMarginError::HealthPerpMismatch)?
        .risk
        .oracle;
    let (mid, conf) = market.mid_and_conf(&oracle)?;
    let position = &mut account.perp_positions[slot];
    if !reducing {
        require!(!market.is_reduce_only(), CrossMarginError::PerpReduceOnly);
        require!(
            !market.breaker_tripped(),
            CrossMarginError::PerpBreakerReduceOnly
        );
    }
    let price = execution_price(
        mid,
        conf,
        base_delta,
        market.trading_fee_bps,
        market.impact_bps,
        market.max_open_interest,
    )
    .ok_or(CrossMarginError::MathOverflow)?;
    let whole = price
        .checked_mul(I80F48::from_num(
            10u64
                .checked_pow(u32::from(market.base_decimals))
                .ok_or(CrossMarginError::MathOverflow)?,
        ))
        .ok_or(CrossMarginError::MathOverflow)?;
    let within_limit = if base_delta > 0 {
        whole <= I80F48::from_num(limit_price)
    } else {
        whole >= I80F48::from_num(limit_price)
    };
    require!(within_limit, CrossMarginError::LimitPriceExceeded);

    let (net_before, long_before, short_before) = (
        market.net_base(),
        market.long_open_interest,
        market.short_open_interest,
    );
    market.remove_position(position)?;
    let funding_paid = market.settle_funding(position)?;
    let quote = position
        .quote
        .get()
        .checked_add(trade_quote_delta(base_delta, price).ok_or(CrossMarginError::MathOverflow)?)
        .ok_or(CrossMarginError::MathOverflow)?;
    position.base = new_base;
    position.quote.set(quote);
    market.add_position(position)?;

    let cap = market.max_open_interest;
    let over = |after: u64, before: u64| after > cap && after > before;
    require!(
        !over(market.long_open_interest, long_before)
            && !over(market.short_open_interest, short_before),
        CrossMarginError::OpenInterestCap
    );
    let net_after = market.net_base();
    if net_after.unsigned_abs() > net_before.unsigned_abs() {
        let reserve = reserve_required(net_after, mid, market.pool_reserve_bps)
            .ok_or(CrossMarginError::MathOverflow)?;
        if ctx.accounts.pool_vault.amount < reserve {
            msg!(
                "pool vault {} < reserve {} for net open interest {}",
                ctx.accounts.pool_vault.amount,
                reserve,
                net_after
            );
            return err!(CrossMarginError::PoolReserveBreached);
        }
    }

    cache.set_perp(market_index, I80F48::from_num(new_base), quote)?;
    let after = cache.health()?;
    let allowed = after.init >= I80F48::ZERO
        || (reducing && after.init >= before.init && after.maint >= before.maint);
    if !allowed {
        msg!("health before {:?} after {:?}", before, after);
        return err!(CrossMarginError::HealthWouldBeNegative);
    }
    if after.init >= I80F48::ZERO {
        account.being_liquidated = 0;
    }
    account.release_perp_if_empty(slot);
    emit!(PerpTraded {
        account: ctx.accounts.account.key(),
        perp_market: ctx.accounts.perp_market.key(),
        base_delta,
        price: price.to_bits(),
        base_after: new_base,
        quote_after: quote.to_bits(),
        funding_paid: funding_paid.to_bits(),
        init_health_after: after.init.to_bits(),
    });
    Ok(())
}
