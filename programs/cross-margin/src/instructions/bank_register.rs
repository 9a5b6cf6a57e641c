use crate::bank_list::check_config_against_group;
use crate::error::CrossMarginError;
use crate::events::BankConfigured;
use crate::health::OraclePrice;
use crate::math::{I80F48Bytes, I80F48};
use crate::pda_account::{create_pda, create_token_account};
use crate::state::{
    check_canonical_oracle, parse_oracle, validate_price, Bank, BankConfig, Group, OracleKind,
    OraclePolicy, BANK_SEED, INSURANCE_SEED, RESERVED_TOKEN_INDEX, VAULT_SEED,
};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;
use anchor_spl::token_interface::{Mint, TokenInterface};

/// Largest supported mint decimals.
pub const MAX_DECIMALS: u8 = 18;

/// List a token in the group. **Admin only** (`has_one = admin`); the admin pays rent.
///
/// On a live group the bank must start with asset weights 0 (`NewBankAssetWeightNotZero`):
/// a new token becomes collateral only through the timelocked queue (`bank_queue_edit`),
/// step by step, so a token listed with a hostile oracle cannot be borrowed against.
///
/// Checks: the config is consistent (`BankConfig::validate`); the token index is unused
/// (named error instead of a system "already in use") and not 65535 (the free-slot mark);
/// the config can be liquidated against every other bank of the group, in both directions
/// (`remaining_accounts` = all other banks, see `bank_list`); the mint is SPL Token, or
/// Token-2022 with only metadata extensions (transfer fees, hooks, permanent delegates,
/// default-frozen state, confidential transfers and the like are refused); decimals ≤ 18;
/// the oracle is owned by the Pyth program of `config.oracle_kind`, parses, is Trading /
/// fully verified with a positive price (its age is not checked here), and a pull oracle is
/// Pyth's sponsored feed account for its feed id. Creates the bank PDA
/// `["bank", group, token_index]`, its vault `["vault", bank]` and insurance vault
/// `["insurance", bank]`, both token accounts owned by the group PDA, records the oracle's
/// price as the bank's last valid price and starts its stable price there, and counts the
/// bank in `group.bank_count`.
#[derive(Accounts)]
#[instruction(token_index: u16)]
pub struct BankRegister<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ CrossMarginError::NotAdmin)]
    pub group: AccountLoader<'info, Group>,
    #[account(mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// CHECK: created in the handler; seeds checked here, emptiness gives `TokenIndexInUse`.
    #[account(
        mut,
        seeds = [BANK_SEED, group.key().as_ref(), &token_index.to_le_bytes()],
        bump,
        constraint = bank.data_is_empty() @ CrossMarginError::TokenIndexInUse,
    )]
    pub bank: UncheckedAccount<'info>,
    /// CHECK: created in the handler as a token account of `mint` owned by the group.
    #[account(mut, seeds = [VAULT_SEED, bank.key().as_ref()], bump)]
    pub vault: UncheckedAccount<'info>,
    /// CHECK: created in the handler as a token account of `mint` owned by the group.
    #[account(mut, seeds = [INSURANCE_SEED, bank.key().as_ref()], bump)]
    pub insurance_vault: UncheckedAccount<'info>,
    /// CHECK: owner, format and price validated by `check_oracle`.
    pub oracle: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

/// Extensions a listed Token-2022 mint may carry: pure metadata, no effect on transfers.
const ALLOWED_MINT_EXTENSIONS: [ExtensionType; 2] =
    [ExtensionType::MetadataPointer, ExtensionType::TokenMetadata];

/// Refuse Token-2022 mints whose extensions change what a transfer does.
pub(crate) fn check_mint_extensions(mint: &AccountInfo) -> Result<()> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(());
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)
        .map_err(|_| CrossMarginError::UnsupportedMintExtension)?;
    let types = state
        .get_extension_types()
        .map_err(|_| CrossMarginError::UnsupportedMintExtension)?;
    require!(
        types.iter().all(|t| ALLOWED_MINT_EXTENSIONS.contains(t)),
        CrossMarginError::UnsupportedMintExtension
    );
    Ok(())
}

