//! Cases 19 and 28: extreme amounts, overflowing values, malformed instruction data.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use cross_margin::error::CrossMarginError as E;
use cross_margin::state::{BankConfig, GroupSettings};
use cross_margin_client::builders;
use cross_margin_tests::harness::protocol::default_config;
use cross_margin_tests::harness::scenarios::{
    lending_market, sol_at, usdc_config, LENDER, LIQUIDATOR, SOL, USDC, VICTIM,
};
use cross_margin_tests::harness::{assert_err, assert_no_panic, Protocol, TxError};
use solana_keypair::Keypair;
use solana_signer::Signer;

#[tokio::test]
async fn case19_zero_and_max_in_every_amount() {
    let mut p = lending_market().await;
    assert_err(p.deposit(LENDER, USDC, 0).await, E::AmountZero);
    assert_err(
        p.deposit(LENDER, USDC, u64::MAX).await,
        E::InsufficientWalletBalance,
    );
    assert_err(p.withdraw(LENDER, USDC, 0, true).await, E::AmountZero);
    assert_err(
        p.withdraw(LENDER, USDC, u64::MAX, false).await,
        E::BorrowNotAllowed,
    );
    assert_err(
        p.withdraw(LENDER, USDC, u64::MAX, true).await,
        E::InsufficientVaultLiquidity,
    );
    let key = p.users[LENDER].key.insecure_clone();
    let wallet = p.users[LENDER].wallets[USDC];
    for (amount, expected) in [(0, E::AmountZero), (u64::MAX, E::InsufficientWalletBalance)] {
        let ix =
            builders::insurance_deposit(&key.pubkey(), &p.asset_accounts(USDC), &wallet, amount);
        assert_err(p.step(&[ix], &[&key]).await, expected);
    }
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 0).await,
        E::NotLiquidatable,
    );
    sol_at(&mut p, 80.0).await;
    assert_err(
        p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, 0).await,
        E::LiquidationTooSmall,
    );
    p.liquidate(LIQUIDATOR, VICTIM, SOL, USDC, u64::MAX)
        .await
        .unwrap();
}

#[tokio::test]
async fn case19_value_overflow_for_a_huge_mint_is_a_named_error() {
    // 10^18 whole tokens of a 0-decimal token at $1,000,000 is worth 10^24 dollars:
    // beyond what health can represent. Depositing is fine; anything needing health fails
    // with MathOverflow rather than wrapping or panicking.
    let mut p = Protocol::new().await;
    let huge = p.add_bank(0, 1_000_000.0, default_config()).await;
    p.add_bank(6, 1.0, BankConfig { ..usdc_config() }).await;
    let u = p.add_user(&[(huge, 1_000_000_000_000_000_000)]).await;
    p.deposit(u, huge, 1_000_000_000_000_000_000).await.unwrap();
    assert_err(p.withdraw(u, huge, 1, false).await, E::MathOverflow);
}

