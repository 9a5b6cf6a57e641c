//! One shocked price path played out to the end: liquidations, the price impact of
//! selling what they seize, the liquidations that impact causes, and the bad debt left.
//!
//! **Why a cascade.** In cross margin the accounts that fail first are not the only
//! risk: liquidators sell the collateral they seize, the sale pushes its price down, and
//! accounts that were healthy at the shocked price fail at the moved one. A risk number
//! that stops at the first round understates exactly the correlated, self-reinforcing
//! losses cross margin has to survive.
//!
//! **A round**, with every bank valued at the round's prices:
//! 1. every liquidatable account (maint < 0, or flagged and init < 0) is handed to the
//!    keeper's own decision (`cross_margin_keeper::strategy::verdict`);
//! 2. a token liquidation is planned by the program's planner (`health::liquidation::plan`,
//!    at most the liquidators' remaining capital) and booked on the liquidatee exactly as
//!    `token_liquidate` books it (`Bank::deposit` / `Bank::withdraw` with
//!    `Flow::Liquidation`, the insurance share to the bank's fees, the flag following init
//!    health); the liquidator is modelled as selling what it receives at once and repaying
//!    the liability it took over, so its own positions net out of the banks;
//! 3. an account with debt and nothing left to seize is written off through the program's
//!    loss waterfall (`Bank::write_off`: fees, insurance, depositors, unrecoverable);
//! 4. after the round, each bank's price falls by the configured [`Impact`] of the USD value
//!    sold in it.
//!
//! Rounds repeat until one liquidates nothing (or `max_rounds`). With [`Impact::Off`] and
//! unlimited capital the result is what the chain would do at the shocked prices.
//!
//! **Not modelled yet:** keeper latency (every round sees the previous round's prices),
//! perp positions (see `book`), and interest between rounds.

use crate::book::{cache, risks_with, scaled, Book, BookError};
use cross_margin::health::liquidation::plan;
use cross_margin::health::{OraclePrice, TokenRisk};
use cross_margin::math::{Round, I80F48};
use cross_margin::state::{Bank, Flow, MarginAccount, PerpMarket};
use cross_margin_keeper::strategy::{verdict, Verdict};
use std::collections::BTreeMap;

/// How selling seized collateral moves a bank's price. `depth_usd` is the USD sold that
/// moves the price by 1 %; the fall is clamped to 99 %.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Impact {
    /// No feedback: prices stay at the shock.
    Off,
    /// Falls by `sold / depth_usd` percent.
    Linear { depth_usd: f64 },
    /// Falls by `sqrt(sold / depth_usd)` percent: the square-root law of market impact.
    SquareRoot { depth_usd: f64 },
}

impl Impact {
    /// The fraction the price falls after `sold_usd` is sold (0 ≤ f ≤ 0.99).
    pub fn fall(&self, sold_usd: f64) -> f64 {
        let pct = match *self {
            Impact::Off => 0.0,
            Impact::Linear { depth_usd } if depth_usd > 0.0 => sold_usd / depth_usd,
            Impact::SquareRoot { depth_usd } if depth_usd > 0.0 => (sold_usd / depth_usd).sqrt(),
            _ => 0.0,
        };
        if pct.is_finite() {
            (pct / 100.0).clamp(0.0, 0.99)
        } else {
            0.99
        }
    }
}

/// The keeper and market model of a cascade.
#[derive(Clone, Debug, PartialEq)]
pub struct CascadeConfig {
    /// Price impact per bank; a bank not listed has none.
    pub impacts: BTreeMap<u16, Impact>,
    /// USD of liability the liquidators can take over per round (`None`: unlimited).
    pub capital_usd_per_round: Option<f64>,
    /// Liquidation steps the keeper takes on one account in one round.
    pub steps_per_account: u32,
    pub max_rounds: u32,
    /// The book's index of one liquidator account that keeps what it takes, booked
    /// exactly as `token_liquidate` books the liquidator (it borrows the liability and
    /// holds the seized collateral as a deposit), instead of the default model of
    /// liquidators who sell at once and repay (netting out of the banks). With impact off
    /// this is what a single keeper with deep pockets leaves on chain.
    pub liquidator: Option<usize>,
}

