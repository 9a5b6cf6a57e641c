//! Account health: the pure engine ([`engine`], [`price`]) and the on-chain plumbing that
//! feeds it from `remaining_accounts` ([`retriever`]).
//!
//! The engine never sees an `AccountInfo`; the retriever never does arithmetic. That split
//! is what lets the keeper, CLI and simulator compute exactly what the program computes.
//!
//! **Prices during an outage** (the liquidation guarantee): risk-adding instructions need
//! every oracle valid; a liquidation needs valid prices only for the two banks it transfers
//! and values the liquidatee's other positions at their bank's last valid price widened to
//! the bank's maximum confidence (assets down, liabilities up). The rule and its reasons are
//! in [`retriever`]; [`liquidation`] explains why every liquidation of a qualifying pair
//! improves health, dust included.
//!
//! **Frame budget**: SBF gives each function a 4 KB stack frame. A [`HealthCache`] is ~2.5 KB (8 tokens and 4 perps)
//! (pinned by a unit test), so instructions hold caches boxed (`retriever` returns
//! `Box<HealthCache>`), never by value, and never pass one by value across calls.

pub mod auto_deleverage;
pub mod engine;
pub mod liquidation;
pub mod pair_liquidation;
pub mod perp;
pub mod perp_liquidation;
pub mod perp_loss_liquidation;
pub mod perp_trade;
pub mod price;
pub mod retriever;

pub use engine::{Health, HealthCache, HealthPerp, InitPrices, OraclePrice, TokenRisk, Weights};
pub use price::NativePrice;
