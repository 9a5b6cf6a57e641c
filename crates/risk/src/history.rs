//! Daily closing prices and the log returns the models are fitted on.
//!
//! **Why real history.** A risk number is only as good as the distribution behind it, and
//! crypto daily returns are nothing like a textbook normal: SOL moved ±20 % in a day many
//! times in 2020–2021, fell 53 % in two days when FTX failed, and SOL, ETH and BTC fall
//! together in crashes. The engine therefore ships a real data set
//! (`data/daily-closes-2020-2022.csv`, see `data/README.md` for its provenance), compiled
//! into the binary so nothing is read from disk at run time, and accepts any file in the
//! same format for other assets or periods.
//!
//! **Format.** A header `date,SYM1,SYM2,...`, then one row a day: an ISO date
//! (`YYYY-MM-DD`, strictly ascending) and one positive decimal close per asset. Blank
//! lines, a trailing `\r` and a leading byte-order mark are ignored. Bad input is reported
//! as a [`HistoryError`] naming the line (1-based, the header is line 1) and column; it
//! never panics.
//!
//! **Why log returns.** `ln(P[t+1] / P[t])` adds over days (a horizon's return is the sum
//! of its daily ones), is symmetric in up and down moves, and turns back into the price
//! ratio the models hand out with one `exp`.

use std::fmt;

/// The bundled 2020-04-10 .. 2022-12-31 daily closes of SOL, ETH, BTC, USDC and USDT.
pub const DEFAULT_CSV: &str = include_str!("../data/daily-closes-2020-2022.csv");

/// Why a price file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryError {
    /// The text has no header line.
    Empty,
    /// The header is not `date,SYM1,SYM2,...` (the reason says what is wrong).
    BadHeader(String),
    /// An asset appears twice in the header.
    DuplicateAsset(String),
    /// A row has a different number of fields from the header.
    ColumnCount {
        /// 1-based line number (the header is line 1).
        line: usize,
        /// Fields the header has.
        expected: usize,
        /// Fields the row has.
        found: usize,
    },
    /// A date is not `YYYY-MM-DD`.
    BadDate {
        /// 1-based line number.
        line: usize,
        /// The date field as written.
        text: String,
    },
    /// A price does not parse as a finite decimal number above zero.
    BadPrice {
        /// 1-based line number.
        line: usize,
        /// 1-based column (the date is column 1).
        column: usize,
        /// The column's asset.
        asset: String,
        /// The field as written.
        text: String,
    },
    /// A date is not after the previous row's.
    DatesNotAscending {
        /// 1-based line number.
        line: usize,
        /// This row's date.
        date: String,
        /// The previous row's date.
        previous: String,
    },
    /// The header is fine but there is no row of prices.
    NoRows,
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::Empty => write!(
                f,
                "the price file is empty: it needs a header `date,SYM1,SYM2,...` and one row a day"
            ),
            HistoryError::BadHeader(why) => write!(
                f,
                "line 1: bad header ({why}); expected `date,SYM1,SYM2,...`"
            ),
            HistoryError::DuplicateAsset(a) => {
                write!(f, "line 1: asset {a} appears twice in the header; name each column once")
            }
            HistoryError::ColumnCount {
                line,
                expected,
                found,
            } => write!(
                f,
                "line {line}: {found} fields, the header has {expected} (a date and one price per asset)"
            ),
            HistoryError::BadDate { line, text } => {
                write!(f, "line {line}: date `{text}` is not YYYY-MM-DD")
            }
            HistoryError::BadPrice {
                line,
                column,
                asset,
                text,
            } => write!(
                f,
                "line {line} column {column} ({asset}): `{text}` is not a positive decimal price"
            ),
            HistoryError::DatesNotAscending {
                line,
                date,
                previous,
            } => write!(
                f,
                "line {line}: date {date} does not come after {previous}; sort the rows by date, one row a day"
            ),
            HistoryError::NoRows => {
                write!(f, "the price file has a header but no row of prices")
            }
        }
    }
}

impl std::error::Error for HistoryError {}

