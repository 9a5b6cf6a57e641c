// Canonical JSON of a value decoded by an Anchor TypeScript client, in the form the Rust
// test tests/tests/core/idl_samples.rs writes its expected values: public keys in base58,
// integers up to 32 bits as numbers, 64- and 128-bit integers as decimal strings, byte
// arrays as hex, structs as objects keyed by the IDL's (snake_case) field names, and an
// `I80F48Bytes` as { bits: <i128 decimal>, value: bits / 2^fractionalBits }.
//
// The walk follows two copies of the IDL side by side: the committed JSON (`raw`, whose
// names the samples use) and the IDL the client decoded with (`used`: the same IDL after
// the client's own camelCase conversion, or the raw one for a plain BorshCoder), so every
// decoded key is looked up under the exact name the client gave it.
"use strict";

const NUMBER_TYPES = new Set(["u8", "i8", "u16", "i16", "u32", "i32", "f32", "f64"]);
const BIG_TYPES = new Set(["u64", "i64", "u128", "i128"]);

function hex(bytes) {
  return Buffer.from(bytes).toString("hex");
}

/// The signed little-endian 128-bit integer in `bytes`, as a BigInt.
function i128FromLe(bytes) {
  if (bytes.length !== 16) throw new Error(`I80F48Bytes.bits has ${bytes.length} bytes, not 16`);
  let v = 0n;
  for (let i = 15; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return bytes[15] & 0x80 ? v - (1n << 128n) : v;
}

class Canon {
  /// `raw`, `used`: the two IDLs (see above); `fractionalBits`: from the IDL constant.
  constructor(raw, used, fractionalBits) {
    this.raw = raw;
    this.used = used;
    this.fractionalBits = fractionalBits;
  }

  typeDef(idl, name) {
    const def = idl.types.find((t) => t.name === name);
    if (!def) throw new Error(`type ${name} is not in the IDL`);
    return def;
  }

  /// Canonical form of `value`, decoded for raw IDL type `rawTy` (client type `usedTy`).
  value(rawTy, usedTy, value, path) {
    if (value === undefined) throw new Error(`${path}: missing from the decoded value`);
    if (typeof rawTy === "string") {
      if (rawTy === "bool" || rawTy === "string" || NUMBER_TYPES.has(rawTy)) return value;
      if (BIG_TYPES.has(rawTy)) return value.toString(10);
      if (rawTy === "pubkey") return value.toBase58();
      if (rawTy === "bytes") return hex(value);
      throw new Error(`${path}: unsupported IDL type ${rawTy}`);
    }
    if (rawTy.array) {
      const [inner, len] = rawTy.array;
      if (value.length !== len) throw new Error(`${path}: ${value.length} elements, IDL says ${len}`);
      if (inner === "u8") return hex(value);
      return value.map((v, i) => this.value(inner, usedTy.array[0], v, `${path}[${i}]`));
    }
    if (rawTy.option) {
      return value === null ? null : this.value(rawTy.option, usedTy.option, value, path);
    }
    if (rawTy.vec) return value.map((v, i) => this.value(rawTy.vec, usedTy.vec, v, `${path}[${i}]`));
    if (rawTy.defined) return this.defined(rawTy.defined.name, usedTy.defined.name, value, path);
    throw new Error(`${path}: unsupported IDL type ${JSON.stringify(rawTy)}`);
  }

  defined(rawName, usedName, value, path) {
    if (rawName === "I80F48Bytes") {
      const bits = i128FromLe(value.bits);
      return { bits: bits.toString(10), value: Number(bits) / 2 ** this.fractionalBits };
    }
    const raw = this.typeDef(this.raw, rawName).type;
    const used = this.typeDef(this.used, usedName).type;
    if (raw.kind === "struct") return this.fields(raw.fields, used.fields, value, path);
    if (raw.kind === "enum") {
      const keys = Object.keys(value);
      if (keys.length !== 1) throw new Error(`${path}: an enum value needs one variant key`);
      const i = used.variants.findIndex((v) => v.name === keys[0]);
      if (i < 0) throw new Error(`${path}: unknown variant ${keys[0]}`);
      const inner = raw.variants[i].fields
        ? this.fields(raw.variants[i].fields, used.variants[i].fields, value[keys[0]], path)
        : null;
      return { [raw.variants[i].name]: inner };
    }
    throw new Error(`${path}: unsupported type kind ${raw.kind}`);
  }

  /// A struct's named fields (the raw and used lists are the same fields in the same order).
  fields(rawFields, usedFields, value, path) {
    const out = {};
    rawFields.forEach((f, i) => {
      out[f.name] = this.value(f.type, usedFields[i].type, value[usedFields[i].name], `${path}.${f.name}`);
    });
    return out;
  }
}

/// Paths where `actual` and `expected` differ (both canonical JSON), at most `limit`.
function differences(actual, expected, path = "", out = [], limit = 20) {
  if (out.length >= limit) return out;
  const isObj = (v) => v !== null && typeof v === "object";
  if (isObj(actual) && isObj(expected) && Array.isArray(actual) === Array.isArray(expected)) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const k of [...keys].sort()) {
      const p = Array.isArray(actual) ? `${path}[${k}]` : `${path}.${k}`;
      if (!(k in actual)) out.push(`${p}: expected ${JSON.stringify(expected[k])}, not decoded (field missing from the IDL?)`);
      else if (!(k in expected)) out.push(`${p}: decoded ${JSON.stringify(actual[k])}, not in the sample (add it to idl_samples.rs)`);
      else differences(actual[k], expected[k], p, out, limit);
    }
  } else if (actual !== expected) {
    out.push(`${path}: decoded ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
  return out;
}

module.exports = { Canon, differences, i128FromLe };
