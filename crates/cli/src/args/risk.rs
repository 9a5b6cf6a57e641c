//! A bank's risk, fee, oracle and limit flags (`bank register|edit`, `admin queue`).
//!
//! The deposit and borrow limits are amounts like any other: read in tokens with the mint's
//! decimals (`--deposit-limit 250000`), or as native units with `--native-limits`, or
//! `unlimited`. The decimals are only known once the mint or bank is read, so the flags
//! keep the number as typed and [`RiskArgs::config`] scales it.

use clap::{Args, ValueEnum};
use cross_margin::state::{BankConfig, OracleKind};
use cross_margin_client::amount::{AmountError, Decimal};
use std::fmt;
use std::str::FromStr;

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum OracleKindArg {
    /// Pyth pull oracle (`PriceUpdateV2` at the sponsored feed address).
    Pull,
    /// Pyth legacy push price account.
    Legacy,
}

/// A deposit or borrow limit: `unlimited`, or a number (zero allowed: nothing may be
/// deposited or borrowed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Limit {
    Unlimited,
    Amount(Decimal),
}

impl Limit {
    /// Native units: `u64::MAX` for unlimited (the program's "no limit").
    pub fn native(&self, decimals: u8, native: bool) -> Result<u64, AmountError> {
        match self {
            Limit::Unlimited => Ok(u64::MAX),
            Limit::Amount(d) if native => d.whole(),
            Limit::Amount(d) => d.to_native(decimals),
        }
    }

    /// The limit as stored (native units), for flags that reproduce a config.
    pub(crate) fn from_native(n: u64) -> Self {
        if n == u64::MAX {
            Limit::Unlimited
        } else {
            Limit::Amount(Decimal::from(n))
        }
    }
}

impl FromStr for Limit {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "unlimited" => Ok(Limit::Unlimited),
            _ => Decimal::parse(s).map(Limit::Amount),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Unlimited => f.write_str("unlimited"),
            Limit::Amount(d) => d.fmt(f),
        }
    }
}

/// Risk, fee and oracle parameters of a bank (basis points: 10,000 = 100 %); defaults are
/// `BankConfig::DEFAULT`.
#[derive(Args, Debug, Clone)]
pub struct RiskArgs {
    /// Oracle account format.
    #[arg(long, value_enum, default_value = "pull")]
    pub oracle_kind: OracleKindArg,
    /// Oldest oracle price accepted, seconds (at most 900).
    #[arg(long, default_value_t = BankConfig::DEFAULT.max_staleness_secs)]
    pub max_staleness_secs: u64,
    /// Widest oracle confidence accepted, bps of the price (at most 1,000).
    #[arg(long, default_value_t = BankConfig::DEFAULT.max_conf_bps)]
    pub max_conf_bps: u32,
    /// Init asset weight: share of a deposit's value that backs new borrows.
    #[arg(long, default_value_t = BankConfig::DEFAULT.init_asset_weight_bps)]
    pub init_asset_weight_bps: u32,
    /// Maint asset weight: share of a deposit's value counted before liquidation.
    #[arg(long, default_value_t = BankConfig::DEFAULT.maint_asset_weight_bps)]
    pub maint_asset_weight_bps: u32,
    /// Maint liability weight (≥ 10,000): debt's weight before liquidation.
    #[arg(long, default_value_t = BankConfig::DEFAULT.maint_liab_weight_bps)]
    pub maint_liab_weight_bps: u32,
    /// Init liability weight (≥ maint): debt's weight for new borrows.
    #[arg(long, default_value_t = BankConfig::DEFAULT.init_liab_weight_bps)]
    pub init_liab_weight_bps: u32,
    /// Interest curve: first kink's utilisation.
    #[arg(long, default_value_t = BankConfig::DEFAULT.util0_bps)]
    pub util0_bps: u32,
    /// Interest curve: borrow rate at the first kink (per year).
    #[arg(long, default_value_t = BankConfig::DEFAULT.rate0_bps)]
    pub rate0_bps: u32,
    /// Interest curve: second kink's utilisation.
    #[arg(long, default_value_t = BankConfig::DEFAULT.util1_bps)]
    pub util1_bps: u32,
    /// Interest curve: borrow rate at the second kink (per year).
    #[arg(long, default_value_t = BankConfig::DEFAULT.rate1_bps)]
    pub rate1_bps: u32,
    /// Interest curve: borrow rate at 100 % utilisation (per year).
    #[arg(long, default_value_t = BankConfig::DEFAULT.max_rate_bps)]
    pub max_rate_bps: u32,
    /// Share of borrow interest kept by the protocol.
    #[arg(long, default_value_t = BankConfig::DEFAULT.protocol_fee_bps)]
    pub protocol_fee_bps: u32,
    /// Fee added to the debt on every new borrow (at most 1,000).
    #[arg(long, default_value_t = BankConfig::DEFAULT.loan_origination_fee_bps)]
    pub loan_origination_fee_bps: u32,
    /// Liquidator's discount on seized collateral (at most 5,000).
    #[arg(long, default_value_t = BankConfig::DEFAULT.liquidation_fee_bps)]
    pub liquidation_fee_bps: u32,
    /// Share of the liquidation fee paid into the insurance fund.
    #[arg(long, default_value_t = BankConfig::DEFAULT.liquidation_insurance_share_bps)]
    pub liquidation_insurance_share_bps: u32,
    /// Most tokens the bank may hold in deposits, e.g. 250000.5, or `unlimited`.
    #[arg(long, default_value = "unlimited")]
    pub deposit_limit: Limit,
    /// Most tokens that may be borrowed from the bank, or `unlimited`.
    #[arg(long, default_value = "unlimited")]
    pub borrow_limit: Limit,
    /// Read --deposit-limit and --borrow-limit as native units (the token's smallest unit).
    #[arg(long)]
    pub native_limits: bool,
    /// Only withdrawals and repays: no new deposits or borrows.
    #[arg(long)]
    pub reduce_only: bool,
    /// How fast the stable price may follow the oracle (bps per hour).
    #[arg(long, default_value_t = BankConfig::DEFAULT.stable_growth_bps)]
    pub stable_growth_bps: u32,
    /// Breaker band: oracle vs stable price gap that makes the bank borrow-reduce-only (bps).
    #[arg(long, default_value_t = BankConfig::DEFAULT.breaker_band_bps)]
    pub breaker_band_bps: u32,
    /// Net outflow cap per window (bps of deposits at the window start).
    #[arg(long, default_value_t = BankConfig::DEFAULT.net_outflow_limit_bps)]
    pub net_outflow_limit_bps: u32,
    /// Net outflow window length (seconds).
    #[arg(long, default_value_t = BankConfig::DEFAULT.outflow_window_secs)]
    pub outflow_window_secs: u32,
}

