//! Integration-test harness for the cross-margin program on `solana-program-test`.
//!
//! The program runs as a native processor; SPL Token and Token-2022 run as the real SBF
//! programs bundled with the test validator. Pyth accounts are written in their real
//! on-chain formats and the clock is moved explicitly. See [`harness`].
#![allow(deprecated)]

pub mod harness;

/// A file of this repository, `rel` being relative to its root.
///
/// The checkout is found at run time from cargo's `CARGO_MANIFEST_DIR`: a test binary
/// reused from a target directory shared between checkouts (CI points every clean
/// checkout at one cache) must read the files of the checkout under test, not those of
/// the checkout it was first compiled in.
pub fn repo_file(rel: &str) -> std::path::PathBuf {
    let manifest = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    std::path::Path::new(&manifest).join("..").join(rel)
}
