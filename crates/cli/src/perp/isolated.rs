//! `perp open --isolated`: a position in a margin account of its own.
//!
//! Margin is per account, so isolation needs no program support: the owner's next free
//! account number gets a fresh account, the chosen collateral is withdrawn from the main
//! account to the owner's wallet and deposited into the new one, and the position is
//! opened there. Liquidation of the new account can only take what it holds; the main
//! account is never named again by the position (not by the trade, not by a liquidation,
//! not by a loss settlement).
//!
//! Everything goes in one transaction when it fits (nothing happens unless all of it
//! does); otherwise in order: (1) create, withdraw and deposit, (2) the trade, and if even
//! (1) does not fit, the create and each token's withdraw-and-deposit separately. The
//! report says which (`transactions`, `mode`).

use super::trade::{position_fields, trade_ix, Order};
use super::{ata_or_create, missing_keys, was_dry_run, LoadedMarket};
use crate::accounts::owner_filters;
use crate::args::{Collateral, PerpOpenArgs, TokenRef};
use crate::commands::{load, moved, token_accounts, use_group_table};
use crate::output::Report;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anyhow::{anyhow, Context, Result};
use cross_margin::state::MarginAccount;
use cross_margin_client::builders;
use cross_margin_client::chain::{Chain, ChainError};
use cross_margin_client::pda;
use cross_margin_client::snapshot::{decode, BankEntry, GroupSnapshot};
use solana_signer::Signer;
use std::collections::BTreeSet;

/// The smallest account number `owner` does not use in `group`.
pub async fn next_free_account_num<C: Chain>(
    chain: &mut C,
    group: &Pubkey,
    owner: &Pubkey,
) -> Result<u32> {
    let used: BTreeSet<u32> = chain
        .program_accounts(&owner_filters(owner, Some(group)))
        .await?
        .into_iter()
        .filter_map(|(_, a)| decode::<MarginAccount>(&a.data))
        .map(|a| a.account_num)
        .collect();
    (0..=u32::MAX)
        .find(|n| !used.contains(n))
        .ok_or_else(|| anyhow!("no free account number"))
}

/// One collateral token resolved against the group: its bank and the amount in native
/// units.
struct Move {
    bank: BankEntry,
    amount: u64,
}

fn find_bank<'a>(snapshot: &'a GroupSnapshot, token: &TokenRef) -> Option<&'a BankEntry> {
    match token {
        TokenRef::Index(i) => snapshot.banks.get(i),
        TokenRef::Key(k) => snapshot
            .banks
            .values()
            .find(|b| b.key == *k || b.state.mint == *k),
    }
}

/// Resolve `--collateral` against the group and check the main account holds each amount
/// (a deposit, not a borrow: the move never borrows).
fn resolve(
    snapshot: &GroupSnapshot,
    main_key: &Pubkey,
    main: &MarginAccount,
    collateral: &[Collateral],
    native: bool,
) -> Result<Vec<Move>> {
    let mut seen = BTreeSet::new();
    let mut moves = vec![];
    for c in collateral {
        let bank = find_bank(snapshot, &c.token)
            .ok_or_else(|| anyhow!("--collateral {}: no such bank in the group", c.token))?;
        let t = bank.state.token_index;
        if !seen.insert(t) {
            return Err(anyhow!("--collateral: token {t} is given twice"));
        }
        let amount = c
            .amount
            .native(bank.state.decimals, native)
            .with_context(|| format!("--collateral {}", c.token))?;
        let held = main
            .position_slot(t)
            .map(|s| {
                cross_margin::health::engine::native_balance(
                    main.token_positions[s].indexed.get(),
                    bank.state.deposit_index.get(),
                    bank.state.borrow_index.get(),
                )
            })
            .transpose()?
            .map_or(0.0, |b| b.to_num::<f64>());
        if held < amount as f64 {
            return Err(anyhow!(
                "--collateral {}: account {main_key} holds {} of token {t}, not {}",
                c.token,
                cross_margin_client::amount::format_amount(
                    held.max(0.0) as u64,
                    bank.state.decimals
                ),
                c.amount
            ));
        }
        moves.push(Move {
            bank: bank.clone(),
            amount,
        });
    }
    Ok(moves)
}

/// The new account as the program will lay it out once the collateral is deposited.
fn new_account_layout(group: Pubkey, owner: Pubkey, num: u32, moves: &[Move]) -> MarginAccount {
    let mut a: MarginAccount = bytemuck::Zeroable::zeroed();
    a.init(group, owner, num, 0);
    let slots = cross_margin_client::health_accounts::with_new_positions(&a, &tokens_of(moves));
    for (p, t) in a.token_positions.iter_mut().zip(slots) {
        p.token_index = t;
    }
    a
}

fn tokens_of(moves: &[Move]) -> Vec<u16> {
    moves.iter().map(|m| m.bank.state.token_index).collect()
}

