//! Prices in quote-native units per native token, kept as a binary float.
//!
//! A bank's price is `mantissa × 10^expo` dollars per whole token; health needs quote-native
//! units (USD with 6 decimals) per *native* unit, i.e. `mantissa × 10^(expo + 6 − decimals)`.
//! Across the supported range ($0.000001 … $1,000,000 per token, 0 … 18 decimals) that spans
//! about 10^-18 … 10^12, which no 128-bit fixed-point type holds to 1e-9 precision at both
//! ends. So a price is stored as `m × 2^-shift` with a normalised 64-bit `m`: relative
//! precision 2^-63 everywhere. Valuing an `I80F48` balance is then one exact 128 × 64-bit
//! product and one shift ([`NativePrice::value`]), which is also what makes health fast.
//!
//! Construction folds in the risk weight, so a health evaluation does one multiplication per
//! position per health kind. Every step records whether bits were dropped, so the caller's
//! rounding direction (assets down, liabilities up) is honoured exactly.

use crate::math::{wide, Round};

/// `mantissa × 2^-shift` quote-native units per native unit; `mantissa == 0` is a zero price.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct NativePrice {
    pub mantissa: u64,
    pub shift: u32,
}

/// Largest right shift a price may need: 2^-255 is far below any real price.
const MAX_SHIFT: i32 = 255;

/// A 128-bit working value `m × 2^-shift` that remembers whether it was truncated.
struct Working {
    m: u128,
    shift: i32,
    inexact: bool,
}

impl Working {
    fn normalise(&mut self) {
        if self.m != 0 {
            let lz = self.m.leading_zeros();
            self.m <<= lz;
            self.shift += lz as i32;
        }
    }

    /// Multiply or divide by `10^exp10`, keeping ≥ 64 significant bits at every step.
    fn scale_pow10(&mut self, mut exp10: i32) {
        while exp10 != 0 && self.m != 0 {
            let step = exp10.unsigned_abs().min(19);
            let factor = 10u128.pow(step);
            self.normalise();
            if exp10 > 0 {
                // Make room: drop to 64 significant bits, then the product fits in 128.
                self.inexact |= self.m as u64 != 0;
                self.m >>= 64;
                self.shift -= 64;
                self.m *= factor;
                exp10 -= step as i32;
            } else {
                self.inexact |= !self.m.is_multiple_of(factor);
                self.m /= factor;
                exp10 += step as i32;
            }
        }
        self.normalise();
    }

    fn finish(mut self, round: Round) -> Option<NativePrice> {
        if self.m == 0 {
            return Some(NativePrice::ZERO);
        }
        self.normalise();
        self.inexact |= self.m as u64 != 0;
        let mut mantissa = (self.m >> 64) as u64;
        let mut shift = self.shift - 64;
        if round == Round::Up && self.inexact {
            match mantissa.checked_add(1) {
                Some(m) => mantissa = m,
                None => {
                    mantissa = 1 << 63;
                    shift -= 1;
                }
            }
        }
        if !(0..=MAX_SHIFT).contains(&shift) {
            return None;
        }
        Some(NativePrice {
            mantissa,
            shift: shift as u32,
        })
    }
}

impl NativePrice {
    pub const ZERO: Self = Self {
        mantissa: 0,
        shift: 0,
    };

    /// `value × weight_bps / 10^4 × 10^exp10`, rounded as asked. `None` if the result is
    /// at least 2^64 quote-native units per native unit (no real token is priced so).
    pub fn from_decimal(value: u64, weight_bps: u32, exp10: i32, round: Round) -> Option<Self> {
        let mut w = Working {
            m: value as u128 * weight_bps as u128,
            shift: 0,
            inexact: false,
        };
        w.scale_pow10(exp10.checked_sub(4)?);
        w.finish(round)
    }

    /// `self × other`, rounded as asked.
    pub fn mul(&self, other: &NativePrice, round: Round) -> Option<Self> {
        let w = Working {
            m: self.mantissa as u128 * other.mantissa as u128,
            shift: self.shift as i32 + other.shift as i32,
            inexact: false,
        };
        w.finish(round)
    }

    /// `self × bps / 10^4`, rounded as asked.
    pub fn scale_bps(&self, bps: u32, round: Round) -> Option<Self> {
        let mut w = Working {
            m: self.mantissa as u128 * bps as u128,
            shift: self.shift as i32,
            inexact: false,
        };
        w.scale_pow10(-4);
        w.finish(round)
    }

    /// `1 / self`, rounded as asked; `None` for a zero or extremely small price.
    pub fn recip(&self, round: Round) -> Option<Self> {
        if self.mantissa == 0 {
            return None;
        }
        // 1 / (m · 2^-s) = (2^127 / m) · 2^-(127 - s), and 2^127 / m has 64 significant bits.
        let numerator = 1u128 << 127;
        let m = self.mantissa as u128;
        let w = Working {
            m: numerator / m,
            shift: 127 - self.shift as i32,
            inexact: !numerator.is_multiple_of(m),
        };
        w.finish(round)
    }

