//! Third-party actions (issue 8): what strangers, broken price feeds, empty vaults, a full
//! bank and the security admin do to accounts without their owners' consent. None of them
//! may leave an unhealthy account unliquidatable; the liveness check (`liveness.rs`) runs
//! after every step to prove it.

use crate::driver::{configs, per_native, Fuzzer, BANKS};
use anchor_lang::prelude::Pubkey;
use cross_margin::error::CrossMarginError;
use cross_margin::math::I80F48;
use cross_margin::state::{OracleKind, PYTH_LEGACY_PROGRAM_ID, PYTH_RECEIVER_PROGRAM_ID};
use cross_margin_client::builders;
use cross_margin_tests::harness::pyth::{self, PythPrice};
use cross_margin_tests::harness::{assert_err, TxError};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_account::Account;
use solana_signer::Signer;

/// Ways a price feed breaks. Each makes the bank's price invalid for `token_liquidate`
/// without touching the accounts that hold the token.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// Older than the bank's `max_staleness_secs`.
    Stale,
    /// Confidence above the bank's `max_conf_bps`.
    WideConfidence,
    /// Legacy feed not Trading; pull update only partially verified.
    NotTrading,
    /// Random bytes, still owned by the Pyth program.
    Garbage,
    /// The account is gone (no lamports): the runtime shows it as an empty system account.
    Closed,
    /// A well-formed price in an account the system program owns.
    SystemOwned,
}

const FAULTS: [Fault; 6] = [
    Fault::Stale,
    Fault::WideConfidence,
    Fault::NotTrading,
    Fault::Garbage,
    Fault::Closed,
    Fault::SystemOwned,
];

impl Fault {
    fn name(self) -> &'static str {
        match self {
            Fault::Stale => "stale",
            Fault::WideConfidence => "wide",
            Fault::NotTrading => "not-trading",
            Fault::Garbage => "garbage",
            Fault::Closed => "closed",
            Fault::SystemOwned => "system-owned",
        }
    }
}

impl Fuzzer {
    /// Someone else (the stranger, another borrower or the big keeper) deposits into
    /// `victim`'s account from its own wallet. Into a position the account already holds it
    /// must succeed and credit the owner (repaying someone's debt stays permissionless);
    /// into a new position it must fail with `NewPositionNotOwner`, or strangers could plant
    /// dust behind a dead oracle or fill the account's slots. (A bank with unrecoverable bad
    /// debt takes no new money beyond repayments: `BankInsolvent` is the one other refusal.)
    pub async fn stranger_deposit(&mut self, victim: usize, bank: usize) -> Result<(), TxError> {
        let victim = if self.rng.chance(0.15) {
            self.whale
        } else {
            victim
        };
        let depositor = self.pick_stranger(victim);
        let before = self.p.margin_account(victim).await;
        let existing = before
            .position_slot(self.p.banks[bank].token_index)
            .is_some();
        let mut wallet = self.p.wallet_balance(depositor, bank).await;
        if wallet == 0 {
            let (mint, to) = (
                self.p.banks[bank].mint,
                self.p.users[depositor].wallets[bank],
            );
            wallet = 1_000_000;
            self.p.tc.mint_to(&mint, &to, wallet).await;
        }
        let amount = self.rng.amount(wallet);
        let with_health = existing && self.rng.chance(0.5);
        let balance_before = self.native_exact(victim, bank).await;
        let insolvent = self.p.bank_state(bank).await.unrecoverable_bad_debt > 0;
        let result = self
            .deposit_into(depositor, victim, bank, amount, with_health)
            .await;
        if !existing {
            assert_err(result.clone(), CrossMarginError::NewPositionNotOwner);
            self.stats.stranger_refused += 1;
            return result;
        }
        let repays_only = I80F48::from_num(amount) <= (-balance_before).ceil();
        if insolvent && !repays_only {
            assert_err(result.clone(), CrossMarginError::BankInsolvent);
            return result;
        }
        assert!(
            result.is_ok(),
            "a stranger's deposit of {amount} into an existing position failed: {result:?}"
        );
        self.stats.stranger_existing += 1;
        let balance_after = self.native_exact(victim, bank).await;
        let credited = balance_after - balance_before;
        assert!(
            (credited - I80F48::from_num(amount)).abs() <= 2,
            "a stranger deposited {amount} into bank {bank} but the owner was credited \
             {credited} ({balance_before} -> {balance_after})"
        );
        self.check_flag_after_deposit(victim, before.being_liquidated != 0, with_health)
            .await;
        result
    }

