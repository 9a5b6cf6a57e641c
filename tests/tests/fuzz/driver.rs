//! The fuzz driver: setup, one random operation per step, and the extra invariants.
//!
//! The third-party actions live in `third_party.rs`, the competitors' liquidations and
//! bankruptcy resolutions with their checks in `resolution.rs`, the liveness invariant in
//! `liveness.rs` and the liquidators it uses in `keepers.rs`; all of them are `impl Fuzzer`
//! blocks over the state defined here.

use crate::keepers::KeeperPool;
use crate::liveness::Liveness;
use crate::perps::{PerpStats, PERP, SETTLE_BANK};
use crate::rng::Rng;
use cross_margin::health::engine::native_balance;
use cross_margin::math::I80F48;
use cross_margin::state::{BankConfig, OracleKind};
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::pyth::PythPrice;
use cross_margin_tests::harness::{assert_no_panic, Protocol, TxError};
use std::fmt::Write;
use std::sync::Mutex;

/// Token decimals per bank: a stablecoin, SOL-like, ETH-like, and an illiquid "alt" whose
/// legacy Pyth feed is the favourite target of oracle faults (it can stop Trading).
pub const DECIMALS: [u8; BANKS] = [6, 9, 8, 5];
pub const START_PRICES: [f64; BANKS] = [1.0, 100.0, 3_000.0, 0.5];
pub const BANKS: usize = 4;
/// Where the panic hook finds the seed and step to print.
static CONTEXT: Mutex<String> = Mutex::new(String::new());

pub fn set_context(text: String) {
    *CONTEXT.lock().unwrap() = text;
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            eprintln!(
                "FUZZ FAILURE at {} — replay with FUZZ_SEED and FUZZ_STEPS",
                CONTEXT.lock().unwrap()
            );
            default(info);
        }));
    });
}

pub fn configs() -> [BankConfig; BANKS] {
    [
        BankConfig {
            init_asset_weight_bps: 9_000,
            maint_asset_weight_bps: 9_500,
            maint_liab_weight_bps: 10_500,
            init_liab_weight_bps: 11_000,
            loan_origination_fee_bps: 10,
            liquidation_fee_bps: 100,
            ..default_config()
        },
        BankConfig {
            liquidation_fee_bps: 250,
            liquidation_insurance_share_bps: 2_000,
            ..default_config()
        },
        BankConfig {
            liquidation_fee_bps: 200,
            liquidation_insurance_share_bps: 5_000,
            protocol_fee_bps: 2_000,
            ..default_config()
        },
        BankConfig {
            oracle_kind: OracleKind::PythLegacy,
            init_asset_weight_bps: 6_000,
            maint_asset_weight_bps: 7_500,
            maint_liab_weight_bps: 12_500,
            init_liab_weight_bps: 14_000,
            liquidation_fee_bps: 400,
            liquidation_insurance_share_bps: 1_000,
            max_conf_bps: 300,
            max_staleness_secs: 120,
            ..default_config()
        },
    ]
}

/// The operations, with their relative weights (out of 100).
pub const OPS: [(&str, u64); 15] = [
    ("deposit", 17),
    ("withdraw", 10),
    ("borrow", 20),
    ("repay", 7),
    ("price", 13),
    ("clock", 5),
    ("liquidate", 6),
    ("bankruptcy", 2),
    ("crank", 4),
    ("stranger", 7),
    ("oracle", 4),
    ("drain", 4),
    ("pause", 1),
    ("admin", 3),
    ("perp", 30),
];
const OP_STRANGER: usize = 9;
const OP_ORACLE: usize = 10;
const OP_DRAIN: usize = 11;
const OP_PAUSE: usize = 12;
const OP_ADMIN: usize = 13;
const OP_PERP: usize = 14;

