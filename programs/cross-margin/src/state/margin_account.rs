//! `MarginAccount`: one user's cross-margined book of token positions.
//!
//! `group` sits at offset 8 and `owner` at offset 40 (after the discriminator) so keepers
//! can find accounts with `getProgramAccounts` memcmp filters. Perp positions took 192 of
//! the 640 bytes reserved at launch; an unused perp slot is all zeros (`active == 0`), so
//! accounts created before perps existed read as having none, without a migration.

use super::{MAX_PERP_POSITIONS, MAX_TOKEN_POSITIONS};
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

/// A perpetual future position in one market. All zeros = a free slot.
#[zero_copy]
#[derive(Debug)]
pub struct PerpPosition {
    /// Signed base position, base native units (long > 0).
    pub base: i64,
    /// Quote position, settle-token native units, I80F48: minus the entry cost of the
    /// base, plus realised PnL, minus fees, minus funding settled into it. The position's
    /// unsettled PnL is `quote − funding owed + base × price`.
    pub quote: I80F48Bytes,
    /// The market's `funding_index` when funding was last settled into `quote`. I80F48.
    pub funding_snapshot: I80F48Bytes,
    /// The market's `perp_index`.
    pub market_index: u16,
    /// Boolean: 1 = in use.
    pub active: u8,
    /// Zero.
    pub padding: [u8; 5],
}
const_assert_eq!(core::mem::size_of::<PerpPosition>(), 48);

impl PerpPosition {
    pub const FREE: Self = Self {
        base: 0,
        quote: I80F48Bytes::ZERO,
        funding_snapshot: I80F48Bytes::ZERO,
        market_index: 0,
        active: 0,
        padding: [0; 5],
    };

    pub fn is_active(&self) -> bool {
        self.active != 0
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
    /// Perp position slots (`active == 1`), in slot order after the token positions in
    /// the health accounts. A new position takes the first free slot.
    pub perp_positions: [PerpPosition; MAX_PERP_POSITIONS],
    /// Zero; room for later fields.
    pub reserved: [u8; 448],
}
const_assert_eq!(core::mem::size_of::<MarginAccount>(), 936);
const_assert_eq!(core::mem::offset_of!(MarginAccount, group), 0);
const_assert_eq!(core::mem::offset_of!(MarginAccount, owner), 32);
const_assert_eq!(core::mem::offset_of!(MarginAccount, perp_positions), 296);

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
        self.perp_positions = [PerpPosition::FREE; MAX_PERP_POSITIONS];
    }

    /// The liquidation rule (one place: every liquidation instruction, the keeper and the
    /// tools): maint health < 0, or, once a liquidation started (`being_liquidated`), init
    /// health < 0 until it is repaired.
    pub fn is_liquidatable(&self, health: &crate::health::Health) -> bool {
        health.maint < I80F48::ZERO || (self.being_liquidated != 0 && health.init < I80F48::ZERO)
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
            && self.perp_positions.iter().all(|p| !p.is_active())
    }

    /// Active perp positions in slot order, with their slot numbers.
    pub fn active_perps(&self) -> impl Iterator<Item = (usize, &PerpPosition)> {
        self.perp_positions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_active())
    }

    /// How many accounts the health accounts of this book are: a bank and an oracle per
    /// token position, a market and an oracle per perp position.
    pub fn health_account_count(&self) -> usize {
        2 * (self.active_positions().count() + self.active_perps().count())
    }

    pub fn perp_slot(&self, market_index: u16) -> Option<usize> {
        self.perp_positions
            .iter()
            .position(|p| p.is_active() && p.market_index == market_index)
    }

    /// The perp slot for `market_index`, opening the first free slot (snapshot =
    /// `funding_index`) if it has none yet.
    pub fn find_or_create_perp(
        &mut self,
        market_index: u16,
        funding_index: I80F48,
    ) -> Result<usize> {
        if let Some(slot) = self.perp_slot(market_index) {
            return Ok(slot);
        }
        let slot = self
            .perp_positions
            .iter()
            .position(|p| !p.is_active())
            .ok_or(CrossMarginError::NoFreePerpSlot)?;
        self.perp_positions[slot] = PerpPosition {
            market_index,
            active: 1,
            funding_snapshot: funding_index.into(),
            ..PerpPosition::FREE
        };
        Ok(slot)
    }

    /// Free a perp slot once it holds neither base nor quote.
    pub fn release_perp_if_empty(&mut self, slot: usize) {
        let p = &self.perp_positions[slot];
        if p.base == 0 && p.quote.get() == I80F48::ZERO {
            self.perp_positions[slot] = PerpPosition::FREE;
        }
    }
}
