//! One builder per instruction. Each returns a ready `Instruction`; health accounts are
//! appended by the caller from [`crate::health_accounts`].

use crate::pda;
use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use cross_margin::state::{BankConfig, GroupSettings};
use cross_margin::{accounts, instruction, ID};

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

pub fn group_create(creator: &Pubkey, group_num: u32, security_admin: &Pubkey) -> Instruction {
    build(
        accounts::GroupCreate {
            creator: *creator,
            group: pda::group(creator, group_num),
            system_program: system_program::ID,
        },
        instruction::GroupCreate {
            group_num,
            security_admin: *security_admin,
        },
    )
}

/// Tighten the group's settings at once (anything during setup).
pub fn group_edit(admin: &Pubkey, group: &Pubkey, settings: GroupSettings) -> Instruction {
    build(
        accounts::GroupEdit {
            admin: *admin,
            group: *group,
        },
        instruction::GroupEdit { settings },
    )
}

/// Queue a group settings change as change number `change_id` (the group's `change_count`).
pub fn group_queue_edit(
    admin: &Pubkey,
    group: &Pubkey,
    change_id: u64,
    settings: GroupSettings,
) -> Instruction {
    build(
        accounts::GroupQueueEdit {
            admin: *admin,
            group: *group,
            change: pda::change(group, change_id),
            system_program: system_program::ID,
        },
        instruction::GroupQueueEdit {
            change_id,
            settings,
        },
    )
}

/// Apply a due group change (permissionless); `payer` = the change's payer (gets the rent).
pub fn group_apply_edit(group: &Pubkey, change: &Pubkey, payer: &Pubkey) -> Instruction {
    build(
        accounts::GroupApplyEdit {
            payer: *payer,
            group: *group,
            change: *change,
        },
        instruction::GroupApplyEdit {},
    )
}

/// Propose a new admin (`Some`), or withdraw the proposal (`None`).
pub fn group_propose_admin(
    signer: &Pubkey,
    group: &Pubkey,
    new_admin: Option<Pubkey>,
) -> Instruction {
    build(
        accounts::GroupProposeAdmin {
            signer: *signer,
            group: *group,
        },
        instruction::GroupProposeAdmin { new_admin },
    )
}

pub fn group_accept_admin(new_admin: &Pubkey, group: &Pubkey) -> Instruction {
    build(
        accounts::GroupAcceptAdmin {
            new_admin: *new_admin,
            group: *group,
        },
        instruction::GroupAcceptAdmin {},
    )
}

pub fn group_go_live(admin: &Pubkey, group: &Pubkey) -> Instruction {
    build(
        accounts::GroupGoLive {
            admin: *admin,
            group: *group,
        },
        instruction::GroupGoLive {},
    )
}

/// Cancel a queued change (admin or security admin); `payer` = the change's payer.
pub fn change_cancel(
    signer: &Pubkey,
    group: &Pubkey,
    change: &Pubkey,
    payer: &Pubkey,
) -> Instruction {
    build(
        accounts::ChangeCancel {
            signer: *signer,
            payer: *payer,
            group: *group,
            change: *change,
        },
        instruction::ChangeCancel {},
    )
}

pub fn group_set_paused(signer: &Pubkey, group: &Pubkey, paused: bool) -> Instruction {
    build(
        accounts::GroupSetPaused {
            signer: *signer,
            group: *group,
        },
        instruction::GroupSetPaused { paused },
    )
}

/// Read-only metas for the group's other banks, which `bank_register` and `bank_edit` check
/// the new config against (every one of them, each once).
fn other_bank_metas(other_banks: &[Pubkey]) -> impl Iterator<Item = AccountMeta> + '_ {
    other_banks
        .iter()
        .map(|k| AccountMeta::new_readonly(*k, false))
}

/// Register `mint` as `token_index`; `token_program` is the mint's owner program;
/// `other_banks` = every bank already in the group.
#[allow(clippy::too_many_arguments)]
pub fn bank_register(
    admin: &Pubkey,
    group: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    oracle: &Pubkey,
    token_index: u16,
    config: BankConfig,
    other_banks: &[Pubkey],
) -> Instruction {
    let bank = pda::bank(group, token_index);
    let mut ix = build(
        accounts::BankRegister {
            admin: *admin,
            group: *group,
            mint: *mint,
            bank,
            vault: pda::vault(&bank),
            insurance_vault: pda::insurance_vault(&bank),
            oracle: *oracle,
            token_program: *token_program,
            system_program: system_program::ID,
        },
        instruction::BankRegister {
            token_index,
            config,
        },
    );
    ix.accounts.extend(other_bank_metas(other_banks));
    ix
}