#[derive(Default)]
pub struct Stats {
    pub ok: [u64; OPS.len()],
    pub failed: [u64; OPS.len()],
    pub bad_debt: [u64; BANKS],
    pub fees_forgone: [u64; BANKS],
    pub insured: [u64; BANKS],
    pub unrecoverable: [u64; BANKS],
    /// Failed operations by name and program error (what the random inputs ran into).
    pub refusals: std::collections::BTreeMap<(&'static str, String), u64>,
    /// Queued admin changes applied after their timelock / cancelled.
    pub changes_applied: u64,
    pub changes_cancelled: u64,
    /// Strangers' deposits: into existing positions (accepted) / new ones (refused).
    pub stranger_existing: u64,
    pub stranger_refused: u64,
    /// Oracle faults injected, by kind (see `third_party::Fault`).
    pub faults: std::collections::BTreeMap<&'static str, u64>,
    /// Vaults left with nothing withdrawable (all of it lent or reserved as fees), and
    /// banks left at 100 % utilisation.
    pub drained: u64,
    pub full_utilisation: u64,
}

pub struct Fuzzer {
    pub p: Protocol,
    pub rng: Rng,
    pub prices: [f64; BANKS],
    /// The borrowers the random operations act for.
    pub users: Vec<usize>,
    /// The big depositor: liquidity in every bank, insurance funder, random liquidator.
    pub keeper: usize,
    pub attacker: usize,
    /// Deposits only into other users' accounts.
    pub stranger: usize,
    /// Borrows whole vaults (100 % utilisation) against minted collateral.
    pub whale: usize,
    /// The liquidators of the liveness check (`keepers.rs`).
    pub keepers: KeeperPool,
    /// Oracles broken by a fault; price refreshes leave them broken most of the time.
    pub faulty: [bool; BANKS],
    pub paused: bool,
    /// Queued admin changes not yet applied or cancelled: (bank, change address).
    pub pending: Vec<(usize, anchor_lang::prelude::Pubkey)>,
    pub stats: Stats,
    pub liveness: Liveness,
    /// Deposits and withdraws LP shares of the perp pool (`perps.rs`).
    pub lp: usize,
    /// Liquidates perp positions for the liveness check (holds only its credits).
    pub perp_keeper: usize,
    pub perp_stats: PerpStats,
}

pub fn per_native(bank: usize, dollars: f64) -> f64 {
    dollars / 10f64.powi(DECIMALS[bank] as i32)
}

/// Native units of `bank` worth `dollars` at its start price.
pub fn fund(bank: usize, dollars: f64) -> u64 {
    (dollars / per_native(bank, START_PRICES[bank])) as u64
}

fn all(dollars: f64) -> Vec<(usize, u64)> {
    (0..BANKS).map(|b| (b, fund(b, dollars))).collect()
}

impl Fuzzer {
    async fn setup(seed: u64) -> Self {
        let mut p = Protocol::new().await;
        for (bank, config) in configs().into_iter().enumerate() {
            p.add_bank(DECIMALS[bank], START_PRICES[bank], config).await;
        }
        let keeper = p.add_user(&all(5_000_000.0)).await;
        for bank in 0..BANKS {
            p.deposit(keeper, bank, fund(bank, 2_000_000.0))
                .await
                .unwrap();
            p.fund_insurance(keeper, bank, fund(bank, 1_000.0))
                .await
                .unwrap();
        }
        let mut users = vec![];
        for _ in 0..4 {
            users.push(p.add_user(&all(20_000.0)).await);
        }
        let attacker = users[0];
        let stranger = p.add_user(&all(20_000.0)).await;
        let whale = p.add_user(&[]).await;
        let perp_keeper = p.add_user(&[]).await;
        let mut f = Self {
            p,
            rng: Rng::new(seed),
            prices: START_PRICES,
            users,
            keeper,
            attacker,
            stranger,
            whale,
            keepers: KeeperPool::default(),
            faulty: [false; BANKS],
            paused: false,
            pending: vec![],
            stats: Stats::default(),
            liveness: Liveness::default(),
            lp: 0,
            perp_keeper,
            perp_stats: PerpStats::default(),
        };
        f.setup_perps().await;
        f
    }

    /// Run `steps` random steps from `seed`; the report line and the perp action counts.
    pub async fn run(seed: u64, steps: u64) -> (String, PerpStats) {
        install_panic_hook();
        let start = std::time::Instant::now();
        let mut f = Self::setup(seed).await;
        for step in 0..steps {
            f.step(seed, step).await;
        }
        let report = f.report(seed, steps, start.elapsed());
        (report, f.perp_stats)
    }

