#!/usr/bin/env bash
# Rebuilds the guests of the networking tests: testdata/nettest.wasm and tcp_echo.wasm from
# the Rust crate in rust/ (Rust 1.63 + the wasm32-wasi std from Debian, offline), and
# testdata/*.wat with wat2wasm. tcp_echo.wasm is also copied to testdata/wasm/ at the
# repository root for the README example.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
eval "$(bash "$repo/tools/guest-toolchain.sh")"
(cd "$here/rust" && cargo build --release --target wasm32-wasi --offline)
for bin in nettest tcp_echo; do
  cp "$here/rust/target/wasm32-wasi/release/$bin.wasm" "$here/$bin.wasm"
done
cp "$here/tcp_echo.wasm" "$repo/testdata/wasm/tcp_echo.wasm"
for wat in "$here"/*.wat; do
  wat2wasm --debug-names "$wat" -o "${wat%.wat}.wasm"
done
for wasm in "$here"/*.wasm; do
  wasm-validate "$wasm"
done
echo "networking guests up to date in $here"
