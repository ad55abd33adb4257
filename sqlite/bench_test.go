package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite" // database/sql driver "sqlite", the baseline
)

// The benchmarks compare this package, driven the way the host functions
// drive it (wire-format binds and rows), with plain database/sql on the same
// modernc build, on a temporary file database with the same settings:
// WAL, synchronous=NORMAL, one connection, one autocommit transaction per
// insert.

const benchRows = 10000 // rows the point-query benchmarks read from

func benchSession(b *testing.B) (*Session, uint64) {
	b.Helper()
	s := NewSession(Options{})
	b.Cleanup(func() { s.Close() })
	conn, err := s.Open(filepath.Join(b.TempDir(), "bench.db"))
	ok(b, err, "open")
	if code, err := s.Execute(conn, []byte("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")); code != 0 || err != nil {
		b.Fatalf("create: %d %v", code, err)
	}
	return s, conn
}

func benchDB(b *testing.B) *sql.DB {
	b.Helper()
	dsn := "file:" + filepath.Join(b.TempDir(), "bench.db") +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(30000)"
	db, err := sql.Open("sqlite", dsn)
	ok(b, err, "sql.Open")
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	_, err = db.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)")
	ok(b, err, "create")
	return db
}

func reportRate(b *testing.B, unit string) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

func BenchmarkInsert(b *testing.B) {
	b.Run("session", func(b *testing.B) {
		s, conn := benchSession(b)
		st, err := s.Prepare(conn, []byte("INSERT INTO t(id, v) VALUES (?, ?)"))
		ok(b, err, "prepare")
		var buf []byte
		i := int64(0)
		for b.Loop() {
			i++
			buf, _ = AppendBindList(buf[:0], []BindPair{At(1, Int64(i)), At(2, Text("some text value"))})
			if err := s.BindValue(st, buf); err != nil {
				b.Fatal(err)
			}
			if rc, err := s.Step(st); rc != CodeDone || err != nil {
				b.Fatalf("step = %d %v", rc, err)
			}
			if err := s.Reset(st); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, "inserts/s")
	})
	b.Run("database-sql", func(b *testing.B) {
		db := benchDB(b)
		st, err := db.Prepare("INSERT INTO t(id, v) VALUES (?, ?)")
		ok(b, err, "prepare")
		defer st.Close()
		i := int64(0)
		for b.Loop() {
			i++
			if _, err := st.Exec(i, "some text value"); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, "inserts/s")
	})
}

func BenchmarkPointQuery(b *testing.B) {
	fill := "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 10000) " +
		"INSERT INTO t(id, v) SELECT i, 'value ' || i FROM n"
	// Prepared once, then bind/step/read_row/reset per query.
	b.Run("session", func(b *testing.B) {
		s, conn := benchSession(b)
		if code, _ := s.Execute(conn, []byte(fill)); code != 0 {
			b.Fatalf("fill: %d", code)
		}
		st, err := s.Prepare(conn, []byte("SELECT v FROM t WHERE id = ?"))
		ok(b, err, "prepare")
		var in, out []byte
		i := int64(0)
		for b.Loop() {
			i = i%benchRows + 1
			in, _ = AppendBindList(in[:0], []BindPair{At(1, Int64(i))})
			if err := s.BindValue(st, in); err != nil {
				b.Fatal(err)
			}
			if rc, err := s.Step(st); rc != CodeRow || err != nil {
				b.Fatalf("step = %d %v", rc, err)
			}
			if out, err = s.ReadRow(out[:0], st); err != nil {
				b.Fatal(err)
			}
			if err := s.Reset(st); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, "queries/s")
	})
	b.Run("database-sql", func(b *testing.B) {
		db := benchDB(b)
		_, err := db.Exec(fill)
		ok(b, err, "fill")
		st, err := db.Prepare("SELECT v FROM t WHERE id = ?")
		ok(b, err, "prepare")
		defer st.Close()
		var v string
		i := int64(0)
		for b.Loop() {
			i = i%benchRows + 1
			if err := st.QueryRow(i).Scan(&v); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, "queries/s")
	})
	// What lunatic-rs does per Query::query: prepare, bind, step, read_row,
	// step to DONE, finalize; against database/sql's unprepared QueryRow.
	b.Run("session-prepare-each", func(b *testing.B) {
		s, conn := benchSession(b)
		if code, _ := s.Execute(conn, []byte(fill)); code != 0 {
			b.Fatalf("fill: %d", code)
		}
		sqlText := []byte("SELECT v FROM t WHERE id = ?")
		var in, out []byte
		i := int64(0)
		for b.Loop() {
			i = i%benchRows + 1
			st, err := s.Prepare(conn, sqlText)
			if err != nil {
				b.Fatal(err)
			}
			in, _ = AppendBindList(in[:0], []BindPair{At(1, Int64(i))})
			if err := s.BindValue(st, in); err != nil {
				b.Fatal(err)
			}
			for {
				rc, err := s.Step(st)
				if err != nil {
					b.Fatal(err)
				}
				if rc == CodeDone {
					break
				}
				out, _ = s.ReadRow(out[:0], st)
			}
			if err := s.Finalize(st); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, "queries/s")
	})
	b.Run("database-sql-unprepared", func(b *testing.B) {
		db := benchDB(b)
		_, err := db.Exec(fill)
		ok(b, err, "fill")
		var v string
		i := int64(0)
		for b.Loop() {
			i = i%benchRows + 1
			if err := db.QueryRow("SELECT v FROM t WHERE id = ?", i).Scan(&v); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, "queries/s")
	})
}
