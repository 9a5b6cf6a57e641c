//! Directed rounding for non-negative `I80F48` values.
//!
//! The protocol's rule is that every rounding favours the protocol: deposits are credited
//! down, borrows charged up, assets valued down, liabilities valued up. `fixed`'s own
//! operators do not promise a direction, so every conversion that moves value goes
//! through these helpers, which compute the exact 256-bit intermediate and round once.
//!
//! All inputs are magnitudes (≥ 0); callers apply signs. Every function returns `None`
//! instead of overflowing or dividing by zero.

use super::wide::{cmp_256, mul_shr, mul_u128};
use core::cmp::Ordering;
use fixed::types::I80F48;

const FRAC_BITS: u32 = 48;

/// Which way an inexact result goes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Round {
    /// Towards zero (all values here are non-negative).
    Down,
    /// Away from zero.
    Up,
}

#[inline]
fn magnitude(x: I80F48) -> Option<u128> {
    let bits = x.to_bits();
    (bits >= 0).then_some(bits as u128)
}

#[inline]
fn from_magnitude(bits: u128) -> Option<I80F48> {
    i128::try_from(bits).ok().map(I80F48::from_bits)
}

/// `a × b` for `a, b ≥ 0`, rounded as asked.
#[inline]
pub fn mul(a: I80F48, b: I80F48, round: Round) -> Option<I80F48> {
    from_magnitude(mul_shr(magnitude(a)?, magnitude(b)?, FRAC_BITS, round)?)
}

/// `a ÷ b` for `a ≥ 0`, `b > 0`, rounded as asked.
pub fn div(a: I80F48, b: I80F48, round: Round) -> Option<I80F48> {
    let (a_bits, b_bits) = (magnitude(a)?, magnitude(b)?);
    if b_bits == 0 {
        return None;
    }
    // Whatever direction `fixed` rounds in, q is within one unit of the exact quotient;
    // compare q × b with a << 48 exactly and step to the requested side.
    let q = magnitude(a.checked_div(b)?)?;
    let target = (a_bits >> (128 - FRAC_BITS), a_bits << FRAC_BITS);
    let q = match (cmp_256(mul_u128(q, b_bits), target), round) {
        (Ordering::Equal, _) => q,
        (Ordering::Less, Round::Down) | (Ordering::Greater, Round::Up) => q,
        (Ordering::Less, Round::Up) => q.checked_add(1)?,
        (Ordering::Greater, Round::Down) => q.checked_sub(1)?,
    };
    from_magnitude(q)
}

/// A non-negative value to whole native units, rounded as asked.
#[inline]
pub fn to_native(x: I80F48, round: Round) -> Option<u64> {
    let v = match round {
        Round::Down => x.checked_floor()?,
        Round::Up => x.checked_ceil()?,
    };
    if v < I80F48::ZERO {
        return None;
    }
    v.checked_to_num::<u64>()
}

/// Native amount to `I80F48` (always exact: 64 integer bits fit in 80).
#[inline]
pub fn from_native(amount: u64) -> I80F48 {
    I80F48::from_num(amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fx(bits: i128) -> I80F48 {
        I80F48::from_bits(bits)
    }

    #[test]
    fn simple_cases() {
        let three = I80F48::from_num(3);
        let one = I80F48::ONE;
        let third_down = div(one, three, Round::Down).unwrap();
        let third_up = div(one, three, Round::Up).unwrap();
        assert_eq!(third_up.to_bits() - third_down.to_bits(), 1);
        assert!(mul(third_down, three, Round::Up).unwrap() <= one);
        assert!(mul(third_up, three, Round::Down).unwrap() >= one);
        assert_eq!(div(one, I80F48::ZERO, Round::Down), None);
        assert_eq!(div(I80F48::from_num(-1), one, Round::Down), None);
        assert_eq!(mul(I80F48::MAX, I80F48::from_num(2), Round::Down), None);
        assert_eq!(to_native(I80F48::from_num(2.5), Round::Down), Some(2));
        assert_eq!(to_native(I80F48::from_num(2.5), Round::Up), Some(3));
        assert_eq!(to_native(I80F48::from_num(-0.5), Round::Down), None);
        assert_eq!(to_native(I80F48::MAX, Round::Down), None);
        assert_eq!(to_native(from_native(u64::MAX), Round::Up), Some(u64::MAX));
    }

    proptest! {
        /// Down ≤ exact ≤ Up, and they differ by at most one unit in the last place.
        #[test]
        fn div_brackets_exact(a in 0i128..(1i128 << 100), b in 1i128..(1i128 << 100)) {
            let down = div(fx(a), fx(b), Round::Down);
            let up = div(fx(a), fx(b), Round::Up);
            if let (Some(down), Some(up)) = (down, up) {
                let d = down.to_bits() as u128;
                let u = up.to_bits() as u128;
                let target = ((a as u128) >> 80, (a as u128) << 48);
                prop_assert!(cmp_256(mul_u128(d, b as u128), target) != Ordering::Greater);
                prop_assert!(cmp_256(mul_u128(u, b as u128), target) != Ordering::Less);
                prop_assert!(u - d <= 1);
            }
        }

        #[test]
        fn mul_brackets_exact(a in 0i128..(1i128 << 90), b in 0i128..(1i128 << 70)) {
            let down = mul(fx(a), fx(b), Round::Down).unwrap().to_bits();
            let up = mul(fx(a), fx(b), Round::Up).unwrap().to_bits();
            prop_assert!(up - down <= 1);
            let (_, lo) = mul_u128(a as u128, b as u128);
            let exact_multiple = lo & ((1u128 << 48) - 1) == 0;
            prop_assert_eq!(up == down, exact_multiple);
        }

        /// Crediting a deposit and converting it back never yields more than was paid in.
        #[test]
        fn deposit_round_trip_never_gains(amount: u64, index_bits in (1i128 << 48)..(1i128 << 60)) {
            let index = fx(index_bits);
            let indexed = div(from_native(amount), index, Round::Down).unwrap();
            let back = mul(indexed, index, Round::Down).unwrap();
            prop_assert!(back <= from_native(amount));
            prop_assert!(to_native(back, Round::Down).unwrap() <= amount);
        }
    }
}
