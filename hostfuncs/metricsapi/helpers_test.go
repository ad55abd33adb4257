package metricsapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/metrics/metricstest"
	"github.com/lunatic-go/lunatic/metrics/vmobserver"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/scheduler"
	"github.com/lunatic-go/lunatic/vm"
)

// guestWasm is testdata/guest.wat, built with: wat2wasm guest.wat -o guest.wasm
const guestWasm = "testdata/guest.wasm"

// endSignal wraps the Observer and reports every process end after the Observer has
// recorded it, so a test can wait until the metrics of known work are complete.
type endSignal struct {
	*vmobserver.Observer
	ended chan *vm.Process
}

func (e endSignal) ProcessEnded(p *vm.Process, death error) {
	e.Observer.ProcessEnded(p, death)
	e.ended <- p
}

// fixture is a runtime with metrics (fuel-metered, like lunatic run) served over HTTP.
type fixture struct {
	rt    *vm.Runtime
	mod   *vm.Module
	srv   *httptest.Server
	ended chan *vm.Process
}

func newFixture(t testing.TB, o metrics.Options) *fixture {
	t.Helper()
	ctx := context.Background()
	m, err := metrics.New(o)
	if err != nil {
		t.Fatal(err)
	}
	obs := endSignal{Observer: vmobserver.New(m), ended: make(chan *vm.Process, 64)}
	rt, err := vm.New(ctx, vm.Options{Instrument: scheduler.Instrument, InstrumentExact: scheduler.InstrumentExact, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(ctx) })
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero(), hostfuncs.WithMetrics(m)); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile(guestWasm)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, guestWasm, wasm)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	return &fixture{rt: rt, mod: mod, srv: srv, ended: obs.ended}
}

// spawn starts entry as the root process of a new environment.
func (f *fixture) spawn(t *testing.T, entry string) *vm.Process {
	t.Helper()
	env := f.rt.NewEnvironment(1)
	p, err := env.Spawn(context.Background(), vm.SpawnOptions{
		Module: f.mod, Config: permissions.Root([]string{"guest"}, nil, nil), Entry: entry,
		Stdin: bytes.NewReader(nil), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{},
	})
	if err != nil {
		t.Fatalf("spawn %s: %v", entry, err)
	}
	return p
}

// awaitEnds waits until n processes have ended and returns them.
func (f *fixture) awaitEnds(t *testing.T, n int) []*vm.Process {
	t.Helper()
	var out []*vm.Process
	for len(out) < n {
		select {
		case p := <-f.ended:
			out = append(out, p)
		case <-time.After(time.Minute):
			t.Fatalf("only %d of %d processes ended within a minute", len(out), n)
		}
	}
	return out
}

func (f *fixture) scrape(t *testing.T) metricstest.Families {
	t.Helper()
	return metricstest.Scrape(t, f.srv.URL+"/metrics")
}

// getJSON GETs path and decodes the JSON body into v, returning the status code.
func (f *fixture) getJSON(t *testing.T, path string, v any) int {
	t.Helper()
	resp, err := http.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode
}

type want struct {
	name   string
	labels []string
	value  float64
}

func check(t *testing.T, fam metricstest.Families, wants []want) {
	t.Helper()
	for _, w := range wants {
		if got := fam.Value(t, w.name, w.labels...); got != w.value {
			t.Errorf("%s%v = %v, want %v", w.name, w.labels, got, w.value)
		}
	}
}
