//! Who bore each bankruptcy's bad debt, measured on chain around the keeper's own
//! `token_resolve_bankruptcy` transactions.
//!
//! The program covers a written-off debt from the bank's uncollected protocol fees (owed
//! to the insurance fund), then its insurance vault, then its depositors (a lower deposit
//! index, down to a floor), and records the rest as unrecoverable. Its event says so, but
//! natively run programs log no events, so [`Recording`] wraps the chain the keeper sends
//! through and, for each resolution, reads the accounts before and after it:
//!
//! - debt written off: the account's borrow at the bank's borrow index accrued to now,
//!   rounded up (as the program computes it);
//! - insured: the insurance vault's balance drop, plus the drop of the bank's uncollected
//!   fees after accrual (both are the insurance fund's money);
//! - socialised: the deposit index's drop times the bank's deposits, rounded down;
//! - unrecoverable: the rise of the bank's `unrecoverable_bad_debt`.
//!
//! The four are read independently, so `insured + socialised + unrecoverable = debt` is a
//! check of the program's accounting, not an identity of this code.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::Discriminator;
use cross_margin::math::{rounding, Round, I80F48};
use cross_margin::state::{Bank, MarginAccount};
use cross_margin_client::chain::{Chain, ChainError, ChainLayer};
use cross_margin_client::fees::Urgency;
use cross_margin_client::local::spl;
use cross_margin_client::snapshot::fetch;
use solana_keypair::Keypair;

/// One bankruptcy resolution, in native units of the bank's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub account: Pubkey,
    pub token_index: u16,
    /// The debt written off.
    pub debt: u64,
    /// Paid from the bank's insurance vault.
    pub from_insurance_vault: u64,
    /// Cancelled against the bank's uncollected protocol fees.
    pub fees_forgone: u64,
    /// Absorbed by depositors.
    pub socialised: u64,
    /// Beyond depositors.
    pub unrecoverable: u64,
}

impl Resolution {
    /// What the insurance fund covered: its vault and the fees owed to it.
    pub fn insured(&self) -> u64 {
        self.from_insurance_vault + self.fees_forgone
    }

    /// `debt − (insured + socialised + unrecoverable)`: 0 when the measured parts account
    /// for the whole debt.
    pub fn unexplained(&self) -> i128 {
        self.debt as i128
            - (self.insured() as i128 + self.socialised as i128 + self.unrecoverable as i128)
    }
}

/// What a resolution is measured against.
struct Before {
    account: Pubkey,
    bank_key: Pubkey,
    insurance_vault: Pubkey,
    /// The bank as the instruction sees it after accruing interest to now.
    accrued: Bank,
    unrecoverable: u64,
    insurance: u64,
    debt: u64,
}

/// A perp liquidation that went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PerpLiquidation {
    pub liquidatee: Pubkey,
    /// A hedged pair (`perp_liquidate_pair`: the perp and its spot hedge closed together)
    /// rather than the perp alone against the pool (`perp_liquidate`).
    pub pair: bool,
}

/// A [`Chain`] that passes everything to `inner` and measures each bankruptcy resolution
/// sent through it (see the module docs).
pub struct Recording<'a, C> {
    inner: &'a mut C,
    pub resolutions: Vec<Resolution>,
    /// Every perp liquidation that went through, in order.
    pub perp_liquidated: Vec<PerpLiquidation>,
}

impl<'a, C: Chain> Recording<'a, C> {
    pub fn new(inner: &'a mut C) -> Self {
        Recording {
            inner,
            resolutions: vec![],
            perp_liquidated: vec![],
        }
    }

    /// The resolutions measured so far; clears them.
    pub fn take(&mut self) -> Vec<Resolution> {
        std::mem::take(&mut self.resolutions)
    }

    async fn before(&mut self, ix: &Instruction) -> Result<Option<Before>, ChainError> {
        let key = |i: usize| ix.accounts.get(i).map(|m| m.pubkey);
        // Accounts: group, account, bank, vault, insurance vault, mint, token program.
        let (Some(account), Some(bank_key), Some(insurance_vault)) = (key(1), key(2), key(4))
        else {
            return Ok(None);
        };
        let now = self.inner.unix_timestamp().await?;
        let margin = self.margin(&account).await?;
        let Some(mut accrued) = self.bank(&bank_key).await? else {
            return Ok(None);
        };
        let unrecoverable = accrued.unrecoverable_bad_debt;
        if accrued.accrue_interest(now).is_err() {
            return Ok(None);
        }
        let borrowed = margin
            .and_then(|m| {
                m.position_slot(accrued.token_index)
                    .map(|s| m.token_positions[s])
            })
            .map(|p| -p.indexed.get())
            .filter(|b| *b > I80F48::ZERO);
        let Some(debt) = borrowed
            .and_then(|b| rounding::mul(b, accrued.borrow_index.get(), Round::Up))
            .and_then(|d| rounding::to_native(d, Round::Up))
        else {
            return Ok(None);
        };
        Ok(Some(Before {
            account,
            bank_key,
            insurance_vault,
            accrued,
            unrecoverable,
            insurance: spl::balance(self.inner, &insurance_vault).await?,
            debt,
        }))
    }

