//! A synthetic group to run the risk engine on when no cluster is at hand: USDC, SOL,
//! ETH and BTC banks at given prices, lenders who fund them, and borrowers with a
//! realistic spread of leverage, built with the program's own bookkeeping
//! (`Bank::deposit` / `Bank::withdraw`), so a synthetic account is exactly what the chain
//! would hold after the same deposits and borrows.
//!
//! **The population.** Leverage is what drives a crash's losses, so it is spread the way
//! lending books are: most borrowers use a third to two thirds of their borrowing power,
//! a tail runs close to the limit. Kinds, by share of borrowers:
//! - **long** (55 %): one volatile deposit (SOL, ETH or BTC), a USDC borrow;
//! - **basket** (20 %): deposits in two or three volatile tokens (correlated collateral,
//!   the cross-margin case), a USDC borrow;
//! - **short** (15 %): a USDC deposit, a volatile borrow;
//! - **isolated** (10 %): the same owner's second account holding one long of its own,
//!   as `perp open --isolated` would ring-fence it (its loss never reaches the first).
//!
//! Perp positions are not generated: the cascade does not model perps yet (see `book`).

use crate::book::Book;
use anchor_lang::prelude::Pubkey;
use cross_margin::health::OraclePrice;
use cross_margin::math::{I80F48Bytes, I80F48};
use cross_margin::state::{Bank, BankConfig, Flow, MarginAccount};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Token indices of the synthetic banks.
pub const USDC: u16 = 0;
pub const SOL: u16 = 1;
pub const ETH: u16 = 2;
pub const BTC: u16 = 3;
const VOLATILE: [u16; 3] = [SOL, ETH, BTC];

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct Population {
    /// Borrowing accounts (isolated ones count; lenders come on top).
    pub borrowers: usize,
    pub seed: u64,
    /// USD price of SOL, ETH, BTC (USDC is $1).
    pub prices: [f64; 3],
    /// Collateral per borrower, USD, drawn log-uniformly in this range.
    pub collateral_usd: (f64, f64),
    /// USDC in each bank's insurance fund, USD.
    pub insurance_usd: f64,
    pub unix_time: i64,
}

impl Default for Population {
    fn default() -> Self {
        Self {
            borrowers: 1_000,
            seed: 1,
            prices: [100.0, 3_000.0, 60_000.0],
            collateral_usd: (500.0, 50_000.0),
            insurance_usd: 10_000.0,
            unix_time: 1_700_000_000,
        }
    }
}

/// The banks' configs: USDC tight, BTC and ETH the defaults, SOL a little looser in
/// volatility terms (the same weights, a larger liquidation fee).
pub fn bank_config(token: u16) -> BankConfig {
    match token {
        USDC => BankConfig {
            init_asset_weight_bps: 9_500,
            maint_asset_weight_bps: 9_800,
            maint_liab_weight_bps: 10_200,
            init_liab_weight_bps: 10_500,
            liquidation_fee_bps: 100,
            ..BankConfig::DEFAULT
        },
        SOL => BankConfig {
            liquidation_fee_bps: 500,
            ..BankConfig::DEFAULT
        },
        _ => BankConfig::DEFAULT,
    }
}

/// Decimals of the synthetic banks' mints.
pub fn decimals(token: u16) -> u8 {
    match token {
        USDC => 6,
        SOL => 9,
        _ => 8,
    }
}

/// A bank as registration leaves it, with `config`, at `now`.
pub fn bank(token: u16, decimals: u8, config: &BankConfig, now: i64) -> Bank {
    let mut b: Bank = bytemuck::Zeroable::zeroed();
    b.token_index = token;
    b.decimals = decimals;
    b.deposit_index = I80F48Bytes::from(I80F48::ONE);
    b.borrow_index = I80F48Bytes::from(I80F48::ONE);
    b.last_accrual_ts = now;
    b.apply_config(config, now, None);
    b
}

/// An oracle reading of `usd` a whole token (exponent −8, zero confidence).
pub fn price(usd: f64, now: i64) -> OraclePrice {
    OraclePrice {
        price: (usd * 1e8).round().max(1.0) as i64,
        conf: 0,
        expo: -8,
        publish_time: now,
    }
}

/// A new account of `owner` (account number `num`).
pub fn account(owner: Pubkey, num: u32) -> MarginAccount {
    let mut a: MarginAccount = bytemuck::Zeroable::zeroed();
    a.init(Pubkey::default(), owner, num, 0);
    a
}

