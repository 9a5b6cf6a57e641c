//! `cross-margin risk advise`: per bank, the loosest weights meeting a bad-debt target,
//! printed as the command that would set them (through the admin guardrails).

use super::{progress, source};
use crate::args::AdviseArgs;
use crate::output::Format;
use anyhow::{anyhow, Result};
use cross_margin::state::{BankConfig, OracleKind};
use cross_margin_client::chain::Chain;
use cross_margin_risk::advise::{advise_bank, AdviceConfig};
use serde_json::json;

/// The flags that make `bank edit` / `admin queue` write `c` (flags default to
/// `BankConfig::DEFAULT`, so every field that differs is given; the weights always).
pub fn config_flags(c: &BankConfig) -> Vec<String> {
    let d = BankConfig::DEFAULT;
    let mut f = vec![];
    let mut num = |name: &str, v: u64, dv: u64, always: bool| {
        if always || v != dv {
            f.push(format!("--{name} {v}"));
        }
    };
    num(
        "max-staleness-secs",
        c.max_staleness_secs,
        d.max_staleness_secs,
        false,
    );
    num(
        "max-conf-bps",
        c.max_conf_bps.into(),
        d.max_conf_bps.into(),
        false,
    );
    num(
        "init-asset-weight-bps",
        c.init_asset_weight_bps.into(),
        0,
        true,
    );
    num(
        "maint-asset-weight-bps",
        c.maint_asset_weight_bps.into(),
        0,
        true,
    );
    num(
        "maint-liab-weight-bps",
        c.maint_liab_weight_bps.into(),
        0,
        true,
    );
    num(
        "init-liab-weight-bps",
        c.init_liab_weight_bps.into(),
        0,
        true,
    );
    num("util0-bps", c.util0_bps.into(), d.util0_bps.into(), false);
    num("rate0-bps", c.rate0_bps.into(), d.rate0_bps.into(), false);
    num("util1-bps", c.util1_bps.into(), d.util1_bps.into(), false);
    num("rate1-bps", c.rate1_bps.into(), d.rate1_bps.into(), false);
    num(
        "max-rate-bps",
        c.max_rate_bps.into(),
        d.max_rate_bps.into(),
        false,
    );
    num(
        "protocol-fee-bps",
        c.protocol_fee_bps.into(),
        d.protocol_fee_bps.into(),
        false,
    );
    num(
        "loan-origination-fee-bps",
        c.loan_origination_fee_bps.into(),
        d.loan_origination_fee_bps.into(),
        false,
    );
    num(
        "liquidation-fee-bps",
        c.liquidation_fee_bps.into(),
        d.liquidation_fee_bps.into(),
        false,
    );
    num(
        "liquidation-insurance-share-bps",
        c.liquidation_insurance_share_bps.into(),
        d.liquidation_insurance_share_bps.into(),
        false,
    );
    num(
        "stable-growth-bps",
        c.stable_growth_bps.into(),
        d.stable_growth_bps.into(),
        false,
    );
    num(
        "breaker-band-bps",
        c.breaker_band_bps.into(),
        d.breaker_band_bps.into(),
        false,
    );
    num(
        "net-outflow-limit-bps",
        c.net_outflow_limit_bps.into(),
        d.net_outflow_limit_bps.into(),
        false,
    );
    num(
        "outflow-window-secs",
        c.outflow_window_secs.into(),
        d.outflow_window_secs.into(),
        false,
    );
    if c.oracle_kind == OracleKind::PythLegacy {
        f.push("--oracle-kind legacy".into());
    }
    let limits = c.deposit_limit != u64::MAX || c.borrow_limit != u64::MAX;
    for (name, v) in [
        ("deposit-limit", c.deposit_limit),
        ("borrow-limit", c.borrow_limit),
    ] {
        if v != u64::MAX {
            f.push(format!("--{name} {v}"));
        }
    }
    if limits {
        f.push("--native-limits".into());
    }
    if c.reduce_only {
        f.push("--reduce-only".into());
    }
    f
}

