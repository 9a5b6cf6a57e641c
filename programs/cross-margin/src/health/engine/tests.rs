use super::*;
use proptest::prelude::*;

/// (price $, decimals, amount in tokens, init w, maint w): the shared health book.
pub(crate) const BOOK: [(f64, u8, f64, f64, f64); 8] = [
    (1.0, 6, 10_000.0, 0.10, 0.05),
    (150.0, 9, 20.0, 0.20, 0.10),
    (60_000.0, 8, 0.1, 0.25, 0.15),
    (3_000.0, 8, 1.5, 0.25, 0.15),
    (0.5, 6, 5_000.0, 0.40, 0.30),
    (1.0, 6, -3_000.0, 0.10, 0.05),
    (150.0, 9, -5.0, 0.20, 0.10),
    (2.0, 6, -500.0, 0.30, 0.20),
];

fn weights(init_w: f64, maint_w: f64) -> Weights {
    let bps = |x: f64| (x * 10_000.0).round() as u32;
    Weights {
        init_asset_bps: 10_000 - bps(init_w),
        maint_asset_bps: 10_000 - bps(maint_w),
        maint_liab_bps: 10_000 + bps(maint_w),
        init_liab_bps: 10_000 + bps(init_w),
    }
}

fn oracle(dollars: f64, conf_bps: u64) -> OraclePrice {
    let price = (dollars * 1e8).round() as i64;
    OraclePrice {
        price,
        conf: price as u64 * conf_bps / 10_000,
        expo: -8,
        publish_time: 0,
    }
}

fn book_cache(conf_bps: u64) -> HealthCache {
    let mut cache = HealthCache::default();
    for (i, &(price, decimals, amount, iw, mw)) in BOOK.iter().enumerate() {
        let risk = TokenRisk::new(
            i as u16,
            I80F48::ONE,
            I80F48::ONE,
            decimals,
            &weights(iw, mw),
            &oracle(price, conf_bps),
        )
        .unwrap();
        let native = (amount * 10f64.powi(decimals as i32)).round();
        cache.push(risk, I80F48::from_num(native)).unwrap();
    }
    cache
}

#[test]
fn health_book_matches_the_published_figures() {
    let h = book_cache(0).health().unwrap();
    let usd = |x: I80F48| x.to_num::<f64>() / 1e6;
    assert!((usd(h.init) - 15_275.0).abs() < 1e-9, "init {}", h.init);
    assert!((usd(h.maint) - 17_700.0).abs() < 1e-9, "maint {}", h.maint);
    // Rounding goes against the account: never above the exact figures.
    assert!(h.init <= I80F48::from_num(15_275_000_000u64));
    assert!(h.maint <= I80F48::from_num(17_700_000_000u64));
}

#[test]
fn confidence_lowers_health() {
    let exact = book_cache(0).health().unwrap();
    let wide = book_cache(100).health().unwrap();
    assert!(wide.init < exact.init && wide.maint < exact.maint);
}

#[test]
fn set_balance_updates_one_token() {
    let mut cache = book_cache(0);
    let before = cache.health().unwrap();
    // Repay the whole $1 borrow (token 5): init health rises by 3,000 × 1.1.
    cache.set_balance(5, I80F48::ZERO).unwrap();
    let after = cache.health().unwrap();
    let gained = (after.init - before.init).to_num::<f64>() / 1e6;
    assert!((gained - 3_300.0).abs() < 1e-6, "{gained}");
    assert!(cache.set_balance(42, I80F48::ZERO).is_err());
}

#[test]
fn a_ninth_position_is_refused() {
    let mut cache = book_cache(0);
    let risk = cache.token(0).unwrap().risk;
    assert!(cache.push(risk, I80F48::ONE).is_err());
}

#[test]
fn non_positive_price_is_refused() {
    let mut o = oracle(1.0, 0);
    o.price = -5;
    assert!(TokenRisk::new(0, I80F48::ONE, I80F48::ONE, 6, &weights(0.1, 0.05), &o).is_err());
}

proptest! {
    /// Maint health ≥ init health whenever the weights are ordered, and more deposit
    /// never lowers either.
    #[test]
    fn maint_at_least_init_and_deposits_help(
        balances in prop::collection::vec(-1_000_000_000_000i64..1_000_000_000_000, 1..=8),
        prices in prop::collection::vec(1u32..100_000_000, 8),
        extra in 0u64..1_000_000_000,
    ) {
        let mut cache = HealthCache::default();
        for (i, b) in balances.iter().enumerate() {
            let risk = TokenRisk::new(
                i as u16, I80F48::ONE, I80F48::from_num(1.5), 6,
                &weights(0.2, 0.1),
                &OraclePrice { price: prices[i] as i64, conf: prices[i] as u64 / 100, expo: -6, publish_time: 0 },
            ).unwrap();
            cache.push(risk, I80F48::from_num(*b)).unwrap();
        }
        let h = cache.health().unwrap();
        prop_assert!(h.maint >= h.init);
        let indexed = I80F48::from_num(balances[0]) + I80F48::from_num(extra);
        cache.set_balance(0, indexed).unwrap();
        let h2 = cache.health().unwrap();
        prop_assert!(h2.init >= h.init && h2.maint >= h.maint);
    }
}

/// Hole 12: the cache's size is pinned so growth (perps) is a conscious decision. SBF gives
/// a function a 4 KB frame; instructions hold caches boxed, never by value.
#[test]
fn health_cache_size_is_pinned() {
    assert_eq!(std::mem::size_of::<TokenRisk>(), 160);
    assert!(std::mem::size_of::<HealthCache>() <= 1_600);
    assert_eq!(
        std::mem::size_of::<Box<HealthCache>>(),
        std::mem::size_of::<usize>()
    );
}
