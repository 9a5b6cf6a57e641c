//! Perp invariants checked around every step (`Protocol::step`), on top of the aggregate
//! sums of `invariants.rs` (Σ positions = each market's open interest, Σ quote and
//! Σ base × snapshot):
//!
//! **(a) Pool tokens.** A pool vault moves only by a settle-token flow the protocol
//! performed, and exactly by it: `pool_deposit` (its source wallet pays what the vault
//! gains, > 0), `pool_withdraw` (its destination receives what the vault loses, > 0),
//! `perp_settle_pnl` (the settle bank's vault pays or receives exactly the opposite; a
//! loss flows in, a profit out; nothing only when it zeroes a flat sub-unit profit), `perp_resolve_bankruptcy` (the settle
//! bank's insurance vault pays what the pool receives, at most the loss written off),
//! `perp_liquidate_pair` (the liquidator's payment for spot it buys, from the settle
//! bank's vault into the pool, ≥ 0) and `perp_auto_deleverage` (the pool pays a realised
//! profit into the settle bank's vault, ≥ 0 out). Any other instruction leaves every pool
//! vault untouched (`perp_liquidate_loss` among them: it moves a loss between two
//! accounts' quotes, no tokens). The flows are added up per market (`PoolFlows`) and the vault must
//! equal them at every step: `vault = LP deposits − LP withdrawals + losses settled in −
//! profits settled out + insurance paid in + pair liquidations' spot payments − ADL
//! payouts`.
//!
//! **(c) Funding conserves.** A position of `base` with snapshot `s` owes `base × (I − s)`
//! at the market's index `I` (`health::perp::funding_owed`: rounded up when it pays and
//! down when it receives, but `base` is an integer, so the product is exact and the
//! rounding never bites). Three statements follow and are asserted:
//!
//! 1. every step, per market: `Σ funding_owed(baseᵢ, sᵢ, I) = net_base × I −
//!    total_base_snapshot` exactly: the funding the pool's valuation (`traders_pnl`)
//!    counts as owed to it is exactly what the positions will pay when settled;
//! 2. every successful step: the index moves only in the direction of the skew before the
//!    step (longs pay when longs dominate, shorts when shorts do; no move without skew),
//!    and the pool's funding income `net_base_before × ΔI` (what all traders together pay,
//!    longs' payments minus shorts' receipts) is accumulated in `PoolFlows::funding`;
//! 3. every successful step, per position whose base did not change: its *funding-inclusive
//!    quote* `quote − funding_owed(base, s, I_after)` is unchanged — settling funding into
//!    the quote (which every instruction touching the position does) moves value from
//!    "owed" to "quote" and creates or destroys none — except by the token flow of its own
//!    `perp_settle_pnl` (exactly the pool vault's change; a flat sub-unit remainder zeroed
//!    goes to the pool), its own `perp_resolve_bankruptcy` (written off to zero), or the
//!    liquidator's fee credit of a `perp_liquidate` (≥ 0). A pair liquidation's two
//!    accounts are excluded (the spot leg is paid between their quotes). A
//!    `perp_liquidate_loss` moves a whole number of units from the liquidator's quote to
//!    the liquidatee's: the liquidatee's rises, the liquidator's falls, and together they
//!    fall by less than one unit (a sub-unit profit rounding leaves goes to the pool).
//!
//! Multi-instruction transactions get (a) only as conservation of the sum (the harness
//! sends perp instructions one per transaction).

use super::protocol::Protocol;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::Discriminator;
use cross_margin::health::perp::funding_owed;
use cross_margin::instruction as ixs;
use cross_margin::math::I80F48;
use cross_margin::state::{PerpMarket, PerpPosition};
use std::collections::{BTreeMap, HashMap};

/// Settle-token flows through one market's pool vault since the harness first saw it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PoolFlows {
    /// The vault balance when first seen (0 right after registration).
    pub start: u64,
    pub lp_in: u64,
    pub lp_out: u64,
    pub losses_in: u64,
    pub profits_out: u64,
    pub insured_in: u64,
    pub pair_cash_in: u64,
    pub adl_out: u64,
    /// Funding the traders paid the pool on net (quote native; negative: the pool paid).
    pub funding: I80F48,
    /// Steps at which this market's checks ran.
    pub checks: u64,
}

