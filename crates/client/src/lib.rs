//! The cross-margin Rust SDK.
//!
//! - [`pda`]: every program address.
//! - [`builders`]: one function per instruction, the only way this workspace builds them.
//! - [`health_accounts`]: the `remaining_accounts` list the program's health check expects.
//!
//! State types and the health engine come straight from the program crate
//! (`no-entrypoint`), so off-chain code computes exactly what the program computes.

pub mod builders;
pub mod health_accounts;
pub mod pda;

pub use cross_margin;
pub use cross_margin::ID as PROGRAM_ID;
