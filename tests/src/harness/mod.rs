//! The test harness: a validator with the program ([`context`]), token helpers
//! ([`tokens`]), real-format Pyth accounts ([`pyth`]), a small protocol fixture with users
//! and banks ([`protocol`]), the invariant checks run after every step ([`invariants`]) and
//! the group's address lookup table ([`tables`]).

pub mod admin;
pub mod chain;
pub mod context;
pub mod full_accounts;
pub mod invariants;
pub mod liquidation;
pub mod perp_invariants;
pub mod perps;
pub mod protocol;
pub use cross_margin_client::local::pyth;
pub mod scenarios;
pub mod tables;
pub mod tokens;

pub use context::{assert_anchor_err, assert_err, assert_no_panic, TestContext, TxError};
pub use protocol::{BankSetup, Protocol, User};
