//! The cross-margin CLI as a library: argument types ([`args`]), commands generic over any
//! [`cross_margin_client::chain::Chain`] ([`commands`]; `group show` and `bank show` in
//! [`show`]; the timelocked change queue, going live and the admin hand-over in [`admin`]),
//! output rendering ([`output`]) and the one-command local demo ([`demo`]).

pub mod admin;
pub mod args;
pub mod commands;
pub mod demo;
pub mod output;
pub mod show;
