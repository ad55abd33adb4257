package sqliteapi_test

import (
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"

	_ "modernc.org/sqlite" // database/sql driver "sqlite": the direct-from-Go baseline

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/sqlite"
)

// The benchmarks run the same statements on a temporary file database (WAL,
// synchronous=NORMAL, one autocommit transaction per insert) three ways:
//
//   - guest: a Rust guest using the lunatic-rs style client, which prepares, binds,
//     steps and finalizes per operation (4-6 host calls, bincode both ways);
//   - guest-reuse: the guest prepares once and binds, steps and resets per operation;
//   - go-sql / go-sql-prepared: database/sql on modernc.org/sqlite directly from Go,
//     preparing per operation / once;
//   - go-session: package sqlite's Session from Go, the calls guest-reuse makes (bincode
//     binds and rows included) without wasm: what the guest adds on top of the host.
//
// The guest figures include spawning the guest process once per b.N.

const benchRows = 10000 // rows the point queries read from

func benchDBPath(b *testing.B, rows int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.db")
	c, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	setup := "CREATE TABLE bench (id INTEGER PRIMARY KEY, v TEXT);" +
		"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < " + strconv.Itoa(rows) + ") " +
		"INSERT INTO bench SELECT i, 'some text value' FROM c WHERE " + strconv.Itoa(rows) + " > 0"
	if err := c.Exec(setup); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchGuest(b *testing.B, kind string, rows int, unit string) {
	path := benchDBPath(b, rows)
	cfg := config([]string{filepath.Dir(path)}, "bench", kind, path, strconv.Itoa(b.N))
	mod := module(b, sqltestWasm)
	b.ResetTimer()
	res := hostfuncstest.RunConfig(b, runtime(b), mod, "_start", cfg)
	b.StopTimer()
	if res.Death != nil {
		b.Fatalf("bench guest: %v\n%s", res.Death, res.Stderr)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

func benchSQL(b *testing.B, rows int) *sql.DB {
	b.Helper()
	path := benchDBPath(b, rows)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(30000)")
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	return db
}

func BenchmarkInsert(b *testing.B) {
	const unit = "inserts/s"
	const q = "INSERT INTO bench (id, v) VALUES (?, ?)"
	b.Run("guest", func(b *testing.B) { benchGuest(b, "insert", 0, unit) })
	b.Run("guest-reuse", func(b *testing.B) { benchGuest(b, "insert_reuse", 0, unit) })
	b.Run("go-sql", func(b *testing.B) {
		db := benchSQL(b, 0)
		for i := 1; b.Loop(); i++ {
			if _, err := db.Exec(q, i, "some text value"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
	})
	b.Run("go-sql-prepared", func(b *testing.B) {
		st, err := benchSQL(b, 0).Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		for i := 1; b.Loop(); i++ {
			if _, err := st.Exec(i, "some text value"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
	})
	b.Run("go-session", func(b *testing.B) {
		s, st := benchSession(b, 0, q)
		var buf []byte
		for i := int64(1); b.Loop(); i++ {
			buf = sessionOp(b, s, st, buf, sqlite.CodeDone, sqlite.At(1, sqlite.Int64(i)), sqlite.At(2, sqlite.Text("some text value")))
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
	})
}

// benchSession opens path in a Session and prepares q.
func benchSession(b *testing.B, rows int, q string) (*sqlite.Session, uint64) {
	b.Helper()
	s := sqlite.NewSession(sqlite.Options{})
	b.Cleanup(func() { s.Close() })
	conn, err := s.Open(benchDBPath(b, rows))
	if err != nil {
		b.Fatal(err)
	}
	st, err := s.Prepare(conn, []byte(q))
	if err != nil {
		b.Fatal(err)
	}
	return s, st
}

// sessionOp binds pairs, steps once expecting want, reads the row if there is one, and
// resets: one guest-reuse operation.
func sessionOp(b *testing.B, s *sqlite.Session, st uint64, buf []byte, want int32, pairs ...sqlite.BindPair) []byte {
	buf, err := sqlite.AppendBindList(buf[:0], pairs)
	if err == nil {
		err = s.BindValue(st, buf)
	}
	if err != nil {
		b.Fatal(err)
	}
	if rc, err := s.Step(st); rc != want || err != nil {
		b.Fatalf("step = %d, %v", rc, err)
	}
	if want == sqlite.CodeRow {
		if buf, err = s.ReadRow(buf[:0], st); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Reset(st); err != nil {
		b.Fatal(err)
	}
	return buf
}

func BenchmarkPointQuery(b *testing.B) {
	const unit = "queries/s"
	const q = "SELECT v FROM bench WHERE id = ?"
	b.Run("guest", func(b *testing.B) { benchGuest(b, "point", benchRows, unit) })
	b.Run("guest-reuse", func(b *testing.B) { benchGuest(b, "point_reuse", benchRows, unit) })
	b.Run("go-sql", func(b *testing.B) {
		db := benchSQL(b, benchRows)
		var v string
		for i := 0; b.Loop(); i++ {
			if err := db.QueryRow(q, i%benchRows+1).Scan(&v); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
	})
	b.Run("go-sql-prepared", func(b *testing.B) {
		st, err := benchSQL(b, benchRows).Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		var v string
		for i := 0; b.Loop(); i++ {
			if err := st.QueryRow(i%benchRows + 1).Scan(&v); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
	})
	b.Run("go-session", func(b *testing.B) {
		s, st := benchSession(b, benchRows, q)
		var buf []byte
		for i := int64(0); b.Loop(); i++ {
			buf = sessionOp(b, s, st, buf, sqlite.CodeRow, sqlite.At(1, sqlite.Int64(i%benchRows+1)))
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
	})
}
