package sqlite

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

const (
	writers          = 20
	rowsPerWriter    = 1000
	writerEnvDB      = "LUNATIC_SQLITE_TEST_WRITER_DB"
	writerEnvID      = "LUNATIC_SQLITE_TEST_WRITER_ID"
	writerFailExitID = 3
)

// TestMain doubles as the body of the writer processes of
// TestConcurrentWriterProcesses: with the environment variables set, the test
// binary inserts its rows and exits instead of running the tests.
func TestMain(m *testing.M) {
	if db := os.Getenv(writerEnvDB); db != "" {
		id, err := strconv.Atoi(os.Getenv(writerEnvID))
		if err == nil {
			err = insertRows(db, id, nil)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			os.Exit(writerFailExitID)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// insertRows opens path through its own Session, as one lunatic process
// would, waits for start (if any), and inserts rowsPerWriter rows tagged with
// worker, one autocommit INSERT each, through the wire-format calls.
func insertRows(path string, worker int, start <-chan struct{}) error {
	s := NewSession(Options{})
	defer s.Close()
	conn, err := s.Open(path)
	if err != nil {
		return err
	}
	if code, err := s.Execute(conn, []byte("CREATE TABLE IF NOT EXISTS w(worker INTEGER, n INTEGER, UNIQUE(worker, n))")); code != 0 || err != nil {
		return fmt.Errorf("create table: code %d, %v", code, err)
	}
	st, err := s.Prepare(conn, []byte("INSERT INTO w(worker, n) VALUES (?, ?)"))
	if err != nil {
		return err
	}
	if start != nil {
		<-start
	}
	var buf []byte
	for n := range rowsPerWriter {
		if buf, err = AppendBindList(buf[:0], []BindPair{At(1, Int(int32(worker))), At(2, Int(int32(n)))}); err != nil {
			return err
		}
		if err := s.BindValue(st, buf); err != nil {
			return fmt.Errorf("row %d: bind: %w", n, err)
		}
		if rc, err := s.Step(st); rc != CodeDone || err != nil {
			return fmt.Errorf("row %d: step = %d, %w", n, rc, err)
		}
		if err := s.Reset(st); err != nil {
			return fmt.Errorf("row %d: reset: %w", n, err)
		}
	}
	return s.Finalize(st)
}

// checkAllRows verifies every (worker, n) row is in the database once.
func checkAllRows(t *testing.T, path string) {
	t.Helper()
	c, err := Open(path, Options{})
	ok(t, err, "open for check")
	defer c.Close()
	st := prepare(t, c, "SELECT worker, count(*), count(DISTINCT n), min(n), max(n) FROM w GROUP BY worker ORDER BY worker")
	seen := 0
	for {
		rc, err := st.Step()
		ok(t, err, "step")
		if rc == CodeDone {
			break
		}
		var v [5]int64
		for i := range v {
			x, err := st.Column(i)
			ok(t, err, "column")
			v[i] = x.Int
		}
		if v[0] != int64(seen) || v[1] != rowsPerWriter || v[2] != rowsPerWriter || v[3] != 0 || v[4] != rowsPerWriter-1 {
			t.Errorf("worker %d: rows %d, distinct %d, range [%d, %d]; want worker %d with %d rows 0..%d",
				v[0], v[1], v[2], v[3], v[4], seen, rowsPerWriter, rowsPerWriter-1)
		}
		seen++
	}
	if seen != writers {
		t.Errorf("found rows of %d writers, want %d", seen, writers)
	}
	mode := prepare(t, c, "PRAGMA journal_mode")
	step(t, mode, CodeRow)
	if v, _ := mode.Column(0); v.Text() != "wal" {
		t.Errorf("journal_mode = %q, want wal", v.Text())
	}
}

// TestConcurrentWriters: 20 goroutines, each with its own connection to one
// database file, insert 1,000 rows each at the same time. WAL plus the busy
// timeout must make them queue: no insert may fail, no row may be lost.
func TestConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "writers.db")
	start := make(chan struct{})
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := insertRows(path, w, start); err != nil {
				errs <- fmt.Errorf("writer %d: %w", w, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkAllRows(t, path)
}

// TestConcurrentWriterProcesses is TestConcurrentWriters with 20 OS
// processes (this test binary, see TestMain), so the file locks are taken by
// separate processes as well as separate connections.
func TestConcurrentWriterProcesses(t *testing.T) {
	exe, err := os.Executable()
	ok(t, err, "executable")
	path := filepath.Join(t.TempDir(), "processes.db")
	cmds := make([]*exec.Cmd, writers)
	for w := range cmds {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), writerEnvDB+"="+path, writerEnvID+"="+strconv.Itoa(w))
		cmd.Stderr = os.Stderr
		ok(t, cmd.Start(), "start writer")
		cmds[w] = cmd
	}
	for w, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer process %d: %v", w, err)
		}
	}
	checkAllRows(t, path)
}

// TestOpenWaitsForWALSwitch: a connection switching a database into WAL while
// another holds the write lock gets SQLITE_BUSY without SQLite's busy handler
// being asked; Open must retry until the lock is gone.
func TestOpenWaitsForWALSwitch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switch.db")
	holder, err := Open(path, Options{JournalMode: "DELETE"})
	ok(t, err, "open holder")
	defer holder.Close()
	ok(t, holder.Exec("CREATE TABLE t(x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)"), "hold write lock")

	// Without waiting, the switch fails.
	if _, err := Open(path, Options{BusyTimeout: -1}); PrimaryCode(err) != CodeBusy {
		t.Fatalf("open with no busy timeout = %v, want SQLITE_BUSY", err)
	}

	retrying := make(chan struct{})
	var once sync.Once
	onConfigureRetry = func() { once.Do(func() { close(retrying) }) }
	defer func() { onConfigureRetry = nil }()
	opened := make(chan error, 1)
	go func() {
		c, err := Open(path, Options{})
		if err == nil {
			c.Close()
		}
		opened <- err
	}()
	select {
	case <-retrying:
	case err := <-opened:
		t.Fatalf("open returned (%v) while another connection held the write lock", err)
	}
	ok(t, holder.Exec("COMMIT"), "release write lock")
	ok(t, <-opened, "open while another connection held the lock")
}
