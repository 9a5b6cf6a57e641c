//! `perp market register` and `perp market show`.

use super::{market_name, per_whole, token_balance, LoadedMarket};
use crate::args::PerpRiskArgs;
use crate::commands::load_bank;
use crate::output::{bps, time, Report};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Result};
use cross_margin::health::perp::funding_rate_per_hour;
use cross_margin::math::I80F48;
use cross_margin::state::{OracleKind, PerpConfig};
use cross_margin_client::amount::format_amount;
use cross_margin_client::chain::Chain;
use cross_margin_client::perp_builders::{self as pb, PerpMarketAccounts};
use cross_margin_client::snapshot::{GroupSnapshot, PerpEntry};
use serde_json::json;
use solana_signer::Signer;

/// Where a new market goes and what it is called.
pub(super) struct Register {
    pub group: Pubkey,
    pub settle_bank: Pubkey,
    pub oracle: Pubkey,
    pub perp_index: u16,
    pub name: String,
    pub base_decimals: u8,
}

/// `perp market register`: checks the settle bank exists and belongs to the group and that
/// the name fits, builds the config from the flags (the open interest cap in base tokens),
/// then sends `perp_market_register` (the program validates the config, the oracle and
/// the admin).
pub(super) async fn register<C: Chain>(
    chain: &mut C,
    r: Register,
    risk: &PerpRiskArgs,
) -> Result<Report> {
    if r.name.is_empty() || r.name.len() > 16 {
        return Err(anyhow!(
            "--name {:?}: a market name is 1 to 16 bytes",
            r.name
        ));
    }
    let settle = load_bank(chain, &r.settle_bank).await?;
    if settle.group != r.group {
        return Err(anyhow!(
            "--settle-bank {} belongs to group {}, not {}",
            r.settle_bank,
            settle.group,
            r.group
        ));
    }
    let config = risk.config(r.base_decimals).map_err(|e| anyhow!(e))?;
    let accounts = PerpMarketAccounts::derive(
        &r.group,
        r.perp_index,
        r.oracle,
        settle.mint,
        settle.token_program,
    );
    let signer = chain.payer().pubkey();
    let ix = pb::perp_market_register(
        &signer,
        &r.group,
        &r.settle_bank,
        &accounts,
        r.perp_index,
        &r.name,
        r.base_decimals,
        config,
    );
    let sig = chain.send(&[ix], &[]).await?;
    Ok(Report::default()
        .field("market", accounts.market.to_string())
        .field("name", r.name)
        .field("pool_vault", accounts.pool_vault.to_string())
        .field("lp_mint", accounts.lp_mint.to_string())
        .field("signature", sig))
}

/// The pool's value and traders' PnL at the oracle mid (settle-token native units), or
/// why they cannot be computed (oracle unusable).
pub fn pool_value_at_mid(entry: &PerpEntry, vault: u64, now: i64) -> Result<(f64, f64), String> {
    let risk = entry.risk.as_ref().map_err(|e| e.clone())?;
    let m = &entry.state;
    let mid =
        cross_margin::health::perp_trade::price_i80(&risk.mid, cross_margin::math::Round::Down)
            .ok_or("price overflow")?;
    // Funding accrued to now, as the next instruction would see it.
    let mut at_now = *m;
    at_now
        .accrue_funding(&risk.mid, now)
        .map_err(|e| e.to_string())?;
    let pnl = at_now.traders_pnl(mid).map_err(|e| e.to_string())?;
    let value = I80F48::from_num(vault) - pnl;
    Ok((value.to_num(), pnl.to_num()))
}

