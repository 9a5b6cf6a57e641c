//! The cross-margin CLI as a library: argument types ([`args`]), the node and signer from
//! flags, environment and the Solana CLI config ([`connection`]), commands generic over any
//! [`cross_margin_client::chain::Chain`] ([`commands`]; margin accounts in [`accounts`];
//! `group show` and `bank show` in [`show`]; the timelocked change queue, going live and the
//! admin hand-over in [`admin`]; perp markets, the pool and perp positions, isolated ones
//! included, in [`perp`]), the risk engine's commands ([`risk`]), output rendering ([`output`]), what `--dry-run` prints ([`dry_run`]) and the one-command local
//! demo ([`demo`]).

/// The argument parser's crate, for callers matching on its errors.
pub use clap;

pub mod accounts;
pub mod admin;
pub mod args;
pub mod commands;
pub mod connection;
pub mod demo;
pub mod dry_run;
pub mod output;
pub mod perp;
pub mod risk;
pub mod show;
