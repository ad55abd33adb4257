#!/usr/bin/env bash
# Builds the guest programs used by the end-to-end tests into testdata/wasm/<name>.wasm:
#   - every bin of the Rust workspace in rust/ (Rust 1.63 + wasm32-wasi std from Debian,
#     release profile, debuginfo stripped, name section kept for backtraces);
#   - every testdata/wasm/*.wat with wat2wasm (keeping names).
# Idempotent: unchanged outputs are not rewritten. Needs no network once the toolchain is
# installed (the Rust workspace has no dependencies).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

# Debian's rustc/cargo with the wasm32-wasi std, wabt, offline crates (installed if missing).
eval "$(bash "$repo/tools/guest-toolchain.sh")"

# Copies $1 to $2 only when the content differs.
install_if_changed() {
  if ! cmp -s "$1" "$2"; then
    cp "$1" "$2"
    echo "updated $(basename "$2")"
  fi
}

cd "$here/rust"
# Panic locations of the guest library would embed this checkout's absolute path; map it to a
# fixed prefix so the .wasm files do not depend on where the repository lives.
export RUSTFLAGS="--remap-path-prefix=$here/rust=rust"
cargo build --release --target wasm32-wasi --offline --locked
out="$here/rust/target/wasm32-wasi/release"
for src in "$here"/rust/*/src/bin/*.rs; do
  name=$(basename "$src" .rs)
  install_if_changed "$out/$name.wasm" "$here/$name.wasm"
done

shopt -s nullglob
for wat in "$here"/*.wat; do
  tmp=$(mktemp)
  wat2wasm --debug-names "$wat" -o "$tmp"
  install_if_changed "$tmp" "${wat%.wat}.wasm"
  rm -f "$tmp"
done

for wasm in "$here"/*.wasm; do
  wasm-validate "$wasm"
done
echo "guests up to date in $here"
