package main

import (
	"testing"
)

// TestAbstractProcessMaxFuel runs abstract_process.wasm (Rust, debug build, MessagePack):
// a server shaped like a lunatic-rs AbstractProcess, started with max_memory 1_500_000
// and max_fuel 1, runs its init and answers a request, which the program prints. Its
// exact count is about 84,000 operators; charging each function's whole static cost at
// its entry, the server died of out_of_fuel during init and the program with it (the
// link). It must complete under `lunatic run` and on a single `lunatic node`.
func TestAbstractProcessMaxFuel(t *testing.T) {
	const want = "started: the server ran init under max_fuel 1\nreply: Count(Some(3))\n"
	for _, args := range [][]string{
		{"run", guest("abstract_process")},
		{"node", "--cache-dir", t.TempDir(), guest("abstract_process")},
	} {
		t.Run(args[0], func(t *testing.T) {
			r := run(t, "", nil, args...)
			if r.code != 0 || r.stdout != want {
				t.Fatalf("exit %d\n--- stdout ---\n%s--- want ---\n%s--- stderr ---\n%s", r.code, r.stdout, want, r.stderr)
			}
		})
	}
}
