use super::*;
use proptest::prelude::*;

fn n(x: f64) -> I80F48 {
    I80F48::from_num(x)
}

#[test]
fn execution_price_worsens_by_fee_impact_and_confidence() {
    // mid 100, conf 0.1, fee 10 bps, impact 100 bps at the full cap of 1,000: a trade of
    // 500 pays 50 bps of impact.
    let buy = execution_price(n(100.0), n(0.1), 500, 10, 100, 1_000).unwrap();
    assert!(
        (buy.to_num::<f64>() - (100.0 * 1.006 + 0.1)).abs() < 1e-9,
        "{buy}"
    );
    let sell = execution_price(n(100.0), n(0.1), -500, 10, 100, 1_000).unwrap();
    assert!(
        (sell.to_num::<f64>() - (100.0 * 0.994 - 0.1)).abs() < 1e-9,
        "{sell}"
    );
    // A price that would go negative stops at zero.
    assert_eq!(
        execution_price(n(0.01), n(1.0), -1, 10, 0, 1).unwrap(),
        I80F48::ZERO
    );
}

#[test]
fn open_interest_follows_flips_and_closes() {
    assert_eq!(open_interest_after(0, 0, 0, 5), Some((5, 0)));
    assert_eq!(open_interest_after(5, 0, 5, -3), Some((0, 3)));
    assert_eq!(open_interest_after(10, 3, -3, 0), Some((10, 0)));
    // Removing more than is recorded is an inconsistency, not a wrap.
    assert_eq!(open_interest_after(0, 0, 5, 0), None);
    assert!(is_reducing(5, 3) && is_reducing(-5, 0) && !is_reducing(5, -1));
    assert!(!is_reducing(0, 1) && !is_reducing(3, 4));
}

#[test]
fn lp_shares_round_against_the_depositor_and_the_redeemer() {
    assert_eq!(shares_for_deposit(1_000, n(0.0), 0), Some(1_000));
    // Pool worth 3,000 with 1,000 shares: 100 deposited buys 33 shares (33.33 down).
    assert_eq!(shares_for_deposit(100, n(3_000.0), 1_000), Some(33));
    assert_eq!(amount_for_shares(33, n(3_000.0), 1_000), Some(99));
    assert_eq!(shares_for_deposit(100, n(-1.0), 1_000), None);
    assert_eq!(amount_for_shares(10, n(-5.0), 1_000), Some(0));
}

#[test]
fn traders_pnl_counts_entry_funding_and_price() {
    // One long of 2 bought at 100 (quote −200), funding index moved 1 since its snapshot
    // of 0 (it owes 2), price now 110: PnL = −200 − 2 + 220 = 18.
    let pnl = traders_pnl(n(-200.0), n(0.0), n(1.0), 2, n(110.0)).unwrap();
    assert_eq!(pnl, n(18.0));
    assert_eq!(pool_value(1_000, pnl), Some(n(982.0)));
    assert_eq!(reserve_required(-2, n(110.0), 2_000), Some(44));
    assert_eq!(settle_allowance(n(1_000.0), 1_000, 30), Some(70));
    assert_eq!(settle_allowance(n(-1.0), 1_000, 0), Some(0));
}

proptest! {
    /// A round trip (buy then sell the same size at the same oracle) never profits the
    /// trader: the pool's spread is never negative.
    #[test]
    fn a_round_trip_never_pays_the_trader(
        mid in 1e-6f64..1e6, conf_bps in 0u32..500, size in 1i64..1_000_000_000,
        fee in 0u32..500, impact in 0u32..2_000, cap in 1u64..u64::MAX / 2,
    ) {
        let mid = n(mid);
        let conf = mid * I80F48::from_num(conf_bps) / I80F48::from_num(10_000);
        let buy = execution_price(mid, conf, size, fee, impact, cap).unwrap();
        let sell = execution_price(mid, conf, -size, fee, impact, cap).unwrap();
        prop_assert!(buy >= mid && sell <= mid);
        let paid = trade_quote_delta(size, buy).unwrap();
        let got = trade_quote_delta(-size, sell).unwrap();
        prop_assert!(paid + got <= I80F48::ZERO);
    }

    /// Shares bought and redeemed at once never return more than was paid.
    #[test]
    fn lp_round_trip_never_gains(
        amount in 1u64..1u64 << 50, value in 1u64..1u64 << 50, supply in 1u64..1u64 << 50,
    ) {
        let v = rounding::from_native(value);
        if let Some(shares) = shares_for_deposit(amount, v, supply) {
            let back = amount_for_shares(
                shares,
                v + rounding::from_native(amount),
                supply + shares,
            ).unwrap();
            prop_assert!(back <= amount, "{back} > {amount}");
        }
    }

    /// Open interest bookkeeping is exact: applying a move and its reverse restores it.
    #[test]
    fn open_interest_moves_reverse(old in -1_000_000i64..1_000_000, new in -1_000_000i64..1_000_000) {
        let (l0, s0) = (old.max(0) as u64 + 7, old.min(0).unsigned_abs() + 9);
        let (l1, s1) = open_interest_after(l0, s0, old, new).unwrap();
        prop_assert_eq!(open_interest_after(l1, s1, new, old), Some((l0, s0)));
        prop_assert_eq!(l1 as i128 - s1 as i128 - (l0 as i128 - s0 as i128), (new - old) as i128);
    }
}