    async fn after(&mut self, before: Before) -> Result<Option<Resolution>, ChainError> {
        let token_index = before.accrued.token_index;
        // Only a debt that is gone was written off (a dry run or a refusal changes nothing).
        let still_owed = self
            .margin(&before.account)
            .await?
            .and_then(|m| m.position_slot(token_index).map(|s| m.token_positions[s]))
            .is_some_and(|p| p.indexed.get() < I80F48::ZERO);
        let Some(bank) = self.bank(&before.bank_key).await? else {
            return Ok(None);
        };
        if still_owed {
            return Ok(None);
        }
        let insurance = spl::balance(self.inner, &before.insurance_vault).await?;
        let fee_drop = before.accrued.collected_fees.get() - bank.collected_fees.get();
        let index_drop = before.accrued.deposit_index.get() - bank.deposit_index.get();
        let socialised = rounding::mul(
            index_drop.max(I80F48::ZERO),
            bank.indexed_deposits.get().max(I80F48::ZERO),
            Round::Down,
        )
        .and_then(|v| rounding::to_native(v, Round::Down))
        .unwrap_or(0);
        Ok(Some(Resolution {
            account: before.account,
            token_index,
            debt: before.debt,
            from_insurance_vault: before.insurance.saturating_sub(insurance),
            fees_forgone: rounding::to_native(fee_drop.max(I80F48::ZERO), Round::Down).unwrap_or(0),
            socialised,
            unrecoverable: bank
                .unrecoverable_bad_debt
                .saturating_sub(before.unrecoverable),
        }))
    }

    async fn margin(&mut self, key: &Pubkey) -> Result<Option<MarginAccount>, ChainError> {
        fetch(&mut *self.inner, key).await
    }

    async fn bank(&mut self, key: &Pubkey) -> Result<Option<Bank>, ChainError> {
        fetch(&mut *self.inner, key).await
    }
}

fn is_resolution(ix: &Instruction) -> bool {
    ix.program_id == cross_margin::ID
        && ix
            .data
            .starts_with(cross_margin::instruction::TokenResolveBankruptcy::DISCRIMINATOR)
}

/// `Some(pair?)` for a perp liquidation, single or hedged pair.
fn perp_liquidation(ix: &Instruction) -> Option<bool> {
    use cross_margin::instruction::{PerpLiquidate, PerpLiquidatePair};
    if ix.program_id != cross_margin::ID {
        return None;
    }
    if ix.data.starts_with(PerpLiquidate::DISCRIMINATOR) {
        Some(false)
    } else if ix.data.starts_with(PerpLiquidatePair::DISCRIMINATOR) {
        Some(true)
    } else {
        None
    }
}

/// Passes everything through, noting each bankruptcy resolution and perp liquidation
/// (single or pair) it sends.
impl<C: Chain> ChainLayer for Recording<'_, C> {
    type Inner = C;

    fn inner(&self) -> &C {
        &*self.inner
    }

    fn inner_mut(&mut self) -> &mut C {
        &mut *self.inner
    }

    async fn layer_send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        urgency: Urgency,
    ) -> Result<String, ChainError> {
        let mut watched = vec![];
        for ix in ixs.iter().filter(|ix| is_resolution(ix)) {
            watched.extend(self.before(ix).await?);
        }
        let signature = self.inner.send_with(ixs, signers, urgency).await?;
        // `perp_liquidate(_pair)` accounts: signer, group, liquidator, liquidatee, …
        self.perp_liquidated.extend(ixs.iter().filter_map(|ix| {
            Some(PerpLiquidation {
                pair: perp_liquidation(ix)?,
                liquidatee: ix.accounts.get(3)?.pubkey,
            })
        }));
        for before in watched {
            if let Some(r) = self.after(before).await? {
                self.resolutions.push(r);
            }
        }
        Ok(signature)
    }
}
