//! SPL Token / Token-2022 helpers over any [`Chain`]: mints (optionally with extensions),
//! token accounts, minting, freezing and balances. Instructions come from the Token-2022
//! interface crate, whose builders also target the classic Token program.

use crate::chain::{Chain, ChainError};
use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022 as t22;
use solana_keypair::Keypair;
use solana_program_pack::Pack;
use solana_signer::Signer;
use t22::extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions};

pub const TOKEN: Pubkey = anchor_spl::token::ID;
pub const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;

/// Token-2022 mint extensions a caller may ask for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MintExtension {
    TransferFee { bps: u16 },
    PermanentDelegate,
    DefaultFrozen,
    TransferHook,
}

/// Rent-exempt minimum for `space` bytes (the default rent schedule).
fn rent(space: usize) -> u64 {
    anchor_lang::prelude::Rent::default().minimum_balance(space)
}

/// Create a mint whose mint and freeze authority is the payer.
pub async fn create_mint<C: Chain>(
    chain: &mut C,
    decimals: u8,
    program: Pubkey,
    extensions: &[MintExtension],
) -> Result<Pubkey, ChainError> {
    let mint = Keypair::new();
    let payer = chain.payer().pubkey();
    let types: Vec<ExtensionType> = extensions
        .iter()
        .map(|e| match e {
            MintExtension::TransferFee { .. } => ExtensionType::TransferFeeConfig,
            MintExtension::PermanentDelegate => ExtensionType::PermanentDelegate,
            MintExtension::DefaultFrozen => ExtensionType::DefaultAccountState,
            MintExtension::TransferHook => ExtensionType::TransferHook,
        })
        .collect();
    let space = if types.is_empty() {
        t22::state::Mint::LEN
    } else {
        ExtensionType::try_calculate_account_len::<t22::state::Mint>(&types).expect("mint length")
    };
    let mut ixs = vec![solana_system_interface::instruction::create_account(
        &payer,
        &mint.pubkey(),
        rent(space),
        space as u64,
        &program,
    )];
    let m = mint.pubkey();
    for e in extensions {
        ixs.push(match e {
            MintExtension::TransferFee { bps } => t22::extension::transfer_fee::instruction::initialize_transfer_fee_config(
                &program, &m, Some(&payer), Some(&payer), *bps, u64::MAX,
            )
            .expect("ix"),
            MintExtension::PermanentDelegate => t22::instruction::initialize_permanent_delegate(&program, &m, &payer).expect("ix"),
            MintExtension::DefaultFrozen => t22::extension::default_account_state::instruction::initialize_default_account_state(
                &program, &m, &t22::state::AccountState::Frozen,
            )
            .expect("ix"),
            MintExtension::TransferHook => t22::extension::transfer_hook::instruction::initialize(
                &program, &m, Some(payer), Some(Pubkey::new_unique()),
            )
            .expect("ix"),
        });
    }
    ixs.push(
        t22::instruction::initialize_mint2(&program, &m, &payer, Some(&payer), decimals)
            .expect("ix"),
    );
    chain.send(&ixs, &[&mint]).await?;
    Ok(m)
}

/// Create a token account of `mint` owned by `owner` at a fresh address.
pub async fn create_token_account<C: Chain>(
    chain: &mut C,
    owner: &Pubkey,
    mint: &Pubkey,
) -> Result<Pubkey, ChainError> {
    let mint_account = chain
        .account(mint)
        .await?
        .ok_or_else(|| ChainError::Transport(format!("mint {mint} not found")))?;
    let program = mint_account.owner;
    let space = if program == TOKEN_2022 {
        let state =
            StateWithExtensions::<t22::state::Mint>::unpack(&mint_account.data).expect("a mint");
        let types = ExtensionType::get_required_init_account_extensions(
            &state.get_extension_types().expect("extensions"),
        );
        ExtensionType::try_calculate_account_len::<t22::state::Account>(&types).expect("length")
    } else {
        t22::state::Account::LEN
    };
    let account = Keypair::new();
    let payer = chain.payer().pubkey();
    let ixs = [
        solana_system_interface::instruction::create_account(
            &payer,
            &account.pubkey(),
            rent(space),
            space as u64,
            &program,
        ),
        t22::instruction::initialize_account3(&program, &account.pubkey(), mint, owner)
            .expect("ix"),
    ];
    chain.send(&ixs, &[&account]).await?;
    Ok(account.pubkey())
}

/// Mint `amount` of `mint` (authority: the payer) to `to`.
pub async fn mint_to<C: Chain>(
    chain: &mut C,
    mint: &Pubkey,
    to: &Pubkey,
    amount: u64,
) -> Result<(), ChainError> {
    let program = chain.account(mint).await?.map(|a| a.owner).unwrap_or(TOKEN);
    let payer = chain.payer().pubkey();
    let ix = t22::instruction::mint_to(&program, mint, to, &payer, &[], amount).expect("ix");
    chain.send(&[ix], &[]).await.map(|_| ())
}

/// Freeze a token account (the payer is the freeze authority of mints made here).
pub async fn freeze<C: Chain>(
    chain: &mut C,
    account: &Pubkey,
    mint: &Pubkey,
) -> Result<(), ChainError> {
    let program = chain.account(mint).await?.map(|a| a.owner).unwrap_or(TOKEN);
    let payer = chain.payer().pubkey();
    let ix = t22::instruction::freeze_account(&program, account, mint, &payer, &[]).expect("ix");
    chain.send(&[ix], &[]).await.map(|_| ())
}

/// Token amount held by a token account (either program); 0 if it does not exist.
pub async fn balance<C: Chain>(chain: &mut C, account: &Pubkey) -> Result<u64, ChainError> {
    Ok(chain
        .account(account)
        .await?
        .and_then(|a| {
            StateWithExtensions::<t22::state::Account>::unpack(&a.data)
                .ok()
                .map(|s| s.base.amount)
        })
        .unwrap_or(0))
}
