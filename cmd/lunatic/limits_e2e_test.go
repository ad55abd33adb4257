package main

import "testing"

// TestLimitFlags runs a guest that binds a loopback TCP port and spawns a child under the
// limit flags of lunatic run: it exits 1 when the bind is refused, plus 2 when the spawn is.
func TestLimitFlags(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		code  int
	}{
		{nil, 0},
		{[]string{"--net", "loopback"}, 0},
		{[]string{"--net", "none"}, 1},
		{[]string{"--allow-net", "127.0.0.1"}, 0},
		{[]string{"--allow-net", "10.0.0.1"}, 1},
		{[]string{"--max-processes", "1"}, 2},
		{[]string{"--net", "none", "--max-processes", "1"}, 3},
		{[]string{"--max-total-memory", "128K"}, 2}, // the root (96 KiB) leaves too little
	} {
		args := append(append([]string{"run"}, tc.flags...), "testdata/limits.wasm")
		if r := run(t, "", nil, args...); r.code != tc.code {
			t.Errorf("lunatic %v: exit %d, want %d\n%s", args, r.code, tc.code, r.stderr)
		}
	}
}
