#!/usr/bin/env bash
# Rebuilds rustguest.wasm, the Rust std::fs guest of the sandboxfs tests, from rustguest/
# (Rust 1.63 + the wasm32-wasi std from Debian, offline; the crate has no dependencies).
# Idempotent: an unchanged output is not rewritten.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
eval "$(bash "$repo/tools/guest-toolchain.sh")"
(cd "$here/rustguest" && cargo build --release --target wasm32-wasi --offline --locked)
built="$here/rustguest/target/wasm32-wasi/release/rustguest.wasm"
if ! cmp -s "$built" "$here/rustguest.wasm"; then
  cp "$built" "$here/rustguest.wasm"
  echo "updated rustguest.wasm"
fi
wasm-validate "$here/rustguest.wasm"
echo "sandboxfs guest up to date in $here"