impl PoolFlows {
    pub fn expected_vault(&self) -> i128 {
        self.start as i128 + self.lp_in as i128 - self.lp_out as i128 + self.losses_in as i128
            - self.profits_out as i128
            + self.insured_in as i128
            + self.pair_cash_in as i128
            - self.adl_out as i128
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    PoolDeposit,
    PoolWithdraw,
    Settle,
    Resolve,
    Liquidate,
    Pair,
    Adl,
    Loss,
    Other,
}

fn kind(ix: &Instruction) -> Kind {
    let is = |d: &[u8]| ix.program_id == cross_margin::ID && ix.data.starts_with(d);
    if is(ixs::PoolDeposit::DISCRIMINATOR) {
        Kind::PoolDeposit
    } else if is(ixs::PoolWithdraw::DISCRIMINATOR) {
        Kind::PoolWithdraw
    } else if is(ixs::PerpSettlePnl::DISCRIMINATOR) {
        Kind::Settle
    } else if is(ixs::PerpResolveBankruptcy::DISCRIMINATOR) {
        Kind::Resolve
    } else if is(ixs::PerpLiquidate::DISCRIMINATOR) {
        Kind::Liquidate
    } else if is(ixs::PerpLiquidatePair::DISCRIMINATOR) {
        Kind::Pair
    } else if is(ixs::PerpAutoDeleverage::DISCRIMINATOR) {
        Kind::Adl
    } else if is(ixs::PerpLiquidateLoss::DISCRIMINATOR) {
        Kind::Loss
    } else {
        Kind::Other
    }
}

/// The token account on the other side of a pool-moving instruction. Indices follow
/// `perp_builders`.
fn counterparty(k: Kind, ix: &Instruction) -> Option<Pubkey> {
    let at = |i: usize| ix.accounts.get(i).map(|m| m.pubkey);
    match k {
        Kind::PoolDeposit => at(6),  // source
        Kind::PoolWithdraw => at(7), // destination
        Kind::Settle => at(5),       // the settle bank's vault
        Kind::Resolve => at(4),      // the settle bank's insurance vault
        Kind::Pair => at(8),         // the settle bank's vault
        Kind::Adl => at(4),          // the settle bank's vault
        _ => None,
    }
}

/// The margin account a settlement, write-off or ADL acts on.
fn target(k: Kind, ix: &Instruction) -> Option<Pubkey> {
    match k {
        Kind::Settle => ix.accounts.get(2).map(|m| m.pubkey),
        Kind::Resolve | Kind::Adl => ix.accounts.get(1).map(|m| m.pubkey),
        _ => None,
    }
}

/// What the checks need from before a transaction.
pub struct PerpBefore {
    markets: Vec<Option<PerpMarket>>,
    balances: HashMap<Pubkey, u64>,
    positions: BTreeMap<(Pubkey, u16), PerpPosition>,
}

async fn balance(p: &mut Protocol, key: Pubkey) -> u64 {
    match p.tc.account(key).await {
        Some(a) if a.data.len() >= 72 => u64::from_le_bytes(a.data[64..72].try_into().unwrap()),
        _ => 0,
    }
}

async fn market(p: &mut Protocol, perp: usize) -> Option<PerpMarket> {
    let data = p.tc.account(p.perps[perp].accounts.market).await?.data;
    Some(bytemuck::pod_read_unaligned(
        &data[8..8 + std::mem::size_of::<PerpMarket>()],
    ))
}

/// Every perp position of the accounts the invariants discovered last.
fn positions(p: &Protocol) -> BTreeMap<(Pubkey, u16), PerpPosition> {
    let mut out = BTreeMap::new();
    for (key, a) in &p.invariants.accounts {
        for (_, pos) in a.active_perps() {
            out.insert((*key, pos.market_index), *pos);
        }
    }
    out
}

/// `quote − funding owed at index` of a position (zero for none).
fn funding_inclusive(pos: Option<&PerpPosition>, index: I80F48) -> I80F48 {
    pos.map_or(I80F48::ZERO, |p| {
        p.quote.get() - funding_owed(p.base, p.funding_snapshot.get(), index).expect("owed")
    })
}

impl PerpBefore {
    /// Read what the checks compare against: every market, every perp position (of the
    /// accounts `Invariants::snapshot` just discovered), the pool vaults and every
    /// counterparty `ixs` may pay or be paid by.
    pub async fn capture(p: &mut Protocol, ixs: &[Instruction]) -> Option<Self> {
        if p.perps.is_empty() {
            return None;
        }
        let mut markets = vec![];
        let mut keys = vec![];
        for i in 0..p.perps.len() {
            markets.push(market(p, i).await);
            keys.push(p.perps[i].accounts.pool_vault);
        }
        keys.extend(ixs.iter().filter_map(|ix| counterparty(kind(ix), ix)));
        let mut balances = HashMap::new();
        for k in keys {
            let b = balance(p, k).await;
            balances.insert(k, b);
        }
        Some(Self {
            markets,
            balances,
            positions: positions(p),
        })
    }

