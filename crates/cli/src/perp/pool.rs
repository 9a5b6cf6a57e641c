//! `pool deposit` and `pool withdraw`: settle tokens in, LP shares out, and back.

use super::{ata_or_create, token_balance, was_dry_run, LoadedMarket};
use crate::args::PoolCmd;
use crate::commands::moved;
use crate::output::Report;
use anyhow::{anyhow, Context, Result};
use cross_margin_client::amount::format_amount;
use cross_margin_client::chain::Chain;
use cross_margin_client::perp_builders as pb;
use solana_signer::Signer;

/// `pool deposit`: the amount is read with the settle token's decimals and must be in the
/// paying token account (checked first); the LP shares go
/// to `--lp-account` or the signer's associated LP token account, created in the same
/// transaction if missing. The program prices the shares at the pool's value (refusing a
/// pool without positive value) and refuses an invalid oracle or a paused group.
///
/// `pool withdraw`: redeems `--shares` (or `--all` the LP account holds, refused when it
/// holds none) into `--token-account` or the signer's associated settle-token account,
/// created if missing. The program refuses a withdrawal that would leave the pool below
/// its reserve for open interest.
pub(super) async fn run<C: Chain>(chain: &mut C, cmd: PoolCmd) -> Result<Report> {
    let signer = chain.payer().pubkey();
    match cmd {
        PoolCmd::Deposit {
            market,
            amount,
            native,
            token_account,
            lp_account,
        } => {
            let m = LoadedMarket::load(chain, market).await?;
            let amount = amount
                .native(m.settle.decimals, native)
                .context("--amount")?;
            let source = match token_account {
                Some(t) => t,
                None => {
                    ata_or_create(chain, &signer, &m.settle.mint, &m.settle.token_program)
                        .await?
                        .0
                }
            };
            let available = token_balance(chain, &source).await?;
            if available < amount {
                return Err(anyhow!(
                    "token account {source} holds {} of the settle token, not {} (pass --token-account to pay from another)",
                    format_amount(available, m.settle.decimals),
                    format_amount(amount, m.settle.decimals)
                ));
            }
            let mut ixs = vec![];
            let lp = match lp_account {
                Some(lp) => lp,
                None => {
                    let (lp, create) =
                        ata_or_create(chain, &signer, &m.state.lp_mint, &m.settle.token_program)
                            .await?;
                    ixs.extend(create);
                    lp
                }
            };
            let before = token_balance(chain, &lp).await?;
            ixs.push(pb::pool_deposit(
                &signer,
                &m.state.group,
                &m.accounts,
                &source,
                &lp,
                amount,
            ));
            let sig = chain.send(&ixs, &[]).await.context("pool deposit failed")?;
            let mut r = moved(Report::default(), "deposited", amount, &m.settle)
                .field("market", market.to_string())
                .field("lp_account", lp.to_string());
            if !was_dry_run(&sig) {
                let shares = token_balance(chain, &lp).await?.saturating_sub(before);
                r = r
                    .field("shares", format_amount(shares, m.settle.decimals))
                    .field("shares_native", shares);
            }
            Ok(r.field("signature", sig))
        }
        PoolCmd::Withdraw {
            market,
            shares,
            all,
            native,
            token_account,
            lp_account,
        } => {
            let m = LoadedMarket::load(chain, market).await?;
            let lp = match lp_account {
                Some(lp) => lp,
                None => {
                    ata_or_create(chain, &signer, &m.state.lp_mint, &m.settle.token_program)
                        .await?
                        .0
                }
            };
            let held = token_balance(chain, &lp).await?;
            let shares = match (shares, all) {
                (Some(s), _) => s.native(m.settle.decimals, native).context("--shares")?,
                (None, _) if held == 0 => {
                    return Err(anyhow!(
                        "--all: LP account {lp} holds no shares of {market}"
                    ))
                }
                (None, _) => held,
            };
            let mut ixs = vec![];
            let destination = match token_account {
                Some(t) => t,
                None => {
                    let (t, create) =
                        ata_or_create(chain, &signer, &m.settle.mint, &m.settle.token_program)
                            .await?;
                    ixs.extend(create);
                    t
                }
            };
            let before = token_balance(chain, &destination).await?;
            ixs.push(pb::pool_withdraw(
                &signer,
                &m.state.group,
                &m.accounts,
                &lp,
                &destination,
                shares,
            ));
            let sig = chain
                .send(&ixs, &[])
                .await
                .context("pool withdraw failed")?;
            let mut r = Report::default()
                .field("market", market.to_string())
                .field("shares", format_amount(shares, m.settle.decimals))
                .field("shares_native", shares);
            if !was_dry_run(&sig) {
                let got = token_balance(chain, &destination)
                    .await?
                    .saturating_sub(before);
                r = moved(r, "withdrawn", got, &m.settle);
            }
            Ok(r.field("token_account", destination.to_string())
                .field("signature", sig))
        }
    }
}