/// Edit `bank`; `other_banks` = every other bank of the group.
pub fn bank_edit(
    admin: &Pubkey,
    group: &Pubkey,
    bank: &Pubkey,
    oracle: &Pubkey,
    config: BankConfig,
    other_banks: &[Pubkey],
) -> Instruction {
    let mut ix = build(
        accounts::BankEdit {
            admin: *admin,
            group: *group,
            bank: *bank,
            oracle: *oracle,
        },
        instruction::BankEdit { config },
    );
    ix.accounts
        .extend(other_bank_metas(other_banks).filter(|m| m.pubkey != *bank));
    ix
}

/// Queue a change of `bank` as change number `change_id` (the group's `change_count`);
/// `oracle` = the bank's oracle or the new one; `other_banks` = every other bank.
#[allow(clippy::too_many_arguments)]
pub fn bank_queue_edit(
    admin: &Pubkey,
    group: &Pubkey,
    bank: &Pubkey,
    oracle: &Pubkey,
    change_id: u64,
    config: BankConfig,
    other_banks: &[Pubkey],
) -> Instruction {
    let mut ix = build(
        accounts::BankQueueEdit {
            admin: *admin,
            group: *group,
            bank: *bank,
            oracle: *oracle,
            change: pda::change(group, change_id),
            system_program: system_program::ID,
        },
        instruction::BankQueueEdit { change_id, config },
    );
    ix.accounts
        .extend(other_bank_metas(other_banks).filter(|m| m.pubkey != *bank));
    ix
}

/// Apply a due bank change (permissionless). `oracle` = the change's oracle; `payer` = the
/// change's payer (gets the rent); `other_banks` = every other bank.
pub fn bank_apply_edit(
    group: &Pubkey,
    bank: &Pubkey,
    oracle: &Pubkey,
    change: &Pubkey,
    payer: &Pubkey,
    other_banks: &[Pubkey],
) -> Instruction {
    let mut ix = build(
        accounts::BankApplyEdit {
            payer: *payer,
            group: *group,
            bank: *bank,
            oracle: *oracle,
            change: *change,
        },
        instruction::BankApplyEdit {},
    );
    ix.accounts
        .extend(other_bank_metas(other_banks).filter(|m| m.pubkey != *bank));
    ix
}

pub fn bank_accrue_interest(bank: &Pubkey) -> Instruction {
    build(
        accounts::BankAccrueInterest { bank: *bank },
        instruction::BankAccrueInterest {},
    )
}

/// Accrue and feed the oracle's price (if valid now) to the bank's last valid price, stable
/// price and breaker.
pub fn bank_accrue_interest_with_oracle(bank: &Pubkey, oracle: &Pubkey) -> Instruction {
    let mut ix = bank_accrue_interest(bank);
    ix.accounts.push(AccountMeta::new_readonly(*oracle, false));
    ix
}

/// Move a bank's collected fees into its insurance vault (permissionless).
pub fn bank_sweep_fees(group: &Pubkey, bank: &AssetBankAccounts) -> Instruction {
    build(
        accounts::BankSweepFees {
            group: *group,
            bank: bank.bank,
            vault: bank.vault,
            insurance_vault: bank.insurance_vault,
            mint: bank.mint,
            token_program: bank.token_program,
        },
        instruction::BankSweepFees {},
    )
}

pub fn account_create(owner: &Pubkey, group: &Pubkey, account_num: u32) -> Instruction {
    build(
        accounts::AccountCreate {
            owner: *owner,
            group: *group,
            account: pda::margin_account(group, owner, account_num),
            system_program: system_program::ID,
        },
        instruction::AccountCreate { account_num },
    )
}

pub fn account_close(owner: &Pubkey, account: &Pubkey) -> Instruction {
    build(
        accounts::AccountClose {
            owner: *owner,
            account: *account,
        },
        instruction::AccountClose {},
    )
}

