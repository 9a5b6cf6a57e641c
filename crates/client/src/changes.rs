//! A group's queued admin changes (`PendingChange` accounts): discovery, decoding, which are
//! due (and which expired), the instruction that applies one, and what a change would change.
//!
//! A change may apply from its due time (`Group::change_due_at`: its `effective_at`, or a
//! full timelock after go-live for a change queued during setup) until
//! `CHANGE_EXPIRY_SECS` after that; an expired change can only be cancelled.
//!
//! Changes are found with `getProgramAccounts` (discriminator at 0, group at 8), so the
//! tools need no index of change ids: a change leaves the list when it is applied or
//! cancelled (its account is closed).

use crate::builders;
use crate::chain::{Chain, ChainError, Memcmp};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{AccountDeserialize, Discriminator};
use cross_margin::guard::classify::{
    bank_fields, group_fields, Class, Looser, Step, BANK_RULES, GROUP_RULES,
};
use cross_margin::state::{
    BankConfig, ChangeKind, Group, OracleKind, PendingChange, CHANGE_EXPIRY_SECS,
};

/// Offset of `PendingChange::group` (right after the discriminator).
pub const GROUP_OFFSET: usize = 8;

/// One queued change, its address and when it may apply.
#[derive(Clone, Debug)]
pub struct Pending {
    pub key: Pubkey,
    pub change: PendingChange,
    /// When it may apply (`Group::change_due_at`).
    pub due_at: i64,
    /// The last moment it may apply; later it can only be cancelled.
    pub expires_at: i64,
}

impl Pending {
    /// `change` of `group` (whose state decides when it is due).
    pub fn new(key: Pubkey, change: PendingChange, group: &Group) -> Self {
        let due_at = group.change_due_at(change.queued_at, change.effective_at);
        Self {
            key,
            change,
            due_at,
            expires_at: due_at.saturating_add(CHANGE_EXPIRY_SECS),
        }
    }

    /// Whether anyone may apply it at `now` (due and not expired).
    pub fn is_due(&self, now: i64) -> bool {
        now >= self.due_at && now <= self.expires_at
    }

    pub fn is_expired(&self, now: i64) -> bool {
        now > self.expires_at
    }

