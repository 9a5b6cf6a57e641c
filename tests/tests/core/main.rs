//! Core protocol cases on solana-program-test. Every user action goes through
//! `Protocol::step`, which checks the protocol invariants after it.
#![allow(deprecated)]

mod accounts_and_auth;
mod admin_timelock;
mod bankruptcy;
mod borrowing;
mod cascade;
mod deposit_withdraw;
mod guardrails;
mod health_accounts;
mod idl_samples;
mod liquidation;
mod liquidation_guarantee;
mod mainnet_fixtures;
mod oracles;
mod perp_adl;
mod perp_loss_liquidation;
mod perp_pair_liquidity;
mod perp_slots;
mod perps;
mod registration;
mod transaction_size;
