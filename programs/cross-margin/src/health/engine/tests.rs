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
            None,
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
    assert!(TokenRisk::new(
        0,
        I80F48::ONE,
        I80F48::ONE,
        6,
        &weights(0.1, 0.05),
        &o,
        None
    )
    .is_err());
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
                None,
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

proptest! {
    /// Init health with the stable price is never above the oracle-only init health, and
    /// maint health does not depend on the stable price at all.
    #[test]
    fn stable_price_only_lowers_init_health(
        balances in prop::collection::vec(-1_000_000_000_000i64..1_000_000_000_000, 1..=8),
        prices in prop::collection::vec(1u32..100_000_000, 8),
        stables in prop::collection::vec(1u32..100_000_000, 8),
    ) {
        let mut with_stable = HealthCache::default();
        let mut oracle_only = HealthCache::default();
        for (i, b) in balances.iter().enumerate() {
            let o = OraclePrice { price: prices[i] as i64, conf: prices[i] as u64 / 100, expo: -6, publish_time: 0 };
            let make = |stable| TokenRisk::new(
                i as u16, I80F48::ONE, I80F48::from_num(1.5), 6, &weights(0.2, 0.1), &o, stable,
            ).unwrap();
            with_stable.push(make(Some(stables[i] as i64)), I80F48::from_num(*b)).unwrap();
            oracle_only.push(make(None), I80F48::from_num(*b)).unwrap();
        }
        let (s, o) = (with_stable.health().unwrap(), oracle_only.health().unwrap());
        prop_assert!(s.init <= o.init);
        prop_assert_eq!(s.maint, o.maint);
    }
}

#[test]
fn a_pumped_oracle_is_not_borrowable_against() {
    // 10 tokens at $150 with a stable price of $100: init counts $100 a token.
    let o = oracle(150.0, 0);
    let risk = TokenRisk::new(
        0,
        I80F48::ONE,
        I80F48::ONE,
        0,
        &weights(0.2, 0.1),
        &o,
        Some(100 * 100_000_000),
    )
    .unwrap();
    let mut cache = HealthCache::default();
    cache.push(risk, I80F48::from_num(10)).unwrap();
    let h = cache.health().unwrap();
    assert_eq!(h.init, I80F48::from_num(800_000_000));
    assert_eq!(h.maint, I80F48::from_num(1_350_000_000));
}

/// Hole 12: the cache's size is pinned so growth is a conscious decision (perps took it from
/// ~1.5 KB to ~2.5 KB). SBF gives a function a 4 KB frame; instructions hold caches boxed,
/// never by value.
#[test]
fn health_cache_size_is_pinned() {
    assert_eq!(std::mem::size_of::<TokenRisk>(), 160);
    assert!(std::mem::size_of::<HealthCache>() <= 2_600);
    assert_eq!(
        std::mem::size_of::<Box<HealthCache>>(),
        std::mem::size_of::<usize>()
    );
}