/// `perp market show`: every config field, open interest per side in base tokens, the
/// funding rate now and the index, oracle and stable price with the breaker, and the pool:
/// vault balance, value at the oracle mid, traders' unsettled PnL, LP supply and the value
/// of one LP token.
pub(super) async fn show<C: Chain>(chain: &mut C, key: Pubkey) -> Result<Report> {
    let m = LoadedMarket::load(chain, key).await?;
    let s = &m.state;
    let snapshot = GroupSnapshot::load(chain, &s.group).await?;
    let entry = snapshot
        .perps
        .get(&s.perp_index)
        .ok_or_else(|| anyhow!("perp market {key} is not in its group's snapshot"))?;
    let vault = token_balance(chain, &s.pool_vault).await?;
    let (bd, sd) = (s.base_decimals, m.settle.decimals);
    let tokens = |n: u64| format_amount(n, bd);
    let rate = funding_rate_per_hour(
        s.long_open_interest,
        s.short_open_interest,
        &s.funding_params(),
    )
    .to_num::<f64>();
    let oracle = entry
        .price
        .as_ref()
        .map(|p| p.price as f64 * 10f64.powi(p.expo));
    let stable = (s.stable.price > 0).then(|| s.stable.price as f64 * 10f64.powi(s.stable.expo));
    let mut r = Report::default()
        .field("market", key.to_string())
        .field("name", market_name(s))
        .field("group", s.group.to_string())
        .field("perp_index", s.perp_index)
        .field("oracle", s.oracle.to_string())
        .field("settle_bank", s.settle_bank.to_string())
        .field("settle_token_index", s.settle_token_index)
        .field("base_decimals", bd)
        .field(
            "oracle_price",
            match (oracle, &entry.risk) {
                (Some(p), _) => format!("{p:.6}"),
                (None, Err(e)) => format!("unavailable ({e})"),
                (None, Ok(_)) => "unavailable".into(),
            },
        )
        .field(
            "stable_price",
            stable.map_or("not set".into(), |p| format!("{p:.6}")),
        )
        .field(
            "breaker",
            format!(
                "{} (band {})",
                if s.breaker_tripped() {
                    "TRIPPED (reduce-only)"
                } else {
                    "ok"
                },
                bps(s.breaker_band_bps as u64)
            ),
        )
        .field("long_open_interest", tokens(s.long_open_interest))
        .field("short_open_interest", tokens(s.short_open_interest))
        .field("long_open_interest_native", s.long_open_interest)
        .field("short_open_interest_native", s.short_open_interest)
        .field(
            "funding_rate_per_hour",
            format!(
                "{:+.4}% ({})",
                rate * 100.0,
                if rate > 0.0 {
                    "longs pay"
                } else if rate < 0.0 {
                    "shorts pay"
                } else {
                    "none"
                }
            ),
        )
        .field("funding_index", s.funding_index.get().to_num::<f64>())
        .field("last_funding", time(s.last_funding_ts, snapshot.now))
        .field("pool_vault", s.pool_vault.to_string())
        .field("pool_vault_balance", format_amount(vault, sd))
        .field("pool_vault_balance_native", vault)
        .field("lp_mint", s.lp_mint.to_string())
        .field("lp_supply", format_amount(s.lp_supply, sd))
        .field("lp_supply_native", s.lp_supply);
    r = match pool_value_at_mid(entry, vault, snapshot.now) {
        Ok((value, pnl)) => {
            let per_share = (s.lp_supply > 0).then(|| value / s.lp_supply as f64);
            r.field(
                "pool_value",
                format!("{:.6}", value / 10f64.powi(sd as i32)),
            )
            .field("pool_value_native", value.floor())
            .field(
                "traders_unsettled_pnl",
                format!("{:.6}", pnl / 10f64.powi(sd as i32)),
            )
            .field(
                "lp_token_value",
                per_share.map_or("-".into(), |v| format!("{v:.6}")),
            )
        }
        Err(e) => r.field("pool_value", format!("unavailable ({e})")),
    };
    if let Ok(risk) = &entry.risk {
        let mid = per_whole(risk.mid.to_f64(), bd, sd);
        r = r.field("oracle_price_settle_tokens", format!("{mid:.6}"));
    }
    r = r.field(
        "settle_window",
        format!(
            "settled {} since {}",
            format_amount(s.settled_in_window, sd),
            time(s.settle_window_start, snapshot.now)
        ),
    );
    Ok(config_fields(
        r,
        &cross_margin_client::perp_markets::stored_config(s),
        bd,
    ))
}

/// Every config field, bps as stored and as a percentage.
fn config_fields(r: Report, c: &PerpConfig, base_decimals: u8) -> Report {
    let pct = |v: u32| json!(format!("{v} ({})", bps(v as u64)));
    let oi_cap = if c.max_open_interest == u64::MAX {
        "unlimited".into()
    } else {
        format_amount(c.max_open_interest, base_decimals)
    };
    r.field(
        "oracle_kind",
        match c.oracle_kind {
            OracleKind::PythPull => "pull",
            OracleKind::PythLegacy => "legacy",
        },
    )
    .field("max_staleness_secs", c.max_staleness_secs)
    .field("max_conf_bps", pct(c.max_conf_bps))
    .field(
        "weights_bps",
        json!({
            "init_asset": c.init_asset_weight_bps,
            "maint_asset": c.maint_asset_weight_bps,
            "maint_liab": c.maint_liab_weight_bps,
            "init_liab": c.init_liab_weight_bps,
        }),
    )
    .field("init_pnl_weight_bps", pct(c.init_pnl_weight_bps))
    .field("hedge_init_bps", pct(c.hedge_init_bps))
    .field("hedge_maint_bps", pct(c.hedge_maint_bps))
    .field("trading_fee_bps", pct(c.trading_fee_bps))
    .field("impact_bps", pct(c.impact_bps))
    .field("liquidation_fee_bps", pct(c.liquidation_fee_bps))
    .field("pair_liquidation_fee_bps", pct(c.pair_liquidation_fee_bps))
    .field(
        "liquidation_insurance_share_bps",
        pct(c.liquidation_insurance_share_bps),
    )
    .field("max_open_interest", oi_cap)
    .field("funding_skew_scale_bps", pct(c.funding_skew_scale_bps))
    .field("max_funding_rate_bps", pct(c.max_funding_rate_bps))
    .field("pool_reserve_bps", pct(c.pool_reserve_bps))
    .field("settle_limit_bps", pct(c.settle_limit_bps))
    .field("settle_window_secs", c.settle_window_secs)
    .field("adl_threshold_bps", pct(c.adl_threshold_bps))
    .field("stable_growth_bps", pct(c.stable_growth_bps))
    .field("breaker_band_bps", pct(c.breaker_band_bps))
    .field("reduce_only", c.reduce_only)
}
