//! The complete list of a group's banks, passed by hand in `remaining_accounts`.
//!
//! A new or edited bank config must be checked against every other bank of the group: a
//! pair whose fees and weights make liquidation useless (or harmful to maint health) leaves
//! accounts holding that pair unliquidatable. The program cannot enumerate accounts, so the
//! caller passes the other banks and [`check_pairs`] proves the list is complete: each is a
//! `Bank` of this program and group, none repeats or is the bank being configured, and
//! their number equals the group's `bank_count` (minus one when editing).

use crate::error::CrossMarginError;
use crate::health::retriever::load_bank;
use crate::state::{Group, LiquidationParams};
use anchor_lang::prelude::*;

/// Check the bank with `token_index`, whose liquidation parameters will be `params`, against
/// every other bank of `group`, given as `others`: all banks the group counts, except the
/// one being edited (`editing`). Every bank is taken at the loosest maint weights it has
/// until its maint ramp ends (`Bank::liquidation_params_at`), so no moment of a ramp
/// leaves a pair unliquidatable.
pub fn check_config_against_group(
    group: &AccountLoader<Group>,
    token_index: u16,
    params: &LiquidationParams,
    others: &[AccountInfo],
    editing: bool,
    program_id: &Pubkey,
    now: i64,
) -> Result<()> {
    let count = group.load()?.bank_count as usize;
    let expected = if editing {
        count.saturating_sub(1)
    } else {
        count
    };
    check_pairs(
        &group.key(),
        token_index,
        params,
        others,
        expected,
        program_id,
        now,
    )
}

/// Check `params` (the bank with `token_index`) against every other bank of `group`, given
/// as `others`; `others_expected` is how many there must be (from `Group::bank_count`).
pub fn check_pairs(
    group_key: &Pubkey,
    token_index: u16,
    params: &LiquidationParams,
    others: &[AccountInfo],
    others_expected: usize,
    program_id: &Pubkey,
    now: i64,
) -> Result<()> {
    require!(
        others.len() == others_expected,
        CrossMarginError::BankListIncomplete
    );
    for (i, info) in others.iter().enumerate() {
        require!(
            others[..i].iter().all(|o| o.key != info.key),
            CrossMarginError::BankListIncomplete
        );
        let other =
            load_bank(info, program_id).map_err(|_| CrossMarginError::BankListIncomplete)?;
        require!(
            other.group == *group_key && other.token_index != token_index,
            CrossMarginError::BankListIncomplete
        );
        if !LiquidationParams::pair_ok(params, &other.liquidation_params_at(now)) {
            msg!(
                "token {} and token {} could not be liquidated against each other",
                token_index,
                other.token_index
            );
            return err!(CrossMarginError::LiquidationPairUnsafe);
        }
    }
    Ok(())
}
