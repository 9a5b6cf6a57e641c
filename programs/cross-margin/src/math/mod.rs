//! Pure arithmetic shared by the program and every off-chain tool.
//!
//! Nothing here touches an account: each function takes numbers and returns numbers (or
//! `None` on overflow), so it can be unit-tested and property-tested in isolation.
//!
//! - [`wide`]: exact 128 × 128 → 256-bit products, the basis of every rounding decision.
//! - [`fixed_bytes`]: an alignment-free storage form of `I80F48` for zero-copy accounts.
//! - [`rounding`]: multiplication and division of non-negative `I80F48` values that round
//!   in a caller-chosen direction, so that every conversion can favour the protocol.
//! - [`interest`]: the two-kink utilisation curve and the index update it implies.
//! - [`bad_debt`]: socialising a loss over depositors without driving the index to zero.

pub mod bad_debt;
pub mod fixed_bytes;
pub mod interest;
pub mod rounding;
pub mod wide;

pub use fixed::types::I80F48;
pub use fixed_bytes::I80F48Bytes;
pub use rounding::Round;
