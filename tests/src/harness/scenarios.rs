//! Ready-made protocol states shared by the test binaries.
//!
//! `lending_market()`: banks USDC ($1, 6 decimals, liquidation fee 1 %) and SOL ($100,
//! 9 decimals, fee 2.5 %, 20 % of fees to insurance); users VICTIM (10 SOL deposited,
//! 700 USDC borrowed: init health +$30), LIQUIDATOR (10,000 USDC deposited) and LENDER
//! (10,000 USDC deposited).

use super::protocol::{default_config, Protocol};
use cross_margin::state::BankConfig;

pub const USDC: usize = 0;
pub const SOL: usize = 1;
pub const VICTIM: usize = 0;
pub const LIQUIDATOR: usize = 1;
pub const LENDER: usize = 2;

pub fn usdc_config() -> BankConfig {
    BankConfig {
        init_asset_weight_bps: 9_000,
        maint_asset_weight_bps: 9_500,
        maint_liab_weight_bps: 10_500,
        init_liab_weight_bps: 11_000,
        liquidation_fee_bps: 100,
        ..default_config()
    }
}

pub fn sol_config() -> BankConfig {
    BankConfig {
        liquidation_fee_bps: 250,
        liquidation_insurance_share_bps: 2_000,
        ..default_config()
    }
}

/// `config` as a live group lists a new bank: asset weights 0 (collateral only later,
/// through the timelocked queue).
pub fn listing_config(config: BankConfig) -> BankConfig {
    BankConfig {
        init_asset_weight_bps: 0,
        maint_asset_weight_bps: 0,
        ..config
    }
}

pub async fn lending_market() -> Protocol {
    lending_market_with(&[]).await
}

/// [`lending_market`] with `extra` banks `(decimals, dollars, config)` listed after USDC and
/// SOL (indices 2, 3, …) during the group's setup phase, before any user: a bank listed on a
/// live group starts at asset weight 0 ([`listing_config`]).
pub async fn lending_market_with(extra: &[(u8, f64, BankConfig)]) -> Protocol {
    let mut p = Protocol::new().await;
    p.add_bank(6, 1.0, usdc_config()).await;
    p.add_bank(9, 100.0, sol_config()).await;
    for &(decimals, dollars, config) in extra {
        p.add_bank(decimals, dollars, config).await;
    }
    let victim = p.add_user(&[(SOL, 10_000_000_000)]).await;
    let liquidator = p.add_user(&[(USDC, 10_000_000_000)]).await;
    let lender = p.add_user(&[(USDC, 10_000_000_000)]).await;
    p.deposit(victim, SOL, 10_000_000_000).await.unwrap();
    p.deposit(liquidator, USDC, 10_000_000_000).await.unwrap();
    p.deposit(lender, USDC, 10_000_000_000).await.unwrap();
    p.withdraw(victim, USDC, 700_000_000, true).await.unwrap();
    p
}

/// Move SOL to `dollars` and refresh USDC, so both prices are fresh.
pub async fn sol_at(p: &mut Protocol, dollars: f64) {
    p.set_price(SOL, dollars, 0).await;
    p.set_price(USDC, 1.0, 0).await;
}