    /// Anyone but `victim`: usually the dedicated stranger, sometimes a borrower or the
    /// big keeper.
    fn pick_stranger(&mut self, victim: usize) -> usize {
        let mut candidates: Vec<usize> = self.users.clone();
        candidates.push(self.keeper);
        candidates.retain(|&u| u != victim);
        if self.rng.chance(0.5) || candidates.is_empty() {
            self.stranger
        } else {
            candidates[self.rng.below(candidates.len() as u64) as usize]
        }
    }

    /// `depositor` pays `amount` from its own wallet into `owner`'s account, optionally
    /// with the account's health accounts (which lets the deposit clear `being_liquidated`).
    async fn deposit_into(
        &mut self,
        depositor: usize,
        owner: usize,
        bank: usize,
        amount: u64,
        with_health: bool,
    ) -> Result<(), TxError> {
        let key = self.p.users[depositor].key.insecure_clone();
        let mut ix = builders::token_deposit(
            &key.pubkey(),
            &self.p.users[owner].account,
            &self.p.banks[bank].token_accounts(),
            &self.p.users[depositor].wallets[bank],
            amount,
        );
        if with_health {
            ix.accounts.extend(self.p.health_metas(owner, None).await);
        }
        self.p.step(&[ix], &[&key]).await
    }

    /// A deposit clears `being_liquidated` exactly when the account ends without debt (no
    /// borrow, no open perp, no perp loss), or
    /// when it carried the health accounts, every oracle is valid and init health is ≥ 0.
    async fn check_flag_after_deposit(&mut self, user: usize, flagged: bool, with_health: bool) {
        let after = self.p.margin_account(user).await;
        // Perp exposure or an unsettled perp loss is debt too.
        let no_debt = after
            .active_positions()
            .all(|(_, p)| p.indexed.get() >= I80F48::ZERO)
            && after
                .active_perps()
                .all(|(_, p)| p.base == 0 && p.quote.get() >= I80F48::ZERO);
        let restored = with_health
            && self
                .p
                .health(user)
                .await
                .is_some_and(|h| h.init >= I80F48::ZERO);
        let expected = flagged && !(no_debt || restored);
        assert_eq!(
            after.being_liquidated != 0,
            expected,
            "being_liquidated after a deposit (flagged before {flagged}, no debt {no_debt}, \
             health accounts {with_health}, init restored {restored})"
        );
    }

    /// Break an oracle: half the time the alt's legacy feed, otherwise `bank`'s. It stays
    /// broken until the bank's next price move, or a refresh that repairs it.
    pub async fn oracle_fault(&mut self, bank: usize) {
        let bank = if self.rng.chance(0.5) {
            BANKS - 1
        } else {
            bank
        };
        let fault = FAULTS[self.rng.below(FAULTS.len() as u64) as usize];
        let account = self.broken_oracle(bank, fault).await;
        let key = self.p.banks[bank].oracle;
        self.p.tc.set_account(&key, account);
        self.faulty[bank] = true;
        *self.stats.faults.entry(fault.name()).or_default() += 1;
    }

    async fn broken_oracle(&mut self, bank: usize, fault: Fault) -> Account {
        let now = self.p.tc.now().await;
        let config = configs()[bank];
        let b = self.p.banks[bank].clone();
        let fresh = PythPrice::usd(self.prices[bank], 0, now);
        let owner = match b.kind {
            OracleKind::PythPull => PYTH_RECEIVER_PROGRAM_ID,
            OracleKind::PythLegacy => PYTH_LEGACY_PROGRAM_ID,
        };
        let write = |p: PythPrice, trading: bool| match b.kind {
            OracleKind::PythPull => {
                let level = if trading {
                    VerificationLevel::Full
                } else {
                    VerificationLevel::Partial { num_signatures: 3 }
                };
                pyth::pull_account(b.feed_id, p, level)
            }
            OracleKind::PythLegacy => pyth::legacy_account(p, trading),
        };
        match fault {
            Fault::Stale => {
                let age = config.max_staleness_secs as i64 + self.rng.amount(86_400) as i64;
                write(
                    PythPrice {
                        publish_time: now - age,
                        ..fresh
                    },
                    true,
                )
            }
            Fault::WideConfidence => {
                let conf_bps = config.max_conf_bps as u64 + 1 + self.rng.below(5_000);
                write(PythPrice::usd(self.prices[bank], conf_bps, now), true)
            }
            Fault::NotTrading => write(fresh, false),
            Fault::Garbage => {
                let len = write(fresh, true).data.len();
                let data = (0..len).map(|_| self.rng.next() as u8).collect();
                Account {
                    lamports: 1_000_000_000,
                    data,
                    owner,
                    executable: false,
                    rent_epoch: 0,
                }
            }
            Fault::Closed => Account::default(),
            Fault::SystemOwned => Account {
                owner: anchor_lang::system_program::ID,
                ..write(fresh, true)
            },
        }
    }

