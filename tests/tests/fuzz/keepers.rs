//! The liquidators of the liveness check.
//!
//! The program demands a valid price for *every* position of the liquidator's account and
//! init health ≥ 0 after the liquidation. Those are the liquidator's own affairs, not the
//! liquidatee's: a real keeper keeps a clean, well-funded account. So the liveness check
//! never blames an account for its liquidator. Each keeper here holds one large deposit in
//! its *home* bank (the liability bank of the liquidation it was created for, when that
//! bank still takes deposits); after each liquidation it withdraws the seized collateral
//! ("sells" it) and repays any debt it took over outside its home, so it normally holds
//! that one position only. A keeper is used only if every position it holds is priced now
//! and its init health covers twice the liability it may take over (topped up from minted
//! funds if not); otherwise a new one is created.

use crate::driver::{fund, Fuzzer, BANKS};
use cross_margin_client::snapshot::GroupSnapshot;

#[derive(Clone, Copy, Debug)]
struct Member {
    user: usize,
    home: usize,
}

#[derive(Default)]
pub struct KeeperPool {
    members: Vec<Member>,
}

impl KeeperPool {
    pub fn len(&self) -> usize {
        self.members.len()
    }
}

/// Dollars of home deposit a new keeper starts with (at the bank's start price).
const START_DOLLARS: f64 = 10_000_000.0;

impl Fuzzer {
    /// A keeper able to take over up to `needed` (quote-native, valued as init health
    /// counts a liability) of `victim`'s debt in bank `liab` for collateral in `asset`.
    pub async fn liquidator_for(
        &mut self,
        snapshot: &GroupSnapshot,
        victim: usize,
        asset: usize,
        liab: usize,
        needed: f64,
    ) -> usize {
        for m in self.keepers.members.clone() {
            if m.user == victim {
                continue;
            }
            let account = self.p.margin_account(m.user).await;
            // Every position's oracle valid now (else the program refuses the liquidator).
            let Ok(health) = snapshot.health(&account) else {
                continue;
            };
            let shortfall = 2.0 * needed - health.init.to_num::<f64>();
            if shortfall <= 0.0 {
                return m.user;
            }
            if self.accepts_deposits(snapshot, m.home).await {
                let amount = self.home_units(snapshot, m.home, shortfall);
                self.fund_home(m.user, m.home, amount).await;
                return m.user;
            }
        }
        self.new_keeper(snapshot, asset, liab, needed).await
    }

    /// A new keeper funded with a deposit in the first bank (the liability's, the asset's,
    /// then any) that is priced now and still takes deposits.
    async fn new_keeper(
        &mut self,
        snapshot: &GroupSnapshot,
        asset: usize,
        liab: usize,
        needed: f64,
    ) -> usize {
        let mut home = None;
        for bank in [liab, asset].into_iter().chain(0..BANKS) {
            if self.accepts_deposits(snapshot, bank).await {
                home = Some(bank);
                break;
            }
        }
        let home = home.expect("some bank is priced and solvent to fund a keeper");
        let amount = self.home_units(snapshot, home, 2.0 * needed) + fund(home, START_DOLLARS);
        let user = self.p.add_user(&[]).await;
        self.fund_home(user, home, amount).await;
        self.keepers.members.push(Member { user, home });
        user
    }

    /// Priced now (a liquidator's positions must be) and free of unrecoverable bad debt
    /// (an insolvent bank refuses new deposits).
    async fn accepts_deposits(&mut self, snapshot: &GroupSnapshot, bank: usize) -> bool {
        let token = self.p.banks[bank].token_index;
        snapshot.banks[&token].risk.is_ok()
            && self.p.bank_state(bank).await.unrecoverable_bad_debt == 0
    }

    /// Native units of `bank` whose deposit adds `value` (quote-native) of init health,
    /// with a 50 % margin.
    fn home_units(&self, snapshot: &GroupSnapshot, bank: usize, value: f64) -> u64 {
        let token = self.p.banks[bank].token_index;
        let per_unit = snapshot.banks[&token]
            .risk
            .as_ref()
            .expect("a keeper's home bank is priced")
            .asset_init
            .to_f64();
        (1.5 * value.max(0.0) / per_unit).ceil() as u64
    }

    /// Mint `amount` to the keeper and deposit it in `bank` (deposits need no oracle).
    async fn fund_home(&mut self, user: usize, bank: usize, amount: u64) {
        self.mint(user, bank, amount).await;
        self.p
            .deposit(user, bank, amount)
            .await
            .expect("a keeper's deposit from a funded wallet into a solvent bank");
    }

    async fn mint(&mut self, user: usize, bank: usize, amount: u64) {
        let (mint, wallet) = (self.p.banks[bank].mint, self.p.users[user].wallets[bank]);
        self.p.tc.mint_to(&mint, &wallet, amount).await;
    }

    /// After a liquidation: sell the seized collateral (withdraw all of it, unless it is
    /// the keeper's home) and repay the debt taken over (exactly, so an insolvent bank
    /// accepts it). Best effort — a drained vault may refuse the withdrawal, and the keeper
    /// then keeps the collateral and is skipped while its oracle is invalid.
    pub async fn unload(&mut self, keeper: usize, asset: usize, liab: usize) {
        let home = self
            .keepers
            .members
            .iter()
            .find(|m| m.user == keeper)
            .map(|m| m.home);
        let seized = self.deposit_units(keeper, asset).await;
        if seized > 0 && home != Some(asset) {
            let _ = self.p.withdraw(keeper, asset, seized, false).await;
        }
        let debt = -self.native_exact(keeper, liab).await;
        if debt > 0 {
            let debt = debt.ceil().to_num::<u64>();
            self.mint(keeper, liab, debt).await;
            let _ = self.p.deposit(keeper, liab, debt).await;
        }
    }
}
