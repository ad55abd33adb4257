#!/usr/bin/env bash
# Rebuilds the benchmark guests in this directory:
#   - rust/ → benchguest.wasm (Rust 1.63 + wasm32-wasi std from Debian, offline, release);
#   - rustdebug/ → benchguest-debug.wasm (the same spawn entries in a large program, dev
#     profile as `cargo run` builds it; rustdebug/src/generated.rs comes from
#     rustdebug/gen.go and is committed, so Go is not needed here);
#   - rusthttp/ → httpguest.wasm (the HTTP hello-world server of BenchmarkHTTP, release);
#   - *.wat → *.wasm with wat2wasm (names kept).
# Needs the guest toolchain (tools/guest-toolchain.sh at the repository root sets it up).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
eval "$(bash "$repo/tools/guest-toolchain.sh")"
cd "$here/rust"
export RUSTFLAGS="--remap-path-prefix=$repo=lunatic"
cargo build --release --target wasm32-wasi --offline
cp target/wasm32-wasi/release/benchguest.wasm "$here/benchguest.wasm"
cd "$here/rustdebug"
cargo build --target wasm32-wasi --offline
cp target/wasm32-wasi/debug/benchguest-debug.wasm "$here/benchguest-debug.wasm"
cd "$here/rusthttp"
cargo build --release --target wasm32-wasi --offline
cp target/wasm32-wasi/release/httpguest.wasm "$here/httpguest.wasm"
for wat in "$here"/*.wat; do
  wat2wasm --debug-names "$wat" -o "${wat%.wat}.wasm"
done
for wasm in "$here"/*.wasm; do wasm-validate "$wasm"; done
echo "bench guests up to date in $here"
