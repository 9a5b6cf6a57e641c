//! The numerics behind the models and the backtest, written out so every convention is
//! visible and tested: moments, covariance and correlation, EWMA volatility, Cholesky,
//! empirical VaR and expected shortfall, the normal distribution, the Student-t
//! degrees-of-freedom fit and the chi-square(1) tail used for backtest p-values.
//!
//! Matrices are row-major `Vec<f64>` of `k × k` values; return samples are row-major
//! `[day][asset]` slices with `k` assets.
//!
//! **Why EWMA.** Volatility clusters: a crash day is followed by more large days. The
//! RiskMetrics estimate `σ²[t] = λ σ²[t−1] + (1 − λ) r²[t−1]` weighs recent days most
//! (λ = 0.94 gives a half-life of about 11 days), so a model fitted just after a shock
//! sees the shock's volatility rather than a calm year's average.
//!
//! **VaR and ES convention.** Both are stated for a sample of *losses* (a positive number
//! is money lost). `VaR_p` is the `p`-quantile of the losses with linear interpolation
//! between order statistics: sort ascending `L(0) ≤ … ≤ L(n−1)`, `h = p·(n − 1)`,
//! `VaR = L(⌊h⌋) + (h − ⌊h⌋)·(L(⌊h⌋+1) − L(⌊h⌋))` (R's type 7, numpy's `linear`).
//! `ES_p` is the mean of the worst `k = ⌈(1 − p)·n⌉` losses (at least one). The worst `k`
//! all lie at or above `L(⌊p·n⌋) ≥ VaR_p`, so `ES ≥ VaR` always; and when most of the
//! sample ties at the VaR (a protocol's bad debt is zero on most paths) the ties do not
//! dilute the tail, as "the mean of every loss ≥ VaR" would.
//!
//! **Student-t fit.** Maximum likelihood of ν for the *unit-variance* Student-t (the
//! distribution the Monte Carlo model draws its innovations from) on standardised
//! residuals: a 48-point log-spaced grid over ν ∈ [2.1, 100], then golden-section search
//! in the bracket around the best grid point. The scale is not a free parameter because
//! the model has none (the EWMA volatility sets it). The method of moments from excess
//! kurtosis (`6 / (ν − 4)`) was rejected: it has no answer for ν ≤ 4, which is where
//! crypto returns sit, and the sample kurtosis of a few hundred fat-tailed days is
//! dominated by its one or two largest points.

use std::f64::consts::PI;
use std::fmt;

/// RiskMetrics' decay for daily data.
pub const DEFAULT_LAMBDA: f64 = 0.94;

/// Range of ν the Student-t fit searches.
pub const DOF_RANGE: (f64, f64) = (2.1, 100.0);

/// Why a statistic cannot be computed.
#[derive(Clone, Debug, PartialEq)]
pub enum StatsError {
    /// The sample has no value.
    EmptySample,
    /// A value is NaN or infinite.
    NonFinite,
    /// A level outside (0, 1).
    BadLevel(f64),
    /// The matrix is not symmetric positive semi-definite (even after a small jitter on
    /// the diagonal); `pivot` is the diagonal entry where the factorisation failed.
    NotPsd {
        /// Row (0-based) where a pivot was not positive.
        pivot: usize,
    },
    /// A matrix of the wrong size (`expected` values).
    Shape {
        /// Values a `k × k` matrix has.
        expected: usize,
        /// Values given.
        found: usize,
    },
}

impl fmt::Display for StatsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatsError::EmptySample => write!(f, "the sample is empty"),
            StatsError::NonFinite => write!(f, "the sample holds a NaN or infinite value"),
            StatsError::BadLevel(p) => write!(f, "level {p} is not strictly between 0 and 1"),
            StatsError::NotPsd { pivot } => write!(
                f,
                "the matrix is not positive semi-definite (Cholesky fails at row {pivot})"
            ),
            StatsError::Shape { expected, found } => {
                write!(f, "matrix has {found} values, expected {expected}")
            }
        }
    }
}

impl std::error::Error for StatsError {}

/// Arithmetic mean (NaN for an empty slice).
pub fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sample variance with the `n − 1` denominator (NaN below two values).
pub fn variance(xs: &[f64]) -> f64 {
    let m = mean(xs);
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() as f64 - 1.0)
}

