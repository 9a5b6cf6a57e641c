//! The group's address lookup table in tests: created or extended through the client's own
//! `lookup_table::ensure_group_table` (each transaction checked by the invariants like any
//! other step), then registered so every later transaction is a v0 transaction against it,
//! exactly as the keeper and the bootstrap do on a cluster.

use super::protocol::Protocol;
use cross_margin_client::chain::Chain;
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

impl Protocol {
    /// [`Protocol::use_lookup_table`], then append what the group's table lacks for perps
    /// (the client's `group_addresses` lists banks only): each market, its pool vault and
    /// LP mint (its oracle is a bank's, already there). Waits a slot so they resolve and
    /// registers the table. Returns how many perp addresses were appended.
    pub async fn use_lookup_table_with_perps(&mut self) -> usize {
        let sync = self.use_lookup_table().await;
        let table = lookup_table::fetch(self, &sync.table)
            .await
            .expect("read the table")
            .expect("the table exists");
        let missing: Vec<_> = self
            .perps
            .iter()
            .flat_map(|m| [m.accounts.market, m.accounts.pool_vault, m.accounts.lp_mint])
            .filter(|k| !table.addresses.contains(k))
            .collect();
        if !missing.is_empty() {
            let admin = self.admin();
            for chunk in missing.chunks(lookup_table::sync::EXTEND_CHUNK) {
                let ix = lookup_table::extend_lookup_table(
                    sync.table,
                    admin,
                    Some(admin),
                    chunk.to_vec(),
                );
                self.tc.send(&[ix], &[]).await.expect("extend the table");
            }
            let slot = self.tc.slot().await.expect("slot");
            self.tc.wait_for_slot(slot + 1).await.expect("next slot");
            lookup_table::use_table(self, &sync.table)
                .await
                .expect("the table is registered");
        }
        missing.len()
    }
}
