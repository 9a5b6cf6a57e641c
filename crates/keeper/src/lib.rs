//! The cross-margin keeper: finds unhealthy accounts and liquidates them, resolves
//! bankruptcies, cranks interest and stable prices, and applies the group's queued admin
//! changes once due. Permissionless: anyone can run it with a
//! funded margin account.
//!
//! - [`strategy`]: pure choices (is it liquidatable, which pair repairs most health);
//! - [`changes`]: applying queued admin changes whose timelock has passed;
//! - [`keeper`]: the loop body over any [`cross_margin_client::chain::Chain`];
//! - [`margin_calls`]: the accounts close to liquidation (watchlist, gauges, `/margin-calls`);
//! - [`tables`]: the group's address lookup table its transactions are compiled against;
//! - [`metrics`]: counters, Prometheus text and the `/metrics`, `/margin-calls` and
//!   `/healthz` server;
//! - [`config`]: command-line flags, each also read from the environment;
//! - [`logging`]: text (coloured only on a terminal) or JSON-lines logs.

pub mod changes;
pub mod config;
pub mod keeper;
pub mod logging;
pub mod margin_calls;
pub mod metrics;
pub mod strategy;
pub mod tables;
