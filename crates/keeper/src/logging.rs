//! Where the keeper's logs go and what they look like.
//!
//! An operator reads the keeper on a terminal, but in production its output usually lands in
//! a file, journald or a log shipper. Colour codes are noise there, so colours are on only
//! when the stream the logs are written to (standard output, tracing-subscriber's default,
//! chosen explicitly here so the stream checked and the stream written are the same) is a
//! terminal and `NO_COLOR` is unset or empty (<https://no-color.org>).
//!
//! `--log-format json` writes one JSON object per line (timestamp, level, target, message
//! and the event's fields at the top level) for shippers that parse structured logs.
//! `RUST_LOG` filters as usual (default `info`).

use std::io::IsTerminal;
use tracing::Subscriber;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// `--log-format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines; coloured only on a terminal.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Whether text logs written to a stream should carry colour codes: only on a terminal, and
/// not when `no_color` (the `NO_COLOR` variable) is set to something non-empty.
pub fn colour(is_terminal: bool, no_color: Option<&str>) -> bool {
    is_terminal && no_color.is_none_or(str::is_empty)
}

/// A subscriber writing `format` logs that pass `filter` to `writer`; `colour` applies to
/// text only (JSON never carries colour codes).
pub fn subscriber<W>(
    format: LogFormat,
    filter: EnvFilter,
    writer: W,
    colour: bool,
) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        LogFormat::Text => Box::new(builder.with_ansi(colour).finish()),
        LogFormat::Json => Box::new(
            builder
                .with_ansi(false)
                .json()
                .flatten_event(true)
                .with_current_span(false)
                .with_span_list(false)
                .finish(),
        ),
    }
}

/// The filter from `RUST_LOG`, `info` when unset. An unparsable `RUST_LOG` is reported on
/// standard error (once, before logging starts) and `info` is used.
fn filter() -> EnvFilter {
    match EnvFilter::try_from_default_env() {
        Ok(f) => f,
        Err(e) => {
            if std::env::var_os(EnvFilter::DEFAULT_ENV).is_some() {
                eprintln!("warning: ignoring RUST_LOG ({e}); logging at info");
            }
            EnvFilter::new("info")
        }
    }
}

/// Install the keeper's logger: `format` to standard output, coloured only on a terminal.
pub fn init(format: LogFormat) {
    let no_color = std::env::var("NO_COLOR").ok();
    let colour = colour(std::io::stdout().is_terminal(), no_color.as_deref());
    let subscriber = subscriber(format, filter(), std::io::stdout, colour);
    if tracing::subscriber::set_global_default(subscriber).is_err() {
        eprintln!("warning: a logger was already installed; keeping it");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// An in-memory log stream (not a terminal).
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The keeper's tick line and a filtered-out debug line, logged through a subscriber
    /// built as `init` builds it, into a buffer.
    fn log(format: LogFormat, colour: bool) -> String {
        let buffer = Buffer::default();
        let out = buffer.clone();
        let subscriber = subscriber(format, EnvFilter::new("info"), move || out.clone(), colour);
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(detail = 1, "not shown at info");
            tracing::info!(scanned = 3, liquidations = 1, group = %"G1", "tick");
        });
        let bytes = buffer.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn json_logs_are_one_object_per_line_with_the_fields_at_the_top() {
        let out = log(LogFormat::Json, true);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(v["level"], "INFO");
        assert_eq!(v["message"], "tick");
        assert_eq!(v["scanned"], 3);
        assert_eq!(v["liquidations"], 1);
        assert_eq!(v["group"], "G1");
        assert_eq!(v["target"], module_path!());
        assert!(
            v["timestamp"].as_str().is_some_and(|t| t.contains('T')),
            "{v}"
        );
        assert!(
            !out.contains("\x1b["),
            "JSON never carries colour codes: {out:?}"
        );
    }

    #[test]
    fn text_logs_carry_colour_codes_only_on_a_terminal() {
        let plain = log(LogFormat::Text, colour(false, None));
        assert!(!plain.contains("\x1b["), "{plain:?}");
        assert!(
            plain.contains("INFO") && plain.contains("tick") && plain.contains("scanned=3"),
            "{plain:?}"
        );
        assert!(!plain.contains("not shown"), "{plain:?}");
        let coloured = log(LogFormat::Text, colour(true, None));
        assert!(coloured.contains("\x1b["), "{coloured:?}");
    }

    #[test]
    fn no_color_turns_colours_off_on_a_terminal() {
        assert!(colour(true, None));
        assert!(colour(true, Some("")), "an empty NO_COLOR does not count");
        assert!(!colour(true, Some("1")));
        assert!(!colour(false, None));
    }
}
