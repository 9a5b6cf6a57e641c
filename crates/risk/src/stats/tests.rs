use super::*;
use proptest::prelude::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn moments() {
    assert_eq!(mean(&[1.0, 2.0, 6.0]), 3.0);
    // (4 + 1 + 9) / 2
    assert_eq!(variance(&[1.0, 2.0, 6.0]), 7.0);
    assert!(mean(&[]).is_nan());
    // Two-point ±1: m4 / m2² = 1, excess −2.
    assert!(close(excess_kurtosis(&[1.0, -1.0, 1.0, -1.0]), -2.0, 1e-12));
}

#[test]
fn covariance_and_correlation_by_hand() {
    // Columns x = (1, 2, 3), y = (2, 4, 7): means 2 and 13/3.
    // var x = 1, var y = ((−7/3)² + (−1/3)² + (8/3)²)/2 = 114/18 = 19/3,
    // cov = ((−1)(−7/3) + 0 + (1)(8/3))/2 = 15/6 = 2.5.
    let rows = [1.0, 2.0, 2.0, 4.0, 3.0, 7.0];
    let c = covariance(&rows, 2);
    assert!(close(c[0], 1.0, 1e-12));
    assert!(close(c[3], 19.0 / 3.0, 1e-12));
    assert!(close(c[1], 2.5, 1e-12) && c[1] == c[2]);
    let r = correlation(&rows, 2);
    assert!(close(r[1], 2.5 / (19.0f64 / 3.0).sqrt(), 1e-12));
    assert_eq!((r[0], r[3]), (1.0, 1.0));
    // A constant column has correlation 0 with the others.
    let r = correlation(&[1.0, 5.0, 2.0, 5.0, 3.0, 5.0], 2);
    assert_eq!(r, vec![1.0, 0.0, 0.0, 1.0]);
}

#[test]
fn ewma_recursion_by_hand() {
    // One asset, returns 0.1 then 0.0, λ = 0.5. Start: mean square = 0.005.
    // After day 0: 0.5·0.005 + 0.5·0.01 = 0.0075; after day 1: 0.5·0.0075 = 0.00375.
    let rows = [0.1, 0.0];
    let c = ewma_covariance(&rows, 1, 0.5);
    assert!(close(c[0], 0.00375, 1e-15));
    assert!(close(ewma_vols(&rows, 1, 0.5)[0], 0.00375f64.sqrt(), 1e-15));
    // Residuals use the forecast made before each day: 0.1/√0.005, 0/√0.0075.
    let z = ewma_standardised(&rows, 1, 0.5);
    assert!(close(z[0], 0.1 / 0.005f64.sqrt(), 1e-12));
    assert_eq!(z[1], 0.0);
    // Two perfectly correlated assets stay perfectly correlated.
    let rows = [0.01, 0.02, -0.03, -0.06, 0.02, 0.04];
    let r = ewma_correlation(&rows, 2, DEFAULT_LAMBDA);
    assert!(close(r[1], 1.0, 1e-12));
    // A recent shock dominates: a calm year then one 10 % day.
    let mut rows = vec![0.01; 250];
    rows.push(-0.10);
    let v = ewma_vols(&rows, 1, DEFAULT_LAMBDA)[0];
    assert!(v > 0.025, "{v}");
}

#[test]
fn cholesky_by_hand_and_errors() {
    // [[4, 2], [2, 5]] = L Lᵀ with L = [[2, 0], [1, 2]].
    let l = cholesky(&[4.0, 2.0, 2.0, 5.0], 2).unwrap();
    assert_eq!(l, vec![2.0, 0.0, 1.0, 2.0]);
    // Singular PSD (two identical assets): jitter lets it through.
    let l = cholesky(&[1.0, 1.0, 1.0, 1.0], 2).unwrap();
    assert!(close(l[2], 1.0, 1e-5) && l[3] >= 0.0 && l[3] < 1e-4);
    // Not PSD: correlation 1.5.
    assert_eq!(
        cholesky(&[1.0, 1.5, 1.5, 1.0], 2),
        Err(StatsError::NotPsd { pivot: 1 })
    );
    assert!(matches!(
        cholesky(&[1.0, 0.5, 0.2, 1.0], 2),
        Err(StatsError::NotPsd { .. })
    ));
    assert_eq!(
        cholesky(&[1.0; 3], 2),
        Err(StatsError::Shape {
            expected: 4,
            found: 3
        })
    );
    assert_eq!(
        cholesky(&[f64::NAN, 0.0, 0.0, 1.0], 2),
        Err(StatsError::NonFinite)
    );
}

