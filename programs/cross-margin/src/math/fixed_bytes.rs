//! `I80F48` stored as 16 little-endian bytes.
//!
//! `i128` is 16-byte aligned on x86-64 but 8-byte aligned on SBF, so putting `I80F48`
//! directly into a `#[repr(C)]` zero-copy account would give the same struct two layouts.
//! Storing the raw bits as `[u8; 16]` (alignment 1) keeps one layout on every target.

use anchor_lang::prelude::*;
use fixed::types::I80F48;

/// An `I80F48` with alignment 1, for zero-copy account fields. (`zero_copy` gives it the
/// `Pod` layout and, with `idl-build`, its IDL description: 16 little-endian bytes.)
#[zero_copy]
#[derive(Default, PartialEq, Eq)]
pub struct I80F48Bytes {
    pub bits: [u8; 16],
}

impl I80F48Bytes {
    pub const ZERO: Self = Self { bits: [0; 16] };

    #[inline]
    pub fn get(&self) -> I80F48 {
        I80F48::from_bits(i128::from_le_bytes(self.bits))
    }

    #[inline]
    pub fn set(&mut self, value: I80F48) {
        self.bits = value.to_bits().to_le_bytes();
    }
}

impl From<I80F48> for I80F48Bytes {
    fn from(value: I80F48) -> Self {
        Self {
            bits: value.to_bits().to_le_bytes(),
        }
    }
}

impl core::fmt::Debug for I80F48Bytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trips(bits: i128) {
            let v = I80F48::from_bits(bits);
            prop_assert_eq!(I80F48Bytes::from(v).get(), v);
        }
    }
}