impl Default for CascadeConfig {
    fn default() -> Self {
        Self {
            impacts: BTreeMap::new(),
            capital_usd_per_round: None,
            steps_per_account: 16,
            max_rounds: 64,
            liquidator: None,
        }
    }
}

/// Bad debt written off in one bank, native units (see `Bank::write_off`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct BadDebt {
    pub debt: u64,
    pub fees_forgone: u64,
    pub insured: u64,
    pub socialised: u64,
    pub unrecoverable: u64,
}

/// What a cascade did.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Rounds that liquidated or wrote off something.
    pub rounds: u32,
    /// Token liquidations booked.
    pub liquidations: u32,
    /// Distinct accounts liquidated or written off.
    pub accounts_hit: u32,
    /// Accounts written off as bankrupt.
    pub bankruptcies: u32,
    /// Liquidatable accounts no liquidation could help (the keeper's `Stuck`).
    pub stuck: u32,
    /// USD value of seized collateral sold, at the mid price it was seized at.
    pub volume_usd: f64,
    /// Per bank.
    pub bad_debt: BTreeMap<u16, BadDebt>,
    /// Bad debt in USD at the final prices.
    pub bad_debt_usd: f64,
    /// Prices after the last round's impact.
    pub prices: BTreeMap<u16, OraclePrice>,
    /// Every write-off: (account index in the book, bank, native debt written off).
    pub write_offs: Vec<(usize, u16, u64)>,
}

/// `amount` native units of a bank at `risk`'s mid price, in USD.
fn usd(risk: &TokenRisk, amount: u64) -> f64 {
    risk.mid
        .value_bits(u128::from(amount) << 48, Round::Down)
        .map(|bits| I80F48::from_bits(bits as i128).to_num::<f64>() / 1e6)
        .unwrap_or(f64::MAX)
}

/// The book's state after a cascade: the banks (indices lowered by socialised losses,
/// fees raised by insurance shares), the insurance funds left, and the accounts the
/// cascade changed (by index into `Book::accounts`; every other account is as it was).
#[derive(Clone)]
pub struct Finish {
    pub banks: BTreeMap<u16, Bank>,
    pub insurance: BTreeMap<u16, u64>,
    pub touched: BTreeMap<usize, MarginAccount>,
}

impl Finish {
    /// Account `i` after the cascade.
    pub fn account<'a>(&'a self, book: &'a Book, i: usize) -> &'a MarginAccount {
        self.touched.get(&i).unwrap_or(&book.accounts[i])
    }
}

/// Play the book out from `prices` (the path's shocked prices) under `config`.
pub fn run(
    book: &Book,
    prices: BTreeMap<u16, OraclePrice>,
    config: &CascadeConfig,
) -> Result<Outcome, BookError> {
    run_to_finish(book, prices, config).map(|(outcome, _)| outcome)
}

