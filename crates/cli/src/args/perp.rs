//! Perp and pool arguments: `perp market register|show`, `perp open|close|show|settle`
//! and `pool deposit|withdraw`, with a perp market's config flags ([`PerpRiskArgs`], the
//! perp counterpart of [`super::RiskArgs`]).
//!
//! Sizes are in base tokens read with the market's base decimals (`--size 2.5`), prices in
//! settle tokens per whole base unit (`--limit-price 101.5`), pool amounts in settle tokens
//! and LP shares in LP tokens (the LP mint has the settle token's decimals); `--native`
//! reads all of them as raw units.

use super::risk::{Limit, OracleKindArg};
use anchor_lang::prelude::Pubkey;
use clap::{Args, Subcommand, ValueEnum};
use cross_margin::state::{OracleKind, PerpConfig};
use cross_margin_client::amount::Amount;
use std::fmt;
use std::str::FromStr;

#[derive(Subcommand, Debug)]
pub enum PerpCmd {
    /// List and inspect perp markets.
    #[command(subcommand)]
    Market(PerpMarketCmd),
    /// Open or increase a perp position against the pool (`--isolated`: in a fresh margin
    /// account funded from this one, so a loss cannot reach this account).
    Open(PerpOpenArgs),
    /// Reduce or close a perp position (reduce-only: never flips it).
    Close(PerpCloseArgs),
    /// The account's perp positions: size, entry price, quote, unsettled PnL, funding owed.
    Show {
        /// The margin account's address.
        #[arg(long)]
        account: Pubkey,
    },
    /// Settle a position's PnL (funding included) into the account's settle-token balance.
    Settle {
        /// The margin account's address.
        #[arg(long)]
        account: Pubkey,
        /// The perp market's address.
        #[arg(long)]
        market: Pubkey,
    },
}

#[derive(Subcommand, Debug)]
pub enum PerpMarketCmd {
    /// List a perp market traded against its own pool (group admin only): the pool vault
    /// and LP mint are created in the settle bank's token.
    Register {
        /// The group's address.
        #[arg(long)]
        group: Pubkey,
        /// The bank PnL settles into (its token funds the pool; normally USDC).
        #[arg(long)]
        settle_bank: Pubkey,
        /// The base asset's Pyth price account (USD per whole base unit).
        #[arg(long)]
        oracle: Pubkey,
        /// The market's index in the group (unused; part of its address).
        #[arg(long)]
        perp_index: u16,
        /// Name shown by `perp market show` (at most 16 bytes), e.g. SOL-PERP.
        #[arg(long)]
        name: String,
        /// Decimals of the base asset: sizes are in 10^-decimals of a whole unit.
        #[arg(long)]
        base_decimals: u8,
        #[command(flatten)]
        risk: Box<PerpRiskArgs>,
    },
    /// Config, open interest per side, funding rate and index, oracle and stable price,
    /// the pool's vault, value and LP supply.
    Show {
        /// The perp market's address.
        #[arg(long)]
        market: Pubkey,
    },
}

#[derive(Subcommand, Debug)]
pub enum PoolCmd {
    /// Deposit settle tokens into a market's pool for LP shares (the pool is every
    /// trader's counterparty: it earns fees and traders' losses and pays their profits).
    Deposit {
        /// The perp market's address.
        #[arg(long)]
        market: Pubkey,
        /// Amount of the settle token, e.g. 1000.
        #[arg(long, allow_hyphen_values = true)]
        amount: Amount,
        /// Read --amount in native units.
        #[arg(long)]
        native: bool,
        /// Your settle-token account (default: the signer's associated token account).
        #[arg(long)]
        token_account: Option<Pubkey>,
        /// Where the LP shares go (default: the signer's associated LP token account,
        /// created if missing).
        #[arg(long)]
        lp_account: Option<Pubkey>,
    },
    /// Redeem LP shares for settle tokens at the pool's value.
    Withdraw {
        /// The perp market's address.
        #[arg(long)]
        market: Pubkey,
        /// LP shares to redeem, in LP tokens (the settle token's decimals).
        #[arg(
            long,
            allow_hyphen_values = true,
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        shares: Option<Amount>,
        /// Redeem every share the LP account holds.
        #[arg(long)]
        all: bool,
        /// Read --shares in native units.
        #[arg(long)]
        native: bool,
        /// Your settle-token account (default: the signer's associated token account,
        /// created if missing).
        #[arg(long)]
        token_account: Option<Pubkey>,
        /// The LP token account to redeem from (default: the signer's associated one).
        #[arg(long)]
        lp_account: Option<Pubkey>,
    },
}

