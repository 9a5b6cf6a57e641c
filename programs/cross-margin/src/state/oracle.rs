//! Reading Pyth prices: both the legacy push account and the pull `PriceUpdateV2`.
//!
//! Reading is split in two pure steps so the keeper and CLI run the same checks:
//! [`parse_oracle`] turns account bytes into a [`RawPrice`] (format checks only), and
//! [`validate_price`] applies the bank's policy (status, feed, verification, price > 0,
//! exponent range, staleness, confidence). [`read_bank_oracle`] adds the account checks
//! (key = bank's oracle, owner = the Pyth program of that kind) for on-chain use.
//!
//! The legacy account is read field by field at its fixed offsets rather than cast with
//! `pyth_sdk_solana::state::load_price_account`: that cast panics on misaligned input and
//! its `Pod` impl covers `repr(u8)` enums, so an out-of-range status byte would be undefined
//! behaviour. Our reader never panics; a unit test proves it agrees with the SDK's reader on
//! the real mainnet account.

use crate::error::CrossMarginError;
use crate::health::OraclePrice;
use crate::math::interest::BPS;
use anchor_lang::prelude::*;
use pyth_solana_receiver_sdk::price_update::{PriceUpdateV2, VerificationLevel};

/// Owner of legacy Pyth push price accounts on mainnet.
pub const PYTH_LEGACY_PROGRAM_ID: Pubkey = pubkey!("FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH");
/// Owner of `PriceUpdateV2` accounts (the Pyth receiver program).
pub const PYTH_RECEIVER_PROGRAM_ID: Pubkey = pyth_solana_receiver_sdk::ID;

/// Supported exponents: wide enough for any listed token, narrow enough to keep maths exact.
pub const MIN_EXPO: i32 = -18;
pub const MAX_EXPO: i32 = 12;

/// Which Pyth account format a bank's oracle uses. `Bank.oracle_kind` stores it as a byte:
/// 0 = `PythLegacy` (legacy push price account), 1 = `PythPull` (`PriceUpdateV2`).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OracleKind {
    PythLegacy,
    PythPull,
}

impl TryFrom<u8> for OracleKind {
    type Error = anchor_lang::error::Error;
    fn try_from(v: u8) -> Result<Self> {
        match v {
            0 => Ok(Self::PythLegacy),
            1 => Ok(Self::PythPull),
            _ => err!(CrossMarginError::InvalidAccount),
        }
    }
}

impl OracleKind {
    pub fn owner(&self) -> Pubkey {
        match self {
            Self::PythLegacy => PYTH_LEGACY_PROGRAM_ID,
            Self::PythPull => PYTH_RECEIVER_PROGRAM_ID,
        }
    }
}

/// A price as stored in the oracle account, before any policy check.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RawPrice {
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
    /// Legacy: aggregate status is Trading. Pull: always true (no status field).
    pub trading: bool,
    /// Pull: the feed id. Legacy: all zero (the account key identifies the feed).
    pub feed_id: [u8; 32],
    /// Pull: verification level is Full. Legacy: always true.
    pub fully_verified: bool,
    /// Pull: who may overwrite the account. Legacy: the default key (not applicable).
    pub write_authority: Pubkey,
}

/// Legacy price account layout (pyth-client `pc_price_t`, version 2).
mod legacy {
    pub const MAGIC: u32 = 0xa1b2_c3d4;
    pub const VERSION: u32 = 2;
    pub const ACCOUNT_TYPE_PRICE: u32 = 3;
    pub const OFF_MAGIC: usize = 0;
    pub const OFF_VERSION: usize = 4;
    pub const OFF_TYPE: usize = 8;
    pub const OFF_EXPO: usize = 20;
    pub const OFF_TIMESTAMP: usize = 96;
    pub const OFF_AGG_PRICE: usize = 208;
    pub const OFF_AGG_CONF: usize = 216;
    pub const OFF_AGG_STATUS: usize = 224;
    pub const STATUS_TRADING: u8 = 1;
    /// Header + aggregate; the component array follows and is not needed.
    pub const MIN_LEN: usize = 240;
}

fn read<const N: usize>(data: &[u8], offset: usize) -> Result<[u8; N]> {
    data.get(offset..offset + N)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| CrossMarginError::OracleInvalidData.into())
}

