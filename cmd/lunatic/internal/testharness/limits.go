package testharness

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lunatic-go/lunatic/vm"
)

// Environment variables that set the limits of every test process. libtest has no such
// limits and its command line belongs to cargo, so they are read from the environment,
// which cargo passes through (and `[env]` in .cargo/config.toml can set per project).
const (
	envTestTimeout = "LUNATIC_TEST_TIMEOUT"  // wall time per test: a Go duration ("30s") or seconds
	envTestMaxFuel = "LUNATIC_TEST_MAX_FUEL" // fuel per test process, in units of 100,000 instructions
)

// testLimits bound each test process. Zero values mean no limit.
type testLimits struct {
	Timeout time.Duration
	MaxFuel uint64
}

// parseTestLimits reads the limits from the environment.
func parseTestLimits(env []string) (testLimits, error) {
	var l testLimits
	if v, ok := envLookup(env, envTestTimeout); ok && v != "" {
		d, err := parseTimeout(v)
		if err != nil {
			return l, fmt.Errorf("%s=%q: %w", envTestTimeout, v, err)
		}
		l.Timeout = d
	}
	if v, ok := envLookup(env, envTestMaxFuel); ok && v != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return l, fmt.Errorf("%s=%q: want a whole number of 100,000-instruction units", envTestMaxFuel, v)
		}
		l.MaxFuel = n
	}
	return l, nil
}

// parseTimeout accepts a Go duration ("1m30s", "500ms") or a number of seconds ("90").
func parseTimeout(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || secs > 1e9 {
			return 0, errors.New("want a duration such as 30s or a number of seconds")
		}
		return time.Duration(secs * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, errors.New("want a duration such as 30s or a number of seconds")
	}
	return d, nil
}

// exceeded returns the note for a test stopped by one of the limits, or "".
func (l testLimits) exceeded(end testEnd) string {
	switch {
	case end.Abandoned:
		return fmt.Sprintf("test exceeded its time limit of %s (%s) and did not stop when killed; it was left running", l.Timeout, envTestTimeout)
	case errors.Is(end.Death, errTimeLimit):
		return fmt.Sprintf("test exceeded its time limit of %s (%s)", l.Timeout, envTestTimeout)
	case errors.Is(end.Death, vm.ErrOutOfFuel):
		return fmt.Sprintf("test exceeded its fuel limit of %d units of 100,000 instructions (%s)", l.MaxFuel, envTestMaxFuel)
	}
	return ""
}
