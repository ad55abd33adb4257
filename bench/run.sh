#!/usr/bin/env bash
# The benchmark suite (make bench): runs the benchmarks of bench/ and those other packages
# keep for their own features (fuel overhead in scheduler/, sqlite in sqlite/ or
# hostfuncs/sqliteapi, TCP echo in hostfuncs/networkingapi, instantiate+close in
# vm/internal/linmem, remote messaging in cluster/), plus bench/erlang/bench.erl and
# bench/erlang/remote.erl when erl is on PATH; then prints one
# table to stdout and writes it to bench/results.md. Progress goes to stderr.
#
# A package or benchmark that does not exist gives "n/a (benchmark not present)" in its
# row; a benchmark that fails gives "n/a (benchmark failed…)" and a non-zero exit status
# once the table is written. Takes about 6 minutes on 2 cores.
#
# Environment: GO (go command), BENCH_IDLE_COUNTS (idle-memory process counts, default
# "10000 100000"; 100000 only with at least 8 GiB available); BENCH_MAX_WAT,
# BENCH_MAX_RUST and BENCH_MAX_SECONDS (targets and time bound of the most-processes row,
# default 1000000, 250000 and 150).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
GO=${GO:-go}
start=$(date +%s)
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
golog=$work/go.txt
erlog=$work/erlang.txt
status=$work/status.txt
: >"$golog"
: >"$status"
failed=0

log() { echo "bench: $*" >&2; }

# record <status> <pkg>: notes why a package gives no figures.
record() { echo "$1 $2" >>"$status"; }