pub fn account_set_delegate(owner: &Pubkey, account: &Pubkey, delegate: &Pubkey) -> Instruction {
    build(
        accounts::AccountSetDelegate {
            owner: *owner,
            account: *account,
        },
        instruction::AccountSetDelegate {
            delegate: *delegate,
        },
    )
}

/// The token-side accounts of a bank, as used by deposit and withdraw.
#[derive(Copy, Clone, Debug)]
pub struct BankTokenAccounts {
    pub bank: Pubkey,
    pub vault: Pubkey,
    pub mint: Pubkey,
    pub token_program: Pubkey,
}

/// Deposit (repaying debt first). Append the account's health metas (layout after the
/// deposit) to let a deposit that restores init health ≥ 0 clear `being_liquidated`.
pub fn token_deposit(
    depositor: &Pubkey,
    account: &Pubkey,
    bank: &BankTokenAccounts,
    source: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        accounts::TokenDeposit {
            depositor: *depositor,
            account: *account,
            bank: bank.bank,
            vault: bank.vault,
            mint: bank.mint,
            source: *source,
            token_program: bank.token_program,
        },
        instruction::TokenDeposit { amount },
    )
}

/// Withdraw (and, with `allow_borrow`, borrow). `health` are the health account metas.
#[allow(clippy::too_many_arguments)]
pub fn token_withdraw(
    signer: &Pubkey,
    group: &Pubkey,
    account: &Pubkey,
    bank: &BankTokenAccounts,
    destination: &Pubkey,
    amount: u64,
    allow_borrow: bool,
    health: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::TokenWithdraw {
            signer: *signer,
            group: *group,
            account: *account,
            bank: bank.bank,
            vault: bank.vault,
            mint: bank.mint,
            destination: *destination,
            token_program: bank.token_program,
        },
        instruction::TokenWithdraw {
            amount,
            allow_borrow,
        },
    );
    ix.accounts.extend(health);
    ix
}

/// A bank with both of its vaults (bankruptcy, insurance, fee sweeps).
#[derive(Copy, Clone, Debug)]
pub struct AssetBankAccounts {
    pub bank: Pubkey,
    pub vault: Pubkey,
    pub insurance_vault: Pubkey,
    pub mint: Pubkey,
    pub token_program: Pubkey,
}

/// Liquidate `liquidatee`. `health` = the liquidatee's health metas followed by the
/// liquidator's (laid out with slots opened for both tokens, see `health_accounts`).
#[allow(clippy::too_many_arguments)]
pub fn token_liquidate(
    signer: &Pubkey,
    group: &Pubkey,
    liquidator: &Pubkey,
    liquidatee: &Pubkey,
    asset_bank: &Pubkey,
    liab_bank: &Pubkey,
    max_liab_transfer: u64,
    health: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::TokenLiquidate {
            signer: *signer,
            group: *group,
            liquidator: *liquidator,
            liquidatee: *liquidatee,
            asset_bank: *asset_bank,
            liab_bank: *liab_bank,
        },
        instruction::TokenLiquidate { max_liab_transfer },
    );
    ix.accounts.extend(health);
    ix
}

/// Resolve a bankrupt account's debt in `bank`; `banks` = the bank of every active position
/// in slot order.
pub fn token_resolve_bankruptcy(
    group: &Pubkey,
    account: &Pubkey,
    bank: &AssetBankAccounts,
    banks: Vec<AccountMeta>,
) -> Instruction {
    let mut ix = build(
        accounts::TokenResolveBankruptcy {
            group: *group,
            account: *account,
            bank: bank.bank,
            vault: bank.vault,
            insurance_vault: bank.insurance_vault,
            mint: bank.mint,
            token_program: bank.token_program,
        },
        instruction::TokenResolveBankruptcy {},
    );
    ix.accounts.extend(banks);
    ix
}

pub fn insurance_deposit(
    depositor: &Pubkey,
    bank: &AssetBankAccounts,
    source: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        accounts::InsuranceDeposit {
            depositor: *depositor,
            bank: bank.bank,
            insurance_vault: bank.insurance_vault,
            mint: bank.mint,
            source: *source,
            token_program: bank.token_program,
        },
        instruction::InsuranceDeposit { amount },
    )
}
