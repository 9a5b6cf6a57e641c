// Checks the committed IDL (idl/cross_margin.json) the way a TypeScript integrator uses it:
//
// 1. The IDL documents itself: program docs, docs on every instruction naming its
//    `remaining_accounts`, and the constants an integrator needs.
// 2. Each Anchor TypeScript client installed here (`@coral-xyz/anchor`, `@anchor-lang/core`)
//    loads it as a `Program` and decodes the samples the Rust test wrote to idl/samples/
//    (real Group, Bank and MarginAccount bytes, and a TokenDeposited event): every field
//    must equal the value the Rust side read, through the Program's camelCase coder, a plain
//    BorshCoder on the JSON as committed, and (for the event) the EventParser on the log
//    lines a cluster would print.
// 3. The constants agree with the samples: PDAs derived from the seed constants are the
//    sampled addresses, sizes and memcmp offsets match the bytes, free slots carry
//    FREE_TOKEN_INDEX, there are MAX_TOKEN_POSITIONS slots.
//
// Prints every check it makes; exits 1 on any failure. Run by scripts/check-idl-ts.sh.
"use strict";

const fs = require("fs");
const path = require("path");
const { Canon, differences } = require("./canon");

const ROOT = path.resolve(__dirname, "..", "..");
const IDL_PATH = path.join(ROOT, "idl", "cross_margin.json");
const SAMPLES = path.join(ROOT, "idl", "samples");
const REGENERATE =
  "UPDATE_IDL_SAMPLES=1 cargo test -p cross-margin-tests --test core idl_samples";
const CLIENTS = ["@coral-xyz/anchor", "@anchor-lang/core"];
const REQUIRED_CONSTANTS = [
  "GROUP_SEED", "BANK_SEED", "VAULT_SEED", "INSURANCE_SEED", "ACCOUNT_SEED", "CHANGE_SEED",
  "FREE_TOKEN_INDEX", "MAX_TOKEN_POSITIONS", "QUOTE_DECIMALS", "I80F48_FRACTIONAL_BITS", "BPS",
  "MAX_DECIMALS", "MARGIN_ACCOUNT_GROUP_OFFSET", "MARGIN_ACCOUNT_OWNER_OFFSET",
  "MARGIN_ACCOUNT_SIZE", "BANK_SIZE", "GROUP_SIZE", "MIN_TIMELOCK_SECS", "MAX_TIMELOCK_SECS",
  "MIN_MAINT_RAMP_SECS", "MAX_MAINT_RAMP_SECS", "MIN_PAUSE_SECS", "MAX_PAUSE_SECS",
  "CHANGE_EXPIRY_SECS", "PYTH_LEGACY_PROGRAM_ID", "PYTH_RECEIVER_PROGRAM_ID",
];

let failures = 0;
let passes = 0;

function check(ok, what, detail) {
  if (ok) {
    passes += 1;
    console.log(`  ok    ${what}`);
  } else {
    failures += 1;
    console.log(`  FAIL  ${what}${detail ? `: ${detail}` : ""}`);
  }
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`cannot read ${path.relative(ROOT, file)}: ${e.message}`);
    process.exit(1);
  }
}

/// The constant's value as the IDL states it: a BigInt for integers, a Buffer for bytes,
/// a string for public keys.
function constantValue(c) {
  if (c.type === "bytes") return Buffer.from(JSON.parse(c.value));
  if (c.type === "pubkey") return c.value;
  return BigInt(c.value);
}

function checkDocsAndConstants(idl) {
  console.log("IDL docs and constants");
  check(Array.isArray(idl.docs) && idl.docs.join(" ").includes("remaining_accounts"),
    "the program docs describe the health accounts in remaining_accounts");
  for (const ix of idl.instructions) {
    const docs = (ix.docs || []).join(" ");
    check(docs.length > 0 && docs.includes("remaining_accounts"),
      `instruction ${ix.name} is documented, remaining_accounts included`,
      docs.length ? "its docs never mention remaining_accounts" : "no docs");
  }
  const constants = Object.fromEntries((idl.constants || []).map((c) => [c.name, c]));
  for (const name of REQUIRED_CONSTANTS) {
    const c = constants[name];
    check(c !== undefined && (c.docs || []).length > 0, `constant ${name} is exported with docs`,
      c ? "no docs" : "missing");
  }
  const values = {};
  for (const [name, c] of Object.entries(constants)) values[name] = constantValue(c);
  return values;
}