#[test]
fn var_and_es_on_twenty_numbers() {
    // Losses 1..=20 shuffled. At 95 %: h = 0.95·19 = 18.05, so
    // VaR = L(18) + 0.05·(L(19) − L(18)) = 19 + 0.05·1 = 19.05;
    // the losses ≥ 19.05 are {20}: ES = 20.
    // At 90 %: h = 17.1, VaR = 18 + 0.1 = 18.1; losses ≥ 18.1 are {19, 20}: ES = 19.5.
    // At 50 %: h = 9.5, VaR = 10.5; losses ≥ 10.5 are 11..=20: ES = 15.5.
    let losses = [
        7.0, 20.0, 3.0, 15.0, 1.0, 12.0, 9.0, 18.0, 5.0, 14.0, 2.0, 19.0, 11.0, 6.0, 16.0, 4.0,
        13.0, 8.0, 17.0, 10.0,
    ];
    assert!(close(var(&losses, 0.95).unwrap(), 19.05, 1e-12));
    assert_eq!(expected_shortfall(&losses, 0.95).unwrap(), 20.0);
    assert!(close(var(&losses, 0.90).unwrap(), 18.1, 1e-12));
    assert_eq!(expected_shortfall(&losses, 0.90).unwrap(), 19.5);
    assert_eq!(var(&losses, 0.5).unwrap(), 10.5);
    assert_eq!(expected_shortfall(&losses, 0.5).unwrap(), 15.5);
    assert_eq!(quantile(&losses, 0.5).unwrap(), 10.5);
    // Ties: losses 1, 2, 2, 2 at 50 %: h = 1.5, VaR = 2; the worst ⌈0.5·4⌉ = 2: ES = 2.
    assert_eq!(
        var_es_in_place(&mut [2.0, 1.0, 2.0, 2.0], 0.5).unwrap(),
        (2.0, 2.0)
    );
    // Bad debt on 5 of 1,000 paths ($100 … $500), none on the rest: VaR 99 % = 0 and
    // ES 99 % = the mean of the worst 10 = (100 + … + 500) / 10 = $150, not the
    // whole-sample mean of $1.50 that averaging every loss ≥ VaR would give.
    let mut bad = vec![0.0; 995];
    bad.extend([100.0, 200.0, 300.0, 400.0, 500.0]);
    assert_eq!(var_es_in_place(&mut bad, 0.99).unwrap(), (0.0, 150.0));
    assert_eq!(var(&[], 0.99), Err(StatsError::EmptySample));
    assert_eq!(var(&[1.0], 1.0), Err(StatsError::BadLevel(1.0)));
    assert_eq!(var(&[1.0, f64::NAN], 0.5), Err(StatsError::NonFinite));
}

#[test]
fn normal_cdf_against_erfc() {
    // Reference values: 0.5·erfc(−x/√2) from a libm erfc (Python's math.erfc).
    let cases = [
        (-8.0, 6.220960574271819e-16),
        (-5.0, 2.866515718791946e-07),
        (-3.5, 0.00023262907903552504),
        (-3.0, 0.0013498980316300957),
        (-2.0, 0.02275013194817922),
        (-1.0, 0.15865525393145707),
        (-0.5, 0.3085375387259869),
        (0.0, 0.5),
        (0.3, 0.6179114221889526),
        (1.0, 0.8413447460685429),
        (2.9999, 0.998649658717045),
        (3.0001, 0.9986505450867393),
        (6.0, 0.9999999990134123),
    ];
    for (x, p) in cases {
        assert!(close(normal_cdf(x), p, 1e-14), "Φ({x}) = {}", normal_cdf(x));
    }
    // Relative accuracy in the tails (both sides of the series / fraction switch).
    assert!(close(normal_sf(10.0) / 7.619853024160593e-24, 1.0, 1e-12));
    assert!(close(normal_sf(3.0001) / 0.001349454913260717, 1.0, 1e-12));
    assert!(close(normal_sf(2.9999) / 0.0013503412829549248, 1.0, 1e-12));
    assert!(close(normal_sf(5.0) / 2.866515718791946e-07, 1.0, 1e-12));
}

