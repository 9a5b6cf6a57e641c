//! Where a risk run's inputs come from: the book (a snapshot file, a synthetic population,
//! the demo's group on an in-process validator, or a live group through the cluster),
//! the price history, the return model and the cascade model.

use crate::args::{BookArgs, CascadeArgs, ImpactArg, ModelArg, ModelArgs};
use anyhow::{anyhow, Context, Result};
use cross_margin_client::chain::Chain;
use cross_margin_risk::cascade::{CascadeConfig, Impact};
use cross_margin_risk::history::PriceHistory;
use cross_margin_risk::models::{
    path_seed, Historical, Innovations, McConfig, MonteCarlo, ReturnModel,
};
use cross_margin_risk::simulate::AssetMap;
use cross_margin_risk::snapshot::{LoadedBook, Snapshot};
use cross_margin_risk::synthetic::Population;
use std::collections::BTreeMap;
use std::path::Path;

/// Read the book `args` names. `connect` opens the cluster for `--group`.
pub async fn book<C: Chain>(
    args: &BookArgs,
    connect: impl FnOnce() -> Result<C>,
) -> Result<LoadedBook> {
    let labels: BTreeMap<u16, String> = args.labels.iter().cloned().collect();
    let mut loaded = if let Some(path) = &args.snapshot {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading snapshot {}", path.display()))?;
        Snapshot::from_json(&text)?.book()?
    } else if let Some(n) = args.synthetic {
        if n == 0 {
            return Err(anyhow!("--synthetic 0: give at least one borrower"));
        }
        LoadedBook::synthetic(&Population {
            borrowers: n,
            seed: args.book_seed,
            ..Population::default()
        })
    } else if args.demo {
        let mut demo = demo_chain(args.demo_users, args.book_seed).await?;
        let mut all: BTreeMap<u16, String> = demo.labels.iter().cloned().collect();
        all.extend(labels.clone());
        Snapshot::save(&mut demo.chain, &demo.group, &all)
            .await?
            .book()?
    } else if let Some(group) = &args.group {
        let mut chain = connect()?;
        Snapshot::save(&mut chain, group, &labels).await?.book()?
    } else {
        return Err(anyhow!(
            "choose a book: --snapshot FILE (from `cross-margin snapshot save`), --synthetic N, --demo, or --group G on a cluster (-u)"
        ));
    };
    loaded.labels.extend(labels);
    Ok(loaded)
}

/// The demo's group before its crash (with its perp book), with the validator's program
/// logs muted.
pub async fn demo_chain(users: usize, seed: u64) -> Result<crate::demo::DemoGroup> {
    if users == 0 {
        return Err(anyhow!(
            "--demo-users 0: the demo needs at least one borrower"
        ));
    }
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let mute = gag::Gag::stdout().ok();
    let result = crate::demo::group_before_crash(users, seed, true).await;
    drop(mute);
    result
}

/// The price history at `path`, or the bundled 2020–2022 closes.
pub fn history(path: Option<&Path>) -> Result<PriceHistory> {
    match path {
        None => Ok(PriceHistory::default_2020_2022()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("reading price file {}", p.display()))?;
            PriceHistory::from_csv(&text).with_context(|| format!("price file {}", p.display()))
        }
    }
}

/// The fitted return model, and a line describing it.
pub fn model(args: &ModelArgs, h: &PriceHistory) -> Result<(Box<dyn ReturnModel>, String)> {
    let returns = h.log_returns();
    let days = format!(
        "{} days {}..{}",
        returns.n_days(),
        h.dates[0],
        h.dates[h.dates.len() - 1]
    );
    Ok(match args.model {
        ModelArg::Historical => (
            Box::new(Historical::fit(&returns)?),
            format!("historical bootstrap of whole days ({days})"),
        ),
        ModelArg::McNormal | ModelArg::McT => {
            let innovations = if args.model == ModelArg::McNormal {
                Innovations::Normal
            } else {
                Innovations::StudentT { dof: args.dof }
            };
            let m = MonteCarlo::fit(
                &returns,
                McConfig {
                    lambda: args.lambda,
                    innovations,
                },
            )?;
            let what = match m.dof() {
                Some(nu) => format!("Student-t ν = {nu:.2}"),
                None => "normal".to_string(),
            };
            (
                Box::new(m),
                format!(
                    "Monte Carlo, EWMA λ = {} vols and correlation, {what} ({days})",
                    args.lambda
                ),
            )
        }
    })
}

