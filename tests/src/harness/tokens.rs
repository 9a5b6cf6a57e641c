//! SPL Token / Token-2022 helpers: mints (optionally with extensions), token accounts,
//! minting and balances. Instructions come from the Token-2022 interface crate, whose
//! builders also target the classic Token program.

use super::context::{TestContext, TxError};
use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022 as t22;
use solana_keypair::Keypair;
use solana_program_pack::Pack;
use solana_signer::Signer;
use t22::extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions};

pub const TOKEN: Pubkey = anchor_spl::token::ID;
pub const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;

/// Token-2022 mint extensions a test may ask for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MintExtension {
    TransferFee { bps: u16 },
    PermanentDelegate,
    DefaultFrozen,
    TransferHook,
}

impl TestContext {
    /// Create a mint whose mint authority is the payer.
    pub async fn create_mint(&mut self, decimals: u8, program: Pubkey) -> Pubkey {
        self.create_mint_with(decimals, program, &[])
            .await
            .expect("mint created")
    }

    pub async fn create_mint_with(
        &mut self,
        decimals: u8,
        program: Pubkey,
        extensions: &[MintExtension],
    ) -> Result<Pubkey, TxError> {
        let mint = Keypair::new();
        let payer = self.payer_key();
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
            ExtensionType::try_calculate_account_len::<t22::state::Mint>(&types).unwrap()
        };
        let rent = self.ctx.banks_client.get_rent().await.unwrap();
        let mut ixs = vec![solana_system_interface::instruction::create_account(
            &payer,
            &mint.pubkey(),
            rent.minimum_balance(space),
            space as u64,
            &program,
        )];
        for e in extensions {
            ixs.push(match e {
                MintExtension::TransferFee { bps } => {
                    t22::extension::transfer_fee::instruction::initialize_transfer_fee_config(
                        &program,
                        &mint.pubkey(),
                        Some(&payer),
                        Some(&payer),
                        *bps,
                        u64::MAX,
                    )
                    .unwrap()
                }
                MintExtension::PermanentDelegate => {
                    t22::instruction::initialize_permanent_delegate(&program, &mint.pubkey(), &payer)
                        .unwrap()
                }
                MintExtension::DefaultFrozen => {
                    t22::extension::default_account_state::instruction::initialize_default_account_state(
                        &program,
                        &mint.pubkey(),
                        &t22::state::AccountState::Frozen,
                    )
                    .unwrap()
                }
                MintExtension::TransferHook => t22::extension::transfer_hook::instruction::initialize(
                    &program,
                    &mint.pubkey(),
                    Some(payer),
                    Some(Pubkey::new_unique()),
                )
                .unwrap(),
            });
        }
        ixs.push(
            t22::instruction::initialize_mint2(
                &program,
                &mint.pubkey(),
                &payer,
                Some(&payer),
                decimals,
            )
            .unwrap(),
        );
        self.send(&ixs, &[&mint]).await?;
        Ok(mint.pubkey())
    }

    /// Create a token account of `mint` owned by `owner` (a fresh keypair address).
    pub async fn create_token_account(&mut self, owner: &Pubkey, mint: &Pubkey) -> Pubkey {
        let program = self.account(*mint).await.expect("mint exists").owner;
        let account = Keypair::new();
        let space = if program == TOKEN_2022 {
            let data = self.account(*mint).await.unwrap().data;
            let state = StateWithExtensions::<t22::state::Mint>::unpack(&data).unwrap();
            let mint_types = state.get_extension_types().unwrap();
            let types = ExtensionType::get_required_init_account_extensions(&mint_types);
            ExtensionType::try_calculate_account_len::<t22::state::Account>(&types).unwrap()
        } else {
            t22::state::Account::LEN
        };
        let rent = self.ctx.banks_client.get_rent().await.unwrap();
        let payer = self.payer_key();
        let ixs = [
            solana_system_interface::instruction::create_account(
                &payer,
                &account.pubkey(),
                rent.minimum_balance(space),
                space as u64,
                &program,
            ),
            t22::instruction::initialize_account3(&program, &account.pubkey(), mint, owner)
                .unwrap(),
        ];
        self.send(&ixs, &[&account])
            .await
            .expect("token account created");
        account.pubkey()
    }

    pub async fn mint_to(&mut self, mint: &Pubkey, to: &Pubkey, amount: u64) {
        let program = self.account(*mint).await.unwrap().owner;
        let payer = self.payer_key();
        let ix = t22::instruction::mint_to(&program, mint, to, &payer, &[], amount).unwrap();
        self.send(&[ix], &[]).await.expect("mint_to");
    }

    /// Freeze a token account (the payer is every test mint's freeze authority).
    pub async fn freeze(&mut self, account: &Pubkey, mint: &Pubkey) {
        let program = self.account(*mint).await.unwrap().owner;
        let payer = self.payer_key();
        let ix = t22::instruction::freeze_account(&program, account, mint, &payer, &[]).unwrap();
        self.send(&[ix], &[]).await.expect("freeze");
    }

    /// Token amount held by a token account (either program).
    pub async fn token_balance(&mut self, account: Pubkey) -> u64 {
        let data = self
            .account(account)
            .await
            .expect("token account exists")
            .data;
        StateWithExtensions::<t22::state::Account>::unpack(&data)
            .expect("token account")
            .base
            .amount
    }
}
