//! The cross-margin CLI as a library: argument types ([`args`]), commands generic over any
//! [`cross_margin_client::chain::Chain`] ([`commands`]), output rendering ([`output`]) and
//! the one-command local demo ([`demo`]).

pub mod args;
pub mod commands;
pub mod demo;
pub mod output;
