//! Integration-test harness for the cross-margin program on `solana-program-test`.
//!
//! The program runs as a native processor; SPL Token and Token-2022 run as the real SBF
//! programs bundled with the test validator. Pyth accounts are written in their real
//! on-chain formats and the clock is moved explicitly. See [`harness`].
#![allow(deprecated)]

pub mod harness;
