//! Every CLI command, generic over the chain so tests run them on the in-process validator.
//! Each returns a [`Report`]; errors are `anyhow` errors with one clear line.

use crate::args::{AccountCmd, BankCmd, Command, GroupCmd, InsuranceCmd, LiquidateArgs, TokenArgs};
use crate::output::Report;
use crate::{admin, show};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Context, Result};
use cross_margin::state::{Bank, MarginAccount};
use cross_margin_client::builders::{self, AssetBankAccounts, BankTokenAccounts};
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::health_accounts::{with_new_position, with_new_positions};
use cross_margin_client::lookup_table;
use cross_margin_client::pda;
use cross_margin_client::snapshot::{bank_keys, decode, GroupSnapshot};
use solana_signer::Signer;

/// Run one command (except `demo`, which starts its own validator).
pub async fn run<C: Chain>(chain: &mut C, command: Command) -> Result<Report> {
    match command {
        Command::Group(g) => group(chain, g).await,
        Command::Bank(b) => bank(chain, b).await,
        Command::Account(a) => account(chain, a).await,
        Command::Deposit(t) | Command::Repay(t) => deposit(chain, t).await,
        Command::Withdraw(t) => withdraw(chain, t, false).await,
        Command::Borrow(t) => withdraw(chain, t, true).await,
        Command::Liquidate(l) => liquidate(chain, l).await,
        Command::Admin(a) => admin::admin(chain, a).await,
        Command::Insurance(InsuranceCmd::Deposit {
            bank,
            amount,
            token_account,
        }) => {
            let b = load_bank(chain, &bank).await?;
            let signer = chain.payer().pubkey();
            let source = token_account.unwrap_or_else(|| ata(&signer, &b));
            let ix =
                builders::insurance_deposit(&signer, &asset_accounts(&bank, &b), &source, amount);
            let sig = chain.send(&[ix], &[]).await?;
            Ok(Report::default()
                .field("insurance_deposit", amount)
                .field("bank", bank.to_string())
                .field("signature", sig))
        }
        Command::Demo(_) => Err(anyhow!(
            "`demo` runs its own validator; call cross_margin_cli::demo::run"
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

fn token_accounts(key: &Pubkey, b: &Bank) -> BankTokenAccounts {
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

/// A bank's oracle price in dollars per whole token, for display.
pub(crate) fn dollars_per_token(risk: &cross_margin::health::TokenRisk, decimals: u8) -> String {
    format!(
        "{:.6}",
        risk.mid.to_f64() * 10f64.powi(decimals as i32) / 1e6
    )
}

fn dollars(quote_native: f64) -> String {
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
            let others = bank_keys(chain, &group).await?;
            let ix = builders::bank_register(
                &signer,
                &group,
                &mint,
                &program,
                &oracle,
                token_index,
                risk.config(),
                &others,
            );
            let sig = chain.send(&[ix], &[]).await?;
            Ok(Report::default()
                .field("bank", pda::bank(&group, token_index).to_string())
                .field("signature", sig))
        }
        BankCmd::Edit { bank, oracle, risk } => {
            let b = load_bank(chain, &bank).await?;
            let others = bank_keys(chain, &b.group).await?;
            let sig = chain
                .send(
                    &[builders::bank_edit(
                        &signer,
                        &b.group,
                        &bank,
                        &oracle,
                        risk.config(),
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

async fn account<C: Chain>(chain: &mut C, cmd: AccountCmd) -> Result<Report> {
    let signer = chain.payer().pubkey();
    match cmd {
        AccountCmd::Create { group, account_num } => {
            let sig = chain
                .send(
                    &[builders::account_create(&signer, &group, account_num)],
                    &[],
                )
                .await?;
            Ok(Report::default()
                .field(
                    "account",
                    pda::margin_account(&group, &signer, account_num).to_string(),
                )
                .field("signature", sig))
        }
        AccountCmd::Close { account } => {
            let sig = chain
                .send(&[builders::account_close(&signer, &account)], &[])
                .await?;
            Ok(Report::default()
                .field("closed", account.to_string())
                .field("signature", sig))
        }
        AccountCmd::Show { account } => {
            let a: MarginAccount = load(chain, &account, "margin account").await?;
            let snapshot = GroupSnapshot::load(chain, &a.group).await?;
            let mut rows = vec![];
            for (_, p) in a.active_positions() {
                let entry = snapshot
                    .banks
                    .get(&p.token_index)
                    .ok_or_else(|| anyhow!("bank of token {} not found", p.token_index))?;
                let native = cross_margin::health::engine::native_balance(
                    p.indexed.get(),
                    entry.state.deposit_index.get(),
                    entry.state.borrow_index.get(),
                )?
                .to_num::<f64>();
                let (price, value) = match &entry.risk {
                    Ok(r) => (
                        dollars_per_token(r, entry.state.decimals),
                        dollars(native * r.mid.to_f64()),
                    ),
                    Err(e) => (format!("unavailable ({e})"), "?".into()),
                };
                rows.push(vec![
                    p.token_index.to_string(),
                    format!("{:.6}", native / 10f64.powi(entry.state.decimals as i32)),
                    price,
                    value,
                ]);
            }
            let health = snapshot.health(&a);
            let mut r = Report::default()
                .field("account", account.to_string())
                .field("owner", a.owner.to_string())
                .field("being_liquidated", a.being_liquidated != 0);
            r = match health {
                Ok(h) => r
                    .field("init_health", dollars(h.init.to_num()))
                    .field("maint_health", dollars(h.maint.to_num())),
                Err(e) => r.field("health", format!("unavailable: {e:?}")),
            };
            r.table = Some((
                vec![
                    "token".into(),
                    "balance".into(),
                    "price ($)".into(),
                    "value".into(),
                ],
                rows,
            ));
            Ok(r)
        }
    }
}

async fn deposit<C: Chain>(chain: &mut C, t: TokenArgs) -> Result<Report> {
    let b = load_bank(chain, &t.bank).await?;
    let signer = chain.payer().pubkey();
    let source = t.token_account.unwrap_or_else(|| ata(&signer, &b));
    let ix = builders::token_deposit(
        &signer,
        &t.account,
        &token_accounts(&t.bank, &b),
        &source,
        t.amount,
    );
    let sig = chain.send(&[ix], &[]).await.context("deposit failed")?;
    Ok(Report::default()
        .field("deposited", t.amount)
        .field("account", t.account.to_string())
        .field("signature", sig))
}

async fn withdraw<C: Chain>(chain: &mut C, t: TokenArgs, allow_borrow: bool) -> Result<Report> {
    let b = load_bank(chain, &t.bank).await?;
    let a: MarginAccount = load(chain, &t.account, "margin account").await?;
    let snapshot = GroupSnapshot::load(chain, &a.group).await?;
    let health = snapshot
        .health_metas(&with_new_position(&a, b.token_index))
        .ok_or_else(|| anyhow!("a position's bank was not found in the group"))?;
    let signer = chain.payer().pubkey();
    let destination = t.token_account.unwrap_or_else(|| ata(&signer, &b));
    let ix = builders::token_withdraw(
        &signer,
        &a.group,
        &t.account,
        &token_accounts(&t.bank, &b),
        &destination,
        t.amount,
        allow_borrow,
        health,
    );
    let what = if allow_borrow { "borrow" } else { "withdraw" };
    let sig = chain
        .send(&[ix], &[])
        .await
        .with_context(|| format!("{what} failed"))?;
    Ok(Report::default()
        .field(
            if allow_borrow {
                "borrowed"
            } else {
                "withdrawn"
            },
            t.amount,
        )
        .field("account", t.account.to_string())
        .field("signature", sig))
}

/// Instructions with health accounts (two lists for a liquidation) may not fit a legacy
/// transaction: send them through the group's lookup table when it has one.
async fn use_group_table<C: Chain>(chain: &mut C, group: &Pubkey) -> Result<()> {
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
    let snapshot = GroupSnapshot::load(chain, &liqee.group).await?;
    let missing = || anyhow!("a position's bank was not found in the group");
    let mut health = snapshot
        .health_metas(&liqee.token_positions.map(|p| p.token_index))
        .ok_or_else(missing)?;
    health.extend(
        snapshot
            .health_metas(&with_new_positions(
                &liqor,
                &[asset.token_index, liab.token_index],
            ))
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
        l.max.unwrap_or(u64::MAX),
        health,
    );
    use_group_table(chain, &liqee.group).await?;
    let sig = chain.send(&[ix], &[]).await.context("liquidation failed")?;
    Ok(Report::default()
        .field("liquidated", l.liquidatee.to_string())
        .field("signature", sig))
}