/// `perp open --isolated`: checks the signer owns `--account`, the market is in its group,
/// each collateral token is a bank of the group given once, and the main account holds
/// each amount as a deposit; then creates the owner's next free account number, moves the
/// collateral (withdraw to the owner's associated token account, created if missing, then
/// deposit) and opens the position there. The program checks the withdrawal keeps the main
/// account's init health ≥ 0 and the trade the new account's.
pub(super) async fn open<C: Chain>(chain: &mut C, args: PerpOpenArgs) -> Result<Report> {
    let signer = chain.payer().pubkey();
    let m = LoadedMarket::load(chain, args.market).await?;
    let main: MarginAccount = load(chain, &args.account, "margin account").await?;
    if main.owner != signer {
        return Err(anyhow!(
            "--isolated: the signer {signer} must own --account {} (owner {}): the new account is opened for the signer",
            args.account,
            main.owner
        ));
    }
    let group = main.group;
    if group != m.state.group {
        return Err(anyhow!(
            "account {} is in group {group}, the market in {}",
            args.account,
            m.state.group
        ));
    }
    let order = Order::new(
        &m,
        args.side,
        &args.size,
        args.limit_price.as_ref(),
        args.native,
    )?;
    let snapshot = GroupSnapshot::load(chain, &group).await?;
    let moves = resolve(
        &snapshot,
        &args.account,
        &main,
        &args.collateral,
        args.native,
    )?;
    let num = next_free_account_num(chain, &group, &signer).await?;
    let isolated = pda::margin_account(&group, &signer, num);

    // Each token: withdraw from main into the owner's wallet, deposit into the new account.
    let mut steps: Vec<Vec<Instruction>> = vec![];
    for mv in &moves {
        let b = &mv.bank;
        let (wallet, create) =
            ata_or_create(chain, &signer, &b.state.mint, &b.state.token_program).await?;
        let health = snapshot
            .account_metas(&main, &[b.state.token_index], None)
            .ok_or_else(missing_keys)?;
        let accounts = token_accounts(&b.key, &b.state);
        let mut ixs: Vec<Instruction> = create.into_iter().collect();
        ixs.push(builders::token_withdraw(
            &signer,
            &group,
            &args.account,
            &accounts,
            &wallet,
            mv.amount,
            false,
            health,
        ));
        ixs.push(builders::token_deposit(
            &signer, &isolated, &accounts, &wallet, mv.amount,
        ));
        steps.push(ixs);
    }
    let layout = new_account_layout(group, signer, num, &moves);
    let trade = trade_ix(&signer, &snapshot, &isolated, &layout, &m, &order)?;
    let create = builders::account_create(&signer, &group, num);

    use_group_table(chain, &group).await?;
    // The first plan whose first transaction fits; a program error is final.
    let mut sent = vec![];
    let mut chosen = None;
    for (name, plan) in plans(create, steps, trade) {
        match chain.send(&plan[0], &[]).await {
            Ok(sig) => {
                sent.push(sig);
                chosen = Some((name, plan));
                break;
            }
            Err(ChainError::Unsendable(_)) => continue,
            Err(e) => return Err(partial(e, 0, &isolated, &args.account)),
        }
    }
    let (mode, plan) = chosen.ok_or_else(|| {
        anyhow!("--isolated: the account creation alone does not fit a transaction")
    })?;
    let dry_run = was_dry_run(&sent[0]);
    if !dry_run {
        for tx in &plan[1..] {
            match chain.send(tx, &[]).await {
                Ok(sig) => sent.push(sig),
                Err(e) => return Err(partial(e, sent.len(), &isolated, &args.account)),
            }
        }
    }
    let mut r = Report::default()
        .field("isolated_account", isolated.to_string())
        .field("account_num", num)
        .field("funded_from", args.account.to_string())
        .field("transactions", sent.len())
        .field("mode", mode);
    for mv in &moves {
        let key = format!("moved_token_{}", mv.bank.state.token_index);
        r = moved(r, &key, mv.amount, &mv.bank.state);
    }
    r = r
        .field("market", m.key.to_string())
        .field(
            "side",
            if order.base_delta > 0 {
                "long"
            } else {
                "short"
            },
        )
        .field(
            "size",
            cross_margin_client::amount::format_amount(
                order.base_delta.unsigned_abs(),
                m.state.base_decimals,
            ),
        );
    if dry_run && plan.len() > 1 {
        r = r.field(
            "dry_run_note",
            "only the first transaction was simulated: the rest use the account it creates",
        );
    }
    if !dry_run {
        r = position_fields(chain, r, &isolated, &m).await?;
    }
    Ok(r.field("signatures", sent.join(" ")))
}

/// The ways to send it, most atomic first, each with its name: everything at once; create
/// and fund, then the trade; the create, each token's move, the trade.
fn plans(
    create: Instruction,
    steps: Vec<Vec<Instruction>>,
    trade: Instruction,
) -> Vec<(&'static str, Vec<Vec<Instruction>>)> {
    let funding: Vec<Instruction> = std::iter::once(create.clone())
        .chain(steps.iter().flatten().cloned())
        .collect();
    let all: Vec<Instruction> = funding.iter().cloned().chain([trade.clone()]).collect();
    let mut finest = vec![vec![create]];
    finest.extend(steps);
    finest.push(vec![trade.clone()]);
    vec![
        ("one transaction", vec![all]),
        (
            "two transactions in order (one did not fit): create and fund, then trade",
            vec![funding, vec![trade]],
        ),
        (
            "in order, one transaction each (did not fit fewer): create, each token's move, trade",
            finest,
        ),
    ]
}

/// The error after `done` transactions went through: what exists now and what to do.
fn partial(e: ChainError, done: usize, isolated: &Pubkey, main: &Pubkey) -> anyhow::Error {
    if done == 0 {
        anyhow!(e).context("perp open --isolated failed (nothing was changed)")
    } else {
        anyhow!(e).context(format!(
            "perp open --isolated stopped after {done} transaction(s): the isolated account {isolated} exists and may hold collateral moved from {main}; open the position with `perp open --account {isolated}` or move the collateral back"
        ))
    }
}