/// Path `path`'s price ratios over `horizon` days: its own stream of `seed`.
pub fn sampler(
    model: &dyn ReturnModel,
    seed: u64,
    horizon: usize,
) -> impl Fn(u64, &mut [f64]) + Sync + '_ {
    move |path, out| {
        let mut rng = path_seed(seed, path);
        model.sample(&mut rng, horizon, out);
    }
}

/// Path `path`'s cumulative price ratios after each of `days` days (row-major
/// `[day][asset]`, `assets` a row): one-day draws from its own stream of `seed`.
pub fn daily_sampler(
    model: &dyn ReturnModel,
    seed: u64,
    days: usize,
    assets: usize,
) -> impl Fn(u64, &mut [f64]) + Sync + '_ {
    move |path, out| {
        let mut rng = path_seed(seed, path);
        let mut day = vec![1.0; assets];
        let mut cumulative = vec![1.0; assets];
        for d in 0..days {
            model.sample(&mut rng, 1, &mut day);
            for (c, r) in cumulative.iter_mut().zip(&day) {
                *c *= r;
            }
            out[d * assets..(d + 1) * assets].copy_from_slice(&cumulative);
        }
    }
}

/// Banks matched to the history's columns by label.
pub fn asset_map(book: &LoadedBook, h: &PriceHistory) -> Result<AssetMap> {
    if book.labels.is_empty() {
        return Err(anyhow!(
            "no bank is labelled with a price-file column, so no price would move: add --label TOKEN_INDEX=SYMBOL (e.g. --label 1=SOL)"
        ));
    }
    AssetMap::by_labels(&h.assets, &book.labels).map_err(|e| anyhow!(e))
}

/// The cascade model: impact on every bank not labelled as a stablecoin.
pub fn cascade(args: &CascadeArgs, book: &LoadedBook) -> Result<CascadeConfig> {
    if !(args.depth_usd.is_finite() && args.depth_usd > 0.0) {
        return Err(anyhow!("--depth-usd must be a positive number of USD"));
    }
    if let Some(c) = args.capital_usd {
        if !(c.is_finite() && c > 0.0) {
            return Err(anyhow!("--capital-usd must be a positive number of USD"));
        }
    }
    let impact = match args.impact {
        ImpactArg::Off => Impact::Off,
        ImpactArg::Linear => Impact::Linear {
            depth_usd: args.depth_usd,
        },
        ImpactArg::Sqrt => Impact::SquareRoot {
            depth_usd: args.depth_usd,
        },
    };
    let impacts = book
        .book
        .banks
        .keys()
        .filter(|t| {
            !book
                .labels
                .get(t)
                .is_some_and(|l| args.stable.iter().any(|s| s.eq_ignore_ascii_case(l)))
        })
        .map(|t| (*t, impact))
        .collect();
    Ok(CascadeConfig {
        impacts,
        capital_usd_per_round: args.capital_usd,
        max_rounds: args.max_rounds.max(1),
        ..CascadeConfig::default()
    })
}

/// A line describing the book.
pub fn describe(book: &LoadedBook) -> String {
    let labels: Vec<String> = book
        .book
        .banks
        .keys()
        .map(|t| {
            book.labels
                .get(t)
                .cloned()
                .unwrap_or_else(|| format!("token {t}"))
        })
        .collect();
    let perps = if book.book.skipped_perp_accounts > 0 {
        format!(
            " ({} accounts with perp positions set aside: the cascade does not model perps yet)",
            book.book.skipped_perp_accounts
        )
    } else {
        String::new()
    };
    format!(
        "{} accounts, banks {}{perps}",
        book.book.accounts.len(),
        labels.join(", ")
    )
}
