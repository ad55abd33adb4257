package main

import (
	"fmt"
	"strings"
)

// Issue 14's goals for a debug-profile guest's spawn and for HTTP end to end.
const (
	debugSpawnGoal = 3.0 // spawn from the debug-profile guest at most 3× the release guest's
	httpRateGoal   = 0.5 // our HTTP requests/s at least half of Go net/http's
	httpP99Goal    = 2.0 // our HTTP p99 latency at most twice Go net/http's
)

// Keys of the debug-spawn and HTTP figures.
var (
	spawnRelease = benchFig("Spawn/lunatic-rust", "ns/op")
	spawnDebug   = benchFig("Spawn/lunatic-rust-debug", "ns/op")
	httpOurs     = benchFig("HTTP/lunatic", "req/s")
	httpGo       = benchFig("HTTP/go", "req/s")
)

// debugSpawnRow compares the debug-profile guest's spawn with the release guest's.
func debugSpawnRow() row {
	return row{
		name: "spawn, debug guest",
		what: "spawn a process and wait for its first message, Rust guest built by the dev profile " +
			"(as `cargo run`/`cargo test` build it: 9,861 functions, a table of 1,103 entries, 17 pages; " +
			"baseline: the release Rust guest above)",
		ours: spawnDebug, base: spawnRelease,
		erlang: erlFig("spawn", "ns/op"), pkgs: []string{pkgBench},
	}
}

// httpRows compare the HTTP hello-world guest with Go's net/http: requests/s, then the
// latency percentiles.
func httpRows() []row {
	const load = "50 keep-alive connections on loopback, one request at a time each, same Go load generator"
	rs := []row{{
		name: "http", what: "hello-world requests/s: a Rust guest shaped like the lunatic web framework " +
			"(a process per connection, a process per request, a logger process), " + load + " (baseline: Go net/http)",
		ours: httpOurs, base: httpGo, pkgs: []string{pkgBench},
	}}
	for _, p := range []string{"p50", "p99"} {
		rs = append(rs, row{
			name: "http", what: p + " latency of the same requests (baseline: Go net/http)",
			ours: benchFig("HTTP/lunatic", p+"-ns"), base: benchFig("HTTP/go", p+"-ns"),
			pkgs: []string{pkgBench},
		})
	}
	rs = append(rs, row{
		name: "http", what: "CPU time of the whole test process (server and load generator) per request; " +
			"steadier than req/s when other programs share the cores (baseline: Go net/http)",
		ours: benchFig("HTTP/lunatic", "cpu-ns/req"), base: benchFig("HTTP/go", "cpu-ns/req"),
		pkgs: []string{pkgBench},
	})
	return rs
}

// goals14 writes the goal lines of the debug-spawn and HTTP rows.
func goals14(b *strings.Builder, f figures) {
	debug, ok1 := f.get(spawnDebug.key, spawnDebug.unit)
	release, ok2 := f.get(spawnRelease.key, spawnRelease.unit)
	if ok1 && ok2 && release > 0 {
		x := debug / release
		fmt.Fprintf(b, "- Spawn from the debug-profile Rust guest ≤ 3× the release guest's: %s vs %s (%.2f×) — %s.\n",
			formatValue(debug, "ns/op"), formatValue(release, "ns/op"), x, verdict(x <= debugSpawnGoal))
	} else {
		b.WriteString("- Spawn from the debug-profile Rust guest ≤ 3× the release guest's: not measured.\n")
	}
	const what = "- HTTP hello-world ≥ 0.5× Go net/http's requests/s, p99 ≤ 2× Go's"
	ours, ok1 := f.get(httpOurs.key, httpOurs.unit)
	base, ok2 := f.get(httpGo.key, httpGo.unit)
	p99, ok3 := f.get(benchFig("HTTP/lunatic", "p99-ns").key, "p99-ns")
	p99Go, ok4 := f.get(benchFig("HTTP/go", "p99-ns").key, "p99-ns")
	if !ok1 || !ok2 || !ok3 || !ok4 || base <= 0 || p99Go <= 0 {
		b.WriteString(what + ": not measured.\n")
		return
	}
	rate, lat := ours/base, p99/p99Go
	fmt.Fprintf(b, "%s: %s vs %s (%.2f×), p99 %s vs %s (%.2f×) — %s.\n", what,
		formatValue(ours, "req/s"), formatValue(base, "req/s"), rate,
		formatDuration(p99), formatDuration(p99Go), lat, verdict(rate >= httpRateGoal && lat <= httpP99Goal))
}