    fn report(&self, seed: u64, steps: u64, wall: std::time::Duration) -> String {
        let mut out = format!(
            "fuzz seed {seed}: {steps} steps in {:.1} s, {} invariant checks;",
            wall.as_secs_f64(),
            self.p.invariants.checks
        );
        for (i, (op, _)) in OPS.iter().enumerate() {
            let _ = write!(
                out,
                " {op} {}/{}",
                self.stats.ok[i],
                self.stats.ok[i] + self.stats.failed[i]
            );
        }
        let flows = &self.p.invariants.pool_flows[&PERP];
        let _ = write!(
            out,
            "; perp actions (succeeded/tried) {}; pool flows: LP in {} out {}, losses settled \
             in {}, profits settled out {}, insured in {}, funding paid to the pool {:.0} \
             (checked at {} steps)",
            self.perp_stats.summary(),
            flows.lp_in,
            flows.lp_out,
            flows.losses_in,
            flows.profits_out,
            flows.insured_in,
            flows.funding.to_num::<f64>(),
            flows.checks
        );
        let s = &self.stats;
        let _ = write!(
            out,
            "; {}; strangers' deposits accepted {} / refused {}; oracle faults {:?}; \
             vaults drained {}, banks at 100 % utilisation {}; liquidation keepers {}; \
             bad debt {:?} (fees forgone {:?}, insured {:?}, unrecoverable {:?}); \
             admin changes applied {} / cancelled {}; refusals {:?}",
            self.liveness.summary(),
            s.stranger_existing,
            s.stranger_refused,
            s.faults,
            s.drained,
            s.full_utilisation,
            self.keepers.len(),
            s.bad_debt,
            s.fees_forgone,
            s.insured,
            s.unrecoverable,
            s.changes_applied,
            s.changes_cancelled,
            s.refusals
        );
        out
    }

    async fn step(&mut self, seed: u64, step: u64) {
        set_context(format!("seed {seed} step {step} (before the op)"));
        self.maybe_unpause().await;
        let op = self.rng.weighted(&OPS.map(|(_, w)| w));
        set_context(format!("seed {seed} step {step} op {}", OPS[op].0));
        let user = self.users[self.rng.below(self.users.len() as u64) as usize];
        let bank = self.rng.below(BANKS as u64) as usize;
        let bank = self.habitual_bank(op, user, bank);
        let watch = user == self.attacker && op <= 3;
        let equity_before = if watch {
            Some(self.equity(user).await)
        } else {
            None
        };
        let result = self.run_op(op, user, bank).await;
        assert_no_panic(&result);
        if let Err(e) = &result {
            assert!(matches!(e, TxError::Custom(_)), "unnamed error {e:?}");
        }
        if result.is_ok() {
            self.stats.ok[op] += 1
        } else {
            self.stats.failed[op] += 1
        }
        if let Err(TxError::Custom(code)) = &result {
            let name = cross_margin_client::chain::error_name(*code).unwrap_or(code.to_string());
            *self.stats.refusals.entry((OPS[op].0, name)).or_default() += 1;
        }
        if let Some(before) = equity_before {
            let after = self.equity(user).await;
            assert!(
                after <= before + self.tolerance(),
                "attacker gained {} on a plain {}",
                after - before,
                OPS[op].0
            );
        }
        self.check_supply_and_solvency().await;
        set_context(format!(
            "seed {seed} step {step} liveness check after op {}",
            OPS[op].0
        ));
        self.check_liveness(step).await;
    }

    /// Borrowers have habits, so the liveness check meets the hard shapes often: the second
    /// borrower keeps its collateral in the alt (whose feed breaks most: every asset
    /// unpriced) and borrows the others; the third holds SOL and borrows the alt (its only
    /// liability unpriced when the alt's feed breaks). The others pick banks at random.
    fn habitual_bank(&mut self, op: usize, user: usize, bank: usize) -> usize {
        let alt = BANKS - 1;
        let (deposit, borrow) = (op == 0, op == 2);
        if user == self.users[1] {
            if deposit && self.rng.chance(0.8) {
                return alt;
            }
            if borrow && bank == alt {
                return self.rng.below(alt as u64) as usize;
            }
        } else if user == self.users[2] {
            if deposit && self.rng.chance(0.7) {
                return 1;
            }
            if borrow && self.rng.chance(0.6) {
                return alt;
            }
        }
        bank
    }