/// [`run`], also returning the state the cascade leaves.
pub fn run_to_finish(
    book: &Book,
    prices: BTreeMap<u16, OraclePrice>,
    config: &CascadeConfig,
) -> Result<(Outcome, Finish), BookError> {
    if let Some(li) = config.liquidator {
        if li >= book.accounts.len() {
            return Err(BookError::Math(format!(
                "the liquidator is account {li}, but the book has {} accounts",
                book.accounts.len()
            )));
        }
    }
    let mut banks = book.banks.clone();
    let mut insurance = book.insurance.clone();
    let mut prices = prices;
    // Copy on write: most accounts are never touched on a path.
    let mut touched: BTreeMap<usize, MarginAccount> = BTreeMap::new();
    let no_perps: BTreeMap<u16, PerpMarket> = BTreeMap::new();
    let mut out = Outcome {
        rounds: 0,
        liquidations: 0,
        accounts_hit: 0,
        bankruptcies: 0,
        stuck: 0,
        volume_usd: 0.0,
        bad_debt: BTreeMap::new(),
        bad_debt_usd: 0.0,
        prices: BTreeMap::new(),
        write_offs: Vec::new(),
    };
    for _ in 0..config.max_rounds {
        let mut risks = risks_of(book, &banks, &prices)?;
        let mut capital = config.capital_usd_per_round.unwrap_or(f64::INFINITY);
        let mut sold: BTreeMap<u16, f64> = BTreeMap::new();
        let mut acted = false;
        let mut stuck = 0;
        // The keeper's order: every liquidatable account of the round, worst maint health
        // first (in a cascade the accounts closest to bad debt go first).
        let mut due: Vec<(I80F48, usize)> = Vec::new();
        for i in 0..book.accounts.len() {
            let current = touched.get(&i).unwrap_or(&book.accounts[i]);
            let health = cache(current, &risks)?
                .health()
                .map_err(|e| BookError::Math(e.to_string()))?;
            if current.is_liquidatable(&health) && config.liquidator != Some(i) {
                due.push((health.maint, i));
            }
        }
        due.sort();
        for (_, i) in due {
            let current = touched.get(&i).unwrap_or(&book.accounts[i]);
            let mut account = *current;
            let mut hit = false;
            for _ in 0..config.steps_per_account {
                let c = cache(&account, &risks)?;
                match verdict(&account, &c, &banks, &no_perps) {
                    Verdict::Liquidate { asset, liab } if capital > 0.0 => {
                        let Some(step) =
                            liquidate(&mut account, &mut banks, &risks, asset, liab, capital)?
                        else {
                            stuck += 1;
                            break;
                        };
                        capital -= step.liab_usd;
                        if let Some(li) = config.liquidator {
                            // It keeps what it takes: nothing is sold into the market.
                            let mut liqor = *touched.get(&li).unwrap_or(&book.accounts[li]);
                            book_liquidator(&mut liqor, &mut banks, asset, liab, &step)?;
                            touched.insert(li, liqor);
                        } else {
                            *sold.entry(asset).or_default() += step.sold_usd;
                            out.volume_usd += step.sold_usd;
                        }
                        out.liquidations += 1;
                        hit = true;
                    }
                    Verdict::Bankrupt(liabs) => {
                        for liab in liabs {
                            let debt = write_off(
                                &mut account,
                                &mut banks,
                                &mut insurance,
                                liab,
                                &mut out,
                            )?;
                            if debt > 0 {
                                out.write_offs.push((i, liab, debt));
                            }
                        }
                        // A socialised loss lowered a deposit index: every later account
                        // is valued (and seized from) at the new index, as the next
                        // instruction on chain would read it.
                        risks = risks_of(book, &banks, &prices)?;
                        out.bankruptcies += 1;
                        hit = true;
                        break;
                    }
                    Verdict::Stuck => {
                        stuck += 1;
                        break;
                    }
                    _ => break,
                }
            }
            if hit {
                if !touched.contains_key(&i) {
                    out.accounts_hit += 1;
                }
                touched.insert(i, account);
                acted = true;
            }
        }
        out.stuck = stuck;
        if !acted {
            break;
        }
        out.rounds += 1;
        for (bank, usd_sold) in sold {
            let fall = config
                .impacts
                .get(&bank)
                .map_or(0.0, |impact| impact.fall(usd_sold));
            if fall > 0.0 {
                if let Some(p) = prices.get_mut(&bank) {
                    *p = scaled(p, 1.0 - fall);
                }
            }
        }
    }
    let risks = risks_of(book, &banks, &prices)?;
    out.bad_debt_usd = out
        .bad_debt
        .iter()
        .map(|(bank, d)| risks.get(bank).map_or(0.0, |r| usd(r, d.debt)))
        .sum();
    out.prices = prices;
    Ok((
        out,
        Finish {
            banks,
            insurance,
            touched,
        },
    ))
}

