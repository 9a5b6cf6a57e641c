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