/// Native units of `usd` worth of `token` at `prices`.
fn native(token: u16, usd: f64, prices: &[f64; 3]) -> u64 {
    let unit = 10f64.powi(decimals(token) as i32);
    let px = if token == USDC {
        1.0
    } else {
        prices[token as usize - 1]
    };
    (usd / px * unit).floor().max(0.0) as u64
}

/// Books deposits and borrows into banks and accounts, as the program's instructions do.
pub struct Builder {
    pub banks: BTreeMap<u16, Bank>,
    pub now: i64,
}

impl Builder {
    pub fn new(now: i64) -> Self {
        let banks = [USDC, SOL, ETH, BTC]
            .into_iter()
            .map(|t| (t, bank(t, decimals(t), &bank_config(t), now)))
            .collect();
        Self { banks, now }
    }

    /// Deposit `amount` native units of `token` into `a`.
    pub fn deposit(&mut self, a: &mut MarginAccount, token: u16, amount: u64) {
        let slot = a.find_or_create_position(token).expect("a free slot");
        let bank = self.banks.get_mut(&token).expect("bank");
        let out = bank
            .deposit(a.token_positions[slot].indexed.get(), amount, Flow::User)
            .expect("deposit within the bank's limits");
        a.token_positions[slot].indexed.set(out.indexed);
    }

    /// Borrow `amount` native units of `token` into `a` (the tokens leave to the owner's
    /// wallet).
    pub fn borrow(&mut self, a: &mut MarginAccount, token: u16, amount: u64) {
        let slot = a.find_or_create_position(token).expect("a free slot");
        let bank = self.banks.get_mut(&token).expect("bank");
        let out = bank
            .withdraw(
                a.token_positions[slot].indexed.get(),
                amount,
                true,
                Flow::User,
            )
            .expect("borrow within the bank's limits");
        a.token_positions[slot].indexed.set(out.indexed);
    }
}

/// The labels the price history names the synthetic banks by.
pub fn labels() -> BTreeMap<u16, String> {
    [(USDC, "USDC"), (SOL, "SOL"), (ETH, "ETH"), (BTC, "BTC")]
        .into_iter()
        .map(|(t, l)| (t, l.to_string()))
        .collect()
}

/// Generate the population. Borrows take `leverage × init borrowing power`, leverage
/// drawn from a Beta-like spread on (0.2, 0.97) with mean ≈ 0.55.
pub fn generate(p: &Population) -> Book {
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let mut b = Builder::new(p.unix_time);
    let mut accounts = Vec::with_capacity(p.borrowers + 4);
    // Lenders: deposits in every bank deep enough for every borrow.
    let mut lenders: Vec<MarginAccount> = (0..4u32)
        .map(|i| account(Pubkey::new_from_array([200 + i as u8; 32]), 0))
        .collect();
    let depth_usd = p.collateral_usd.1 * p.borrowers.max(1) as f64;
    for (i, token) in [USDC, SOL, ETH, BTC].into_iter().enumerate() {
        let amount = native(token, depth_usd, &p.prices);
        b.deposit(&mut lenders[i], token, amount);
    }
    let (lo, hi) = (
        p.collateral_usd.0.max(1.0).ln(),
        p.collateral_usd.1.max(1.0).ln(),
    );
    let mut i = 0usize;
    while i < p.borrowers {
        let owner = Pubkey::new_from_array(owner_bytes(i as u64));
        let collateral = rng.gen_range(lo..=hi.max(lo)).exp();
        let leverage = {
            let (u, v): (f64, f64) = (rng.gen(), rng.gen());
            0.2 + 0.77 * (u + v) / 2.0
        };
        let kind: f64 = rng.gen();
        let mut a = account(owner, 0);
        if kind < 0.55 {
            let token = VOLATILE[rng.gen_range(0..3)];
            long(&mut b, &mut a, &[token], collateral, leverage, &p.prices);
        } else if kind < 0.75 {
            let n = rng.gen_range(2..=3);
            long(
                &mut b,
                &mut a,
                &VOLATILE[..n],
                collateral,
                leverage,
                &p.prices,
            );
        } else if kind < 0.90 {
            let token = VOLATILE[rng.gen_range(0..3)];
            short(&mut b, &mut a, token, collateral, leverage, &p.prices);
        } else {
            // The owner's main account, and a ring-fenced long in its second account.
            let token = VOLATILE[rng.gen_range(0..3)];
            long(
                &mut b,
                &mut a,
                &[USDC],
                collateral,
                leverage * 0.5,
                &p.prices,
            );
            if i + 1 < p.borrowers {
                accounts.push(a);
                i += 1;
                a = account(owner, 1);
                long(
                    &mut b,
                    &mut a,
                    &[token],
                    collateral * 0.3,
                    leverage,
                    &p.prices,
                );
            }
        }
        accounts.push(a);
        i += 1;
    }
    let prices = [USDC, SOL, ETH, BTC]
        .into_iter()
        .map(|t| {
            let usd = if t == USDC {
                1.0
            } else {
                p.prices[t as usize - 1]
            };
            (t, price(usd, p.unix_time))
        })
        .collect();
    let insurance = [USDC, SOL, ETH, BTC]
        .into_iter()
        .map(|t| (t, native(t, p.insurance_usd, &p.prices)))
        .collect();
    lenders.extend(accounts);
    Book::new(p.unix_time, b.banks, prices, insurance, lenders)
}

