#!/usr/bin/env python3
"""Build the program's IDL without the SBF toolchain.

`anchor build` needs `cargo build-sbf`, which cannot be installed here. The IDL itself does not
need SBF: with the `idl-build` feature the program prints its IDL pieces from a test
(`__anchor_private_print_idl`). This script runs that test and assembles the pieces exactly as
anchor-lang-idl's `build` does, writing idl/cross_margin.json.

Usage: python3 scripts/build-idl.py [--check]   (--check: fail if the committed IDL differs)
"""
import json, os, pathlib, subprocess, sys

root = pathlib.Path(__file__).resolve().parent.parent
program = root / "programs" / "cross-margin"
out_path = root / "idl" / "cross_margin.json"
env = dict(os.environ,
           ANCHOR_IDL_BUILD_PROGRAM_PATH=str(program),
           ANCHOR_IDL_BUILD_RESOLUTION="TRUE",
           ANCHOR_IDL_BUILD_SKIP_LINT="FALSE",
           ANCHOR_IDL_BUILD_NO_DOCS="FALSE",
           RUSTFLAGS="-A warnings")
env.setdefault("CARGO_TARGET_DIR", str(root / "target" / "idl"))
run = subprocess.run(["cargo", "test", "__anchor_private_print_idl", "--features", "idl-build",
                      "--", "--show-output", "--quiet"],
                     cwd=program, env=env, capture_output=True, text=True)
if run.returncode != 0:
    sys.stderr.write(run.stderr)
    sys.exit("IDL build failed")

address, constants, events, errors, types, idl = "", [], [], None, {}, None
state, lines = "pass", []
for line in run.stdout.splitlines():
    if state == "pass":
        if line == "--- IDL begin address ---": state = "address"
        elif line.startswith("--- IDL begin ") and line.endswith(" ---"):
            state, lines = line[len("--- IDL begin "):-4], []
        continue
    if state == "address":
        address, state = "".join(c for c in line if c.isalnum()), "pass"
        continue
    if line == f"--- IDL end {state} ---":
        doc = json.loads("\n".join(lines))
        if state == "const": constants.append(doc)
        elif state == "event":
            events.append(doc["event"])
            types.update({t["name"]: t for t in doc["types"]})
        elif state == "errors": errors = doc
        elif state == "program": idl = doc
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
import re
text = json.dumps(idl)
for m in set(re.finditer(r'"(\w+::)+(\w+)"', text)):
    path, name = m.group(0), m.group(2)
    replaced = text.replace(path, f'"{name}"')
    if not re.search(rf'"(\w+::)+{name}"', replaced):
        text = replaced
idl = json.loads(text)
for key in ("accounts", "constants", "events", "instructions", "types"):
    idl[key] = sorted(idl.get(key, []), key=lambda x: x["name"])
text = json.dumps(idl, indent=2) + "\n"
if "--check" in sys.argv:
    if not out_path.exists() or out_path.read_text() != text:
        sys.exit(f"{out_path} is out of date: run python3 scripts/build-idl.py")
    print(f"{out_path} is up to date")
else:
    out_path.parent.mkdir(exist_ok=True)
    out_path.write_text(text)
    print(f"wrote {out_path} ({len(idl['instructions'])} instructions, {len(idl['types'])} types, {len(idl['errors'])} errors)")
