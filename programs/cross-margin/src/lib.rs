//! cross-margin: a cross-margin lending protocol for Solana.
//!
//! Users deposit several tokens into one margin account and borrow against all of it;
//! every instruction that can add risk checks the account's health afterwards. See the
//! README for the protocol and `../shared/DESIGN.md` for the architecture.
//!
//! This file only forwards: each instruction lives in `instructions/<name>.rs`.
#![allow(clippy::result_large_err)]

use anchor_lang::prelude::*;

pub mod bank_change;
pub mod bank_list;
pub mod error;
pub mod events;
pub mod guard;
pub mod health;
pub mod instructions;
pub mod math;
pub mod pda_account;
pub mod state;
pub mod token_cpi;

use instructions::*;
use state::{BankConfig, GroupSettings};

declare_id!("ESfs84KivbtjSekY2Us7CcfTEDhXj6pJ7FryrqsyP3pn");

#[program]
pub mod cross_margin {
    use super::*;

    pub fn group_create(
        ctx: Context<GroupCreate>,
        group_num: u32,
        security_admin: Pubkey,
    ) -> Result<()> {
        instructions::group_create(ctx, group_num, security_admin)
    }

    pub fn group_edit(ctx: Context<GroupEdit>, settings: GroupSettings) -> Result<()> {
        instructions::group_edit(ctx, settings)
    }

    pub fn group_queue_edit(
        ctx: Context<GroupQueueEdit>,
        change_id: u64,
        settings: GroupSettings,
    ) -> Result<()> {
        instructions::group_queue_edit(ctx, change_id, settings)
    }

    pub fn group_apply_edit(ctx: Context<GroupApplyEdit>) -> Result<()> {
        instructions::group_apply_edit(ctx)
    }

    pub fn group_propose_admin(
        ctx: Context<GroupProposeAdmin>,
        new_admin: Option<Pubkey>,
    ) -> Result<()> {
        instructions::group_propose_admin(ctx, new_admin)
    }

    pub fn group_accept_admin(ctx: Context<GroupAcceptAdmin>) -> Result<()> {
        instructions::group_accept_admin(ctx)
    }

    pub fn group_go_live(ctx: Context<GroupGoLive>) -> Result<()> {
        instructions::group_go_live(ctx)
    }

    pub fn group_set_paused(ctx: Context<GroupSetPaused>, paused: bool) -> Result<()> {
        instructions::group_set_paused(ctx, paused)
    }

    pub fn bank_register<'info>(
        ctx: Context<'info, BankRegister<'info>>,
        token_index: u16,
        config: BankConfig,
    ) -> Result<()> {
        instructions::bank_register(ctx, token_index, config)
    }

    pub fn bank_edit<'info>(
        ctx: Context<'info, BankEdit<'info>>,
        config: BankConfig,
    ) -> Result<()> {
        instructions::bank_edit(ctx, config)
    }

    pub fn bank_queue_edit<'info>(
        ctx: Context<'info, BankQueueEdit<'info>>,
        change_id: u64,
        config: BankConfig,
    ) -> Result<()> {
        instructions::bank_queue_edit(ctx, change_id, config)
    }

    pub fn bank_apply_edit<'info>(ctx: Context<'info, BankApplyEdit<'info>>) -> Result<()> {
        instructions::bank_apply_edit(ctx)
    }

    pub fn change_cancel(ctx: Context<ChangeCancel>) -> Result<()> {
        instructions::change_cancel(ctx)
    }

    pub fn bank_accrue_interest(ctx: Context<BankAccrueInterest>) -> Result<()> {
        instructions::bank_accrue_interest(ctx)
    }

    pub fn bank_sweep_fees(ctx: Context<BankSweepFees>) -> Result<()> {
        instructions::bank_sweep_fees(ctx)
    }

    pub fn account_create(ctx: Context<AccountCreate>, account_num: u32) -> Result<()> {
        instructions::account_create(ctx, account_num)
    }

    pub fn account_close(ctx: Context<AccountClose>) -> Result<()> {
        instructions::account_close(ctx)
    }

    pub fn account_set_delegate(ctx: Context<AccountSetDelegate>, delegate: Pubkey) -> Result<()> {
        instructions::account_set_delegate(ctx, delegate)
    }

    pub fn token_deposit<'info>(
        ctx: Context<'info, TokenDeposit<'info>>,
        amount: u64,
    ) -> Result<()> {
        instructions::token_deposit(ctx, amount)
    }

    pub fn token_withdraw<'info>(
        ctx: Context<'info, TokenWithdraw<'info>>,
        amount: u64,
        allow_borrow: bool,
    ) -> Result<()> {
        instructions::token_withdraw(ctx, amount, allow_borrow)
    }

    pub fn token_liquidate<'info>(
        ctx: Context<'info, TokenLiquidate<'info>>,
        max_liab_transfer: u64,
    ) -> Result<()> {
        instructions::token_liquidate(ctx, max_liab_transfer)
    }

    pub fn token_resolve_bankruptcy<'info>(
        ctx: Context<'info, TokenResolveBankruptcy<'info>>,
    ) -> Result<()> {
        instructions::token_resolve_bankruptcy(ctx)
    }

    pub fn insurance_deposit(ctx: Context<InsuranceDeposit>, amount: u64) -> Result<()> {
        instructions::insurance_deposit(ctx, amount)
    }
}
