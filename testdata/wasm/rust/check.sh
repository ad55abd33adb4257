#!/usr/bin/env bash
# Runs every guest on a lunatic binary and compares stdout and the exit status with
# expected/<case>.stdout and expected/<case>.status. Run from anywhere:
#   testdata/wasm/rust/check.sh /path/to/lunatic [case...]
# With UPDATE=1 it rewrites the expected files instead (review the diff before committing).
set -uo pipefail

lunatic=$(realpath "${1:?usage: check.sh LUNATIC_BIN [case...]}")
shift
if [ ! -x "$lunatic" ]; then
  echo "check.sh: $lunatic is not an executable" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
wasm=$(cd "$here/.." && pwd)
fixtures="$here/fixtures"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# case name | guest | arguments (word-split) ; every case runs with the cwd at testdata/wasm.
cases=(
  "hello|hello|"
  "args_env|args_env|GUEST_TEST_VAR GUEST_MISSING_VAR"
  "readfile|readfile|rust/fixtures/hello.txt rust/fixtures"
  "readfile_escape|readfile|../../../etc/passwd"
  "readfile_write|readfile|--dir $scratch write $scratch/out.txt written-by-guest"
  "exitcode|exitcode|7"
  "exitcode0|exitcode|0"
  "panic|panic|"
  "oob|oob|"
  "pingpong|pingpong|"
  "ring|ring|"
  "supervisor|supervisor|"
  "request|request|"
  "registry|registry|"
  "timers|timers|"
  "spawn_many|spawn_many|"
  "catch|catch|"
  "catch_exit|catch|exit"
  "links|links|"
  "selective|selective|"
  "config|config|rust/fixtures config.wasm"
  "config_abs|config|--dir $wasm $fixtures $wasm/config.wasm"
  "lunatic_all|lunatic_all|"
  "fuel|fuel|"
  "spin|spin|"
  "memlimit|memlimit|"
  "busy|busy|1"
)

fail=0
for c in "${cases[@]}"; do
  IFS='|' read -r name guest args <<<"$c"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  # Flags before the guest (e.g. --dir) go to `lunatic run`, the rest to the guest.
  pre=() post=()
  read -r -a words <<<"$args"
  if [ "${words[0]:-}" = "--dir" ]; then pre=(--dir "${words[1]}"); words=("${words[@]:2}"); fi
  post=("${words[@]}")
  out="$scratch/$name.stdout"
  (cd "$wasm" && GUEST_TEST_VAR=from-host timeout 120 "$lunatic" run "${pre[@]}" "$guest.wasm" "${post[@]}" \
    >"$out" 2>"$scratch/$name.stderr")
  status=$?
  if [ "${UPDATE:-}" = 1 ]; then
    cp "$out" "$here/expected/$name.stdout"
    echo "$status" >"$here/expected/$name.status"
    echo "updated $name (exit $status)"
    continue
  fi
  want_status=$(cat "$here/expected/$name.status")
  if [ "$status" = "$want_status" ] && cmp -s "$out" "$here/expected/$name.stdout"; then
    echo "ok   $name"
  else
    fail=1
    echo "FAIL $name: exit $status (want $want_status)"
    diff -u "$here/expected/$name.stdout" "$out" | sed 's/^/     /'
    tail -n 5 "$scratch/$name.stderr" | sed 's/^/     stderr: /'
  fi
done
exit $fail