fn parse_legacy(data: &[u8]) -> Result<RawPrice> {
    use legacy::*;
    require!(data.len() >= MIN_LEN, CrossMarginError::OracleInvalidData);
    let u32_at = |o| read::<4>(data, o).map(u32::from_le_bytes);
    require!(
        u32_at(OFF_MAGIC)? == MAGIC
            && u32_at(OFF_VERSION)? == VERSION
            && u32_at(OFF_TYPE)? == ACCOUNT_TYPE_PRICE,
        CrossMarginError::OracleInvalidData
    );
    Ok(RawPrice {
        price: i64::from_le_bytes(read(data, OFF_AGG_PRICE)?),
        conf: u64::from_le_bytes(read(data, OFF_AGG_CONF)?),
        expo: i32::from_le_bytes(read(data, OFF_EXPO)?),
        publish_time: i64::from_le_bytes(read(data, OFF_TIMESTAMP)?),
        trading: data[OFF_AGG_STATUS] == STATUS_TRADING,
        feed_id: [0; 32],
        fully_verified: true,
        write_authority: Pubkey::default(),
    })
}

fn parse_pull(data: &[u8]) -> Result<RawPrice> {
    let update = PriceUpdateV2::try_deserialize(&mut &data[..])
        .map_err(|_| CrossMarginError::OracleInvalidData)?;
    let m = &update.price_message;
    Ok(RawPrice {
        price: m.price,
        conf: m.conf,
        expo: m.exponent,
        publish_time: m.publish_time,
        trading: true,
        feed_id: m.feed_id,
        fully_verified: matches!(update.verification_level, VerificationLevel::Full),
        write_authority: update.write_authority,
    })
}

/// Pyth's sponsored price feed account for `feed_id` on shard 0: the push-oracle program's
/// PDA `[shard_id u16 LE, feed_id]`. Its write authority is the account itself, so only the
/// push oracle can replace its contents; any other `PriceUpdateV2` can be posted by anyone,
/// who would then choose which signed update a bank sees.
pub fn sponsored_feed_address(feed_id: &[u8; 32]) -> Pubkey {
    Pubkey::find_program_address(
        &[&0u16.to_le_bytes(), feed_id],
        &pyth_solana_receiver_sdk::PYTH_PUSH_ORACLE_ID,
    )
    .0
}

/// A pull oracle must be the sponsored feed account of its own feed (see
/// [`sponsored_feed_address`]); legacy accounts are identified by their key alone.
pub fn check_canonical_oracle(key: &Pubkey, raw: &RawPrice, kind: OracleKind) -> Result<()> {
    if kind == OracleKind::PythPull {
        require!(
            *key == sponsored_feed_address(&raw.feed_id) && raw.write_authority == *key,
            CrossMarginError::OracleNotCanonical
        );
    }
    Ok(())
}

/// Parse oracle account bytes of the given kind (format checks only).
pub fn parse_oracle(kind: OracleKind, data: &[u8]) -> Result<RawPrice> {
    match kind {
        OracleKind::PythLegacy => parse_legacy(data),
        OracleKind::PythPull => parse_pull(data),
    }
}

/// The bank's oracle policy.
#[derive(Copy, Clone, Debug)]
pub struct OraclePolicy {
    pub kind: OracleKind,
    pub feed_id: [u8; 32],
    pub max_staleness_secs: u64,
    pub max_conf_bps: u32,
}

/// Apply the policy to a parsed price at time `now` (unix seconds).
pub fn validate_price(raw: &RawPrice, policy: &OraclePolicy, now: i64) -> Result<OraclePrice> {
    require!(raw.trading, CrossMarginError::OracleNotTrading);
    if policy.kind == OracleKind::PythPull {
        require!(
            raw.feed_id == policy.feed_id,
            CrossMarginError::OracleFeedMismatch
        );
        require!(raw.fully_verified, CrossMarginError::OracleNotVerified);
    }
    require!(
        raw.price > 0 && (MIN_EXPO..=MAX_EXPO).contains(&raw.expo),
        CrossMarginError::OraclePriceInvalid
    );
    let age = now.saturating_sub(raw.publish_time);
    require!(
        age <= i64::try_from(policy.max_staleness_secs).unwrap_or(i64::MAX),
        CrossMarginError::OracleStale
    );
    // conf / price ≤ max_conf_bps / 10^4, cross-multiplied in u128 (cannot overflow).
    require!(
        raw.conf as u128 * BPS as u128 <= raw.price as u128 * policy.max_conf_bps as u128,
        CrossMarginError::OracleConfidenceTooWide
    );
    Ok(OraclePrice {
        price: raw.price,
        conf: raw.conf,
        expo: raw.expo,
        publish_time: raw.publish_time,
    })
}