    /// Native units of `bank`'s vault that withdrawals may take now: the vault minus the
    /// protocol fees it reserves (interest accrued to now, as the program will).
    pub async fn withdrawable(&mut self, bank: usize) -> u64 {
        let mut state = self.p.bank_state(bank).await;
        state.accrue_interest(self.p.tc.now().await).unwrap();
        let vault = self.p.tc.token_balance(self.p.banks[bank].vault).await;
        vault.saturating_sub(state.reserved_fees().unwrap())
    }

    /// Empty a vault. A borrower withdraws its whole deposit (capped by what the vault can
    /// pay); or the big depositor brings liquidity back; or the largest depositor withdraws
    /// all it can and the whale borrows whatever withdrawable units remain, leaving the bank
    /// at 100 % utilisation — sometimes asking for one unit more than the vault may pay out
    /// (it keeps the protocol fees in reserve), which must fail.
    pub async fn drain(&mut self, user: usize, bank: usize) -> Result<(), TxError> {
        let roll = self.rng.below(10);
        if roll < 3 {
            let available = self.withdrawable(bank).await;
            let amount = self.deposit_units(user, bank).await.min(available);
            return self.drain_by(user, bank, amount, available).await;
        }
        if roll < 5 {
            let wallet = self.p.wallet_balance(self.keeper, bank).await;
            let amount = self.rng.amount(wallet.max(1)).min(wallet);
            if amount == 0 {
                return Ok(());
            }
            return self.p.deposit(self.keeper, bank, amount).await;
        }
        let largest = self.largest_depositor(bank).await;
        let available = self.withdrawable(bank).await;
        let amount = self.deposit_units(largest, bank).await.min(available);
        let first = self.drain_by(largest, bank, amount, available).await;
        // The whale's collateral is the stablecoin, which it therefore never drains: its
        // collateral must not become liquidity it later borrows (amounts would snowball).
        if first.is_err() || bank == 0 {
            return first;
        }
        self.whale_drains(bank).await
    }

    /// The whale borrows every withdrawable unit of `bank` (or repays its borrow there).
    async fn whale_drains(&mut self, bank: usize) -> Result<(), TxError> {
        let debt = -self.native_exact(self.whale, bank).await;
        if debt > 0 && self.rng.chance(0.3) {
            let debt = debt.ceil().to_num::<u64>();
            return self.whale_repays(bank, debt).await;
        }
        let available = self.withdrawable(bank).await;
        let amount = if self.rng.chance(0.2) {
            available + 1 + self.rng.below(1_000)
        } else {
            self.borrowable(bank, available).await
        };
        if amount == 0 {
            return Ok(());
        }
        self.collateralise_whale(bank, amount).await;
        let result = self.p.withdraw(self.whale, bank, amount, true).await;
        self.after_drain(bank, available, amount, &result).await;
        result
    }

    /// `user` withdraws `amount` (no borrowing) of `bank`, where `available` was
    /// withdrawable.
    async fn drain_by(
        &mut self,
        user: usize,
        bank: usize,
        amount: u64,
        available: u64,
    ) -> Result<(), TxError> {
        if amount == 0 {
            return Ok(());
        }
        let result = self.p.withdraw(user, bank, amount, false).await;
        self.after_drain(bank, available, amount, &result).await;
        result
    }

    /// The account with the largest deposit in `bank` (any user, keepers included).
    async fn largest_depositor(&mut self, bank: usize) -> usize {
        let mut best = (self.keeper, 0u64);
        for user in 0..self.p.users.len() {
            let units = self.deposit_units(user, bank).await;
            if units > best.1 {
                best = (user, units);
            }
        }
        best.0
    }

