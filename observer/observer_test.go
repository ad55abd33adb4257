package observer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/metrics/vmobserver"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/scheduler"
	"github.com/lunatic-go/lunatic/vm"
)

// busyWasm is the guest that keeps a small supervision tree working (see its source in
// testdata/wasm/rust/actors/src/bin/busy.rs).
const busyWasm = "../testdata/wasm/busy.wasm"

// fixture runs busy.wasm (forever) in a metered runtime, observed and served over HTTP.
type fixture struct {
	rt   *vm.Runtime
	root *vm.Process
	ob   *Observer
	srv  *httptest.Server
}

func newFixture(t *testing.T, actions bool) *fixture {
	t.Helper()
	ctx := context.Background()
	m, err := metrics.New(metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mo := vmobserver.New(m)
	rt, err := vm.New(ctx, vm.Options{Instrument: scheduler.Instrument, Observer: mo})
	if err != nil {
		t.Fatal(err)
	}
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero(), hostfuncs.WithMetrics(m)); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile(busyWasm)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, "busy.wasm", wasm)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{rt: rt}
	f.ob = New(Options{Metrics: m, Environments: mo.Environments, Actions: actions, Interval: 100 * time.Millisecond})
	f.srv = httptest.NewServer(f.ob.Handler(m.Handler()))
	t.Cleanup(func() {
		f.srv.Close()
		f.ob.Close()
		_ = rt.Close(ctx)
	})
	f.root, err = rt.NewEnvironment(1).Spawn(ctx, vm.SpawnOptions{
		Module: mod, Config: permissions.Root([]string{"busy.wasm", "0"}, nil, nil), Entry: "_start",
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// get fetches path and decodes the JSON answer into v, checking the status.
func (f *fixture) get(t *testing.T, path string, code int, v any) {
	t.Helper()
	resp, err := http.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != code {
		t.Fatalf("GET %s: %s, want %d\n%s", path, resp.Status, code, body)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
	}
}

// events reads the summary stream.
type events struct {
	resp *http.Response
	sc   *bufio.Scanner
}

func (f *fixture) events(t *testing.T) *events {
	t.Helper()
	resp, err := http.Get(f.srv.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("/api/events Content-Type %q", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<24)
	return &events{resp: resp, sc: sc}
}

// next returns the next event's name and data.
func (e *events) next(t *testing.T) (string, []byte) {
	t.Helper()
	var name string
	for e.sc.Scan() {
		line := e.sc.Text()
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			name = v
		} else if v, ok := strings.CutPrefix(line, "data: "); ok {
			return name, []byte(v)
		}
	}
	t.Fatalf("event stream ended: %v", e.sc.Err())
	return "", nil
}

// until reads points until ok accepts one (the stream is the runtime's clock: no sleeps).
func (e *events) until(t *testing.T, what string, ok func(Point) bool) Point {
	t.Helper()
	for range 600 { // a minute of points at 100 ms
		name, data := e.next(t)
		if name != "point" {
			continue
		}
		var p Point
		if err := json.Unmarshal(data, &p); err != nil {
			t.Fatal(err)
		}
		if ok(p) {
			return p
		}
	}
	t.Fatalf("no point with %s", what)
	return Point{}
}

// steady waits until the guest's tree is complete: root, 3 supervisors, 3×(4 workers + a
// slow one), and a worker has crashed and been restarted at least once.
func (f *fixture) steady(t *testing.T, ev *events) Point {
	return ev.until(t, "19 processes alive and a trap", func(p Point) bool {
		return p.Alive >= 19 && p.FinishedTotal["trap"] > 0
	})
}

func TestServesPageAPIAndMetrics(t *testing.T) {
	f := newFixture(t, false)
	ev := f.events(t)
	if name, data := ev.next(t); name != "history" || !strings.HasPrefix(string(data), "[") {
		t.Fatalf("first event %q %.80s, want the history", name, data)
	}
	p1 := f.steady(t, ev)
	p2 := ev.until(t, "more messages", func(p Point) bool { return p.MessagesTotal > p1.MessagesTotal })
	if p2.SpawnedPerSec <= 0 && p2.MessagesPerSec <= 0 || p2.FuelTotal <= p1.FuelTotal || p2.MemoryBytes == 0 || p2.Timers != 3 {
		t.Errorf("summary does not show the work: %+v", p2)
	}

	for path, want := range map[string]string{
		"/":                 "<title>lunatic observer</title>",
		"/static/app.js":    "new EventSource('api/events')",
		"/static/style.css": ".cards",
		"/metrics":          "lunatic_processes_alive",
		"/processes":        `"entry":"_start"`,
	} {
		resp, err := http.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %s, body lacks %q", path, resp.Status, want)
		}
		if path == "/" && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("the page has no content security policy")
		}
	}

	// The supervisors, by registered name.
	var page struct {
		At int64
		Page
	}
	f.get(t, "/api/processes?filter=name:supervisor&sort=id", http.StatusOK, &page)
	if page.Matched != 3 || page.Total < 19 || len(page.Rows) != 3 {
		t.Fatalf("supervisors: matched %d of %d: %+v", page.Matched, page.Total, page.Rows)
	}
	for i, r := range page.Rows {
		if r.Parent != 1 || r.Entry != "_lunatic_spawn_by_index_0.14.1" || len(r.Names) != 1 || !strings.HasPrefix(r.Names[0], "supervisor-") ||
			!slices.Contains(r.Links, 1) || !slices.Equal(r.Monitors, []uint64{1}) || r.Fuel == 0 || r.Memory == 0 {
			t.Errorf("supervisor %d: %+v", i, r)
		}
	}
	sup := page.Rows[0].ID

	// Sorted by mailbox, descending: the slow workers pile messages up.
	f.get(t, "/api/processes?sort=mailbox&order=desc&limit=5", http.StatusOK, &page)
	if len(page.Rows) != 5 || !slices.IsSortedFunc(page.Rows, func(a, b Row) int { return b.Mailbox - a.Mailbox }) {
		t.Fatalf("by mailbox: %+v", page.Rows)
	}
	// Paging: two pages of 10 by id are consecutive and disjoint.
	var a, b struct{ Page }
	f.get(t, "/api/processes?limit=10", http.StatusOK, &a)
	f.get(t, "/api/processes?limit=10&offset=10", http.StatusOK, &b)
	if len(a.Rows) != 10 || len(b.Rows) == 0 || a.Rows[9].ID >= b.Rows[0].ID || a.Rows[0].ID != 1 {
		t.Fatalf("pages: %v then %v", ids(a.Rows), ids(b.Rows))
	}

	// The tree: one root with three supervisors, each with its workers.
	var tree struct{ Levels []TreeLevel }
	f.get(t, fmt.Sprintf("/api/tree?parent=0&parent=1:1&parent=%d", sup), http.StatusOK, &tree)
	if len(tree.Levels) != 3 {
		t.Fatalf("levels: %+v", tree.Levels)
	}
	roots, top, workers := tree.Levels[0], tree.Levels[1], tree.Levels[2]
	if roots.Total != 1 || roots.Children[0].ID != 1 || roots.Children[0].Children != 3 || roots.Children[0].Names[0] != "main" {
		t.Errorf("roots: %+v", roots)
	}
	if top.Total != 3 || top.Children[0].ID != sup || top.Children[0].Children < 5 {
		t.Errorf("children of 1: %+v", top)
	}
	if workers.Total < 5 || workers.Children[0].Parent != sup {
		t.Errorf("children of %d: %+v", sup, workers)
	}
	f.get(t, "/api/tree?parent=1&limit=2&offset=2", http.StatusOK, &tree)
	if lv := tree.Levels[0]; lv.Total != 3 || len(lv.Children) != 1 || lv.Children[0].ID != top.Children[2].ID {
		t.Errorf("paged children of 1: %+v", lv)
	}

	// One process in detail; asked twice, its mailbox history grows.
	var d detail
	f.get(t, "/api/processes/1", http.StatusOK, &d)
	if d.Entry != "_start" || d.Module != "busy.wasm" || !slices.Equal(d.Names, []string{"main"}) || !d.NamesKnown ||
		d.Config == nil || !slices.Equal(d.Config.Args, []string{"busy.wasm", "0"}) || !d.Config.CanSpawnProcesses ||
		d.DieWhenLinkDies || d.Children != 3 || len(d.Links) != 3 {
		t.Fatalf("detail of 1: %+v", d)
	}
	f.get(t, fmt.Sprintf("/api/processes/%d?env=1", sup), http.StatusOK, &d)
	n := len(d.MailboxHistory)
	asked := d.MailboxHistory[n-1].Time
	// A point taken after the request also sampled the watched mailbox.
	ev.until(t, "a later sample", func(p Point) bool { return p.Time > asked })
	f.get(t, fmt.Sprintf("/api/processes/%d", sup), http.StatusOK, &d)
	if len(d.MailboxHistory) <= n || d.Config.MaxMemory != permissions.DefaultMaxMemory {
		t.Errorf("mailbox history did not grow (%d then %d points): %+v", n, len(d.MailboxHistory), d)
	}

	// Errors.
	f.get(t, "/api/processes/999999", http.StatusNotFound, nil)
	f.get(t, "/api/processes/x", http.StatusBadRequest, nil)
	f.get(t, "/api/processes?sort=colour", http.StatusBadRequest, nil)
	f.get(t, "/api/tree?parent=a:b", http.StatusBadRequest, nil)
	var info info
	f.get(t, "/api/info", http.StatusOK, &info)
	if info.Actions || info.IntervalMS != 100 {
		t.Errorf("info %+v", info)
	}
}

