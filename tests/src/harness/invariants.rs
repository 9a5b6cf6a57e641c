//! Protocol invariants, checked after every step of every test:
//!
//! - per bank: `vault − (Σ deposits − Σ borrows + fees − unrecoverable bad debt)` is ≥ 0
//!   and at most one native unit per operation that touched the bank (rounding may only
//!   favour the protocol);
//! - per bank: the indexed balances of all known accounts sum exactly to the bank's totals;
//! - per bank: deposit and borrow indices never decrease, except that a successful
//!   bankruptcy resolution may lower the deposit index (the socialised loss);
//! - per perp market: the positions of all known accounts sum exactly to the market's
//!   aggregates (long and short open interest, Σ quote, Σ base × funding snapshot), which
//!   is what values the pool; Σ base = long OI − short OI;
//! - per perp market, the pool-token flows and funding conservation of
//!   [`super::perp_invariants`];
//! - a failed transaction leaves every bank, vault, market, pool vault and account
//!   byte-for-byte unchanged.

use super::protocol::Protocol;
use crate::harness::context::TestContext;
use anchor_lang::prelude::Pubkey;
use cross_margin::math::I80F48;
use cross_margin::state::{Bank, MarginAccount, PerpMarket};
use std::collections::HashMap;

#[derive(Default)]
pub struct Invariants {
    last_indices: HashMap<Pubkey, (I80F48, I80F48)>,
    ops: HashMap<Pubkey, u64>,
    /// Number of checks run (tests assert it is non-zero, so the checks cannot silently vanish).
    pub checks: u64,
    /// Settle-token flows through each perp market's pool vault, by perp index
    /// (`perp_invariants`).
    pub pool_flows: HashMap<usize, super::perp_invariants::PoolFlows>,
    /// Every margin account of the group as last discovered (by `snapshot` before a
    /// transaction, by `after_step` after it), so the perp checks need no scan of their own.
    pub accounts: Vec<(Pubkey, MarginAccount)>,
}

async fn raw(tc: &mut TestContext, key: Pubkey) -> Option<Vec<u8>> {
    tc.account(key).await.map(|a| a.data)
}

impl Invariants {
    /// Raw bytes of every bank, vault and margin account (to prove failures change nothing).
    pub async fn snapshot(p: &mut Protocol) -> Vec<Option<Vec<u8>>> {
        let mut keys: Vec<Pubkey> = p
            .banks
            .iter()
            .flat_map(|b| [b.bank, b.vault, b.insurance_vault])
            .collect();
        let group = p.group;
        let found = cross_margin_client::snapshot::margin_accounts(&mut p.tc, &group, None)
            .await
            .expect("discovery");
        keys.extend(p.users.iter().map(|u| u.account));
        keys.extend(found.iter().map(|(k, _)| *k));
        p.invariants.accounts = found;
        keys.extend(p.users.iter().flat_map(|u| u.wallets.clone()));
        keys.extend(
            p.perps
                .iter()
                .flat_map(|m| [m.accounts.market, m.accounts.pool_vault, m.accounts.lp_mint]),
        );
        let mut out = vec![];
        for k in keys {
            out.push(raw(&mut p.tc, k).await);
        }
        out
    }

