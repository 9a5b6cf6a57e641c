//! `perp show`: an account's perp positions valued with the program's own engine.

use super::{base_tokens, market_name, per_whole};
use crate::commands::{dollars, load};
use crate::output::Report;
use anchor_lang::prelude::Pubkey;
use anyhow::Result;
use cross_margin::health::perp::funding_owed;
use cross_margin::state::{MarginAccount, PerpPosition};
use cross_margin_client::chain::Chain;
use cross_margin_client::snapshot::{GroupSnapshot, PerpEntry};

/// The columns of `perp show`.
const HEADERS: [&str; 9] = [
    "market",
    "base",
    "entry price",
    "quote",
    "oracle price",
    "funding owed",
    "unsettled pnl",
    "init contribution",
    "maint contribution",
];

/// One position's numbers in settle-token native units (prices per base native unit).
struct Valued {
    price: f64,
    funding_owed: f64,
    unsettled_pnl: f64,
}

fn value(entry: &PerpEntry, p: &PerpPosition, now: i64) -> Result<Valued, String> {
    let risk = entry.risk.as_ref().map_err(|e| e.clone())?;
    let index = entry
        .state
        .funding_index_at(&risk.mid, now)
        .map_err(|e| e.to_string())?;
    let owed = funding_owed(p.base, p.funding_snapshot.get(), index)
        .ok_or("funding overflow")?
        .to_num::<f64>();
    let price = risk.mid.to_f64();
    Ok(Valued {
        price,
        funding_owed: owed,
        unsettled_pnl: p.quote.get().to_num::<f64>() - owed + p.base as f64 * price,
    })
}

/// The change in (init, maint) health if the position in `slot` were gone (its base and
/// its quote): what the position contributes, hedges with spot included.
fn contribution(snapshot: &GroupSnapshot, a: &MarginAccount, slot: usize) -> Option<(f64, f64)> {
    let with = snapshot.health(a).ok()?;
    let mut without = *a;
    without.perp_positions[slot] = PerpPosition::FREE;
    let without = snapshot.health(&without).ok()?;
    Some((
        (with.init - without.init).to_num(),
        (with.maint - without.maint).to_num(),
    ))
}

/// `perp show`: per position the market, size in base tokens, average entry price (quote
/// per whole base, fees and realised PnL included), the quote balance, the oracle price,
/// funding owed now, unsettled PnL (quote − funding owed + base × price) and the position's
/// contribution to init and maint health; then the account's health. A market whose
/// oracle cannot be used shows why instead of its numbers.
pub(super) async fn show<C: Chain>(chain: &mut C, account: Pubkey) -> Result<Report> {
    let a: MarginAccount = load(chain, &account, "margin account").await?;
    let snapshot = GroupSnapshot::load(chain, &a.group).await?;
    let mut rows = vec![];
    for (slot, p) in a.active_perps() {
        let Some(entry) = snapshot.perps.get(&p.market_index) else {
            let mut row = vec![
                format!("#{} (not found)", p.market_index),
                p.base.to_string(),
            ];
            row.resize(HEADERS.len(), "?".into());
            rows.push(row);
            continue;
        };
        let m = &entry.state;
        let settle_decimals = snapshot
            .banks
            .get(&m.settle_token_index)
            .map_or(6, |b| b.state.decimals);
        let whole = |per_native: f64| per_whole(per_native, m.base_decimals, settle_decimals);
        let tokens = |native: f64| dollars(native * 10f64.powi(6 - settle_decimals as i32));
        let quote = p.quote.get().to_num::<f64>();
        let entry_price = if p.base != 0 {
            format!("{:.4}", whole(-quote / p.base as f64))
        } else {
            "-".into()
        };
        let mut row = vec![
            market_name(m),
            base_tokens(p.base, m.base_decimals),
            entry_price,
            tokens(quote),
        ];
        match value(entry, p, snapshot.now) {
            Ok(v) => row.extend([
                format!("{:.4}", whole(v.price)),
                tokens(v.funding_owed),
                tokens(v.unsettled_pnl),
            ]),
            Err(e) => row.extend([format!("unavailable ({e})"), "?".into(), "?".into()]),
        }
        match contribution(&snapshot, &a, slot) {
            Some((init, maint)) => row.extend([dollars(init), dollars(maint)]),
            None => row.extend(["?".into(), "?".into()]),
        }
        rows.push(row);
    }
    let mut r = Report::default()
        .field("account", account.to_string())
        .field("owner", a.owner.to_string())
        .field("account_num", a.account_num)
        .field("perp_positions", rows.len())
        .field("being_liquidated", a.being_liquidated != 0);
    r = match snapshot.health(&a) {
        Ok(h) => r
            .field("init_health", dollars(h.init.to_num()))
            .field("maint_health", dollars(h.maint.to_num())),
        Err(e) => r.field("health", format!("unavailable: {e:?}")),
    };
    r.table = Some((HEADERS.iter().map(|s| s.to_string()).collect(), rows));
    Ok(r)
}
