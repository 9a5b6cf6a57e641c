//! Which address lookup table the keeper's transactions are compiled against.
//!
//! The group's table is pinned by the operator (`--lookup-table`) or found by the client's
//! convention (authority = the group's admin, first address = the group), and registered
//! with the chain so every send is a v0 transaction: the only way a liquidation between two
//! full accounts fits the 1,232-byte packet. Re-reading it picks up addresses the bootstrap
//! appended for new banks. A missing or unusable table is not fatal: the keeper logs it and
//! sends legacy transactions, which suffice for small accounts.

use anchor_lang::prelude::Pubkey;
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::lookup_table::{self, LookupTableError};
use tracing::{info, warn};

/// The table in use, and whether its absence was already reported.
#[derive(Debug, Default)]
pub struct TableTracker {
    in_use: Option<Pubkey>,
    warned_missing: bool,
}

impl TableTracker {
    /// The table registered with the chain, if any.
    pub fn in_use(&self) -> Option<Pubkey> {
        self.in_use
    }

    /// Register `pinned`, or the group's table found by convention, with the chain (re-read,
    /// so addresses added since are used). Only transport errors are returned.
    pub async fn refresh<C: Chain>(
        &mut self,
        chain: &mut C,
        group: &Pubkey,
        pinned: Option<Pubkey>,
    ) -> Result<(), ChainError> {
        let key = match pinned {
            Some(k) => Some(k),
            None => match lookup_table::find_group_table(chain, group).await {
                Ok(t) => t.map(|t| t.key),
                Err(LookupTableError::Chain(e)) => return Err(e),
                Err(e) => {
                    warn!(error = %e, "cannot look for the group's lookup table");
                    None
                }
            },
        };
        let Some(key) = key else {
            if !self.warned_missing {
                warn!(%group, "the group has no lookup table: liquidations of large accounts will not fit a transaction");
                self.warned_missing = true;
            }
            return Ok(());
        };
        match lookup_table::use_table(chain, &key).await {
            Ok(addresses) => {
                if self.in_use != Some(key) {
                    info!(table = %key, addresses, "using the group's lookup table");
                }
                self.in_use = Some(key);
            }
            Err(LookupTableError::Chain(e)) => return Err(e),
            Err(e) => {
                warn!(table = %key, error = %e, "lookup table unusable; sending legacy transactions");
                chain.set_lookup_tables(vec![]);
                self.in_use = None;
            }
        }
        Ok(())
    }
}
