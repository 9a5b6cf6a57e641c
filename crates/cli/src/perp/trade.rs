//! `perp open` (cross margin: the position sits in `--account` with everything else it
//! holds), `perp close` and `perp settle`.

use super::{base_tokens, missing_keys, was_dry_run, LoadedMarket};
use crate::args::{PerpCloseArgs, PerpOpenArgs, Side};
use crate::commands::{load, use_group_table};
use crate::output::Report;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anyhow::{anyhow, Context, Result};
use cross_margin::state::MarginAccount;
use cross_margin_client::amount::{format_amount, Amount};
use cross_margin_client::chain::Chain;
use cross_margin_client::perp_builders as pb;
use cross_margin_client::snapshot::GroupSnapshot;
use solana_signer::Signer;

/// A trade as typed, in native units: signed base delta and the program's limit price
/// (settle native per whole base unit; `u64::MAX` / 0 when none was given).
pub(super) struct Order {
    pub base_delta: i64,
    pub limit_price: u64,
}

impl Order {
    /// `size` base tokens on `side`, read with the market's decimals.
    pub fn new(
        m: &LoadedMarket,
        side: Side,
        size: &Amount,
        limit: Option<&Amount>,
        native: bool,
    ) -> Result<Self> {
        let size = size
            .native(m.state.base_decimals, native)
            .context("--size")?;
        let size = i64::try_from(size).map_err(|_| anyhow!("--size: too large"))?;
        let base_delta = match side {
            Side::Long => size,
            Side::Short => -size,
        };
        Ok(Order {
            base_delta,
            limit_price: limit_price(m, limit, native, base_delta)?,
        })
    }
}

/// The limit price in settle native units per whole base unit; none: any price.
fn limit_price(
    m: &LoadedMarket,
    limit: Option<&Amount>,
    native: bool,
    base_delta: i64,
) -> Result<u64> {
    match limit {
        Some(l) => l.native(m.settle.decimals, native).context("--limit-price"),
        None if base_delta > 0 => Ok(u64::MAX),
        None => Ok(0),
    }
}

/// The `perp_trade` instruction for `account` (as laid out now, with this market's
/// position included).
pub(super) fn trade_ix(
    signer: &Pubkey,
    snapshot: &GroupSnapshot,
    key: &Pubkey,
    account: &MarginAccount,
    m: &LoadedMarket,
    order: &Order,
) -> Result<Instruction> {
    let health = snapshot
        .account_metas(account, &[], Some(m.state.perp_index))
        .ok_or_else(missing_keys)?;
    Ok(pb::perp_trade(
        signer,
        &m.state.group,
        key,
        &m.accounts,
        order.base_delta,
        order.limit_price,
        health,
    ))
}

/// The position after a trade: base, quote, average entry price (quote per whole base,
/// fees included); `None` when flat.
pub(super) async fn position_fields<C: Chain>(
    chain: &mut C,
    r: Report,
    account: &Pubkey,
    m: &LoadedMarket,
) -> Result<Report> {
    let a: MarginAccount = load(chain, account, "margin account").await?;
    let Some(slot) = a.perp_slot(m.state.perp_index) else {
        return Ok(r.field("position", "none"));
    };
    let p = &a.perp_positions[slot];
    let quote = p.quote.get().to_num::<f64>();
    let (bd, sd) = (m.state.base_decimals, m.settle.decimals);
    let r = r
        .field("position_base", base_tokens(p.base, bd))
        .field("position_base_native", p.base)
        .field(
            "position_quote",
            format!("{:.6}", quote / 10f64.powi(sd as i32)),
        );
    Ok(if p.base != 0 {
        let entry = -quote / p.base as f64 * 10f64.powi(bd as i32 - sd as i32);
        r.field("entry_price", format!("{entry:.6}"))
    } else {
        r
    })
}

