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
    /// Boolean: 1 = `settle_token_index` is recorded (positions opened before it existed
    /// read 0 and are treated as needing a free slot for an unknown settle token).
    pub settle_recorded: u8,
    /// The market's `settle_token_index`, so the account can keep a token slot for it:
    /// settling, perp bankruptcy and auto-deleveraging pay into that token's position.
    pub settle_token_index: u16,
    /// Zero.
    pub padding: [u8; 2],
}
const_assert_eq!(core::mem::size_of::<PerpPosition>(), 48);

impl PerpPosition {
    pub const FREE: Self = Self {
        base: 0,
        quote: I80F48Bytes::ZERO,
        funding_snapshot: I80F48Bytes::ZERO,
        market_index: 0,
        active: 0,
        settle_recorded: 0,
        settle_token_index: 0,
        padding: [0; 2],
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
    ///
    /// A new slot may not take the last one an open perp position needs for its settle
    /// token (`SettleSlotReserved`): settling a perp's PnL, writing off its bankrupt loss
    /// and auto-deleveraging it all move tokens through that token's position, so an
    /// account that filled every slot with other tokens could neither be settled nor
    /// deleveraged (its loss unliquidatable, its profit immune to ADL).
    pub fn find_or_create_position(&mut self, token_index: u16) -> Result<usize> {
        self.reserve_slots(&[token_index])?;
        self.open_position(token_index)
    }

    /// [`Self::find_or_create_position`] for two tokens at once (a liquidator taking an
    /// asset and a liability), in that order; the reservation counts both, so taking a
    /// settle token as the second one is not refused at the first.
    pub fn find_or_create_positions(&mut self, first: u16, second: u16) -> Result<(usize, usize)> {
        self.reserve_slots(&[first, second])?;
        Ok((self.open_position(first)?, self.open_position(second)?))
    }

    /// Refuses opening slots for `tokens` when they would take a slot an open perp needs.
    fn reserve_slots(&self, tokens: &[u16]) -> Result<()> {
        let mut new = 0;
        for (i, t) in tokens.iter().enumerate() {
            if self.position_slot(*t).is_none() && !tokens[..i].contains(t) {
                new += 1;
            }
        }
        // Tokens already held take no slot: depositing, repaying or withdrawing them is
        // never refused by the reservation.
        if new == 0 {
            return Ok(());
        }
        let free = self.free_token_slots();
        require!(new <= free, CrossMarginError::NoFreePositionSlot);
        require!(
            free - new >= self.settle_slots_needed(tokens, None),
            CrossMarginError::SettleSlotReserved
        );
        Ok(())
    }

    fn open_position(&mut self, token_index: u16) -> Result<usize> {
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

    /// Record that the perp position in `market_index` (if any) settles in
    /// `settle_token_index`, so the reservation counts it exactly (positions opened before
    /// the field existed count as one unknown settle token until recorded).
    pub fn record_settle_token(&mut self, market_index: u16, settle_token_index: u16) {
        if let Some(slot) = self.perp_slot(market_index) {
            let p = &mut self.perp_positions[slot];
            p.settle_recorded = 1;
            p.settle_token_index = settle_token_index;
        }
    }

    /// Free token position slots.
    pub fn free_token_slots(&self) -> usize {
        self.token_positions
            .iter()
            .filter(|p| !p.is_active())
            .count()
    }

    /// Token slots the open perp positions (and `opening`, a settle token about to gain a
    /// perp) still need for their settle tokens: one per distinct settle token the account
    /// holds no position in, other than `taking` (the tokens new slots are for), and one
    /// for all positions whose settle token was never recorded.
    pub fn settle_slots_needed(&self, taking: &[u16], opening: Option<u16>) -> usize {
        let mut missing: [u16; MAX_PERP_POSITIONS + 1] = [0; MAX_PERP_POSITIONS + 1];
        let mut count = 0;
        let mut unknown = false;
        let settles = self
            .active_perps()
            .map(|(_, p)| (p.settle_recorded != 0).then_some(p.settle_token_index))
            .chain(opening.map(Some));
        for settle in settles {
            match settle {
                None => unknown = true,
                Some(t) => {
                    let held = self.position_slot(t).is_some() || taking.contains(&t);
                    if !held && !missing[..count].contains(&t) {
                        missing[count] = t;
                        count += 1;
                    }
                }
            }
        }
        count + usize::from(unknown)
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
    /// `funding_index`, settle token `settle_token_index` recorded) if it has none yet.
    /// A new position needs a token slot for its settle token: held already, or free
    /// beyond those the other positions need (`SettleSlotReserved`).
    pub fn find_or_create_perp(
        &mut self,
        market_index: u16,
        settle_token_index: u16,
        funding_index: I80F48,
    ) -> Result<usize> {
        if let Some(slot) = self.perp_slot(market_index) {
            self.record_settle_token(market_index, settle_token_index);
            return Ok(slot);
        }
        let slot = self
            .perp_positions
            .iter()
            .position(|p| !p.is_active())
            .ok_or(CrossMarginError::NoFreePerpSlot)?;
        if self.free_token_slots() < self.settle_slots_needed(&[], Some(settle_token_index)) {
            return err!(CrossMarginError::SettleSlotReserved);
        }
        self.perp_positions[slot] = PerpPosition {
            market_index,
            active: 1,
            settle_recorded: 1,
            settle_token_index,
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

#[cfg(test)]
mod tests {
    use super::*;

    const USDC: u16 = 0;

    fn account_with_tokens(tokens: &[u16]) -> MarginAccount {
        let mut a: MarginAccount = bytemuck::Zeroable::zeroed();
        a.init(Pubkey::default(), Pubkey::default(), 0, 0);
        for &t in tokens {
            let slot = a.find_or_create_position(t).unwrap();
            a.token_positions[slot].indexed.set(I80F48::ONE);
        }
        a
    }

    /// The error's number, to compare with [`num`].
    fn code(e: anchor_lang::error::Error) -> u32 {
        match e {
            anchor_lang::error::Error::AnchorError(a) => a.error_code_number,
            other => panic!("unexpected {other:?}"),
        }
    }

    fn num(e: CrossMarginError) -> u32 {
        anchor_lang::error::ERROR_CODE_OFFSET + e as u32
    }

    /// A perp settled in USDC keeps one slot for USDC: the other tokens may fill all but
    /// it, and USDC itself may always take it.
    #[test]
    fn an_open_perp_keeps_a_slot_for_its_settle_token() {
        let mut a = account_with_tokens(&[1, 2, 3, 4, 5, 6]);
        a.find_or_create_perp(0, USDC, I80F48::ZERO).unwrap();
        assert_eq!(a.settle_slots_needed(&[], None), 1);
        // 2 free slots: one more token fits, the last is USDC's.
        a.find_or_create_position(7).unwrap();
        assert_eq!(
            code(a.find_or_create_position(8).unwrap_err()),
            num(CrossMarginError::SettleSlotReserved)
        );
        assert_eq!(
            code(a.find_or_create_positions(8, 9).unwrap_err()),
            num(CrossMarginError::NoFreePositionSlot)
        );
        let slot = a.find_or_create_position(USDC).unwrap();
        assert_eq!(a.settle_slots_needed(&[], None), 0);
        assert_eq!(a.free_token_slots(), 0);
        // Held tokens are found, never refused.
        assert_eq!(a.find_or_create_position(USDC).unwrap(), slot);
        assert!(a.find_or_create_position(7).is_ok());
    }

    /// Two tokens at once count together: a liquidator taking an asset and USDC (its
    /// perp's settle token) as its last two slots is not refused at the first.
    #[test]
    fn two_new_slots_are_reserved_together() {
        let mut a = account_with_tokens(&[1, 2, 3, 4, 5, 6]);
        a.find_or_create_perp(0, USDC, I80F48::ZERO).unwrap();
        let (x, y) = a.find_or_create_positions(7, USDC).unwrap();
        assert_ne!(x, y);
        assert_eq!(a.settle_slots_needed(&[], None), 0);
    }

    /// A new perp needs its settle token held or a free slot for it; perps on distinct
    /// settle tokens need one each, the same settle token one in all.
    #[test]
    fn a_new_perp_needs_room_for_its_settle_token() {
        let mut a = account_with_tokens(&[1, 2, 3, 4, 5, 6, 7]);
        a.find_or_create_perp(0, USDC, I80F48::ZERO).unwrap();
        a.find_or_create_perp(1, USDC, I80F48::ZERO).unwrap();
        assert_eq!(a.settle_slots_needed(&[], None), 1);
        assert_eq!(
            code(a.find_or_create_perp(2, 9, I80F48::ZERO).unwrap_err()),
            num(CrossMarginError::SettleSlotReserved)
        );
        // A settle token the account holds needs no slot.
        a.find_or_create_perp(2, 1, I80F48::ZERO).unwrap();
        // A full account without the settle token cannot open a perp at all.
        let mut full = account_with_tokens(&[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(
            code(full.find_or_create_perp(0, USDC, I80F48::ZERO).unwrap_err()),
            num(CrossMarginError::SettleSlotReserved)
        );
    }

    /// A token the account holds is never refused, even when the account has fewer free
    /// slots than its perps need (positions recorded late): repaying and settling go on.
    #[test]
    fn held_tokens_are_never_refused() {
        let mut a = account_with_tokens(&[1, 2, 3, 4, 5, 6, 7]);
        for (slot, market) in [(0, 3u16), (1, 4)] {
            a.perp_positions[slot] = PerpPosition {
                market_index: market,
                active: 1,
                ..PerpPosition::FREE
            };
        }
        // Recording one as USDC (not held) raises the need to two with one slot free.
        a.record_settle_token(3, USDC);
        assert_eq!(a.settle_slots_needed(&[], None), 2);
        assert!(a.find_or_create_position(7).is_ok());
        assert!(a.find_or_create_positions(1, 2).is_ok());
        // Settling records the position first; USDC then takes the slot.
        a.record_settle_token(4, USDC);
        assert!(a.find_or_create_position(USDC).is_ok());
    }

    /// Positions opened before the settle token was recorded keep one slot free for all
    /// of them; re-opening the slot records it.
    #[test]
    fn unrecorded_settle_tokens_keep_one_slot() {
        let mut a = account_with_tokens(&[1, 2, 3, 4, 5, 6]);
        a.perp_positions[0] = PerpPosition {
            market_index: 3,
            active: 1,
            ..PerpPosition::FREE
        };
        a.perp_positions[1] = PerpPosition {
            market_index: 4,
            active: 1,
            ..PerpPosition::FREE
        };
        assert_eq!(a.settle_slots_needed(&[], None), 1);
        a.find_or_create_position(7).unwrap();
        assert_eq!(
            code(a.find_or_create_position(8).unwrap_err()),
            num(CrossMarginError::SettleSlotReserved)
        );
        a.find_or_create_perp(3, 1, I80F48::ZERO).unwrap();
        a.find_or_create_perp(4, 1, I80F48::ZERO).unwrap();
        assert_eq!(a.settle_slots_needed(&[], None), 0);
        a.find_or_create_position(8).unwrap();
    }
}