fn risks_of(
    book: &Book,
    banks: &BTreeMap<u16, Bank>,
    prices: &BTreeMap<u16, OraclePrice>,
) -> Result<BTreeMap<u16, TokenRisk>, BookError> {
    // The banks' indices move with write-offs: value with the cascade's banks.
    risks_with(banks, prices, book.now, &book.outages)
}

/// One booked liquidation step.
struct Step {
    liab_usd: f64,
    sold_usd: f64,
    /// Native debt the liquidator took over and collateral it received.
    liab_amount: u64,
    liquidator_asset: u64,
}

/// The liquidator's side of `step`, as `token_liquidate` books it: a borrow of the
/// liability taken over, a deposit of the collateral received (less the insurance share).
fn book_liquidator(
    liqor: &mut MarginAccount,
    banks: &mut BTreeMap<u16, Bank>,
    asset: u16,
    liab: u16,
    step: &Step,
) -> Result<(), BookError> {
    let math = |e: anchor_lang::error::Error| BookError::Math(e.to_string());
    let (a_slot, l_slot) = liqor.find_or_create_positions(asset, liab).map_err(math)?;
    let l_bank = banks.get_mut(&liab).ok_or(BookError::UnknownBank(liab))?;
    let taken = l_bank
        .withdraw(
            liqor.token_positions[l_slot].indexed.get(),
            step.liab_amount,
            true,
            Flow::Liquidation,
        )
        .map_err(math)?;
    liqor.token_positions[l_slot].indexed.set(taken.indexed);
    let a_bank = banks.get_mut(&asset).ok_or(BookError::UnknownBank(asset))?;
    let received = a_bank
        .deposit(
            liqor.token_positions[a_slot].indexed.get(),
            step.liquidator_asset,
            Flow::Liquidation,
        )
        .map_err(math)?;
    liqor.token_positions[a_slot].indexed.set(received.indexed);
    liqor.release_if_empty(a_slot);
    liqor.release_if_empty(l_slot);
    Ok(())
}

