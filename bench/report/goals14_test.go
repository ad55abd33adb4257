package main

import (
	"strings"
	"testing"
)

const sample14 = `pkg: github.com/lunatic-go/lunatic/bench
BenchmarkSpawn/lunatic-rust-2         	   10000	    50000 ns/op
BenchmarkSpawn/lunatic-rust-debug-2   	   10000	   160000 ns/op
BenchmarkHTTP/lunatic-2   	 1	 8000000000 ns/op	 60000 cpu-ns/req	 20000 req/s	 1000000 p50-ns	 3000000 p99-ns
BenchmarkHTTP/go-2        	 1	 8000000000 ns/op	 20000 cpu-ns/req	 36000 req/s	  700000 p50-ns	 1600000 p99-ns
`

func TestGoals14(t *testing.T) {
	f := figures{}
	if err := parseGo(strings.NewReader(sample14), "github.com/lunatic-go/lunatic", f); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	goals14(&b, f)
	got := b.String()
	for _, want := range []string{
		"debug-profile Rust guest ≤ 3× the release guest's: 160 µs vs 50.0 µs (3.20×) — not met.",
		"20,000 req/s vs 36,000 req/s (0.56×), p99 3.00 ms vs 1.60 ms (1.88×) — met.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("goals lack %q:\n%s", want, got)
		}
	}
	table := renderTable(append([]row{debugSpawnRow()}, httpRows()...), f, statuses{}, false)
	for _, want := range []string{"| 160 µs | 50.0 µs | 3.20× |", "| 20,000 req/s | 36,000 req/s | 1.80× |", "| 3.00 ms | 1.60 ms | 1.88× |", "| 60.0 µs/req | 20.0 µs/req | 3.00× |"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	b.Reset()
	goals14(&b, figures{})
	if strings.Count(b.String(), "not measured") != 2 {
		t.Errorf("without figures both goals must read not measured:\n%s", b.String())
	}
}
