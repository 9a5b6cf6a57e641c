//! `account create|list|show|close`.
//!
//! `account list` finds accounts the way the keeper does, with `getProgramAccounts` memcmp
//! filters (the margin account discriminator, `owner` at offset 40 and optionally `group`
//! at offset 8), so it needs no index beyond the node itself. Health is computed once per
//! group snapshot with the program's own engine; an account whose health cannot be computed
//! (an oracle down) is still listed, with the reason.

use crate::args::AccountCmd;
use crate::commands::{dollars, dollars_per_token, load};
use crate::output::Report;
use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use anyhow::{anyhow, Result};
use cross_margin::state::MarginAccount;
use cross_margin_client::builders;
use cross_margin_client::chain::{Chain, Memcmp};
use cross_margin_client::pda;
use cross_margin_client::snapshot::{decode, GroupSnapshot, HealthError};
use solana_signer::Signer;
use std::collections::BTreeMap;

pub async fn account<C: Chain>(chain: &mut C, cmd: AccountCmd) -> Result<Report> {
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
        AccountCmd::List { owner, group } => list(chain, owner.unwrap_or(signer), group).await,
        AccountCmd::Show { account } => show(chain, account).await,
    }
}

/// Filters for the margin accounts of `owner` (in `group`, if given).
pub fn owner_filters(owner: &Pubkey, group: Option<&Pubkey>) -> Vec<Memcmp> {
    let mut filters = vec![
        Memcmp {
            offset: 0,
            bytes: MarginAccount::DISCRIMINATOR.to_vec(),
        },
        Memcmp {
            offset: MarginAccount::OWNER_OFFSET,
            bytes: owner.to_bytes().to_vec(),
        },
    ];
    if let Some(group) = group {
        filters.push(Memcmp {
            offset: MarginAccount::GROUP_OFFSET,
            bytes: group.to_bytes().to_vec(),
        });
    }
    filters
}

fn health_error(e: &HealthError) -> String {
    match e {
        HealthError::UnknownToken(t) => format!("token {t} has no bank"),
        HealthError::UnknownPerp(m) => format!("perp market {m} not found in the group"),
        HealthError::Oracle {
            token_index,
            reason,
        } => format!("token {token_index}: {reason}"),
        HealthError::Math => "overflow".into(),
    }
}

async fn list<C: Chain>(chain: &mut C, owner: Pubkey, group: Option<Pubkey>) -> Result<Report> {
    let mut found: Vec<(Pubkey, MarginAccount)> = chain
        .program_accounts(&owner_filters(&owner, group.as_ref()))
        .await?
        .into_iter()
        .filter_map(|(key, a)| decode::<MarginAccount>(&a.data).map(|m| (key, m)))
        .collect();
    found.sort_by_key(|(key, a)| (a.group.to_bytes(), a.account_num, key.to_bytes()));
    // One snapshot per group: the banks and oracles are read once however many accounts.
    let mut snapshots: BTreeMap<Pubkey, Result<GroupSnapshot, String>> = BTreeMap::new();
    for (_, a) in &found {
        if let std::collections::btree_map::Entry::Vacant(slot) = snapshots.entry(a.group) {
            let s = GroupSnapshot::load(chain, &a.group)
                .await
                .map_err(|e| e.to_string());
            slot.insert(s);
        }
    }
    let rows = found
        .iter()
        .map(|(key, a)| {
            let (init, maint) = match snapshots.get(&a.group) {
                Some(Ok(s)) => match s.health(a) {
                    Ok(h) => (dollars(h.init.to_num()), dollars(h.maint.to_num())),
                    Err(e) => (format!("unavailable ({})", health_error(&e)), "?".into()),
                },
                Some(Err(e)) => (format!("unavailable ({e})"), "?".into()),
                None => ("?".into(), "?".into()),
            };
            vec![
                key.to_string(),
                a.group.to_string(),
                a.account_num.to_string(),
                a.active_positions().count().to_string(),
                init,
                maint,
                if a.being_liquidated != 0 { "yes" } else { "no" }.into(),
            ]
        })
        .collect();
    let mut r = Report::default()
        .field("owner", owner.to_string())
        .field("accounts", found.len());
    if let Some(g) = group {
        r = r.field("group", g.to_string());
    }
    r.table = Some((
        [
            "account",
            "group",
            "num",
            "positions",
            "init health",
            "maint health",
            "being liquidated",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows,
    ));
    Ok(r)
}

async fn show<C: Chain>(chain: &mut C, account: Pubkey) -> Result<Report> {
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
        .field("group", a.group.to_string())
        .field("account_num", a.account_num)
        .field("being_liquidated", a.being_liquidated != 0);
    r = match health {
        Ok(h) => r
            .field("init_health", dollars(h.init.to_num()))
            .field("maint_health", dollars(h.maint.to_num())),
        Err(e) => r.field("health", format!("unavailable: {}", health_error(&e))),
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
