//! The cross-margin risk engine (issue 12): what a price path does to a group, computed
//! with the program's own code, so every number it prints is what the chain would do.
//!
//! - [`book`]: a group's banks, prices, insurance funds and margin accounts in memory.
//! - [`cascade`]: one shocked path played out: the keeper's choice of liquidation
//!   (`cross_margin_keeper::strategy`), the program's planner and bookkeeping
//!   (`health::liquidation::plan`, `Bank::deposit` / `withdraw`), seized collateral sold
//!   into a market of finite depth that moves the price, rounds repeated until no account
//!   is liquidatable, then bankruptcies through the program's loss waterfall
//!   (`Bank::write_off`).

pub mod advise;
pub mod book;
pub mod cascade;
pub mod liability;
pub mod report;
pub mod simulate;
pub mod snapshot;
pub mod stress;
pub mod synthetic;