func ids(rows []Row) []uint64 {
	var out []uint64
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

func post(t *testing.T, h http.Handler, url, remote, host string, header bool) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, url, nil)
	r.RemoteAddr = remote
	r.Host = host
	if header {
		r.Header.Set(actionHeader, "kill")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestKillIsOffByDefault: without Actions the endpoint refuses, even from loopback.
func TestKillIsOffByDefault(t *testing.T) {
	f := newFixture(t, false)
	f.steady(t, f.events(t))
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/api/processes/2/kill", nil)
	req.Header.Set(actionHeader, "kill")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("kill with actions off: %s", resp.Status)
	}
	if !f.root.Env().Exists(2) {
		t.Fatal("process 2 was killed")
	}
}

// TestKillFromLoopbackOnly: with Actions, a loopback client with the header kills; other
// addresses, other host names and requests without the header are refused.
func TestKillFromLoopbackOnly(t *testing.T) {
	f := newFixture(t, true)
	f.steady(t, f.events(t))
	h := f.ob.Handler(nil)
	for _, tc := range []struct{ remote, host string }{
		{"192.0.2.7:5555", "127.0.0.1:9927"},
		{"[2001:db8::1]:5555", "[::1]:9927"},
		{"127.0.0.1:5555", "evil.example:9927"},
	} {
		if w := post(t, h, "/api/processes/2/kill", tc.remote, tc.host, true); w.Code != http.StatusForbidden {
			t.Errorf("kill from %s for host %s: %d %s", tc.remote, tc.host, w.Code, w.Body)
		}
	}
	if w := post(t, h, "/api/processes/2/kill", "127.0.0.1:5555", "localhost:9927", false); w.Code != http.StatusForbidden {
		t.Errorf("kill without the header: %d", w.Code)
	}
	victim := f.root.Env().Lookup(2)
	if victim == nil {
		t.Fatal("process 2 is not alive")
	}
	if w := post(t, h, "/api/processes/999999/kill", "127.0.0.1:5555", "localhost:9927", true); w.Code != http.StatusNotFound {
		t.Errorf("kill of a missing process: %d", w.Code)
	}
	// Through the real listener, as the page does it.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/api/processes/2/kill?env=1", nil)
	req.Header.Set(actionHeader, "kill")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("kill from loopback: %s", resp.Status)
	}
	select { // 204: it has ended already
	case <-victim.Done():
	default:
		t.Fatal("process 2 has not ended when the kill answered 204")
	}
	var gone struct {
		Alive *bool `json:"alive"`
	}
	f.get(t, "/api/processes/2?missing=ok", http.StatusOK, &gone)
	if gone.Alive == nil || *gone.Alive {
		t.Errorf("missing=ok answer for an ended process: alive %v", gone.Alive)
	}
	f.get(t, "/api/processes/2", http.StatusNotFound, nil)
	if !errors.Is(victim.Death(), vm.ErrKilled) {
		t.Errorf("death %v, want a kill", victim.Death())
	}
}
