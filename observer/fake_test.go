package observer

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/vm"
)

// fakeSource serves fixed snapshots, for sizes no test machine could spawn.
type fakeSource struct{ snaps []vm.ProcessSnapshot }

func (f fakeSource) appendSnapshots(dst []vm.ProcessSnapshot) []vm.ProcessSnapshot {
	return append(dst, f.snaps...)
}
func (fakeSource) lookup(env, id uint64) *vm.Process     { return nil }
func (fakeSource) names(env, id uint64) ([]string, bool) { return nil, true }
func (fakeSource) allNames() map[procKey][]string        { return nil }

// fakeTree is n processes: 1 is the root, every other process i is a child of i/10.
func fakeTree(n int) fakeSource {
	s := make([]vm.ProcessSnapshot, n)
	now := time.Now()
	for i := range s {
		id := uint64(i + 1)
		s[i] = vm.ProcessSnapshot{ID: id, Environment: 1, Parent: id / 10, Entry: "worker", State: vm.StateWaiting,
			MailboxLen: i % 7, MemoryBytes: 65536, FuelUsed: uint64(i) * 100, Started: now, Links: []uint64{id / 10}}
	}
	return fakeSource{snaps: s}
}

// TestTreeOrphans: a process whose parent has ended is listed with the roots.
func TestTreeOrphans(t *testing.T) {
	src := fakeSource{snaps: []vm.ProcessSnapshot{
		{ID: 1, Environment: 1}, {ID: 2, Environment: 1, Parent: 1}, {ID: 5, Environment: 1, Parent: 3},
		{ID: 1, Environment: 2}, {ID: 6, Environment: 1, Parent: 2},
	}}
	sn := (&snapshots{src: src}).get()
	roots := sn.level(0, 0, 0, 10)
	var got []procKey
	for _, c := range roots.Children {
		got = append(got, procKey{c.Env, c.ID})
	}
	want := []procKey{{1, 1}, {1, 5}, {2, 1}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("roots %v, want %v", got, want)
	}
	if !roots.Children[1].Orphan || roots.Children[0].Orphan || roots.Children[0].Children != 1 {
		t.Errorf("roots %+v", roots.Children)
	}
	if lv := sn.level(1, 2, 0, 10); lv.Total != 1 || lv.Children[0].ID != 6 {
		t.Errorf("children of 1:2: %+v", lv)
	}
	if lv := sn.level(2, 0, 0, 10); lv.Total != 1 || lv.Children[0].Env != 2 {
		t.Errorf("roots of environment 2: %+v", lv)
	}
}

// TestTableAndTreeRequests pages a 10,000-process table and tree through the HTTP API
// (TestApplyMatchesReference checks paging on 100,000).
func TestTableAndTreeRequests(t *testing.T) {
	ob := newObserver(Options{Metrics: mustMetrics(t)}, fakeTree(10_000))
	defer ob.Close()
	srv := httptest.NewServer(ob.Handler(nil))
	defer srv.Close()
	var page Page
	getJSON(t, srv.URL+"/api/processes?sort=fuel&order=desc&limit=3&offset=1", &page)
	if page.Total != 10_000 || page.Matched != 10_000 || len(page.Rows) != 3 || page.Rows[0].ID != 9_999 || page.Rows[2].ID != 9_997 {
		t.Fatalf("page %+v", page)
	}
	var tree struct{ Levels []TreeLevel }
	getJSON(t, srv.URL+"/api/tree?parent=1:10&limit=5", &tree)
	if lv := tree.Levels[0]; lv.Total != 10 || len(lv.Children) != 5 || lv.Children[0].ID != 100 || lv.Children[0].Children != 10 {
		t.Fatalf("children of 10: %+v", lv)
	}
}

func mustMetrics(t testing.TB) *metrics.Metrics {
	m, err := metrics.New(metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func getJSON(t testing.TB, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkTableRequest100k is one /api/processes request over HTTP with 100,000 live
// processes, each request taking a fresh snapshot (the worst case: in use, requests
// within half a sampling interval share one).
func BenchmarkTableRequest100k(b *testing.B) {
	ob := newObserver(Options{Metrics: mustMetrics(b), Interval: time.Hour}, fakeTree(100_000))
	defer ob.Close()
	ob.snaps.maxAge = 0
	srv := httptest.NewServer(ob.Handler(nil))
	defer srv.Close()
	for _, q := range []string{"sort=mailbox&order=desc&limit=50", "sort=age&offset=20000&limit=100&filter=mailbox>3"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				var page Page
				getJSON(b, srv.URL+"/api/processes?"+q, &page)
				if len(page.Rows) == 0 {
					b.Fatal("empty page")
				}
			}
		})
	}
}

// BenchmarkTree100k is the roots and one expanded node of a 100,000-process tree, with a
// fresh snapshot each time.
func BenchmarkTree100k(b *testing.B) {
	ob := newObserver(Options{Metrics: mustMetrics(b), Interval: time.Hour}, fakeTree(100_000))
	defer ob.Close()
	ob.snaps.maxAge = 0
	srv := httptest.NewServer(ob.Handler(nil))
	defer srv.Close()
	for b.Loop() {
		var tree struct{ Levels []TreeLevel }
		getJSON(b, srv.URL+"/api/tree?parent=0&parent=1:1", &tree)
	}
}