    /// The most the bank lends now: the withdrawable vault, and no more than keeps
    /// borrows (with the origination fee) within deposits.
    async fn borrowable(&mut self, bank: usize, available: u64) -> u64 {
        let mut state = self.p.bank_state(bank).await;
        state.accrue_interest(self.p.tc.now().await).unwrap();
        let (deposits, borrows) = state.native_totals().unwrap();
        let room = (deposits - borrows).to_num::<f64>()
            / (1.0 + configs()[bank].loan_origination_fee_bps as f64 / 1e4);
        available.min((room - 2.0).max(0.0) as u64)
    }

    /// A successful withdrawal never takes reserved fees; count vaults left with nothing
    /// withdrawable and banks at 100 % utilisation.
    async fn after_drain(
        &mut self,
        bank: usize,
        available: u64,
        amount: u64,
        result: &Result<(), TxError>,
    ) {
        if result.is_err() {
            return;
        }
        assert!(
            amount <= available,
            "bank {bank}: withdrew {amount} with only {available} withdrawable (fees reserved)"
        );
        if self.withdrawable(bank).await == 0 {
            self.stats.drained += 1;
        }
        let state = self.p.bank_state(bank).await;
        let (deposits, borrows) = state.native_totals().unwrap();
        if borrows + I80F48::from_num(2) >= deposits {
            self.stats.full_utilisation += 1;
        }
    }

    /// Mint and deposit enough stablecoin collateral for the whale to borrow `amount` of
    /// `bank` at the worst weights.
    async fn collateralise_whale(&mut self, bank: usize, amount: u64) {
        let collateral = 0;
        let value = amount as f64 * per_native(bank, self.prices[bank]);
        let headroom = self
            .p
            .health(self.whale)
            .await
            .map_or(0.0, |h| h.init.to_num::<f64>() / 1e6);
        // Borrowing costs at most 1.4 × value × (1 + conf) of init health; a deposit adds at
        // least 0.6 × its value × (1 − conf); keep a 50 % margin.
        let shortfall = 1.5 * 1.4 * value - headroom;
        if shortfall <= 0.0 {
            return;
        }
        let dollars = shortfall / 0.6 * 1.1;
        let native = (dollars / per_native(collateral, self.prices[collateral])).ceil() as u64;
        let (mint, wallet) = (
            self.p.banks[collateral].mint,
            self.p.users[self.whale].wallets[collateral],
        );
        self.p.tc.mint_to(&mint, &wallet, native).await;
        // Refused only by an insolvent bank; the borrow then fails on health.
        let _ = self.p.deposit(self.whale, collateral, native).await;
    }

    /// The whale pays back its borrow in `bank` (minted), returning liquidity.
    async fn whale_repays(&mut self, bank: usize, debt: u64) -> Result<(), TxError> {
        let (mint, wallet) = (
            self.p.banks[bank].mint,
            self.p.users[self.whale].wallets[bank],
        );
        self.p.tc.mint_to(&mint, &wallet, debt).await;
        self.p.deposit(self.whale, bank, debt).await
    }

    /// Protocol cranks anyone may send: accrue interest, accrue and record the oracle's
    /// price as the bank's last valid price (what outages fall back to), or sweep the
    /// bank's fees into its insurance vault (emptying the vault further when drained).
    pub async fn crank(&mut self, bank: usize) -> Result<(), TxError> {
        let b = self.p.banks[bank].clone();
        match self.rng.below(3) {
            0 => {
                let ix = builders::bank_accrue_interest(&b.bank);
                self.p.step(&[ix], &[]).await
            }
            1 => {
                let ix = builders::bank_accrue_interest_with_oracle(&b.bank, &b.oracle);
                self.p.step(&[ix], &[]).await
            }
            _ => self.p.sweep_fees(bank).await,
        }
    }

    /// The security admin pauses the group (the only excuse the liveness check accepts
    /// for a refused liquidation that has valid prices).
    pub async fn pause(&mut self) -> Result<(), TxError> {
        if self.paused {
            return Ok(());
        }
        let key = self.p.security_admin.insecure_clone();
        let ix = builders::group_set_paused(&key.pubkey(), &self.p.group, true);
        let result = self.p.step(&[ix], &[&key]).await;
        self.paused = result.is_ok();
        result
    }

    /// Pauses are short: the admin unpauses with probability 0.3 at each step.
    pub async fn maybe_unpause(&mut self) {
        if self.paused && self.rng.chance(0.3) {
            let admin: Pubkey = self.p.admin();
            let ix = builders::group_set_paused(&admin, &self.p.group, false);
            self.p.step(&[ix], &[]).await.expect("the admin unpauses");
            self.paused = false;
        }
    }
}
