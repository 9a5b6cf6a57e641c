//! Every CLI command, generic over the chain so tests run them on the in-process validator.
//! Each returns a [`Report`]; errors are `anyhow` errors with one clear line.
//!
//! Amounts arrive as typed ([`Amount`]) and become native units here, with the decimals of
//! the bank they move through ([`native_amount`]); reports show both forms.

use crate::args::{BankCmd, Command, GroupCmd, InsuranceCmd, LiquidateArgs, RiskArgs, TokenArgs};
use crate::output::Report;
use crate::{accounts, admin, perp, show};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Context, Result};
use cross_margin::state::{Bank, MarginAccount};
use cross_margin_client::amount::{format_amount, Amount};
use cross_margin_client::builders::{self, AssetBankAccounts, BankTokenAccounts};
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::fees::Urgency;
use cross_margin_client::lookup_table;
use cross_margin_client::pda;
use cross_margin_client::snapshot::{bank_keys, decode, GroupSnapshot};
use solana_signer::Signer;

/// Run one command (except `demo`, which starts its own validator).
pub async fn run<C: Chain>(chain: &mut C, command: Command) -> Result<Report> {
    match command {
        Command::Group(g) => group(chain, g).await,
        Command::Bank(b) => bank(chain, b).await,
        Command::Account(a) => accounts::account(chain, a).await,
        Command::Deposit(t) | Command::Repay(t) => deposit(chain, t).await,
        Command::Withdraw(t) => withdraw(chain, t, false).await,
        Command::Borrow(t) => withdraw(chain, t, true).await,
        Command::Liquidate(l) => liquidate(chain, l).await,
        Command::Admin(a) => admin::admin(chain, a).await,
        Command::Perp(p) => perp::perp(chain, p).await,
        Command::Pool(p) => perp::pool(chain, p).await,
        Command::Insurance(InsuranceCmd::Deposit {
            bank,
            amount,
            native,
            token_account,
        }) => {
            let b = load_bank(chain, &bank).await?;
            let amount = native_amount(&amount, native, &b, "--amount")?;
            let signer = chain.payer().pubkey();
            let source = token_account.unwrap_or_else(|| ata(&signer, &b));
            let ix =
                builders::insurance_deposit(&signer, &asset_accounts(&bank, &b), &source, amount);
            let sig = chain.send(&[ix], &[]).await?;
            Ok(moved(Report::default(), "insurance_deposit", amount, &b)
                .field("bank", bank.to_string())
                .field("signature", sig))
        }
        Command::Demo(_) => Err(anyhow!(
            "`demo` runs its own validator; call cross_margin_cli::demo::run"
        )),
        Command::Risk(_) | Command::Snapshot(_) => Err(anyhow!(
            "`risk` and `snapshot` return text, not a report; call cross_margin_cli::risk::run"
        )),
    }
}

pub(crate) async fn load<C: Chain, T: bytemuck::Pod + anchor_lang::Discriminator>(
    chain: &mut C,
    key: &Pubkey,
    what: &str,
) -> Result<T> {
    let account = chain
        .account(key)
        .await?
        .ok_or_else(|| anyhow!("{what} {key} does not exist"))?;
    decode::<T>(&account.data).ok_or_else(|| anyhow!("{key} is not a cross-margin {what}"))
}

pub(crate) async fn load_bank<C: Chain>(chain: &mut C, key: &Pubkey) -> Result<Bank> {
    load(chain, key, "bank").await
}

/// The signer's associated token account for the bank's mint.
fn ata(owner: &Pubkey, bank: &Bank) -> Pubkey {
    anchor_spl::associated_token::get_associated_token_address_with_program_id(
        owner,
        &bank.mint,
        &bank.token_program,
    )
}

pub(crate) fn token_accounts(key: &Pubkey, b: &Bank) -> BankTokenAccounts {
    BankTokenAccounts {
        bank: *key,
        vault: b.vault,
        mint: b.mint,
        token_program: b.token_program,
    }
}

fn asset_accounts(key: &Pubkey, b: &Bank) -> AssetBankAccounts {
    AssetBankAccounts {
        bank: *key,
        vault: b.vault,
        insurance_vault: b.insurance_vault,
        mint: b.mint,
        token_program: b.token_program,
    }
}

