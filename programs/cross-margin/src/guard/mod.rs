//! Guardrails against one bad price or one bad admin transaction hitting every account.
//!
//! Pure logic only (no accounts), shared by the program and the off-chain tools:
//!
//! - [`stable_price`]: a rate-limited, delayed companion of each bank's oracle; init health
//!   uses the worse of the two, and a wide gap trips the bank's breaker.
//! - [`outflow`]: the net outflow limit per bank per window.
//! - [`ramp`]: tightened maint weights move linearly over the group's ramp period.
//! - [`classify`]: which admin changes tighten (apply now) and which loosen (wait out the
//!   timelock, bounded per step).
//! - [`perp_rules`]: the same question for perp market edits.

pub mod classify;
pub mod outflow;
pub mod perp_rules;
pub mod ramp;
pub mod stable_price;

pub use outflow::{OutflowRefused, OutflowWindow};
pub use ramp::MaintRamp;
pub use stable_price::StablePrice;