impl From<BankConfig> for RiskArgs {
    /// The flags that give `c` (e.g. a bank's current config, to change one field of it);
    /// the limits as native units.
    fn from(c: BankConfig) -> Self {
        RiskArgs {
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
            util0_bps: c.util0_bps,
            rate0_bps: c.rate0_bps,
            util1_bps: c.util1_bps,
            rate1_bps: c.rate1_bps,
            max_rate_bps: c.max_rate_bps,
            protocol_fee_bps: c.protocol_fee_bps,
            loan_origination_fee_bps: c.loan_origination_fee_bps,
            liquidation_fee_bps: c.liquidation_fee_bps,
            liquidation_insurance_share_bps: c.liquidation_insurance_share_bps,
            deposit_limit: Limit::from_native(c.deposit_limit),
            borrow_limit: Limit::from_native(c.borrow_limit),
            native_limits: true,
            reduce_only: c.reduce_only,
            stable_growth_bps: c.stable_growth_bps,
            breaker_band_bps: c.breaker_band_bps,
            net_outflow_limit_bps: c.net_outflow_limit_bps,
            outflow_window_secs: c.outflow_window_secs,
        }
    }
}

impl RiskArgs {
    /// True when a limit is given in tokens, so the mint's decimals are needed.
    pub fn needs_decimals(&self) -> bool {
        !self.native_limits
            && [&self.deposit_limit, &self.borrow_limit]
                .iter()
                .any(|l| matches!(l, Limit::Amount(_)))
    }

    /// The config, with limits in tokens scaled by the mint's `decimals`.
    pub fn config(&self, decimals: u8) -> Result<BankConfig, String> {
        let limit = |l: &Limit, flag: &str| {
            l.native(decimals, self.native_limits)
                .map_err(|e| format!("--{flag}: {e}"))
        };
        Ok(BankConfig {
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
            util0_bps: self.util0_bps,
            rate0_bps: self.rate0_bps,
            util1_bps: self.util1_bps,
            rate1_bps: self.rate1_bps,
            max_rate_bps: self.max_rate_bps,
            protocol_fee_bps: self.protocol_fee_bps,
            loan_origination_fee_bps: self.loan_origination_fee_bps,
            liquidation_fee_bps: self.liquidation_fee_bps,
            liquidation_insurance_share_bps: self.liquidation_insurance_share_bps,
            deposit_limit: limit(&self.deposit_limit, "deposit-limit")?,
            borrow_limit: limit(&self.borrow_limit, "borrow-limit")?,
            reduce_only: self.reduce_only,
            stable_growth_bps: self.stable_growth_bps,
            breaker_band_bps: self.breaker_band_bps,
            net_outflow_limit_bps: self.net_outflow_limit_bps,
            outflow_window_secs: self.outflow_window_secs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_in_tokens_native_or_unlimited() {
        let mut args = RiskArgs::from(BankConfig::DEFAULT);
        assert!(!args.needs_decimals());
        assert_eq!(args.config(6).unwrap(), BankConfig::DEFAULT);
        args.native_limits = false;
        args.deposit_limit = "250000.5".parse().unwrap();
        args.borrow_limit = "0".parse().unwrap();
        assert!(args.needs_decimals());
        let c = args.config(6).unwrap();
        assert_eq!((c.deposit_limit, c.borrow_limit), (250_000_500_000, 0));
        let err = args.config(0).unwrap_err();
        assert!(
            err.starts_with("--deposit-limit: amount 250000.5 has 1 decimal place but"),
            "{err}"
        );
        args.native_limits = true;
        assert!(args.config(6).unwrap_err().contains("has a fraction"));
        assert!("-5".parse::<Limit>().is_err());
        assert_eq!("Unlimited".parse::<Limit>(), Ok(Limit::Unlimited));
        // A config read back from a bank reproduces itself exactly.
        let c = BankConfig {
            deposit_limit: 123,
            ..BankConfig::DEFAULT
        };
        assert_eq!(RiskArgs::from(c).config(9).unwrap(), c);
    }
}
