#!/usr/bin/env python3
"""Build the program's IDL without the SBF toolchain, and its TypeScript type file.

`anchor build` needs `cargo build-sbf`, which cannot be installed here. The IDL itself does not
need SBF: with the `idl-build` feature the program prints its IDL pieces from a test
(`__anchor_private_print_idl`). This script runs that test and assembles the pieces exactly as
anchor-lang-idl's `build` does, writing idl/cross_margin.json.

Beside it, idl/cross_margin.ts is the type that `anchor build` writes to target/types: the
IDL with every identifier-like string value in lower camel case (the names the Anchor
TypeScript client uses at run time), as `export type CrossMargin = {...}`. It is derived
from the JSON alone, so checking it is cheap.

Usage:
  python3 scripts/build-idl.py              build the IDL, write the JSON and the .ts
  python3 scripts/build-idl.py --check      build the IDL, fail if the JSON or the .ts differ
  python3 scripts/build-idl.py --ts         write the .ts from the committed JSON (no build)
  python3 scripts/build-idl.py --check-ts   fail if the .ts does not match the committed
                                            JSON (no build; what CI runs)
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "programs" / "cross-margin"
JSON_PATH = ROOT / "idl" / "cross_margin.json"
TS_PATH = ROOT / "idl" / "cross_margin.ts"
REGENERATE = "python3 scripts/build-idl.py"


# ---- Building the JSON (cargo) ----

def run_print_test():
    env = dict(os.environ,
               ANCHOR_IDL_BUILD_PROGRAM_PATH=str(PROGRAM),
               ANCHOR_IDL_BUILD_RESOLUTION="TRUE",
               ANCHOR_IDL_BUILD_SKIP_LINT="FALSE",
               ANCHOR_IDL_BUILD_NO_DOCS="FALSE",
               RUSTFLAGS="-A warnings")
    env.setdefault("CARGO_TARGET_DIR", str(ROOT / "target" / "idl"))
    run = subprocess.run(["cargo", "test", "__anchor_private_print_idl", "--features", "idl-build",
                          "--", "--show-output", "--quiet"],
                         cwd=PROGRAM, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stderr)
        sys.exit("IDL build failed (the cargo output is above)")
    return run.stdout


def assemble(stdout):
    """The IDL from the print test's sections, as anchor-lang-idl's `build` assembles it."""
    address, constants, events, errors, types, idl = "", [], [], None, {}, None
    state, lines = "pass", []
    for line in stdout.splitlines():
        if state == "pass":
            if line == "--- IDL begin address ---":
                state = "address"
            elif line.startswith("--- IDL begin ") and line.endswith(" ---"):
                state, lines = line[len("--- IDL begin "):-4], []
            continue
        if state == "address":
            address, state = "".join(c for c in line if c.isalnum()), "pass"
            continue
        if line == f"--- IDL end {state} ---":
            doc = json.loads("\n".join(lines))
            if state == "const":
                constants.append(doc)
            elif state == "event":
                events.append(doc["event"])
                types.update({t["name"]: t for t in doc["types"]})
            elif state == "errors":
                errors = doc
            elif state == "program":
                idl = doc
            state = "pass"
            continue
        lines.append(line)

    if idl is None:
        sys.exit("no program IDL in the test output")
    idl["address"] = address
    idl["constants"] = constants
    idl["events"] = events
    idl["errors"] = errors or []
    types.update({t["name"]: t for t in idl.get("types", [])})
    idl["types"] = list(types.values())

    # As anchor-lang-idl does: module paths become bare names where that is unambiguous, and
    # every list is sorted by name for stable output.
    text = json.dumps(idl)
    for m in set(re.finditer(r'"(\w+::)+(\w+)"', text)):
        path, name = m.group(0), m.group(2)
        replaced = text.replace(path, f'"{name}"')
        if not re.search(rf'"(\w+::)+{name}"', replaced):
            text = replaced
    idl = json.loads(text)
    for key in ("accounts", "constants", "events", "instructions", "types"):
        idl[key] = sorted(idl.get(key, []), key=lambda x: x["name"])
    return json.dumps(idl, indent=2) + "\n"


# ---- The TypeScript type (no cargo) ----

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def is_pubkey(s):
    """True if `s` parses as a base58 public key (32 bytes), as Anchor's CLI tests it."""
    if not 32 <= len(s) <= 44 or any(c not in BASE58 for c in s):
        return False
    n = 0
    for c in s:
        n = n * 58 + BASE58.index(c)
    leading_zeros = len(s) - len(s.lstrip("1"))
    return leading_zeros + (n.bit_length() + 7) // 8 == 32