    /// Value of a non-negative `I80F48` amount, given as raw bits; the result is raw
    /// `I80F48` bits. `None` if it does not fit in `i128`.
    #[inline]
    pub fn value_bits(&self, amount_bits: u128, round: Round) -> Option<u128> {
        let v = wide::mul_shr(amount_bits, self.mantissa as u128, self.shift, round)?;
        (v <= i128::MAX as u128).then_some(v)
    }

    /// The price as an `f64`, for display only.
    pub fn to_f64(&self) -> f64 {
        self.mantissa as f64 * (-(self.shift as f64)).exp2()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fixed::types::I80F48;
    use proptest::prelude::*;

    fn value(price: &NativePrice, native: u64, round: Round) -> f64 {
        let bits = I80F48::from_num(native).to_bits() as u128;
        I80F48::from_bits(price.value_bits(bits, round).unwrap() as i128).to_num::<f64>()
    }

    #[test]
    fn exact_simple_prices() {
        // $1.00 with expo -2 and 6 decimals: one quote-native unit per native unit.
        let p = NativePrice::from_decimal(100, 10_000, -2 + 6 - 6, Round::Down).unwrap();
        assert_eq!(value(&p, 1_000_000, Round::Down), 1_000_000.0);
        // $150 (9 decimals) at weight 0.8 on 20 tokens = $2,400.
        let p = NativePrice::from_decimal(150, 8_000, 6 - 9, Round::Down).unwrap();
        let v = value(&p, 20_000_000_000, Round::Down);
        assert!((v - 2_400_000_000.0).abs() < 1e-6, "{v}");
        assert_eq!(
            NativePrice::from_decimal(0, 10_000, 0, Round::Up),
            Some(NativePrice::ZERO)
        );
        // 2^70 quote units per native unit is refused rather than wrapped.
        assert_eq!(
            NativePrice::from_decimal(u64::MAX, 10_000, 30, Round::Up),
            None
        );
    }

    #[test]
    fn arithmetic_on_prices() {
        let three = NativePrice::from_decimal(3, 10_000, 0, Round::Down).unwrap();
        let half = NativePrice::from_decimal(5, 10_000, -1, Round::Down).unwrap();
        assert_eq!(three.mul(&half, Round::Down).unwrap().to_f64(), 1.5);
        assert_eq!(half.recip(Round::Down).unwrap().to_f64(), 2.0);
        let third_down = three.recip(Round::Down).unwrap();
        let third_up = three.recip(Round::Up).unwrap();
        assert!(third_down.to_f64() <= 1.0 / 3.0 && third_up.to_f64() >= 1.0 / 3.0);
        assert_eq!(three.scale_bps(15_000, Round::Up).unwrap().to_f64(), 4.5);
        assert_eq!(NativePrice::ZERO.recip(Round::Up), None);
    }

    proptest! {
        #[test]
        fn recip_and_mul_bracket_exact(a in 1u64..1_000_000_000_000, e in -18i32..=0, b in 1u64..1_000_000) {
            let p = NativePrice::from_decimal(a, 10_000, e, Round::Down).unwrap();
            let q = NativePrice::from_decimal(b, 10_000, 0, Round::Down).unwrap();
            let (rd, ru) = (p.recip(Round::Down).unwrap(), p.recip(Round::Up).unwrap());
            prop_assert!(rd.to_f64() <= ru.to_f64());
            prop_assert!((rd.to_f64() * p.to_f64() - 1.0).abs() < 1e-15);
            let (md, mu) = (p.mul(&q, Round::Down).unwrap(), p.mul(&q, Round::Up).unwrap());
            prop_assert!(md.to_f64() <= mu.to_f64());
            let exact = p.to_f64() * q.to_f64();
            prop_assert!(((md.to_f64() - exact) / exact).abs() < 1e-15);
        }

        /// Down ≤ exact ≤ Up, and both within 1e-12 relative, for $1e-6 … $1e6 and 0 … 18
        /// decimals, and any amount worth at least one quote-native unit.
        #[test]
        fn precise_across_the_range(
            mantissa in 1u64..10_000_000_000,
            expo in -12i32..=0,
            decimals in prop::sample::select(vec![0u8, 6, 8, 9, 18]),
            weight_bps in 1u32..=30_000,
            native in 1u64..=u64::MAX,
        ) {
            let dollars = mantissa as f64 * 10f64.powi(expo);
            prop_assume!((1e-6..=1e6).contains(&dollars));
            let exp10 = expo + 6 - decimals as i32;
            let down = NativePrice::from_decimal(mantissa, weight_bps, exp10, Round::Down).unwrap();
            let up = NativePrice::from_decimal(mantissa, weight_bps, exp10, Round::Up).unwrap();
            let exact = native as f64 * mantissa as f64 * weight_bps as f64 / 1e4
                * 10f64.powi(exp10);
            prop_assume!((1.0..1e23).contains(&exact));
            let vd = value(&down, native, Round::Down);
            let vu = value(&up, native, Round::Up);
            prop_assert!(vd <= vu);
            prop_assert!(((vd - exact) / exact).abs() < 1e-12, "down {} exact {}", vd, exact);
            prop_assert!(((vu - exact) / exact).abs() < 1e-12, "up {} exact {}", vu, exact);
        }
    }
}
