package hostfuncs_test

import (
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
)

// runOK runs entry of a limits guest as a root process and fails the test unless it ends
// normally (the guests assert with unreachable). It returns the guest's stdout.
func runOK(t *testing.T, path, entry string) string {
	t.Helper()
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, path)
	res := hostfuncstest.Run(t, rt, mod, entry)
	if res.Death != nil {
		t.Fatalf("%s: want a normal end, got %v (stdout %q)", entry, res.Death, res.Stdout)
	}
	return res.Stdout
}

// TestTableLimit: a table grows to at most 99,999 elements (table.grow returns -1 past
// it), and a module whose table starts larger, or that has two tables, fails the spawn
// with spawn's error code and a message saying why.
func TestTableLimit(t *testing.T) {
	const wasm = "testdata/limits/tables.wasm"
	t.Run("grow", func(t *testing.T) { runOK(t, wasm, "grow") })
	t.Run("grow_huge", func(t *testing.T) { runOK(t, wasm, "grow_huge") })
	for entry, want := range map[string]string{
		"spawn_big_table":  "the module's table has 100000 elements initially; a table may hold at most 99999",
		"spawn_two_tables": "the module defines 2 tables; a process may have at most 1",
	} {
		t.Run(entry, func(t *testing.T) {
			if out := runOK(t, wasm, entry); !strings.Contains(out, want) {
				t.Fatalf("spawn error %q, want it to contain %q", out, want)
			}
		})
	}
}
