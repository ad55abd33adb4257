package sqliteapi_test

import (
	"testing"

	"github.com/lunatic-go/lunatic/sqlite"
)

const (
	writers       = 20
	rowsPerWriter = 1000
)

// checkWriterRows opens the database the writer guests filled, from Go, and checks that
// every (worker, n) row is there exactly once.
func checkWriterRows(t *testing.T, path string) {
	t.Helper()
	c, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st, err := c.Prepare("SELECT worker, count(*), count(DISTINCT n), min(n), max(n) FROM w GROUP BY worker ORDER BY worker")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Finalize()
	seen := 0
	for {
		rc, err := st.Step()
		if err != nil {
			t.Fatal(err)
		}
		if rc == sqlite.CodeDone {
			break
		}
		var got [5]int64
		for i := range got {
			v, err := st.Column(i)
			if err != nil {
				t.Fatal(err)
			}
			got[i] = v.Int
		}
		want := [5]int64{int64(seen), rowsPerWriter, rowsPerWriter, 0, rowsPerWriter - 1}
		if got != want {
			t.Errorf("worker rows (worker, count, distinct, min, max) = %v, want %v", got, want)
		}
		seen++
	}
	if seen != writers {
		t.Errorf("rows from %d workers, want %d", seen, writers)
	}
}
