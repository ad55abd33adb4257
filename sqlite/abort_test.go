package sqlite

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestBusySchedule(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		n             int
		delay, waited time.Duration
	}{
		{0, 1 * ms, 0}, {1, 2 * ms, 1 * ms}, {2, 5 * ms, 3 * ms}, {5, 20 * ms, 33 * ms},
		{11, 100 * ms, 228 * ms}, {12, 100 * ms, 328 * ms}, {20, 100 * ms, 1128 * ms},
	}
	for _, c := range cases {
		d, w := busyStep(c.n)
		if d != c.delay || w != c.waited {
			t.Errorf("busyStep(%d) = %v, %v; want %v, %v", c.n, d, w, c.delay, c.waited)
		}
	}
}

// holdWriteLock opens path and keeps its write lock until the test ends.
func holdWriteLock(t *testing.T, path string) {
	t.Helper()
	holder, err := Open(path, Options{})
	ok(t, err, "open holder")
	t.Cleanup(func() { holder.Close() })
	ok(t, holder.Exec("CREATE TABLE IF NOT EXISTS t(x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)"), "hold write lock")
}

// TestAbortEndsBusyWait: a writer queued behind another connection's lock
// (with the default 30 s timeout) gives up at once when aborted.
func TestAbortEndsBusyWait(t *testing.T) {
	path := filepath.Join(t.TempDir(), "abort.db")
	holdWriteLock(t, path)
	c, err := Open(path, Options{})
	ok(t, err, "open waiter")
	defer c.Close()

	waiting := make(chan struct{})
	var once sync.Once
	onBusyWait = func() { once.Do(func() { close(waiting) }) }
	defer func() { onBusyWait = nil }()
	done := make(chan error, 1)
	go func() { done <- c.Exec("INSERT INTO t VALUES (2)") }()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("insert returned (%v) while another connection held the write lock", err)
	}
	c.Abort()
	select {
	case err := <-done:
		if PrimaryCode(err) != CodeBusy {
			t.Fatalf("aborted insert = %v, want SQLITE_BUSY", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Abort did not end the busy wait")
	}
}

// TestBusyTimeoutExpires: without an abort the wait ends with SQLITE_BUSY
// once the timeout has passed.
func TestBusyTimeoutExpires(t *testing.T) {
	path := filepath.Join(t.TempDir(), "timeout.db")
	holdWriteLock(t, path)
	c, err := Open(path, Options{BusyTimeout: 30 * time.Millisecond})
	ok(t, err, "open")
	defer c.Close()
	var waits int
	onBusyWait = func() { waits++ }
	defer func() { onBusyWait = nil }()
	if err := c.Exec("INSERT INTO t VALUES (2)"); PrimaryCode(err) != CodeBusy {
		t.Fatalf("insert = %v, want SQLITE_BUSY", err)
	}
	if waits == 0 {
		t.Error("the busy handler never waited")
	}
}

// TestAbortBeforeStep: an abort that comes before a statement starts still
// stops it (sqlite3_interrupt alone is forgotten when a statement starts).
func TestAbortBeforeStep(t *testing.T) {
	c := memConn(t)
	st := prepare(t, c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT count(*) FROM n")
	c.Abort()
	c.Abort() // idempotent
	var e *Error
	if _, err := st.Step(); !errors.As(err, &e) || e.Code != 9 {
		t.Fatalf("Step after Abort = %v, want SQLITE_INTERRUPT (9)", err)
	}
	if err := c.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT count(*) FROM n"); PrimaryCode(err) != 9 {
		t.Fatalf("Exec after Abort = %v, want SQLITE_INTERRUPT (9)", err)
	}
	ok(t, c.Close(), "close")
	c.Abort() // after Close: no effect, no crash
}

// TestSessionAbort: Session.Abort reaches the open connections and the ones
// opened afterwards.
func TestSessionAbort(t *testing.T) {
	s := NewSession(Options{})
	defer s.Close()
	endless := []byte("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT count(*) FROM n")
	before, err := s.Open(":memory:")
	ok(t, err, "open")
	s.Abort()
	after, err := s.Open(":memory:")
	ok(t, err, "open after abort")
	for _, conn := range []uint64{before, after} {
		if code, err := s.Execute(conn, endless); code != 9 || err != nil {
			t.Errorf("execute on connection %d after abort = %d, %v; want 9", conn, code, err)
		}
	}
}