/// Sample excess kurtosis `m4 / m2² − 3` (0 for a normal, `6/(ν−4)` for a t with ν > 4).
pub fn excess_kurtosis(xs: &[f64]) -> f64 {
    let m = mean(xs);
    let n = xs.len() as f64;
    let m2 = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n;
    let m4 = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n;
    m4 / (m2 * m2) - 3.0
}

/// Per-asset means of `rows` (row-major `[day][asset]`, `k` assets).
pub fn column_means(rows: &[f64], k: usize) -> Vec<f64> {
    let n = rows.len() / k;
    let mut m = vec![0.0; k];
    for day in rows.chunks_exact(k) {
        for (s, x) in m.iter_mut().zip(day) {
            *s += x;
        }
    }
    m.iter_mut().for_each(|s| *s /= n as f64);
    m
}

/// Sample covariance matrix (`n − 1` denominator) of `rows` with `k` assets.
pub fn covariance(rows: &[f64], k: usize) -> Vec<f64> {
    let n = rows.len() / k;
    let m = column_means(rows, k);
    let mut c = vec![0.0; k * k];
    for day in rows.chunks_exact(k) {
        for i in 0..k {
            let di = day[i] - m[i];
            for j in 0..=i {
                c[i * k + j] += di * (day[j] - m[j]);
            }
        }
    }
    for i in 0..k {
        for j in 0..=i {
            c[i * k + j] /= n as f64 - 1.0;
            c[j * k + i] = c[i * k + j];
        }
    }
    c
}

/// Correlation matrix of a covariance matrix (a zero-variance asset gets correlation 0
/// with the others and 1 with itself).
pub fn cov_to_corr(cov: &[f64], k: usize) -> Vec<f64> {
    let sd: Vec<f64> = (0..k).map(|i| cov[i * k + i].max(0.0).sqrt()).collect();
    let mut r = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            r[i * k + j] = if i == j {
                1.0
            } else if sd[i] > 0.0 && sd[j] > 0.0 {
                (cov[i * k + j] / (sd[i] * sd[j])).clamp(-1.0, 1.0)
            } else {
                0.0
            };
        }
    }
    r
}

/// Sample correlation matrix of `rows` with `k` assets.
pub fn correlation(rows: &[f64], k: usize) -> Vec<f64> {
    cov_to_corr(&covariance(rows, k), k)
}

/// RiskMetrics EWMA covariance *forecast* for the day after `rows`: zero mean,
/// `Σ[t+1] = λ Σ[t] + (1 − λ) r[t] r[t]ᵀ`, started from the zero-mean second moment of
/// the whole sample (so a short window is not started from nothing).
pub fn ewma_covariance(rows: &[f64], k: usize, lambda: f64) -> Vec<f64> {
    let mut s = second_moment(rows, k);
    for day in rows.chunks_exact(k) {
        ewma_step(&mut s, day, k, lambda);
    }
    s
}

/// EWMA volatilities (square roots of [`ewma_covariance`]'s diagonal).
pub fn ewma_vols(rows: &[f64], k: usize, lambda: f64) -> Vec<f64> {
    let c = ewma_covariance(rows, k, lambda);
    (0..k).map(|i| c[i * k + i].sqrt()).collect()
}

/// EWMA correlation matrix (of [`ewma_covariance`]).
pub fn ewma_correlation(rows: &[f64], k: usize, lambda: f64) -> Vec<f64> {
    cov_to_corr(&ewma_covariance(rows, k, lambda), k)
}

/// Each return divided by the EWMA volatility forecast made *before* it (no look-ahead),
/// row-major like `rows`. An asset with zero forecast volatility gets residual 0.
pub fn ewma_standardised(rows: &[f64], k: usize, lambda: f64) -> Vec<f64> {
    let mut s = second_moment(rows, k);
    let mut out = Vec::with_capacity(rows.len());
    for day in rows.chunks_exact(k) {
        for (a, r) in day.iter().enumerate() {
            let sd = s[a * k + a].sqrt();
            out.push(if sd > 0.0 { r / sd } else { 0.0 });
        }
        ewma_step(&mut s, day, k, lambda);
    }
    out
}

fn second_moment(rows: &[f64], k: usize) -> Vec<f64> {
    let n = (rows.len() / k).max(1) as f64;
    let mut s = vec![0.0; k * k];
    for day in rows.chunks_exact(k) {
        for i in 0..k {
            for j in 0..k {
                s[i * k + j] += day[i] * day[j] / n;
            }
        }
    }
    s
}

