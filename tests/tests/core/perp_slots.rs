//! The settle-token slot an open perp keeps (`MarginAccount::reserve_slots`), on the
//! validator.

use crate::perps::setup;
use cross_margin::error::CrossMarginError as E;
use cross_margin_tests::harness::assert_err;
use cross_margin_tests::harness::perps::default_perp_config;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::scenarios::listing_config;

const SOL: i64 = 1_000_000_000;
const USD: u64 = 1_000_000;

/// An account with a perp keeps a token slot for the perp's settle token: settling,
/// perp bankruptcy and auto-deleveraging pay through it, so an account that filled every
/// slot with other tokens could neither have its loss settled (unliquidatable) nor its
/// profit deleveraged (immune to ADL). A deposit that would take that slot is refused by
/// name; the settle token itself may always take it.
#[tokio::test]
async fn an_open_perp_keeps_a_token_slot_for_its_settle_token() {
    let mut p = setup(default_perp_config()).await;
    let (usdc, sol) = (0, 1);
    let extra: Vec<usize> = {
        let mut v = vec![];
        for _ in 0..7 {
            // Listed on the live group: collateral weight 0 until edited.
            v.push(p.add_bank(6, 1.0, listing_config(default_config())).await);
        }
        v
    };
    // SOL and six $1 tokens: seven slots, no USDC.
    let mut funds = vec![(sol, 20 * SOL as u64)];
    funds.extend(extra.iter().map(|&b| (b, 100 * USD)));
    let user = p.add_user(&funds).await;
    for &(bank, amount) in &funds[..7] {
        p.deposit(user, bank, amount).await.unwrap();
    }
    assert_eq!(p.margin_account(user).await.active_positions().count(), 7);
    // The perp may open: the eighth slot is free for USDC.
    p.trade(user, 0, 2 * SOL).await.unwrap();
    // A seventh $1 token may not take it ...
    assert_err(
        p.deposit(user, extra[6], 100 * USD).await,
        E::SettleSlotReserved,
    );
    // ... USDC may, and then the account is full.
    let (mint, wallet) = (p.banks[usdc].mint, p.users[user].wallets[usdc]);
    p.tc.mint_to(&mint, &wallet, 50 * USD).await;
    p.deposit(user, usdc, 50 * USD).await.unwrap();
    assert_eq!(p.margin_account(user).await.active_positions().count(), 8);
    // The settlement pays through that slot.
    p.set_price(sol, 110.0, 0).await;
    p.trade(user, 0, -2 * SOL).await.unwrap();
    p.settle_pnl(user, 0).await.unwrap();
    assert!(p.native_balance(user, usdc).await > 50e6);

    // A full account without the settle token cannot open a perp at all.
    let mut full = funds.clone();
    full.push((extra[6], 100 * USD));
    let other = p.add_user(&full).await;
    for &(bank, amount) in &full {
        p.deposit(other, bank, amount).await.unwrap();
    }
    assert_err(p.trade(other, 0, SOL).await, E::SettleSlotReserved);
}
