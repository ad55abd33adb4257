//go:build !race

package hostfuncs_test

const raceEnabled = false
