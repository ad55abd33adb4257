package sqliteapi_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestTypes: a guest creates a table in a file database, inserts every bind type with
// the lunatic-rs style client and reads it all back.
func TestTypes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "types.db")
	res := runGuest(t, []string{dir}, "types", db)
	mustPass(t, res, "ok inserted 14 values", "ok read back every type", "ok named bindings", "ok changes")
	// The process's connection was closed when it ended: the last connection of a WAL
	// database checkpoints and removes the -wal file.
	if _, err := os.Stat(db + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s-wal still there after the process ended (err = %v): connection not closed", db, err)
	}
}

func TestReaders(t *testing.T) {
	mustPass(t, runGuest(t, nil, "readers"),
		"ok read_column, column_names, column_name", "ok reset and re-run", "ok interleaved statements")
}

// TestWireVectors checks the byte examples of docs/abi/sqlite.md ("Worked examples") inside a guest: rows,
// columns, names and errors as the host writes them, bind lists as bincode writes them.
func TestWireVectors(t *testing.T) {
	mustPass(t, runGuest(t, nil, "wire"), "ok bind lists", "ok rows, columns and names", "ok last_error bytes")
}

func TestErrors(t *testing.T) {
	mustPass(t, runGuest(t, nil, "errors"),
		"ok error and no error", "ok constraint codes", "ok readonly code")
}

// TestDenied: paths outside the preopened directories, through a symbolic link leading
// out of one, or climbing out with .., are refused; a child with no directories may
// still open :memory:.
func TestDenied(t *testing.T) {
	root := t.TempDir()
	inside := filepath.Join(root, "inside")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{inside, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(inside, "out")
	if err := os.Symlink("../outside", link); err != nil {
		t.Fatal(err)
	}
	res := runGuest(t, []string{inside}, "denied", filepath.Join(outside, "x.db"), link, inside)
	mustPass(t, res, "ok outside refused", "ok link and .. refused", "ok inside allowed",
		"ok fresh config: file refused, :memory: allowed")
	entries, err := os.ReadDir(outside)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("files were created outside the preopened directory: %v", entries)
	}
}

// TestConcurrentWriters: 20 processes insert 1,000 rows each into one database file at
// the same time; every row must be there afterwards.
func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "writers.db")
	mustPass(t, runGuest(t, []string{dir}, "writers", db), "ok 20000 rows from 20 writers")
	checkWriterRows(t, db)
}

func TestChildTrapLeavesParentAlone(t *testing.T) {
	mustPass(t, runGuest(t, nil, "child_trap"), "ok parent unaffected by the child's trap")
}

// TestLockReleasedWhenProcessDies: a process killed inside a write transaction loses
// its connection, so the lock is released and the transaction rolled back.
func TestLockReleasedWhenProcessDies(t *testing.T) {
	dir := t.TempDir()
	mustPass(t, runGuest(t, []string{dir}, "lock_release", filepath.Join(dir, "lock.db")),
		"ok locked by the child", "ok lock released and transaction rolled back when the child died")
}

// TestKillWhileWaitingForLock: a process waiting for another's lock (30 s busy timeout)
// dies at once when killed.
func TestKillWhileWaitingForLock(t *testing.T) {
	dir := t.TempDir()
	mustPass(t, runGuest(t, []string{dir}, "kill_waiting", filepath.Join(dir, "kill.db")),
		"ok killed while waiting for a lock")
}

// TestGuestTraps: guest misuse traps the calling process with a message naming the call.
func TestGuestTraps(t *testing.T) {
	cases := []struct{ name, want string }{
		{"trap_prepare", "lunatic::sqlite::query_prepare: prepare: sqlite: no such table: missing_table"},
		{"trap_step_constraint", "lunatic::sqlite::sqlite3_step: sqlite: UNIQUE constraint failed: t.x"},
		{"trap_bind_range", "lunatic::sqlite::bind_value: bind pair 1 (parameter 2): sqlite: column index out of range (code 25)"},
		{"trap_bind_zero", "lunatic::sqlite::bind_value: bind pair 0 (parameter 0): sqlite: column index out of range (code 25)"},
		{"trap_bind_malformed", "lunatic::sqlite::bind_value: decode bind list: sqlite: malformed wire data"},
		{"trap_finalize_twice", "lunatic::sqlite::sqlite3_finalize: statement 0: sqlite: no such statement"},
		{"trap_unknown_conn", "lunatic::sqlite::execute: connection 7: sqlite: no such connection"},
		{"trap_unknown_stmt", "lunatic::sqlite::sqlite3_step: statement 99: sqlite: no such statement"},
		{"trap_column_range", "lunatic::sqlite::read_column: column 2 of 2: sqlite: column index out of range"},
		{"trap_step_empty", "lunatic::sqlite::sqlite3_step: sqlite: bad parameter or other API misuse (code 21)"},
		{"trap_sql_memory", "lunatic::sqlite::execute: pointer out of bounds"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mustTrap(t, runGuest(t, nil, tc.name), tc.want)
		})
	}
}
