//! `cross-margin risk group`: the depositors' view of a group's shared liability.

use super::{source, usd};
use crate::args::GroupRiskArgs;
use crate::output::Format;
use anyhow::Result;
use cross_margin_client::chain::Chain;
use cross_margin_risk::liability::shared_liability;
use serde_json::json;

pub async fn run<C: Chain>(
    args: &GroupRiskArgs,
    output: Format,
    connect: impl FnOnce() -> Result<C>,
) -> Result<String> {
    let book = source::book(&args.book, connect).await?;
    let assets: Vec<String> = {
        let mut v: Vec<String> = book.labels.values().cloned().collect();
        v.sort();
        v.dedup();
        v
    };
    let map = cross_margin_risk::simulate::AssetMap::by_labels(&assets, &book.labels)
        .map_err(|e| anyhow::anyhow!(e))?;
    let stable = cross_margin_risk::stress::stable_columns(&assets, &args.cascade.stable);
    let cascade = source::cascade(&args.cascade, &book)?;
    let banks = shared_liability(
        &book.book,
        &map,
        &assets,
        &stable,
        &book.labels,
        &cascade,
        &book.owners,
        args.top,
    )?;
    Ok(match output {
        Format::Json => serde_json::to_string_pretty(&json!({
            "book": source::describe(&book),
            "banks": banks,
        }))?,
        Format::Table => {
            let mut out = format!(
                "book  {}\nEvery volatile asset falls by the shock together; the cascade runs with its price feedback.\n\n",
                source::describe(&book)
            );
            for b in &banks {
                out.push_str(&format!(
                    "{} (token {}): deposits {}, borrows {}, insurance {}\n",
                    b.label,
                    b.token_index,
                    usd(b.deposits_usd),
                    usd(b.borrows_usd),
                    usd(b.insurance_usd)
                ));
                out.push_str(&format!(
                    "  {:>6} {:>12} {:>12} {:>12} {:>11} {:>9}\n",
                    "shock", "bad debt", "insured", "socialised", "of deposits", "coverage"
                ));
                for s in &b.shocks {
                    out.push_str(&format!(
                        "  {:>5.0}% {:>12} {:>12} {:>12} {:>10.3}% {:>9}\n",
                        s.shock * 100.0,
                        usd(s.bad_debt_usd),
                        usd(s.insured_usd),
                        usd(s.socialised_usd),
                        s.socialised_share * 100.0,
                        s.coverage
                            .map(|c| format!("{:.0}%", c * 100.0))
                            .unwrap_or_else(|| "-".into())
                    ));
                }
                if !b.contributors.is_empty() {
                    out.push_str("  most bad debt at the largest shock:\n");
                    for c in &b.contributors {
                        out.push_str(&format!(
                            "    {} #{}  {}\n",
                            c.owner,
                            c.account_num,
                            usd(c.bad_debt_usd)
                        ));
                    }
                }
                out.push('\n');
            }
            out
        }
    })
}
