//! The group's address lookup table in tests: created or extended through the client's own
//! `lookup_table::ensure_group_table` (each transaction checked by the invariants like any
//! other step), then registered so every later transaction is a v0 transaction against it,
//! exactly as the keeper and the bootstrap do on a cluster.

use super::protocol::Protocol;
use cross_margin_client::lookup_table::{self, TableSync};

impl Protocol {
    /// Bring the group's table up to date (create it, or add what it lacks, then warp one
    /// slot so the new addresses are usable) and send every later transaction through it.
    pub async fn use_lookup_table(&mut self) -> TableSync {
        let group = self.group;
        let sync = lookup_table::ensure_group_table(self, &group, None)
            .await
            .expect("the group's lookup table converges");
        lookup_table::use_table(self, &sync.table)
            .await
            .expect("the group's lookup table is registered");
        sync
    }
}
