//! One instruction per file: its `Accounts` struct (with the doc comment saying who may
//! call it and what it checks) and its handler.

pub mod account_close;
pub mod account_create;
pub mod account_set_delegate;
pub mod bank_accrue_interest;
pub mod bank_edit;
pub mod bank_register;
pub mod bank_sweep_fees;
pub mod group_create;
pub mod group_edit;
pub mod group_set_paused;
pub mod insurance_deposit;
pub mod token_deposit;
pub mod token_liquidate;
pub mod token_resolve_bankruptcy;
pub mod token_withdraw;

pub use account_close::*;
pub use account_create::*;
pub use account_set_delegate::*;
pub use bank_accrue_interest::*;
pub use bank_edit::*;
pub use bank_register::*;
pub use bank_sweep_fees::*;
pub use group_create::*;
pub use group_edit::*;
pub use group_set_paused::*;
pub use insurance_deposit::*;
pub use token_deposit::*;
pub use token_liquidate::*;
pub use token_resolve_bankruptcy::*;
pub use token_withdraw::*;