def words(s):
    """Split an identifier into words the way the `heck` crate does (which Anchor's CLI
    uses): on non-alphanumerics, before an upper-case letter that follows a lower-case one,
    and before the last capital of a run followed by a lower-case letter ("HTTPServer" is
    "HTTP", "Server"). Digits take the case of what precedes them."""
    out = []
    for part in re.split(r"[\W_]+", s):
        start, mode = 0, None  # mode: case of the last cased character in the word
        for i, c in enumerate(part):
            nxt = part[i + 1] if i + 1 < len(part) else None
            if nxt is None:
                out.append(part[start:])
                break
            here = "lower" if c.islower() else "upper" if c.isupper() else mode
            if here == "lower" and nxt.isupper():
                out.append(part[start:i + 1])
                start, mode = i + 1, None
            elif mode == "upper" and c.isupper() and nxt.islower():
                out.append(part[start:i])
                start, mode = i, None
            else:
                mode = here
    return [w for w in out if w]


def lower_camel(s):
    ws = words(s)
    return "".join([ws[0].lower()] + [w[:1].upper() + w[1:].lower() for w in ws[1:]]) if ws else ""


def pascal(s):
    return "".join(w[:1].upper() + w[1:].lower() for w in words(s))


def ts_source(idl_text):
    """idl/cross_margin.ts for the IDL JSON `idl_text`.

    Every string value that is a single identifier (`"key":"value"` with value made of
    word characters; never a public key) is renamed to lower camel case wherever that exact
    string occurs, as `anchor build` does for target/types: instruction, account, type,
    field, event and error names, relations and PDA paths."""
    idl = json.loads(idl_text)
    compact = json.dumps(idl, separators=(",", ":"), ensure_ascii=False)
    renamed = compact
    for m in re.finditer(r'"\w+":"(\w+)"', compact):
        name = m.group(1)
        if not is_pubkey(name):
            renamed = renamed.replace(f'"{name}"', f'"{lower_camel(name)}"')
    body = json.dumps(json.loads(renamed), indent=2, ensure_ascii=False)
    program = idl["metadata"]["name"]
    return (
        "/**\n"
        f" * TypeScript type of the `{program}` IDL, for `new Program<{pascal(program)}>(idl, provider)`\n"
        " * with the Anchor TypeScript client: the content of idl/cross_margin.json with names in\n"
        " * camelCase, as the client uses them. Generated from that file by\n"
        f" * `{REGENERATE}`; do not edit. Import the JSON itself for the IDL value.\n"
        " */\n"
        f"export type {pascal(program)} = {body};\n"
    )


# ---- Command line ----

def compare(path, expected, how):
    if not path.exists():
        sys.exit(f"{path.relative_to(ROOT)} is missing: run {how}")
    if path.read_text() != expected:
        sys.exit(f"{path.relative_to(ROOT)} is out of date: run {how}")
    print(f"{path.relative_to(ROOT)} is up to date")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="build the IDL and fail if idl/cross_margin.json or .ts differ")
    mode.add_argument("--ts", action="store_true",
                      help="write idl/cross_margin.ts from the committed JSON, without building")
    mode.add_argument("--check-ts", action="store_true",
                      help="fail if idl/cross_margin.ts does not match the committed JSON")
    args = parser.parse_args()

    if args.ts or args.check_ts:
        if not JSON_PATH.exists():
            sys.exit(f"{JSON_PATH.relative_to(ROOT)} is missing: run {REGENERATE}")
        ts = ts_source(JSON_PATH.read_text())
        if args.check_ts:
            compare(TS_PATH, ts, f"{REGENERATE} --ts")
        else:
            TS_PATH.write_text(ts)
            print(f"wrote {TS_PATH.relative_to(ROOT)}")
        return

    text = assemble(run_print_test())
    ts = ts_source(text)
    if args.check:
        compare(JSON_PATH, text, REGENERATE)
        compare(TS_PATH, ts, REGENERATE)
        return
    JSON_PATH.parent.mkdir(exist_ok=True)
    JSON_PATH.write_text(text)
    TS_PATH.write_text(ts)
    idl = json.loads(text)
    print(f"wrote {JSON_PATH.relative_to(ROOT)} ({len(idl['instructions'])} instructions, "
          f"{len(idl['types'])} types, {len(idl['errors'])} errors, "
          f"{len(idl['constants'])} constants) and {TS_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