/// `amount` in native units of `bank`'s token: tokens scaled by the bank's decimals, or raw
/// units with `--native`; the error names the flag.
pub(crate) fn native_amount(amount: &Amount, native: bool, bank: &Bank, flag: &str) -> Result<u64> {
    amount
        .native(bank.decimals, native)
        .with_context(|| flag.to_string())
}

/// `key` as tokens (`1.5`) and `key_native` as native units (`1500000`).
pub(crate) fn moved(r: Report, key: &str, native: u64, bank: &Bank) -> Report {
    r.field(key, format_amount(native, bank.decimals))
        .field(&format!("{key}_native"), native)
}

/// The decimals of `mint` (SPL Token or Token-2022), read from the mint account.
async fn mint_decimals<C: Chain>(chain: &mut C, mint: &Pubkey) -> Result<u8> {
    let account = chain
        .account(mint)
        .await?
        .ok_or_else(|| anyhow!("mint {mint} does not exist"))?;
    let m =
        <anchor_spl::token_interface::Mint as anchor_lang::AccountDeserialize>::try_deserialize(
            &mut &account.data[..],
        )
        .map_err(|_| anyhow!("{mint} is not an SPL Token or Token-2022 mint"))?;
    Ok(m.decimals)
}

/// The bank config from the risk flags, limits scaled by `decimals`.
pub(crate) fn risk_config(
    risk: &RiskArgs,
    decimals: u8,
) -> Result<cross_margin::state::BankConfig> {
    risk.config(decimals).map_err(|e| anyhow!(e))
}

/// A bank's oracle price in dollars per whole token, for display.
pub(crate) fn dollars_per_token(risk: &cross_margin::health::TokenRisk, decimals: u8) -> String {
    format!(
        "{:.6}",
        risk.mid.to_f64() * 10f64.powi(decimals as i32) / 1e6
    )
}

pub(crate) fn dollars(quote_native: f64) -> String {
    format!("${:.2}", quote_native / 1e6)
}

async fn group<C: Chain>(chain: &mut C, cmd: GroupCmd) -> Result<Report> {
    let signer = chain.payer().pubkey();
    match cmd {
        GroupCmd::Create {
            group_num,
            security_admin,
        } => {
            let ix = builders::group_create(&signer, group_num, &security_admin.unwrap_or(signer));
            let sig = chain.send(&[ix], &[]).await?;
            Ok(Report::default()
                .field("group", pda::group(&signer, group_num).to_string())
                .field("signature", sig))
        }
        GroupCmd::Show { group } => show::group_show(chain, group).await,
        GroupCmd::Pause { group } | GroupCmd::Unpause { group } => {
            let paused = matches!(cmd, GroupCmd::Pause { .. });
            let sig = chain
                .send(&[builders::group_set_paused(&signer, &group, paused)], &[])
                .await?;
            Ok(Report::default()
                .field("group", group.to_string())
                .field("paused", paused)
                .field("signature", sig))
        }
    }
}

async fn bank<C: Chain>(chain: &mut C, cmd: BankCmd) -> Result<Report> {
    let signer = chain.payer().pubkey();
    match cmd {
        BankCmd::Register {
            group,
            mint,
            oracle,
            token_index,
            risk,
        } => {
            let program = chain
                .account(&mint)
                .await?
                .ok_or_else(|| anyhow!("mint {mint} does not exist"))?
                .owner;
            let decimals = if risk.needs_decimals() {
                mint_decimals(chain, &mint).await?
            } else {
                0
            };
            let config = risk_config(&risk, decimals)?;
            let others = bank_keys(chain, &group).await?;
            let ix = builders::bank_register(
                &signer,
                &group,
                &mint,
                &program,
                &oracle,
                token_index,
                config,
                &others,
            );
            let sig = chain.send(&[ix], &[]).await?;
            Ok(Report::default()
                .field("bank", pda::bank(&group, token_index).to_string())
                .field("signature", sig))
        }
        BankCmd::Edit { bank, oracle, risk } => {
            let b = load_bank(chain, &bank).await?;
            let config = risk_config(&risk, b.decimals)?;
            let others = bank_keys(chain, &b.group).await?;
            let sig = chain
                .send(
                    &[builders::bank_edit(
                        &signer,
                        &b.group,
                        &bank,
                        &oracle,
                        config,
                        &others,
                    )],
                    &[],
                )
                .await
                .map_err(|e| match &e {
                    ChainError::Program { name: Some(n), .. } if n == "LooseningNeedsTimelock" => {
                        anyhow!(e).context(
                            "the group is live and this edit loosens risk: queue it with `cross-margin admin queue` (same flags)",
                        )
                    }
                    _ => anyhow!(e),
                })?;
            Ok(Report::default()
                .field("bank", bank.to_string())
                .field("signature", sig))
        }
        BankCmd::Show { bank } => show::bank_show(chain, bank).await,
    }
}

