//! Real-format Pyth accounts for local validators (tests, demo): `PriceUpdateV2` (pull) serialised with the receiver SDK's own
//! type, and legacy push price accounts built from `pyth-sdk-solana`'s struct, so the
//! program's readers are exercised on the byte layouts Pyth actually publishes.

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountSerialize;
use cross_margin::state::{PYTH_LEGACY_PROGRAM_ID, PYTH_RECEIVER_PROGRAM_ID};
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2, VerificationLevel};
use solana_account::Account;

/// A Pyth price: `price × 10^expo` dollars ± `conf × 10^expo`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PythPrice {
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
}

impl PythPrice {
    /// `dollars` with 8 decimals and a confidence of `conf_bps` of the price.
    pub fn usd(dollars: f64, conf_bps: u64, publish_time: i64) -> Self {
        let price = (dollars * 1e8).round() as i64;
        Self {
            price,
            conf: price.unsigned_abs() * conf_bps / 10_000,
            expo: -8,
            publish_time,
        }
    }
}

/// Size Pyth's receiver allocates for a `PriceUpdateV2`.
pub const PRICE_UPDATE_V2_LEN: usize = PriceUpdateV2::LEN;

/// Where Pyth keeps the sponsored `PriceUpdateV2` of `feed_id` (shard 0): the only address a
/// bank accepts for a pull oracle. Write [`pull_account`] there.
pub fn pull_address(feed_id: &[u8; 32]) -> Pubkey {
    cross_margin::state::sponsored_feed_address(feed_id)
}

/// A `PriceUpdateV2` as the sponsored feed account holds it (its write authority is its own
/// address, [`pull_address`]).
pub fn pull_account(feed_id: [u8; 32], p: PythPrice, verification: VerificationLevel) -> Account {
    let update = PriceUpdateV2 {
        write_authority: pull_address(&feed_id),
        verification_level: verification,
        price_message: PriceFeedMessage {
            feed_id,
            price: p.price,
            conf: p.conf,
            exponent: p.expo,
            publish_time: p.publish_time,
            prev_publish_time: p.publish_time - 1,
            ema_price: p.price,
            ema_conf: p.conf,
        },
        posted_slot: 1,
    };
    let mut data = Vec::with_capacity(PRICE_UPDATE_V2_LEN);
    update
        .try_serialize(&mut data)
        .expect("serialise PriceUpdateV2");
    data.resize(PRICE_UPDATE_V2_LEN, 0);
    Account {
        lamports: 1_000_000_000,
        data,
        owner: PYTH_RECEIVER_PROGRAM_ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// Legacy push price account; `trading = false` gives status Unknown (a dead feed).
pub fn legacy_account(p: PythPrice, trading: bool) -> Account {
    use pyth_sdk_solana::state::{
        AccountType, PriceInfo, PriceStatus, PriceType, SolanaPriceAccount, MAGIC, VERSION_2,
    };
    let mut acc: SolanaPriceAccount = bytemuck::Zeroable::zeroed();
    acc.magic = MAGIC;
    acc.ver = VERSION_2;
    acc.atype = AccountType::Price as u32;
    acc.size = std::mem::size_of::<SolanaPriceAccount>() as u32;
    acc.ptype = PriceType::Price;
    acc.expo = p.expo;
    acc.timestamp = p.publish_time;
    acc.agg = PriceInfo {
        price: p.price,
        conf: p.conf,
        status: if trading {
            PriceStatus::Trading
        } else {
            PriceStatus::Unknown
        },
        corp_act: Default::default(),
        pub_slot: 1,
    };
    Account {
        lamports: 1_000_000_000,
        data: bytemuck::bytes_of(&acc).to_vec(),
        owner: PYTH_LEGACY_PROGRAM_ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// A feed id derived from a label, for test feeds.
pub fn feed_id(label: &str) -> [u8; 32] {
    let mut id = [0u8; 32];
    for (i, b) in label.bytes().enumerate().take(32) {
        id[i] = b;
    }
    id[31] = 0xfe;
    id
}