fn ewma_step(s: &mut [f64], day: &[f64], k: usize, lambda: f64) {
    for i in 0..k {
        for j in 0..k {
            s[i * k + j] = lambda * s[i * k + j] + (1.0 - lambda) * day[i] * day[j];
        }
    }
}

/// Lower-triangular `L` with `L Lᵀ = a` (row-major `k × k`). A matrix that is positive
/// semi-definite but singular to rounding (a duplicated asset, a perfectly correlated
/// pair) is factorised after adding a jitter of `1e-12 … 1e-8` times the mean diagonal;
/// a matrix that still fails (a negative eigenvalue) or is not symmetric is an error.
pub fn cholesky(a: &[f64], k: usize) -> Result<Vec<f64>, StatsError> {
    if a.len() != k * k {
        return Err(StatsError::Shape {
            expected: k * k,
            found: a.len(),
        });
    }
    if a.iter().any(|x| !x.is_finite()) {
        return Err(StatsError::NonFinite);
    }
    let scale = (0..k).map(|i| a[i * k + i].abs()).sum::<f64>() / k.max(1) as f64;
    for i in 0..k {
        for j in 0..i {
            if (a[i * k + j] - a[j * k + i]).abs() > 1e-9 * scale.max(f64::MIN_POSITIVE) {
                return Err(StatsError::NotPsd { pivot: i });
            }
        }
    }
    let mut last = 0;
    for jitter in [0.0, 1e-12, 1e-10, 1e-8] {
        match cholesky_plain(a, k, jitter * scale) {
            Ok(l) => return Ok(l),
            Err(pivot) => last = pivot,
        }
    }
    Err(StatsError::NotPsd { pivot: last })
}

fn cholesky_plain(a: &[f64], k: usize, jitter: f64) -> Result<Vec<f64>, usize> {
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let mut s = a[i * k + j] + if i == j { jitter } else { 0.0 };
            for m in 0..j {
                s -= l[i * k + m] * l[j * k + m];
            }
            if i == j {
                if s <= 0.0 {
                    return Err(i);
                }
                l[i * k + i] = s.sqrt();
            } else {
                l[i * k + j] = s / l[j * k + j];
            }
        }
    }
    Ok(l)
}

fn check_sample(xs: &[f64], level: f64) -> Result<(), StatsError> {
    if xs.is_empty() {
        return Err(StatsError::EmptySample);
    }
    if !(level > 0.0 && level < 1.0) {
        return Err(StatsError::BadLevel(level));
    }
    if xs.iter().any(|x| !x.is_finite()) {
        return Err(StatsError::NonFinite);
    }
    Ok(())
}

/// The `p`-quantile of an ascending `sorted` sample, interpolated as in the module docs.
/// Panics on an empty slice.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = p.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Empirical `p`-quantile of a sample (copies and sorts it).
pub fn quantile(xs: &[f64], p: f64) -> Result<f64, StatsError> {
    check_sample(xs, p)?;
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    Ok(quantile_sorted(&s, p))
}

/// VaR and ES at `level` of a sample of losses, sorting `losses` in place (no copy:
/// the backtest calls this once a day on its scratch buffer). Convention in the module
/// docs.
pub fn var_es_in_place(losses: &mut [f64], level: f64) -> Result<(f64, f64), StatsError> {
    check_sample(losses, level)?;
    losses.sort_by(f64::total_cmp);
    let var = quantile_sorted(losses, level);
    // The worst ⌈(1 − p)·n⌉ losses (at least one; a hair of slack for `1 − p` in binary),
    // not "every loss ≥ VaR": when most of the sample ties at the VaR (no bad debt on most
    // paths) the latter would average the ties in and understate the tail.
    let n = losses.len();
    let k = (((1.0 - level) * n as f64 - 1e-9).ceil() as usize).clamp(1, n);
    let tail = &losses[n - k..];
    Ok((var, mean(tail)))
}

/// Value at risk at `level` of a sample of losses (module docs).
pub fn var(losses: &[f64], level: f64) -> Result<f64, StatsError> {
    Ok(var_es_in_place(&mut losses.to_vec(), level)?.0)
}

/// Expected shortfall at `level` of a sample of losses: mean of the losses ≥ VaR.
pub fn expected_shortfall(losses: &[f64], level: f64) -> Result<f64, StatsError> {
    Ok(var_es_in_place(&mut losses.to_vec(), level)?.1)
}