/// Long (buy) or short (sell).
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Side {
    Long,
    Short,
}

/// `TOKEN=AMOUNT`: a bank (its address, its mint, or its token index) and an amount in
/// its tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collateral {
    pub token: TokenRef,
    pub amount: Amount,
}

/// How a bank is named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenRef {
    /// A token index (`0`).
    Index(u16),
    /// A bank or mint address.
    Key(Pubkey),
}

impl FromStr for Collateral {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (token, amount) = s
            .split_once('=')
            .ok_or_else(|| format!("collateral {s:?} is not TOKEN=AMOUNT (e.g. 0=250)"))?;
        let token = match token.trim().parse::<u16>() {
            Ok(i) => TokenRef::Index(i),
            Err(_) => TokenRef::Key(token.trim().parse().map_err(|_| {
                format!("collateral token {token:?} is not a token index, bank or mint")
            })?),
        };
        let amount = amount
            .parse::<Amount>()
            .map_err(|e| format!("collateral amount: {e}"))?;
        Ok(Collateral { token, amount })
    }
}

impl fmt::Display for TokenRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenRef::Index(i) => write!(f, "token {i}"),
            TokenRef::Key(k) => write!(f, "{k}"),
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct PerpOpenArgs {
    /// The margin account that trades (with --isolated: the one the collateral comes
    /// from, which never holds the position).
    #[arg(long)]
    pub account: Pubkey,
    /// The perp market's address.
    #[arg(long)]
    pub market: Pubkey,
    /// Long buys the base, short sells it.
    #[arg(long, value_enum)]
    pub side: Side,
    /// Size in base tokens, e.g. 2.5.
    #[arg(long, allow_hyphen_values = true)]
    pub size: Amount,
    /// Worst price accepted, settle tokens per whole base unit (a long pays at most it, a
    /// short receives at least it; default: any price).
    #[arg(long, allow_hyphen_values = true)]
    pub limit_price: Option<Amount>,
    /// Read --size, --limit-price and the collateral amounts in native units.
    #[arg(long)]
    pub native: bool,
    /// Open the position in a fresh margin account (the owner's next free account number)
    /// funded only by --collateral moved out of --account: its loss is capped at that
    /// collateral.
    #[arg(long, requires = "collateral")]
    pub isolated: bool,
    /// With --isolated: TOKEN=AMOUNT to move into the new account (TOKEN: a token index,
    /// bank or mint address); repeat for several tokens.
    #[arg(long, requires = "isolated")]
    pub collateral: Vec<Collateral>,
}

#[derive(Args, Debug, Clone)]
pub struct PerpCloseArgs {
    /// The margin account holding the position.
    #[arg(long)]
    pub account: Pubkey,
    /// The perp market's address.
    #[arg(long)]
    pub market: Pubkey,
    /// Close only this much, in base tokens (default: the whole position); more than the
    /// position is refused.
    #[arg(long, allow_hyphen_values = true)]
    pub size: Option<Amount>,
    /// Worst price accepted, settle tokens per whole base unit (default: any price).
    #[arg(long, allow_hyphen_values = true)]
    pub limit_price: Option<Amount>,
    /// Read --size and --limit-price in native units.
    #[arg(long)]
    pub native: bool,
}

