use crate::error::CrossMarginError;
use crate::events::FundingUpdated;
use crate::state::PerpMarket;
use anchor_lang::prelude::*;

/// Accrue a perp market's funding to now (a crank; every trade, settlement and
/// liquidation of the market accrues it too). **Anyone.**
///
/// The rate follows the open-interest skew over the time since the last accrual, at the
/// oracle price now (`health::perp`): longs pay when they dominate, shorts when they do,
/// the pool takes the net side. The oracle must be valid now (its own error otherwise); its
/// reading also moves the market's stable price and breaker. Checks: `oracle` is the
/// market's.
///
/// `remaining_accounts`: none.
#[derive(Accounts)]
pub struct PerpUpdateFunding<'info> {
    #[account(mut, has_one = oracle @ CrossMarginError::OracleMismatch)]
    pub perp_market: AccountLoader<'info, PerpMarket>,
    /// CHECK: the market's oracle (`has_one`); owner and format checked when read.
    pub oracle: UncheckedAccount<'info>,
}

pub fn perp_update_funding(ctx: Context<PerpUpdateFunding>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut market = ctx.accounts.perp_market.load_mut()?;
    market.refresh(&ctx.accounts.oracle, now)?;
    emit!(FundingUpdated {
        perp_market: ctx.accounts.perp_market.key(),
        funding_index: market.funding_index.get().to_bits(),
        long_open_interest: market.long_open_interest,
        short_open_interest: market.short_open_interest,
    });
    Ok(())
}
