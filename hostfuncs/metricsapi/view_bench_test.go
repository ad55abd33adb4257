package metricsapi_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// benchProcesses is how many idle processes the view benchmarks walk.
const benchProcesses = 1000

// idleFixture starts benchProcesses processes blocked in receive.
func idleFixture(b *testing.B) *fixture {
	f := newFixture(b, metrics.Options{})
	env := f.rt.NewEnvironment(1)
	for range benchProcesses {
		if _, err := env.Spawn(context.Background(), vm.SpawnOptions{
			Module: f.mod, Config: permissions.New(), Entry: "idle",
			Stdout: io.Discard, Stderr: io.Discard,
		}); err != nil {
			b.Fatal(err)
		}
	}
	return f
}

// BenchmarkScrape is one /metrics scrape with benchProcesses live processes.
func BenchmarkScrape(b *testing.B) {
	f := idleFixture(b)
	for b.Loop() {
		get(b, f.srv.URL+"/metrics")
	}
}

// BenchmarkProcessView is one /processes request with benchProcesses live processes.
func BenchmarkProcessView(b *testing.B) {
	f := idleFixture(b)
	for b.Loop() {
		get(b, f.srv.URL+"/processes")
	}
}

func get(b *testing.B, url string) {
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	b.SetBytes(n)
}