fn owner_bytes(i: u64) -> [u8; 32] {
    let mut k = [0u8; 32];
    k[..8].copy_from_slice(&i.to_le_bytes());
    k[31] = 1;
    k
}

/// Deposits `collateral_usd` split evenly over `tokens`, borrows USDC at `leverage` of the
/// init borrowing power (a USDC deposit borrows SOL instead).
fn long(
    b: &mut Builder,
    a: &mut MarginAccount,
    tokens: &[u16],
    collateral_usd: f64,
    leverage: f64,
    prices: &[f64; 3],
) {
    let mut power = 0.0;
    for &t in tokens {
        let usd = collateral_usd / tokens.len() as f64;
        b.deposit(a, t, native(t, usd, prices));
        power += usd * f64::from(bank_config(t).init_asset_weight_bps) / 1e4;
    }
    let liab = if tokens == [USDC] { SOL } else { USDC };
    let weight = f64::from(bank_config(liab).init_liab_weight_bps) / 1e4;
    let borrow = native(liab, power * leverage / weight, prices);
    if borrow > 0 {
        b.borrow(a, liab, borrow);
    }
}

/// Deposits USDC and borrows `token` at `leverage` of the init borrowing power.
fn short(
    b: &mut Builder,
    a: &mut MarginAccount,
    token: u16,
    collateral_usd: f64,
    leverage: f64,
    prices: &[f64; 3],
) {
    b.deposit(a, USDC, native(USDC, collateral_usd, prices));
    let power = collateral_usd * f64::from(bank_config(USDC).init_asset_weight_bps) / 1e4;
    let weight = f64::from(bank_config(token).init_liab_weight_bps) / 1e4;
    let borrow = native(token, power * leverage / weight, prices);
    if borrow > 0 {
        b.borrow(a, token, borrow);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every generated borrower starts with init health ≥ 0 (what the program would have
    /// let it borrow) and the leverage spread reaches close to the limit.
    #[test]
    fn borrowers_start_healthy_with_a_spread_of_leverage() {
        let book = generate(&Population {
            borrowers: 400,
            ..Population::default()
        });
        assert_eq!(book.accounts.len(), 404);
        let risks = book.risks(&book.prices).unwrap();
        let mut ratios = vec![];
        for a in &book.accounts[4..] {
            let c = crate::book::cache(a, &risks).unwrap();
            let h = c.health().unwrap();
            assert!(h.init >= 0, "{h:?}");
            // Init-weighted assets: the positive parts of each position's init value.
            let assets: f64 = c
                .tokens()
                .map(|t| t.weighted().unwrap().0.to_num::<f64>().max(0.0))
                .sum();
            if assets > 0.0 {
                ratios.push(h.init.to_num::<f64>() / assets);
            }
        }
        let tight = ratios.iter().filter(|r| **r < 0.15).count();
        let loose = ratios.iter().filter(|r| **r > 0.5).count();
        assert!(tight > 10 && loose > 10, "tight {tight} loose {loose}");
        // Same seed, same book.
        let again = generate(&Population {
            borrowers: 400,
            ..Population::default()
        });
        assert_eq!(
            bytemuck::bytes_of(&again.accounts[100]),
            bytemuck::bytes_of(&book.accounts[100])
        );
    }
}
