package main

import (
	"regexp"
	"sort"
	"strings"
)

// fig names one figure: a result key and its unit.
type fig struct{ key, unit string }

// row is one line of the table: ours and base are fixed figures; when they are missing,
// find (if set) picks them among the results of a package by the shape of their names.
type row struct {
	name, what string
	ours, base fig
	erlang     fig // zero: no Erlang equivalent
	find       func(figures) (ours, base fig, ok bool)
	// pkgs are the packages the row's figures come from, in order of preference, for
	// saying why a figure is missing.
	pkgs []string
}

// Package keys as run.sh reports them.
const (
	pkgBench     = "bench"
	pkgScheduler = "scheduler"
	pkgSQLite    = "sqlite"
	pkgSQLiteAPI = "hostfuncs/sqliteapi"
	pkgNet       = "hostfuncs/networkingapi"
	pkgLinmem    = "vm/internal/linmem"
	pkgCluster   = "cluster"
)

// remoteFig is a figure of cluster.BenchmarkRemote.
func remoteFig(name, unit string) fig { return fig{pkgCluster + ".BenchmarkRemote/" + name, unit} }

func benchFig(name, unit string) fig { return fig{pkgBench + ".Benchmark" + name, unit} }
func erlFig(name, unit string) fig   { return fig{"erlang." + name, unit} }

