//! The competitors' operations: a random liquidation (by the big depositor or the
//! attacker, whose gain is bounded by the liquidation bonus) and a bankruptcy resolution
//! whose loss waterfall is checked to the native unit.

use crate::driver::*;
use cross_margin::math::I80F48;
use cross_margin_tests::harness::TxError;

impl Fuzzer {
    /// A liquidation as a competitor would try it: usually the largest deposit against the
    /// largest debt, by the big depositor or the attacker, with a random cap; the attacker
    /// must gain no more than the liquidation bonus.
    pub async fn liquidation(&mut self, victim: usize, asset: usize) -> Result<(), TxError> {
        let mut asset = asset;
        let mut liab = (asset + 1 + self.rng.below(BANKS as u64 - 1) as usize) % BANKS;
        if self.rng.chance(0.7) {
            // Usually the pair a keeper would pick: largest deposit against largest debt.
            let mut best = (None, None, 0.0f64, 0.0f64);
            for bank in 0..BANKS {
                let v =
                    self.p.native_balance(victim, bank).await * per_native(bank, self.prices[bank]);
                if v > best.2 {
                    best.0 = Some(bank);
                    best.2 = v;
                }
                if v < best.3 {
                    best.1 = Some(bank);
                    best.3 = v;
                }
            }
            if let (Some(a), Some(l)) = (best.0, best.1) {
                asset = a;
                liab = l;
            }
        }
        let liquidator = if self.rng.chance(0.5) {
            self.keeper
        } else {
            self.attacker
        };
        if liquidator == victim {
            return self.p.liquidate(liquidator, victim, asset, liab, 1).await;
        }
        let max = if self.rng.chance(0.5) {
            u64::MAX
        } else {
            self.rng.amount(u64::MAX / 2)
        };
        let watch = liquidator == self.attacker;
        let before = if watch {
            Some(self.equity(liquidator).await)
        } else {
            None
        };
        let debt_before = -self.p.native_balance(victim, liab).await;
        let result = self.p.liquidate(liquidator, victim, asset, liab, max).await;
        if let (Some(before), true) = (before, result.is_ok()) {
            let moved = debt_before + self.p.native_balance(victim, liab).await;
            let fee = configs()[asset].liquidation_fee_bps + configs()[liab].liquidation_fee_bps;
            let bonus = moved.max(0.0) * per_native(liab, self.prices[liab]) * fee as f64 / 1e4;
            let after = self.equity(liquidator).await;
            assert!(
                after <= before + bonus * 1.0001 + self.tolerance(),
                "liquidator gained {} > bonus {bonus}",
                after - before
            );
        }
        result
    }

    /// Resolve `user`'s bankruptcy in `bank` and, if it succeeds, check the loss
    /// waterfall: `debt = fees forgone + insured + socialised + unrecoverable`, where the
    /// bank's uncollected fees go first, the insurance vault pays next, and the deposit
    /// index is cut by exactly the socialised part (floored; the rest is unrecoverable).
    pub async fn bankruptcy(&mut self, user: usize, bank: usize) -> Result<(), TxError> {
        let debt = (-self.native_exact(user, bank).await)
            .max(I80F48::ZERO)
            .ceil()
            .to_num::<u64>();
        let insurance = self.p.banks[bank].insurance_vault;
        let ins_before = self.p.tc.token_balance(insurance).await;
        let before = self.p.bank_state(bank).await;
        let result = self.p.resolve_bankruptcy(user, bank).await;
        if result.is_ok() {
            let after = self.p.bank_state(bank).await;
            let paid = ins_before - self.p.tc.token_balance(insurance).await;
            let unrecoverable = after.unrecoverable_bad_debt - before.unrecoverable_bad_debt;
            let mut accrued = before;
            accrued.accrue_interest(self.p.tc.now().await).unwrap();
            let forgone = accrued.collected_fees.get() - after.collected_fees.get();
            assert!(
                forgone == forgone.floor() && forgone >= 0,
                "fees forgone {forgone} are not whole units"
            );
            let forgone = forgone.to_num::<u64>();
            let cut = after.indexed_deposits.get()
                * (accrued.deposit_index.get() - after.deposit_index.get());
            let socialised = debt
                .checked_sub(forgone + paid + unrecoverable)
                .unwrap_or_else(|| {
                    panic!(
                        "debt {debt} < fees forgone {forgone} + insured {paid} + unrecoverable \
                         {unrecoverable}"
                    )
                });
            let socialised = I80F48::from_num(socialised);
            assert!(
                cut >= socialised - I80F48::from_num(1e-6) && cut < socialised + I80F48::ONE,
                "debt {debt} = fees forgone {forgone} + insured {paid} + socialised \
                 {socialised} + unrecoverable {unrecoverable}, but the index cut is worth {cut}"
            );
            let s = &mut self.stats;
            s.bad_debt[bank] += debt;
            s.fees_forgone[bank] += forgone;
            s.insured[bank] += paid;
            s.unrecoverable[bank] += unrecoverable;
        }
        result
    }
}
