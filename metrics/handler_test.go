package metrics_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/metrics"
)

// fakeSource is a fixed runtime view.
type fakeSource struct{ rows []metrics.ProcessInfo }

func (f fakeSource) Sample() metrics.Sample {
	return metrics.Sample{MailboxMessages: 7, MailboxMax: 5, MemoryBytes: 3 << 16}
}

func (f fakeSource) Processes() []metrics.ProcessInfo {
	return append([]metrics.ProcessInfo(nil), f.rows...)
}

func (f fakeSource) Process(id uint64) (metrics.ProcessInfo, bool) {
	for _, r := range f.rows {
		if r.ID == id {
			return r, true
		}
	}
	return metrics.ProcessInfo{}, false
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestScrapeTimeGauges(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	check(t, scrape(t, srv), []want{ // no source yet: zeros
		{"lunatic_mailbox_messages", nil, 0},
		{"lunatic_process_memory_bytes", nil, 0},
	})
	m.SetSource(fakeSource{})
	check(t, scrape(t, srv), []want{
		{"lunatic_mailbox_messages", nil, 7},
		{"lunatic_mailbox_messages_max", nil, 5},
		{"lunatic_process_memory_bytes", nil, 3 << 16},
	})
}

func TestProcessView(t *testing.T) {
	m, srv := newServer(t, metrics.Options{})
	if code, body := get(t, srv.URL+"/processes"); code != 200 || strings.TrimSpace(body) != "[]" {
		t.Fatalf("no source: %d %q", code, body)
	}
	started := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	m.SetSource(fakeSource{rows: []metrics.ProcessInfo{
		{ID: 3, Environment: 1, Parent: 1, Entry: "worker", State: "waiting", Links: []uint64{1}, Monitors: []uint64{}, Started: started},
		{ID: 1, Environment: 1, Entry: "_start", State: "running", MailboxLen: 2, Links: []uint64{3}, Monitors: []uint64{}, FuelUsed: 100000, MemoryBytes: 65536, Started: started, AgeSeconds: 1.5},
	}})
	code, body := get(t, srv.URL+"/processes")
	if code != 200 {
		t.Fatalf("/processes: %d %s", code, body)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(body), &rows); err != nil {
		t.Fatalf("/processes is not a JSON array: %v\n%s", err, body)
	}
	if len(rows) != 2 || rows[0]["id"] != 1.0 || rows[1]["id"] != 3.0 {
		t.Fatalf("rows not sorted by id: %s", body)
	}
	wantKeys := []string{"id", "environment", "parent", "entry", "state", "mailbox_len", "links", "monitors", "fuel_used", "memory_bytes", "started", "age_seconds"}
	for _, k := range wantKeys {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("row has no %q: %s", k, body)
		}
	}
	if len(rows[0]) != len(wantKeys) {
		t.Errorf("row has %d keys, want %d: %v", len(rows[0]), len(wantKeys), rows[0])
	}

	code, body = get(t, srv.URL+"/processes/3")
	var one metrics.ProcessInfo
	if err := json.Unmarshal([]byte(body), &one); code != 200 || err != nil {
		t.Fatalf("/processes/3: %d %v %s", code, err, body)
	}
	if one.Entry != "worker" || one.State != "waiting" || one.Parent != 1 || !one.Started.Equal(started) {
		t.Errorf("/processes/3 = %+v", one)
	}
	if code, body := get(t, srv.URL+"/processes/99"); code != 404 || !strings.Contains(body, "no live process 99") {
		t.Errorf("/processes/99: %d %s", code, body)
	}
	if code, _ := get(t, srv.URL+"/processes/x"); code != 400 {
		t.Errorf("/processes/x: %d", code)
	}
	if code, body := get(t, srv.URL+"/"); code != 200 || !strings.Contains(body, "/metrics") {
		t.Errorf("/: %d %s", code, body)
	}
	if code, _ := get(t, srv.URL+"/nothing"); code != 404 {
		t.Errorf("/nothing: %d", code)
	}
}
