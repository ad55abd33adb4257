//go:build race

package hostfuncs_test

// raceEnabled: the race detector multiplies the memory and time of mass-process tests.
const raceEnabled = true
