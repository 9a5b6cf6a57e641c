use crate::error::CrossMarginError;
use crate::events::PerpMarketEdited;
use crate::guard::perp_rules::first_loosening_field;
use crate::state::{Group, PerpConfig, PerpMarket};
use anchor_lang::prelude::*;

/// Change a perp market's parameters at once. **Admin only** (`has_one = admin`; the
/// market must belong to the admin's group).
///
/// The config is validated as in `perp_market_register` (`PerpConfig::validate`); the
/// oracle format cannot change (the oracle account is fixed at registration:
/// `InvalidPerpConfig`). On a live group only changes that **tighten** apply (reduce-only
/// on, a lower open-interest cap, lower long or higher short init weights, a higher fee or
/// reserve...: `guard::perp_rules`); any loosening field, and any change of a maint-side
/// weight, fails with `LooseningNeedsTimelock` naming the field in the log, because one
/// such transaction reaches every position of the market at once and perp markets have no
/// timelock queue or maint ramp yet. During the group's setup phase everything valid
/// applies. Funding is accrued under the old parameters first; the stable price and breaker
/// keep their state.
#[derive(Accounts)]
pub struct PerpMarketEdit<'info> {
    pub admin: Signer<'info>,
    #[account(has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        has_one = oracle @ CrossMarginError::OracleMismatch,
    )]
    pub perp_market: AccountLoader<'info, PerpMarket>,
    /// CHECK: the market's oracle (`has_one`); read to accrue funding when valid.
    pub oracle: UncheckedAccount<'info>,
}

pub fn perp_market_edit<'info>(
    ctx: Context<'info, PerpMarketEdit<'info>>,
    config: PerpConfig,
) -> Result<()> {
    config.validate()?;
    let now = Clock::get()?.unix_timestamp;
    let live = ctx.accounts.group.load()?.is_live();
    let mut market = ctx.accounts.perp_market.load_mut()?;
    let old = market.config()?;
    require!(
        config.oracle_kind == old.oracle_kind,
        CrossMarginError::InvalidPerpConfig
    );
    if live {
        if let Some(field) = first_loosening_field(&old, &config) {
            msg!(
                "{} loosens risk on a live market: it cannot be applied at once",
                field
            );
            return err!(CrossMarginError::LooseningNeedsTimelock);
        }
    }
    // Funding up to now under the old rates; an outage does not block a tightening edit.
    if market.refresh(&ctx.accounts.oracle, now).is_err() {
        msg!("oracle invalid now: funding not accrued before the edit");
    }
    market.apply_config(&config);
    emit!(PerpMarketEdited {
        perp_market: ctx.accounts.perp_market.key(),
        config,
    });
    Ok(())
}
