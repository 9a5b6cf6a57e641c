//! Creating program-derived accounts from inside the program.
//!
//! `bank_register` creates its bank and vaults by hand rather than with Anchor's `init`,
//! because Anchor runs every `init` before any other constraint: an existing token index
//! would then fail inside the system or token program with an unnamed error instead of
//! `TokenIndexInUse`. Creation also tolerates lamports pre-sent to the address (a cheap
//! griefing attempt that makes a plain `create_account` fail).

use anchor_lang::prelude::*;
use anchor_lang::system_program;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::{
    Account as TokenAccountState, Mint as MintState,
};
use anchor_spl::token_interface::{self, InitializeAccount3, Mint, TokenInterface};

/// Fund, allocate and assign the PDA at `target` (signed by `seeds`) to `owner`.
pub fn create_pda<'info>(
    payer: &Signer<'info>,
    target: &AccountInfo<'info>,
    system: &Program<'info, System>,
    space: usize,
    owner: &Pubkey,
    seeds: &[&[u8]],
) -> Result<()> {
    let needed = Rent::get()?.minimum_balance(space);
    let topup = needed.saturating_sub(target.lamports());
    if topup > 0 {
        let accounts = system_program::Transfer {
            from: payer.to_account_info(),
            to: target.clone(),
        };
        system_program::transfer(CpiContext::new(system.key(), accounts), topup)?;
    }
    let signer = [seeds];
    let allocate = system_program::Allocate {
        account_to_allocate: target.clone(),
    };
    system_program::allocate(
        CpiContext::new_with_signer(system.key(), allocate, &signer),
        space as u64,
    )?;
    let assign = system_program::Assign {
        account_to_assign: target.clone(),
    };
    system_program::assign(
        CpiContext::new_with_signer(system.key(), assign, &signer),
        owner,
    )
}

/// Size of a token account for `mint`, including the extensions its mint requires.
fn token_account_space(mint: &AccountInfo) -> Result<usize> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(anchor_spl::token::TokenAccount::LEN);
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    let required =
        ExtensionType::get_required_init_account_extensions(&state.get_extension_types()?);
    Ok(ExtensionType::try_calculate_account_len::<TokenAccountState>(&required)?)
}

/// Create the PDA token account at `target` for `mint`, owned by `authority`.
pub fn create_token_account<'info>(
    payer: &Signer<'info>,
    target: &AccountInfo<'info>,
    mint: &InterfaceAccount<'info, Mint>,
    authority: &AccountInfo<'info>,
    token_program: &Interface<'info, TokenInterface>,
    system: &Program<'info, System>,
    seeds: &[&[u8]],
) -> Result<()> {
    let mint_info = mint.to_account_info();
    let space = token_account_space(&mint_info)?;
    create_pda(payer, target, system, space, &token_program.key(), seeds)?;
    let accounts = InitializeAccount3 {
        account: target.clone(),
        mint: mint_info,
        authority: authority.clone(),
    };
    token_interface::initialize_account3(CpiContext::new(token_program.key(), accounts))
}

/// Create the PDA mint at `target` (no extensions, no freeze authority) with `authority`
/// as mint authority.
pub fn create_mint<'info>(
    payer: &Signer<'info>,
    target: &AccountInfo<'info>,
    decimals: u8,
    authority: &Pubkey,
    token_program: &Interface<'info, TokenInterface>,
    system: &Program<'info, System>,
    seeds: &[&[u8]],
) -> Result<()> {
    create_pda(
        payer,
        target,
        system,
        anchor_spl::token::Mint::LEN,
        &token_program.key(),
        seeds,
    )?;
    let accounts = token_interface::InitializeMint2 {
        mint: target.clone(),
    };
    token_interface::initialize_mint2(
        CpiContext::new(token_program.key(), accounts),
        decimals,
        authority,
        None,
    )
}
