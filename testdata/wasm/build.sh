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

# The toolchain script lives in the project's shared/ folder beside the repository.
toolchain=""
for candidate in "$repo/../shared/tools/guest-toolchain.sh" "/work/shared/tools/guest-toolchain.sh"; do
  if [ -f "$candidate" ]; then toolchain=$candidate; break; fi
done

has_toolchain() {
  [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/wasm32-wasi ] && command -v wat2wasm >/dev/null 2>&1
}

if [ -n "$toolchain" ]; then
  eval "$(bash "$toolchain")"
else
  if ! has_toolchain; then
    echo "build.sh: installing rustc, cargo, the wasm32-wasi std and wabt from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq rustc cargo libstd-rust-dev-wasm32 wabt >&2
  fi
  # Debian's cargo first: rustup toolchains have no wasm32-wasi std here.
  export PATH="/usr/bin:/bin:/usr/sbin:/sbin"
fi

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
