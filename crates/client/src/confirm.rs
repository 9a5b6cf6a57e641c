//! When a sent transaction may be signed again: the decisions of the RPC backend's
//! confirmation loop, as pure logic so every race is unit-tested.
//!
//! The one rule that matters: **a transaction is re-signed (new blockhash, new signature)
//! only when the old one can no longer land and was never seen landing.** A blockhash
//! expires when the cluster's block height passes the transaction's last valid height;
//! after that the old signature can never be processed. But a node may report the height
//! before it reports a status that landed just in time, and a load-balanced endpoint may
//! answer from a lagging node. So on expiry the signature is looked up once more *with
//! transaction history*, and re-signing happens only if that lookup finds nothing and no
//! earlier poll ever saw it processed. Anything else that leaves the outcome open (seen
//! processed then gone, the lookup failing, the wait timing out) is reported as unknown
//! with the signature, never resent.
//!
//! A failure is only believed at `confirmed`: an error seen at `processed` may belong to a
//! minority fork, so the loop keeps waiting for it to confirm.

use solana_transaction_error::TransactionError;

/// What a status poll said of the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The node knows nothing of it.
    NotFound,
    /// Processed (possibly failed) but not yet confirmed.
    Processed,
    /// Confirmed, successfully.
    Confirmed,
    /// Confirmed, failed with this error.
    Failed(TransactionError),
}

/// What the loop does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Confirmed,
    Failed(TransactionError),
    /// The blockhash expired and the transaction never landed: safe to sign again.
    Resign,
    /// The transaction may have landed or may still land: report it, do not resend.
    Unknown(String),
}

/// The state of one broadcast attempt.
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    /// Some poll saw the signature processed.
    seen_processed: bool,
}

impl Tracker {
    /// After a status poll: the outcome if it is final, `None` to keep waiting.
    pub fn on_status(&mut self, status: &Status) -> Option<Outcome> {
        match status {
            Status::NotFound => None,
            Status::Processed => {
                self.seen_processed = true;
                None
            }
            Status::Confirmed => Some(Outcome::Confirmed),
            Status::Failed(e) => Some(Outcome::Failed(e.clone())),
        }
    }

    /// The block height passed the last valid height; `history` is the signature's status
    /// looked up with transaction history (`None` if that lookup failed).
    pub fn on_expiry(&mut self, history: Option<Status>) -> Outcome {
        match history {
            Some(Status::Confirmed) => Outcome::Confirmed,
            Some(Status::Failed(e)) => Outcome::Failed(e),
            Some(Status::Processed) => Outcome::Unknown(
                "processed but not yet confirmed when its blockhash expired".into(),
            ),
            Some(Status::NotFound) if !self.seen_processed => Outcome::Resign,
            Some(Status::NotFound) => Outcome::Unknown(
                "seen processed, then no longer found: a fork may have dropped it".into(),
            ),
            None => Outcome::Unknown(
                "its blockhash expired and its status could not be looked up".into(),
            ),
        }
    }

    /// The wait ran past its timeout with the blockhash still valid.
    pub fn on_timeout(&self, secs: u64) -> Outcome {
        Outcome::Unknown(format!(
            "not confirmed within {secs} s and its blockhash is still valid"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirmation_and_confirmed_failure_are_final_processed_is_not() {
        let mut t = Tracker::default();
        assert_eq!(t.on_status(&Status::NotFound), None);
        assert_eq!(t.on_status(&Status::Processed), None);
        assert_eq!(t.on_status(&Status::Confirmed), Some(Outcome::Confirmed));
        let e = TransactionError::InsufficientFundsForFee;
        assert_eq!(
            t.on_status(&Status::Failed(e.clone())),
            Some(Outcome::Failed(e))
        );
    }

    #[test]
    fn expiry_resigns_only_a_transaction_never_seen_and_not_found_in_history() {
        let mut t = Tracker::default();
        t.on_status(&Status::NotFound);
        assert_eq!(t.on_expiry(Some(Status::NotFound)), Outcome::Resign);
    }

    /// The race that would execute a transaction twice: it landed just before the height
    /// passed its last valid height, but the status poll came back empty (a lagging node)
    /// while the height poll showed expiry. The history lookup finds it.
    #[test]
    fn a_late_landing_found_in_history_is_not_resent() {
        let mut t = Tracker::default();
        t.on_status(&Status::NotFound);
        assert_eq!(t.on_expiry(Some(Status::Confirmed)), Outcome::Confirmed);
        let mut t = Tracker::default();
        assert!(matches!(
            t.on_expiry(Some(Status::Processed)),
            Outcome::Unknown(_)
        ));
    }

    #[test]
    fn a_transaction_seen_processed_is_never_resent() {
        let mut t = Tracker::default();
        t.on_status(&Status::Processed);
        t.on_status(&Status::NotFound);
        assert!(matches!(
            t.on_expiry(Some(Status::NotFound)),
            Outcome::Unknown(_)
        ));
        assert!(matches!(t.on_expiry(None), Outcome::Unknown(_)));
    }

    #[test]
    fn a_failed_history_lookup_or_a_timeout_is_unknown_not_resent() {
        let mut t = Tracker::default();
        assert!(matches!(t.on_expiry(None), Outcome::Unknown(_)));
        assert!(matches!(t.on_timeout(90), Outcome::Unknown(r) if r.contains("90 s")));
    }
}