    /// Run the checks; `Invariants::after_step` has just discovered the accounts.
    pub async fn check(self, p: &mut Protocol, ixs: &[Instruction], succeeded: bool) {
        let after_positions = positions(p);
        let single = ixs
            .iter()
            .filter(|ix| ix.program_id == cross_margin::ID)
            .count()
            == 1;
        for perp in 0..p.perps.len() {
            let Some(m) = market(p, perp).await else {
                continue;
            };
            let accounts = p.perps[perp].accounts;
            let vault = balance(p, accounts.pool_vault).await;
            let vault_before = self.balances.get(&accounts.pool_vault).copied();
            let flows = p
                .invariants
                .pool_flows
                .entry(perp)
                .or_insert_with(|| PoolFlows {
                    start: vault_before.unwrap_or(vault),
                    ..PoolFlows::default()
                });
            flows.checks += 1;
            let index = m.funding_index.get();

            // (c1) what the aggregates say traders owe = Σ what each position owes.
            let mut owed = I80F48::ZERO;
            for ((_, mi), pos) in &after_positions {
                if *mi == m.perp_index {
                    owed += funding_owed(pos.base, pos.funding_snapshot.get(), index).unwrap();
                }
            }
            let aggregate = I80F48::from_num(m.net_base()) * index - m.total_base_snapshot.get();
            assert_eq!(
                owed, aggregate,
                "perp {perp}: Σ funding owed by positions ≠ net base × index − Σ base × snapshot"
            );
            if !succeeded {
                continue;
            }
            let before = self.markets.get(perp).copied().flatten();
            let mine: Vec<(Kind, &Instruction)> = ixs
                .iter()
                .map(|ix| (kind(ix), ix))
                .filter(|(_, ix)| ix.accounts.iter().any(|a| a.pubkey == accounts.market))
                .collect();

            // (a) the pool vault moves only by the flows of pool instructions.
            let delta = vault as i128 - vault_before.unwrap_or(vault) as i128;
            // Only an instruction that names this pool vault can move it (another market's
            // flow lists this market among its health accounts, not its vault).
            let movers: Vec<(Kind, Pubkey)> = mine
                .iter()
                .filter(|(_, ix)| ix.accounts.iter().any(|a| a.pubkey == accounts.pool_vault))
                .filter_map(|(k, ix)| counterparty(*k, ix).map(|c| (*k, c)))
                .collect();
            let mut settled: HashMap<Pubkey, i128> = HashMap::new();
            if movers.is_empty() {
                assert_eq!(
                    delta, 0,
                    "perp {perp}: pool vault moved without a pool flow"
                );
            } else if single && movers.len() == 1 {
                let (k, c) = movers[0];
                let other = balance(p, c).await as i128 - self.balances[&c] as i128;
                assert_eq!(
                    delta + other,
                    0,
                    "perp {perp}: {k:?} moved the pool vault by {delta}, its counterparty by {other}"
                );
                let flows = p.invariants.pool_flows.get_mut(&perp).unwrap();
                let d = delta.unsigned_abs() as u64;
                match k {
                    Kind::PoolDeposit if delta > 0 => flows.lp_in += d,
                    Kind::PoolWithdraw if delta < 0 => flows.lp_out += d,
                    Kind::Settle if delta > 0 => flows.losses_in += d,
                    Kind::Settle if delta < 0 => flows.profits_out += d,
                    // A flat sub-unit profit zeroed (audit L3): nothing moves.
                    Kind::Settle => {}
                    Kind::Resolve if delta >= 0 => flows.insured_in += d,
                    Kind::Pair if delta >= 0 => flows.pair_cash_in += d,
                    Kind::Adl if delta <= 0 => flows.adl_out += d,
                    _ => panic!("perp {perp}: {k:?} moved the pool vault by {delta}"),
                }
                let (_, ix) = mine.iter().find(|(kk, _)| *kk == k).unwrap();
                if let Some(t) = target(k, ix) {
                    settled.insert(t, delta);
                }
            }
            let flows = p.invariants.pool_flows.get_mut(&perp).unwrap();
            if single || movers.is_empty() {
                assert_eq!(
                    vault as i128,
                    flows.expected_vault(),
                    "perp {perp}: pool vault vs its recorded flows {flows:?}"
                );
            } else {
                // Several flows in one transaction: re-base the ledger.
                flows.start = (vault as i128 - (flows.expected_vault() - flows.start as i128))
                    .try_into()
                    .expect("vault");
            }

            // (c2) the index follows the skew; the pool's income is net × ΔI.
            let Some(before) = before else {
                continue;
            };
            let moved = index - before.funding_index.get();
            let net = before.net_base();
            assert!(
                moved == 0 || ((moved > 0) == (net > 0) && net != 0),
                "perp {perp}: funding index moved {moved} against the skew (net {net})"
            );
            flows.funding += I80F48::from_num(net) * moved;

            // (c3) funding-inclusive quotes of positions whose base did not change.
            let excluded: Vec<Pubkey> = mine
                .iter()
                .filter(|(k, _)| *k == Kind::Pair)
                .flat_map(|(_, ix)| [ix.accounts[2].pubkey, ix.accounts[3].pubkey])
                .collect();
            let liquidators: Vec<Pubkey> = mine
                .iter()
                .filter(|(k, _)| *k == Kind::Liquidate)
                .map(|(_, ix)| ix.accounts[2].pubkey)
                .collect();
            let resolved: Vec<Pubkey> = mine
                .iter()
                .filter(|(k, _)| *k == Kind::Resolve)
                .map(|(_, ix)| ix.accounts[1].pubkey)
                .collect();
            // A loss liquidation's (liquidator, liquidatee): checked as a pair below.
            let loss_pairs: Vec<(Pubkey, Pubkey)> = mine
                .iter()
                .filter(|(k, _)| *k == Kind::Loss)
                .map(|(_, ix)| (ix.accounts[2].pubkey, ix.accounts[3].pubkey))
                .collect();
            let change_of = |key: &Pubkey| {
                let was = self.positions.get(&(*key, m.perp_index));
                let now = after_positions.get(&(*key, m.perp_index));
                funding_inclusive(now, index) - funding_inclusive(was, index)
            };
            for (liqor, liqee) in &loss_pairs {
                let (a, b) = (change_of(liqor), change_of(liqee));
                assert!(
                    a < 0 && b > 0 && a + b <= 0 && a + b > -1 && a.frac() == 0,
                    "perp {perp}: loss liquidation moved the liquidator's quote by {a} and \
                     the liquidatee's by {b}"
                );
            }
            let mut keys: Vec<Pubkey> = self
                .positions
                .keys()
                .chain(after_positions.keys())
                .filter(|(_, mi)| *mi == m.perp_index)
                .map(|(k, _)| *k)
                .collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let was = self.positions.get(&(key, m.perp_index));
                let now = after_positions.get(&(key, m.perp_index));
                let base = |x: Option<&PerpPosition>| x.map_or(0, |p| p.base);
                let in_loss_pair = loss_pairs.iter().any(|(a, b)| *a == key || *b == key);
                if base(was) != base(now) || excluded.contains(&key) || in_loss_pair {
                    continue;
                }
                let (v0, v1) = (funding_inclusive(was, index), funding_inclusive(now, index));
                let change = v1 - v0;
                let ok = if resolved.contains(&key) {
                    // Written off; insurance paid the pool at most the loss (rounded up).
                    let paid = I80F48::from_num(settled.get(&key).copied().unwrap_or(0));
                    v1 == 0 && v0 < 0 && paid <= (-v0).ceil()
                } else if let Some(&flow) = settled.get(&key) {
                    let flow = I80F48::from_num(flow);
                    if base(now) == 0 {
                        (change - flow).abs() < 1
                    } else {
                        change == flow
                    }
                } else if liquidators.contains(&key) {
                    change >= 0
                } else {
                    change == 0
                };
                assert!(
                    ok,
                    "perp {perp}: account {key}'s funding-inclusive quote went {v0} -> {v1} \
                     (base {}, settled flow {:?})",
                    base(now),
                    settled.get(&key)
                );
            }
        }
    }
}
