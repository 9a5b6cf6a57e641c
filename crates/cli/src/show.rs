//! `group show` and `bank show`: state, guardrails (stable price, breaker, outflow window,
//! maint ramp), the group's phase, pause and settings, and the queued changes. Deposits and
//! borrows are shown in tokens at the snapshot's time (interest accrued in memory).

use crate::commands::{dollars_per_token, load};
use crate::output::{bps, duration, time, Report};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Result};
use cross_margin::math::I80F48;
use cross_margin::state::{Bank, Group};
use cross_margin_client::amount::format_amount;
use cross_margin_client::chain::Chain;
use cross_margin_client::changes::{pending_changes, Pending};
use cross_margin_client::snapshot::{BankEntry, GroupSnapshot};
use serde_json::json;

/// Borrows / deposits as the interest curve computes it (rounded up); `None` without
/// deposits or when deposits are a sliver after a socialised loss and the ratio overflows.
fn utilisation(deposits: I80F48, borrows: I80F48) -> Option<I80F48> {
    (deposits > 0)
        .then(|| {
            cross_margin::math::rounding::div(borrows, deposits, cross_margin::math::Round::Up)
        })
        .flatten()
}

/// Deposits and borrows in tokens (deposits rounded down, borrows up, to whole native
/// units) and utilisation (borrows / deposits) as a percentage.
fn totals(b: &Bank) -> (String, String, String) {
    match b.native_totals() {
        Ok((d, bo)) => {
            let util = match utilisation(d, bo) {
                Some(u) => format!("{:.2}%", u.to_num::<f64>() * 100.0),
                None => "-".into(),
            };
            (
                format_amount(d.floor().saturating_to_num(), b.decimals),
                format_amount(bo.ceil().saturating_to_num(), b.decimals),
                util,
            )
        }
        Err(e) => {
            let e = format!("unavailable ({e})");
            (e.clone(), e.clone(), e)
        }
    }
}

/// A price mantissa at `expo` in dollars per whole token.
fn price(mantissa: i64, expo: i32) -> f64 {
    mantissa as f64 * 10f64.powi(expo)
}

fn fmt_price(p: f64) -> String {
    format!("{p:.6}")
}

/// Oracle vs stable price: `(oracle $, stable $, gap %)`; the oracle is `None` while it
/// cannot be used (the reason is in `entry.risk`).
fn prices(entry: &BankEntry) -> (Option<f64>, Option<f64>, Option<f64>) {
    let s = &entry.state.stable;
    let stable = (s.price > 0).then(|| price(s.price, s.expo));
    let oracle = entry.price.as_ref().map(|p| price(p.price, p.expo));
    let gap = match (oracle, stable) {
        (Some(o), Some(st)) if st > 0.0 => Some((o - st) / st * 100.0),
        _ => None,
    };
    (oracle, stable, gap)
}

/// `tripped` / `ok`, with the gap and the band.
fn breaker(entry: &BankEntry) -> String {
    let b = &entry.state;
    let state = if b.breaker_tripped() {
        "TRIPPED (borrow-reduce-only)"
    } else {
        "ok"
    };
    match prices(entry).2 {
        Some(gap) => format!(
            "{state}, gap {gap:+.2}% (band {})",
            bps(b.breaker_band_bps as u64)
        ),
        None => format!("{state} (band {})", bps(b.breaker_band_bps as u64)),
    }
}

/// Net outflow in the current window against its cap.
fn outflow(b: &Bank, now: i64) -> (String, Option<i64>) {
    let w = &b.outflow;
    let resets = w.resets_at(b.outflow_window_secs);
    if w.window_start == 0 || now >= resets {
        return (
            format!(
                "no open window (cap {} of deposits per {})",
                bps(b.net_outflow_limit_bps as u64),
                duration(b.outflow_window_secs as i64)
            ),
            None,
        );
    }
    // Inflows in the window make room beyond the cap.
    let room = (w.cap as i128 - w.net as i128).max(0);
    let used = if w.cap > 0 {
        format!("{:.1}% used, ", w.net.max(0) as f64 / w.cap as f64 * 100.0)
    } else {
        String::new()
    };
    (
        format!(
            "net {} / cap {} native ({used}{room} may still leave)",
            w.net, w.cap
        ),
        Some(resets),
    )
}

/// Every guardrail field of a bank, for `bank show`.
fn guard_fields(mut r: Report, entry: &BankEntry, now: i64) -> Report {
    let b = &entry.state;
    let (oracle, stable, _) = prices(entry);
    r = r
        .field(
            "oracle_price",
            match (oracle, &entry.risk) {
                (Some(p), _) => fmt_price(p),
                (None, Err(e)) => format!("unavailable: {e}"),
                (None, Ok(_)) => "unavailable".into(),
            },
        )
        .field(
            "stable_price",
            stable.map(fmt_price).unwrap_or_else(|| "not set".into()),
        )
        .field(
            "stable_last_update",
            if b.stable.last_update > 0 {
                time(b.stable.last_update, now)
            } else {
                "never".into()
            },
        )
        .field("breaker", breaker(entry))
        .field("breaker_tripped", b.breaker_tripped());
    let (usage, resets) = outflow(b, now);
    r = r.field("outflow", usage);
    if let Some(resets) = resets {
        r = r.field("outflow_resets_at", time(resets, now));
    }
    let (asset_now, liab_now) = b.maint_weights_at(now);
    r = r
        .field("maint_weights_now_bps", json!([asset_now, liab_now]))
        .field(
            "maint_weights_target_bps",
            json!([b.maint_asset_weight_bps, b.maint_liab_weight_bps]),
        )
        .field(
            "maint_ramp",
            if b.maint_ramp.end > now {
                format!("ramping until {}", time(b.maint_ramp.end, now))
            } else {
                "at target".into()
            },
        );
    r
}