// rows lists the table in order.
func rows() []row {
	var rs []row
	for _, g := range []struct{ sub, label string }{{"lunatic-rust", "Rust guest, 17 pages"}, {"lunatic-wat", "WAT guest, 1 page"}} {
		rs = append(rs, row{
			name: "spawn", what: "spawn a process and wait for its first message (" + g.label + ")",
			ours: benchFig("Spawn/"+g.sub, "ns/op"), base: benchFig("Spawn/go", "ns/op"),
			erlang: erlFig("spawn", "ns/op"), pkgs: []string{pkgBench},
		})
	}
	rs = append(rs, debugSpawnRow())
	for _, n := range []string{"1", "64"} {
		for _, g := range []struct{ sub, label string }{{"lunatic-rust", "Rust"}, {"lunatic-wat", "WAT"}} {
			rs = append(rs, row{
				name: "spawn+exit", what: "processes started and finished per second, " + n + " in flight (" + g.label + ")",
				ours:   benchFig("SpawnExit/inflight="+n+"/"+g.sub, "procs/s"),
				base:   benchFig("SpawnExit/inflight="+n+"/go", "procs/s"),
				erlang: erlFig("spawn_exit/inflight="+n, "procs/s"), pkgs: []string{pkgBench},
			})
		}
	}
	for _, n := range []string{"10000", "100000"} {
		for _, g := range []struct{ sub, label string }{{"lunatic-rust", "Rust"}, {"lunatic-wat", "WAT"}} {
			rs = append(rs, row{
				name: "idle memory", what: "resident bytes per process blocked in receive, " + thousands(n) + " processes (" + g.label + ")",
				ours:   benchFig("IdleMemory/n="+n+"/"+g.sub, "B/proc"),
				base:   benchFig("IdleMemory/n="+n+"/go", "B/proc"),
				erlang: erlFig("idle/n="+n, "B/proc"), pkgs: []string{pkgBench},
			})
		}
	}
	for _, g := range []struct{ sub, label string }{{"lunatic-rust", "Rust"}, {"lunatic-wat", "WAT"}} {
		rs = append(rs, row{
			name: "ping-pong", what: "round trip of an 8-byte message between two processes (" + g.label + ")",
			ours: benchFig("PingPong/"+g.sub, "ns/op"), base: benchFig("PingPong/go", "ns/op"),
			erlang: erlFig("pingpong", "ns/op"), pkgs: []string{pkgBench},
		})
	}
	rs = append(rs,
		row{
			name: "cascade memory", what: "resident memory 10 s after a link cascade ended 100,000 WAT processes (baseline: 100,000 goroutines that blocked, then exited, after a GC: the floor Go sets)",
			ours: benchFig("CascadeMemory/lunatic", "MiB_after"), base: benchFig("CascadeMemory/go", "MiB_after"),
			pkgs: []string{pkgBench},
		},
		row{
			name: "cascade memory vs before", what: "the same resident memory against what it was before the 100,000 processes were spawned (issue 16 wants ≤ 1.25×)",
			ours: benchFig("CascadeMemory/lunatic", "MiB_after"), base: benchFig("CascadeMemory/lunatic", "MiB_before"),
			pkgs: []string{pkgBench},
		},
		row{
			name: "stack overflow memory", what: "resident memory per process recursing until its stack overflows, 64 at once (baseline: 8 at once without the stack bound, as wazero alone)",
			ours: benchFig("StackOverflowMemory/bounded", "MiB/proc"), base: benchFig("StackOverflowMemory/unbounded", "MiB/proc"),
			pkgs: []string{pkgBench},
		},
		row{
			name: "ring", what: "10,000 processes pass a token 1,000,000 hops, per hop (Rust)",
			ours: benchFig("Ring/lunatic-rust", "ns/hop"), base: benchFig("Ring/go", "ns/hop"),
			erlang: erlFig("ring", "ns/hop"), pkgs: []string{pkgBench},
		},
		row{
			name: "host call", what: "lunatic::process::process_id from a wasm loop (baseline: empty wazero host function)",
			ours: benchFig("HostCall", "lunatic-ns"), base: benchFig("HostCall", "wazero-ns"),
			pkgs: []string{pkgBench},
		})
	for _, w := range []string{"fib", "sieve", "xorshift", "gowork"} {
		rs = append(rs, row{
			name: "fuel overhead", what: "CPU-bound guest `" + w + "`, instrumented vs uninstrumented (fastest run over four code layouts)",
			ours: fig{pkgScheduler + ".BenchmarkSlowdown/" + w, "inst-min-ns"},
			base: fig{pkgScheduler + ".BenchmarkSlowdown/" + w, "orig-min-ns"},
			pkgs: []string{pkgScheduler},
		})
	}
	rs = append(rs, row{
		name: "fuel overhead, long run", what: "CPU-bound guest `fib` over 8 ms (fib(30), about four ticks of the clock), instrumented vs uninstrumented (fastest run; informational, the goal judges the short `fib`)",
		ours: fig{pkgScheduler + ".BenchmarkSlowdown/fib-long", "inst-min-ns"},
		base: fig{pkgScheduler + ".BenchmarkSlowdown/fib-long", "orig-min-ns"},
		pkgs: []string{pkgScheduler},
	}, row{
		name: "fuel overhead, others waiting", what: "CPU-bound guest `fib` with the clock of a runtime where something waits for its thread (a tick every 500 µs instead of 2 ms), instrumented vs uninstrumented (fastest run; informational)",
		ours: fig{pkgScheduler + ".BenchmarkSlowdown/fib-busy", "inst-min-ns"},
		base: fig{pkgScheduler + ".BenchmarkSlowdown/fib-busy", "orig-min-ns"},
		pkgs: []string{pkgScheduler},
	})
	for _, w := range []string{"fib", "sieve", "xorshift", "gowork"} {
		rs = append(rs, row{
			name: "fuel overhead, max_fuel", what: "CPU-bound guest `" + w + "`, exact instrumentation (processes with max_fuel) vs uninstrumented (fastest run)",
			ours: fig{pkgScheduler + ".BenchmarkSlowdownExact/" + w, "inst-min-ns"},
			base: fig{pkgScheduler + ".BenchmarkSlowdownExact/" + w, "orig-min-ns"},
			pkgs: []string{pkgScheduler},
		})
	}
	for _, c := range []struct{ sub, label string }{{"first", "first run, empty compilation cache"}, {"cached", "with the compilation cache"}} {
		rs = append(rs, row{
			name: "cold start", what: "`lunatic run hello.wasm`, " + c.label + " (baseline: plain wazero CLI equivalent; medians)",
			ours: benchFig("ColdStart/"+c.sub, "lunatic-ns"), base: benchFig("ColdStart/"+c.sub, "wazero-ns"),
			pkgs: []string{pkgBench},
		})
	}
	rs = append(rs, httpRows()...)
	rs = append(rs,
		row{
			name: "tcp echo", what: "requests/s, 100 connections on loopback (baseline: plain Go echo server)",
			ours: fig{pkgNet + ".BenchmarkTCPEcho/lunatic-fuel", "req/s"},
			base: fig{pkgNet + ".BenchmarkTCPEcho/go", "req/s"},
			find: findPair(pkgNet, `(?i)echo`), pkgs: []string{pkgNet},
		},
		sqliteRow("inserts", `(?i)insert`, "Insert", "inserts/s"),
		sqliteRow("point queries", `(?i)query|select`, "PointQuery", "queries/s"),
		row{
			name: "remote ping-pong", what: "round trip of an 8-byte message between processes on two nodes, each an OS process of its own, over their direct connection; the nodes on two servers of a 3-server NATS cluster (baseline: nats.go request/reply on the same servers)",
			ours: remoteFig("pingpong/lunatic-process", "ns/op"), base: remoteFig("pingpong/nats", "ns/op"),
			erlang: erlFig("remote_pingpong", "ns/op"), pkgs: []string{pkgCluster},
		},
		row{
			name: "remote ping-pong", what: "the same, beside its floor (baseline: a Go program echoing 8 bytes over loopback TCP to another Go program, each an OS process of its own)",
			ours: remoteFig("pingpong/lunatic-process", "ns/op"), base: remoteFig("pingpong/tcp-process", "ns/op"),
			erlang: erlFig("remote_pingpong", "ns/op"), pkgs: []string{pkgCluster},
		},
		row{
			name: "remote ping-pong", what: "the same with both nodes in one OS process (baseline: two goroutines echoing 8 bytes over one loopback TCP connection, the floor of any TCP path)",
			ours: remoteFig("pingpong/lunatic", "ns/op"), base: remoteFig("pingpong/tcp", "ns/op"),
			erlang: erlFig("remote_pingpong", "ns/op"), pkgs: []string{pkgCluster},
		},
		row{
			name: "remote ping-pong, NATS", what: "the same between nodes without a direct path, through NATS and a route between two servers (baseline: nats.go request/reply on the same servers)",
			ours: remoteFig("pingpong/lunatic-nats", "ns/op"), base: remoteFig("pingpong/nats", "ns/op"),
			erlang: erlFig("remote_pingpong", "ns/op"), pkgs: []string{pkgCluster},
		},
		row{
			name: "remote ping-pong, NATS", what: "the same through one NATS server, no route hop (baseline: nats.go request/reply through one server)",
			ours: remoteFig("pingpong/lunatic-nats-one-server", "ns/op"), base: remoteFig("pingpong/nats-one-server", "ns/op"),
			erlang: erlFig("remote_pingpong", "ns/op"), pkgs: []string{pkgCluster},
		},
		row{
			name: "remote throughput", what: "one-way 1 KiB messages per second between two nodes over their direct connection (baseline: nats.go publish to a subscriber on the other server)",
			ours: remoteFig("throughput/lunatic", "msgs/s"), base: remoteFig("throughput/nats", "msgs/s"),
			erlang: erlFig("remote_throughput", "msgs/s"), pkgs: []string{pkgCluster},
		},
		row{
			name: "remote throughput, NATS", what: "the same between nodes without a direct path, through NATS (baseline: nats.go publish to a subscriber on the other server)",
			ours: remoteFig("throughput/lunatic-nats", "msgs/s"), base: remoteFig("throughput/nats", "msgs/s"),
			erlang: erlFig("remote_throughput", "msgs/s"), pkgs: []string{pkgCluster},
		},
		row{
			name: "remote spawn", what: "spawn on another node over the direct connection, until the call returns with the child running (baseline: the loopback TCP round trip it rides on)",
			ours: remoteFig("spawn/lunatic", "ns/op"), base: remoteFig("pingpong/tcp", "ns/op"),
			erlang: erlFig("remote_spawn", "ns/op"), pkgs: []string{pkgCluster},
		},
		row{
			name: "remote spawn, NATS", what: "the same between nodes without a direct path (baseline: the nats.go request/reply it rides on)",
			ours: remoteFig("spawn/lunatic-nats", "ns/op"), base: remoteFig("pingpong/nats", "ns/op"),
			erlang: erlFig("remote_spawn", "ns/op"), pkgs: []string{pkgCluster},
		},
		row{
			name: "instantiate+close", what: "17-page module, pooled mmap memory (baseline: wazero's default allocator)",
			ours: fig{pkgLinmem + ".BenchmarkInstantiateClose/pool", "ns/op"},
			base: fig{pkgLinmem + ".BenchmarkInstantiateClose/default", "ns/op"},
			pkgs: []string{pkgLinmem},
		})
	return rs
}

