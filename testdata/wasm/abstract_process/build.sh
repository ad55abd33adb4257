#!/usr/bin/env bash
# Builds ../abstract_process.wasm from this crate: the debug (dev) profile, wasm32-wasi,
# offline with Debian's Rust 1.63 and crates (serde, rmp-serde), as set up by the
# project's guest toolchain script. Unchanged output is not rewritten.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
eval "$(bash "$repo/tools/guest-toolchain.sh")"
cd "$here"
export RUSTFLAGS="--remap-path-prefix=$here=abstract_process"
cargo build --target wasm32-wasi --offline
out="$here/target/wasm32-wasi/debug/abstract_process.wasm"
if ! cmp -s "$out" "$here/../abstract_process.wasm"; then
  cp "$out" "$here/../abstract_process.wasm"
  echo "updated abstract_process.wasm"
fi