function loadSamples() {
  if (!fs.existsSync(SAMPLES)) {
    console.error(`idl/samples/ is missing: generate it with ${REGENERATE}`);
    process.exit(1);
  }
  return fs.readdirSync(SAMPLES).filter((f) => f.endsWith(".json")).sort()
    .map((f) => ({ file: f, ...readJson(path.join(SAMPLES, f)) }));
}

function camelOf(program, rawIdl, kind, rawName) {
  const i = rawIdl[kind].findIndex((x) => x.name === rawName);
  if (i < 0) throw new Error(`${kind} ${rawName} is not in the IDL`);
  return program.idl[kind][i].name;
}

function reportDiff(what, actual, expected, root) {
  const diffs = differences(actual, expected, root);
  check(diffs.length === 0, what, diffs.length ? `\n          ${diffs.join("\n          ")}` : "");
}

/// Decode every sample with one client: through its Program (camelCase names) and a plain
/// BorshCoder on the committed JSON; events also through the EventParser.
function checkClient(clientName, idl, samples, fractionalBits) {
  const anchor = require(clientName);
  const version = require(`${clientName}/package.json`).version;
  console.log(`${clientName} ${version}`);
  const connection = new anchor.web3.Connection("http://127.0.0.1:8899");
  let program;
  try {
    program = new anchor.Program(idl, { connection });
  } catch (e) {
    check(false, "loads the IDL as a Program", e.message);
    return;
  }
  check(program.programId.toBase58() === idl.address, "loads the IDL as a Program");
  const raw = new anchor.BorshCoder(idl);
  const viaProgram = new Canon(idl, program.idl, fractionalBits);
  const viaRaw = new Canon(idl, idl, fractionalBits);

  for (const s of samples) {
    const bytes = Buffer.from(s.data_base64, "base64");
    try {
      if (s.kind === "account") {
        const name = camelOf(program, idl, "accounts", s.name);
        const typeName = camelOf(program, idl, "types", s.name);
        const decoded = program.coder.accounts.decode(name, bytes);
        reportDiff(`${s.file}: program.coder.accounts.decode("${name}") gives the Rust values`,
          viaProgram.defined(s.name, typeName, decoded, s.name), s.fields, s.name);
        const plain = raw.accounts.decode(s.name, bytes);
        reportDiff(`${s.file}: BorshCoder(idl).accounts.decode("${s.name}") gives the Rust values`,
          viaRaw.defined(s.name, s.name, plain, s.name), s.fields, s.name);
      } else if (s.kind === "event") {
        const typeName = camelOf(program, idl, "types", s.name);
        const event = program.coder.events.decode(s.data_base64);
        check(event && event.name === camelOf(program, idl, "events", s.name),
          `${s.file}: program.coder.events.decode names the event ${s.name}`);
        if (event) {
          reportDiff(`${s.file}: the decoded event gives the Rust values`,
            viaProgram.defined(s.name, typeName, event.data, s.name), s.fields, s.name);
        }
        const logs = [
          `Program ${s.program_id} invoke [1]`,
          `Program data: ${s.data_base64}`,
          `Program ${s.program_id} success`,
        ];
        const parsed = [...new anchor.EventParser(program.programId, program.coder).parseLogs(logs)];
        check(parsed.length === 1 && parsed[0].name === event.name,
          `${s.file}: EventParser finds the event in "Program data:" log lines`);
        const plain = raw.events.decode(s.data_base64);
        reportDiff(`${s.file}: BorshCoder(idl).events.decode gives the Rust values`,
          plain ? viaRaw.defined(s.name, s.name, plain.data, s.name) : null, s.fields, s.name);
      } else {
        check(false, `${s.file}: known sample kind`, `kind ${s.kind}`);
      }
    } catch (e) {
      check(false, `${s.file}: decodes`, e.message);
    }
  }
}