async fn deposit<C: Chain>(chain: &mut C, t: TokenArgs) -> Result<Report> {
    let b = load_bank(chain, &t.bank).await?;
    let amount = native_amount(&t.amount, t.native, &b, "--amount")?;
    let signer = chain.payer().pubkey();
    let source = t.token_account.unwrap_or_else(|| ata(&signer, &b));
    let ix = builders::token_deposit(
        &signer,
        &t.account,
        &token_accounts(&t.bank, &b),
        &source,
        amount,
    );
    let sig = chain.send(&[ix], &[]).await.context("deposit failed")?;
    Ok(moved(Report::default(), "deposited", amount, &b)
        .field("account", t.account.to_string())
        .field("signature", sig))
}

async fn withdraw<C: Chain>(chain: &mut C, t: TokenArgs, allow_borrow: bool) -> Result<Report> {
    let b = load_bank(chain, &t.bank).await?;
    let amount = native_amount(&t.amount, t.native, &b, "--amount")?;
    let a: MarginAccount = load(chain, &t.account, "margin account").await?;
    let snapshot = GroupSnapshot::load(chain, &a.group).await?;
    let health = snapshot
        .account_metas(&a, &[b.token_index], None)
        .ok_or_else(|| anyhow!("a position's bank was not found in the group"))?;
    let signer = chain.payer().pubkey();
    let destination = t.token_account.unwrap_or_else(|| ata(&signer, &b));
    let ix = builders::token_withdraw(
        &signer,
        &a.group,
        &t.account,
        &token_accounts(&t.bank, &b),
        &destination,
        amount,
        allow_borrow,
        health,
    );
    let what = if allow_borrow { "borrow" } else { "withdraw" };
    let sig = chain
        .send(&[ix], &[])
        .await
        .with_context(|| format!("{what} failed"))?;
    let key = if allow_borrow {
        "borrowed"
    } else {
        "withdrawn"
    };
    Ok(moved(Report::default(), key, amount, &b)
        .field("account", t.account.to_string())
        .field("signature", sig))
}

/// Instructions with health accounts (two lists for a liquidation) may not fit a legacy
/// transaction: send them through the group's lookup table when it has one.
pub(crate) async fn use_group_table<C: Chain>(chain: &mut C, group: &Pubkey) -> Result<()> {
    lookup_table::use_group_table(chain, group)
        .await
        .context("reading the group's lookup table")?;
    Ok(())
}

async fn liquidate<C: Chain>(chain: &mut C, l: LiquidateArgs) -> Result<Report> {
    let liqee: MarginAccount = load(chain, &l.liquidatee, "margin account").await?;
    let liqor: MarginAccount = load(chain, &l.liquidator, "margin account").await?;
    let asset = load_bank(chain, &l.asset_bank).await?;
    let liab = load_bank(chain, &l.liab_bank).await?;
    let max = match &l.max {
        Some(m) => native_amount(m, l.native, &liab, "--max")?,
        None => u64::MAX,
    };
    let snapshot = GroupSnapshot::load(chain, &liqee.group).await?;
    let missing = || anyhow!("a position's bank was not found in the group");
    let mut health = snapshot
        .account_metas(&liqee, &[], None)
        .ok_or_else(missing)?;
    health.extend(
        snapshot
            .account_metas(&liqor, &[asset.token_index, liab.token_index], None)
            .ok_or_else(missing)?,
    );
    let signer = chain.payer().pubkey();
    let ix = builders::token_liquidate(
        &signer,
        &liqee.group,
        &l.liquidator,
        &l.liquidatee,
        &l.asset_bank,
        &l.liab_bank,
        max,
        health,
    );
    use_group_table(chain, &liqee.group).await?;
    let sig = chain
        .send_with(&[ix], &[], Urgency::Liquidation)
        .await
        .context("liquidation failed")?;
    Ok(Report::default()
        .field("liquidated", l.liquidatee.to_string())
        .field("signature", sig))
}
