//go:build race

package observer

// raceEnabled: the race detector slows pure computation tenfold; tests that only compute
// (no goroutines) run a smaller matrix under it.
const raceEnabled = true
