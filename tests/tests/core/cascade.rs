//! A cascade: 20 accounts at different leverage across three banks, a 30 % drop in one
//! collateral, and a test keeper that liquidates every liquidatable account (and resolves
//! bankruptcies) while the invariants are checked after every step.

use cross_margin::state::BankConfig;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::Protocol;
use std::collections::BTreeSet;

const USDC: usize = 0;
const SOL: usize = 1;
const ETH: usize = 2;
const DECIMALS: [u8; 3] = [6, 9, 8];

fn native(bank: usize, tokens: f64) -> u64 {
    (tokens * 10f64.powi(DECIMALS[bank] as i32)) as u64
}

fn configs() -> [BankConfig; 3] {
    let fee = |f: u32| BankConfig {
        liquidation_fee_bps: f,
        liquidation_insurance_share_bps: 2_000,
        ..default_config()
    };
    [
        BankConfig {
            init_asset_weight_bps: 9_000,
            maint_asset_weight_bps: 9_500,
            maint_liab_weight_bps: 10_500,
            init_liab_weight_bps: 11_000,
            ..fee(100)
        },
        // SOL is lent against generously, so a 30 % fall leaves some accounts under water.
        BankConfig {
            init_asset_weight_bps: 8_500,
            maint_asset_weight_bps: 9_000,
            ..fee(250)
        },
        fee(250),
    ]
}

/// Value of each position of `user` in dollars at `prices`: (bank, signed value).
async fn positions(p: &mut Protocol, user: usize, prices: &[f64; 3]) -> Vec<(usize, f64)> {
    let mut out = vec![];
    for bank in 0..3 {
        let n = p.native_balance(user, bank).await;
        if n != 0.0 {
            out.push((bank, n / 10f64.powi(DECIMALS[bank] as i32) * prices[bank]));
        }
    }
    out
}

#[tokio::test]
async fn a_crash_is_liquidated_completely_and_only_where_needed() {
    let mut p = Protocol::new().await;
    let mut prices = [1.0, 100.0, 3_000.0];
    for (bank, config) in configs().into_iter().enumerate() {
        p.add_bank(DECIMALS[bank], prices[bank], config).await;
    }
    // Liquidity and a keeper with deep pockets.
    let lender = p
        .add_user(&[(USDC, native(USDC, 2e6)), (ETH, native(ETH, 200.0))])
        .await;
    p.deposit(lender, USDC, native(USDC, 1e6)).await.unwrap();
    p.deposit(lender, ETH, native(ETH, 100.0)).await.unwrap();
    p.fund_insurance(lender, USDC, native(USDC, 300.0))
        .await
        .unwrap();
    let keeper = p
        .add_user(&[(USDC, native(USDC, 1e6)), (ETH, native(ETH, 100.0))])
        .await;
    p.deposit(keeper, USDC, native(USDC, 1e6)).await.unwrap();
    p.deposit(keeper, ETH, native(ETH, 100.0)).await.unwrap();

    // 20 borrowers: $10,000 of SOL (or ETH for every third), borrowing USDC (or ETH for
    // every fourth) at 20 % … 99 % of their init borrowing power.
    let mut borrowers = vec![];
    for i in 0..20 {
        let collateral = if i % 3 == 2 { ETH } else { SOL };
        let debt = if i % 4 == 0 && collateral == SOL {
            ETH
        } else {
            USDC
        };
        let amount = native(collateral, 10_000.0 / prices[collateral]);
        let u = p.add_user(&[(collateral, amount)]).await;
        p.deposit(u, collateral, amount).await.unwrap();
        let c = &configs()[collateral];
        let d = &configs()[debt];
        let power = 10_000.0 * c.init_asset_weight_bps as f64 / d.init_liab_weight_bps as f64;
        let leverage = 0.2 + 0.79 * i as f64 / 19.0;
        let borrow = native(debt, power * leverage / prices[debt]);
        p.withdraw(u, debt, borrow, true).await.unwrap();
        borrowers.push(u);
    }

    // SOL falls 30 %.
    prices[SOL] = 70.0;
    for (bank, price) in prices.iter().enumerate() {
        p.set_price(bank, *price, 0).await;
    }
    let mut liquidatable = BTreeSet::new();
    for &u in &borrowers {
        if p.health(u).await.unwrap().maint < 0 {
            liquidatable.insert(u);
        }
    }
    assert!(
        liquidatable.len() >= 3,
        "the crash should hit several accounts: {liquidatable:?}"
    );
    assert!(liquidatable.len() < borrowers.len(), "and spare some");

    // The keeper loop.
    let mut touched = BTreeSet::new();
    let mut liquidations = 0;
    // Per bank, in its native units.
    let (mut bad_debt, mut insured, mut socialised) = ([0u64; 3], [0u64; 3], [0f64; 3]);
    for _round in 0..60 {
        let mut acted = false;
        for &u in &borrowers {
            let h = p.health(u).await.unwrap();
            let flagged = p.margin_account(u).await.being_liquidated == 1;
            let pos = positions(&mut p, u, &prices).await;
            let assets: Vec<_> = pos.iter().filter(|(_, v)| *v > 1e-9).collect();
            let liabs: Vec<_> = pos.iter().filter(|(_, v)| *v < 0.0).collect();
            if assets.is_empty() && !liabs.is_empty() {
                for &&(bank, _) in &liabs {
                    let debt = (-p.native_balance(u, bank).await).ceil() as u64;
                    let ins_before = p.tc.token_balance(p.banks[bank].insurance_vault).await;
                    let before = p.bank_state(bank).await;
                    p.resolve_bankruptcy(u, bank).await.unwrap();
                    let after = p.bank_state(bank).await;
                    let ins_after = p.tc.token_balance(p.banks[bank].insurance_vault).await;
                    let cut = (after.indexed_deposits.get()
                        * (before.deposit_index.get() - after.deposit_index.get()))
                    .to_num::<f64>();
                    let paid = ins_before - ins_after;
                    assert!(cut >= (debt - paid) as f64 - 1e-6 && cut < (debt - paid) as f64 + 1.0);
                    bad_debt[bank] += debt;
                    insured[bank] += paid;
                    socialised[bank] += (debt - paid) as f64;
                    touched.insert(u);
                    acted = true;
                }
                continue;
            }
            if !(h.maint < 0 || (flagged && h.init < 0)) {
                continue;
            }
            let asset = assets.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0;
            let liab = liabs.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0;
            p.liquidate(keeper, u, asset, liab, u64::MAX).await.unwrap();
            touched.insert(u);
            liquidations += 1;
            acted = true;
        }
        if !acted {
            break;
        }
    }

    assert_eq!(
        touched, liquidatable,
        "exactly the liquidatable accounts were touched"
    );
    for &u in &borrowers {
        let h = p.health(u).await.unwrap();
        assert!(h.maint >= 0, "account {u} left unhealthy: {h:?}");
    }
    assert!(p.health(keeper).await.unwrap().init >= 0);
    for bank in 0..3 {
        assert_eq!(
            bad_debt[bank] as f64,
            insured[bank] as f64 + socialised[bank]
        );
    }
    assert!(
        bad_debt.iter().sum::<u64>() > 0,
        "the crash leaves some bad debt to resolve"
    );
    eprintln!(
        "cascade: {} of {} accounts liquidatable, {liquidations} liquidations; bad debt per bank \
         (native) {bad_debt:?} = insured {insured:?} + socialised {socialised:?}; {} invariant checks",
        liquidatable.len(),
        borrowers.len(),
        p.invariants.checks
    );
}