/// A perp market's risk, fee, funding and pool parameters (basis points: 10,000 = 100 %);
/// defaults are `PerpConfig::DEFAULT`.
#[derive(Args, Debug, Clone)]
pub struct PerpRiskArgs {
    /// Oracle account format.
    #[arg(long, value_enum, default_value = "pull")]
    pub oracle_kind: OracleKindArg,
    /// Oldest oracle price accepted, seconds (at most 900).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.max_staleness_secs)]
    pub max_staleness_secs: u64,
    /// Widest oracle confidence accepted, bps of the price (at most 1,000).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.max_conf_bps)]
    pub max_conf_bps: u32,
    /// Init weight of a long's base value (as a deposit's).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.init_asset_weight_bps)]
    pub init_asset_weight_bps: u32,
    /// Maint weight of a long's base value.
    #[arg(long, default_value_t = PerpConfig::DEFAULT.maint_asset_weight_bps)]
    pub maint_asset_weight_bps: u32,
    /// Maint weight of a short's base value (as a borrow's, ≥ 10,000).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.maint_liab_weight_bps)]
    pub maint_liab_weight_bps: u32,
    /// Init weight of a short's base value (≥ maint).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.init_liab_weight_bps)]
    pub init_liab_weight_bps: u32,
    /// Weight of unsettled profit in init health (0: not borrowable until settled).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.init_pnl_weight_bps)]
    pub init_pnl_weight_bps: u32,
    /// Init charge on a spot balance and this perp hedging each other, bps of notional.
    #[arg(long, default_value_t = PerpConfig::DEFAULT.hedge_init_bps)]
    pub hedge_init_bps: u32,
    /// Maint charge on a hedged overlap, bps of notional.
    #[arg(long, default_value_t = PerpConfig::DEFAULT.hedge_maint_bps)]
    pub hedge_maint_bps: u32,
    /// Trading fee paid to the pool, bps of notional (at most 500).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.trading_fee_bps)]
    pub trading_fee_bps: u32,
    /// Price impact of a trade as large as the open interest cap, bps (at most 2,000).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.impact_bps)]
    pub impact_bps: u32,
    /// Liquidations close at the oracle worsened by this, bps (below both margins).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.liquidation_fee_bps)]
    pub liquidation_fee_bps: u32,
    /// Fee of a hedged pair liquidation (perp and the spot it hedges unwound together),
    /// bps, charged once on the perp leg; below --hedge-maint-bps.
    #[arg(long, default_value_t = PerpConfig::DEFAULT.pair_liquidation_fee_bps)]
    pub pair_liquidation_fee_bps: u32,
    /// Share of the liquidation fee kept by the pool, bps.
    #[arg(long, default_value_t = PerpConfig::DEFAULT.liquidation_insurance_share_bps)]
    pub liquidation_insurance_share_bps: u32,
    /// Open interest cap per side in base tokens, or `unlimited`.
    #[arg(long, default_value = "unlimited")]
    pub max_open_interest: Limit,
    /// Read --max-open-interest in native base units.
    #[arg(long)]
    pub native_limits: bool,
    /// Funding rate per hour at full skew, bps of notional.
    #[arg(long, default_value_t = PerpConfig::DEFAULT.funding_skew_scale_bps)]
    pub funding_skew_scale_bps: u32,
    /// Funding rate clamp per hour, bps of notional (at most 100).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.max_funding_rate_bps)]
    pub max_funding_rate_bps: u32,
    /// Share of the net open interest notional the pool vault must keep, bps.
    #[arg(long, default_value_t = PerpConfig::DEFAULT.pool_reserve_bps)]
    pub pool_reserve_bps: u32,
    /// Positive PnL settled per window, bps of the pool's value.
    #[arg(long, default_value_t = PerpConfig::DEFAULT.settle_limit_bps)]
    pub settle_limit_bps: u32,
    /// Settle window length, seconds (60 to 86,400).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.settle_window_secs)]
    pub settle_window_secs: u32,
    /// Auto-deleveraging threshold: traders' unsettled profit as bps of the pool's vault.
    #[arg(long, default_value_t = PerpConfig::DEFAULT.adl_threshold_bps)]
    pub adl_threshold_bps: u32,
    /// How fast the stable price may follow the oracle (bps per hour).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.stable_growth_bps)]
    pub stable_growth_bps: u32,
    /// Trades adding exposure are refused while the oracle is this far from the stable
    /// price (bps).
    #[arg(long, default_value_t = PerpConfig::DEFAULT.breaker_band_bps)]
    pub breaker_band_bps: u32,
    /// No trade may increase a position.
    #[arg(long)]
    pub reduce_only: bool,
}