    pub async fn after_step(
        p: &mut Protocol,
        touched: &[Pubkey],
        succeeded: bool,
        socialises: bool,
    ) {
        let mut invariants = std::mem::take(&mut p.invariants);
        // Every margin account of the group, however it was created (users, CLI, keeper).
        let group = p.group;
        let accounts: Vec<(Pubkey, MarginAccount)> =
            cross_margin_client::snapshot::margin_accounts(&mut p.tc, &group, None)
                .await
                .expect("discovery");
        for b in p.banks.clone() {
            if succeeded && touched.contains(&b.bank) {
                *invariants.ops.entry(b.bank).or_default() += 1;
            }
            let Some(data) = raw(&mut p.tc, b.bank).await else {
                continue;
            };
            let bank: Bank = *bytemuck::from_bytes(&data[8..8 + std::mem::size_of::<Bank>()]);
            let vault = p.tc.token_balance(b.vault).await;

            let (deposits, borrows) = bank.native_totals().expect("totals");
            // Unrecoverable bad debt is a shortfall the books admit to: depositors' claims
            // exceed the vault by exactly that much.
            let books = deposits - borrows + bank.collected_fees.get()
                - I80F48::from_num(bank.unrecoverable_bad_debt);
            let surplus = I80F48::from_num(vault) - books;
            let ops = invariants.ops.get(&b.bank).copied().unwrap_or(0);
            assert!(
                surplus >= I80F48::from_num(-1e-6) && surplus <= I80F48::from_num(ops + 1),
                "bank {}: vault {vault} vs books {books} (surplus {surplus}, {ops} ops)",
                b.token_index
            );

            let (mut sum_d, mut sum_b) = (I80F48::ZERO, I80F48::ZERO);
            for (_, acc) in &accounts {
                if let Some(slot) = acc.position_slot(bank.token_index) {
                    let v = acc.token_positions[slot].indexed.get();
                    if v > 0 {
                        sum_d += v
                    } else {
                        sum_b -= v
                    }
                }
            }
            assert_eq!(
                sum_d,
                bank.indexed_deposits.get(),
                "bank {} indexed deposits",
                b.token_index
            );
            assert_eq!(
                sum_b,
                bank.indexed_borrows.get(),
                "bank {} indexed borrows",
                b.token_index
            );

            let now = (bank.deposit_index.get(), bank.borrow_index.get());
            if let Some(prev) = invariants.last_indices.insert(b.bank, now) {
                let may_socialise = socialises && succeeded && touched.contains(&b.bank);
                assert!(
                    now.0 >= prev.0 || may_socialise,
                    "bank {} deposit index decreased",
                    b.token_index
                );
                assert!(
                    now.1 >= prev.1,
                    "bank {} borrow index decreased",
                    b.token_index
                );
            }
            invariants.checks += 1;
        }
        for m in p.perps.clone() {
            let Some(data) = raw(&mut p.tc, m.accounts.market).await else {
                continue;
            };
            let market: PerpMarket =
                bytemuck::pod_read_unaligned(&data[8..8 + std::mem::size_of::<PerpMarket>()]);
            let (mut long, mut short, mut net) = (0u64, 0u64, 0i128);
            let (mut quote, mut snapshot) = (I80F48::ZERO, I80F48::ZERO);
            // Per side: (Σ quote, Σ base × snapshot) of the longs, then of the shorts.
            let mut sides = [(I80F48::ZERO, I80F48::ZERO); 2];
            for (_, acc) in &accounts {
                if let Some(slot) = acc.perp_slot(market.perp_index) {
                    let pos = &acc.perp_positions[slot];
                    net += i128::from(pos.base);
                    if pos.base > 0 {
                        long += pos.base as u64;
                    } else {
                        short += pos.base.unsigned_abs();
                    }
                    let s = I80F48::from_num(pos.base) * pos.funding_snapshot.get();
                    quote += pos.quote.get();
                    snapshot += s;
                    if pos.base != 0 {
                        let side = &mut sides[usize::from(pos.base < 0)];
                        side.0 += pos.quote.get();
                        side.1 += s;
                    }
                }
            }
            assert_eq!(
                sides,
                [
                    (market.long_quote.get(), market.long_base_snapshot.get()),
                    (market.short_quote.get(), market.short_base_snapshot.get()),
                ],
                "perp market {}: positions vs the per-side aggregates",
                market.perp_index
            );
            let agg = (
                market.long_open_interest,
                market.short_open_interest,
                market.total_quote.get(),
                market.total_base_snapshot.get(),
            );
            assert_eq!(
                (long, short, quote, snapshot),
                agg,
                "perp market {}: positions vs aggregates",
                market.perp_index
            );
            assert_eq!(
                net,
                market.net_base(),
                "perp market {}: Σ positions' base vs long OI − short OI",
                market.perp_index
            );
            invariants.checks += 1;
        }
        invariants.accounts = accounts;
        p.invariants = invariants;
    }
}