#[test]
fn normal_quantile_is_accurate() {
    // Published quantiles.
    for (p, z) in [
        (0.5, 0.0),
        (0.975, 1.959963984540054),
        (0.99, 2.3263478740408408),
        (0.999, 3.090232306167813),
        (0.01, -2.3263478740408408),
        (1e-10, -6.361340902404056),
    ] {
        assert!(
            close(normal_quantile(p), z, 1e-9),
            "{p}: {}",
            normal_quantile(p)
        );
    }
    // Round trip across the range, including both Acklam tail regions.
    for i in 1..2000 {
        let p = i as f64 / 2000.0;
        assert!(close(normal_cdf(normal_quantile(p)), p, 1e-13), "{p}");
    }
    for p in [1e-300, 1e-20, 1e-5, 0.02, 0.03] {
        assert!(close(normal_cdf(normal_quantile(p)) / p, 1.0, 1e-9), "{p}");
    }
    assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(normal_quantile(1.0), f64::INFINITY);
    assert!(normal_quantile(1.5).is_nan());
}

#[test]
fn chi2_one_dof_tail() {
    // P(χ²₁ > 3.841458820694124) = 0.05 (the 5 % critical value), P(> 6.634896601021214) = 0.01.
    assert!(close(chi2_1_sf(3.841458820694124), 0.05, 1e-12));
    assert!(close(chi2_1_sf(6.634896601021214), 0.01, 1e-12));
    // From Python: erfc(√(1.956809788230622/2)) = 0.16185491719604272.
    assert!(close(
        chi2_1_sf(1.956809788230622),
        0.16185491719604272,
        1e-12
    ));
    assert_eq!(chi2_1_sf(0.0), 1.0);
    assert_eq!(chi2_1_sf(-1.0), 1.0);
    assert_eq!(chi2_1_sf(1e6), 0.0);
}

#[test]
fn ln_gamma_values() {
    for (x, v) in [
        (0.5, 0.5723649429247004),
        (1.0, 0.0),
        (2.5, 0.2846828704729196),
        (10.0, 12.801827480081467),
        (100.5, 361.4355404677776),
    ] {
        assert!(close(ln_gamma(x), v, 1e-12 * v.abs().max(1.0)), "{x}");
    }
}

#[test]
fn t_likelihood_integrates_and_fit_prefers_normal_for_normal_data() {
    // The unit-variance t density integrates to 1 and has variance 1 (ν = 5).
    let (mut mass, mut var) = (0.0, 0.0);
    let h = 1e-3;
    let mut x = -200.0;
    while x < 200.0 {
        let f = t_unit_log_likelihood(&[x], 5.0).exp();
        mass += f * h;
        var += x * x * f * h;
        x += h;
    }
    assert!(close(mass, 1.0, 1e-6), "{mass}");
    assert!(close(var, 1.0, 2e-3), "{var}");
    // Normal quantiles as data: no fat tail, the fit goes to the top of the range.
    let z: Vec<f64> = (1..1000)
        .map(|i| normal_quantile(i as f64 / 1000.0))
        .collect();
    assert!(fit_t_dof(&z).unwrap() > 30.0);
    assert_eq!(fit_t_dof(&[]), Err(StatsError::EmptySample));
}

fn spd(k: usize, entries: &[f64]) -> Vec<f64> {
    // A = B Bᵀ + 0.1·I for B filled from `entries`.
    let b = &entries[..k * k];
    let mut a = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            a[i * k + j] = (0..k).map(|m| b[i * k + m] * b[j * k + m]).sum::<f64>()
                + if i == j { 0.1 } else { 0.0 };
        }
    }
    a
}

proptest! {
    #[test]
    fn cholesky_reproduces_the_matrix(k in 1usize..7, entries in prop::collection::vec(-3.0f64..3.0, 36)) {
        let a = spd(k, &entries);
        let l = cholesky(&a, k).unwrap();
        for i in 0..k {
            for j in 0..k {
                if j > i {
                    prop_assert_eq!(l[i * k + j], 0.0);
                }
                let llt: f64 = (0..k).map(|m| l[i * k + m] * l[j * k + m]).sum();
                prop_assert!((llt - a[i * k + j]).abs() <= 1e-9 * (1.0 + a[i * k + j].abs()));
            }
        }
    }

    #[test]
    fn var_is_monotone_and_es_above_var(
        losses in prop::collection::vec(-1e6f64..1e6, 1..200),
        p in 0.01f64..0.98,
        dp in 0.0f64..0.02,
    ) {
        let (v1, e1) = var_es_in_place(&mut losses.clone(), p).unwrap();
        let (v2, e2) = var_es_in_place(&mut losses.clone(), p + dp).unwrap();
        prop_assert!(v2 >= v1);
        prop_assert!(e1 >= v1 && e2 >= v2);
        prop_assert!(e2 >= e1 - 1e-9 * e1.abs().max(1.0));
        let max = losses.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(e2 <= max);
    }
}
