//! The shared health book (../shared/BENCHMARKS.md) as raw account bytes, and the same
//! book with 4 perp positions added: the margin account, 8 banks, 4 perp markets and their
//! real-format Pyth `PriceUpdateV2` accounts, each with the key the program checks.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AccountSerialize, Discriminator};
use cross_margin::math::{I80F48Bytes, I80F48};
use cross_margin::state::{
    Bank, MarginAccount, OracleKind, PerpMarket, PerpPosition, TokenPosition,
};
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2, VerificationLevel};

/// (price $, decimals, amount in tokens, init w, maint w)
pub const BOOK: [(f64, u8, f64, f64, f64); 8] = [
    (1.0, 6, 10_000.0, 0.10, 0.05),
    (150.0, 9, 20.0, 0.20, 0.10),
    (60_000.0, 8, 0.1, 0.25, 0.15),
    (3_000.0, 8, 1.5, 0.25, 0.15),
    (0.5, 6, 5_000.0, 0.40, 0.30),
    (1.0, 6, -3_000.0, 0.10, 0.05),
    (150.0, 9, -5.0, 0.20, 0.10),
    (2.0, 6, -500.0, 0.30, 0.20),
];
/// Init and maint health of [`BOOK`], dollars.
pub const BOOK_HEALTH: (f64, f64) = (15_275.0, 17_700.0);

/// One perp position of the book: the market's oracle price and base decimals, the
/// position in base tokens (long > 0), its entry price, the market's init and maint
/// weights, and the [`BOOK`] token whose oracle it shares (so it nets against that spot
/// balance), if any.
pub struct Perp {
    pub price: f64,
    pub decimals: u8,
    pub base: f64,
    pub entry: f64,
    pub init_w: f64,
    pub maint_w: f64,
    pub hedge_with: Option<usize>,
}

/// 4 perps: a SOL short hedged by the book's 20 SOL deposit (10 SOL netted), a BTC long
/// and an ETH short each $100 in profit, and a long $100 at a loss.
pub const PERPS: [Perp; 4] = [
    Perp {
        price: 150.0,
        decimals: 9,
        base: -10.0,
        entry: 140.0,
        init_w: 0.20,
        maint_w: 0.10,
        hedge_with: Some(1),
    },
    Perp {
        price: 60_000.0,
        decimals: 8,
        base: 0.05,
        entry: 58_000.0,
        init_w: 0.10,
        maint_w: 0.05,
        hedge_with: None,
    },
    Perp {
        price: 3_000.0,
        decimals: 8,
        base: -1.0,
        entry: 3_100.0,
        init_w: 0.10,
        maint_w: 0.05,
        hedge_with: None,
    },
    Perp {
        price: 20.0,
        decimals: 6,
        base: 100.0,
        entry: 21.0,
        init_w: 0.25,
        maint_w: 0.15,
        hedge_with: None,
    },
];
/// Init weight of unsettled profit, and the hedge weights of every market (bps).
pub const INIT_PNL_WEIGHT_BPS: u32 = 5_000;
pub const HEDGE_BPS: (u32, u32) = (200, 100);
/// Init and maint health of [`BOOK`] + [`PERPS`], dollars. Per perp (init / maint):
/// SOL: quote +1,400, 10 SOL netted against the deposit (hedge charge 30 / 15), the
/// deposit's other 10 SOL stay weighted: 1,370 − 1,200 / 1,385 − 1,350 against the book;
/// BTC: −2,900 + 2,700 − 50 (half the $100 profit) / −2,900 + 2,850;
/// ETH: +3,100 − 3,300 − 50 / +3,100 − 3,150; the long: −2,100 + 1,500 / −2,100 + 1,700.
pub const PERP_BOOK_HEALTH: (f64, f64) = (
    BOOK_HEALTH.0 + 170.0 - 250.0 - 250.0 - 600.0,
    BOOK_HEALTH.1 + 35.0 - 50.0 - 50.0 - 400.0,
);
pub const NOW: i64 = 1_767_225_600;

/// An account's key and data.
pub type Raw = (Pubkey, Vec<u8>);

/// Every account the benchmark reads, as raw bytes.
pub struct Book {
    /// The margin account with the 8 token positions only.
    pub account: Raw,
    /// The same account with the 4 perp positions too.
    pub account_perps: Raw,
    pub banks: Vec<Raw>,
    pub oracles: Vec<Raw>,
    pub markets: Vec<Raw>,
    /// Each market's oracle (the hedged market's is its spot bank's oracle account).
    pub market_oracles: Vec<Raw>,
}

pub fn with_discriminator<T: bytemuck::Pod + Discriminator>(value: &T) -> Vec<u8> {
    let mut data = T::DISCRIMINATOR.to_vec();
    data.extend_from_slice(bytemuck::bytes_of(value));
    data
}

/// The client's decoder (any alignment), as the keeper uses it.
pub fn decode_owned<T: bytemuck::Pod + Discriminator>(data: &[u8]) -> T {
    cross_margin_client::snapshot::decode(data).expect("decodes")
}

/// Zero-copy view of a program account (discriminator checked).
pub fn decode<T: bytemuck::Pod + Discriminator>(data: &[u8]) -> &T {
    assert_eq!(&data[..8], T::DISCRIMINATOR);
    bytemuck::from_bytes(&data[8..8 + std::mem::size_of::<T>()])
}

fn bps(w: f64) -> u32 {
    (w * 10_000.0).round() as u32
}

fn mantissa(price: f64) -> i64 {
    (price * 1e8).round() as i64
}

