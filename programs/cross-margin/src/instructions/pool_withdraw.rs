use crate::error::CrossMarginError;
use crate::events::PoolWithdrawn;
use crate::health::auto_deleverage::excess;
use crate::health::perp_trade::{amount_for_shares, reserve_required};
use crate::state::{Group, PerpMarket};
use crate::token_cpi::transfer_out;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Burn, Mint, TokenAccount, TokenInterface};

/// Redeem `shares` LP shares of a perp market's pool for settle tokens. **The shares'
/// owner** (signs the burn).
///
/// Pays `shares × pool value / supply` rounded down, the pool valued with traders' PnL at
/// the end of the oracle's confidence interval that makes it cheapest. Refused: zero
/// shares or a payout that rounds to zero or a pool without positive value
/// (`PoolAmountInvalid`); a payout above the vault (part of the value is traders' unsettled
/// losses) or one that leaves the vault below the reserve, `pool_reserve_bps` of the net
/// open interest notional (`PoolReserveBreached`: the pool must be able to pay what the
/// open positions may win); one that leaves traders' unsettled profit above the ADL
/// threshold of what stays in the vault (`PoolWithdrawWouldTriggerAdl`: an LP exit must
/// not deleverage the traders the pool owes); an invalid oracle; a paused group. Checks as `pool_deposit`.
///
/// `remaining_accounts`: none.
#[derive(Accounts)]
pub struct PoolWithdraw<'info> {
    pub owner: Signer<'info>,
    pub group: AccountLoader<'info, Group>,
    #[account(
        mut,
        has_one = group @ CrossMarginError::GroupMismatch,
        has_one = pool_vault @ CrossMarginError::VaultMismatch,
        has_one = lp_mint @ CrossMarginError::MintMismatch,
        has_one = oracle @ CrossMarginError::OracleMismatch,
    )]
    pub perp_market: AccountLoader<'info, PerpMarket>,
    #[account(mut, token::mint = settle_mint, token::token_program = token_program)]
    pub pool_vault: InterfaceAccount<'info, TokenAccount>,
    #[account(mut, mint::token_program = token_program)]
    pub lp_mint: InterfaceAccount<'info, Mint>,
    pub settle_mint: InterfaceAccount<'info, Mint>,
    #[account(mut, constraint = lp_source.mint == lp_mint.key() @ CrossMarginError::MintMismatch)]
    pub lp_source: InterfaceAccount<'info, TokenAccount>,
    #[account(mut, constraint = destination.mint == settle_mint.key() @ CrossMarginError::MintMismatch)]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    /// CHECK: the market's oracle (`has_one`); owner and format checked when read.
    pub oracle: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn pool_withdraw(ctx: Context<PoolWithdraw>, shares: u64) -> Result<()> {
    require!(shares > 0, CrossMarginError::AmountZero);
    let now = Clock::get()?.unix_timestamp;
    let group_signer = ctx.accounts.group.load()?.unpaused_signer(now)?;
    let a = &ctx.accounts;
    let vault = a.pool_vault.amount;
    let (amount, value) = {
        let mut market = a.perp_market.load_mut()?;
        let price = market.refresh(&a.oracle, now)?;
        let value = market.pool_value(vault, &price, false)?;
        let amount = amount_for_shares(shares, value, market.lp_supply)
            .filter(|x| *x > 0)
            .ok_or(CrossMarginError::PoolAmountInvalid)?;
        let (mid, _) = market.mid_and_conf(&price)?;
        let reserve = reserve_required(market.net_base(), mid, market.pool_reserve_bps)
            .ok_or(CrossMarginError::MathOverflow)?;
        // Part of the pool's value may be traders' unsettled losses, not yet in the vault.
        if amount > vault || vault - amount < reserve {
            msg!(
                "vault {} - {} would be below the reserve {}",
                vault,
                amount,
                reserve
            );
            return err!(CrossMarginError::PoolReserveBreached);
        }
        // Nor may LPs leave traders' profit over the ADL threshold: an exit would otherwise
        // deleverage the traders the pool owes (measured as the trigger measures it).
        let owed = market.adl_owed(&price)?;
        if excess(owed, vault - amount, market.adl_threshold_bps).is_some() {
            msg!(
                "traders are owed {}; the vault would keep {}",
                owed,
                vault - amount
            );
            return err!(CrossMarginError::PoolWithdrawWouldTriggerAdl);
        }
        market.lp_supply = market
            .lp_supply
            .checked_sub(shares)
            .ok_or(CrossMarginError::PoolAmountInvalid)?;
        (amount, value)
    };
    let accounts = Burn {
        mint: a.lp_mint.to_account_info(),
        from: a.lp_source.to_account_info(),
        authority: a.owner.to_account_info(),
    };
    token_interface::burn(CpiContext::new(a.token_program.key(), accounts), shares)?;
    transfer_out(
        &a.token_program,
        &a.pool_vault,
        &a.destination,
        &a.settle_mint,
        a.group.to_account_info(),
        &group_signer.seeds(),
        amount,
    )?;
    emit!(PoolWithdrawn {
        perp_market: a.perp_market.key(),
        owner: a.owner.key(),
        shares,
        amount,
        pool_value: value.to_bits(),
    });
    Ok(())
}