# has_bench <pkg> <function-name-regex>: the package has a matching benchmark.
has_bench() {
  [ -d "$1" ] && grep -qE "^func Benchmark$2\(" "$1"/*_test.go 2>/dev/null
}

# go_bench <pkg> <bench-regex> <benchtime> [go test flags…]: go test -bench in pkg, output
# into the log.
go_bench() {
  local pkg=$1 pattern=$2 benchtime=$3
  shift 3
  log "$pkg: -bench '$pattern' -benchtime $benchtime $*"
  $GO test -run '^$' -bench "$pattern" -benchtime "$benchtime" -timeout 15m "$@" "./$pkg" 2>&1 | tee -a "$golog" >&2
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    record failed "$pkg"
    failed=1
  fi
}

# own <bench-regex> <benchtime> [env…]: runs the compiled bench/ test binary (in bench/,
# where its testdata is).
own() {
  local pattern=$1 benchtime=$2
  shift 2
  log "bench: -bench '$pattern' -benchtime $benchtime"
  (cd bench && env "$@" "$work/bench.test" -test.run '^$' -test.bench "$pattern" \
    -test.benchtime "$benchtime" -test.timeout 15m) 2>&1 | tee -a "$golog" >&2
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    record failed bench
    failed=1
  fi
}

log "building the bench test binary, lunatic and wazerorun"
if ! $GO test -c -o "$work/bench.test" ./bench ||
  ! $GO build -o "$work/lunatic" ./cmd/lunatic ||
  ! $GO build -o "$work/wazerorun" ./bench/wazerorun; then
  log "build failed"
  exit 1
fi

# Idle memory first and one case per process, so that no earlier run's freed memory is
# reused and hides part of the cost.
counts=${BENCH_IDLE_COUNTS:-10000 100000}
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
for n in $counts; do
  if [ "$n" -ge 100000 ] && [ "${avail_kb:-0}" -lt $((8 << 20)) ]; then
    log "skipping idle memory at $n processes: less than 8 GiB available"
    continue
  fi
  for who in lunatic-rust lunatic-wat go; do
    own "IdleMemory/^n=$n\$/^$who\$" 1x BENCH_IDLE_COUNTS="$n"
  done
done
# The most processes alive at once (1,000,000 WAT + 250,000 Rust), bounded to 150 s and by
# the memory available; in its own test process like the idle rows.
own 'MaxProcesses' 1x
# Memory after a 100,000-process link cascade, and the Go floor, each in its own process
# (a Go process never frees the records of its goroutines).
own 'CascadeMemory/^lunatic$' 1x
own 'CascadeMemory/^go$' 1x
# Processes that recurse until their wasm stack runs out, bounded and not.
own 'StackOverflowMemory/^bounded$' 1x
own 'StackOverflowMemory/^unbounded$' 1x
own 'Spawn$|SpawnExit|PingPong' 1s
own 'HostCall' 15x
own 'Ring' 1x
own 'ColdStart' 10x BENCH_LUNATIC="$work/lunatic" BENCH_WAZERORUN="$work/wazerorun"
# HTTP end to end: the guest server and Go net/http, 3 s each under the same load (~10 s).
own 'HTTP' 1x

# Benchmarks that live with the feature they measure.
# Each comparison runs in 3 test processes (each compiles the modules anew, so code
# placement differs) and the report takes the median of the 3. The small guests run 200
# alternating rounds each (a run is 1-4 ms, and one interruption moves a round's ratio by
# percents); gowork's run is ~85 ms, so 20 rounds.
if has_bench scheduler Slowdown; then
  go_bench scheduler 'Slowdown(Exact)?$/(fib|fib-busy|sieve|xorshift)$' 200x -count 3
  go_bench scheduler 'Slowdown(Exact)?$/gowork$' 20x -count 3
  go_bench scheduler 'Slowdown$/fib-long$' 30x -count 3
else
  record absent scheduler
fi
if has_bench vm/internal/linmem InstantiateClose; then
  go_bench vm/internal/linmem 'InstantiateClose' 1s
else
  record absent vm/internal/linmem
fi
if has_bench hostfuncs/networkingapi '[A-Za-z0-9_]*(Echo|echo)'; then
  go_bench hostfuncs/networkingapi '(?i)echo' 1s
else
  record absent hostfuncs/networkingapi
fi
if has_bench hostfuncs/sqliteapi '[A-Za-z0-9_]*(Insert|Query|Select)'; then
  go_bench hostfuncs/sqliteapi 'Insert|PointQuery|Select' 1s
else
  record absent hostfuncs/sqliteapi
fi
if has_bench sqlite 'Insert' && has_bench sqlite 'PointQuery'; then
  go_bench sqlite 'Insert/(session|database-sql)$|PointQuery/(session|database-sql)$' 1s
else
  record absent sqlite
fi
if has_bench cluster Remote; then
  # Builds nats-server from the module cache the first time (internal/natstest). Nodes
  # with their direct connection (the remote rows and goals), nodes without one (the
  # ", NATS" rows), plain nats.go and a loopback TCP echo as baselines.
  go_bench cluster '^BenchmarkRemote$' 1s
else
  record absent cluster
fi

# The Erlang column, when Erlang is installed.
: >"$erlog"
erl_version=""
if command -v erl >/dev/null 2>&1 && command -v erlc >/dev/null 2>&1; then
  erl_version=$(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().' 2>/dev/null)
  log "Erlang/OTP $erl_version: bench/erlang/bench.erl"
  if erlc -o "$work" bench/erlang/bench.erl; then
    erl -noshell -pa "$work" -run bench main timing -s init stop | tee -a "$erlog" >&2
    for n in $counts; do
      if [ "$n" -ge 100000 ] && [ "${avail_kb:-0}" -lt $((8 << 20)) ]; then continue; fi
      erl -noshell -pa "$work" -run bench main idle "$n" -s init stop | tee -a "$erlog" >&2
    done
    # Two nodes on loopback for the remote rows: this one (-sname starts epmd) and a
    # peer it starts.
    if erlc -o "$work" bench/erlang/remote.erl; then
      erl -sname "lunatic_bench_$$" -noshell -pa "$work" -run remote main -s init stop | tee -a "$erlog" >&2 ||
        log "Erlang distribution failed (epmd, host name?); no Erlang figures for the remote rows"
    fi
  else
    log "erlc failed; no Erlang column"
    : >"$erlog"
  fi
else
  log "erl not on PATH: no Erlang column"
fi

elapsed=$(($(date +%s) - start))
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
$GO run ./bench/report -go "$golog" -erlang "$erlog" -status "$status" \
  -commit "$commit" -erlang-version "$erl_version" -load "$load" \
  -elapsed "$((elapsed / 60)) min $((elapsed % 60)) s" -out bench/results.md || exit 1
log "wrote bench/results.md in $((elapsed / 60)) min $((elapsed % 60)) s"
exit $failed