    /// `waiting`, `due` or `expired`.
    pub fn state(&self, now: i64) -> &'static str {
        if self.is_expired(now) {
            "expired"
        } else if self.is_due(now) {
            "due"
        } else {
            "waiting"
        }
    }

    /// The bank it changes (`None` for a group settings change).
    pub fn bank(&self) -> Option<Pubkey> {
        matches!(self.change.change, ChangeKind::Bank(_)).then_some(self.change.target)
    }

    /// The instruction that applies it (permissionless); `banks` = every bank of the group
    /// (the changed bank itself is left out by the builder).
    pub fn apply_instruction(&self, banks: &[Pubkey]) -> Instruction {
        let c = &self.change;
        match &c.change {
            ChangeKind::Bank(b) => builders::bank_apply_edit(
                &c.group, &c.target, &b.oracle, &self.key, &c.payer, banks,
            ),
            ChangeKind::Group(_) => builders::group_apply_edit(&c.group, &self.key, &c.payer),
        }
    }

    /// What it changes, field by field: `(field, old, new, loosens)`.
    pub fn diff(&self) -> Vec<FieldChange> {
        match &self.change.change {
            ChangeKind::Bank(b) => {
                let mut out = bank_diff(&b.base, &b.config);
                if b.oracle != b.base_oracle {
                    out.push(FieldChange {
                        field: "oracle",
                        old: b.base_oracle.to_string(),
                        new: b.oracle.to_string(),
                        loosens: true,
                    });
                }
                out
            }
            ChangeKind::Group(g) => {
                let (old, new) = group_fields(&g.base, &g.settings);
                let mut out = vec![];
                for (i, rule) in GROUP_RULES.iter().enumerate() {
                    if old[i] == new[i] {
                        continue;
                    }
                    let (o, n) = if rule.name == "security_admin" {
                        (
                            g.base.security_admin.to_string(),
                            g.settings.security_admin.to_string(),
                        )
                    } else {
                        (old[i].to_string(), new[i].to_string())
                    };
                    out.push(FieldChange {
                        field: rule.name,
                        old: o,
                        new: n,
                        loosens: rule.class(old[i], new[i]) == Class::Loosening,
                    });
                }
                out
            }
        }
    }

    /// The diff on one line: `field old→new, …` (loosening fields marked with `*`).
    pub fn summary(&self) -> String {
        let diff = self.diff();
        if diff.is_empty() {
            return "no field changes".into();
        }
        diff.iter()
            .map(|f| {
                format!(
                    "{}{} {}→{}",
                    f.field,
                    if f.loosens { "*" } else { "" },
                    f.old,
                    f.new
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One field a change modifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: String,
    pub new: String,
    pub loosens: bool,
}

/// The fields that differ between two bank configs.
pub fn bank_diff(old: &BankConfig, new: &BankConfig) -> Vec<FieldChange> {
    let (o, n) = (bank_fields(old), bank_fields(new));
    BANK_RULES
        .iter()
        .enumerate()
        .filter(|(i, _)| o[*i] != n[*i])
        .map(|(i, rule)| FieldChange {
            field: rule.name,
            old: o[i].to_string(),
            new: n[i].to_string(),
            loosens: rule.class(o[i], n[i]) == Class::Loosening,
        })
        .collect()
}

/// Filters for every `PendingChange` of `group`.
pub fn filters(group: &Pubkey) -> Vec<Memcmp> {
    vec![
        Memcmp {
            offset: 0,
            bytes: PendingChange::DISCRIMINATOR.to_vec(),
        },
        Memcmp {
            offset: GROUP_OFFSET,
            bytes: group.to_bytes().to_vec(),
        },
    ]
}

/// Decode a `PendingChange` account (discriminator checked).
pub fn decode(data: &[u8]) -> Option<PendingChange> {
    PendingChange::try_deserialize(&mut &data[..]).ok()
}

/// Every queued change of `group`, by change id (none if the group does not exist).
pub async fn pending_changes<C: Chain>(
    chain: &mut C,
    group: &Pubkey,
) -> Result<Vec<Pending>, ChainError> {
    let Some(g) = crate::snapshot::fetch::<Group, _>(chain, group).await? else {
        return Ok(vec![]);
    };
    let mut found: Vec<Pending> = chain
        .program_accounts(&filters(group))
        .await?
        .into_iter()
        .filter_map(|(key, a)| decode(&a.data).map(|change| Pending::new(key, change, &g)))
        .filter(|p| p.change.group == *group)
        .collect();
    found.sort_by_key(|p| p.change.change_id);
    Ok(found)
}

/// The changes among `changes` that are due at `now`.
pub fn due(changes: &[Pending], now: i64) -> Vec<&Pending> {
    changes.iter().filter(|p| p.is_due(now)).collect()
}

/// The part of `want` that only tightens `current`: every field `want` tightens takes its
/// new value, every field it loosens keeps its current one. On a live group this applies at
/// once with `bank_edit`.
pub fn tightening_part(current: &BankConfig, want: &BankConfig) -> BankConfig {
    let (c, w) = (bank_fields(current), bank_fields(want));
    let mut out = c;
    for (i, rule) in BANK_RULES.iter().enumerate() {
        if rule.class(c[i], w[i]) == Class::Tightening {
            out[i] = w[i];
        }
    }
    from_fields(&out)
}

/// One applied change's worth of the way from `current` to `want`: tightening fields take
/// their new value; each loosening field moves as far as its per-change step allows
/// (`guard::classify`: weights by 0.1, limits at most doubled or halved). Equal to `want`
/// when one change suffices.
pub fn next_step(current: &BankConfig, want: &BankConfig) -> BankConfig {
    let (c, w) = (bank_fields(current), bank_fields(want));
    let mut out = w;
    for (i, rule) in BANK_RULES.iter().enumerate() {
        if rule.class(c[i], w[i]) != Class::Loosening {
            continue;
        }
        out[i] = match (rule.step, rule.looser) {
            (Step::Unbounded, _) | (_, Looser::AnyChange) => w[i],
            (Step::By(units), Looser::Higher) => w[i].min(c[i].saturating_add(units)),
            (Step::By(units), Looser::Lower) => w[i].max(c[i].saturating_sub(units)),
            (Step::Double, Looser::Higher) => w[i].min(c[i].saturating_mul(2).max(1)),
            (Step::Double, Looser::Lower) => w[i].max(c[i].div_ceil(2)),
        };
        debug_assert!(rule.within_step(c[i], out[i]));
    }
    from_fields(&out)
}

/// The inverse of `bank_fields` (same order as `BANK_RULES`).
fn from_fields(f: &[u64; 23]) -> BankConfig {
    BankConfig {
        oracle_kind: if f[0] == OracleKind::PythLegacy as u64 {
            OracleKind::PythLegacy
        } else {
            OracleKind::PythPull
        },
        max_staleness_secs: f[1],
        max_conf_bps: f[2] as u32,
        init_asset_weight_bps: f[3] as u32,
        maint_asset_weight_bps: f[4] as u32,
        maint_liab_weight_bps: f[5] as u32,
        init_liab_weight_bps: f[6] as u32,
        util0_bps: f[7] as u32,
        rate0_bps: f[8] as u32,
        util1_bps: f[9] as u32,
        rate1_bps: f[10] as u32,
        max_rate_bps: f[11] as u32,
        protocol_fee_bps: f[12] as u32,
        loan_origination_fee_bps: f[13] as u32,
        liquidation_fee_bps: f[14] as u32,
        liquidation_insurance_share_bps: f[15] as u32,
        deposit_limit: f[16],
        borrow_limit: f[17],
        reduce_only: f[18] != 0,
        stable_growth_bps: f[19] as u32,
        breaker_band_bps: f[20] as u32,
        net_outflow_limit_bps: f[21] as u32,
        outflow_window_secs: f[22] as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let c = BankConfig {
            oracle_kind: OracleKind::PythLegacy,
            reduce_only: true,
            deposit_limit: 77,
            ..BankConfig::DEFAULT
        };
        assert_eq!(from_fields(&bank_fields(&c)), c);
        assert_eq!(
            from_fields(&bank_fields(&BankConfig::DEFAULT)),
            BankConfig::DEFAULT
        );
    }

    #[test]
    fn steps_and_tightening_split() {
        let zero = BankConfig {
            init_asset_weight_bps: 0,
            maint_asset_weight_bps: 0,
            deposit_limit: 1_000,
            ..BankConfig::DEFAULT
        };
        let want = BankConfig {
            deposit_limit: 10_000,
            max_rate_bps: 20_000,
            ..BankConfig::DEFAULT
        };
        let step = next_step(&zero, &want);
        assert_eq!(
            (
                step.init_asset_weight_bps,
                step.maint_asset_weight_bps,
                step.deposit_limit,
                step.max_rate_bps
            ),
            (1_000, 1_000, 2_000, 20_000)
        );
        let mut at = zero;
        let mut n = 0;
        while at != want {
            at = next_step(&at, &want);
            n += 1;
        }
        assert_eq!(n, 9, "0 → 0.9 maint asset weight in steps of 0.1");
        // Tightening part: the higher max rate (tightens) applies, the weights (loosen) wait.
        let t = tightening_part(&zero, &want);
        assert_eq!(
            (t.max_rate_bps, t.init_asset_weight_bps, t.deposit_limit),
            (20_000, 0, 1_000)
        );
        assert!(bank_diff(&zero, &t).iter().all(|f| !f.loosens));
    }
}
