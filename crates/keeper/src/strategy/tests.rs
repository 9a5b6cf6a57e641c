//! The flat-loss verdict and the settlement fallback (audit M6), on hand-built caches.

use super::*;
use cross_margin::health::perp::HedgeWeights;
use cross_margin::health::{OraclePrice, TokenRisk, Weights};
use cross_margin::state::FREE_TOKEN_INDEX;

const USDC: u16 = 0;
const SOL: u16 = 1;
const USD: i64 = 1_000_000;
const ONE_SOL: i64 = 1_000_000_000;
const FACE: Weights = Weights {
    init_asset_bps: 10_000,
    maint_asset_bps: 10_000,
    maint_liab_bps: 10_000,
    init_liab_bps: 10_000,
};
const SPOT: Weights = Weights {
    init_asset_bps: 8_000,
    maint_asset_bps: 9_000,
    maint_liab_bps: 11_000,
    init_liab_bps: 12_000,
};

fn n(x: i64) -> I80F48 {
    I80F48::from_num(x)
}

fn risk(index: u16, decimals: u8, w: &Weights, dollars: i64) -> TokenRisk {
    let o = OraclePrice {
        price: dollars * 100_000_000,
        conf: 0,
        expo: -8,
        publish_time: 0,
    };
    TokenRisk::new(index, I80F48::ONE, I80F48::ONE, decimals, w, &o, None).unwrap()
}

fn perp(market: u16, quote: i64) -> HealthPerp {
    let unweighted = risk(market, 9, &FACE, 100);
    HealthPerp {
        risk: risk(market, 9, &SPOT, 100),
        base: I80F48::ZERO,
        quote: n(quote),
        init_pnl_weight_bps: 0,
        hedge: HedgeWeights {
            init_bps: 200,
            maint_bps: 100,
        },
        hedge_token: FREE_TOKEN_INDEX,
        init_pnl_prices: [unweighted.asset_init, unweighted.liab_init],
    }
}

/// A bank with the test weights, 5 % liquidation fee and `deposits` / `borrows` native.
fn bank(index: u16, decimals: u8, w: &Weights, deposits: i64, borrows: i64) -> Bank {
    let mut b: Bank = bytemuck::Zeroable::zeroed();
    b.token_index = index;
    b.decimals = decimals;
    b.init_asset_weight_bps = w.init_asset_bps;
    b.maint_asset_weight_bps = w.maint_asset_bps;
    b.maint_liab_weight_bps = w.maint_liab_bps;
    b.init_liab_weight_bps = w.init_liab_bps;
    b.liquidation_fee_bps = 500;
    b.liquidation_insurance_share_bps = 2_000;
    b.deposit_index.set(I80F48::ONE);
    b.borrow_index.set(I80F48::ONE);
    b.indexed_deposits.set(n(deposits));
    b.indexed_borrows.set(n(borrows));
    b
}

fn market(index: u16) -> BTreeMap<u16, PerpMarket> {
    let mut m: PerpMarket = bytemuck::Zeroable::zeroed();
    m.perp_index = index;
    m.settle_token_index = USDC;
    BTreeMap::from([(index, m)])
}

fn account() -> MarginAccount {
    bytemuck::Zeroable::zeroed()
}

#[test]
fn a_flat_loss_against_collateral_is_liquidated_as_a_loss() {
    // 10 SOL at $100 (maint $900) against a $950 flat loss.
    let mut c = HealthCache::default();
    c.push(risk(SOL, 9, &SPOT, 100), n(10 * ONE_SOL)).unwrap();
    c.push_perp(perp(0, -950 * USD)).unwrap();
    let banks = BTreeMap::from([(SOL, bank(SOL, 9, &SPOT, 10 * ONE_SOL, 0))]);
    assert_eq!(
        verdict(&account(), &c, &banks, &market(0)),
        Verdict::LiquidateLoss {
            market: 0,
            asset: SOL
        }
    );
}

#[test]
fn the_settle_token_is_settled_while_its_bank_can_pay_and_seized_when_it_cannot() {
    // 1,000 USDC at maint 0.9 against a $950 flat loss.
    let usdc_w = Weights {
        init_asset_bps: 8_000,
        maint_asset_bps: 9_000,
        ..FACE
    };
    let mut c = HealthCache::default();
    c.push(risk(USDC, 6, &usdc_w, 1), n(1_000 * USD)).unwrap();
    c.push_perp(perp(0, -950 * USD)).unwrap();
    let liquid = BTreeMap::from([(USDC, bank(USDC, 6, &usdc_w, 5_000 * USD, 0))]);
    assert_eq!(
        verdict(&account(), &c, &liquid, &market(0)),
        Verdict::SettlePnl { market: 0 }
    );
    let lent_out = BTreeMap::from([(USDC, bank(USDC, 6, &usdc_w, 5_000 * USD, 5_000 * USD))]);
    let seize = Verdict::LiquidateLoss {
        market: 0,
        asset: USDC,
    };
    assert_eq!(verdict(&account(), &c, &lent_out, &market(0)), seize);
    // A refused settlement makes the seizure the next choice even with liquidity.
    let failed = [Verdict::SettlePnl { market: 0 }];
    assert_eq!(
        verdict_excluding(&account(), &c, &liquid, &market(0), &failed),
        seize
    );
}

#[test]
fn a_refused_settlement_falls_through_to_the_next_market() {
    // A USDC debt and two flat profits: settling either turns a profit into a deposit.
    let mut c = HealthCache::default();
    c.push(risk(USDC, 6, &FACE, 1), n(-1_000 * USD)).unwrap();
    c.push_perp(perp(0, 100 * USD)).unwrap();
    c.push_perp(perp(1, 100 * USD)).unwrap();
    let banks = BTreeMap::new();
    let perps = BTreeMap::new();
    assert_eq!(
        verdict(&account(), &c, &banks, &perps),
        Verdict::SettlePnl { market: 0 }
    );
    let failed = [Verdict::SettlePnl { market: 0 }];
    assert_eq!(
        verdict_excluding(&account(), &c, &banks, &perps, &failed),
        Verdict::SettlePnl { market: 1 }
    );
    let both = [failed[0].clone(), Verdict::SettlePnl { market: 1 }];
    assert_eq!(
        verdict_excluding(&account(), &c, &banks, &perps, &both),
        Verdict::Stuck
    );
}