/// A valid instance of every instruction, with its signers.
async fn one_of_each(p: &mut Protocol) -> Vec<(&'static str, Instruction, Vec<Keypair>)> {
    let admin = p.tc.payer().insecure_clone();
    let a = admin.pubkey();
    let lender = p.users[LENDER].key.insecure_clone();
    let l = lender.pubkey();
    let group = p.group;
    let (bank, oracle) = (p.banks[USDC].bank, p.banks[USDC].oracle);
    let mint = p.tc.create_mint(6, anchor_spl::token::ID).await;
    let health = p.health_metas(LENDER, Some(USDC)).await;
    let victim_banks = vec![anchor_lang::prelude::AccountMeta::new_readonly(
        p.banks[SOL].bank,
        false,
    )];
    let mut liq_health = p.health_metas(VICTIM, None).await;
    liq_health.extend(p.health_metas(LIQUIDATOR, Some(SOL)).await);
    vec![
        ("group_create", builders::group_create(&a, 9, &a), vec![]),
        (
            "group_edit",
            builders::group_edit(&a, &group, GroupSettings::defaults(a)),
            vec![],
        ),
        (
            "group_set_paused",
            builders::group_set_paused(&a, &group, false),
            vec![],
        ),
        (
            "bank_register",
            builders::bank_register(
                &a,
                &group,
                &mint,
                &anchor_spl::token::ID,
                &oracle,
                5,
                default_config(),
                &p.other_banks(None),
            ),
            vec![],
        ),
        (
            "bank_edit",
            builders::bank_edit(
                &a,
                &group,
                &bank,
                &oracle,
                usdc_config(),
                &p.other_banks(None),
            ),
            vec![],
        ),
        (
            "bank_accrue_interest",
            builders::bank_accrue_interest(&bank),
            vec![],
        ),
        (
            "account_create",
            builders::account_create(&l, &group, 3),
            vec![lender.insecure_clone()],
        ),
        (
            "account_close",
            builders::account_close(&l, &p.users[LENDER].account),
            vec![lender.insecure_clone()],
        ),
        (
            "account_set_delegate",
            builders::account_set_delegate(&l, &p.users[LENDER].account, &Pubkey::new_unique()),
            vec![lender.insecure_clone()],
        ),
        (
            "token_deposit",
            builders::token_deposit(
                &l,
                &p.users[LENDER].account,
                &p.banks[USDC].token_accounts(),
                &p.users[LENDER].wallets[USDC],
                1,
            ),
            vec![lender.insecure_clone()],
        ),
        (
            "token_withdraw",
            builders::token_withdraw(
                &l,
                &group,
                &p.users[LENDER].account,
                &p.banks[USDC].token_accounts(),
                &p.users[LENDER].wallets[USDC],
                1,
                false,
                health,
            ),
            vec![lender.insecure_clone()],
        ),
        (
            "token_liquidate",
            builders::token_liquidate(
                &p.users[LIQUIDATOR].key.pubkey(),
                &group,
                &p.users[LIQUIDATOR].account,
                &p.users[VICTIM].account,
                &p.banks[SOL].bank,
                &bank,
                1,
                liq_health,
            ),
            vec![p.users[LIQUIDATOR].key.insecure_clone()],
        ),
        (
            "token_resolve_bankruptcy",
            builders::token_resolve_bankruptcy(
                &group,
                &p.users[VICTIM].account,
                &p.asset_accounts(USDC),
                victim_banks,
            ),
            vec![],
        ),
        (
            "insurance_deposit",
            builders::insurance_deposit(
                &l,
                &p.asset_accounts(USDC),
                &p.users[LENDER].wallets[USDC],
                1,
            ),
            vec![lender],
        ),
    ]
}

#[tokio::test]
async fn case28_truncated_oversized_and_random_data_never_panic() {
    let mut p = lending_market().await;
    let cases = one_of_each(&mut p).await;
    assert_eq!(cases.len(), 14, "every instruction of the program");
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (name, ix, signers) in cases {
        let signers: Vec<&Keypair> = signers.iter().collect();
        let d = ix.data.clone();
        let mut variants: Vec<Vec<u8>> =
            vec![vec![], d[..d.len().min(4)].to_vec(), d[..8].to_vec()];
        if d.len() > 9 {
            variants.push(d[..d.len() - 1].to_vec());
        }
        let mut oversized = d.clone();
        oversized.extend((0..64).map(|_| next() as u8));
        variants.push(oversized);
        for len in [8usize, 16, 40, 200] {
            variants.push((0..len).map(|_| next() as u8).collect());
            let mut same_disc = d[..8].to_vec();
            same_disc.extend((0..len).map(|_| next() as u8));
            variants.push(same_disc);
        }
        for data in variants {
            let mut bad = ix.clone();
            bad.data = data.clone();
            let r = p.step(&[bad], &signers).await;
            assert_no_panic(&r);
            if let Err(e) = &r {
                assert!(
                    matches!(e, TxError::Custom(_)),
                    "{name} with {} bytes: unnamed error {e:?}",
                    data.len()
                );
            }
        }
    }
}
