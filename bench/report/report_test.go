package main

import (
	"strings"
	"testing"
)

const sampleGo = `goos: linux
pkg: github.com/lunatic-go/lunatic/bench
BenchmarkSpawn/lunatic-rust-2         	   10000	    298694 ns/op
BenchmarkSpawn/go-2                   	 1820077	       613.6 ns/op
BenchmarkSpawnExit/inflight=64/lunatic-rust-2        	   10000	    196080 ns/op	      5100 procs/s
BenchmarkSpawnExit/inflight=64/go-2                  	 1000000	      1673 ns/op	    597626 procs/s
PASS
pkg: github.com/lunatic-go/lunatic/hostfuncs/networkingapi
BenchmarkTCPEcho/lunatic-2   	 1	 5000 ns/op	 20000 req/s
BenchmarkTCPEcho/plain-go-2  	 1	 1000 ns/op	 100000 req/s
`

func parsed(t *testing.T) figures {
	t.Helper()
	f := figures{}
	if err := parseGo(strings.NewReader(sampleGo), "github.com/lunatic-go/lunatic", f); err != nil {
		t.Fatal(err)
	}
	if err := parseErlang(strings.NewReader("spawn 9780.200 ns/op\nnoise\n"), f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestParse(t *testing.T) {
	f := parsed(t)
	for _, c := range []struct {
		key, unit string
		want      float64
	}{
		{"bench.BenchmarkSpawn/lunatic-rust", "ns/op", 298694},
		{"bench.BenchmarkSpawn/go", "ns/op", 613.6},
		{"bench.BenchmarkSpawnExit/inflight=64/go", "procs/s", 597626},
		{"hostfuncs/networkingapi.BenchmarkTCPEcho/plain-go", "req/s", 100000},
		{"erlang.spawn", "ns/op", 9780.2},
	} {
		if got, ok := f.get(c.key, c.unit); !ok || got != c.want {
			t.Errorf("%s %s = %v, %v; want %v", c.key, c.unit, got, ok, c.want)
		}
	}
}

func TestCostRatio(t *testing.T) {
	if r, _ := costRatio(200, 100, "ns/op"); r != 2 {
		t.Errorf("time ratio = %v, want 2", r)
	}
	if r, _ := costRatio(100, 400, "procs/s"); r != 4 {
		t.Errorf("rate ratio = %v, want 4 (a quarter of the rate costs four times as much)", r)
	}
	if _, ok := costRatio(0, 1, "ns/op"); ok {
		t.Error("a zero figure has no ratio")
	}
}

func TestFormatValue(t *testing.T) {
	for _, c := range []struct {
		v    float64
		unit string
		want string
	}{
		{298694, "ns/op", "299 µs"},
		{613.6, "ns/op", "614 ns"},
		{12088, "ns/hop", "12.1 µs/hop"},
		{42254, "B/proc", "41.3 KiB/proc"},
		{597626, "procs/s", "597,626 procs/s"},
		{2.5e9, "ns/op", "2.50 s"},
	} {
		if got := formatValue(c.v, c.unit); got != c.want {
			t.Errorf("formatValue(%v, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}

func TestFindPair(t *testing.T) {
	ours, base, ok := findPair(pkgNet, `(?i)echo`)(parsed(t))
	if !ok {
		t.Fatal("no pair found")
	}
	if !strings.HasSuffix(ours.key, "/lunatic") || !strings.HasSuffix(base.key, "/plain-go") || ours.unit != "req/s" {
		t.Errorf("pair = %v / %v, want lunatic vs plain-go in req/s", ours, base)
	}
}

func TestRenderTable(t *testing.T) {
	f := parsed(t)
	st := statuses{pkgScheduler: "absent", pkgLinmem: "failed"}
	out := renderTable(rows(), f, st, true)
	for _, want := range []string{
		"| spawn | spawn a process and wait for its first message (Rust guest, 17 pages) | 299 µs | 614 ns | 487× | 9.78 µs | 30.5× |",
		"| 117× | — | — |", // spawn+exit 64 in flight (Rust): no Erlang figure
		"| tcp echo | requests/s, 100 connections on loopback (baseline: plain Go echo server) | 20,000 req/s | 100,000 req/s | 5.00× |",
		"| fuel overhead | CPU-bound guest `fib`, instrumented vs uninstrumented (fastest run over four code layouts) | n/a (benchmark not present) |",
		"| instantiate+close | 17-page module, pooled mmap memory (baseline: wazero's default allocator) | n/a (benchmark failed, see the log) |",
		"| ping-pong | round trip of an 8-byte message between two processes (Rust) | n/a (no figure) |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	f.add(pkgNet+".BenchmarkTCPEcho/lunatic-fuel", "req/s", 8000)
	f.add(pkgNet+".BenchmarkTCPEcho/go", "req/s", 96000)
	if out := renderTable(rows(), f, st, false); !strings.Contains(out, "| 8,000 req/s | 96,000 req/s | 12.0× |") {
		t.Errorf("tcp echo does not use the fixed names lunatic-fuel and go:\n%s", out)
	}
	if noErl := renderTable(rows(), f, st, false); strings.Contains(noErl, "Erlang") {
		t.Errorf("table without Erlang still has an Erlang column:\n%s", noErl)
	}
}

func TestGoals(t *testing.T) {
	f := figures{}
	f.add("bench.BenchmarkIdleMemory/n=100000/lunatic-rust", "B/proc", 42254)
	f.add("scheduler.BenchmarkSlowdown/fib", "slowdown-%", 4.0)
	f.add("scheduler.BenchmarkSlowdown/fib", "med-slowdown-%", 3.04)
	f.add("scheduler.BenchmarkSlowdown/sieve", "med-slowdown-%", 5.06)
	f.add("scheduler.BenchmarkSlowdown/fib-long", "med-slowdown-%", 4.24)
	f.add("scheduler.BenchmarkSlowdown/fib-busy", "med-slowdown-%", 9.16)
	out := renderGoals(f)
	for _, want := range []string{
		"at 10,000 processes: not measured",
		"at 100,000 processes: 41.3 KiB (42254 B) — not met",
		"100,000 live processes: reached — 100,000 Rust-guest processes blocked in receive at once, 3.94 GiB",
		"fib +3.0 % (fastest runs +4.0 %), sieve +5.1 % — not met; not judged: fib over 8 ms (fib(30)) +4.2 %, fib while something waits for its thread (a tick every 500 µs) +9.2 %.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("goals lack %q:\n%s", want, out)
		}
	}
}

func TestMaxProcessesGoal(t *testing.T) {
	f := figures{}
	if got := maxProcessesGoal(f); !strings.Contains(got, "not measured") {
		t.Fatalf("without figures: %q", got)
	}
	key := pkgBench + ".BenchmarkMaxProcesses"
	f.add(key, "wat-procs", 1_000_000)
	f.add(key, "rust-procs", 120_000)
	f.add(key, "rss-bytes", 20<<30)
	f.add(key, "seconds", 150)
	f.add(key, "stop", 2)
	got := maxProcessesGoal(f)
	for _, want := range []string{"not met", "1,000,000 WAT + 120,000 Rust", "time bound"} {
		if !strings.Contains(got, want) {
			t.Errorf("goal line %q lacks %q", got, want)
		}
	}
	f.add(key, "rust-procs", 250_000)
	f.add(key, "stop", 0)
	if got := maxProcessesGoal(f); !strings.Contains(got, ": met") || strings.Contains(got, "stopped") {
		t.Errorf("reached: %q", got)
	}
}

func TestMemoryGoals(t *testing.T) {
	f := figures{}
	got := cascadeGoal(f) + stackGoal(f)
	if strings.Count(got, "not measured") != 2 {
		t.Fatalf("without figures: %q", got)
	}
	f.add(pkgBench+".BenchmarkCascadeMemory/lunatic", "MiB_after", 97.3)
	f.add(pkgBench+".BenchmarkCascadeMemory/lunatic", "MiB_before", 17.3)
	f.add(pkgBench+".BenchmarkCascadeMemory/go", "MiB_after", 66.4)
	f.add(pkgBench+".BenchmarkCascadeMemory/go", "MiB_before", 13.5)
	f.add(pkgBench+".BenchmarkStackOverflowMemory/bounded", "MiB/proc", 13.6)
	f.add(pkgBench+".BenchmarkStackOverflowMemory/unbounded", "MiB/proc", 122)
	got = renderGoals(f)
	for _, want := range []string{
		"97.3 MiB after vs 17.3 MiB before (5.62×) — not met; the Go floor alone: 66.4 MiB after 13.5 MiB (4.92×)",
		"13.6 MiB per process — met (122 MiB without the bound)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("goals lack %q:\n%s", want, got)
		}
	}
	table := renderTable(rows(), f, statuses{}, false)
	for _, want := range []string{"| 97.3 MiB | 66.4 MiB | 1.47× |", "| 97.3 MiB | 17.3 MiB | 5.62× |", "| 13.6 MiB/proc | 122 MiB/proc | 0.11× |"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	f.add(pkgBench+".BenchmarkCascadeMemory/lunatic", "MiB_after", 20)
	if got := cascadeGoal(f); !strings.Contains(got, "— met") {
		t.Errorf("within 25 %%: %q", got)
	}
}

// A benchmark run with -count gets the median of its runs in each unit.
func TestParseRepeatsTakeTheMedian(t *testing.T) {
	const out = `pkg: github.com/lunatic-go/lunatic/scheduler
BenchmarkSlowdown/fib-2 	 200	 1 ns/op	 9.5 med-slowdown-%
BenchmarkSlowdown/fib-2 	 200	 3 ns/op	 2.5 med-slowdown-%
BenchmarkSlowdown/fib-2 	 200	 2 ns/op	 3.0 med-slowdown-%
BenchmarkSlowdown/sieve-2 	 200	 4 ns/op	 -1 med-slowdown-%
BenchmarkSlowdown/sieve-2 	 200	 8 ns/op	 -3 med-slowdown-%
`
	f := figures{}
	if err := parseGo(strings.NewReader(out), "github.com/lunatic-go/lunatic", f); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key, unit string
		want      float64
	}{
		{"scheduler.BenchmarkSlowdown/fib", "med-slowdown-%", 3.0},
		{"scheduler.BenchmarkSlowdown/fib", "ns/op", 2},
		{"scheduler.BenchmarkSlowdown/sieve", "med-slowdown-%", -2},
		{"scheduler.BenchmarkSlowdown/sieve", "ns/op", 6},
	} {
		if got, ok := f.get(c.key, c.unit); !ok || got != c.want {
			t.Errorf("%s %s = %v (%v), want %v", c.key, c.unit, got, ok, c.want)
		}
	}
}
