//! The net outflow limit: how much of a bank may leave through withdrawals and borrows per
//! window, net of what came in.
//!
//! A window opens at the first flow after the previous one ended; its cap is
//! `limit_bps` of the bank's native deposits at that moment (a snapshot, so a deposit made
//! only to raise the cap raises it for nobody). Withdrawals and borrows add to `net`;
//! deposits and repays subtract from it (a deposit followed by a withdrawal of the same
//! amount is no outflow). An outflow that would take `net` above the cap is refused until
//! the window ends. Liquidations and bankruptcy resolution move no tokens and never count.
//!
//! With `limit_bps = 10,000` the cap is every deposit at the window start, and since only
//! those plus the window's own inflows can leave, the limit never binds.

use anchor_lang::prelude::*;

/// Stored in `Bank`.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct OutflowWindow {
    pub window_start: i64,
    /// Outflows minus inflows in this window, native units (saturating).
    pub net: i64,
    /// The most `net` may reach in this window.
    pub cap: u64,
}

/// A refused outflow, for the error log.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct OutflowRefused {
    pub net: i64,
    pub cap: u64,
    pub resets_at: i64,
}

impl OutflowWindow {
    /// Start a new window if the current one ended (or none started).
    fn roll(&mut self, now: i64, window_secs: u32, deposits_native: u64, limit_bps: u32) {
        if self.window_start == 0 || now >= self.resets_at(window_secs) || now < self.window_start {
            self.window_start = now;
            self.net = 0;
            self.cap = u64::try_from(u128::from(deposits_native) * u128::from(limit_bps) / 10_000)
                .unwrap_or(u64::MAX);
        }
    }

    /// When the current window ends.
    pub fn resets_at(&self, window_secs: u32) -> i64 {
        self.window_start.saturating_add(window_secs as i64)
    }

    /// Record a withdrawal or borrow of `amount`; refused (state unchanged) past the cap.
    pub fn record_outflow(
        &mut self,
        amount: u64,
        now: i64,
        window_secs: u32,
        deposits_native: u64,
        limit_bps: u32,
    ) -> core::result::Result<(), OutflowRefused> {
        let mut next = *self;
        next.roll(now, window_secs, deposits_native, limit_bps);
        let net = next.net as i128 + amount as i128;
        if net > next.cap as i128 {
            return Err(OutflowRefused {
                net: next.net,
                cap: next.cap,
                resets_at: next.resets_at(window_secs),
            });
        }
        next.net = net.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
        *self = next;
        Ok(())
    }

    /// Record a deposit or repay of `amount` (never refused).
    pub fn record_inflow(
        &mut self,
        amount: u64,
        now: i64,
        window_secs: u32,
        deposits_native: u64,
        limit_bps: u32,
    ) {
        self.roll(now, window_secs, deposits_native, limit_bps);
        self.net = (self.net as i128 - amount as i128).max(i64::MIN as i128) as i64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cap_resets_with_the_window() {
        let mut w = OutflowWindow::default();
        // 25 % of 1,000 per hour.
        assert!(w.record_outflow(200, 100, 3_600, 1_000, 2_500).is_ok());
        let refused = w.record_outflow(51, 200, 3_600, 800, 2_500).unwrap_err();
        assert_eq!(
            refused,
            OutflowRefused {
                net: 200,
                cap: 250,
                resets_at: 3_700
            }
        );
        assert!(w.record_outflow(50, 200, 3_600, 800, 2_500).is_ok());
        // A deposit makes room again.
        w.record_inflow(100, 300, 3_600, 750, 2_500);
        assert!(w.record_outflow(100, 400, 3_600, 850, 2_500).is_ok());
        // Next window: a new cap from the deposits then.
        assert!(w.record_outflow(187, 3_700, 3_600, 750, 2_500).is_ok());
        assert!(w.record_outflow(1, 3_701, 3_600, 563, 2_500).is_err());
    }

    proptest! {
        /// Whatever the flows, the net outflow in any window never exceeds its cap, and a
        /// refused outflow leaves the window unchanged.
        #[test]
        fn net_outflow_never_exceeds_the_cap(
            flows in prop::collection::vec((any::<bool>(), 0u64..1_000_000, 0i64..2_000), 1..60),
            limit in 500u32..=10_000,
            deposits in 0u64..10_000_000,
        ) {
            let mut w = OutflowWindow::default();
            let mut now = 0;
            for (out, amount, dt) in flows {
                now += dt;
                if out {
                    let before = w;
                    match w.record_outflow(amount, now, 3_600, deposits, limit) {
                        Ok(()) => prop_assert!(w.net <= w.cap as i64),
                        Err(r) => {
                            prop_assert_eq!(w, before);
                            prop_assert!(r.resets_at > now);
                        }
                    }
                } else {
                    w.record_inflow(amount, now, 3_600, deposits, limit);
                }
            }
        }
    }
}