/// One queued change as a line: `effective …, due/waiting: field old→new, …`.
fn change_line(p: &Pending, now: i64) -> String {
    let state = match p.state(now) {
        "expired" => "expired (cancel it)",
        s => s,
    };
    format!(
        "{state}, effective {}: {}",
        time(p.due_at, now),
        p.summary()
    )
}

pub async fn group_show<C: Chain>(chain: &mut C, group: Pubkey) -> Result<Report> {
    let g: Group = load(chain, &group, "group").await?;
    let snapshot = GroupSnapshot::load(chain, &group).await?;
    let changes = pending_changes(chain, &group).await?;
    let now = snapshot.now;
    let rows = snapshot
        .banks
        .iter()
        .map(|(t, b)| {
            let (_, stable, _) = prices(b);
            let (deposits, borrows, util) = totals(&b.state);
            vec![
                t.to_string(),
                b.key.to_string(),
                b.risk
                    .as_ref()
                    .map(|r| dollars_per_token(r, b.state.decimals))
                    .unwrap_or_else(|e| format!("unavailable: {e}")),
                stable.map(fmt_price).unwrap_or_else(|| "-".into()),
                deposits,
                borrows,
                util,
                breaker(b),
                outflow(&b.state, now).0,
            ]
        })
        .collect();
    let mut r = Report::default()
        .field("group", group.to_string())
        .field("admin", g.admin.to_string())
        .field("security_admin", g.security_admin.to_string())
        .field(
            "phase",
            if g.is_live() {
                "live"
            } else {
                "setup (no margin accounts until `admin go-live`; changes apply at once)"
            },
        )
        .field("live", g.is_live())
        .field("paused", g.is_paused(now));
    if g.is_paused(now) {
        r = r.field("pause_expires_at", time(g.pause_expires_at, now));
    } else if g.paused != 0 {
        r = r.field("pause_lapsed_at", time(g.pause_expires_at, now));
    }
    r = r
        .field(
            "timelock",
            format!(
                "{} s ({})",
                g.timelock_secs,
                duration(g.timelock_secs as i64)
            ),
        )
        .field(
            "maint_ramp",
            format!(
                "{} s ({})",
                g.maint_ramp_secs,
                duration(g.maint_ramp_secs as i64)
            ),
        )
        .field(
            "pause_duration",
            format!(
                "{} s ({})",
                g.pause_duration_secs,
                duration(g.pause_duration_secs as i64)
            ),
        )
        .field(
            "pending_admin",
            if g.pending_admin == Pubkey::default() {
                "none".to_string()
            } else {
                format!(
                    "{} (may accept from {})",
                    g.pending_admin,
                    time(g.pending_admin_at, now)
                )
            },
        )
        .field("banks", snapshot.banks.len())
        .field("queued_changes", changes.len());
    for p in &changes {
        let target = match p.bank() {
            Some(bank) => snapshot
                .banks
                .values()
                .find(|b| b.key == bank)
                .map(|b| format!("bank {}", b.state.token_index))
                .unwrap_or_else(|| format!("bank {bank}")),
            None => "group".into(),
        };
        r = r.field(
            &format!("change #{}", p.change.change_id),
            format!("{target}, {}", change_line(p, now)),
        );
    }
    r.table = Some((
        [
            "token",
            "bank",
            "price ($)",
            "stable ($)",
            "deposits",
            "borrows",
            "utilisation",
            "breaker",
            "outflow",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows,
    ));
    Ok(r)
}

pub async fn bank_show<C: Chain>(chain: &mut C, bank: Pubkey) -> Result<Report> {
    let b: Bank = load(chain, &bank, "bank").await?;
    let snapshot = GroupSnapshot::load(chain, &b.group).await?;
    let now = snapshot.now;
    let entry = snapshot
        .banks
        .get(&b.token_index)
        .filter(|e| e.key == bank)
        .ok_or_else(|| anyhow!("bank {bank} not found in its group {}", b.group))?;
    let b = &entry.state;
    let (d, bo) = b.native_totals()?;
    let (deposits, borrows, _) = totals(b);
    let c = b.config()?;
    let mut r = Report::default()
        .field("bank", bank.to_string())
        .field("token_index", b.token_index)
        .field("mint", b.mint.to_string())
        .field("decimals", b.decimals)
        .field("oracle", b.oracle.to_string())
        .field("deposits", deposits)
        .field("borrows", borrows)
        .field("deposits_native", d.to_num::<f64>())
        .field("borrows_native", bo.to_num::<f64>())
        .field(
            "utilization",
            utilisation(d, bo).map_or(0.0, |u| u.to_num::<f64>()),
        )
        .field("deposit_index", b.deposit_index.get().to_num::<f64>())
        .field("borrow_index", b.borrow_index.get().to_num::<f64>())
        .field(
            "weights_bps",
            json!([
                c.init_asset_weight_bps,
                c.maint_asset_weight_bps,
                c.maint_liab_weight_bps,
                c.init_liab_weight_bps
            ]),
        )
        .field("reduce_only", c.reduce_only);
    r = guard_fields(r, entry, now);
    let changes: Vec<Pending> = pending_changes(chain, &b.group)
        .await?
        .into_iter()
        .filter(|p| p.bank() == Some(bank))
        .collect();
    r = r.field("queued_changes", changes.len());
    for p in &changes {
        r = r.field(
            &format!("change #{}", p.change.change_id),
            change_line(p, now),
        );
    }
    Ok(r)
}
