//! Command results: one value rendered as JSON or as an aligned table.

use serde_json::{Map, Value};

#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// A command's result: key/value fields and optionally a table of rows.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub fields: Vec<(String, Value)>,
    pub table: Option<(Vec<String>, Vec<Vec<String>>)>,
}

impl Report {
    pub fn field(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.fields.push((key.to_string(), value.into()));
        self
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => {
                let mut map = Map::new();
                for (k, v) in &self.fields {
                    map.insert(k.clone(), v.clone());
                }
                if let Some((headers, rows)) = &self.table {
                    let rows: Vec<Value> = rows
                        .iter()
                        .map(|r| {
                            Value::Object(
                                headers
                                    .iter()
                                    .cloned()
                                    .zip(r.iter().map(|c| Value::String(c.clone())))
                                    .collect(),
                            )
                        })
                        .collect();
                    map.insert("rows".into(), Value::Array(rows));
                }
                serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default()
            }
            Format::Table => {
                let width = self.fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                let mut out = String::new();
                for (k, v) in &self.fields {
                    let v = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    out.push_str(&format!("{k:<width$}  {v}\n"));
                }
                if let Some((headers, rows)) = &self.table {
                    out.push_str(&table(headers, rows));
                }
                out
            }
        }
    }
}

/// Render rows under headers with columns padded to their widest cell.
pub fn table(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.len());
            }
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:>w$}", w = widths[i]))
            .collect::<Vec<_>>()
            .join("  ")
            + "\n"
    };
    let mut out = line(headers);
    out.push_str(
        &(widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
            + "\n"),
    );
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

/// A unix time as `UNIX (YYYY-MM-DD HH:MM:SS UTC, in 1h 5m)` relative to `now`.
pub fn time(ts: i64, now: i64) -> String {
    let rel = if ts == now {
        "now".to_string()
    } else if ts > now {
        format!("in {}", duration(ts - now))
    } else {
        format!("{} ago", duration(now - ts))
    };
    format!("{ts} ({}, {rel})", utc(ts))
}

/// `YYYY-MM-DD HH:MM:SS UTC` (proleptic Gregorian, days-from-civil inverted).
pub fn utc(ts: i64) -> String {
    let (days, secs) = (ts.div_euclid(86_400), ts.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + (month <= 2) as i64;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}

/// A length of time in its two largest units: `2d 3h`, `5m 10s`, `42s`.
pub fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    let units = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    let mut parts = vec![];
    let mut rest = secs;
    for (size, name) in units {
        if rest >= size || (parts.is_empty() && size == 1) {
            parts.push(format!("{}{name}", rest / size));
            rest %= size;
        }
        if parts.len() == 2 {
            break;
        }
    }
    parts.join(" ")
}

/// Basis points as a percentage: `2500` → `25.00%`.
pub fn bps(v: u64) -> String {
    format!("{:.2}%", v as f64 / 100.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_and_durations() {
        assert_eq!(super::utc(1_767_225_600), "2026-01-01 00:00:00 UTC");
        assert_eq!(super::utc(951_827_696), "2000-02-29 12:34:56 UTC");
        assert_eq!(super::duration(90_061), "1d 1h");
        assert_eq!(super::duration(3_600), "1h");
        assert_eq!(super::duration(0), "0s");
        assert_eq!(
            super::time(1_767_225_600 + 65, 1_767_225_600),
            "1767225665 (2026-01-01 00:01:05 UTC, in 1m 5s)"
        );
    }
}