    async fn run_op(&mut self, op: usize, user: usize, bank: usize) -> Result<(), TxError> {
        match op {
            0 => {
                let wallet = self.p.wallet_balance(user, bank).await;
                let amount = self.rng.amount(wallet.max(1) * 2);
                self.p.deposit(user, bank, amount).await
            }
            1 | 2 => self.checked_withdraw(user, bank, op == 2).await,
            3 => {
                let debt = -self.p.native_balance(user, bank).await;
                let amount = if debt > 0.0 && self.rng.chance(0.5) {
                    debt.ceil() as u64
                } else {
                    self.rng.amount(1 + debt.max(0.0) as u64)
                };
                self.p.deposit(user, bank, amount).await
            }
            4 => {
                self.move_price(bank).await;
                Ok(())
            }
            5 => {
                let secs = self.rng.amount(7 * 86_400) as i64;
                self.p.tc.advance_clock(secs).await;
                if self.rng.chance(0.6) {
                    self.refresh_prices(None).await;
                }
                Ok(())
            }
            6 => self.liquidation(user, bank).await,
            7 => self.bankruptcy(user, bank).await,
            8 => self.crank(bank).await,
            OP_STRANGER => self.stranger_deposit(user, bank).await,
            OP_ORACLE => {
                self.oracle_fault(bank).await;
                Ok(())
            }
            OP_DRAIN => self.drain(user, bank).await,
            OP_PAUSE => self.pause().await,
            OP_ADMIN => self.admin_change(bank).await,
            OP_PERP => self.perp_op(user).await,
            _ => unreachable!("op {op}"),
        }
    }

    /// Signed native balance of `user` in `bank` now, exact (the harness's
    /// `native_balance` is an `f64`, which drops units above 2^53 — whale-sized positions).
    pub async fn native_exact(&mut self, user: usize, bank: usize) -> I80F48 {
        let account = self.p.margin_account(user).await;
        let now = self.p.tc.now().await;
        let mut b = self.p.bank_state(bank).await;
        b.accrue_interest(now).expect("accrue");
        let indexed = account
            .position_slot(b.token_index)
            .map(|s| account.token_positions[s].indexed.get())
            .unwrap_or_default();
        native_balance(indexed, b.deposit_index.get(), b.borrow_index.get()).expect("balance")
    }

    /// Whole native units of `user`'s deposit in `bank` (0 for a borrow).
    pub async fn deposit_units(&mut self, user: usize, bank: usize) -> u64 {
        self.native_exact(user, bank)
            .await
            .max(I80F48::ZERO)
            .floor()
            .to_num::<u64>()
    }

    /// Dollar value of a user's wallets and positions at the current prices.
    pub async fn equity(&mut self, user: usize) -> f64 {
        let mut total = 0.0;
        for bank in 0..BANKS {
            let held = self.p.wallet_balance(user, bank).await as f64
                + self.p.native_balance(user, bank).await;
            total += held * per_native(bank, self.prices[bank]);
        }
        total
    }

    /// Rounding allowance: a couple of native units of every token.
    pub fn tolerance(&self) -> f64 {
        (0..BANKS)
            .map(|b| 2.0 * per_native(b, self.prices[b]))
            .sum::<f64>()
            + 1e-9
    }

    async fn checked_withdraw(
        &mut self,
        user: usize,
        bank: usize,
        borrow: bool,
    ) -> Result<(), TxError> {
        let before = self.p.health(user).await;
        let balance = self.p.native_balance(user, bank).await;
        let amount = if !borrow && balance >= 1.0 && self.rng.chance(0.7) {
            1 + self.rng.below(balance as u64)
        } else if borrow && self.rng.chance(0.85) {
            // Near the account's limit: init health ÷ (price × liability weight), ×0.6…1.05.
            let headroom = before
                .map(|h| h.init.to_num::<f64>())
                .unwrap_or(0.0)
                .max(0.0)
                / 1e6;
            let weight = configs()[bank].init_liab_weight_bps as f64 / 1e4;
            let per_unit = per_native(bank, self.prices[bank]) * weight;
            let fraction = 0.6 + 0.45 * self.rng.below(1_000) as f64 / 1_000.0;
            ((headroom / per_unit) * fraction) as u64 + 1
        } else {
            self.rng
                .amount(self.p.wallet_balance(user, bank).await.max(1_000_000) * 4)
        };
        let result = self.p.withdraw(user, bank, amount, borrow).await;
        if result.is_ok() {
            let before = before.expect("a successful withdrawal had valid prices");
            let after = self.p.health(user).await.expect("prices still valid");
            // Under water, neither init nor maint health may fall (issue 8).
            let allowed = if before.init >= 0 {
                after.init >= 0
            } else {
                after.init >= before.init && after.maint >= before.maint
            };
            assert!(allowed, "health rule broken: {before:?} -> {after:?}");
        }
        result
    }

