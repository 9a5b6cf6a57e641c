//! Checking and writing a bank config change, wherever it comes from: `bank_edit` (at
//! once: tightening on a live group, anything during setup), `bank_queue_edit` (checked
//! when queued) and `bank_apply_edit` (checked again when applied, since the world may have
//! moved during the timelock).
//!
//! A change passes when the config is consistent (`BankConfig::validate`), each loosening
//! field stays within its per-change step on a live group (`guard::classify`), a new oracle
//! is owned by Pyth, canonical and valid, and every pair with the group's other banks stays
//! liquidatable at the loosest weights either bank has during its maint ramp (`bank_list`).

use crate::bank_list::check_config_against_group;
use crate::error::CrossMarginError;
use crate::guard::classify::{bank_fields, first_loosening, first_oversized_step, BANK_RULES};
use crate::health::OraclePrice;
use crate::instructions::bank_register::check_oracle;
use crate::state::{Bank, BankConfig, Group};
use anchor_lang::prelude::*;

/// A change that passed [`check`]: the new oracle's feed id and price, if it changes.
pub struct CheckedChange {
    pub new_oracle: Option<([u8; 32], OraclePrice)>,
}

/// Whether `oracle` / `config.oracle_kind` replace the bank's oracle.
pub fn oracle_changes(bank: &Bank, oracle: &Pubkey, config: &BankConfig) -> bool {
    bank.oracle != *oracle || bank.oracle_kind != config.oracle_kind as u8
}

/// The first field of `config` (or the oracle) that loosens the bank's current settings.
pub fn first_loosening_field(
    bank: &Bank,
    oracle: &Pubkey,
    config: &BankConfig,
) -> Result<Option<&'static str>> {
    if oracle_changes(bank, oracle, config) {
        return Ok(Some("oracle"));
    }
    let current = bank_fields(&bank.config()?);
    Ok(first_loosening(&BANK_RULES, &current, &bank_fields(config)))
}

/// Every check a change must pass before it is written (see module docs).
#[allow(clippy::too_many_arguments)]
pub fn check<'info>(
    group: &AccountLoader<'info, Group>,
    bank: &Bank,
    config: &BankConfig,
    oracle: &AccountInfo<'info>,
    others: &[AccountInfo<'info>],
    program_id: &Pubkey,
    now: i64,
) -> Result<CheckedChange> {
    config.validate()?;
    let (live, ramp) = {
        let g = group.load()?;
        (g.is_live(), g.maint_ramp())
    };
    if live {
        let current = bank_fields(&bank.config()?);
        if let Some(field) = first_oversized_step(&BANK_RULES, &current, &bank_fields(config)) {
            msg!("{} loosens by more than one step allows", field);
            return err!(CrossMarginError::LooseningStepTooLarge);
        }
    }
    let new_oracle = if oracle_changes(bank, oracle.key, config) {
        Some(check_oracle(oracle, config)?)
    } else {
        None
    };
    // The pair check sees the bank as it will be, ramp included.
    let mut preview = *bank;
    preview.apply_config(config, now, ramp);
    check_config_against_group(
        group,
        bank.token_index,
        &preview.liquidation_params_at(now),
        others,
        true,
        program_id,
        now,
    )?;
    Ok(CheckedChange { new_oracle })
}

/// Write a checked change to the bank at `key` and emit `BankConfigured`: interest is
/// accrued under the old curve first (a rate change is never retroactive), tightened maint
/// weights ramp on a live group, a new oracle restarts the last valid and stable prices.
pub fn write(
    key: Pubkey,
    bank: &mut Bank,
    config: &BankConfig,
    oracle: Pubkey,
    checked: &CheckedChange,
    ramp: Option<u32>,
    now: i64,
) -> Result<()> {
    bank.accrue_interest(now)?;
    bank.apply_config(config, now, ramp);
    if let Some((feed_id, price)) = &checked.new_oracle {
        bank.set_oracle(oracle, *feed_id, price, now);
    }
    emit!(crate::events::BankConfigured {
        group: bank.group,
        bank: key,
        token_index: bank.token_index,
        mint: bank.mint,
        oracle: bank.oracle,
        created: false,
    });
    Ok(())
}
