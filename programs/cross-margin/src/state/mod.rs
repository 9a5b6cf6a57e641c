//! Account layouts. Every account is zero-copy `#[repr(C)]` with explicit padding and
//! reserved bytes, and its size is asserted at compile time, so a layout change that would
//! break existing accounts fails the build instead of corrupting state.

pub mod bank;
pub mod bank_balance;
pub mod bank_config;
pub mod group;
pub mod margin_account;
pub mod oracle;
pub mod pending_change;
pub mod perp_config;
pub mod perp_market;

pub use bank::*;
pub use bank_balance::{DepositOutcome, Flow, WithdrawOutcome, WriteOff};
pub use bank_config::*;
pub use group::*;
pub use margin_account::*;
pub use oracle::*;
pub use pending_change::*;
pub use perp_config::*;
pub use perp_market::*;

/// Health and values are in quote-native units: USD with this many decimals.
pub const QUOTE_DECIMALS: u8 = 6;
/// Token position slots per margin account.
pub const MAX_TOKEN_POSITIONS: usize = 8;
/// Perp position slots per margin account.
pub const MAX_PERP_POSITIONS: usize = 4;