    async fn move_price(&mut self, bank: usize) {
        if bank == 0 && self.rng.chance(0.8) {
            // Keep the stablecoin near $1 most of the time.
            self.prices[0] = 1.0;
        } else {
            // Mostly ±30 %; one move in five is a crash to 30–70 %.
            let u = self.rng.below(1_000) as f64 / 1_000.0;
            let factor = if self.rng.chance(0.2) {
                0.3 + 0.4 * u
            } else {
                0.7 + 0.6 * u
            };
            self.prices[bank] = (self.prices[bank] * factor)
                .clamp(START_PRICES[bank] * 0.05, START_PRICES[bank] * 20.0);
        }
        let conf_bps = if self.rng.chance(0.1) {
            150 + self.rng.below(200)
        } else {
            self.rng.below(50)
        };
        let now = self.p.tc.now().await;
        let publish_time = if self.rng.chance(0.1) { now - 180 } else { now };
        let mut price = PythPrice::usd(self.prices[bank], conf_bps, publish_time);
        price.price = price.price.max(1);
        self.p.set_raw_price(bank, price).await;
        self.faulty[bank] = false;
        // Usually refresh the others so liquidations can run.
        if self.rng.chance(0.85) {
            self.refresh_prices(Some(bank)).await;
        }
    }

    /// Publish a fresh price for every bank except `skip`. An oracle broken by a fault
    /// (`third_party::oracle_fault`) is repaired only every other time, so outages last
    /// a few steps and the liveness check meets them.
    pub async fn refresh_prices(&mut self, skip: Option<usize>) {
        for bank in 0..BANKS {
            if Some(bank) == skip || (self.faulty[bank] && self.rng.chance(0.5)) {
                continue;
            }
            self.p.set_price(bank, self.prices[bank], 0).await;
            self.faulty[bank] = false;
        }
    }

    /// Tokens are conserved per mint (the perp pool's vault holds stablecoins too); borrows never exceed deposits plus fees, except by
    /// the rounding surplus the vault holds. (Dust forfeited to the vault in the protocol's
    /// favour is part of what withdrawals may take, so a depositor emptying a vault at full
    /// utilisation leaves borrows that many units above deposits; the harness bounds that
    /// surplus by one unit per operation.)
    async fn check_supply_and_solvency(&mut self) {
        for bank in 0..BANKS {
            let b = self.p.banks[bank].clone();
            let mint = self.p.tc.account(b.mint).await.unwrap().data;
            let supply = u64::from_le_bytes(mint[36..44].try_into().unwrap());
            let vault = self.p.tc.token_balance(b.vault).await;
            let mut held = vault + self.p.tc.token_balance(b.insurance_vault).await;
            for u in 0..self.p.users.len() {
                held += self.p.wallet_balance(u, bank).await;
            }
            if bank == SETTLE_BANK {
                held += self.p.pool_vault_balance(PERP).await;
            }
            assert_eq!(held, supply, "bank {bank}: tokens not conserved");
            let state = self.p.bank_state(bank).await;
            let (d, bo) = state.native_totals().unwrap();
            let fees = state.collected_fees.get();
            let books = d - bo + fees - I80F48::from_num(state.unrecoverable_bad_debt);
            let surplus = (I80F48::from_num(vault) - books).max(I80F48::ZERO);
            assert!(
                bo <= d + fees + I80F48::ONE + surplus,
                "bank {bank}: borrows {bo} exceed deposits {d} + fees {fees} + the vault's \
                 rounding surplus {surplus}"
            );
        }
    }
}