// sqliteRow prefers a guest benchmark in hostfuncs/sqliteapi and falls back to the
// host-side benchmark of sqlite/ (the wire-format path the host functions use, without a
// guest).
func sqliteRow(what, guestRe, hostBench, unit string) row {
	guest := findPair(pkgSQLiteAPI, guestRe)
	return row{
		name: "sqlite", what: what + "/s (baseline: modernc.org/sqlite through database/sql)",
		find: func(f figures) (fig, fig, bool) {
			// The same statements both ways: a guest preparing each statement, as
			// lunatic-rs does, against database/sql preparing each one.
			o := fig{pkgSQLiteAPI + ".Benchmark" + hostBench + "/guest", unit}
			b := fig{pkgSQLiteAPI + ".Benchmark" + hostBench + "/go-sql", unit}
			if _, ok := f.get(o.key, o.unit); ok {
				if _, ok := f.get(b.key, b.unit); ok {
					return o, b, true
				}
			}
			if o, b, ok := guest(f); ok {
				return o, b, true
			}
			o = fig{pkgSQLite + ".Benchmark" + hostBench + "/session", unit}
			b = fig{pkgSQLite + ".Benchmark" + hostBench + "/database-sql", unit}
			_, ok1 := f.get(o.key, o.unit)
			_, ok2 := f.get(b.key, b.unit)
			return o, b, ok1 && ok2
		},
		pkgs: []string{pkgSQLiteAPI, pkgSQLite},
	}
}

