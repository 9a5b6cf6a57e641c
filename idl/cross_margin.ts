/**
 * TypeScript type of the `cross_margin` IDL, for `new Program<CrossMargin>(idl, provider)`
 * with the Anchor TypeScript client: the content of idl/cross_margin.json with names in
 * camelCase, as the client uses them. Generated from that file by
 * `python3 scripts/build-idl.py`; do not edit. Import the JSON itself for the IDL value.
 */
export type CrossMargin = {
  "address": "ESfs84KivbtjSekY2Us7CcfTEDhXj6pJ7FryrqsyP3pn",
  "metadata": {
    "name": "crossMargin",
    "version": "0.1.0",
    "spec": "0.1.0",
    "description": "Cross-margin lending protocol for Solana"
  },
  "docs": [
    "cross-margin: deposit several tokens into one margin account and borrow against all of",
    "it. Every instruction that can add risk checks the account's health afterwards.",
    "",
    "Units: token amounts are native units (the mint's smallest unit); values and health are",
    "quote-native (USD × 10^`QUOTE_DECIMALS`). `*_bps` fields are basis points (10,000 = 1).",
    "`I80F48Bytes` fields and event fields documented as I80F48 are fixed-point: a signed",
    "128-bit integer `bits` (little-endian bytes), value = `bits / 2^48`.",
    "",
    "**Health accounts.** Instructions that check an account's health take, in",
    "`remaining_accounts`, the `Bank` of each of its active positions in slot order",
    "(`token_positions` index 0..8, skipping free slots whose `token_index` is 65535), then",
    "the oracle of each of those banks (`Bank.oracle`) in the same order: `2 × n` accounts",
    "for `n` positions (read-only is enough). Missing, extra, repeated or reordered accounts",
    "fail with `HealthAccountsCount`, `HealthBankMismatch` or `HealthOracleMismatch`. An",
    "instruction that may open a position (a deposit or withdrawal in a new token, the",
    "liquidator's side of a liquidation) expects the layout *after* opening it: the new",
    "position takes the first free slot."
  ],
  "instructions": [
    {
      "name": "accountClose",
      "docs": [
        "Close an empty margin account; rent goes to the owner. **Owner only** (`NotOwner`;",
        "not the delegate). Fails while any position holds a balance, even dust",
        "(`AccountNotEmpty`), or the account is being liquidated (`AccountBeingLiquidated`).",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        115,
        5,
        192,
        28,
        86,
        221,
        137,
        102
      ],
      "accounts": [
        {
          "name": "owner",
          "writable": true,
          "signer": true,
          "relations": [
            "account"
          ]
        },
        {
          "name": "account",
          "writable": true
        }
      ],
      "args": []
    },
    {
      "name": "accountCreate",
      "docs": [
        "Open a margin account. **Anyone**, for themselves: the signer (`owner`) owns it and",
        "pays rent. PDA `[\"account\", group, owner, account_num (u32 LE)]`; several accounts",
        "per owner give isolated margin. Refused until the group is live (`GroupNotLive`).",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        198,
        95,
        39,
        197,
        41,
        214,
        157,
        18
      ],
      "accounts": [
        {
          "name": "owner",
          "writable": true,
          "signer": true
        },
        {
          "name": "group"
        },
        {
          "name": "account",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  97,
                  99,
                  99,
                  111,
                  117,
                  110,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "group"
              },
              {
                "kind": "account",
                "path": "owner"
              },
              {
                "kind": "arg",
                "path": "accountNum"
              }
            ]
          }
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "accountNum",
          "type": "u32"
        }
      ]
    },
    {
      "name": "accountSetDelegate",
      "docs": [
        "Set the account's delegate, or clear it with the default pubkey. **Owner only**",
        "(`NotOwner`). A delegate may withdraw and borrow for the owner (to any destination)",
        "and open positions by depositing, but not close the account or re-delegate.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        206,
        200,
        110,
        91,
        209,
        86,
        232,
        225
      ],
      "accounts": [
        {
          "name": "owner",
          "signer": true,
          "relations": [
            "account"
          ]
        },
        {
          "name": "account",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "delegate",
          "type": "pubkey"
        }
      ]
    },
    {
      "name": "bankAccrueInterest",
      "docs": [
        "Accrue a bank's interest to now. **Anyone** may call (a crank for idle banks; every",
        "instruction that uses a bank accrues it anyway). Checks only that `bank` is a `Bank`.",
        "",
        "`remaining_accounts` (optional): `[0]` = the bank's oracle. When it is the bank's",
        "oracle and its price is valid now, the price becomes the bank's last valid price and",
        "moves its stable price and breaker; an invalid price is ignored, never an error."
      ],
      "discriminator": [
        103,
        146,
        245,
        160,
        33,
        119,
        143,
        150
      ],
      "accounts": [
        {
          "name": "bank",
          "writable": true
        }
      ],
      "args": []
    },
    {
      "name": "bankApplyEdit",
      "docs": [
        "Apply a queued bank change. **Anyone** may call (the keeper does); the rent goes back",
        "to the change's payer (`payer` must be `change.payer`).",
        "",
        "Checks: the change is this group's and targets this bank, `oracle` is the change's",
        "oracle (`ChangeTargetMismatch`); it is due (`ChangeNotYetEffective`) and not expired",
        "(`ChangeExpired`); the bank's config and oracle are still those it was queued",
        "against (`ChangeStale`); and everything `bank_queue_edit` checked, again, now.",
        "Tightened maint weights ramp as in `bank_edit`.",
        "",
        "`remaining_accounts`: every **other** bank of the group, as for `bank_edit`."
      ],
      "discriminator": [
        155,
        208,
        113,
        241,
        178,
        38,
        218,
        80
      ],
      "accounts": [
        {
          "name": "payer",
          "writable": true
        },
        {
          "name": "group",
          "relations": [
            "bank",
            "change"
          ]
        },
        {
          "name": "bank",
          "writable": true
        },
        {
          "name": "oracle"
        },
        {
          "name": "change",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  99,
                  104,
                  97,
                  110,
                  103,
                  101
                ]
              },
              {
                "kind": "account",
                "path": "group"
              },
              {
                "kind": "account",
                "path": "change.change_id",
                "account": "pendingChange"
              }
            ]
          }
        }
      ],
      "args": []
    },
    {
      "name": "bankEdit",
      "docs": [
        "Change a bank's config at once. **Admin only** (`NotAdmin`; the bank must be the",
        "group's).",
        "",
        "Checks everything `bank_register` checks for a config. On a live group only",
        "tightening applies (lower asset weights, higher liability weights, lower limits,",
        "reduce-only on, ...); any loosening field or a new oracle fails with",
        "`LooseningNeedsTimelock` (the log names the field): queue it with `bank_queue_edit`.",
        "A tightened maint weight ramps to its target over `maint_ramp_secs`. `oracle` is the",
        "bank's current oracle (kept without re-validating its price, so a bank can be",
        "tightened during an outage) or, during setup, a new one (validated). Interest is",
        "accrued under the old curve first.",
        "",
        "`remaining_accounts`: every **other** bank of the group (read-only, exactly",
        "`group.bank_count - 1`, any order, no repeats, not this bank)."
      ],
      "discriminator": [
        230,
        65,
        188,
        141,
        31,
        182,
        222,
        160
      ],
      "accounts": [
        {
          "name": "admin",
          "signer": true,
          "relations": [
            "group"
          ]
        },
        {
          "name": "group",
          "relations": [
            "bank"
          ]
        },
        {
          "name": "bank",
          "writable": true
        },
        {
          "name": "oracle"
        }
      ],
      "args": [
        {
          "name": "config",
          "type": {
            "defined": {
              "name": "bankConfig"
            }
          }
        }
      ]
    },
    {
      "name": "bankQueueEdit",
      "docs": [
        "Queue a bank config change (and/or a new oracle) behind the timelock. **Admin only**;",
        "the admin pays the `PendingChange` rent (returned on apply or cancel).",
        "",
        "`change_id` must equal `group.change_count`; the change account is the PDA",
        "`[\"change\", group, change_id (u64 LE)]`. The change must differ from the bank's",
        "current config and oracle (`ChangeEmpty`) and is checked now exactly as it will be",
        "when applied: config consistency, on a live group each loosening field within one",
        "step (`LooseningStepTooLarge`), a new oracle valid and canonical, every pair with the",
        "other banks liquidatable. `oracle` is the bank's oracle or the new one. Anyone may",
        "apply it with `bank_apply_edit` from now + `timelock_secs` (at once during setup),",
        "until `CHANGE_EXPIRY_SECS` after that.",
        "",
        "`remaining_accounts`: every **other** bank of the group, as for `bank_edit`."
      ],
      "discriminator": [
        162,
        173,
        208,
        187,
        234,
        104,
        250,
        55
      ],
      "accounts": [
        {
          "name": "admin",
          "writable": true,
          "signer": true,
          "relations": [
            "group"
          ]
        },
        {
          "name": "group",
          "writable": true,
          "relations": [
            "bank"
          ]
        },
        {
          "name": "bank"
        },
        {
          "name": "oracle"
        },
        {
          "name": "change",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  99,
                  104,
                  97,
                  110,
                  103,
                  101
                ]
              },
              {
                "kind": "account",
                "path": "group"
              },
              {
                "kind": "arg",
                "path": "changeId"
              }
            ]
          }
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "changeId",
          "type": "u64"
        },
        {
          "name": "config",
          "type": {
            "defined": {
              "name": "bankConfig"
            }
          }
        }
      ]
    },
    {
      "name": "bankRegister",
      "docs": [
        "List a token in the group. **Admin only** (`NotAdmin`); the admin pays rent.",
        "",
        "Creates the bank PDA `[\"bank\", group, token_index (u16 LE)]`, its vault",
        "`[\"vault\", bank]` and insurance vault `[\"insurance\", bank]` (token accounts of `mint`",
        "owned by the group PDA), and counts it in `group.bank_count`. Checks: the config is",
        "consistent (weights, curve, fees, oracle limits, guardrail ranges); on a live group",
        "both asset weights are 0 (`NewBankAssetWeightNotZero`: collateral value arrives only",
        "through `bank_queue_edit`); `token_index` is unused (`TokenIndexInUse`) and not 65535",
        "(`ReservedTokenIndex`); decimals ≤ `MAX_DECIMALS`; the mint is SPL Token, or",
        "Token-2022 with metadata extensions only; the oracle is owned by the Pyth program of",
        "`config.oracle_kind`, parses, is trading / fully verified with a positive price, and a",
        "pull oracle is Pyth's sponsored feed account for its feed id; every pair with the",
        "group's other banks can be liquidated in both directions (`LiquidationPairUnsafe`).",
        "",
        "`remaining_accounts`: every bank already registered in the group (read-only, exactly",
        "`group.bank_count` of them, any order, no repeats; `BankListIncomplete` otherwise)."
      ],
      "discriminator": [
        66,
        183,
        24,
        43,
        175,
        235,
        184,
        195
      ],
      "accounts": [
        {
          "name": "admin",
          "writable": true,
          "signer": true,
          "relations": [
            "group"
          ]
        },
        {
          "name": "group",
          "writable": true
        },
        {
          "name": "mint"
        },
        {
          "name": "bank",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  98,
                  97,
                  110,
                  107
                ]
              },
              {
                "kind": "account",
                "path": "group"
              },
              {
                "kind": "arg",
                "path": "tokenIndex"
              }
            ]
          }
        },
        {
          "name": "vault",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "bank"
              }
            ]
          }
        },
        {
          "name": "insuranceVault",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  105,
                  110,
                  115,
                  117,
                  114,
                  97,
                  110,
                  99,
                  101
                ]
              },
              {
                "kind": "account",
                "path": "bank"
              }
            ]
          }
        },
        {
          "name": "oracle"
        },
        {
          "name": "tokenProgram"
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "tokenIndex",
          "type": "u16"
        },
        {
          "name": "config",
          "type": {
            "defined": {
              "name": "bankConfig"
            }
          }
        }
      ]
    },
    {
      "name": "bankSweepFees",
      "docs": [
        "Move a bank's collected protocol fees (whole native units, at most what the vault",
        "holds) from its vault to its insurance vault. **Anyone** may call: the destination is",
        "fixed. Checks: vault, insurance vault, mint and token program are the bank's; the",
        "bank is the group's; not paused (`GroupPaused`).",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        249,
        21,
        49,
        216,
        164,
        166,
        31,
        196
      ],
      "accounts": [
        {
          "name": "group",
          "relations": [
            "bank"
          ]
        },
        {
          "name": "bank",
          "writable": true
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "bank"
          ]
        },
        {
          "name": "insuranceVault",
          "writable": true,
          "relations": [
            "bank"
          ]
        },
        {
          "name": "mint",
          "relations": [
            "bank"
          ]
        },
        {
          "name": "tokenProgram",
          "relations": [
            "bank"
          ]
        }
      ],
      "args": []
    },
    {
      "name": "changeCancel",
      "docs": [
        "Cancel a queued change. The **admin** may cancel any change; the **security admin**",
        "only bank changes (`NotCancelAuthority`). The rent goes back to the change's payer",
        "(`payer` must be `change.payer`).",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        84,
        54,
        218,
        163,
        113,
        84,
        191,
        84
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "payer",
          "writable": true
        },
        {
          "name": "group",
          "relations": [
            "change"
          ]
        },
        {
          "name": "change",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  99,
                  104,
                  97,
                  110,
                  103,
                  101
                ]
              },
              {
                "kind": "account",
                "path": "group"
              },
              {
                "kind": "account",
                "path": "change.change_id",
                "account": "pendingChange"
              }
            ]
          }
        }
      ],
      "args": []
    },
    {
      "name": "groupAcceptAdmin",
      "docs": [
        "Second step of an admin hand-over: **the proposed admin** signs (`new_admin`) from",
        "`group.pending_admin_at` on and becomes the admin; the proposal is cleared. Anyone",
        "else, or too early: `NotPendingAdmin` (the log says when).",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        197,
        17,
        80,
        204,
        187,
        50,
        180,
        217
      ],
      "accounts": [
        {
          "name": "newAdmin",
          "signer": true
        },
        {
          "name": "group",
          "writable": true
        }
      ],
      "args": []
    },
    {
      "name": "groupApplyEdit",
      "docs": [
        "Apply a queued group settings change. **Anyone** may call; the rent goes back to the",
        "change's payer (`payer` must be `change.payer`).",
        "",
        "Checks: the change is this group's and a group change (`ChangeTargetMismatch`); it is",
        "due (`ChangeNotYetEffective`, the log says when) and not expired (`ChangeExpired`);",
        "the group's settings are still those it was queued against (`ChangeStale`); the hard",
        "bounds.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        189,
        88,
        36,
        88,
        5,
        120,
        64,
        206
      ],
      "accounts": [
        {
          "name": "payer",
          "writable": true
        },
        {
          "name": "group",
          "writable": true,
          "relations": [
            "change"
          ]
        },
        {
          "name": "change",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  99,
                  104,
                  97,
                  110,
                  103,
                  101
                ]
              },
              {
                "kind": "account",
                "path": "group"
              },
              {
                "kind": "account",
                "path": "change.change_id",
                "account": "pendingChange"
              }
            ]
          }
        }
      ],
      "args": []
    },
    {
      "name": "groupCreate",
      "docs": [
        "Create a group. **Anyone** may call: the signer (`creator`) becomes the admin and pays",
        "rent. Group PDA `[\"group\", creator, group_num (u32 LE)]`. `security_admin` may later",
        "pause (never unpause) and cancel queued bank changes. The group starts in its setup",
        "phase with the default settings (timelock 1 day, maint ramp 1 day, pause 2 days):",
        "banks are configured freely and no margin account can be opened until",
        "`group_go_live`.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        226,
        82,
        239,
        119,
        107,
        136,
        166,
        240
      ],
      "accounts": [
        {
          "name": "creator",
          "writable": true,
          "signer": true
        },
        {
          "name": "group",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  103,
                  114,
                  111,
                  117,
                  112
                ]
              },
              {
                "kind": "account",
                "path": "creator"
              },
              {
                "kind": "arg",
                "path": "groupNum"
              }
            ]
          }
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "groupNum",
          "type": "u32"
        },
        {
          "name": "securityAdmin",
          "type": "pubkey"
        }
      ]
    },
    {
      "name": "groupEdit",
      "docs": [
        "Change the group's settings (security admin, timelock, maint ramp, pause duration)",
        "at once. **Admin only** (`NotAdmin`).",
        "",
        "Checks the hard bounds (`InvalidGroupSettings`; see the `MIN_*` / `MAX_*` constants).",
        "On a live group only tightening applies here (a longer timelock or ramp, a shorter",
        "pause); a new security admin, a shorter timelock or ramp, or a longer pause fails",
        "with `LooseningNeedsTimelock` and must be queued with `group_queue_edit`.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        8,
        88,
        183,
        249,
        166,
        115,
        55,
        227
      ],
      "accounts": [
        {
          "name": "admin",
          "signer": true,
          "relations": [
            "group"
          ]
        },
        {
          "name": "group",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "settings",
          "type": {
            "defined": {
              "name": "groupSettings"
            }
          }
        }
      ]
    },
    {
      "name": "groupGoLive",
      "docs": [
        "End the group's setup phase. **Admin only**, once (`GroupAlreadyLive`), irreversible.",
        "From now on margin accounts may be opened (`account_create`), every change that",
        "loosens risk waits out the timelock and is bounded per step, new banks start with",
        "asset weights 0, changes queued during setup wait a full timelock from now, and a",
        "pending admin proposal is withdrawn.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        211,
        73,
        179,
        248,
        170,
        128,
        33,
        4
      ],
      "accounts": [
        {
          "name": "admin",
          "signer": true,
          "relations": [
            "group"
          ]
        },
        {
          "name": "group",
          "writable": true
        }
      ],
      "args": []
    },
    {
      "name": "groupProposeAdmin",
      "docs": [
        "First step of an admin hand-over. **Admin only** (`NotAdmin`). `Some(key)` proposes",
        "`key` (not the default key nor the current admin: `InvalidAdmin`), who may accept",
        "with `group_accept_admin` from now + `timelock_secs` on a live group, at once during",
        "setup (`group.pending_admin_at`). `None` withdraws a pending proposal.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        48,
        174,
        240,
        62,
        50,
        145,
        118,
        113
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "group",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "newAdmin",
          "type": {
            "option": "pubkey"
          }
        }
      ]
    },
    {
      "name": "groupQueueEdit",
      "docs": [
        "Queue a group settings change behind the timelock. **Admin only**; the admin pays the",
        "`PendingChange` rent (returned on apply or cancel).",
        "",
        "`change_id` must equal `group.change_count` (`ChangeTargetMismatch`); the change",
        "account is the PDA `[\"change\", group, change_id (u64 LE)]`. The settings must be",
        "within the hard bounds and differ from the current ones (`ChangeEmpty`). Anyone may",
        "apply it with `group_apply_edit` from now + `timelock_secs` (at once during setup;",
        "a change queued during setup waits a full timelock from `group_go_live`), until",
        "`CHANGE_EXPIRY_SECS` after that.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        10,
        181,
        157,
        26,
        172,
        174,
        121,
        249
      ],
      "accounts": [
        {
          "name": "admin",
          "writable": true,
          "signer": true,
          "relations": [
            "group"
          ]
        },
        {
          "name": "group",
          "writable": true
        },
        {
          "name": "change",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  99,
                  104,
                  97,
                  110,
                  103,
                  101
                ]
              },
              {
                "kind": "account",
                "path": "group"
              },
              {
                "kind": "arg",
                "path": "changeId"
              }
            ]
          }
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "changeId",
          "type": "u64"
        },
        {
          "name": "settings",
          "type": {
            "defined": {
              "name": "groupSettings"
            }
          }
        }
      ]
    },
    {
      "name": "groupSetPaused",
      "docs": [
        "Pause (`paused = true`) or unpause the group. The **admin or the security admin** may",
        "pause (`NotPauseAuthority`); only the **admin** may unpause (`OnlyAdminCanUnpause`).",
        "A pause lapses by itself `pause_duration_secs` after it was set; pausing again renews",
        "it from now.",
        "",
        "While paused, `token_withdraw` (withdrawals and borrows), `token_liquidate`,",
        "`token_resolve_bankruptcy` and `bank_sweep_fees` fail with `GroupPaused`; deposits,",
        "repays and insurance deposits still work.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        89,
        126,
        110,
        186,
        234,
        122,
        145,
        151
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "group",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "paused",
          "type": "bool"
        }
      ]
    },
    {
      "name": "insuranceDeposit",
      "docs": [
        "Add `amount` native units from `source` (owned by the signer) to a bank's insurance",
        "fund. **Anyone**, always (even while paused). Checks: insurance vault, mint and token",
        "program are the bank's; the source holds the mint and at least `amount`.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        128,
        185,
        102,
        209,
        158,
        171,
        247,
        200
      ],
      "accounts": [
        {
          "name": "depositor",
          "signer": true
        },
        {
          "name": "bank"
        },
        {
          "name": "insuranceVault",
          "writable": true,
          "relations": [
            "bank"
          ]
        },
        {
          "name": "mint",
          "relations": [
            "bank"
          ]
        },
        {
          "name": "source",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "bank"
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "perpAutoDeleverage",
      "docs": [
        "Auto-deleverage a profitable perp position while traders' net unsettled PnL exceeds",
        "the market's `adl_threshold_bps` of the pool vault: close up to `max_base` at the",
        "price worse for the holder (worse of oracle and stable, widened by the confidence)",
        "and pay the realised profit from the pool into its settle-token deposit, sized to",
        "bring the pool back to the threshold. **Permissionless**; the keeper picks the most",
        "profitable positions first. The account's maint health must end ≥ 0 or not fall.",
        "",
        "`remaining_accounts`: the account's health accounts with the settle token's position",
        "included (a new one takes the first free slot)."
      ],
      "discriminator": [
        88,
        56,
        237,
        167,
        75,
        188,
        39,
        119
      ],
      "accounts": [
        {
          "name": "group",
          "relations": [
            "account",
            "perpMarket"
          ]
        },
        {
          "name": "account",
          "writable": true
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "settleBank",
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "settleBank"
          ]
        },
        {
          "name": "poolVault",
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "mint",
          "relations": [
            "settleBank"
          ]
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "tokenProgram",
          "relations": [
            "settleBank"
          ]
        }
      ],
      "args": [
        {
          "name": "maxBase",
          "type": "u64"
        }
      ]
    },
    {
      "name": "perpLiquidate",
      "docs": [
        "Liquidate an unhealthy account's perp position against the pool at oracle ∓ the",
        "liquidation fee, up to `max_base`, stopping at init health ≥ 0; the fee (less the",
        "pool's share) is credited to the liquidator's position in the market. **Anyone**",
        "with a margin account in the group. Init health must strictly improve.",
        "",
        "`remaining_accounts`: the liquidatee's health accounts."
      ],
      "discriminator": [
        187,
        133,
        18,
        233,
        211,
        118,
        18,
        85
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "group",
          "relations": [
            "liquidator",
            "liquidatee",
            "perpMarket"
          ]
        },
        {
          "name": "liquidator",
          "writable": true
        },
        {
          "name": "liquidatee",
          "writable": true
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        }
      ],
      "args": [
        {
          "name": "maxBase",
          "type": "u64"
        }
      ]
    },
    {
      "name": "perpLiquidateLoss",
      "docs": [
        "Take over an unhealthy account's flat perp loss (base 0, quote < 0) in a market:",
        "up to `max_loss` settle-token native units move from its quote to the liquidator's",
        "(which owes the pool instead), paid for with its deposit in `asset_bank` at the",
        "token-liquidation discount. **Anyone** with a margin account; no tokens move, so an",
        "empty settle vault cannot block it. Strict init and maint improvement, stops at init",
        "≥ 0, liquidator init ≥ 0 after.",
        "",
        "`remaining_accounts`: the liquidatee's health accounts, then the liquidator's laid",
        "out after it opens a token slot for the asset bank and a perp slot for the market."
      ],
      "discriminator": [
        226,
        239,
        167,
        142,
        180,
        195,
        53,
        227
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "group",
          "relations": [
            "liquidator",
            "liquidatee",
            "perpMarket",
            "assetBank"
          ]
        },
        {
          "name": "liquidator",
          "writable": true
        },
        {
          "name": "liquidatee",
          "writable": true
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "assetBank",
          "docs": [
            "The bank whose deposit the liquidator receives."
          ],
          "writable": true
        }
      ],
      "args": [
        {
          "name": "maxLoss",
          "type": "u64"
        }
      ]
    },
    {
      "name": "perpLiquidatePair",
      "docs": [
        "Unwind a hedged pair of an unhealthy account: up to `max_base` of a perp and the",
        "same units of the spot balance it hedges, the perp leg against the pool at oracle ∓",
        "the pair fee, the spot leg to the liquidator at the oracle mid: spot the liquidatee",
        "sells is paid for by the liquidator in settle tokens into the pool vault (a borrow",
        "past its deposit obeys the settle bank's borrow rules; what the settle vault cannot",
        "release it owes in its perp quote) and credited to the",
        "liquidatee's perp quote; a borrow the liquidator repays is paid for",
        "from the liquidatee's perp quote to the liquidator's. **Anyone** with a margin",
        "account in the group. The liquidatee's maint health must strictly improve; the",
        "liquidator's init health must end ≥ 0.",
        "",
        "`remaining_accounts`: the liquidatee's health accounts, then the liquidator's laid",
        "out after it opens token slots for the spot bank, then the settle bank, and a perp",
        "slot for the market."
      ],
      "discriminator": [
        250,
        108,
        147,
        12,
        221,
        122,
        248,
        41
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "group",
          "relations": [
            "liquidator",
            "liquidatee",
            "perpMarket",
            "spotBank"
          ]
        },
        {
          "name": "liquidator",
          "writable": true
        },
        {
          "name": "liquidatee",
          "writable": true
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "spotBank",
          "docs": [
            "The bank whose balance the perp hedges (checked against health's pairing)."
          ],
          "writable": true
        },
        {
          "name": "settleBank",
          "docs": [
            "The market's settle bank (`has_one` on the market): the liquidator pays for spot it",
            "buys from its position here."
          ],
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "vault",
          "docs": [
            "The settle bank's vault."
          ],
          "writable": true,
          "relations": [
            "settleBank"
          ]
        },
        {
          "name": "poolVault",
          "docs": [
            "The market's pool vault (`has_one` on the market)."
          ],
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "mint",
          "relations": [
            "settleBank"
          ]
        },
        {
          "name": "tokenProgram",
          "relations": [
            "settleBank"
          ]
        }
      ],
      "args": [
        {
          "name": "maxBase",
          "type": "u64"
        }
      ]
    },
    {
      "name": "perpMarketEdit",
      "docs": [
        "Change a perp market's parameters. **Admin only.** On a live group only tightening",
        "changes apply (`guard::perp_rules`): a loosening field, or any maint-side weight",
        "change, fails with `LooseningNeedsTimelock`; the oracle format cannot change.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        104,
        160,
        150,
        104,
        131,
        93,
        112,
        219
      ],
      "accounts": [
        {
          "name": "admin",
          "signer": true,
          "relations": [
            "group"
          ]
        },
        {
          "name": "group",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        }
      ],
      "args": [
        {
          "name": "config",
          "type": {
            "defined": {
              "name": "perpConfig"
            }
          }
        }
      ]
    },
    {
      "name": "perpMarketRegister",
      "docs": [
        "List a perpetual future with its liquidity pool. **Admin only**; the admin pays",
        "rent. Checks the config (`InvalidPerpConfig`), a free index (`PerpIndexInUse`), the",
        "settle bank (this group's, 6-decimal mint: `SettleBankMismatch`), the oracle as",
        "`bank_register` does; on a live group unsettled profit must start unweighted",
        "(`NewPerpPnlWeightNotZero`). Creates the market `[\"perp\", group, perp_index]`, its",
        "pool vault `[\"pool_vault\", market]` and LP mint `[\"lp_mint\", market]`.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        134,
        72,
        6,
        109,
        229,
        142,
        201,
        14
      ],
      "accounts": [
        {
          "name": "admin",
          "writable": true,
          "signer": true,
          "relations": [
            "group"
          ]
        },
        {
          "name": "group",
          "writable": true,
          "relations": [
            "settleBank"
          ]
        },
        {
          "name": "settleBank"
        },
        {
          "name": "settleMint"
        },
        {
          "name": "perpMarket",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  112,
                  101,
                  114,
                  112
                ]
              },
              {
                "kind": "account",
                "path": "group"
              },
              {
                "kind": "arg",
                "path": "perpIndex"
              }
            ]
          }
        },
        {
          "name": "poolVault",
          "docs": [
            "group."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  112,
                  111,
                  111,
                  108,
                  95,
                  118,
                  97,
                  117,
                  108,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "perpMarket"
              }
            ]
          }
        },
        {
          "name": "lpMint",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  108,
                  112,
                  95,
                  109,
                  105,
                  110,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "perpMarket"
              }
            ]
          }
        },
        {
          "name": "oracle"
        },
        {
          "name": "tokenProgram"
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "perpIndex",
          "type": "u16"
        },
        {
          "name": "name",
          "type": {
            "array": [
              "u8",
              16
            ]
          }
        },
        {
          "name": "baseDecimals",
          "type": "u8"
        },
        {
          "name": "config",
          "type": {
            "defined": {
              "name": "perpConfig"
            }
          }
        }
      ]
    },
    {
      "name": "perpResolveBankruptcy",
      "docs": [
        "Write off a bankrupt account's flat perp loss: the settle bank's insurance vault",
        "pays what it can into the pool vault, the pool's LPs absorb the rest.",
        "**Permissionless**; the account must hold no deposit, no perp base and no perp",
        "profit of a native unit.",
        "",
        "`remaining_accounts`: the bank of every active token position, in slot order."
      ],
      "discriminator": [
        220,
        115,
        235,
        75,
        12,
        107,
        98,
        228
      ],
      "accounts": [
        {
          "name": "group",
          "relations": [
            "account",
            "perpMarket"
          ]
        },
        {
          "name": "account",
          "writable": true
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "settleBank",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "insuranceVault",
          "writable": true,
          "relations": [
            "settleBank"
          ]
        },
        {
          "name": "poolVault",
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "mint",
          "relations": [
            "settleBank"
          ]
        },
        {
          "name": "tokenProgram",
          "relations": [
            "settleBank"
          ]
        }
      ],
      "args": []
    },
    {
      "name": "perpSettlePnl",
      "docs": [
        "Settle a perp position's PnL into the account's settle-token position: profit from",
        "the pool (at the worse of oracle and stable price, within the window's settle limit),",
        "loss to the pool. **Owner or delegate** (health checked as `perp_trade`), or",
        "**anyone** settling the PnL of a liquidatable account (judged as `perp_liquidate`",
        "judges): a loss becomes a settle-token borrow liquidation can reach, a profit a",
        "deposit init health counts.",
        "",
        "`remaining_accounts`: the account's health accounts with the settle token's position",
        "included (a new one takes the first free slot)."
      ],
      "discriminator": [
        245,
        98,
        85,
        179,
        230,
        215,
        130,
        57
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "group",
          "relations": [
            "account",
            "perpMarket"
          ]
        },
        {
          "name": "account",
          "writable": true
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "settleBank",
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "settleBank"
          ]
        },
        {
          "name": "poolVault",
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "mint",
          "relations": [
            "settleBank"
          ]
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "tokenProgram",
          "relations": [
            "settleBank"
          ]
        }
      ],
      "args": []
    },
    {
      "name": "perpTrade",
      "docs": [
        "Trade a perp against the pool: `base_delta` base native units (positive buys),",
        "`limit_price` quote native units per whole base unit. **Owner or delegate.** Checks",
        "limit price, reduce-only, breaker, open-interest cap, pool reserve and health (init",
        "≥ 0, or a reducing trade that lowers neither init nor maint; a reducing trade needs",
        "only this market's oracle valid).",
        "",
        "`remaining_accounts`: the account's health accounts with this market's perp position",
        "included (a new one takes the first free perp slot)."
      ],
      "discriminator": [
        23,
        138,
        77,
        32,
        45,
        70,
        175,
        118
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "group",
          "relations": [
            "account",
            "perpMarket"
          ]
        },
        {
          "name": "account",
          "writable": true
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "poolVault",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        }
      ],
      "args": [
        {
          "name": "baseDelta",
          "type": "i64"
        },
        {
          "name": "limitPrice",
          "type": "u64"
        }
      ]
    },
    {
      "name": "perpUpdateFunding",
      "docs": [
        "Accrue a perp market's funding to now. **Anyone** (a crank). Needs a valid oracle.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        28,
        18,
        184,
        70,
        7,
        245,
        14,
        46
      ],
      "accounts": [
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        }
      ],
      "args": []
    },
    {
      "name": "poolDeposit",
      "docs": [
        "Deposit settle tokens into a perp market's pool for LP shares. **Anyone.** Shares are",
        "priced at the pool's value (vault − traders' unsettled PnL), the first deposit 1:1.",
        "Needs a valid oracle; refused while paused.",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        26,
        109,
        164,
        79,
        207,
        145,
        204,
        217
      ],
      "accounts": [
        {
          "name": "depositor",
          "signer": true
        },
        {
          "name": "group",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "poolVault",
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "lpMint",
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "settleMint"
        },
        {
          "name": "source",
          "writable": true
        },
        {
          "name": "lpDestination",
          "writable": true
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "tokenProgram"
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "poolWithdraw",
      "docs": [
        "Redeem LP shares for settle tokens at the pool's value. **The shares' owner.** The",
        "vault must keep its reserve against the net open interest (`PoolReserveBreached`)",
        "and traders' unsettled profit within the ADL threshold of it",
        "(`PoolWithdrawWouldTriggerAdl`).",
        "",
        "`remaining_accounts`: none."
      ],
      "discriminator": [
        50,
        1,
        23,
        25,
        135,
        221,
        159,
        182
      ],
      "accounts": [
        {
          "name": "owner",
          "signer": true
        },
        {
          "name": "group",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "perpMarket",
          "writable": true
        },
        {
          "name": "poolVault",
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "lpMint",
          "writable": true,
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "settleMint"
        },
        {
          "name": "lpSource",
          "writable": true
        },
        {
          "name": "destination",
          "writable": true
        },
        {
          "name": "oracle",
          "relations": [
            "perpMarket"
          ]
        },
        {
          "name": "tokenProgram"
        }
      ],
      "args": [
        {
          "name": "shares",
          "type": "u64"
        }
      ]
    },
    {
      "name": "tokenDeposit",
      "docs": [
        "Deposit `amount` native units from `source` (owned by the signer `depositor`) into a",
        "margin account; it first repays the account's borrow in this bank, the rest is a",
        "deposit. **Anyone** may add to a position the account already holds (repaying is",
        "permissionless); only the **owner or delegate** may open a new position",
        "(`NewPositionNotOwner`).",
        "",
        "Needs no oracle and works while paused. Refused for a zero amount, a short or frozen",
        "wallet, no free slot (`NoFreePositionSlot`), and for the part that would be a new",
        "deposit: a reduce-only bank (`BankReduceOnly`), a bank with unrecoverable bad debt",
        "(`BankInsolvent`), the deposit limit. Checks: bank and account share a group; vault,",
        "mint and token program are the bank's. The amount counts as inflow under the net",
        "outflow limit.",
        "",
        "`remaining_accounts` (optional): the account's health accounts (see the program",
        "docs), laid out with this bank's position included (opened if new). Only read when",
        "the account is `being_liquidated` and still has debt after the deposit: if every",
        "oracle is valid and init health ≥ 0, the flag clears. Wrong health accounts fail the",
        "deposit; an invalid oracle only leaves the flag set."
      ],
      "discriminator": [
        117,
        255,
        154,
        71,
        245,
        58,
        95,
        89
      ],
      "accounts": [
        {
          "name": "depositor",
          "signer": true
        },
        {
          "name": "account",
          "writable": true
        },
        {
          "name": "bank",
          "writable": true
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "bank"
          ]
        },
        {
          "name": "mint",
          "relations": [
            "bank"
          ]
        },
        {
          "name": "source",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "bank"
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "tokenLiquidate",
      "docs": [
        "Liquidate an unhealthy account: the liquidator's margin account takes over up to",
        "`max_liab_transfer` native units of the liquidatee's borrow in `liab_bank` and",
        "receives its deposit in `asset_bank` at the discount of both banks' liquidation fees",
        "(the insurance share is booked to the asset bank's fees). No tokens move.",
        "**Anyone** with a margin account in the group (signer = its owner or delegate).",
        "",
        "Checks: not paused; liquidator ≠ liquidatee (`SelfLiquidation`); asset bank ≠",
        "liability bank (`SameBank`); the liquidatee holds both positions",
        "(`NoAssetToSeize`, `NoLiabilityToTake`); it is liquidatable: maint health < 0, or",
        "`being_liquidated` and init health < 0 (`NotLiquidatable`); both transferred banks'",
        "oracles are valid now (the liquidatee's other positions are valued pessimistically",
        "while their oracle is invalid: assets down, debts up, never blocking); its init",
        "health strictly improves (`LiquidationWouldNotImprove`); every oracle of the",
        "liquidator's positions is valid and its init health stays ≥ 0",
        "(`HealthWouldBeNegative`). Init health here uses the oracle price, not the stable",
        "price.",
        "",
        "`remaining_accounts`: the liquidatee's health accounts (its current positions), then",
        "immediately the liquidator's health accounts laid out after opening slots for the",
        "asset token, then the liability token (each, if the liquidator holds no position in",
        "it, takes the first free slot)."
      ],
      "discriminator": [
        74,
        36,
        34,
        66,
        164,
        202,
        57,
        27
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "group",
          "relations": [
            "liquidator",
            "liquidatee",
            "assetBank",
            "liabBank"
          ]
        },
        {
          "name": "liquidator",
          "writable": true
        },
        {
          "name": "liquidatee",
          "writable": true
        },
        {
          "name": "assetBank",
          "writable": true
        },
        {
          "name": "liabBank",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "maxLiabTransfer",
          "type": "u64"
        }
      ]
    },
    {
      "name": "tokenResolveBankruptcy",
      "docs": [
        "Write off a bankrupt account's borrow in `bank`. **Anyone** may call. Bankrupt: the",
        "account borrows in this bank and no position holds a deposit worth one native unit",
        "(`NotBankrupt` otherwise). The debt is covered by the bank's uncollected fees, then",
        "its insurance vault, then socialised by lowering `deposit_index` (never below a",
        "floor; the rest is recorded in `unrecoverable_bad_debt`). Not while paused.",
        "",
        "`remaining_accounts`: the `Bank` of every active position of the account, in slot",
        "order, **without** oracles (`HealthAccountsCount` / `HealthBankMismatch`",
        "otherwise)."
      ],
      "discriminator": [
        222,
        241,
        204,
        21,
        88,
        35,
        68,
        120
      ],
      "accounts": [
        {
          "name": "group",
          "relations": [
            "account",
            "bank"
          ]
        },
        {
          "name": "account",
          "writable": true
        },
        {
          "name": "bank",
          "writable": true
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "bank"
          ]
        },
        {
          "name": "insuranceVault",
          "writable": true,
          "relations": [
            "bank"
          ]
        },
        {
          "name": "mint",
          "relations": [
            "bank"
          ]
        },
        {
          "name": "tokenProgram",
          "relations": [
            "bank"
          ]
        }
      ],
      "args": []
    },
    {
      "name": "tokenWithdraw",
      "docs": [
        "Withdraw `amount` native units to `destination`; the part beyond the deposit is a",
        "borrow and needs `allow_borrow = true` (`BorrowNotAllowed`). **Owner or delegate**",
        "(`NotOwnerOrDelegate`).",
        "",
        "Checks: not paused (`GroupPaused`); amount > 0; vault liquidity net of uncollected",
        "fees (`InsufficientVaultLiquidity`); bank, account and group match; vault, mint and",
        "token program are the bank's; the destination holds the mint and is not frozen; for",
        "borrows reduce-only, utilisation ≤ 100 % and the borrow limit (a loan origination",
        "fee is added to the debt); the breaker (while tripped, no new borrow of this token",
        "and no withdrawal of it by an account with debt: `BreakerBorrowReduceOnly`); the net",
        "outflow limit (`NetOutflowLimit`, the log says when the window resets); health:",
        "every oracle must be valid now and init health uses the worse of oracle and stable",
        "price; if init health was ≥ 0 it must stay ≥ 0, otherwise neither init nor maint",
        "health may decrease (`HealthWouldBeNegative`).",
        "",
        "`remaining_accounts`: the account's health accounts (see the program docs), laid out",
        "with this bank's position included: if the account holds no position in this bank,",
        "the new one takes the first free slot. A position this withdrawal empties is still",
        "listed."
      ],
      "discriminator": [
        63,
        223,
        42,
        59,
        15,
        128,
        102,
        66
      ],
      "accounts": [
        {
          "name": "signer",
          "signer": true
        },
        {
          "name": "group",
          "relations": [
            "account",
            "bank"
          ]
        },
        {
          "name": "account",
          "writable": true
        },
        {
          "name": "bank",
          "writable": true
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "bank"
          ]
        },
        {
          "name": "mint",
          "relations": [
            "bank"
          ]
        },
        {
          "name": "destination",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "bank"
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        },
        {
          "name": "allowBorrow",
          "type": "bool"
        }
      ]
    }
  ],
  "accounts": [
    {
      "name": "bank",
      "discriminator": [
        142,
        49,
        166,
        242,
        50,
        66,
        97,
        188
      ]
    },
    {
      "name": "group",
      "discriminator": [
        209,
        249,
        208,
        63,
        182,
        89,
        186,
        254
      ]
    },
    {
      "name": "marginAccount",
      "discriminator": [
        133,
        220,
        173,
        213,
        179,
        211,
        43,
        238
      ]
    },
    {
      "name": "pendingChange",
      "discriminator": [
        232,
        183,
        176,
        196,
        15,
        195,
        115,
        147
      ]
    },
    {
      "name": "perpMarket",
      "discriminator": [
        10,
        223,
        12,
        44,
        107,
        245,
        55,
        247
      ]
    }
  ],
  "types": [
    {
      "name": "adminProposed",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "docs": [
              "Default when a proposal is withdrawn."
            ],
            "name": "proposed",
            "type": "pubkey"
          },
          {
            "docs": [
              "From when the proposed key may accept."
            ],
            "name": "effectiveAt",
            "type": "i64"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "bank",
      "docs": [
        "One token listed in a group: PDA `[\"bank\", group, token_index (u16 LE)]`.",
        "",
        "Fields of type `I80F48Bytes` are fixed-point numbers: the 16 bytes are a little-endian",
        "signed 128-bit integer `bits`, and the value is `bits / 2^48`. Fields ending in `_bps`",
        "are basis points (10,000 = 1). Native units are the mint's smallest unit."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "group",
            "docs": [
              "The group this bank belongs to."
            ],
            "type": "pubkey"
          },
          {
            "name": "mint",
            "docs": [
              "The listed token's mint."
            ],
            "type": "pubkey"
          },
          {
            "name": "vault",
            "docs": [
              "Token account holding every deposit: PDA `[\"vault\", bank]`, authority = the group PDA."
            ],
            "type": "pubkey"
          },
          {
            "name": "insuranceVault",
            "docs": [
              "Token account of the insurance fund: PDA `[\"insurance\", bank]`, authority = the group",
              "PDA. Pays bad debt before it is socialised."
            ],
            "type": "pubkey"
          },
          {
            "name": "oracle",
            "docs": [
              "The Pyth price account (format per `oracle_kind`). Health accounts pass it after the",
              "banks."
            ],
            "type": "pubkey"
          },
          {
            "name": "oracleFeedId",
            "docs": [
              "Pyth feed id for `PythPull` oracles (read from the oracle at configuration)."
            ],
            "type": {
              "array": [
                "u8",
                32
              ]
            }
          },
          {
            "name": "tokenProgram",
            "docs": [
              "SPL Token or Token-2022: the program that owns `mint`."
            ],
            "type": "pubkey"
          },
          {
            "name": "depositIndex",
            "docs": [
              "Native units per indexed unit of a deposit: a position with indexed balance",
              "`b > 0` holds `b × deposit_index` native units. I80F48 (value = bits / 2^48); starts",
              "at 1, grows with interest, falls only when bad debt is socialised."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "borrowIndex",
            "docs": [
              "Native units per indexed unit of a borrow: a position with indexed balance `b < 0`",
              "owes `|b| × borrow_index` native units. I80F48 (value = bits / 2^48); starts at 1."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "indexedDeposits",
            "docs": [
              "Σ of positive indexed balances over all margin accounts. I80F48 (value = bits / 2^48)."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "indexedBorrows",
            "docs": [
              "Σ of |negative indexed balances| over all margin accounts. I80F48 (value = bits /",
              "2^48)."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "collectedFees",
            "docs": [
              "Protocol fees (interest share, origination fees, insurance share of liquidation",
              "fees) held in the vault and owed to the insurance vault, native units. I80F48 (value",
              "= bits / 2^48); never lendable or withdrawable by depositors."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "lastAccrualTs",
            "docs": [
              "Unix time the indices were last accrued to."
            ],
            "type": "i64"
          },
          {
            "name": "depositLimit",
            "docs": [
              "Max native deposits (`u64::MAX` = unlimited)."
            ],
            "type": "u64"
          },
          {
            "name": "borrowLimit",
            "docs": [
              "Max native borrows (`u64::MAX` = unlimited)."
            ],
            "type": "u64"
          },
          {
            "name": "maxStalenessSecs",
            "docs": [
              "An oracle price older than this many seconds is stale."
            ],
            "type": "u64"
          },
          {
            "name": "util0Bps",
            "docs": [
              "Interest curve: utilisation of the first kink, bps."
            ],
            "type": "u32"
          },
          {
            "name": "rate0Bps",
            "docs": [
              "Interest curve: yearly borrow rate at `util0_bps`, bps."
            ],
            "type": "u32"
          },
          {
            "name": "util1Bps",
            "docs": [
              "Interest curve: utilisation of the second kink, bps."
            ],
            "type": "u32"
          },
          {
            "name": "rate1Bps",
            "docs": [
              "Interest curve: yearly borrow rate at `util1_bps`, bps."
            ],
            "type": "u32"
          },
          {
            "name": "maxRateBps",
            "docs": [
              "Interest curve: yearly borrow rate at 100 % utilisation, bps."
            ],
            "type": "u32"
          },
          {
            "name": "protocolFeeBps",
            "docs": [
              "Share of borrow interest kept by the protocol (to the insurance fund), bps."
            ],
            "type": "u32"
          },
          {
            "name": "loanOriginationFeeBps",
            "docs": [
              "Charged on every new borrow and added to the debt, bps."
            ],
            "type": "u32"
          },
          {
            "name": "liquidationFeeBps",
            "docs": [
              "Liquidator's discount on collateral seized from this bank, bps."
            ],
            "type": "u32"
          },
          {
            "name": "liquidationInsuranceShareBps",
            "docs": [
              "Share of the liquidation fee booked to the insurance fund, bps."
            ],
            "type": "u32"
          },
          {
            "name": "initAssetWeightBps",
            "docs": [
              "Weight of deposits in init health (gates new risk), bps."
            ],
            "type": "u32"
          },
          {
            "name": "maintAssetWeightBps",
            "docs": [
              "Target weight of deposits in maint health (liquidation trigger), bps; the weight in",
              "force follows `maint_ramp` until it ends."
            ],
            "type": "u32"
          },
          {
            "name": "maintLiabWeightBps",
            "docs": [
              "Target weight of borrows in maint health, bps; in force per `maint_ramp`."
            ],
            "type": "u32"
          },
          {
            "name": "initLiabWeightBps",
            "docs": [
              "Weight of borrows in init health, bps."
            ],
            "type": "u32"
          },
          {
            "name": "maxConfBps",
            "docs": [
              "Largest accepted oracle confidence, bps of the price."
            ],
            "type": "u32"
          },
          {
            "name": "tokenIndex",
            "docs": [
              "The bank's token index: its PDA seed and the `token_index` of positions in it."
            ],
            "type": "u16"
          },
          {
            "name": "decimals",
            "docs": [
              "The mint's decimals."
            ],
            "type": "u8"
          },
          {
            "name": "oracleKind",
            "docs": [
              "Oracle format (the `OracleKind` enum as a byte): 0 = `PythLegacy` (legacy push price",
              "account, owner `PYTH_LEGACY_PROGRAM_ID`), 1 = `PythPull` (`PriceUpdateV2`, owner",
              "`PYTH_RECEIVER_PROGRAM_ID`, the sponsored feed account of `oracle_feed_id`)."
            ],
            "type": "u8"
          },
          {
            "name": "reduceOnly",
            "docs": [
              "Boolean: 0 = normal, 1 = reduce-only (no new deposits or borrows; repaying and",
              "withdrawing still work)."
            ],
            "type": "u8"
          },
          {
            "name": "bump",
            "docs": [
              "Bump of the bank PDA."
            ],
            "type": "u8"
          },
          {
            "name": "vaultBump",
            "docs": [
              "Bump of the vault PDA."
            ],
            "type": "u8"
          },
          {
            "name": "insuranceBump",
            "docs": [
              "Bump of the insurance vault PDA."
            ],
            "type": "u8"
          },
          {
            "name": "lastValidPrice",
            "docs": [
              "The last oracle reading that passed every check (set at registration, refreshed by",
              "every instruction that writes the bank with its oracle valid). Positions a",
              "liquidation does not transfer are valued at it while the oracle is invalid, widened",
              "to the bank's maximum confidence (see `health::retriever`)."
            ],
            "type": "i64"
          },
          {
            "name": "lastValidConf",
            "docs": [
              "Confidence of `last_valid_price`, same exponent."
            ],
            "type": "u64"
          },
          {
            "name": "lastValidPublishTime",
            "docs": [
              "Publish time of `last_valid_price` (unix seconds)."
            ],
            "type": "i64"
          },
          {
            "name": "lastValidExpo",
            "docs": [
              "Exponent of `last_valid_price`: the price is `last_valid_price × 10^last_valid_expo`",
              "USD per whole token."
            ],
            "type": "i32"
          },
          {
            "name": "padding",
            "docs": [
              "Zero."
            ],
            "type": {
              "array": [
                "u8",
                4
              ]
            }
          },
          {
            "name": "unrecoverableBadDebt",
            "docs": [
              "Bad debt no one could absorb (the deposit index was at its floor), native units,",
              "cumulative. Depositors' claims exceed the vault by this much."
            ],
            "type": "u64"
          },
          {
            "name": "stable",
            "docs": [
              "The stable price and breaker state (`guard::stable_price`)."
            ],
            "type": {
              "defined": {
                "name": "stablePrice"
              }
            }
          },
          {
            "name": "outflow",
            "docs": [
              "The current net outflow window (`guard::outflow`)."
            ],
            "type": {
              "defined": {
                "name": "outflowWindow"
              }
            }
          },
          {
            "name": "maintRamp",
            "docs": [
              "Where the maint weights ramp from (`guard::ramp`); the fields above are the targets."
            ],
            "type": {
              "defined": {
                "name": "maintRamp"
              }
            }
          },
          {
            "name": "stableGrowthBps",
            "docs": [
              "Stable price growth limit, basis points per hour."
            ],
            "type": "u32"
          },
          {
            "name": "breakerBandBps",
            "docs": [
              "Breaker band: oracle vs stable price gap, basis points of the stable price."
            ],
            "type": "u32"
          },
          {
            "name": "netOutflowLimitBps",
            "docs": [
              "Net outflow cap per window, basis points of the deposits at the window's start."
            ],
            "type": "u32"
          },
          {
            "name": "outflowWindowSecs",
            "docs": [
              "Length of a net outflow window, seconds."
            ],
            "type": "u32"
          },
          {
            "name": "reserved",
            "docs": [
              "Zero; room for later fields."
            ],
            "type": {
              "array": [
                "u8",
                88
              ]
            }
          }
        ]
      }
    },
    {
      "name": "bankChange",
      "docs": [
        "A bank config change: the config and oracle it was queued against, and the new ones."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "base",
            "type": {
              "defined": {
                "name": "bankConfig"
              }
            }
          },
          {
            "name": "baseOracle",
            "type": "pubkey"
          },
          {
            "name": "config",
            "type": {
              "defined": {
                "name": "bankConfig"
              }
            }
          },
          {
            "name": "oracle",
            "type": "pubkey"
          }
        ]
      }
    },
    {
      "name": "bankConfig",
      "docs": [
        "Risk and fee parameters, as passed to `bank_register` and `bank_edit` (and queued by",
        "`bank_queue_edit`). `*_bps` values are basis points (10,000 = 1). Weights must satisfy",
        "`0 ≤ init_asset ≤ maint_asset ≤ 10,000 ≤ maint_liab ≤ init_liab ≤ MAX_LIAB_WEIGHT_BPS`."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "oracleKind",
            "docs": [
              "Oracle format; stored in `Bank.oracle_kind` as 0 = `PythLegacy`, 1 = `PythPull`."
            ],
            "type": {
              "defined": {
                "name": "oracleKind"
              }
            }
          },
          {
            "name": "maxStalenessSecs",
            "docs": [
              "Oracle prices older than this are stale (1 ..= `MAX_STALENESS_LIMIT_SECS`)."
            ],
            "type": "u64"
          },
          {
            "name": "maxConfBps",
            "docs": [
              "Largest accepted confidence, bps of the price (1 ..= `MAX_CONF_LIMIT_BPS`)."
            ],
            "type": "u32"
          },
          {
            "name": "initAssetWeightBps",
            "docs": [
              "Weight of deposits in init health (gates new risk)."
            ],
            "type": "u32"
          },
          {
            "name": "maintAssetWeightBps",
            "docs": [
              "Weight of deposits in maint health (liquidation trigger)."
            ],
            "type": "u32"
          },
          {
            "name": "maintLiabWeightBps",
            "docs": [
              "Weight of borrows in maint health."
            ],
            "type": "u32"
          },
          {
            "name": "initLiabWeightBps",
            "docs": [
              "Weight of borrows in init health."
            ],
            "type": "u32"
          },
          {
            "name": "util0Bps",
            "docs": [
              "Interest curve: utilisation of the first kink."
            ],
            "type": "u32"
          },
          {
            "name": "rate0Bps",
            "docs": [
              "Interest curve: yearly borrow rate at `util0_bps`."
            ],
            "type": "u32"
          },
          {
            "name": "util1Bps",
            "docs": [
              "Interest curve: utilisation of the second kink (> `util0_bps`)."
            ],
            "type": "u32"
          },
          {
            "name": "rate1Bps",
            "docs": [
              "Interest curve: yearly borrow rate at `util1_bps`."
            ],
            "type": "u32"
          },
          {
            "name": "maxRateBps",
            "docs": [
              "Interest curve: yearly borrow rate at 100 % utilisation."
            ],
            "type": "u32"
          },
          {
            "name": "protocolFeeBps",
            "docs": [
              "Share of borrow interest kept by the protocol."
            ],
            "type": "u32"
          },
          {
            "name": "loanOriginationFeeBps",
            "docs": [
              "Charged on every new borrow, added to the debt."
            ],
            "type": "u32"
          },
          {
            "name": "liquidationFeeBps",
            "docs": [
              "Liquidator's discount on seized collateral (used by liquidation)."
            ],
            "type": "u32"
          },
          {
            "name": "liquidationInsuranceShareBps",
            "docs": [
              "Share of the liquidation fee paid into the insurance fund."
            ],
            "type": "u32"
          },
          {
            "name": "depositLimit",
            "docs": [
              "Max native deposits in the bank (`u64::MAX` = unlimited)."
            ],
            "type": "u64"
          },
          {
            "name": "borrowLimit",
            "docs": [
              "Max native borrows from the bank (`u64::MAX` = unlimited)."
            ],
            "type": "u64"
          },
          {
            "name": "reduceOnly",
            "docs": [
              "No new deposits or borrows (repaying and withdrawing still work); stored in",
              "`Bank.reduce_only` as 0 / 1."
            ],
            "type": "bool"
          },
          {
            "name": "stableGrowthBps",
            "docs": [
              "How fast the stable price may follow the oracle, basis points per hour."
            ],
            "type": "u32"
          },
          {
            "name": "breakerBandBps",
            "docs": [
              "The bank turns borrow-reduce-only while its oracle is further than this from its",
              "stable price (basis points of the stable price)."
            ],
            "type": "u32"
          },
          {
            "name": "netOutflowLimitBps",
            "docs": [
              "Net withdrawals + borrows − deposits − repays per window, at most this share of the",
              "deposits at the window's start (basis points; 10,000 never binds)."
            ],
            "type": "u32"
          },
          {
            "name": "outflowWindowSecs",
            "docs": [
              "Length of a net outflow window, seconds."
            ],
            "type": "u32"
          }
        ]
      }
    },
    {
      "name": "bankConfigured",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "bank",
            "type": "pubkey"
          },
          {
            "name": "tokenIndex",
            "type": "u16"
          },
          {
            "name": "mint",
            "type": "pubkey"
          },
          {
            "name": "oracle",
            "type": "pubkey"
          },
          {
            "docs": [
              "True for `bank_register`, false for `bank_edit`."
            ],
            "name": "created",
            "type": "bool"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "bankruptcyResolved",
      "type": {
        "fields": [
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "bank",
            "type": "pubkey"
          },
          {
            "docs": [
              "Debt written off, native units: `insured + socialised + fees_forgone + unrecoverable`,",
              "exactly."
            ],
            "name": "badDebt",
            "type": "u64"
          },
          {
            "docs": [
              "Paid from the bank's insurance vault."
            ],
            "name": "insured",
            "type": "u64"
          },
          {
            "docs": [
              "Absorbed by depositors through a lower deposit index."
            ],
            "name": "socialised",
            "type": "u64"
          },
          {
            "docs": [
              "Beyond what depositors held above the index floor, cancelled against the bank's",
              "uncollected protocol fees."
            ],
            "name": "feesForgone",
            "type": "u64"
          },
          {
            "docs": [
              "Beyond depositors and fees; added to the bank's",
              "`unrecoverable_bad_debt`."
            ],
            "name": "unrecoverable",
            "type": "u64"
          },
          {
            "name": "depositIndexBefore",
            "type": "i128"
          },
          {
            "name": "depositIndexAfter",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "docs": [
        "A bank's breaker tripped (its oracle left the band around its stable price) or cleared."
      ],
      "name": "breakerChanged",
      "type": {
        "fields": [
          {
            "name": "bank",
            "type": "pubkey"
          },
          {
            "name": "tripped",
            "type": "bool"
          },
          {
            "name": "oraclePrice",
            "type": "i64"
          },
          {
            "name": "stablePrice",
            "type": "i64"
          },
          {
            "name": "expo",
            "type": "i32"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "changeApplied",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "change",
            "type": "pubkey"
          },
          {
            "name": "target",
            "type": "pubkey"
          },
          {
            "name": "changeId",
            "type": "u64"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "changeCancelled",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "change",
            "type": "pubkey"
          },
          {
            "name": "changeId",
            "type": "u64"
          },
          {
            "name": "by",
            "type": "pubkey"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "changeKind",
      "type": {
        "kind": "enum",
        "variants": [
          {
            "name": "bank",
            "fields": [
              {
                "defined": {
                  "name": "bankChange"
                }
              }
            ]
          },
          {
            "name": "group",
            "fields": [
              {
                "defined": {
                  "name": "groupChange"
                }
              }
            ]
          }
        ]
      }
    },
    {
      "name": "changeQueued",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "change",
            "type": "pubkey"
          },
          {
            "name": "target",
            "type": "pubkey"
          },
          {
            "name": "changeId",
            "type": "u64"
          },
          {
            "name": "effectiveAt",
            "type": "i64"
          },
          {
            "docs": [
              "The first loosening field, empty if the change only tightens."
            ],
            "name": "loosens",
            "type": "string"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "delegateSet",
      "type": {
        "fields": [
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "delegate",
            "type": "pubkey"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "feesSwept",
      "type": {
        "fields": [
          {
            "name": "bank",
            "type": "pubkey"
          },
          {
            "docs": [
              "Native units moved from the vault to the insurance vault."
            ],
            "name": "amount",
            "type": "u64"
          },
          {
            "docs": [
              "Fees still owed to the insurance vault (raw `I80F48` bits): the fraction below one",
              "native unit, and whatever the vault could not pay yet."
            ],
            "name": "feesLeft",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "fundingUpdated",
      "type": {
        "fields": [
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "name": "fundingIndex",
            "type": "i128"
          },
          {
            "name": "longOpenInterest",
            "type": "u64"
          },
          {
            "name": "shortOpenInterest",
            "type": "u64"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "group",
      "docs": [
        "The root of one deployment: PDA `[\"group\", creator, group_num (u32 LE)]`, and the token",
        "authority of every vault in it. Boolean fields are `u8`: 0 = false, 1 = true."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "creator",
            "docs": [
              "Signed `group_create`; part of the PDA seeds."
            ],
            "type": "pubkey"
          },
          {
            "name": "admin",
            "docs": [
              "May edit the group, register and edit banks, queue loosening changes, pause and",
              "unpause. Handed over in two steps (`group_propose_admin`, `group_accept_admin`)."
            ],
            "type": "pubkey"
          },
          {
            "name": "securityAdmin",
            "docs": [
              "May only pause and cancel queued changes (an incident-response key that cannot",
              "loosen anything)."
            ],
            "type": "pubkey"
          },
          {
            "name": "groupNum",
            "docs": [
              "Chosen by the creator; part of the PDA seeds (u32 little-endian)."
            ],
            "type": "u32"
          },
          {
            "name": "bump",
            "docs": [
              "Bump of the group PDA."
            ],
            "type": "u8"
          },
          {
            "name": "paused",
            "docs": [
              "Boolean: 1 while paused (until `pause_expires_at`): withdrawals and borrows are refused;",
              "deposits and repays still work."
            ],
            "type": "u8"
          },
          {
            "name": "bankCount",
            "docs": [
              "Banks registered so far (token indices need not be contiguous). `bank_register` and",
              "`bank_edit` check a new config against every other bank, and this count is how they",
              "know the list they were given is complete."
            ],
            "type": "u16"
          },
          {
            "name": "pendingAdmin",
            "docs": [
              "The admin proposed by `group_propose_admin` (default = none), who may accept from",
              "`pending_admin_at` on (now + timelock once the group is live)."
            ],
            "type": "pubkey"
          },
          {
            "name": "pendingAdminAt",
            "docs": [
              "Unix time from which `pending_admin` may accept (0 when none is pending)."
            ],
            "type": "i64"
          },
          {
            "name": "pauseExpiresAt",
            "docs": [
              "A pause lapses by itself at this unix time unless renewed: the group is paused while",
              "`paused == 1` and now < `pause_expires_at`."
            ],
            "type": "i64"
          },
          {
            "name": "changeCount",
            "docs": [
              "Queued changes so far; the next one's PDA uses this number."
            ],
            "type": "u64"
          },
          {
            "name": "timelockSecs",
            "docs": [
              "How long a loosening change waits (≥ `MIN_TIMELOCK_SECS`)."
            ],
            "type": "u32"
          },
          {
            "name": "maintRampSecs",
            "docs": [
              "How long a tightened maint weight takes to reach its target."
            ],
            "type": "u32"
          },
          {
            "name": "pauseDurationSecs",
            "docs": [
              "How long a pause lasts unless renewed."
            ],
            "type": "u32"
          },
          {
            "name": "live",
            "docs": [
              "Boolean: 1 once the admin declared the group live (`group_go_live`): margin accounts may be",
              "opened, and from then on every loosening change waits out the timelock."
            ],
            "type": "u8"
          },
          {
            "name": "padding",
            "docs": [
              "Zero."
            ],
            "type": {
              "array": [
                "u8",
                3
              ]
            }
          },
          {
            "name": "wentLiveAt",
            "docs": [
              "When `group_go_live` ran: changes queued before it wait a full timelock from then."
            ],
            "type": "i64"
          },
          {
            "name": "reserved",
            "docs": [
              "Zero; room for later fields."
            ],
            "type": {
              "array": [
                "u8",
                48
              ]
            }
          }
        ]
      }
    },
    {
      "name": "groupChange",
      "docs": [
        "A group settings change."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "base",
            "type": {
              "defined": {
                "name": "groupSettings"
              }
            }
          },
          {
            "name": "settings",
            "type": {
              "defined": {
                "name": "groupSettings"
              }
            }
          }
        ]
      }
    },
    {
      "name": "groupCreated",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "creator",
            "type": "pubkey"
          },
          {
            "name": "groupNum",
            "type": "u32"
          },
          {
            "name": "admin",
            "type": "pubkey"
          },
          {
            "name": "securityAdmin",
            "type": "pubkey"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "groupEdited",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "admin",
            "type": "pubkey"
          },
          {
            "name": "securityAdmin",
            "type": "pubkey"
          },
          {
            "name": "timelockSecs",
            "type": "u32"
          },
          {
            "name": "maintRampSecs",
            "type": "u32"
          },
          {
            "name": "pauseDurationSecs",
            "type": "u32"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "groupPauseSet",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "paused",
            "type": "bool"
          },
          {
            "name": "by",
            "type": "pubkey"
          },
          {
            "docs": [
              "When the pause lapses by itself unless renewed (0 when unpausing)."
            ],
            "name": "expiresAt",
            "type": "i64"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "groupSettings",
      "docs": [
        "The group's admin-controlled settings (besides the admin itself), as passed to",
        "`group_edit` and `group_queue_edit`."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "securityAdmin",
            "docs": [
              "May pause (not unpause) and cancel queued bank changes."
            ],
            "type": "pubkey"
          },
          {
            "name": "timelockSecs",
            "docs": [
              "`MIN_TIMELOCK_SECS ..= MAX_TIMELOCK_SECS`."
            ],
            "type": "u32"
          },
          {
            "name": "maintRampSecs",
            "docs": [
              "`MIN_MAINT_RAMP_SECS ..= MAX_MAINT_RAMP_SECS`."
            ],
            "type": "u32"
          },
          {
            "name": "pauseDurationSecs",
            "docs": [
              "`MIN_PAUSE_SECS ..= MAX_PAUSE_SECS`."
            ],
            "type": "u32"
          }
        ]
      }
    },
    {
      "name": "groupWentLive",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "i80f48Bytes",
      "docs": [
        "An `I80F48` with alignment 1, for zero-copy account fields. (`zero_copy` gives it the",
        "`Pod` layout and, with `idl-build`, its IDL description: 16 little-endian bytes.)"
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "bits",
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          }
        ]
      }
    },
    {
      "name": "insuranceDeposited",
      "type": {
        "fields": [
          {
            "name": "bank",
            "type": "pubkey"
          },
          {
            "name": "depositor",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "interestAccrued",
      "type": {
        "fields": [
          {
            "name": "bank",
            "type": "pubkey"
          },
          {
            "name": "depositIndex",
            "type": "i128"
          },
          {
            "name": "borrowIndex",
            "type": "i128"
          },
          {
            "name": "feeNative",
            "type": "i128"
          },
          {
            "name": "borrowRate",
            "type": "i128"
          },
          {
            "name": "timestamp",
            "type": "i64"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "maintRamp",
      "docs": [
        "Stored in `Bank`: where the maint weights ramp from, and when. The targets are the",
        "bank's `maint_asset_weight_bps` / `maint_liab_weight_bps`."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "assetFromBps",
            "type": "u32"
          },
          {
            "name": "liabFromBps",
            "type": "u32"
          },
          {
            "name": "start",
            "type": "i64"
          },
          {
            "name": "end",
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "marginAccount",
      "docs": [
        "One user's cross-margined book: PDA `[\"account\", group, owner, account_num (u32 LE)]`."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "group",
            "docs": [
              "At byte 8 of the account data (memcmp filter)."
            ],
            "type": "pubkey"
          },
          {
            "name": "owner",
            "docs": [
              "At byte 40 of the account data (memcmp filter). Signs `account_close` and",
              "`account_set_delegate`."
            ],
            "type": "pubkey"
          },
          {
            "name": "delegate",
            "docs": [
              "May withdraw and borrow for the owner; may not close or re-delegate.",
              "`Pubkey::default()` = none."
            ],
            "type": "pubkey"
          },
          {
            "name": "accountNum",
            "docs": [
              "Chosen by the owner; part of the PDA seeds (u32 little-endian)."
            ],
            "type": "u32"
          },
          {
            "name": "bump",
            "docs": [
              "Bump of the account PDA."
            ],
            "type": "u8"
          },
          {
            "name": "beingLiquidated",
            "docs": [
              "Boolean: 1 from the first liquidation until init health is back to ≥ 0 (while set,",
              "the account stays liquidatable at init health < 0), else 0."
            ],
            "type": "u8"
          },
          {
            "name": "padding",
            "docs": [
              "Zero."
            ],
            "type": {
              "array": [
                "u8",
                2
              ]
            }
          },
          {
            "name": "tokenPositions",
            "docs": [
              "Position slots. Active slots (`token_index` ≠ 65535) need not be contiguous; health",
              "accounts list them in slot order. A new position takes the first free slot."
            ],
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "tokenPosition"
                  }
                },
                8
              ]
            }
          },
          {
            "name": "perpPositions",
            "docs": [
              "Perp position slots (`active == 1`), in slot order after the token positions in",
              "the health accounts. A new position takes the first free slot."
            ],
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "perpPosition"
                  }
                },
                4
              ]
            }
          },
          {
            "name": "reserved",
            "docs": [
              "Zero; room for later fields."
            ],
            "type": {
              "array": [
                "u8",
                448
              ]
            }
          }
        ]
      }
    },
    {
      "name": "marginAccountClosed",
      "type": {
        "fields": [
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "marginAccountCreated",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          },
          {
            "name": "accountNum",
            "type": "u32"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "oracleKind",
      "docs": [
        "Which Pyth account format a bank's oracle uses. `Bank.oracle_kind` stores it as a byte:",
        "0 = `PythLegacy` (legacy push price account), 1 = `PythPull` (`PriceUpdateV2`)."
      ],
      "type": {
        "kind": "enum",
        "variants": [
          {
            "name": "pythLegacy"
          },
          {
            "name": "pythPull"
          }
        ]
      }
    },
    {
      "name": "outflowWindow",
      "docs": [
        "Stored in `Bank`."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "windowStart",
            "type": "i64"
          },
          {
            "name": "net",
            "docs": [
              "Outflows minus inflows in this window, native units (saturating)."
            ],
            "type": "i64"
          },
          {
            "name": "cap",
            "docs": [
              "The most `net` may reach in this window."
            ],
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "pendingChange",
      "docs": [
        "One admin change waiting out the group's timelock: PDA",
        "`[\"change\", group, change_id (u64 LE)]`."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "group",
            "docs": [
              "The group the change belongs to."
            ],
            "type": "pubkey"
          },
          {
            "name": "target",
            "docs": [
              "The bank it changes, or the group itself."
            ],
            "type": "pubkey"
          },
          {
            "name": "payer",
            "docs": [
              "Paid the rent; receives it back."
            ],
            "type": "pubkey"
          },
          {
            "name": "changeId",
            "docs": [
              "The group's `change_count` when queued; part of the PDA seeds."
            ],
            "type": "u64"
          },
          {
            "name": "queuedAt",
            "docs": [
              "Unix time it was queued."
            ],
            "type": "i64"
          },
          {
            "name": "effectiveAt",
            "docs": [
              "Anyone may apply it from this unix time on (a change queued before the group went",
              "live waits until `went_live_at + timelock_secs` if that is later), until",
              "`CHANGE_EXPIRY_SECS` after it became due."
            ],
            "type": "i64"
          },
          {
            "name": "change",
            "docs": [
              "The settings it was queued against (`base`) and the new ones."
            ],
            "type": {
              "defined": {
                "name": "changeKind"
              }
            }
          },
          {
            "name": "bump",
            "docs": [
              "Bump of the change PDA."
            ],
            "type": "u8"
          }
        ]
      }
    },
    {
      "docs": [
        "A profitable position reduced and its realised profit paid out of the pool",
        "(`perp_auto_deleverage`)."
      ],
      "name": "perpAutoDeleveraged",
      "type": {
        "fields": [
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "docs": [
              "Base closed (signed as traded by the account)."
            ],
            "name": "baseDelta",
            "type": "i64"
          },
          {
            "docs": [
              "The close price, quote native per base native, I80F48 bits."
            ],
            "name": "price",
            "type": "i128"
          },
          {
            "docs": [
              "Settle-token native units paid from the pool vault into the account's deposit."
            ],
            "name": "paid",
            "type": "u64"
          },
          {
            "docs": [
              "The excess over the threshold this step was sized to pay, native units."
            ],
            "name": "excess",
            "type": "u64"
          },
          {
            "docs": [
              "Traders' net unsettled PnL (at the protected price) before, I80F48 bits."
            ],
            "name": "owedBefore",
            "type": "i128"
          },
          {
            "name": "poolVaultBefore",
            "type": "u64"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "docs": [
        "A bankrupt account's perp loss written off (`perp_resolve_bankruptcy`):",
        "`loss = insured + absorbed_by_pool`, settle-token native units."
      ],
      "name": "perpBankruptcyResolved",
      "type": {
        "fields": [
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "name": "loss",
            "type": "u64"
          },
          {
            "docs": [
              "Paid from the settle bank's insurance vault into the pool vault."
            ],
            "name": "insured",
            "type": "u64"
          },
          {
            "docs": [
              "Taken by the pool's LPs."
            ],
            "name": "absorbedByPool",
            "type": "u64"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "perpConfig",
      "docs": [
        "A perp market's parameters. `*_bps` are basis points (10,000 = 1). Base amounts are the",
        "base asset's native units (`10^base_decimals` per whole unit)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "oracleKind",
            "docs": [
              "Oracle format of the base asset's price (USD per whole base unit)."
            ],
            "type": {
              "defined": {
                "name": "oracleKind"
              }
            }
          },
          {
            "name": "maxStalenessSecs",
            "docs": [
              "Oracle prices older than this are stale (1 ..= 900)."
            ],
            "type": "u64"
          },
          {
            "name": "maxConfBps",
            "docs": [
              "Largest accepted confidence, bps of the price (1 ..= 1,000)."
            ],
            "type": "u32"
          },
          {
            "name": "initAssetWeightBps",
            "docs": [
              "Base exposure weights, as a bank's: a long weighs like a deposit (asset weights), a",
              "short like a borrow (liability weights)."
            ],
            "type": "u32"
          },
          {
            "name": "maintAssetWeightBps",
            "type": "u32"
          },
          {
            "name": "maintLiabWeightBps",
            "type": "u32"
          },
          {
            "name": "initLiabWeightBps",
            "type": "u32"
          },
          {
            "name": "initPnlWeightBps",
            "docs": [
              "Weight of unsettled profit in init health (0 = cannot be borrowed or withdrawn",
              "against until settled); maint health counts it fully. ≤ 10,000."
            ],
            "type": "u32"
          },
          {
            "name": "hedgeInitBps",
            "docs": [
              "Init and maint charge on the overlap of a spot balance and this perp on the same",
              "oracle that hedge each other, bps of the overlap's notional (`HedgeWeights`)."
            ],
            "type": "u32"
          },
          {
            "name": "hedgeMaintBps",
            "type": "u32"
          },
          {
            "name": "tradingFeeBps",
            "docs": [
              "Trading fee, bps of notional, paid to the pool through the execution price."
            ],
            "type": "u32"
          },
          {
            "name": "impactBps",
            "docs": [
              "Price impact at a trade as large as `max_open_interest`, bps; linear in the size."
            ],
            "type": "u32"
          },
          {
            "name": "liquidationFeeBps",
            "docs": [
              "Liquidation closes positions against the pool at oracle ∓ this, bps."
            ],
            "type": "u32"
          },
          {
            "name": "pairLiquidationFeeBps",
            "docs": [
              "Fee of a hedged pair liquidation (`perp_liquidate_pair`: the perp leg closed against",
              "the pool and the spot leg it hedges sold to the liquidator together), bps of the",
              "pair's notional, charged once on the perp leg. Below `hedge_maint_bps`, so closing a",
              "hedged pair always raises maint health; at most `liquidation_fee_bps`."
            ],
            "type": "u32"
          },
          {
            "name": "liquidationInsuranceShareBps",
            "docs": [
              "Share of the liquidation fee kept by the pool (the market's insurance), bps; the",
              "rest is credited to the liquidator."
            ],
            "type": "u32"
          },
          {
            "name": "maxOpenInterest",
            "docs": [
              "Open interest cap per side, base native units."
            ],
            "type": "u64"
          },
          {
            "name": "fundingSkewScaleBps",
            "docs": [
              "Funding rate per hour at full skew, bps of notional."
            ],
            "type": "u32"
          },
          {
            "name": "maxFundingRateBps",
            "docs": [
              "Funding rate clamp per hour, bps of notional (≤ `MAX_FUNDING_RATE_LIMIT_BPS`)."
            ],
            "type": "u32"
          },
          {
            "name": "poolReserveBps",
            "docs": [
              "The pool keeps at least this share of its net open interest notional: LP",
              "withdrawals and trades that add net exposure beyond it are refused."
            ],
            "type": "u32"
          },
          {
            "name": "settleLimitBps",
            "docs": [
              "Positive PnL settled per window, at most this share of the pool's value."
            ],
            "type": "u32"
          },
          {
            "name": "settleWindowSecs",
            "docs": [
              "Length of a settle window, seconds."
            ],
            "type": "u32"
          },
          {
            "name": "adlThresholdBps",
            "docs": [
              "Auto-deleveraging (`perp_auto_deleverage`) starts when traders' net unsettled PnL",
              "exceeds this share of the pool's vault (1–9,999 bps)."
            ],
            "type": "u32"
          },
          {
            "name": "stableGrowthBps",
            "docs": [
              "Stable price growth limit, bps per hour (as a bank's)."
            ],
            "type": "u32"
          },
          {
            "name": "breakerBandBps",
            "docs": [
              "Trades that add exposure are refused while the oracle is further than this from",
              "the stable price (bps of the stable price)."
            ],
            "type": "u32"
          },
          {
            "name": "reduceOnly",
            "docs": [
              "No trade may increase a position (reducing, liquidation and settling still work)."
            ],
            "type": "bool"
          }
        ]
      }
    },
    {
      "name": "perpLiquidated",
      "type": {
        "fields": [
          {
            "name": "liquidatee",
            "type": "pubkey"
          },
          {
            "name": "liquidator",
            "type": "pubkey"
          },
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "docs": [
              "Base closed against the pool (signed as traded by the liquidatee)."
            ],
            "name": "baseDelta",
            "type": "i64"
          },
          {
            "name": "price",
            "type": "i128"
          },
          {
            "docs": [
              "Credited to the liquidator's position in this market (quote, I80F48 bits)."
            ],
            "name": "liquidatorFee",
            "type": "i128"
          },
          {
            "docs": [
              "Kept by the pool, I80F48 bits."
            ],
            "name": "poolFee",
            "type": "i128"
          },
          {
            "name": "initHealthAfter",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "docs": [
        "A flat perp loss taken over by a liquidator against a deposit (`perp_liquidate_loss`)."
      ],
      "name": "perpLossLiquidated",
      "type": {
        "fields": [
          {
            "name": "liquidator",
            "type": "pubkey"
          },
          {
            "name": "liquidatee",
            "type": "pubkey"
          },
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "name": "assetBank",
            "type": "pubkey"
          },
          {
            "docs": [
              "Loss taken over, settle-token native units (the liquidator's quote fell by it)."
            ],
            "name": "lossAmount",
            "type": "u64"
          },
          {
            "docs": [
              "The liquidatee's quote after, I80F48 bits."
            ],
            "name": "quoteAfter",
            "type": "i128"
          },
          {
            "docs": [
              "Deposit taken from the liquidatee, native units of the asset."
            ],
            "name": "assetAmount",
            "type": "u64"
          },
          {
            "docs": [
              "Part of `asset_amount` booked to the asset bank's fees for its insurance fund."
            ],
            "name": "insuranceAmount",
            "type": "u64"
          },
          {
            "docs": [
              "The asset oracle's price mantissa and exponent used."
            ],
            "name": "assetPrice",
            "type": "i64"
          },
          {
            "name": "assetExpo",
            "type": "i32"
          },
          {
            "name": "initHealthBefore",
            "type": "i128"
          },
          {
            "name": "maintHealthBefore",
            "type": "i128"
          },
          {
            "name": "initHealthAfter",
            "type": "i128"
          },
          {
            "name": "maintHealthAfter",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "perpMarket",
      "docs": [
        "One perp market: PDA `[\"perp\", group, perp_index (u16 LE)]`. Its pool vault is",
        "`[\"pool_vault\", market]` and its LP mint `[\"lp_mint\", market]`, both with the group PDA",
        "as authority. `I80F48Bytes` fields are fixed point (bits / 2^48, little-endian i128)."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "oracle",
            "docs": [
              "Price of one whole base unit in USD (Pyth, format per `oracle_kind`)."
            ],
            "type": "pubkey"
          },
          {
            "name": "oracleFeedId",
            "docs": [
              "Pyth feed id for `PythPull` oracles."
            ],
            "type": {
              "array": [
                "u8",
                32
              ]
            }
          },
          {
            "name": "settleBank",
            "docs": [
              "The bank PnL settles into (its mint is the pool vault's mint)."
            ],
            "type": "pubkey"
          },
          {
            "name": "poolVault",
            "docs": [
              "The pool's token account (settle mint, authority = group PDA)."
            ],
            "type": "pubkey"
          },
          {
            "name": "lpMint",
            "docs": [
              "LP share mint (authority = group PDA, decimals = the settle token's)."
            ],
            "type": "pubkey"
          },
          {
            "name": "name",
            "docs": [
              "Human-readable name, UTF-8, zero-padded (e.g. \"SOL-PERP\")."
            ],
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "fundingIndex",
            "docs": [
              "Cumulative funding per base native unit, quote native: a position of `base` owes",
              "`base × (funding_index − its snapshot)` (longs pay when it rises). I80F48."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "totalQuote",
            "docs": [
              "Σ of every position's `quote`. I80F48."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "totalBaseSnapshot",
            "docs": [
              "Σ of every position's `base × funding_snapshot`. I80F48."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "longOpenInterest",
            "docs": [
              "Σ of positive base positions, base native units."
            ],
            "type": "u64"
          },
          {
            "name": "shortOpenInterest",
            "docs": [
              "Σ of |negative base positions|, base native units."
            ],
            "type": "u64"
          },
          {
            "name": "lastFundingTs",
            "docs": [
              "Unix time funding was last accrued to."
            ],
            "type": "i64"
          },
          {
            "name": "settleWindowStart",
            "docs": [
              "Start of the current settle window (unix seconds)."
            ],
            "type": "i64"
          },
          {
            "name": "settledInWindow",
            "docs": [
              "Positive PnL settled in the current window, settle-token native units."
            ],
            "type": "u64"
          },
          {
            "name": "lpSupply",
            "docs": [
              "LP shares outstanding (mirrors the mint's supply)."
            ],
            "type": "u64"
          },
          {
            "name": "maxOpenInterest",
            "docs": [
              "Open interest cap per side, base native units."
            ],
            "type": "u64"
          },
          {
            "name": "maxStalenessSecs",
            "type": "u64"
          },
          {
            "name": "lastValidPrice",
            "docs": [
              "The last oracle reading that passed every check (outage fallback, as a bank's)."
            ],
            "type": "i64"
          },
          {
            "name": "lastValidConf",
            "type": "u64"
          },
          {
            "name": "lastValidPublishTime",
            "type": "i64"
          },
          {
            "name": "lastValidExpo",
            "type": "i32"
          },
          {
            "name": "maxConfBps",
            "type": "u32"
          },
          {
            "name": "stable",
            "docs": [
              "Stable price and breaker (`guard::stable_price`)."
            ],
            "type": {
              "defined": {
                "name": "stablePrice"
              }
            }
          },
          {
            "name": "initAssetWeightBps",
            "type": "u32"
          },
          {
            "name": "maintAssetWeightBps",
            "type": "u32"
          },
          {
            "name": "maintLiabWeightBps",
            "type": "u32"
          },
          {
            "name": "initLiabWeightBps",
            "type": "u32"
          },
          {
            "name": "initPnlWeightBps",
            "type": "u32"
          },
          {
            "name": "hedgeInitBps",
            "type": "u32"
          },
          {
            "name": "hedgeMaintBps",
            "type": "u32"
          },
          {
            "name": "tradingFeeBps",
            "type": "u32"
          },
          {
            "name": "impactBps",
            "type": "u32"
          },
          {
            "name": "liquidationFeeBps",
            "type": "u32"
          },
          {
            "name": "liquidationInsuranceShareBps",
            "type": "u32"
          },
          {
            "name": "fundingSkewScaleBps",
            "type": "u32"
          },
          {
            "name": "maxFundingRateBps",
            "type": "u32"
          },
          {
            "name": "poolReserveBps",
            "type": "u32"
          },
          {
            "name": "settleLimitBps",
            "type": "u32"
          },
          {
            "name": "settleWindowSecs",
            "type": "u32"
          },
          {
            "name": "adlThresholdBps",
            "type": "u32"
          },
          {
            "name": "stableGrowthBps",
            "type": "u32"
          },
          {
            "name": "breakerBandBps",
            "type": "u32"
          },
          {
            "name": "perpIndex",
            "docs": [
              "The market's index: its PDA seed and the `market_index` of positions in it."
            ],
            "type": "u16"
          },
          {
            "name": "settleTokenIndex",
            "docs": [
              "`token_index` of `settle_bank`."
            ],
            "type": "u16"
          },
          {
            "name": "baseDecimals",
            "type": "u8"
          },
          {
            "name": "oracleKind",
            "docs": [
              "0 = `PythLegacy`, 1 = `PythPull`."
            ],
            "type": "u8"
          },
          {
            "name": "reduceOnly",
            "docs": [
              "Boolean: no trade may increase a position."
            ],
            "type": "u8"
          },
          {
            "name": "bump",
            "type": "u8"
          },
          {
            "name": "poolVaultBump",
            "type": "u8"
          },
          {
            "name": "lpMintBump",
            "type": "u8"
          },
          {
            "name": "padding",
            "docs": [
              "Zero."
            ],
            "type": {
              "array": [
                "u8",
                2
              ]
            }
          },
          {
            "name": "pairLiquidationFeeBps",
            "docs": [
              "Fee of a hedged pair liquidation (`perp_liquidate_pair`), bps of each leg's",
              "notional, charged once on the perp leg."
            ],
            "type": "u32"
          },
          {
            "name": "longQuote",
            "docs": [
              "The aggregates split by side, for auto-deleveraging's ranking check: Σ `quote` and",
              "Σ `base × funding_snapshot` of the long positions, and of the short ones (a flat",
              "position's quote counts in `total_quote` only). I80F48."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "longBaseSnapshot",
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "shortQuote",
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "shortBaseSnapshot",
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "reserved",
            "docs": [
              "Zero; room for later fields."
            ],
            "type": {
              "array": [
                "u8",
                68
              ]
            }
          }
        ]
      }
    },
    {
      "name": "perpMarketConfigured",
      "type": {
        "fields": [
          {
            "name": "group",
            "type": "pubkey"
          },
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "name": "perpIndex",
            "type": "u16"
          },
          {
            "name": "oracle",
            "type": "pubkey"
          },
          {
            "docs": [
              "True for `perp_market_register`, false for `perp_market_edit`."
            ],
            "name": "created",
            "type": "bool"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "docs": [
        "A perp market's parameters changed (`perp_market_edit`)."
      ],
      "name": "perpMarketEdited",
      "type": {
        "fields": [
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "name": "config",
            "type": {
              "defined": {
                "name": "perpConfig"
              }
            }
          }
        ],
        "kind": "struct"
      }
    },
    {
      "docs": [
        "A hedged perp and spot pair unwound together (`perp_liquidate_pair`)."
      ],
      "name": "perpPairLiquidated",
      "type": {
        "fields": [
          {
            "name": "liquidatee",
            "type": "pubkey"
          },
          {
            "name": "liquidator",
            "type": "pubkey"
          },
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "name": "spotBank",
            "type": "pubkey"
          },
          {
            "docs": [
              "Base closed against the pool (signed as traded by the liquidatee)."
            ],
            "name": "baseDelta",
            "type": "i64"
          },
          {
            "docs": [
              "The liquidatee's spot change, native units (`−base_delta`)."
            ],
            "name": "spotDelta",
            "type": "i64"
          },
          {
            "docs": [
              "The perp leg's close price, I80F48 bits."
            ],
            "name": "price",
            "type": "i128"
          },
          {
            "docs": [
              "The spot leg's change to the liquidatee's perp quote (positive: it sold spot; negative:",
              "it paid the liquidator's quote for a repaid borrow), I80F48 bits."
            ],
            "name": "spotQuote",
            "type": "i128"
          },
          {
            "docs": [
              "Settle-token native units the liquidator paid from its settle-bank position into the",
              "pool vault for spot it bought (0 when the liquidatee repaid a borrow); less than",
              "`spot_quote` when the settle vault could not release it all, the rest owed by the",
              "liquidator in its perp quote."
            ],
            "name": "settlePaid",
            "type": "u64"
          },
          {
            "name": "liquidatorFee",
            "type": "i128"
          },
          {
            "name": "poolFee",
            "type": "i128"
          },
          {
            "name": "maintHealthAfter",
            "type": "i128"
          },
          {
            "name": "initHealthAfter",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "perpPnlSettled",
      "type": {
        "fields": [
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "docs": [
              "Positive: paid by the pool to the account; negative: paid by the account."
            ],
            "name": "amount",
            "type": "i64"
          },
          {
            "name": "quoteAfter",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "perpPosition",
      "docs": [
        "A perpetual future position in one market. All zeros = a free slot."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "base",
            "docs": [
              "Signed base position, base native units (long > 0)."
            ],
            "type": "i64"
          },
          {
            "name": "quote",
            "docs": [
              "Quote position, settle-token native units, I80F48: minus the entry cost of the",
              "base, plus realised PnL, minus fees, minus funding settled into it. The position's",
              "unsettled PnL is `quote − funding owed + base × price`."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "fundingSnapshot",
            "docs": [
              "The market's `funding_index` when funding was last settled into `quote`. I80F48."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "marketIndex",
            "docs": [
              "The market's `perp_index`."
            ],
            "type": "u16"
          },
          {
            "name": "active",
            "docs": [
              "Boolean: 1 = in use."
            ],
            "type": "u8"
          },
          {
            "name": "settleRecorded",
            "docs": [
              "Boolean: 1 = `settle_token_index` is recorded (positions opened before it existed",
              "read 0 and are treated as needing a free slot for an unknown settle token)."
            ],
            "type": "u8"
          },
          {
            "name": "settleTokenIndex",
            "docs": [
              "The market's `settle_token_index`, so the account can keep a token slot for it:",
              "settling, perp bankruptcy and auto-deleveraging pay into that token's position."
            ],
            "type": "u16"
          },
          {
            "name": "padding",
            "docs": [
              "Zero."
            ],
            "type": {
              "array": [
                "u8",
                2
              ]
            }
          }
        ]
      }
    },
    {
      "name": "perpTraded",
      "type": {
        "fields": [
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "docs": [
              "Signed base traded (positive = bought)."
            ],
            "name": "baseDelta",
            "type": "i64"
          },
          {
            "docs": [
              "Execution price, quote native per base native, I80F48 bits."
            ],
            "name": "price",
            "type": "i128"
          },
          {
            "name": "baseAfter",
            "type": "i64"
          },
          {
            "docs": [
              "Quote after, I80F48 bits."
            ],
            "name": "quoteAfter",
            "type": "i128"
          },
          {
            "name": "fundingPaid",
            "type": "i128"
          },
          {
            "name": "initHealthAfter",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "poolDeposited",
      "type": {
        "fields": [
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "name": "depositor",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "shares",
            "type": "u64"
          },
          {
            "docs": [
              "Pool value the shares were priced at, I80F48 bits."
            ],
            "name": "poolValue",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "poolWithdrawn",
      "type": {
        "fields": [
          {
            "name": "perpMarket",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          },
          {
            "name": "shares",
            "type": "u64"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "poolValue",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "stablePrice",
      "docs": [
        "Stored in `Bank`; all prices are oracle mantissas at `expo` (0 = not yet initialised)."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "price",
            "docs": [
              "The stable price."
            ],
            "type": "i64"
          },
          {
            "name": "delayPrice",
            "docs": [
              "Time-weighted oracle average of the last complete interval (the stable target)."
            ],
            "type": "i64"
          },
          {
            "name": "intervalAverage",
            "docs": [
              "Time-weighted oracle average of the current interval so far."
            ],
            "type": "i64"
          },
          {
            "name": "lastOracle",
            "docs": [
              "The last oracle price observed; assumed to hold until the next observation."
            ],
            "type": "i64"
          },
          {
            "name": "lastUpdate",
            "type": "i64"
          },
          {
            "name": "intervalStart",
            "type": "i64"
          },
          {
            "name": "intervalSecs",
            "docs": [
              "Seconds covered by `interval_average`."
            ],
            "type": "i64"
          },
          {
            "name": "expo",
            "type": "i32"
          },
          {
            "name": "breakerTripped",
            "docs": [
              "1 while the oracle is outside the breaker band around the stable price."
            ],
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                3
              ]
            }
          }
        ]
      }
    },
    {
      "name": "tokenDeposited",
      "type": {
        "fields": [
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "bank",
            "type": "pubkey"
          },
          {
            "name": "depositor",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "docs": [
              "Part of `amount` that repaid a borrow."
            ],
            "name": "repaid",
            "type": "u64"
          },
          {
            "name": "indexedBalance",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "tokenLiquidated",
      "type": {
        "fields": [
          {
            "name": "liquidator",
            "type": "pubkey"
          },
          {
            "name": "liquidatee",
            "type": "pubkey"
          },
          {
            "name": "assetBank",
            "type": "pubkey"
          },
          {
            "name": "liabBank",
            "type": "pubkey"
          },
          {
            "docs": [
              "Liability taken over, native units of the liability token."
            ],
            "name": "liabAmount",
            "type": "u64"
          },
          {
            "docs": [
              "Deposit taken from the liquidatee, native units of the asset token."
            ],
            "name": "assetAmount",
            "type": "u64"
          },
          {
            "docs": [
              "Part of `asset_amount` owed to the asset bank's insurance fund: booked to the bank's",
              "protocol fees at once and moved to the insurance vault by `bank_sweep_fees`."
            ],
            "name": "insuranceAmount",
            "type": "u64"
          },
          {
            "docs": [
              "Oracle price mantissas used (exponents are in the banks' oracles)."
            ],
            "name": "assetPrice",
            "type": "i64"
          },
          {
            "name": "liabPrice",
            "type": "i64"
          },
          {
            "name": "initHealthBefore",
            "type": "i128"
          },
          {
            "name": "maintHealthBefore",
            "type": "i128"
          },
          {
            "name": "initHealthAfter",
            "type": "i128"
          },
          {
            "name": "maintHealthAfter",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    },
    {
      "name": "tokenPosition",
      "docs": [
        "A balance in one bank: positive indexed balance = deposit, negative = borrow."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "indexed",
            "docs": [
              "Indexed balance, I80F48 (value = bits / 2^48, bits = the 16 bytes as a",
              "little-endian i128). Native amount: `indexed × bank.deposit_index` when positive (a",
              "deposit), `indexed × bank.borrow_index` when negative (a debt)."
            ],
            "type": {
              "defined": {
                "name": "i80f48Bytes"
              }
            }
          },
          {
            "name": "tokenIndex",
            "docs": [
              "The bank's `token_index`, or 65535 (`FREE_TOKEN_INDEX`) for a free slot."
            ],
            "type": "u16"
          },
          {
            "name": "padding",
            "docs": [
              "Zero."
            ],
            "type": {
              "array": [
                "u8",
                6
              ]
            }
          }
        ]
      }
    },
    {
      "name": "tokenWithdrawn",
      "type": {
        "fields": [
          {
            "name": "account",
            "type": "pubkey"
          },
          {
            "name": "bank",
            "type": "pubkey"
          },
          {
            "name": "signer",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "docs": [
              "Part of `amount` that was borrowed (0 for a plain withdrawal)."
            ],
            "name": "borrowed",
            "type": "u64"
          },
          {
            "name": "originationFee",
            "type": "u64"
          },
          {
            "name": "indexedBalance",
            "type": "i128"
          },
          {
            "name": "initHealthAfter",
            "type": "i128"
          }
        ],
        "kind": "struct"
      }
    }
  ],
  "constants": [
    {
      "name": "accountSeed",
      "docs": [
        "Margin account PDA: `[\"account\", group, owner, account_num (u32 LE)]`."
      ],
      "type": "bytes",
      "value": "[97, 99, 99, 111, 117, 110, 116]"
    },
    {
      "name": "bankSeed",
      "docs": [
        "Bank PDA: `[\"bank\", group, token_index (u16 LE)]`."
      ],
      "type": "bytes",
      "value": "[98, 97, 110, 107]"
    },
    {
      "name": "bankSize",
      "docs": [
        "Data length of a `Bank`, discriminator included."
      ],
      "type": "u32",
      "value": "664"
    },
    {
      "name": "bps",
      "docs": [
        "Denominator of every `*_bps` field: 10,000 bps = 1 (a weight of 1, a rate of 100 %)."
      ],
      "type": "u32",
      "value": "10000"
    },
    {
      "name": "changeExpirySecs",
      "docs": [
        "A queued change not applied within this long after it became due expires",
        "(`ChangeExpired`); cancel it and queue again."
      ],
      "type": "i64",
      "value": "604800"
    },
    {
      "name": "changeSeed",
      "docs": [
        "Queued change (`PendingChange`) PDA: `[\"change\", group, change_id (u64 LE)]`, where",
        "`change_id` is the group's `change_count` when queued."
      ],
      "type": "bytes",
      "value": "[99, 104, 97, 110, 103, 101]"
    },
    {
      "name": "freeTokenIndex",
      "docs": [
        "`token_index` of a free position slot in `MarginAccount.token_positions` (no bank may",
        "use this index)."
      ],
      "type": "u16",
      "value": "65535"
    },
    {
      "name": "groupSeed",
      "docs": [
        "Group PDA: `[\"group\", creator, group_num (u32 LE)]`."
      ],
      "type": "bytes",
      "value": "[103, 114, 111, 117, 112]"
    },
    {
      "name": "groupSize",
      "docs": [
        "Data length of a `Group`, discriminator included."
      ],
      "type": "u32",
      "value": "240"
    },
    {
      "name": "i80f48FractionalBits",
      "docs": [
        "Fractional bits of every `I80F48` value: a field of type `I80F48Bytes` holds the 16",
        "little-endian bytes of a signed 128-bit integer `bits`, and its value is",
        "`bits / 2^48`. Event fields documented as I80F48 carry the same `bits` as `i128`."
      ],
      "type": "u8",
      "value": "48"
    },
    {
      "name": "insuranceSeed",
      "docs": [
        "A bank's insurance vault (authority = the group PDA): `[\"insurance\", bank]`."
      ],
      "type": "bytes",
      "value": "[105, 110, 115, 117, 114, 97, 110, 99, 101]"
    },
    {
      "name": "marginAccountGroupOffset",
      "docs": [
        "Byte offset of `MarginAccount.group` in the account data (after the 8-byte",
        "discriminator), for `getProgramAccounts` memcmp filters."
      ],
      "type": "u32",
      "value": "8"
    },
    {
      "name": "marginAccountOwnerOffset",
      "docs": [
        "Byte offset of `MarginAccount.owner` in the account data, for memcmp filters."
      ],
      "type": "u32",
      "value": "40"
    },
    {
      "name": "marginAccountSize",
      "docs": [
        "Data length of a `MarginAccount`, discriminator included (a `dataSize` filter)."
      ],
      "type": "u32",
      "value": "944"
    },
    {
      "name": "maxConfLimitBps",
      "docs": [
        "Largest `max_conf_bps` (oracle confidence / price) a bank may configure."
      ],
      "type": "u32",
      "value": "1000"
    },
    {
      "name": "maxDecimals",
      "docs": [
        "Largest mint decimals a bank may list."
      ],
      "type": "u8",
      "value": "18"
    },
    {
      "name": "maxExpo",
      "docs": [
        "Largest oracle exponent accepted."
      ],
      "type": "i32",
      "value": "12"
    },
    {
      "name": "maxLiabWeightBps",
      "docs": [
        "Largest liability weight, in bps (a weight of 10)."
      ],
      "type": "u32",
      "value": "100000"
    },
    {
      "name": "maxMaintRampSecs",
      "docs": [
        "Longest maint-weight ramp a group may set."
      ],
      "type": "u32",
      "value": "2592000"
    },
    {
      "name": "maxPauseSecs",
      "docs": [
        "Longest pause duration a group may set (a pause lapses unless renewed)."
      ],
      "type": "u32",
      "value": "604800"
    },
    {
      "name": "maxStalenessLimitSecs",
      "docs": [
        "Largest `max_staleness_secs` a bank may configure."
      ],
      "type": "u64",
      "value": "900"
    },
    {
      "name": "maxTimelockSecs",
      "docs": [
        "Longest timelock a group may set."
      ],
      "type": "u32",
      "value": "2592000"
    },
    {
      "name": "maxTokenPositions",
      "docs": [
        "Token position slots per margin account (the length of `token_positions`)."
      ],
      "type": "u8",
      "value": "8"
    },
    {
      "name": "minExpo",
      "docs": [
        "Smallest oracle exponent accepted."
      ],
      "type": "i32",
      "value": "-18"
    },
    {
      "name": "minMaintRampSecs",
      "docs": [
        "Shortest maint-weight ramp: a tightened maint weight takes at least this long."
      ],
      "type": "u32",
      "value": "3600"
    },
    {
      "name": "minPauseSecs",
      "docs": [
        "Shortest pause duration a group may set."
      ],
      "type": "u32",
      "value": "3600"
    },
    {
      "name": "minTimelockSecs",
      "docs": [
        "Shortest timelock a group may set: loosening changes wait at least this long."
      ],
      "type": "u32",
      "value": "86400"
    },
    {
      "name": "pythLegacyProgramId",
      "docs": [
        "Owner of legacy Pyth push price accounts (`oracle_kind` 0, `PythLegacy`)."
      ],
      "type": "pubkey",
      "value": "FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH"
    },
    {
      "name": "pythReceiverProgramId",
      "docs": [
        "Owner of Pyth `PriceUpdateV2` accounts (`oracle_kind` 1, `PythPull`): the receiver."
      ],
      "type": "pubkey",
      "value": "rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ"
    },
    {
      "name": "quoteDecimals",
      "docs": [
        "Decimals of quote-native units, the unit of every value and of health: USD × 10^6."
      ],
      "type": "u8",
      "value": "6"
    },
    {
      "name": "vaultSeed",
      "docs": [
        "A bank's vault (token account, authority = the group PDA): `[\"vault\", bank]`."
      ],
      "type": "bytes",
      "value": "[118, 97, 117, 108, 116]"
    }
  ],
  "events": [
    {
      "discriminator": [
        129,
        249,
        226,
        227,
        199,
        82,
        110,
        243
      ],
      "name": "adminProposed"
    },
    {
      "discriminator": [
        70,
        140,
        188,
        68,
        91,
        155,
        10,
        172
      ],
      "name": "bankConfigured"
    },
    {
      "discriminator": [
        94,
        86,
        196,
        195,
        106,
        72,
        227,
        169
      ],
      "name": "bankruptcyResolved"
    },
    {
      "discriminator": [
        150,
        231,
        34,
        202,
        50,
        167,
        73,
        145
      ],
      "name": "breakerChanged"
    },
    {
      "discriminator": [
        226,
        1,
        224,
        100,
        192,
        110,
        58,
        24
      ],
      "name": "changeApplied"
    },
    {
      "discriminator": [
        139,
        179,
        97,
        81,
        214,
        21,
        119,
        93
      ],
      "name": "changeCancelled"
    },
    {
      "discriminator": [
        232,
        143,
        80,
        230,
        125,
        117,
        169,
        213
      ],
      "name": "changeQueued"
    },
    {
      "discriminator": [
        103,
        126,
        239,
        131,
        201,
        31,
        212,
        253
      ],
      "name": "delegateSet"
    },
    {
      "discriminator": [
        96,
        218,
        115,
        136,
        74,
        170,
        202,
        172
      ],
      "name": "feesSwept"
    },
    {
      "discriminator": [
        206,
        76,
        89,
        81,
        126,
        37,
        255,
        224
      ],
      "name": "fundingUpdated"
    },
    {
      "discriminator": [
        132,
        94,
        184,
        198,
        77,
        165,
        13,
        26
      ],
      "name": "groupCreated"
    },
    {
      "discriminator": [
        28,
        10,
        76,
        96,
        226,
        102,
        60,
        65
      ],
      "name": "groupEdited"
    },
    {
      "discriminator": [
        62,
        220,
        191,
        178,
        211,
        207,
        40,
        101
      ],
      "name": "groupPauseSet"
    },
    {
      "discriminator": [
        28,
        203,
        0,
        187,
        252,
        218,
        106,
        132
      ],
      "name": "groupWentLive"
    },
    {
      "discriminator": [
        37,
        242,
        151,
        250,
        84,
        199,
        5,
        77
      ],
      "name": "insuranceDeposited"
    },
    {
      "discriminator": [
        79,
        218,
        196,
        73,
        32,
        148,
        138,
        71
      ],
      "name": "interestAccrued"
    },
    {
      "discriminator": [
        234,
        104,
        71,
        148,
        114,
        30,
        107,
        38
      ],
      "name": "marginAccountClosed"
    },
    {
      "discriminator": [
        157,
        214,
        66,
        63,
        149,
        164,
        160,
        119
      ],
      "name": "marginAccountCreated"
    },
    {
      "discriminator": [
        96,
        121,
        212,
        121,
        217,
        95,
        188,
        7
      ],
      "name": "perpAutoDeleveraged"
    },
    {
      "discriminator": [
        93,
        56,
        100,
        215,
        128,
        149,
        113,
        29
      ],
      "name": "perpBankruptcyResolved"
    },
    {
      "discriminator": [
        43,
        176,
        173,
        48,
        71,
        104,
        197,
        194
      ],
      "name": "perpLiquidated"
    },
    {
      "discriminator": [
        38,
        166,
        68,
        103,
        79,
        228,
        88,
        24
      ],
      "name": "perpLossLiquidated"
    },
    {
      "discriminator": [
        128,
        237,
        12,
        10,
        50,
        230,
        113,
        139
      ],
      "name": "perpMarketConfigured"
    },
    {
      "discriminator": [
        46,
        92,
        239,
        66,
        165,
        125,
        154,
        130
      ],
      "name": "perpMarketEdited"
    },
    {
      "discriminator": [
        139,
        140,
        43,
        94,
        34,
        255,
        245,
        165
      ],
      "name": "perpPairLiquidated"
    },
    {
      "discriminator": [
        252,
        137,
        128,
        232,
        86,
        87,
        69,
        191
      ],
      "name": "perpPnlSettled"
    },
    {
      "discriminator": [
        165,
        142,
        222,
        86,
        51,
        237,
        152,
        73
      ],
      "name": "perpTraded"
    },
    {
      "discriminator": [
        148,
        17,
        86,
        50,
        113,
        125,
        70,
        132
      ],
      "name": "poolDeposited"
    },
    {
      "discriminator": [
        23,
        62,
        221,
        23,
        53,
        222,
        69,
        207
      ],
      "name": "poolWithdrawn"
    },
    {
      "discriminator": [
        104,
        7,
        18,
        187,
        94,
        141,
        251,
        120
      ],
      "name": "tokenDeposited"
    },
    {
      "discriminator": [
        106,
        151,
        243,
        246,
        247,
        212,
        191,
        12
      ],
      "name": "tokenLiquidated"
    },
    {
      "discriminator": [
        35,
        57,
        130,
        51,
        154,
        247,
        155,
        142
      ],
      "name": "tokenWithdrawn"
    }
  ],
  "errors": [
    {
      "code": 6000,
      "name": "mathOverflow",
      "msg": "Arithmetic overflow: the amounts involved are too large for this operation"
    },
    {
      "code": 6001,
      "name": "amountZero",
      "msg": "Amount must be greater than zero"
    },
    {
      "code": 6002,
      "name": "notAdmin",
      "msg": "Only the group admin may do this"
    },
    {
      "code": 6003,
      "name": "notPauseAuthority",
      "msg": "Only the group admin or security admin may pause the group"
    },
    {
      "code": 6004,
      "name": "onlyAdminCanUnpause",
      "msg": "Only the group admin may unpause the group; the security admin may only pause"
    },
    {
      "code": 6005,
      "name": "groupPaused",
      "msg": "The group is paused: withdrawals and borrows are disabled until the admin unpauses"
    },
    {
      "code": 6006,
      "name": "notOwnerOrDelegate",
      "msg": "Signer is neither the margin account's owner nor its delegate"
    },
    {
      "code": 6007,
      "name": "notOwner",
      "msg": "Only the margin account's owner may do this (a delegate may not)"
    },
    {
      "code": 6008,
      "name": "invalidWeights",
      "msg": "Weights must satisfy init_asset <= maint_asset <= 1 <= maint_liab <= init_liab <= 10"
    },
    {
      "code": 6009,
      "name": "invalidInterestCurve",
      "msg": "Interest curve must have 0 < util0 < util1 < 100% and rate0 <= rate1 <= max_rate <= 100%/yr"
    },
    {
      "code": 6010,
      "name": "invalidFees",
      "msg": "Fees out of range: protocol fee and insurance share <= 100%, origination <= 10%, liquidation fee <= 50%"
    },
    {
      "code": 6011,
      "name": "invalidOracleConfig",
      "msg": "Oracle settings invalid: max_staleness_secs must be 1..=900 and max_conf_bps 1..=1000"
    },
    {
      "code": 6012,
      "name": "tokenIndexInUse",
      "msg": "A bank with this token index already exists in the group; pick an unused index"
    },
    {
      "code": 6013,
      "name": "unsupportedMintExtension",
      "msg": "The mint uses a Token-2022 extension this protocol does not support (transfer fee, hook, permanent delegate, default-frozen, ...)"
    },
    {
      "code": 6014,
      "name": "mintDecimalsTooLarge",
      "msg": "Mints with more than 18 decimals are not supported"
    },
    {
      "code": 6015,
      "name": "mintMismatch",
      "msg": "The mint does not match the bank's mint"
    },
    {
      "code": 6016,
      "name": "vaultMismatch",
      "msg": "The token account is not the bank's vault"
    },
    {
      "code": 6017,
      "name": "tokenProgramMismatch",
      "msg": "The token program does not match the bank's token program"
    },
    {
      "code": 6018,
      "name": "groupMismatch",
      "msg": "The account belongs to a different group"
    },
    {
      "code": 6019,
      "name": "oracleMismatch",
      "msg": "The oracle account is not the one configured for this bank"
    },
    {
      "code": 6020,
      "name": "oracleWrongOwner",
      "msg": "The oracle account is not owned by the Pyth program for the bank's oracle kind"
    },
    {
      "code": 6021,
      "name": "oracleInvalidData",
      "msg": "The oracle account data could not be parsed as a Pyth price of the configured kind"
    },
    {
      "code": 6022,
      "name": "oracleNotTrading",
      "msg": "The oracle price status is not Trading; the feed is halted or dead"
    },
    {
      "code": 6023,
      "name": "oracleStale",
      "msg": "The oracle price is older than the bank's max_staleness_secs; post a fresh price first"
    },
    {
      "code": 6024,
      "name": "oracleConfidenceTooWide",
      "msg": "The oracle confidence interval is wider than the bank's max_conf_bps"
    },
    {
      "code": 6025,
      "name": "oraclePriceInvalid",
      "msg": "The oracle price is zero, negative, or has an exponent outside -18..=12"
    },
    {
      "code": 6026,
      "name": "oracleFeedMismatch",
      "msg": "The price update is for a different Pyth feed than the bank's"
    },
    {
      "code": 6027,
      "name": "oracleNotVerified",
      "msg": "The Pyth price update is not fully verified"
    },
    {
      "code": 6028,
      "name": "insufficientWalletBalance",
      "msg": "The wallet's token account holds less than the amount"
    },
    {
      "code": 6029,
      "name": "insufficientVaultLiquidity",
      "msg": "The bank's vault does not hold enough tokens for this withdrawal"
    },
    {
      "code": 6030,
      "name": "borrowNotAllowed",
      "msg": "This withdrawal exceeds the deposit and would borrow; pass allow_borrow to borrow"
    },
    {
      "code": 6031,
      "name": "depositLimitExceeded",
      "msg": "The bank's deposit limit would be exceeded"
    },
    {
      "code": 6032,
      "name": "borrowLimitExceeded",
      "msg": "The bank's borrow limit would be exceeded"
    },
    {
      "code": 6033,
      "name": "bankReduceOnly",
      "msg": "The bank is reduce-only: no new deposits or borrows, only repay and withdraw"
    },
    {
      "code": 6034,
      "name": "healthAccountsCount",
      "msg": "Wrong number of health accounts: pass the bank of every position in slot order, then their oracles"
    },
    {
      "code": 6035,
      "name": "healthBankMismatch",
      "msg": "A health account is not the bank of the position in that slot (missing, extra, duplicated or reordered)"
    },
    {
      "code": 6036,
      "name": "healthOracleMismatch",
      "msg": "A health oracle account is not the oracle of the bank in the same position"
    },
    {
      "code": 6037,
      "name": "healthWouldBeNegative",
      "msg": "Health check failed: init health would end negative (or, while already negative, init or maint health would fall); deposit more or take less"
    },
    {
      "code": 6038,
      "name": "noFreePositionSlot",
      "msg": "All token position slots of this margin account are in use; close one first"
    },
    {
      "code": 6039,
      "name": "accountNotEmpty",
      "msg": "The margin account still has balances; withdraw and repay everything before closing"
    },
    {
      "code": 6040,
      "name": "accountBeingLiquidated",
      "msg": "The margin account is being liquidated"
    },
    {
      "code": 6041,
      "name": "invalidAccount",
      "msg": "The given account is not a valid program account of the expected type"
    },
    {
      "code": 6042,
      "name": "noAssetToSeize",
      "msg": "The liquidatee has no deposit of at least one native unit in the asset bank"
    },
    {
      "code": 6043,
      "name": "noLiabilityToTake",
      "msg": "The liquidatee has no borrow in the liability bank"
    },
    {
      "code": 6044,
      "name": "notLiquidatable",
      "msg": "The account is not liquidatable: maint health is not negative (or, while being liquidated, init health is not negative)"
    },
    {
      "code": 6045,
      "name": "liquidationWouldNotImprove",
      "msg": "Liquidating this asset/liability pair would not improve health; choose another pair"
    },
    {
      "code": 6046,
      "name": "liquidationTooSmall",
      "msg": "The liquidation amount rounds to zero; raise max_liab_transfer or choose another pair"
    },
    {
      "code": 6047,
      "name": "selfLiquidation",
      "msg": "A liquidator cannot liquidate its own account"
    },
    {
      "code": 6048,
      "name": "sameBank",
      "msg": "Asset and liability bank must differ"
    },
    {
      "code": 6049,
      "name": "notBankrupt",
      "msg": "The account is not bankrupt: it still has a deposit, or has no borrow in this bank"
    },
    {
      "code": 6050,
      "name": "tokenAccountFrozen",
      "msg": "The token account is frozen; thaw it (or use another) and retry"
    },
    {
      "code": 6051,
      "name": "newPositionNotOwner",
      "msg": "Only the account's owner or delegate may open a new position; anyone may add to a position the account already holds"
    },
    {
      "code": 6052,
      "name": "liquidationPairUnsafe",
      "msg": "This config makes a pair of banks unliquidatable: need (1 + both liquidation fees) x init asset weight < init liability weight, and x maint asset weight <= maint liability weight, for every pair"
    },
    {
      "code": 6053,
      "name": "bankListIncomplete",
      "msg": "Pass every other bank of the group in remaining_accounts, once each, so the new config can be checked against all of them"
    },
    {
      "code": 6054,
      "name": "reservedTokenIndex",
      "msg": "Token index 65535 is reserved (it marks a free position slot); pick another"
    },
    {
      "code": 6055,
      "name": "oracleNotCanonical",
      "msg": "A pull oracle must be Pyth's sponsored price feed account for its feed id (shard 0), whose write authority is itself"
    },
    {
      "code": 6056,
      "name": "bankInsolvent",
      "msg": "This bank recorded unrecoverable bad debt (its depositors were wiped out to the index floor): it takes no new deposits; repay, withdraw and liquidation still work"
    },
    {
      "code": 6057,
      "name": "invalidGuardrailConfig",
      "msg": "Stable growth must be 1..=10000 bps/h, breaker band 100..=10000 bps, net outflow limit 500..=10000 bps of deposits, outflow window 60..=86400 s"
    },
    {
      "code": 6058,
      "name": "invalidGroupSettings",
      "msg": "Timelock must be 1..=30 days, maint ramp 1 hour..=30 days, pause duration 1 hour..=7 days"
    },
    {
      "code": 6059,
      "name": "breakerBorrowReduceOnly",
      "msg": "This bank's oracle is further from its stable price than the breaker band: new borrows of it, and withdrawals of it from an account with debt, are refused until the gap closes (deposits, repays and liquidations still work)"
    },
    {
      "code": 6060,
      "name": "netOutflowLimit",
      "msg": "The bank's net outflow limit for this window is reached; the program log says when the window resets (deposits, repays and liquidations are never limited)"
    },
    {
      "code": 6061,
      "name": "looseningNeedsTimelock",
      "msg": "This change loosens risk on a live group: queue it (bank_queue_edit / group_queue_edit) and apply it after the timelock; the log names the field"
    },
    {
      "code": 6062,
      "name": "changeNotYetEffective",
      "msg": "This change is still inside its timelock; the log says when it may be applied"
    },
    {
      "code": 6063,
      "name": "looseningStepTooLarge",
      "msg": "A loosening exceeds its per-change bound (asset weights may rise and liability weights fall by at most 0.1, limits at most double); queue it in smaller steps. The log names the field"
    },
    {
      "code": 6064,
      "name": "newBankAssetWeightNotZero",
      "msg": "A bank listed on a live group must start with asset weights 0; raise them through the timelocked queue"
    },
    {
      "code": 6065,
      "name": "invalidAdmin",
      "msg": "The default pubkey, or the current admin, cannot be proposed as admin"
    },
    {
      "code": 6066,
      "name": "notPendingAdmin",
      "msg": "Only the proposed admin may accept the hand-over, once its timelock has passed"
    },
    {
      "code": 6067,
      "name": "groupNotLive",
      "msg": "Margin accounts can be opened only once the admin has declared the group live"
    },
    {
      "code": 6068,
      "name": "groupAlreadyLive",
      "msg": "The group is already live"
    },
    {
      "code": 6069,
      "name": "changeTargetMismatch",
      "msg": "This queued change belongs to another bank, group or kind"
    },
    {
      "code": 6070,
      "name": "changeStale",
      "msg": "The bank or group changed since this change was queued; cancel it and queue it again"
    },
    {
      "code": 6071,
      "name": "changeEmpty",
      "msg": "The change is empty: the new settings equal the current ones"
    },
    {
      "code": 6072,
      "name": "notCancelAuthority",
      "msg": "Only the group admin or security admin may cancel a queued change"
    },
    {
      "code": 6073,
      "name": "changeExpired",
      "msg": "This queued change expired (not applied within 7 days of becoming due); cancel it and queue it again"
    },
    {
      "code": 6074,
      "name": "noFreePerpSlot",
      "msg": "All perp position slots of this margin account are in use; close or settle one first"
    },
    {
      "code": 6075,
      "name": "invalidPerpConfig",
      "msg": "Perp config invalid: weights need init_asset <= maint_asset < 1 < maint_liab <= init_liab; 0 < liquidation fee < both init margins; trading fee <= 5%, impact <= 20%, funding clamp <= 1%/h, hedge weights within the market's margins, settle window 60..=86400 s, non-zero OI cap, settle limit and ADL threshold"
    },
    {
      "code": 6076,
      "name": "healthPerpMismatch",
      "msg": "A perp market account does not match the position in that slot, or the market is not this group's (missing, extra, duplicated or reordered)"
    },
    {
      "code": 6077,
      "name": "settleBankMismatch",
      "msg": "The settle bank must be a bank of this group whose mint has the quote decimals (6) and is the pool vault's mint"
    },
    {
      "code": 6078,
      "name": "perpIndexInUse",
      "msg": "A perp market with this index already exists in the group; pick an unused index"
    },
    {
      "code": 6079,
      "name": "openInterestCap",
      "msg": "This trade would take the market's open interest on its side above max_open_interest; trade less"
    },
    {
      "code": 6080,
      "name": "poolReserveBreached",
      "msg": "The pool would keep less than its reserve (pool_reserve_bps of the net open interest notional); trade or withdraw less"
    },
    {
      "code": 6081,
      "name": "limitPriceExceeded",
      "msg": "The execution price is worse than the limit price; raise (buy) or lower (sell) the limit, or trade less to pay less impact"
    },
    {
      "code": 6082,
      "name": "perpReduceOnly",
      "msg": "The perp market is reduce-only: positions may only shrink"
    },
    {
      "code": 6083,
      "name": "perpBreakerReduceOnly",
      "msg": "The perp oracle is further from its stable price than the breaker band: only trades that shrink a position are accepted until the gap closes"
    },
    {
      "code": 6084,
      "name": "noPerpPosition",
      "msg": "The account has no position in this perp market"
    },
    {
      "code": 6085,
      "name": "nothingToSettle",
      "msg": "Nothing to do: the position has no PnL to settle, or the pool cannot pay any of it now (settle limit of this window reached, or the vault is empty)"
    },
    {
      "code": 6086,
      "name": "poolAmountInvalid",
      "msg": "LP shares and pool amounts must be positive and the pool must have value; a first deposit mints shares 1:1"
    },
    {
      "code": 6087,
      "name": "perpPositionsOpen",
      "msg": "Close or settle the account's perp positions first: bankruptcy needs every perp position flat with no unsettled profit"
    },
    {
      "code": 6088,
      "name": "perpTradeSizeInvalid",
      "msg": "Trade size must be non-zero and at most the market's open interest cap"
    },
    {
      "code": 6089,
      "name": "newPerpPnlWeightNotZero",
      "msg": "A perp market listed on a live group must start with init_pnl_weight_bps = 0"
    },
    {
      "code": 6090,
      "name": "notHedged",
      "msg": "The perp does not hedge this bank's balance (they must share an oracle and decimals, hedge each other's side and the hedge weights must be valid for both): use perp_liquidate or token_liquidate"
    },
    {
      "code": 6091,
      "name": "adlNotNeeded",
      "msg": "Traders' net unsettled PnL in this market is within the pool's ADL threshold: nothing to deleverage"
    },
    {
      "code": 6092,
      "name": "positionNotProfitable",
      "msg": "This perp position has no whole unit of profit at the protected price: auto-deleveraging takes the most profitable positions first"
    },
    {
      "code": 6093,
      "name": "adlWouldEndangerAccount",
      "msg": "Deleveraging this position would lower the account's maint health below zero (it breaks a hedge): deleverage another position"
    },
    {
      "code": 6094,
      "name": "adlBreakerTripped",
      "msg": "The perp oracle is further from its stable price than the breaker band: auto-deleveraging waits until the stable price confirms the move"
    },
    {
      "code": 6095,
      "name": "adlBelowAverageProfit",
      "msg": "This position's profit per unit of size is below its side's average: auto-deleveraging takes the most profitable positions first; deleverage a more profitable one"
    },
    {
      "code": 6096,
      "name": "poolWithdrawWouldTriggerAdl",
      "msg": "This withdrawal would leave traders' unsettled profit above the pool's ADL threshold (adl_threshold_bps of the vault): withdraw less, or wait until profits are settled or the market rebalances"
    },
    {
      "code": 6097,
      "name": "settleSlotReserved",
      "msg": "This account's perp positions need a free token slot for their settle token (settling, bankruptcy and auto-deleveraging pay through it): deposit the settle token first, or close a perp position or a token position"
    },
    {
      "code": 6098,
      "name": "perpPositionNotFlat",
      "msg": "The perp position still holds base: close it with perp_liquidate (or perp_liquidate_pair) first; perp_liquidate_loss takes over a flat position's loss only"
    },
    {
      "code": 6099,
      "name": "noPerpLoss",
      "msg": "The flat perp position has no loss to take over (its quote is not negative): settle a profit with perp_settle_pnl instead"
    }
  ]
};
