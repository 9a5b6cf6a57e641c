//! The cross-margin Rust SDK.
//!
//! - [`pda`]: every program address.
//! - [`builders`]: one function per instruction, the only way this workspace builds them.
//! - [`changes`]: a group's queued admin changes: discovery, which are due, applying them,
//!   and stepping a loosening config one allowed step at a time.
//! - [`health_accounts`]: the `remaining_accounts` lists the program's checks expect.
//! - [`chain`]: one small trait for reading and sending, with an RPC backend ([`rpc`]) and,
//!   with the `local` feature, the in-process validator of `solana-program-test` ([`local`]).
//! - [`send`] and [`fees`]: how every transaction is prepared: simulated, given a compute
//!   unit limit from the simulation and a priority fee (fixed, or a percentile of recent
//!   fees, capped), or only simulated and recorded in a dry run; [`confirm`]: when a sent
//!   transaction may be signed again (only once it provably can never land).
//! - [`tx`]: transaction assembly (legacy, or v0 with lookup tables) and the cluster's
//!   size and account limits, enforced before anything is sent.
//! - [`lookup_table`]: the group's address lookup table: decoding, finding, creating and
//!   extending it.
//! - [`keypair`]: Solana CLI keypair files.
//! - [`snapshot`]: discovery and decoding of a group's banks, oracles and margin accounts, and
//!   their health computed with the program's own engine (never re-implemented).

pub mod amount;
pub mod builders;
pub mod chain;
pub mod changes;
pub mod cluster;
pub mod confirm;
pub mod fees;
pub mod health_accounts;
pub mod keypair;
#[cfg(feature = "local")]
pub mod local;
pub mod lookup_table;
pub mod pda;
pub mod perp_builders;
pub mod perp_markets;
pub mod rpc;
pub mod send;
#[cfg(feature = "clap")]
pub mod send_args;
pub mod snapshot;
pub mod tx;

pub use cross_margin;
pub use cross_margin::ID as PROGRAM_ID;
