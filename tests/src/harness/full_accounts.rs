//! Two margin accounts with every slot in use over 14 banks: the largest liquidation the
//! program admits, and one that does not fit a legacy transaction.
//!
//! Banks 0–13: 6 decimals, $1, the tests' default config (init weights 0.8 / 1.2, maint
//! 0.9 / 1.1, liquidation fee 5 % per bank). The liquidatee holds 25 tokens in each of
//! 0–5, 600 of token 6 and a 400-token borrow of token 7 (init health +$120); the
//! liquidator holds 1,000 of each of 6–13. The two share only token 6 (the asset seized) and
//! 7 (the debt taken over), which a liquidator with every slot full must already hold.
//! Token 7 then rises to $1.60: maint = 750 × 0.9 − 640 × 1.1 = −$29, init = −$168, and one
//! liquidation of 6 for 7 (≈ 328 tokens of debt for ≈ 578 of token 6) restores init ≥ 0.
//!
//! [`two_full_accounts_with_perps`] fills both accounts' four perp slots as well, and
//! [`two_full_hedged_accounts`] makes one of the liquidatee's perps a hedge of its spot.

use super::perps::default_perp_config;
use super::protocol::{default_config, Protocol};

pub const BANKS: usize = 14;
pub const ASSET: usize = 6;
pub const LIAB: usize = 7;
/// One token in native units (every bank has 6 decimals).
pub const TOKEN: u64 = 1_000_000;

/// The protocol, the liquidatee's and the liquidator's user indices.
pub async fn two_full_accounts() -> (Protocol, usize, usize) {
    let (mut p, liqee, liqor) = full_book().await;
    p.set_price(LIAB, 1.6, 0).await;
    (p, liqee, liqor)
}

/// The two accounts' token positions, before token 7's price rises.
async fn full_book() -> (Protocol, usize, usize) {
    full_book_with(&[0, 1, 2, 3, 4, 5]).await
}

/// [`full_book`] with the liquidatee's 25-token deposits in `small` (six banks).
async fn full_book_with(small: &[usize; 6]) -> (Protocol, usize, usize) {
    let mut p = Protocol::new().await;
    for _ in 0..BANKS {
        p.add_bank(6, 1.0, default_config()).await;
    }
    let liqee_deposits: Vec<(usize, u64)> = small
        .iter()
        .map(|&b| (b, 25 * TOKEN))
        .chain([(ASSET, 600 * TOKEN)])
        .collect();
    let liqor_deposits: Vec<(usize, u64)> = (ASSET..BANKS).map(|b| (b, 1_000 * TOKEN)).collect();
    let liqee = p.add_user(&liqee_deposits).await;
    let liqor = p.add_user(&liqor_deposits).await;
    for (user, deposits) in [(liqor, &liqor_deposits), (liqee, &liqee_deposits)] {
        for &(bank, amount) in deposits {
            p.deposit(user, bank, amount).await.expect("deposit");
        }
    }
    p.withdraw(liqee, LIAB, 400 * TOKEN, true)
        .await
        .expect("borrow");
    for user in [liqee, liqor] {
        let used = p.margin_account(user).await.active_positions().count();
        assert_eq!(used, 8, "user {user} has every slot in use");
    }
    (p, liqee, liqor)
}

/// The banks whose oracles the four perp markets of [`two_full_accounts_with_perps`] use.
pub const PERP_BANKS: [usize; 4] = [8, 9, 10, 11];
/// The bank the perp markets settle in: token 6, which both accounts hold (an account
/// with a perp keeps a token slot for its settle token).
pub const SETTLE: usize = ASSET;
/// Base size of each perp position, native units (10 tokens).
pub const PERP_SIZE: i64 = 10 * TOKEN as i64;

/// [`two_full_accounts`] with every perp slot in use too: four perp markets on the
/// oracles of banks 8–11 (settled in bank 6, each pool seeded with 1,000,000 tokens by a
/// third user), the liquidatee long 10 tokens in each (oracles it holds no spot on: four
/// more health accounts pairs) and the liquidator short 10 in each (hedging its spot).
/// Each long costs the liquidatee ≈ $1 of init health and ≈ $0.5 of maint; after token 7
/// rises to $1.60 its maint health is ≈ −$31.
pub async fn two_full_accounts_with_perps() -> (Protocol, usize, usize) {
    let (p, liqee, liqor) = full_book().await;
    with_perps(p, liqee, liqor, [PERP_SIZE; 4]).await
}

/// Base size of the liquidatee's hedge in [`two_full_hedged_accounts`]: short 25 tokens in
/// market 0, against its 25-token deposit in bank 8 (that market's oracle).
pub const HEDGE: i64 = 25 * TOKEN as i64;

/// The worst case for a hedged pair liquidation: as [`two_full_accounts_with_perps`], but
/// the liquidatee's sixth small deposit sits in bank 8 instead of 5 and its position in
/// market 0 (on bank 8's oracle) is a 25-token short hedging it. The liquidator already
/// holds bank 8 (the spot it buys), bank 6 (the settle token it pays in) and market 0, so
/// a pair liquidation between them opens no slot: 8 tokens + 4 perps on both sides.
pub async fn two_full_hedged_accounts() -> (Protocol, usize, usize) {
    let (p, liqee, liqor) = full_book_with(&[0, 1, 2, 3, 4, PERP_BANKS[0]]).await;
    with_perps(p, liqee, liqor, [-HEDGE, PERP_SIZE, PERP_SIZE, PERP_SIZE]).await
}

/// Lists the four markets of [`PERP_BANKS`], seeds their pools, opens `liqee_sizes` for
/// the liquidatee and a 10-token short in each for the liquidator, then raises token 7 to
/// $1.60.
async fn with_perps(
    mut p: Protocol,
    liqee: usize,
    liqor: usize,
    liqee_sizes: [i64; 4],
) -> (Protocol, usize, usize) {
    let lp = p.add_user(&[(SETTLE, 4_000_000 * TOKEN)]).await;
    for (i, (&bank, size)) in PERP_BANKS.iter().zip(liqee_sizes).enumerate() {
        let perp = p
            .add_perp(bank, SETTLE, default_perp_config())
            .await
            .expect("perp_market_register");
        assert_eq!(perp, i);
        p.pool_deposit(lp, perp, 1_000_000 * TOKEN)
            .await
            .expect("seed the pool");
        p.trade(liqee, perp, size).await.expect("liquidatee trade");
        p.trade(liqor, perp, -PERP_SIZE)
            .await
            .expect("liquidator short");
    }
    for user in [liqee, liqor] {
        let perps = p.margin_account(user).await.active_perps().count();
        assert_eq!(perps, 4, "user {user} has every perp slot in use");
    }
    p.set_price(LIAB, 1.6, 0).await;
    (p, liqee, liqor)
}