// baselineName matches the name element of a benchmark that measures a baseline.
var baselineName = regexp.MustCompile(`(?i)(^|/)(go|plain|baseline|std|stdlib|net|modernc|database-sql|direct|native)($|[-_/])`)

// findPair picks, among the benchmarks of pkg whose name matches nameRe, one baseline
// (its name has an element like "go" or "plain") and one of ours, and a unit both report:
// a rate (".../s") if there is one, else ns/op.
func findPair(pkg, nameRe string) func(figures) (fig, fig, bool) {
	re := regexp.MustCompile(nameRe)
	return func(f figures) (fig, fig, bool) {
		var keys []string
		for k := range f {
			if name, ok := strings.CutPrefix(k, pkg+".Benchmark"); ok && re.MatchString(name) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		var ours, base string
		for _, k := range keys {
			name := strings.TrimPrefix(k, pkg+".")
			switch {
			case baselineName.MatchString(name):
				if base == "" {
					base = k
				}
			case ours == "":
				ours = k
			}
		}
		if ours == "" || base == "" {
			return fig{}, fig{}, false
		}
		unit := commonUnit(f[ours], f[base])
		if unit == "" {
			return fig{}, fig{}, false
		}
		return fig{ours, unit}, fig{base, unit}, true
	}
}

// commonUnit is a rate unit both results report, else ns/op if both do.
func commonUnit(a, b map[string]float64) string {
	var units []string
	for u := range a {
		if _, ok := b[u]; ok {
			units = append(units, u)
		}
	}
	sort.Strings(units)
	for _, u := range units {
		if strings.HasSuffix(u, "/s") {
			return u
		}
	}
	if _, ok := a["ns/op"]; ok {
		if _, ok := b["ns/op"]; ok {
			return "ns/op"
		}
	}
	return ""
}
