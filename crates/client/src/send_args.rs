//! The command-line flags that set [`SendOptions`], shared by the CLI, the keeper and the
//! bootstrap so all three read `--priority-fee` the same way (feature `clap`).

use crate::fees::{self, PriorityFee};
use crate::send::SendOptions;
use std::time::Duration;

/// How transactions are sent: compute unit price, its floor and cap, the compute margin and
/// the confirmation wait. Each flag may also come from its `CROSS_MARGIN_*` variable, for
/// all three tools alike.
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct SendArgs {
    /// Compute unit price: `auto` (a percentile of the fees recent transactions paid on the
    /// same writable accounts: p50 for routine commands, p90 for liquidations),
    /// `auto:<percentile>`, or a price in micro-lamports per compute unit.
    #[arg(
        long,
        global = true,
        env = "CROSS_MARGIN_PRIORITY_FEE",
        default_value = "auto",
        value_name = "auto|auto:P|N"
    )]
    pub priority_fee: PriorityFee,
    /// The highest compute unit price offered, micro-lamports (caps `auto` and fixed
    /// prices alike).
    #[arg(
        long,
        global = true,
        env = "CROSS_MARGIN_MAX_PRIORITY_FEE",
        default_value_t = fees::DEFAULT_MAX_PRIORITY_FEE,
        value_name = "MICRO_LAMPORTS"
    )]
    pub max_priority_fee: u64,
    /// The lowest compute unit price offered, micro-lamports: what `auto` offers when the
    /// recent fees (per-slot minimums, often 0 on quiet accounts) are lower or cannot be
    /// read. The cap wins over it.
    #[arg(
        long,
        global = true,
        env = "CROSS_MARGIN_MIN_PRIORITY_FEE",
        default_value_t = 0,
        value_name = "MICRO_LAMPORTS"
    )]
    pub min_priority_fee: u64,
    /// Compute units requested over what the simulation used, basis points.
    #[arg(
        long,
        global = true,
        env = "CROSS_MARGIN_COMPUTE_MARGIN_BPS",
        default_value_t = fees::DEFAULT_COMPUTE_MARGIN_BPS,
        value_name = "BPS"
    )]
    pub compute_margin_bps: u32,
    /// Seconds to wait for a confirmation while the transaction's blockhash is valid.
    #[arg(
        long,
        global = true,
        env = "CROSS_MARGIN_CONFIRM_TIMEOUT_SECS",
        default_value_t = 90,
        value_name = "SECS"
    )]
    pub confirm_timeout_secs: u64,
}

impl SendArgs {
    /// The options these flags set; `dry_run` from the tool's own flag.
    pub fn options(&self, dry_run: bool) -> SendOptions {
        SendOptions {
            priority_fee: self.priority_fee,
            max_priority_fee: self.max_priority_fee,
            min_priority_fee: self.min_priority_fee,
            compute_margin_bps: self.compute_margin_bps,
            dry_run,
            confirm_timeout: Duration::from_secs(self.confirm_timeout_secs),
            ..SendOptions::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Tool {
        #[command(flatten)]
        send: SendArgs,
    }

    #[test]
    fn defaults_are_the_send_options_defaults_and_flags_override_them() {
        let t = Tool::try_parse_from(["tool"]).unwrap();
        assert_eq!(t.send.options(false), SendOptions::default());
        let t = Tool::try_parse_from([
            "tool",
            "--priority-fee",
            "5000",
            "--max-priority-fee",
            "4000",
        ])
        .unwrap();
        let o = t.send.options(true);
        assert_eq!(o.priority_fee, PriorityFee::Fixed(5_000));
        assert_eq!(o.max_priority_fee, 4_000);
        assert!(o.dry_run);
        let err = Tool::try_parse_from(["tool", "--priority-fee", "fast"])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("micro-lamports"), "{err}");
    }
}