/// Daily closes of a set of assets over a run of days.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceHistory {
    /// Asset symbols, in the file's column order.
    pub assets: Vec<String>,
    /// One ISO date per row, strictly ascending.
    pub dates: Vec<String>,
    /// Row-major `[day][asset]`.
    closes: Vec<f64>,
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

impl PriceHistory {
    /// Parse a price file (format in the module docs).
    pub fn from_csv(text: &str) -> Result<Self, HistoryError> {
        // A spreadsheet's UTF-8 byte-order mark is not part of the header.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty());
        let (_, header) = lines.next().ok_or(HistoryError::Empty)?;
        let fields: Vec<&str> = header.split(',').map(str::trim).collect();
        if !fields[0].eq_ignore_ascii_case("date") {
            return Err(HistoryError::BadHeader(format!(
                "the first column is `{}`, not `date`",
                fields[0]
            )));
        }
        if fields.len() < 2 {
            return Err(HistoryError::BadHeader("no asset column".into()));
        }
        let mut assets: Vec<String> = Vec::with_capacity(fields.len() - 1);
        for (i, f) in fields[1..].iter().enumerate() {
            if f.is_empty() {
                return Err(HistoryError::BadHeader(format!(
                    "column {} has no name",
                    i + 2
                )));
            }
            if assets.iter().any(|a| a == f) {
                return Err(HistoryError::DuplicateAsset(f.to_string()));
            }
            assets.push(f.to_string());
        }
        let mut dates: Vec<String> = Vec::new();
        let mut closes = Vec::new();
        for (line, row) in lines {
            let fields: Vec<&str> = row.split(',').map(str::trim).collect();
            if fields.len() != assets.len() + 1 {
                return Err(HistoryError::ColumnCount {
                    line,
                    expected: assets.len() + 1,
                    found: fields.len(),
                });
            }
            let date = fields[0];
            if !is_iso_date(date) {
                return Err(HistoryError::BadDate {
                    line,
                    text: date.to_string(),
                });
            }
            if let Some(previous) = dates.last() {
                if date <= previous.as_str() {
                    return Err(HistoryError::DatesNotAscending {
                        line,
                        date: date.to_string(),
                        previous: previous.clone(),
                    });
                }
            }
            for (a, text) in fields[1..].iter().enumerate() {
                match text.parse::<f64>() {
                    Ok(p) if p.is_finite() && p > 0.0 => closes.push(p),
                    _ => {
                        return Err(HistoryError::BadPrice {
                            line,
                            column: a + 2,
                            asset: assets[a].clone(),
                            text: text.to_string(),
                        })
                    }
                }
            }
            dates.push(date.to_string());
        }
        if dates.is_empty() {
            return Err(HistoryError::NoRows);
        }
        Ok(Self {
            assets,
            dates,
            closes,
        })
    }

    /// The bundled 2020–2022 file ([`DEFAULT_CSV`]).
    pub fn default_2020_2022() -> Self {
        Self::from_csv(DEFAULT_CSV).expect("the bundled price file is valid (tested)")
    }

    /// Number of days (rows).
    pub fn n_days(&self) -> usize {
        self.dates.len()
    }

    /// Number of assets (price columns).
    pub fn n_assets(&self) -> usize {
        self.assets.len()
    }

    /// Close of `asset` on `day` (indices as in [`Self::assets`] and [`Self::dates`]).
    /// Panics if either is out of range, like slice indexing.
    pub fn close(&self, day: usize, asset: usize) -> f64 {
        assert!(
            asset < self.assets.len(),
            "asset index {asset} out of range"
        );
        self.closes[day * self.assets.len() + asset]
    }

    /// All closes of one day, in asset order.
    pub fn day(&self, day: usize) -> &[f64] {
        let k = self.assets.len();
        &self.closes[day * k..(day + 1) * k]
    }

    /// Column of `symbol`, if the file has it.
    pub fn asset_index(&self, symbol: &str) -> Option<usize> {
        self.assets.iter().position(|a| a == symbol)
    }

