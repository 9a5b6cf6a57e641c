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
//! - [`history`]: daily closing prices (the bundled 2020–2022 SOL/ETH/BTC/USDC/USDT file
//!   or a user's own CSV) and their log returns.
//! - [`stats`]: the numerics: moments, covariance, EWMA volatility, Cholesky, empirical
//!   VaR / expected shortfall, the normal distribution, the Student-t ν fit, chi-square(1).
//! - [`models`]: seeded, allocation-free joint return models behind [`models::ReturnModel`]:
//!   historical bootstrap of whole days and Monte Carlo with EWMA volatility and
//!   correlation, normal or Student-t innovations.
//! - [`backtest`]: rolling 1-day VaR backtest of a USD portfolio with Kupiec's
//!   proportion-of-failures test, one line per model.
//! - [`simulate`]: many paths of a model over a book, in parallel, each played out by the
//!   cascade; every account's loss per path; [`report`] turns them into VaR / ES per account
//!   and of bad debt, probabilities of liquidation and of an exhausted insurance fund, and
//!   the cascades' depth.
//! - [`stress`]: named historical windows and user shocks, with and without feedback.
//! - [`liability`]: the depositors' view: what each bank would socialise at uniform shocks.
//! - [`advise`]: the loosest weights per bank that keep P(bad debt) under a target.
//! - [`synthetic`]: a generated population; [`snapshot`]: a group saved to a JSON file.

pub mod advise;
pub mod backtest;
pub mod book;
pub mod cascade;
pub mod history;
pub mod liability;
pub mod models;
pub mod report;
pub mod simulate;
pub mod snapshot;
pub mod stats;
pub mod stress;
pub mod synthetic;
