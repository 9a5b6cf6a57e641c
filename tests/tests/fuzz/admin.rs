//! The admin door under the fuzzer: random tightenings (maint weights ramp), loosenings
//! queued within one step, due changes applied by anyone, changes cancelled by the security
//! admin. Every invariant of the driver (conservation, solvency, the health rule, the
//! liveness of liquidation) keeps running across them. Fees are left alone: the competitors'
//! liquidation checks (`resolution.rs`) read them from `configs()`.

use crate::driver::{configs, Fuzzer};
use anchor_lang::prelude::Pubkey;
use cross_margin::state::BankConfig;
use cross_margin_client::builders;
use cross_margin_tests::harness::TxError;
use solana_signer::Signer;

impl Fuzzer {
    pub async fn admin_change(&mut self, bank: usize) -> Result<(), TxError> {
        let current = self.p.bank_config(bank).await;
        let d = 1 + self.rng.below(1_000) as u32;
        match self.rng.below(4) {
            0 => {
                // Tighten: asset weights down (maint ramps), limits down sometimes.
                let mut c = BankConfig {
                    init_asset_weight_bps: current.init_asset_weight_bps.saturating_sub(d),
                    maint_asset_weight_bps: current.maint_asset_weight_bps.saturating_sub(d),
                    ..current
                };
                if self.rng.chance(0.2) {
                    c.borrow_limit = current.borrow_limit / 2;
                }
                self.p.edit_bank(bank, c).await
            }
            1 => {
                // Loosen back towards the starting config, within one step; queued.
                let start = configs()[bank];
                let c = BankConfig {
                    init_asset_weight_bps: (current.init_asset_weight_bps + d)
                        .min(start.init_asset_weight_bps),
                    maint_asset_weight_bps: (current.maint_asset_weight_bps + d)
                        .min(start.maint_asset_weight_bps),
                    borrow_limit: current
                        .borrow_limit
                        .saturating_mul(2)
                        .min(start.borrow_limit),
                    ..current
                };
                let change = self.p.queue_bank_edit(bank, c, None).await?;
                self.pending.push((bank, change));
                Ok(())
            }
            2 => {
                // Apply what is due (anyone may); stale or early ones stay or are dropped.
                let mut result = Ok(());
                for (bank, change) in std::mem::take(&mut self.pending) {
                    match self.p.apply_bank_edit(bank, change).await {
                        Ok(()) => self.stats.changes_applied += 1,
                        Err(e)
                            if e.is(
                                cross_margin::error::CrossMarginError::ChangeNotYetEffective,
                            ) =>
                        {
                            self.pending.push((bank, change));
                            result = Err(e);
                        }
                        Err(e) => {
                            self.cancel(change).await;
                            result = Err(e);
                        }
                    }
                }
                result
            }
            _ => {
                if let Some((_, change)) = self.pending.pop() {
                    self.cancel(change).await;
                }
                Ok(())
            }
        }
    }

    /// The security admin cancels `change` (it must succeed: the change exists).
    async fn cancel(&mut self, change: Pubkey) {
        let key = self.p.security_admin.insecure_clone();
        let ix = builders::change_cancel(&key.pubkey(), &self.p.group, &change, &self.p.admin());
        self.p
            .step(&[ix], &[&key])
            .await
            .expect("the security admin cancels a queued change");
        self.stats.changes_cancelled += 1;
    }
}
