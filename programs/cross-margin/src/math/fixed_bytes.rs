//! `I80F48` stored as 16 little-endian bytes.
//!
//! `i128` is 16-byte aligned on x86-64 but 8-byte aligned on SBF, so putting `I80F48`
//! directly into a `#[repr(C)]` zero-copy account would give the same struct two layouts.
//! Storing the raw bits as `[u8; 16]` (alignment 1) keeps one layout on every target.

use bytemuck::{Pod, Zeroable};
use fixed::types::I80F48;

/// An `I80F48` with alignment 1, for zero-copy account fields.
#[derive(Copy, Clone, Default, PartialEq, Eq, Pod, Zeroable)]
#[repr(transparent)]
pub struct I80F48Bytes([u8; 16]);

impl I80F48Bytes {
    pub const ZERO: Self = Self([0; 16]);

    #[inline]
    pub fn get(&self) -> I80F48 {
        I80F48::from_bits(i128::from_le_bytes(self.0))
    }

    #[inline]
    pub fn set(&mut self, value: I80F48) {
        self.0 = value.to_bits().to_le_bytes();
    }
}

impl From<I80F48> for I80F48Bytes {
    fn from(value: I80F48) -> Self {
        Self(value.to_bits().to_le_bytes())
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