/// Standard normal density.
pub fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * PI).sqrt()
}

/// Upper tail `P(Z > x)` of the standard normal, to about 1e-15 absolute (and good
/// relative accuracy far in the tail). For `|x| < 3` Marsaglia's series
/// `Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …)` (positive terms, no cancellation); beyond,
/// Laplace's continued fraction `φ(x) / (x + 1/(x + 2/(x + 3/(x + …))))`.
pub fn normal_sf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 1.0 - normal_sf(-x);
    }
    if x < 3.0 {
        let (mut term, mut sum, x2) = (x, x, x * x);
        let mut i = 1.0;
        while term > 1e-17 * sum {
            i += 2.0;
            term *= x2 / i;
            sum += term;
        }
        0.5 - normal_pdf(x) * sum
    } else if x > 40.0 {
        0.0
    } else {
        let mut t = 0.0;
        for k in (1..=300).rev() {
            t = k as f64 / (x + t);
        }
        normal_pdf(x) / (x + t)
    }
}

/// Standard normal cumulative distribution `Φ(x)`.
pub fn normal_cdf(x: f64) -> f64 {
    if x < 0.0 {
        normal_sf(-x)
    } else {
        1.0 - normal_sf(x)
    }
}

/// Standard normal quantile `Φ⁻¹(p)`: Acklam's rational approximation (relative error
/// 1.15e-9) polished by one Halley step on [`normal_cdf`], which brings it to ~1e-15.
/// ±∞ at 0 and 1, NaN outside [0, 1].
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // Halley step; the error is measured on the smaller tail to keep precision.
    let e = if p < 0.5 {
        normal_cdf(x) - p
    } else {
        (1.0 - p) - normal_sf(x)
    };
    let u = e * (2.0 * PI).sqrt() * (0.5 * x * x).exp();
    x - u / (1.0 + 0.5 * x * u)
}

/// Survival function `P(χ²₁ > x)` of the chi-square distribution with one degree of
/// freedom: `2·P(Z > √x)`; 1 for `x ≤ 0`.
pub fn chi2_1_sf(x: f64) -> f64 {
    if x.is_nan() {
        f64::NAN
    } else if x <= 0.0 {
        1.0
    } else {
        (2.0 * normal_sf(x.sqrt())).min(1.0)
    }
}

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, nine terms: ~1e-15 relative).
pub fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        return (PI / (PI * x).sin()).abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Log-likelihood of `z` under the unit-variance Student-t with `dof` degrees of
/// freedom (`dof > 2`): density `Γ((ν+1)/2) / (Γ(ν/2) √(π(ν−2))) · (1 + z²/(ν−2))^−(ν+1)/2`.
pub fn t_unit_log_likelihood(z: &[f64], dof: f64) -> f64 {
    let nu = dof;
    let c = ln_gamma((nu + 1.0) / 2.0) - ln_gamma(nu / 2.0) - 0.5 * (PI * (nu - 2.0)).ln();
    let s: f64 = z.iter().map(|x| (1.0 + x * x / (nu - 2.0)).ln()).sum();
    z.len() as f64 * c - (nu + 1.0) / 2.0 * s
}

/// Maximum-likelihood ν of the unit-variance Student-t on standardised residuals `z`,
/// searched over [`DOF_RANGE`] (grid, then golden section; see the module docs). Returns
/// the upper end for normal-looking data.
pub fn fit_t_dof(z: &[f64]) -> Result<f64, StatsError> {
    check_sample(z, 0.5)?;
    let (lo, hi) = DOF_RANGE;
    let ll = |nu: f64| t_unit_log_likelihood(z, nu);
    const GRID: usize = 48;
    let at = |i: usize| lo * (hi / lo).powf(i as f64 / (GRID - 1) as f64);
    let best = (0..GRID)
        .map(|i| (i, ll(at(i))))
        .fold((0, f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b })
        .0;
    let (mut a, mut b) = (at(best.saturating_sub(1)), at((best + 1).min(GRID - 1)));
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let (mut c, mut d) = (b - r * (b - a), a + r * (b - a));
    let (mut fc, mut fd) = (ll(c), ll(d));
    while b - a > 1e-6 * b {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - r * (b - a);
            fc = ll(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + r * (b - a);
            fd = ll(d);
        }
    }
    Ok(((a + b) / 2.0).clamp(lo, hi))
}

#[cfg(test)]
mod tests;
