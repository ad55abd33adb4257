#!/usr/bin/env bash
# Rebuilds the guests of the lunatic::sqlite tests: sqltest.wasm and sqlite_demo.wasm from
# the Rust crate in rust/ (Rust 1.63 + the wasm32-wasi std and serde/bincode from Debian,
# offline), and testdata/*.wat with wat2wasm. sqlite_demo.wasm is also copied to
# testdata/wasm/ at the repository root.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
eval "$(bash "$repo/tools/guest-toolchain.sh")"
(cd "$here/rust" && RUSTFLAGS="--remap-path-prefix=$repo=/lunatic-go" cargo build --release --target wasm32-wasi --offline)
for bin in sqltest sqlite_demo; do
  cp "$here/rust/target/wasm32-wasi/release/$bin.wasm" "$here/$bin.wasm"
done
cp "$here/sqlite_demo.wasm" "$repo/testdata/wasm/sqlite_demo.wasm"
for wat in "$here"/*.wat; do
  wat2wasm --debug-names "$wat" -o "${wat%.wat}.wasm"
done
for wasm in "$here"/*.wasm; do
  wasm-validate "$wasm"
done
echo "sqlite guests up to date in $here"
