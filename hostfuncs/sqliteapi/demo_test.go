package sqliteapi_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
)

// demoOutput is what testdata/sqlite_demo.wasm prints for a database at DB (any run:
// the program recreates its table).
const demoOutput = `inserted 5 cars into DB
2 | Citroën | DS | 1955 | 32500.50 | 2
1 | Porsche | 911 | 1964 | 105000.00 | 4
5 | Volkswagen | Golf | 1974 | 4200.00 | 0
3 | Fiat | 500 | 2007 | 9990.00 | 5
4 | Tesla | Model S | 2012 | NULL | 3
since 1970: 3 cars, average price 7095.00
insert without a model: Constraint (last error: Constraint: NOT NULL constraint failed: cars.model)
`

// TestDemo runs the lunatic-rs style demo (also testdata/wasm/sqlite_demo.wasm at the
// repository root) twice on the same file, as `lunatic run --dir DIR` would.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cars.db")
	want := strings.ReplaceAll(demoOutput, "DB", db)
	for run := 0; run < 2; run++ {
		res := hostfuncstest.RunConfig(t, runtime(t), module(t, demoWasm), "_start", config([]string{dir}, db))
		if res.Death != nil {
			t.Fatalf("run %d: %v\n%s", run, res.Death, res.Stderr)
		}
		if res.Stdout != want {
			t.Fatalf("run %d printed:\n%s\nwant:\n%s", run, res.Stdout, want)
		}
	}
}