/// A reading that passed every check except staleness, used while its feed is stale: the
/// confidence widens with the time past `max_staleness_secs`, linearly up to the bank's full
/// `max_conf_bps` after one more staleness period, so a feed a few seconds late costs a
/// position almost nothing while a stalled one is marked down as far as the bank allows.
/// Pure; `price.price > 0` (validated).
pub fn widen_stale(price: &OraclePrice, policy: &OraclePolicy, now: i64) -> OraclePrice {
    let max_staleness = policy.max_staleness_secs.max(1) as u128;
    let late =
        (now.saturating_sub(price.publish_time) as i128 - max_staleness as i128).max(0) as u128;
    let fraction_bps =
        (policy.max_conf_bps as u128 * late.min(max_staleness)).div_ceil(max_staleness);
    let widened = (price.price as u128 * fraction_bps).div_ceil(BPS as u128);
    OraclePrice {
        conf: price.conf.max(u64::try_from(widened).unwrap_or(u64::MAX)),
        ..*price
    }
}

/// The last reading that passed every check, as a bank or perp market stores it.
#[derive(Copy, Clone, Debug)]
pub struct LastValid {
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
}

impl LastValid {
    /// The last valid reading, its confidence widened to the policy's maximum
    /// (`max_conf_bps` of the price, rounded up): assets marked down, liabilities up.
    pub fn widest(&self, max_conf_bps: u32) -> Result<OraclePrice> {
        require!(self.price > 0, CrossMarginError::OraclePriceInvalid);
        let widest = (self.price as u128 * max_conf_bps as u128).div_ceil(BPS as u128) as u64;
        Ok(OraclePrice {
            price: self.price,
            conf: self.conf.max(widest),
            expo: self.expo,
            publish_time: self.publish_time,
        })
    }
}

/// The price to use while an oracle is invalid now (`raw` = the account as parsed, if it
/// parses): its own reading if only its age is wrong, confidence widened with lateness
/// ([`widen_stale`]); otherwise the last valid reading at maximum confidence.
pub fn outage_price(
    raw: Option<&RawPrice>,
    policy: &OraclePolicy,
    last: &LastValid,
    now: i64,
) -> Result<OraclePrice> {
    let late = raw.and_then(|r| validate_price(r, policy, r.publish_time).ok());
    match late {
        Some(price) if price.publish_time >= last.publish_time => {
            Ok(widen_stale(&price, policy, now))
        }
        _ => last.widest(policy.max_conf_bps),
    }
}

/// Check an oracle account's key and owner against the bank, then parse it.
pub fn parse_oracle_account(
    info: &AccountInfo,
    expected_key: &Pubkey,
    kind: OracleKind,
) -> Result<RawPrice> {
    require_keys_eq!(*info.key, *expected_key, CrossMarginError::OracleMismatch);
    require_keys_eq!(
        *info.owner,
        kind.owner(),
        CrossMarginError::OracleWrongOwner
    );
    let data = info.try_borrow_data()?;
    parse_oracle(kind, &data)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod stale_tests {
    use super::*;

    #[test]
    fn staleness_widens_confidence_with_lateness() {
        let policy = OraclePolicy {
            kind: OracleKind::PythPull,
            feed_id: [0; 32],
            max_staleness_secs: 60,
            max_conf_bps: 200,
        };
        let p = OraclePrice {
            price: 100_000_000,
            conf: 10_000,
            expo: -8,
            publish_time: 1_000,
        };
        // Within the window: unchanged. 3 s late: 3/60 of 2 % = 0.1 %. Long late: 2 %.
        assert_eq!(widen_stale(&p, &policy, 1_060).conf, 10_000);
        assert_eq!(widen_stale(&p, &policy, 1_063).conf, 100_000);
        assert_eq!(widen_stale(&p, &policy, 1_120).conf, 2_000_000);
        assert_eq!(widen_stale(&p, &policy, 1_000_000).conf, 2_000_000);
        assert_eq!(widen_stale(&p, &policy, 1_000_000).price, p.price);
    }
}