/// The constants against the sampled accounts (seeds, sizes, offsets, slots).
function checkConstantsAgainstSamples(idl, c, samples, PublicKey) {
  console.log("constants against the samples");
  const by = Object.fromEntries(samples.map((s) => [s.name, s]));
  const programId = new PublicKey(idl.address);
  const pda = (seeds) => PublicKey.findProgramAddressSync(seeds, programId)[0].toBase58();
  const key = (s) => new PublicKey(s).toBuffer();
  const le = (n, bytes) => {
    const b = Buffer.alloc(bytes);
    b.writeUIntLE(Number(n), 0, bytes);
    return b;
  };
  const { Group: group, Bank: bank, MarginAccount: account } = by;
  if (!check(group && bank && account, "samples of a Group, a Bank and a MarginAccount exist",
    `regenerate with ${REGENERATE}`)) return;
  const g = group.fields;
  const b = bank.fields;
  const a = account.fields;
  check(pda([c.GROUP_SEED, key(g.creator), le(g.group_num, 4)]) === group.address,
    "GROUP_SEED: [seed, creator, group_num u32 LE] derives the group's address");
  check(pda([c.BANK_SEED, key(b.group), le(b.token_index, 2)]) === bank.address,
    "BANK_SEED: [seed, group, token_index u16 LE] derives the bank's address");
  check(pda([c.VAULT_SEED, key(bank.address)]) === b.vault, "VAULT_SEED derives the bank's vault");
  check(pda([c.INSURANCE_SEED, key(bank.address)]) === b.insurance_vault,
    "INSURANCE_SEED derives the bank's insurance vault");
  check(pda([c.ACCOUNT_SEED, key(a.group), key(a.owner), le(a.account_num, 4)]) === account.address,
    "ACCOUNT_SEED: [seed, group, owner, account_num u32 LE] derives the margin account's address");
  for (const [s, size] of [[group, "GROUP_SIZE"], [bank, "BANK_SIZE"], [account, "MARGIN_ACCOUNT_SIZE"]]) {
    const len = Buffer.from(s.data_base64, "base64").length;
    check(BigInt(len) === c[size], `${size} = ${c[size]} is the sampled ${s.name}'s length`, `data is ${len} bytes`);
  }
  const data = Buffer.from(account.data_base64, "base64");
  const at = (off) => new PublicKey(data.subarray(Number(off), Number(off) + 32)).toBase58();
  check(at(c.MARGIN_ACCOUNT_GROUP_OFFSET) === a.group, "MARGIN_ACCOUNT_GROUP_OFFSET points at the group");
  check(at(c.MARGIN_ACCOUNT_OWNER_OFFSET) === a.owner, "MARGIN_ACCOUNT_OWNER_OFFSET points at the owner");
  check(BigInt(a.token_positions.length) === c.MAX_TOKEN_POSITIONS,
    `MAX_TOKEN_POSITIONS = ${c.MAX_TOKEN_POSITIONS} is the number of position slots`);
  const free = a.token_positions.filter((p) => BigInt(p.token_index) === c.FREE_TOKEN_INDEX);
  const active = a.token_positions.filter((p) => BigInt(p.token_index) !== c.FREE_TOKEN_INDEX);
  check(free.length > 0 && active.length > 0 && free.every((p) => p.indexed.bits === "0"),
    `free slots carry FREE_TOKEN_INDEX = ${c.FREE_TOKEN_INDEX} and a zero balance`,
    `${free.length} free, ${active.length} active slots in the sample`);
}

function main() {
  if (!fs.existsSync(IDL_PATH)) {
    console.error("idl/cross_margin.json is missing: run python3 scripts/build-idl.py");
    process.exit(1);
  }
  const idl = readJson(IDL_PATH);
  const samples = loadSamples();
  console.log(`${path.relative(ROOT, IDL_PATH)}: ${idl.instructions.length} instructions, ` +
    `${idl.accounts.length} accounts, ${idl.events.length} events, ${idl.constants.length} constants; ` +
    `${samples.length} samples (${samples.map((s) => s.name).join(", ")})`);
  const constants = checkDocsAndConstants(idl);
  const fractionalBits = Number(constants.I80F48_FRACTIONAL_BITS);
  if (!Number.isInteger(fractionalBits)) {
    console.log("  FAIL  cannot decode I80F48 values without I80F48_FRACTIONAL_BITS");
    process.exit(1);
  }
  for (const client of CLIENTS) checkClient(client, idl, samples, fractionalBits);
  checkConstantsAgainstSamples(idl, constants, samples, require(CLIENTS[0]).web3.PublicKey);
  console.log(`${passes} passed, ${failures} failed`);
  if (failures > 0) {
    console.log(`If the program changed on purpose, regenerate the IDL (python3 scripts/build-idl.py) ` +
      `and the samples (${REGENERATE}).`);
    process.exit(1);
  }
}

main();
