//! Keeper metrics: atomic counters, rendered in the Prometheus text format, served with
//! `/healthz` and the `/margin-calls` watchlist by a small HTTP server thread.

use crate::margin_calls::Watchlist;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Default, Debug)]
pub struct Metrics {
    pub accounts_scanned: AtomicU64,
    pub accounts_liquidatable: AtomicU64,
    pub liquidations_sent: AtomicU64,
    pub liquidation_failures: AtomicU64,
    pub bankruptcies_resolved: AtomicU64,
    /// Auto-deleveraging steps confirmed.
    pub deleverages_sent: AtomicU64,
    pub interest_cranks: AtomicU64,
    /// Queued admin changes applied once due.
    pub changes_applied: AtomicU64,
    pub tick_errors: AtomicU64,
    pub last_scan_micros: AtomicU64,
    /// Unix time of the last successful tick.
    pub last_ok_unix: AtomicI64,
    /// The margin-call watchlist of the last successful tick (`None` before the first).
    pub margin_calls: Mutex<Option<Watchlist>>,
}

impl Metrics {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// The last watchlist (a panicked writer cannot poison it for the server).
    pub fn watchlist(&self) -> Option<Watchlist> {
        self.margin_calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_watchlist(&self, list: Watchlist) {
        *self.margin_calls.lock().unwrap_or_else(|e| e.into_inner()) = Some(list);
    }

    /// What `/margin-calls` answers: 200 with the watchlist's JSON ([`Watchlist::to_json`]),
    /// or 503 with `{"error": …}` before the first tick has completed.
    pub fn margin_calls_response(&self) -> (u16, String) {
        match self.watchlist() {
            Some(list) => (200, list.to_json()),
            None => (
                503,
                r#"{"error":"no keeper tick has completed yet; retry after the first tick"}"#
                    .to_string(),
            ),
        }
    }

    pub fn render(&self) -> String {
        let rows = [
            (
                "keeper_accounts_scanned_total",
                "counter",
                "Margin accounts evaluated",
                self.accounts_scanned.load(Ordering::Relaxed),
            ),
            (
                "keeper_accounts_liquidatable",
                "gauge",
                "Liquidatable accounts in the last tick",
                self.accounts_liquidatable.load(Ordering::Relaxed),
            ),
            (
                "keeper_liquidations_sent_total",
                "counter",
                "Liquidation transactions confirmed",
                self.liquidations_sent.load(Ordering::Relaxed),
            ),
            (
                "keeper_failures_total",
                "counter",
                "Transactions that failed",
                self.liquidation_failures.load(Ordering::Relaxed),
            ),
            (
                "keeper_bankruptcies_resolved_total",
                "counter",
                "Bankruptcies resolved",
                self.bankruptcies_resolved.load(Ordering::Relaxed),
            ),
            (
                "keeper_deleverages_sent_total",
                "counter",
                "Auto-deleveraging steps confirmed",
                self.deleverages_sent.load(Ordering::Relaxed),
            ),
            (
                "keeper_interest_cranks_total",
                "counter",
                "Interest and stable price cranks sent",
                self.interest_cranks.load(Ordering::Relaxed),
            ),
            (
                "keeper_changes_applied_total",
                "counter",
                "Queued admin changes applied once their timelock passed",
                self.changes_applied.load(Ordering::Relaxed),
            ),
            (
                "keeper_tick_errors_total",
                "counter",
                "Ticks abandoned (node unreachable or bad data)",
                self.tick_errors.load(Ordering::Relaxed),
            ),
            (
                "keeper_scan_seconds",
                "gauge",
                "Duration of the last scan",
                0,
            ),
        ];
        let mut out = String::new();
        for (name, kind, help, value) in rows {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n"));
            if name == "keeper_scan_seconds" {
                let secs = self.last_scan_micros.load(Ordering::Relaxed) as f64 / 1e6;
                out.push_str(&format!("{name} {secs}\n"));
            } else {
                out.push_str(&format!("{name} {value}\n"));
            }
        }
        Watchlist::render_metrics(self.watchlist().as_ref(), &mut out);
        out
    }
}

/// Serve `/metrics`, `/margin-calls` and `/healthz` on `addr` from a background thread;
/// returns the bound address (`127.0.0.1:0` picks a free port). `/healthz` answers 200
/// while the last successful tick is at most `stale_after_secs` old, 503 otherwise;
/// `/margin-calls` is [`Metrics::margin_calls_response`] as `application/json`. A query
/// string is ignored.
pub fn serve(addr: &str, metrics: Arc<Metrics>, stale_after_secs: i64) -> anyhow::Result<String> {
    let server = tiny_http::Server::http(addr)
        .map_err(|e| anyhow::anyhow!("metrics server on {addr}: {e}"))?;
    let bound = server.server_addr().to_string();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().split('?').next().unwrap_or_default();
            let response = match path {
                "/margin-calls" => {
                    let (status, body) = metrics.margin_calls_response();
                    let json = tiny_http::Header::from_bytes(
                        &b"Content-Type"[..],
                        &b"application/json"[..],
                    )
                    .ok();
                    let response = tiny_http::Response::from_string(body).with_status_code(status);
                    match json {
                        Some(h) => response.with_header(h),
                        None => response,
                    }
                }
                "/metrics" => {
                    tiny_http::Response::from_string(metrics.render()).with_status_code(200)
                }
                "/healthz" => {
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs() as i64)
                        .unwrap_or(0);
                    let last = metrics.last_ok_unix.load(Ordering::Relaxed);
                    if last > 0 && now - last <= stale_after_secs {
                        tiny_http::Response::from_string("ok\n").with_status_code(200)
                    } else {
                        tiny_http::Response::from_string("stale\n").with_status_code(503)
                    }
                }
                _ => tiny_http::Response::from_string("not found\n").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn get(addr: &str, path: &str) -> String {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
        let mut body = String::new();
        stream.read_to_string(&mut body).unwrap();
        body
    }

    #[test]
    fn metrics_and_health_endpoints() {
        let metrics = Arc::new(Metrics::default());
        Metrics::add(&metrics.liquidations_sent, 3);
        let addr = serve("127.0.0.1:0", metrics.clone(), 60).unwrap();
        let page = get(&addr, "/metrics");
        assert!(page.contains("keeper_liquidations_sent_total 3"), "{page}");
        assert!(page.contains("# TYPE keeper_scan_seconds gauge"));
        assert!(
            get(&addr, "/healthz").starts_with("HTTP/1.0 503")
                || get(&addr, "/healthz").contains("503")
        );
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        metrics.last_ok_unix.store(now, Ordering::Relaxed);
        assert!(get(&addr, "/healthz").contains("200"));
        assert!(get(&addr, "/nope").contains("404"));
    }

    #[test]
    fn the_margin_calls_endpoint_serves_the_last_watchlist_as_json() {
        let metrics = Arc::new(Metrics::default());
        let addr = serve("127.0.0.1:0", metrics.clone(), 60).unwrap();
        let before = get(&addr, "/margin-calls");
        assert!(
            before.contains("503") && before.contains("no keeper tick"),
            "{before}"
        );
        metrics.set_watchlist(Watchlist {
            tick: 4,
            unix_time: 1_234,
            ..Watchlist::default()
        });
        let page = get(&addr, "/margin-calls?pretty=0");
        assert!(
            page.starts_with("HTTP/1.0 200") || page.contains("200 OK"),
            "{page}"
        );
        assert!(page
            .to_ascii_lowercase()
            .contains("content-type: application/json"));
        let body = page.split("\r\n\r\n").nth(1).unwrap();
        let doc: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(
            (doc["tick"].as_u64(), doc["count"].as_u64()),
            (Some(4), Some(0))
        );
        assert!(get(&addr, "/metrics").contains("keeper_margin_call_accounts 0\n"));
    }
}
