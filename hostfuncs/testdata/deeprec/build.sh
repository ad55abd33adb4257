#!/usr/bin/env bash
# Rebuilds deeprec_debug.wasm and deeprec_release.wasm from this crate (Rust 1.63 + the
# wasm32-wasi std from Debian, offline).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
eval "$(bash "$repo/tools/guest-toolchain.sh")"
cd "$here"
export RUSTFLAGS="--remap-path-prefix=$here=deeprec"
cargo build --target wasm32-wasi --offline
cargo build --release --target wasm32-wasi --offline
cp target/wasm32-wasi/debug/deeprec.wasm deeprec_debug.wasm
cp target/wasm32-wasi/release/deeprec.wasm deeprec_release.wasm
wasm-validate deeprec_debug.wasm
wasm-validate deeprec_release.wasm
echo "deeprec guests up to date in $here"