/// A fully verified `PriceUpdateV2` at `price`, expo −8, zero confidence, published now.
fn price_update(feed_id: [u8; 32], price: f64) -> Vec<u8> {
    let update = PriceUpdateV2 {
        write_authority: Pubkey::new_unique(),
        verification_level: VerificationLevel::Full,
        price_message: PriceFeedMessage {
            feed_id,
            price: mantissa(price),
            conf: 0,
            exponent: -8,
            publish_time: NOW,
            prev_publish_time: NOW - 1,
            ema_price: mantissa(price),
            ema_conf: 0,
        },
        posted_slot: 1,
    };
    let mut data = vec![];
    update.try_serialize(&mut data).unwrap();
    data.resize(PriceUpdateV2::LEN, 0);
    data
}

fn bank(group: Pubkey, i: usize, oracle: Pubkey) -> Bank {
    let (_, decimals, _, iw, mw) = BOOK[i];
    let mut bank: Bank = bytemuck::Zeroable::zeroed();
    bank.group = group;
    bank.token_index = i as u16;
    bank.decimals = decimals;
    bank.oracle = oracle;
    bank.oracle_kind = OracleKind::PythPull as u8;
    bank.oracle_feed_id = [i as u8 + 1; 32];
    bank.max_staleness_secs = 60;
    bank.max_conf_bps = 100;
    bank.deposit_index = I80F48Bytes::from(I80F48::ONE);
    bank.borrow_index = I80F48Bytes::from(I80F48::ONE);
    bank.init_asset_weight_bps = 10_000 - bps(iw);
    bank.maint_asset_weight_bps = 10_000 - bps(mw);
    bank.maint_liab_weight_bps = 10_000 + bps(mw);
    bank.init_liab_weight_bps = 10_000 + bps(iw);
    bank
}

/// Market `i` of [`PERPS`] on `oracle` (feed `feed_id`). Funding was last accrued 30 s ago
/// with open interest on both sides, so health brings it to now; the skew scale is zero,
/// so the index does not move and the expected figures stay exact.
fn market(group: Pubkey, i: usize, oracle: Pubkey, feed_id: [u8; 32]) -> PerpMarket {
    let p = &PERPS[i];
    let mut m: PerpMarket = bytemuck::Zeroable::zeroed();
    m.group = group;
    m.oracle = oracle;
    m.oracle_feed_id = feed_id;
    m.perp_index = i as u16;
    m.base_decimals = p.decimals;
    m.oracle_kind = OracleKind::PythPull as u8;
    m.max_staleness_secs = 60;
    m.max_conf_bps = 100;
    m.init_asset_weight_bps = 10_000 - bps(p.init_w);
    m.maint_asset_weight_bps = 10_000 - bps(p.maint_w);
    m.maint_liab_weight_bps = 10_000 + bps(p.maint_w);
    m.init_liab_weight_bps = 10_000 + bps(p.init_w);
    m.init_pnl_weight_bps = INIT_PNL_WEIGHT_BPS;
    (m.hedge_init_bps, m.hedge_maint_bps) = HEDGE_BPS;
    m.funding_index = I80F48Bytes::from(I80F48::from_num(0.001));
    m.last_funding_ts = NOW - 30;
    m.long_open_interest = 1_000_000_000_000;
    m.short_open_interest = 600_000_000_000;
    m.funding_skew_scale_bps = 0;
    m.max_funding_rate_bps = 100;
    m
}

pub fn build() -> Book {
    let group = Pubkey::new_unique();
    let mut account: MarginAccount = bytemuck::Zeroable::zeroed();
    account.init(group, Pubkey::new_unique(), 0, 255);
    let mut banks = vec![];
    let mut oracles = vec![];
    for (i, &(price, decimals, amount, _, _)) in BOOK.iter().enumerate() {
        let oracle_key = Pubkey::new_unique();
        let b = bank(group, i, oracle_key);
        banks.push((Pubkey::new_unique(), with_discriminator(&b)));
        oracles.push((oracle_key, price_update(b.oracle_feed_id, price)));
        let native = (amount * 10f64.powi(decimals as i32)).round();
        account.token_positions[i] = TokenPosition {
            indexed: I80F48Bytes::from(I80F48::from_num(native)),
            token_index: i as u16,
            padding: [0; 6],
        };
    }
    let token_only = with_discriminator(&account);
    let mut markets = vec![];
    let mut market_oracles = vec![];
    for (i, p) in PERPS.iter().enumerate() {
        let (oracle, feed_id) = match p.hedge_with {
            Some(t) => (oracles[t].clone(), [t as u8 + 1; 32]),
            None => {
                let feed_id = [0x80 + i as u8; 32];
                let data = price_update(feed_id, p.price);
                ((Pubkey::new_unique(), data), feed_id)
            }
        };
        let m = market(group, i, oracle.0, feed_id);
        markets.push((Pubkey::new_unique(), with_discriminator(&m)));
        market_oracles.push(oracle);
        let scale = 10f64.powi(p.decimals as i32);
        let quote = -p.base * p.entry * 1e6;
        account.perp_positions[i] = PerpPosition {
            base: (p.base * scale).round() as i64,
            quote: I80F48Bytes::from(I80F48::from_num(quote.round())),
            funding_snapshot: m.funding_index,
            market_index: i as u16,
            active: 1,
            settle_recorded: 1,
            settle_token_index: 0,
            padding: [0; 2],
        };
    }
    Book {
        account: (Pubkey::new_unique(), token_only),
        account_perps: (Pubkey::new_unique(), with_discriminator(&account)),
        banks,
        oracles,
        markets,
        market_oracles,
    }
}

/// The same account `n` times, each with a different first balance (distinct buffers,
/// as a keeper's scan reads them).
pub fn many(account: &[u8], n: u64) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let mut a: MarginAccount = decode_owned(account);
            let p = &mut a.token_positions[0];
            p.indexed.set(p.indexed.get() + I80F48::from_num(i));
            with_discriminator(&a)
        })
        .collect()
}
