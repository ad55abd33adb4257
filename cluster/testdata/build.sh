#!/usr/bin/env bash
# Builds the cluster test guests into cluster/testdata/*.wasm:
#   - every bin of the Rust workspace in rust/ (Rust 1.63 + wasm32-wasi std from Debian,
#     offline; it depends only on the runtime's test binding crate testdata/wasm/rust/guest);
#   - dist.wat with wat2wasm.
# Idempotent: unchanged outputs are not rewritten.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

eval "$(bash "$repo/tools/guest-toolchain.sh")"

install_if_changed() {
  if ! cmp -s "$1" "$2"; then
    cp "$1" "$2"
    echo "updated $(basename "$2")"
  fi
}

cd "$here/rust"
# Keep this checkout's absolute path out of the panic locations in the .wasm files.
export RUSTFLAGS="--remap-path-prefix=$repo=lunatic"
cargo build --release --target wasm32-wasi --offline --locked
out="$here/rust/target/wasm32-wasi/release"
for src in "$here"/rust/dist/src/bin/*.rs; do
  name=$(basename "$src" .rs)
  install_if_changed "$out/$name.wasm" "$here/$name.wasm"
done

tmp=$(mktemp)
wat2wasm "$here/dist.wat" -o "$tmp"
install_if_changed "$tmp" "$here/dist.wasm"
rm -f "$tmp"

for wasm in "$here"/*.wasm; do
  wasm-validate "$wasm"
done
echo "cluster guests up to date in $here"