/// Owner, format, canonical address and validity of an oracle; returns its feed id (pull)
/// or zeros, and its price (the bank's first last-valid price).
pub(crate) fn check_oracle(
    oracle: &AccountInfo,
    config: &BankConfig,
) -> Result<([u8; 32], OraclePrice)> {
    let kind: OracleKind = config.oracle_kind;
    require_keys_eq!(
        *oracle.owner,
        kind.owner(),
        CrossMarginError::OracleWrongOwner
    );
    let raw = parse_oracle(kind, &oracle.try_borrow_data()?)?;
    check_canonical_oracle(oracle.key, &raw, kind)?;
    let policy = OraclePolicy {
        kind,
        feed_id: raw.feed_id,
        max_staleness_secs: config.max_staleness_secs,
        max_conf_bps: config.max_conf_bps,
    };
    // Judge the price as of its own publish time: staleness is a per-use check.
    let price = validate_price(&raw, &policy, raw.publish_time)?;
    Ok((raw.feed_id, price))
}

pub fn bank_register<'info>(
    ctx: Context<'info, BankRegister<'info>>,
    token_index: u16,
    config: BankConfig,
) -> Result<()> {
    config.validate()?;
    require!(
        token_index != RESERVED_TOKEN_INDEX,
        CrossMarginError::ReservedTokenIndex
    );
    let now = Clock::get()?.unix_timestamp;
    require!(
        !ctx.accounts.group.load()?.is_live() || !config.has_asset_weight(),
        CrossMarginError::NewBankAssetWeightNotZero
    );
    check_config_against_group(
        &ctx.accounts.group,
        token_index,
        &config.liquidation_params(),
        ctx.remaining_accounts,
        false,
        ctx.program_id,
        now,
    )?;
    let accounts = &ctx.accounts;
    require!(
        accounts.mint.decimals <= MAX_DECIMALS,
        CrossMarginError::MintDecimalsTooLarge
    );
    check_mint_extensions(&accounts.mint.to_account_info())?;
    let (feed_id, price) = check_oracle(&accounts.oracle, &config)?;

    let group_key = accounts.group.key();
    let bank_key = accounts.bank.key();
    let index_bytes = token_index.to_le_bytes();
    let bump = [ctx.bumps.bank];
    let seeds: [&[u8]; 4] = [BANK_SEED, group_key.as_ref(), &index_bytes, &bump];
    let bank_info = accounts.bank.to_account_info();
    let system = &accounts.system_program;
    create_pda(
        &accounts.admin,
        &bank_info,
        system,
        Bank::SPACE,
        &crate::ID,
        &seeds,
    )?;
    for (vault, seed, bump) in [
        (&accounts.vault, VAULT_SEED, ctx.bumps.vault),
        (
            &accounts.insurance_vault,
            INSURANCE_SEED,
            ctx.bumps.insurance_vault,
        ),
    ] {
        let bump = [bump];
        let seeds: [&[u8]; 3] = [seed, bank_key.as_ref(), &bump];
        create_token_account(
            &accounts.admin,
            &vault.to_account_info(),
            &accounts.mint,
            &accounts.group.to_account_info(),
            &accounts.token_program,
            system,
            &seeds,
        )?;
    }

    let mut data = bank_info.try_borrow_mut_data()?;
    data[..8].copy_from_slice(Bank::DISCRIMINATOR);
    let bank: &mut Bank = bytemuck::try_from_bytes_mut(&mut data[8..Bank::SPACE])
        .map_err(|_| CrossMarginError::InvalidAccount)?;
    bank.group = group_key;
    bank.mint = accounts.mint.key();
    bank.vault = accounts.vault.key();
    bank.insurance_vault = accounts.insurance_vault.key();
    bank.token_program = accounts.token_program.key();
    bank.deposit_index = I80F48Bytes::from(I80F48::ONE);
    bank.borrow_index = I80F48Bytes::from(I80F48::ONE);
    bank.last_accrual_ts = now;
    bank.token_index = token_index;
    bank.decimals = accounts.mint.decimals;
    bank.bump = ctx.bumps.bank;
    bank.vault_bump = ctx.bumps.vault;
    bank.insurance_bump = ctx.bumps.insurance_vault;
    bank.apply_config(&config, now, None);
    bank.set_oracle(accounts.oracle.key(), feed_id, &price, now);
    let mut group = accounts.group.load_mut()?;
    group.bank_count = group
        .bank_count
        .checked_add(1)
        .ok_or(CrossMarginError::MathOverflow)?;

    emit!(BankConfigured {
        group: group_key,
        bank: accounts.bank.key(),
        token_index,
        mint: bank.mint,
        oracle: bank.oracle,
        created: true,
    });
    Ok(())
}
