#!/usr/bin/env bash
# Sets up the toolchain that builds the test guests (wasm32-wasi modules) of this repository,
# using Debian 12 packages only, so that no crates.io access is needed:
#
#   rustc, cargo (1.63)      the Rust compiler and build tool
#   libstd-rust-dev-wasm32   Rust's standard library for the wasm32-wasi target
#   wabt                     wat2wasm, wasm-validate, wasm-objdump
#   librust-*-dev            the crates guests depend on, as Debian source packages under
#                            /usr/share/cargo/registry (see CRATES below)
#
# Missing packages are installed with apt-get (as root). Then a private CARGO_HOME is written
# whose config replaces crates.io by that directory and turns the network off.
#
# The script prints shell assignments on stdout (everything else goes to stderr); evaluate
# them in the shell (or subshell) that runs cargo:
#
#   eval "$(bash tools/guest-toolchain.sh)"
#   cargo build --release --target wasm32-wasi --offline
#
# PATH is reset to the system directories so that Debian's cargo wins over a rustup install
# (rustup's toolchains here carry no wasm32-wasi standard library). Set GUEST_CARGO_HOME to
# choose where the cargo configuration goes.
set -euo pipefail

# Crates the guests use, by Cargo.toml:
#   hostfuncs/sqliteapi/testdata/rust   serde (with derive: serde_derive), bincode
# Every other guest depends only on the in-tree binding crate testdata/wasm/rust/guest.
# serde_json, rmp-serde and thiserror are installed too for new guests that encode
# messages the way lunatic-rs programs often do.
CRATES=(
  librust-serde-dev
  librust-serde-derive-dev
  librust-bincode-dev
  librust-serde-json-dev
  librust-rmp-serde-dev
  librust-thiserror-dev
)
TOOLS=(rustc cargo libstd-rust-dev-wasm32 wabt)

missing=()
for pkg in "${TOOLS[@]}" "${CRATES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "guest-toolchain: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${missing[@]}" >&2
fi
if [ ! -d /usr/lib/rustlib/wasm32-wasi ]; then
  echo "guest-toolchain: /usr/lib/rustlib/wasm32-wasi is missing after the install" >&2
  exit 1
fi

cargo_home=${GUEST_CARGO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/lunatic-guest-cargo}
mkdir -p "$cargo_home"
cat >"$cargo_home/config.toml" <<'TOML'
# Written by tools/guest-toolchain.sh: crates come from Debian's packages, never the network.
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "/usr/share/cargo/registry"

[net]
offline = true
TOML

printf "export CARGO_HOME='%s'\n" "$cargo_home"
echo "export PATH='/usr/bin:/bin:/usr/sbin:/sbin'"
