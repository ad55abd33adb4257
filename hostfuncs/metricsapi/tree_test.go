package metricsapi_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/metrics"
)

// TestProcessTree checks /processes and /processes/ID for the known tree of "tree":
//
//	1 tree ─┬─ 2 sleeper (monitored by 1, two messages queued)
//	        └─ 3 branch (linked to 1) ── 4 idle
func TestProcessTree(t *testing.T) {
	f := newFixture(t, metrics.Options{})
	before := time.Now()
	f.spawn(t, "tree")
	settled := map[uint64]string{1: "waiting", 2: "sleeping", 3: "waiting", 4: "waiting"}
	rows := f.awaitProcesses(t, func(rows []metrics.ProcessInfo) bool {
		if len(rows) != len(settled) {
			return false
		}
		for _, r := range rows {
			if settled[r.ID] != r.State || (r.ID == 2 && r.MailboxLen != 2) {
				return false
			}
		}
		return true
	})
	type shape struct {
		parent          uint64
		entry           string
		mailbox         int
		links, monitors []uint64
	}
	wantShape := map[uint64]shape{
		1: {0, "tree", 0, []uint64{3}, []uint64{}},
		2: {1, "sleeper", 2, []uint64{}, []uint64{1}},
		3: {1, "branch", 0, []uint64{1}, []uint64{}},
		4: {3, "idle", 0, []uint64{}, []uint64{}},
	}
	for i, r := range rows {
		w := wantShape[r.ID]
		if r.ID != uint64(i+1) || r.Environment != 1 || r.Parent != w.parent || r.Entry != w.entry || r.MailboxLen != w.mailbox ||
			!slices.Equal(r.Links, w.links) || !slices.Equal(r.Monitors, w.monitors) {
			t.Errorf("row %d = %+v, want %+v", i, r, w)
		}
		if r.MemoryBytes != 65536 || r.Started.Before(before) || r.AgeSeconds < 0 || r.AgeSeconds > time.Since(before).Seconds() {
			t.Errorf("process %d: memory %d, started %v, age %v", r.ID, r.MemoryBytes, r.Started, r.AgeSeconds)
		}
	}

	var one metrics.ProcessInfo
	if code := f.getJSON(t, "/processes/2", &one); code != 200 || one.ID != 2 || one.State != "sleeping" || one.MailboxLen != 2 {
		t.Errorf("/processes/2: %d %+v", code, one)
	}
	var notFound map[string]string
	if code := f.getJSON(t, "/processes/5", &notFound); code != 404 {
		t.Errorf("/processes/5: %d %v", code, notFound)
	}
	check(t, f.scrape(t), []want{
		{"lunatic_processes_alive", nil, 4},
		{"lunatic_mailbox_messages", nil, 2},
		{"lunatic_mailbox_messages_max", nil, 2},
		{"lunatic_process_memory_bytes", nil, 4 * 65536},
		{"lunatic_messages_sent_total", nil, 2},
	})
}

// awaitProcesses polls /processes until ready accepts the rows. There is no event for
// "this process is now blocked in receive", so polling is the only way to see it.
func (f *fixture) awaitProcesses(t *testing.T, ready func([]metrics.ProcessInfo) bool) []metrics.ProcessInfo {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		var rows []metrics.ProcessInfo
		if code := f.getJSON(t, "/processes", &rows); code != 200 {
			t.Fatalf("/processes: %d", code)
		}
		if ready(rows) {
			return rows
		}
		select {
		case <-deadline:
			t.Fatalf("the processes did not settle within a minute: %+v", rows)
		case <-time.After(2 * time.Millisecond):
		}
	}
}
