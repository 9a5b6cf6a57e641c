//! Program-derived addresses, with the seeds the program uses.

use anchor_lang::prelude::Pubkey;
use cross_margin::state::{
    ACCOUNT_SEED, BANK_SEED, CHANGE_SEED, GROUP_SEED, INSURANCE_SEED, LP_MINT_SEED, PERP_SEED,
    POOL_VAULT_SEED, VAULT_SEED,
};
use cross_margin::ID;

pub fn group(creator: &Pubkey, group_num: u32) -> Pubkey {
    Pubkey::find_program_address(
        &[GROUP_SEED, creator.as_ref(), &group_num.to_le_bytes()],
        &ID,
    )
    .0
}

pub fn bank(group: &Pubkey, token_index: u16) -> Pubkey {
    Pubkey::find_program_address(
        &[BANK_SEED, group.as_ref(), &token_index.to_le_bytes()],
        &ID,
    )
    .0
}

/// A queued admin change: `["change", group, change_id]`.
pub fn change(group: &Pubkey, change_id: u64) -> Pubkey {
    Pubkey::find_program_address(
        &[CHANGE_SEED, group.as_ref(), &change_id.to_le_bytes()],
        &ID,
    )
    .0
}

pub fn vault(bank: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[VAULT_SEED, bank.as_ref()], &ID).0
}

pub fn insurance_vault(bank: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[INSURANCE_SEED, bank.as_ref()], &ID).0
}

pub fn margin_account(group: &Pubkey, owner: &Pubkey, account_num: u32) -> Pubkey {
    Pubkey::find_program_address(
        &[
            ACCOUNT_SEED,
            group.as_ref(),
            owner.as_ref(),
            &account_num.to_le_bytes(),
        ],
        &ID,
    )
    .0
}

/// A perp market: `["perp", group, perp_index]`.
pub fn perp_market(group: &Pubkey, perp_index: u16) -> Pubkey {
    Pubkey::find_program_address(&[PERP_SEED, group.as_ref(), &perp_index.to_le_bytes()], &ID).0
}

/// A perp market's pool vault: `["pool_vault", market]`.
pub fn pool_vault(market: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[POOL_VAULT_SEED, market.as_ref()], &ID).0
}

/// A perp market's LP share mint: `["lp_mint", market]`.
pub fn lp_mint(market: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[LP_MINT_SEED, market.as_ref()], &ID).0
}
