package testharness

import (
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// selectTests applies the filters of f to all (libtest's order of steps: filters, --skip,
// --exclude-should-panic, --ignored/--include-ignored) and sorts the result by name, or
// shuffles it with --shuffle. filteredOut counts the tests left out.
func selectTests(all []testCase, f *testFlags) (selected []testCase, filteredOut int) {
	for _, tc := range all {
		if len(f.Filters) > 0 && !matchesAny(tc.Name, f.Filters, f.Exact) {
			continue
		}
		if matchesAny(tc.Name, f.Skip, f.Exact) {
			continue
		}
		if f.ExcludeShouldPanic && tc.ShouldPanic {
			continue
		}
		switch f.RunIgnored {
		case ignoredOnly:
			if !tc.Ignored {
				continue
			}
			tc.Ignored = false
		case ignoredInclude:
			tc.Ignored = false
		}
		selected = append(selected, tc)
	}
	sort.SliceStable(selected, func(i, j int) bool { return selected[i].Name < selected[j].Name })
	if f.Shuffle {
		shuffleTests(selected, f)
	}
	return selected, len(all) - len(selected)
}

// matchesAny reports whether name matches one of the patterns: equal to it with --exact,
// containing it otherwise.
func matchesAny(name string, patterns []string, exact bool) bool {
	for _, p := range patterns {
		if (exact && name == p) || (!exact && strings.Contains(name, p)) {
			return true
		}
	}
	return false
}

// shuffleTests puts the tests in a random order that the seed determines; without
// --shuffle-seed a seed is chosen from the clock and stored in f, so it can be printed
// and the order repeated.
func shuffleTests(tests []testCase, f *testFlags) {
	if !f.HasShuffleSeed {
		f.ShuffleSeed, f.HasShuffleSeed = uint64(time.Now().UnixNano()), true
	}
	r := rand.New(rand.NewPCG(f.ShuffleSeed, 0x6c756e61746963))
	r.Shuffle(len(tests), func(i, j int) { tests[i], tests[j] = tests[j], tests[i] })
}
