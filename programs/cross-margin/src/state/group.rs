//! `Group`: the root of one protocol deployment. Banks and margin accounts belong to a group,
//! and the group PDA is the token authority of every vault in it.

use crate::error::CrossMarginError;
use anchor_lang::prelude::*;
use static_assertions::const_assert_eq;

pub const GROUP_SEED: &[u8] = b"group";

#[account(zero_copy)]
#[derive(Debug)]
pub struct Group {
    /// Signed `group_create`; part of the PDA seeds.
    pub creator: Pubkey,
    /// May edit the group, register and edit banks, pause and unpause.
    pub admin: Pubkey,
    /// May only pause (an incident-response key that cannot loosen anything).
    pub security_admin: Pubkey,
    pub group_num: u32,
    pub bump: u8,
    /// 1 while paused: withdrawals and borrows are refused; deposits and repays still work.
    pub paused: u8,
    /// Banks registered so far (token indices need not be contiguous). `bank_register` and
    /// `bank_edit` check a new config against every other bank, and this count is how they
    /// know the list they were given is complete.
    pub bank_count: u16,
    pub reserved: [u8; 128],
}
const_assert_eq!(core::mem::size_of::<Group>(), 232);

impl Group {
    pub const SPACE: usize = 8 + core::mem::size_of::<Group>();

    pub fn is_paused(&self) -> bool {
        self.paused != 0
    }

    /// What the group PDA needs to sign a vault transfer, copied out so the group account is
    /// not borrowed while the token program runs. Fails with `GroupPaused` while paused: every
    /// instruction that moves tokens out of a vault is one a pause must stop.
    pub fn unpaused_signer(&self) -> Result<GroupSigner> {
        require!(!self.is_paused(), CrossMarginError::GroupPaused);
        Ok(GroupSigner {
            creator: self.creator,
            group_num: self.group_num.to_le_bytes(),
            bump: [self.bump],
        })
    }
}

/// An owned copy of the group PDA's signer seeds.
#[derive(Copy, Clone, Debug)]
pub struct GroupSigner {
    creator: Pubkey,
    group_num: [u8; 4],
    bump: [u8; 1],
}

impl GroupSigner {
    pub fn seeds(&self) -> [&[u8]; 4] {
        [
            GROUP_SEED,
            self.creator.as_ref(),
            &self.group_num,
            &self.bump,
        ]
    }
}