pub async fn run<C: Chain>(
    args: &AdviseArgs,
    output: Format,
    connect: impl FnOnce() -> Result<C>,
) -> Result<String> {
    if !(args.target > 0.0 && args.target < 1.0) {
        return Err(anyhow!(
            "--target {} must be a probability between 0 and 1, e.g. 0.01",
            args.target
        ));
    }
    let book = source::book(&args.book, connect).await?;
    let h = source::history(args.model.prices.as_deref())?;
    let (model, described) = source::model(&args.model, &h)?;
    let map = source::asset_map(&book, &h)?;
    let cascade = source::cascade(&args.cascade, &book)?;
    let tokens: Vec<u16> = match args.bank {
        Some(t) if book.book.banks.contains_key(&t) => vec![t],
        Some(t) => {
            return Err(anyhow!(
                "--bank {t}: the book has no bank with that token index"
            ))
        }
        None => book.book.banks.keys().copied().collect(),
    };
    let config = AdviceConfig {
        target: args.target,
        paths: args.model.paths.max(1),
        cascade,
        ..AdviceConfig::default()
    };
    let bar = progress(
        (tokens.len() * (2 + config.steps as usize)) as u64,
        "candidates",
    );
    let days = args.model.horizon.max(1);
    let sample = source::daily_sampler(model.as_ref(), args.model.seed, days, h.assets.len());
    let mut rows = vec![];
    for t in tokens {
        let a = advise_bank(
            &book.book,
            &map,
            h.assets.len(),
            days,
            &sample,
            t,
            &config,
            &|| bar.inc(1),
        )?;
        let bank = &book.book.banks[&t];
        let label = book
            .labels
            .get(&t)
            .cloned()
            .unwrap_or_else(|| format!("token {t}"));
        let command = a.proposed.map(|c| {
            let key = book.bank_keys.get(&t).cloned().unwrap_or_default();
            let flags = config_flags(&c).join(" ");
            if a.loosens {
                format!("cross-margin admin queue --bank {key} {flags}")
            } else {
                format!(
                    "cross-margin bank edit --bank {key} --oracle {} {flags}",
                    bank.oracle
                )
            }
        });
        rows.push((label, a, command));
    }
    bar.finish_and_clear();
    Ok(match output {
        Format::Json => serde_json::to_string_pretty(&json!({
            "book": source::describe(&book),
            "model": described,
            "target": args.target,
            "paths": config.paths,
            "banks": rows.iter().map(|(label, a, cmd)| json!({
                "label": label,
                "advice": a,
                "command": cmd,
            })).collect::<Vec<_>>(),
        }))?,
        Format::Table => {
            let mut out = format!(
                "book    {}\nmodel   {described}\ntarget  P(bad debt over {} day(s), played day by day) <= {:.2}% on {} common paths\n\n",
                source::describe(&book),
                args.model.horizon,
                args.target * 100.0,
                config.paths
            );
            out.push_str("weights are init asset / maint asset / maint liab / init liab (bps)\n");
            for (label, a, cmd) in &rows {
                let w = a.current_weights;
                out.push_str(&format!(
                    "{label}: now {}/{}/{}/{}, P(bad debt) {:.2}%\n",
                    w[0],
                    w[1],
                    w[2],
                    w[3],
                    a.p_now * 100.0
                ));
                match (a.proposed_weights, a.p_proposed, cmd) {
                    (Some(p), Some(pp), Some(cmd)) => {
                        out.push_str(&format!(
                            "  loosest meeting the target: {}/{}/{}/{}, P(bad debt) {:.2}% ({})\n  {cmd}\n",
                            p[0], p[1], p[2], p[3], pp * 100.0,
                            if a.loosens { "loosens: queued behind the timelock" } else { "tightens: applies at once, maint ramped" }
                        ));
                    }
                    _ => out.push_str(
                        "  no margin the program accepts (up to the tightest valid one) meets the target: the risk is in other banks or in the book's size, not this bank's weights\n",
                    ),
                }
            }
            out
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{try_parse_from, BankCmd, Command};

    /// The printed flags, parsed back by the CLI, give exactly the proposed config.
    #[test]
    fn printed_flags_reproduce_the_config() {
        let c = BankConfig {
            init_asset_weight_bps: 7_100,
            maint_asset_weight_bps: 8_300,
            maint_liab_weight_bps: 11_700,
            init_liab_weight_bps: 12_800,
            liquidation_fee_bps: 500,
            borrow_limit: 123,
            ..BankConfig::DEFAULT
        };
        let key = anchor_lang::prelude::Pubkey::new_unique();
        let line = format!(
            "cross-margin bank edit --bank {key} --oracle {key} {}",
            config_flags(&c).join(" ")
        );
        let cli = try_parse_from(line.split_whitespace()).unwrap();
        let Command::Bank(BankCmd::Edit { risk, .. }) = cli.command else {
            panic!("not bank edit");
        };
        assert_eq!(risk.config(6).unwrap(), c);
    }
}