impl From<PerpConfig> for PerpRiskArgs {
    /// The flags that give `c`; the open interest cap in native units.
    fn from(c: PerpConfig) -> Self {
        PerpRiskArgs {
            oracle_kind: match c.oracle_kind {
                OracleKind::PythPull => OracleKindArg::Pull,
                OracleKind::PythLegacy => OracleKindArg::Legacy,
            },
            max_staleness_secs: c.max_staleness_secs,
            max_conf_bps: c.max_conf_bps,
            init_asset_weight_bps: c.init_asset_weight_bps,
            maint_asset_weight_bps: c.maint_asset_weight_bps,
            maint_liab_weight_bps: c.maint_liab_weight_bps,
            init_liab_weight_bps: c.init_liab_weight_bps,
            init_pnl_weight_bps: c.init_pnl_weight_bps,
            hedge_init_bps: c.hedge_init_bps,
            hedge_maint_bps: c.hedge_maint_bps,
            trading_fee_bps: c.trading_fee_bps,
            impact_bps: c.impact_bps,
            liquidation_fee_bps: c.liquidation_fee_bps,
            pair_liquidation_fee_bps: c.pair_liquidation_fee_bps,
            liquidation_insurance_share_bps: c.liquidation_insurance_share_bps,
            max_open_interest: Limit::from_native(c.max_open_interest),
            native_limits: true,
            funding_skew_scale_bps: c.funding_skew_scale_bps,
            max_funding_rate_bps: c.max_funding_rate_bps,
            pool_reserve_bps: c.pool_reserve_bps,
            settle_limit_bps: c.settle_limit_bps,
            settle_window_secs: c.settle_window_secs,
            adl_threshold_bps: c.adl_threshold_bps,
            stable_growth_bps: c.stable_growth_bps,
            breaker_band_bps: c.breaker_band_bps,
            reduce_only: c.reduce_only,
        }
    }
}

impl PerpRiskArgs {
    /// The config, the open interest cap in base tokens scaled by `base_decimals`.
    pub fn config(&self, base_decimals: u8) -> Result<PerpConfig, String> {
        let max_open_interest = self
            .max_open_interest
            .native(base_decimals, self.native_limits)
            .map_err(|e| format!("--max-open-interest: {e}"))?;
        Ok(PerpConfig {
            oracle_kind: match self.oracle_kind {
                OracleKindArg::Pull => OracleKind::PythPull,
                OracleKindArg::Legacy => OracleKind::PythLegacy,
            },
            max_staleness_secs: self.max_staleness_secs,
            max_conf_bps: self.max_conf_bps,
            init_asset_weight_bps: self.init_asset_weight_bps,
            maint_asset_weight_bps: self.maint_asset_weight_bps,
            maint_liab_weight_bps: self.maint_liab_weight_bps,
            init_liab_weight_bps: self.init_liab_weight_bps,
            init_pnl_weight_bps: self.init_pnl_weight_bps,
            hedge_init_bps: self.hedge_init_bps,
            hedge_maint_bps: self.hedge_maint_bps,
            trading_fee_bps: self.trading_fee_bps,
            impact_bps: self.impact_bps,
            liquidation_fee_bps: self.liquidation_fee_bps,
            pair_liquidation_fee_bps: self.pair_liquidation_fee_bps,
            liquidation_insurance_share_bps: self.liquidation_insurance_share_bps,
            max_open_interest,
            funding_skew_scale_bps: self.funding_skew_scale_bps,
            max_funding_rate_bps: self.max_funding_rate_bps,
            pool_reserve_bps: self.pool_reserve_bps,
            settle_limit_bps: self.settle_limit_bps,
            settle_window_secs: self.settle_window_secs,
            adl_threshold_bps: self.adl_threshold_bps,
            stable_growth_bps: self.stable_growth_bps,
            breaker_band_bps: self.breaker_band_bps,
            reduce_only: self.reduce_only,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configs_round_trip_and_the_cap_is_in_base_tokens() {
        let c = PerpConfig {
            max_open_interest: 5_000,
            ..PerpConfig::DEFAULT
        };
        assert_eq!(PerpRiskArgs::from(c).config(9).unwrap(), c);
        let mut args = PerpRiskArgs::from(PerpConfig::DEFAULT);
        args.native_limits = false;
        args.max_open_interest = "1000.5".parse().unwrap();
        assert_eq!(args.config(9).unwrap().max_open_interest, 1_000_500_000_000);
        assert!(args.config(0).is_err());
    }

    #[test]
    fn collateral_is_token_equals_amount() {
        let c: Collateral = "0=250.5".parse().unwrap();
        assert_eq!(c.token, TokenRef::Index(0));
        assert_eq!(c.amount.to_string(), "250.5");
        let key = Pubkey::new_unique();
        let c: Collateral = format!("{key}=1").parse().unwrap();
        assert_eq!(c.token, TokenRef::Key(key));
        assert!("usdc".parse::<Collateral>().is_err());
        assert!("0=0".parse::<Collateral>().is_err());
        assert!("nope=1".parse::<Collateral>().is_err());
    }
}
