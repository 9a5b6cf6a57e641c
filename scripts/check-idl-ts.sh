#!/usr/bin/env bash
# The IDL as a TypeScript integrator meets it (CI runs this after the Rust tests):
#   1. idl/cross_margin.ts is the one build-idl.py derives from idl/cross_margin.json;
#   2. the pinned Anchor TypeScript clients install from npm (`npm ci`, scripts/idl-ts);
#   3. `tsc` accepts idl/cross_margin.ts as the type of a Program in both clients;
#   4. both clients load the committed IDL and decode the account and event samples that
#      tests/tests/core/idl_samples.rs wrote to idl/samples/, field by field (check.js).
# Needs node (18+), npm and python3; about 20 s with a warm npm cache.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in python3 node npm; do
  command -v "$tool" >/dev/null || {
    echo "check-idl-ts: $tool is not installed (apt-get install nodejs npm python3)" >&2
    exit 1
  }
done

echo "== idl/cross_margin.ts is current"
python3 scripts/build-idl.py --check-ts

echo "== npm ci (scripts/idl-ts: @coral-xyz/anchor, @anchor-lang/core, typescript)"
(cd scripts/idl-ts && npm ci --no-audit --no-fund --loglevel=error)

echo "== tsc: Program<CrossMargin> with both clients"
(cd scripts/idl-ts && npx --no-install tsc -p tsconfig.json)
echo "idl/cross_margin.ts type-checks"

echo "== decode the Rust samples with the committed IDL"
node scripts/idl-ts/check.js