/// Send one trade through the group's lookup table (health accounts may not fit a legacy
/// transaction) and report the position after it.
async fn send_trade<C: Chain>(
    chain: &mut C,
    account: Pubkey,
    m: &LoadedMarket,
    order: Order,
    what: &str,
) -> Result<Report> {
    let a: MarginAccount = load(chain, &account, "margin account").await?;
    if a.group != m.state.group {
        return Err(anyhow!(
            "account {account} is in group {}, the market in {}",
            a.group,
            m.state.group
        ));
    }
    let snapshot = GroupSnapshot::load(chain, &a.group).await?;
    let signer = chain.payer().pubkey();
    let ix = trade_ix(&signer, &snapshot, &account, &a, m, &order)?;
    use_group_table(chain, &a.group).await?;
    let sig = chain
        .send(&[ix], &[])
        .await
        .with_context(|| format!("{what} failed"))?;
    let size = format_amount(order.base_delta.unsigned_abs(), m.state.base_decimals);
    let mut r = Report::default()
        .field("account", account.to_string())
        .field("market", m.key.to_string())
        .field("name", m.name())
        .field(
            "side",
            if order.base_delta > 0 {
                "long"
            } else {
                "short"
            },
        )
        .field("size", size)
        .field("size_native", order.base_delta.unsigned_abs());
    if !was_dry_run(&sig) {
        r = position_fields(chain, r, &account, m).await?;
    }
    Ok(r.field("signature", sig))
}

/// `perp open` (cross margin): buys (`long`) or sells (`short`) `--size` base tokens in
/// `--account` at the pool's price, refused by the program when worse than
/// `--limit-price`, when it takes open interest past the cap or the pool below its reserve,
/// while the market is reduce-only or its breaker is tripped, or when init health would
/// end below zero. Checks first that the account and market share a group.
pub(super) async fn open<C: Chain>(chain: &mut C, args: PerpOpenArgs) -> Result<Report> {
    let m = LoadedMarket::load(chain, args.market).await?;
    let order = Order::new(
        &m,
        args.side,
        &args.size,
        args.limit_price.as_ref(),
        args.native,
    )?;
    send_trade(chain, args.account, &m, order, "perp open").await
}

/// `perp close`: trades against the position's sign by the whole position or `--size`,
/// which may not exceed it (reduce-only: a close never flips the position). Refused when
/// the account has no position in the market.
pub(super) async fn close<C: Chain>(chain: &mut C, args: PerpCloseArgs) -> Result<Report> {
    let m = LoadedMarket::load(chain, args.market).await?;
    let a: MarginAccount = load(chain, &args.account, "margin account").await?;
    let base = a
        .perp_slot(m.state.perp_index)
        .map(|s| a.perp_positions[s].base)
        .filter(|b| *b != 0)
        .ok_or_else(|| {
            anyhow!(
                "account {} has no open position in {}",
                args.account,
                m.name()
            )
        })?;
    let size = match &args.size {
        Some(s) => s
            .native(m.state.base_decimals, args.native)
            .context("--size")?,
        None => base.unsigned_abs(),
    };
    if size > base.unsigned_abs() {
        return Err(anyhow!(
            "--size {}: the position is only {} (a close never flips it)",
            format_amount(size, m.state.base_decimals),
            format_amount(base.unsigned_abs(), m.state.base_decimals)
        ));
    }
    let size = size as i64;
    let base_delta = if base > 0 { -size } else { size };
    let order = Order {
        base_delta,
        limit_price: limit_price(&m, args.limit_price.as_ref(), args.native, base_delta)?,
    };
    send_trade(chain, args.account, &m, order, "perp close").await
}

/// `perp settle`: moves the position's PnL (funding included) into the account's settle
/// token balance: a profit is paid by the pool (up to the window's allowance), a loss is
/// paid to it. Refused by the program when there is nothing to settle or health would
/// fall below zero.
pub(super) async fn settle<C: Chain>(
    chain: &mut C,
    account: Pubkey,
    market: Pubkey,
) -> Result<Report> {
    let m = LoadedMarket::load(chain, market).await?;
    let a: MarginAccount = load(chain, &account, "margin account").await?;
    if a.perp_slot(m.state.perp_index).is_none() {
        return Err(anyhow!("account {account} has no position in {}", m.name()));
    }
    let snapshot = GroupSnapshot::load(chain, &a.group).await?;
    let health = snapshot
        .account_metas(&a, &[m.state.settle_token_index], None)
        .ok_or_else(missing_keys)?;
    let signer = chain.payer().pubkey();
    let ix = pb::perp_settle_pnl(
        &signer,
        &a.group,
        &account,
        &m.accounts,
        &m.settle_bank(),
        health,
    );
    use_group_table(chain, &a.group).await?;
    let sig = chain.send(&[ix], &[]).await.context("perp settle failed")?;
    let mut r = Report::default()
        .field("account", account.to_string())
        .field("market", market.to_string());
    if !was_dry_run(&sig) {
        r = position_fields(chain, r, &account, &m).await?;
    }
    Ok(r.field("signature", sig))
}
