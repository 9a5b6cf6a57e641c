#!/usr/bin/env bash
# Installs the real `solana-test-validator` binary that the RPC-backend tests start beside the
# workspace (tests/tests/rpc). It is built from crates.io (`agave-validator` 3.1.12, the
# version matching the workspace's Solana crates) into a cache directory, so only a new
# machine pays the build: about 28 minutes cold on 2 cores, seconds when cached.
#
# Usage: scripts/install-test-validator.sh [ROOT]   (default: ~/.cache/cross-margin/validator)
# Prints the binary's path on its last line.
set -euo pipefail
VERSION=3.1.12
ROOT="${1:-${CROSS_MARGIN_VALIDATOR_ROOT:-$HOME/.cache/cross-margin/validator}}"
BIN="$ROOT/bin/solana-test-validator"

if [[ -x "$BIN" ]] && "$BIN" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "$BIN"
  exit 0
fi

# RocksDB's bindings (librocksdb-sys) need libclang at build time.
# clang-sys looks for libclang.so or libclang-*.so (not libclang-cpp).
if ! ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/llvm-*/lib/libclang-[0-9]*.so* >/dev/null 2>&1; then
  echo "install-test-validator: installing clang and libclang-dev (RocksDB bindings need them)" >&2
  SUDO=""
  [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang libclang-dev >/dev/null
fi

echo "install-test-validator: building solana-test-validator $VERSION into $ROOT (about 28 min cold on 2 cores)" >&2
# Its own target dir, kept beside the install, so an interrupted build resumes.
CARGO_TARGET_DIR="$ROOT/build" cargo install agave-validator --version "$VERSION" \
  --bin solana-test-validator --locked --root "$ROOT" >&2
rm -rf "$ROOT/build"
echo "$BIN"
