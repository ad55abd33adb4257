#!/usr/bin/env bash
# Runs lunatic on the platforms this Linux/amd64 machine can emulate (`make portable`):
#
#   arm64    linux/arm64 under qemu-user: the end-to-end suite (cmd/lunatic) against an
#            arm64 lunatic binary, and the linear-memory allocator's tests in-process;
#   windows  windows/amd64 under Wine: a smoke test — the end-to-end cases listed in
#            WINDOWS_RUN below against lunatic.exe, and the allocator's tests
#            (VirtualAlloc reserve/commit) as a Windows test binary.
#
# Usage: tools/portable.sh [arm64] [windows]   (default: both)
# Environment: ARM64_RUN / WINDOWS_RUN override the `go test -run` selection of the
# end-to-end tests (ARM64_RUN=. runs all of them).
# Needs qemu-user-static, wine and a mingw-w64 C compiler (Debian: apt-get install
# qemu-user-static wine wine64 gcc-mingw-w64-x86-64-win32); when they are missing and we
# are root, they are installed with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

# The end-to-end tests each platform runs, as a `go test -run` pattern: top-level tests,
# then the TestGuests cases (the only test with subtests). arm64 runs the suite except the
# slowest stress guests; Windows runs one case per feature the issue lists.
ARM64_RUN=${ARM64_RUN:-'^(TestGuests|TestHello|TestArgsAndEnv|TestReadFileFromDir|TestExitCode|TestTraps|TestLoadErrors|TestUsageError|TestPreopenConfinement|TestTCPEcho|TestInit)$/^(hello|args_env|readfile|readfile_escape|readfile_write|exitcode|exitcode0|panic|oob|pingpong|supervisor|request|registry|timers|catch|links|selective|config|fuel|memlimit)$'}
# TestPreopenConfinement is not in the Windows list: its symlinks are made by the Linux
# test process, and Wine shows a host symlink to Windows programs as the file it points
# to (no reparse point), so those cases would test Wine, not lunatic. Its ".." and
# absolute-path escapes pass under Wine; readfile_escape covers them here.
WINDOWS_RUN=${WINDOWS_RUN:-'^(TestGuests|TestExitCode|TestTraps|TestReadFileFromDir|TestTCPEcho|TestInit)$/^(hello|exitcode|exitcode0|panic|oob|readfile|readfile_escape|pingpong)$'}

need() { # need COMMAND PACKAGE...
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${@:2}" >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${@:2}" >/dev/null; }
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "portable: $1 is needed (Debian packages: ${*:2})" >&2; exit 1; }
}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

arm64() {
  need qemu-aarch64-static qemu-user-static
  echo "== linux/arm64 (qemu-user)"
  GOOS=linux GOARCH=arm64 $GO build -o "$out/lunatic-arm64" ./cmd/lunatic
  LUNATIC_E2E_BIN="$out/lunatic-arm64" LUNATIC_E2E_EXEC=qemu-aarch64-static \
    $GO test -count=1 -v -run "$ARM64_RUN" ./cmd/lunatic/ | grep -E '^(--- |    |ok|FAIL|PASS)'
  GOOS=linux GOARCH=arm64 $GO test -count=1 -exec qemu-aarch64-static ./vm/internal/linmem/
}

windows() {
  need wine wine wine64
  echo "== windows/amd64 (Wine)"
  export WINEDEBUG=${WINEDEBUG:--all} WINEPREFIX=${WINEPREFIX:-$HOME/.cache/lunatic-portable-wine}
  wine cmd /c ver >/dev/null 2>&1 || true # first run creates the prefix
  # Go programs need bcryptprimitives.dll (ProcessPrng), which Wine 8 lacks: add a
  # stand-in built from tools/wine/bcryptprimitives.c (see there).
  local sys32="$WINEPREFIX/drive_c/windows/system32"
  if [ ! -f "$sys32/bcryptprimitives.dll" ]; then
    need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64-win32
    x86_64-w64-mingw32-gcc -O2 -shared -s -o "$sys32/bcryptprimitives.dll" \
      tools/wine/bcryptprimitives.c -ladvapi32
  fi
  GOOS=windows GOARCH=amd64 $GO build -o "$out/lunatic.exe" ./cmd/lunatic
  # The tests give lunatic.exe pipes for stdout and stderr. (Wine 8 cannot stat a
  # standard handle that is a host file, so `wine lunatic.exe … >file` fails there.)
  LUNATIC_E2E_BIN="$out/lunatic.exe" LUNATIC_E2E_EXEC=wine \
    $GO test -count=1 -v -run "$WINDOWS_RUN" ./cmd/lunatic/ | grep -E '^(--- |    |ok|FAIL|PASS)'
  GOOS=windows GOARCH=amd64 $GO test -c -o "$out/linmem.test.exe" ./vm/internal/linmem/
  (cd vm/internal/linmem && wine "$out/linmem.test.exe" -test.count=1)
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(arm64 windows)
for t in "${targets[@]}"; do
  case "$t" in
    arm64) arm64 ;;
    windows) windows ;;
    *) echo "portable: unknown target $t (arm64, windows)" >&2; exit 2 ;;
  esac
done
echo "portable: ok"
