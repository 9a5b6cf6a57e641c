//! Account health: the pure engine ([`engine`], [`price`]) and the on-chain plumbing that
//! feeds it from `remaining_accounts` ([`retriever`]).
//!
//! The engine never sees an `AccountInfo`; the retriever never does arithmetic. That split
//! is what lets the keeper, CLI and simulator compute exactly what the program computes.

pub mod engine;
pub mod liquidation;
pub mod price;
pub mod retriever;

pub use engine::{Health, HealthCache, OraclePrice, TokenRisk, Weights};
pub use price::NativePrice;
