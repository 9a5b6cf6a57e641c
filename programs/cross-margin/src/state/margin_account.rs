//! `MarginAccount`: one user's cross-margined book of token positions.
//!
//! `group` sits at offset 8 and `owner` at offset 40 (after the discriminator) so keepers
//! can find accounts with `getProgramAccounts` memcmp filters. 640 reserved bytes leave room
//! for perpetual positions without migrating existing accounts.

use super::MAX_TOKEN_POSITIONS;
use crate::error::CrossMarginError;
use crate::math::{I80F48Bytes, I80F48};
use anchor_lang::prelude::*;
use static_assertions::const_assert_eq;

pub const ACCOUNT_SEED: &[u8] = b"account";
/// `token_index` of an unused position slot.
pub const FREE_TOKEN_INDEX: u16 = u16::MAX;

/// A balance in one bank: positive indexed balance = deposit, negative = borrow.
#[zero_copy]
#[derive(Debug)]
pub struct TokenPosition {
    /// Indexed balance, I80F48 (value = bits / 2^48, bits = the 16 bytes as a
    /// little-endian i128). Native amount: `indexed × bank.deposit_index` when positive (a
    /// deposit), `indexed × bank.borrow_index` when negative (a debt).
    pub indexed: I80F48Bytes,
    /// The bank's `token_index`, or 65535 (`FREE_TOKEN_INDEX`) for a free slot.
    pub token_index: u16,
    /// Zero.
    pub padding: [u8; 6],
}
const_assert_eq!(core::mem::size_of::<TokenPosition>(), 24);

impl TokenPosition {
    pub const FREE: Self = Self {
        indexed: I80F48Bytes::ZERO,
        token_index: FREE_TOKEN_INDEX,
        padding: [0; 6],
    };

    pub fn is_active(&self) -> bool {
        self.token_index != FREE_TOKEN_INDEX
    }
}

/// One user's cross-margined book: PDA `["account", group, owner, account_num (u32 LE)]`.
#[account(zero_copy)]
#[derive(Debug)]
pub struct MarginAccount {
    /// At byte 8 of the account data (memcmp filter).
    pub group: Pubkey,
    /// At byte 40 of the account data (memcmp filter). Signs `account_close` and
    /// `account_set_delegate`.
    pub owner: Pubkey,
    /// May withdraw and borrow for the owner; may not close or re-delegate.
    /// `Pubkey::default()` = none.
    pub delegate: Pubkey,
    /// Chosen by the owner; part of the PDA seeds (u32 little-endian).
    pub account_num: u32,
    /// Bump of the account PDA.
    pub bump: u8,
    /// Boolean: 1 from the first liquidation until init health is back to ≥ 0 (while set,
    /// the account stays liquidatable at init health < 0), else 0.
    pub being_liquidated: u8,
    /// Zero.
    pub padding: [u8; 2],
    /// Position slots. Active slots (`token_index` ≠ 65535) need not be contiguous; health
    /// accounts list them in slot order. A new position takes the first free slot.
    pub token_positions: [TokenPosition; MAX_TOKEN_POSITIONS],
    /// Zero; room for perpetual positions.
    pub reserved: [u8; 640],
}
const_assert_eq!(core::mem::size_of::<MarginAccount>(), 936);
const_assert_eq!(core::mem::offset_of!(MarginAccount, group), 0);
const_assert_eq!(core::mem::offset_of!(MarginAccount, owner), 32);

impl MarginAccount {
    pub const SPACE: usize = 8 + core::mem::size_of::<MarginAccount>();
    /// Offsets of the memcmp-filterable fields within the account data.
    pub const GROUP_OFFSET: usize = 8;
    pub const OWNER_OFFSET: usize = 40;

    pub fn init(&mut self, group: Pubkey, owner: Pubkey, account_num: u32, bump: u8) {
        self.group = group;
        self.owner = owner;
        self.delegate = Pubkey::default();
        self.account_num = account_num;
        self.bump = bump;
        self.being_liquidated = 0;
        self.token_positions = [TokenPosition::FREE; MAX_TOKEN_POSITIONS];
    }

    pub fn is_owner_or_delegate(&self, signer: &Pubkey) -> bool {
        self.owner == *signer || (self.delegate != Pubkey::default() && self.delegate == *signer)
    }

    /// Active positions in slot order, with their slot numbers.
    pub fn active_positions(&self) -> impl Iterator<Item = (usize, &TokenPosition)> {
        self.token_positions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_active())
    }

    pub fn position_slot(&self, token_index: u16) -> Option<usize> {
        self.token_positions
            .iter()
            .position(|p| p.is_active() && p.token_index == token_index)
    }

    /// The slot for `token_index`, taking the first free slot if it has none yet.
    pub fn find_or_create_position(&mut self, token_index: u16) -> Result<usize> {
        if let Some(slot) = self.position_slot(token_index) {
            return Ok(slot);
        }
        let slot = self
            .token_positions
            .iter()
            .position(|p| !p.is_active())
            .ok_or(CrossMarginError::NoFreePositionSlot)?;
        self.token_positions[slot] = TokenPosition {
            token_index,
            ..TokenPosition::FREE
        };
        Ok(slot)
    }

    /// Free the slot if its balance is exactly zero.
    pub fn release_if_empty(&mut self, slot: usize) {
        if self.token_positions[slot].indexed.get() == I80F48::ZERO {
            self.token_positions[slot] = TokenPosition::FREE;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.token_positions
            .iter()
            .all(|p| !p.is_active() && p.indexed.get() == I80F48::ZERO)
    }
}