    /// Row of `date` (`YYYY-MM-DD`), if the file has it.
    pub fn day_index(&self, date: &str) -> Option<usize> {
        self.dates.binary_search_by(|d| d.as_str().cmp(date)).ok()
    }

    /// Days `[from_day, to_day)` as a history of their own (clamped to the file).
    pub fn window(&self, from_day: usize, to_day: usize) -> PriceHistory {
        let to = to_day.min(self.n_days());
        let from = from_day.min(to);
        let k = self.assets.len();
        PriceHistory {
            assets: self.assets.clone(),
            dates: self.dates[from..to].to_vec(),
            closes: self.closes[from * k..to * k].to_vec(),
        }
    }

    /// Daily log returns: row `i` is `ln(close[i + 1] / close[i])` for every asset, dated
    /// by day `i + 1`. A history of `n` days has `n − 1` returns.
    pub fn log_returns(&self) -> Returns {
        let k = self.assets.len();
        let n = self.n_days().saturating_sub(1);
        let mut rows = Vec::with_capacity(n * k);
        for d in 0..n {
            for a in 0..k {
                rows.push((self.closes[(d + 1) * k + a] / self.closes[d * k + a]).ln());
            }
        }
        Returns {
            assets: self.assets.clone(),
            dates: self.dates.iter().skip(1).cloned().collect(),
            rows,
            n_days: n,
        }
    }
}

/// Daily log returns of a set of assets, row-major `[day][asset]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Returns {
    /// Asset symbols, in column order.
    pub assets: Vec<String>,
    /// Date each return ends on (the later close); empty for returns built with
    /// [`Returns::new`].
    pub dates: Vec<String>,
    /// Row-major `[day][asset]`, `n_days × assets.len()` values.
    pub rows: Vec<f64>,
    /// Number of days (rows).
    pub n_days: usize,
}

impl Returns {
    /// Returns from raw rows (row-major `[day][asset]`, e.g. synthetic data in tests);
    /// `None` if `rows.len()` is not a multiple of `assets.len()` or there is no asset.
    pub fn new(assets: Vec<String>, rows: Vec<f64>) -> Option<Self> {
        if assets.is_empty() || !rows.len().is_multiple_of(assets.len()) {
            return None;
        }
        let n_days = rows.len() / assets.len();
        Some(Self {
            assets,
            dates: Vec::new(),
            rows,
            n_days,
        })
    }

    /// Number of assets (columns).
    pub fn n_assets(&self) -> usize {
        self.assets.len()
    }

    /// Number of days (rows).
    pub fn n_days(&self) -> usize {
        self.n_days
    }

    /// Return of `asset` on `day`; panics if out of range.
    pub fn get(&self, day: usize, asset: usize) -> f64 {
        assert!(
            asset < self.assets.len(),
            "asset index {asset} out of range"
        );
        self.rows[day * self.assets.len() + asset]
    }

    /// All returns of one day, in asset order.
    pub fn day(&self, day: usize) -> &[f64] {
        let k = self.assets.len();
        &self.rows[day * k..(day + 1) * k]
    }

    /// Every day's return of one asset.
    pub fn column(&self, asset: usize) -> Vec<f64> {
        (0..self.n_days).map(|d| self.get(d, asset)).collect()
    }

    /// Column of `symbol`, if present.
    pub fn asset_index(&self, symbol: &str) -> Option<usize> {
        self.assets.iter().position(|a| a == symbol)
    }

    /// Days `[from_day, to_day)` (clamped to the available days).
    pub fn window(&self, from_day: usize, to_day: usize) -> Returns {
        let to = to_day.min(self.n_days);
        let from = from_day.min(to);
        let k = self.assets.len();
        Returns {
            assets: self.assets.clone(),
            dates: if self.dates.len() == self.n_days {
                self.dates[from..to].to_vec()
            } else {
                Vec::new()
            },
            rows: self.rows[from * k..to * k].to_vec(),
            n_days: to - from,
        }
    }
}

#[cfg(test)]
mod tests;
