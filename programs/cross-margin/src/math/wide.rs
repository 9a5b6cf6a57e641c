//! Exact 256-bit products of two `u128`, and right shifts of them with explicit rounding.
//!
//! The health engine multiplies a 128-bit fixed-point balance by a 64-bit price mantissa
//! and shifts the product back; doing that in 256 bits keeps the full product, so the only
//! rounding is the one final shift, made in the direction the caller asks for.

use super::rounding::Round;

/// The full product `a * b` as `(high, low)` 128-bit halves.
#[inline]
pub fn mul_u128(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    let lo_lo = a_lo * b_lo;
    let hi_lo = a_hi * b_lo;
    let lo_hi = a_lo * b_hi;
    let hi_hi = a_hi * b_hi;
    // Middle column: fits in 130 bits, so carry it in two steps.
    let (mid, carry1) = hi_lo.overflowing_add(lo_hi);
    let (low, carry2) = lo_lo.overflowing_add(mid << 64);
    let high = hi_hi + (mid >> 64) + ((carry1 as u128) << 64) + carry2 as u128;
    (high, low)
}

/// `(a * b) >> shift`, rounded as asked; `None` when the result does not fit in `u128`.
#[inline]
pub fn mul_shr(a: u128, b: u128, shift: u32, round: Round) -> Option<u128> {
    let (high, low) = mul_u128(a, b);
    shr_256(high, low, shift, round)
}

/// `(high:low) >> shift` for a 256-bit value, rounded as asked.
#[inline]
pub fn shr_256(high: u128, low: u128, shift: u32, round: Round) -> Option<u128> {
    let (quotient_high, quotient, remainder_nonzero) = match shift {
        0 => (high, low, false),
        1..=127 => {
            let rem_mask = (1u128 << shift) - 1;
            (
                high >> shift,
                (low >> shift) | (high << (128 - shift)),
                low & rem_mask != 0,
            )
        }
        128 => (0, high, low != 0),
        129..=255 => {
            let s = shift - 128;
            (0, high >> s, low != 0 || high & ((1u128 << s) - 1) != 0)
        }
        _ => (0, 0, high != 0 || low != 0),
    };
    if quotient_high != 0 {
        return None;
    }
    match round {
        Round::Down => Some(quotient),
        Round::Up if remainder_nonzero => quotient.checked_add(1),
        Round::Up => Some(quotient),
    }
}

/// `(high:low) / divisor` for `divisor < 2^127` and a quotient that fits in `u128`
/// (`high < divisor`); returns the quotient and whether a remainder was left.
pub fn div_256(high: u128, low: u128, divisor: u128) -> Option<(u128, bool)> {
    if divisor == 0 || divisor >= 1 << 127 || high >= divisor {
        return None;
    }
    // Schoolbook long division, one bit at a time; the running remainder stays < 2^127,
    // so shifting it left never overflows.
    let mut rem = high;
    let mut quotient = 0u128;
    for bit in (0..128).rev() {
        rem = (rem << 1) | ((low >> bit) & 1);
        quotient <<= 1;
        if rem >= divisor {
            rem -= divisor;
            quotient |= 1;
        }
    }
    Some((quotient, rem != 0))
}

/// Compare the 256-bit values `(ah:al)` and `(bh:bl)`.
#[inline]
pub fn cmp_256(a: (u128, u128), b: (u128, u128)) -> core::cmp::Ordering {
    a.0.cmp(&b.0).then(a.1.cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reference product through four 64-bit limbs, schoolbook style.
    fn reference(a: u128, b: u128) -> (u128, u128) {
        let limbs = |x: u128| [x as u64, (x >> 64) as u64];
        let (la, lb) = (limbs(a), limbs(b));
        let mut out = [0u64; 4];
        for i in 0..2 {
            let mut carry: u128 = 0;
            for j in 0..2 {
                let cur = out[i + j] as u128 + (la[i] as u128) * (lb[j] as u128) + carry;
                out[i + j] = cur as u64;
                carry = cur >> 64;
            }
            out[i + 2] = carry as u64;
        }
        (
            out[2] as u128 | ((out[3] as u128) << 64),
            out[0] as u128 | ((out[1] as u128) << 64),
        )
    }

    #[test]
    fn extremes() {
        assert_eq!(mul_u128(u128::MAX, u128::MAX), (u128::MAX - 1, 1));
        assert_eq!(mul_u128(0, u128::MAX), (0, 0));
        assert_eq!(mul_shr(3, 5, 1, Round::Down), Some(7));
        assert_eq!(mul_shr(3, 5, 1, Round::Up), Some(8));
        assert_eq!(mul_shr(u128::MAX, 2, 0, Round::Down), None);
        assert_eq!(mul_shr(u128::MAX, 2, 1, Round::Down), Some(u128::MAX));
        assert_eq!(shr_256(1, 0, 128, Round::Down), Some(1));
        assert_eq!(shr_256(1, 1, 128, Round::Up), Some(2));
        assert_eq!(shr_256(5, 0, 300, Round::Up), Some(1));
        assert_eq!(shr_256(0, 0, 300, Round::Up), Some(0));
    }

    proptest! {
        #[test]
        fn product_matches_reference(a: u128, b: u128) {
            prop_assert_eq!(mul_u128(a, b), reference(a, b));
        }

        #[test]
        fn division_inverts_the_product(a: u128, d in 1u128..(1u128 << 126), extra in 0u128..1000) {
            let (hi, lo) = mul_u128(a, d);
            let lo2 = lo.wrapping_add(extra.min(d - 1));
            let hi2 = hi + (lo2 < lo) as u128;
            let (q, rem) = div_256(hi2, lo2, d).unwrap();
            prop_assert_eq!(q, a);
            prop_assert_eq!(rem, extra.min(d - 1) != 0);
        }

        #[test]
        fn rounding_brackets_the_exact_value(a: u64, b: u64, shift in 0u32..130) {
            let exact = (a as u128) * (b as u128);
            let down = mul_shr(a as u128, b as u128, shift, Round::Down).unwrap();
            let up = mul_shr(a as u128, b as u128, shift, Round::Up).unwrap();
            let expected_down = if shift >= 128 { 0 } else { exact >> shift };
            prop_assert_eq!(down, expected_down);
            let exact_fits = shift < 128 && (expected_down << shift) == exact;
            prop_assert_eq!(up, if exact_fits || exact == 0 { down } else { down + 1 });
        }
    }
}