/// Plan and book one token liquidation of `liab` against `asset` on `account`, taking over
/// at most `capital_usd` of liability. `None` when the program's planner refuses it.
fn liquidate(
    account: &mut MarginAccount,
    banks: &mut BTreeMap<u16, Bank>,
    risks: &BTreeMap<u16, TokenRisk>,
    asset: u16,
    liab: u16,
    capital_usd: f64,
) -> Result<Option<Step>, BookError> {
    let math = |e: anchor_lang::error::Error| BookError::Math(e.to_string());
    let c = cache(account, risks)?;
    let (Some(a_risk), Some(l_risk)) = (risks.get(&asset), risks.get(&liab)) else {
        return Err(BookError::UnknownBank(asset));
    };
    let (Some(a_bank), Some(l_bank)) = (banks.get(&asset), banks.get(&liab)) else {
        return Err(BookError::UnknownBank(asset));
    };
    let unit_usd = usd(l_risk, 1_000_000).max(f64::MIN_POSITIVE) / 1e6;
    let max_liab = if capital_usd.is_finite() {
        (capital_usd / unit_usd).floor().min(u64::MAX as f64) as u64
    } else {
        u64::MAX
    };
    if max_liab == 0 {
        return Ok(None);
    }
    let a_side = a_bank.liquidation_side(&a_risk.oracle);
    let l_side = l_bank.liquidation_side(&l_risk.oracle);
    let Ok(p) = plan(
        &c,
        &a_side,
        &l_side,
        a_bank.liquidation_insurance_share_bps,
        max_liab,
    ) else {
        return Ok(None);
    };
    let before = c.health().map_err(|e| BookError::Math(e.to_string()))?;
    // What to restore if the program would refuse the step (it reverts the transaction).
    let saved = (
        *account,
        banks.get(&asset).copied(),
        banks.get(&liab).copied(),
    );
    let (Some(a_slot), Some(l_slot)) = (account.position_slot(asset), account.position_slot(liab))
    else {
        return Ok(None);
    };
    // Liability: the liquidatee repays x (the liquidator's borrow of x is repaid from its
    // sale and nets out of the bank).
    let l_bank = banks.get_mut(&liab).ok_or(BookError::UnknownBank(liab))?;
    let repaid = l_bank
        .deposit(
            account.token_positions[l_slot].indexed.get(),
            p.liab_amount,
            Flow::Liquidation,
        )
        .map_err(math)?;
    account.token_positions[l_slot].indexed.set(repaid.indexed);
    // Asset: the liquidatee gives up y; the insurance share stays as bank fees, the rest is
    // sold by the liquidator.
    let a_bank = banks.get_mut(&asset).ok_or(BookError::UnknownBank(asset))?;
    let seized = a_bank
        .withdraw(
            account.token_positions[a_slot].indexed.get(),
            p.asset_amount,
            false,
            Flow::Liquidation,
        )
        .map_err(math)?;
    account.token_positions[a_slot].indexed.set(seized.indexed);
    let fees = a_bank
        .collected_fees
        .get()
        .checked_add(I80F48::from_num(p.insurance_amount))
        .ok_or_else(|| BookError::Math("insurance fees overflow".into()))?;
    a_bank.collected_fees.set(fees);
    let after = cache(account, risks)?
        .health()
        .map_err(|e| BookError::Math(e.to_string()))?;
    // token_liquidate: init health must strictly rise (`LiquidationWouldNotImprove`).
    if after.init <= before.init {
        *account = saved.0;
        for (token, bank) in [(asset, saved.1), (liab, saved.2)] {
            if let Some(b) = bank {
                banks.insert(token, b);
            }
        }
        return Ok(None);
    }
    account.being_liquidated = u8::from(after.init < I80F48::ZERO);
    account.release_if_empty(a_slot);
    account.release_if_empty(l_slot);
    Ok(Some(Step {
        liab_usd: usd(l_risk, p.liab_amount),
        sold_usd: usd(a_risk, p.liquidator_asset),
        liab_amount: p.liab_amount,
        liquidator_asset: p.liquidator_asset,
    }))
}

/// Write off `account`'s borrow in `liab` through the program's loss waterfall; returns
/// the native debt written off.
fn write_off(
    account: &mut MarginAccount,
    banks: &mut BTreeMap<u16, Bank>,
    insurance: &mut BTreeMap<u16, u64>,
    liab: u16,
    out: &mut Outcome,
) -> Result<u64, BookError> {
    let Some(slot) = account.position_slot(liab) else {
        return Ok(0);
    };
    let indexed = account.token_positions[slot].indexed.get();
    if indexed >= I80F48::ZERO {
        return Ok(0);
    }
    let bank = banks.get_mut(&liab).ok_or(BookError::UnknownBank(liab))?;
    let fund = insurance.entry(liab).or_default();
    let w = bank
        .write_off(-indexed, *fund)
        .map_err(|e| BookError::Math(e.to_string()))?;
    *fund -= w.insured;
    account.token_positions[slot].indexed.set(I80F48::ZERO);
    account.release_if_empty(slot);
    if account.is_empty() {
        account.being_liquidated = 0;
    }
    let d = out.bad_debt.entry(liab).or_default();
    d.debt += w.debt;
    d.fees_forgone += w.fees_forgone;
    d.insured += w.insured;
    d.socialised += w.socialised;
    d.unrecoverable += w.unrecoverable;
    Ok(w.debt)
}

#[cfg(test)]
mod tests;
