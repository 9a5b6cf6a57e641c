//! `Group`: the root of one protocol deployment. Banks and margin accounts belong to a group,
//! and the group PDA is the token authority of every vault in it.

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
    pub padding: [u8; 2],
    pub reserved: [u8; 128],
}
const_assert_eq!(core::mem::size_of::<Group>(), 232);

impl Group {
    pub const SPACE: usize = 8 + core::mem::size_of::<Group>();

    pub fn is_paused(&self) -> bool {
        self.paused != 0
    }

    pub fn signer_seeds(&self) -> [&[u8]; 4] {
        [
            GROUP_SEED,
            self.creator.as_ref(),
            bytemuck::bytes_of(&self.group_num),
            core::slice::from_ref(&self.bump),
        ]
    }
}
