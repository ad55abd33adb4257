#!/usr/bin/env bash
# Builds the test binaries of this crate the way `cargo test` does and copies each
# target/wasm32-wasi/release/deps/<target>-<hash>.wasm to ./<target>.wasm.
# Rust 1.63 + the wasm32-wasi std from Debian; offline (the crate depends only on ../rust/guest).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
eval "$(bash "$repo/tools/guest-toolchain.sh")"
cd "$here"
cargo test --release --target wasm32-wasi --offline --no-run --tests
for src in tests/*.rs; do
  name=$(basename "$src" .rs)
  # The newest build of that target (old hashes may linger in deps/).
  built=$(ls -t target/wasm32-wasi/release/deps/"$name"-*.wasm | head -n1)
  if ! cmp -s "$built" "$name.wasm"; then
    cp "$built" "$name.wasm"
    echo "updated $name.wasm"
  fi
  wasm-validate "$name.wasm"
done
# stdin.wat (a hand-written test binary) without a name section, as committed.
for wat in "$here"/*.wat; do
  tmp=$(mktemp)
  wat2wasm "$wat" -o "$tmp"
  if ! cmp -s "$tmp" "${wat%.wat}.wasm"; then
    cp "$tmp" "${wat%.wat}.wasm"
    echo "updated $(basename "${wat%.wat}.wasm")"
  fi
  rm -f "$tmp"
done
echo "test binaries up to date in $here"
