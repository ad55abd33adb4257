package testharness

import "testing"

func TestSelectTests(t *testing.T) {
	all := []testCase{
		{Name: "zeta"},
		{Name: "net::tcp_connect"},
		{Name: "net::udp_send", Ignored: true},
		{Name: "alpha", ShouldPanic: true},
		{Name: "net::tcp", Ignored: true},
	}
	names := func(tests []testCase) []string {
		var out []string
		for _, tc := range tests {
			n := tc.Name
			if tc.Ignored {
				n += " (ignored)"
			}
			out = append(out, n)
		}
		return out
	}
	cases := []struct {
		name     string
		flags    testFlags
		want     []string
		filtered int
	}{
		{"all, sorted by name", testFlags{}, []string{"alpha", "net::tcp (ignored)", "net::tcp_connect", "net::udp_send (ignored)", "zeta"}, 0},
		{"substring", testFlags{Filters: []string{"tcp"}}, []string{"net::tcp (ignored)", "net::tcp_connect"}, 3},
		{"any of several", testFlags{Filters: []string{"zeta", "alpha"}}, []string{"alpha", "zeta"}, 3},
		{"exact", testFlags{Filters: []string{"net::tcp"}, Exact: true}, []string{"net::tcp (ignored)"}, 4},
		{"exact without a filter keeps all", testFlags{Exact: true}, []string{"alpha", "net::tcp (ignored)", "net::tcp_connect", "net::udp_send (ignored)", "zeta"}, 0},
		{"skip", testFlags{Skip: []string{"net::"}}, []string{"alpha", "zeta"}, 3},
		{"exact skip", testFlags{Skip: []string{"net::tcp"}, Exact: true}, []string{"alpha", "net::tcp_connect", "net::udp_send (ignored)", "zeta"}, 1},
		{"ignored only, un-ignored", testFlags{RunIgnored: ignoredOnly}, []string{"net::tcp", "net::udp_send"}, 3},
		{"ignored only and a filter", testFlags{RunIgnored: ignoredOnly, Filters: []string{"udp"}}, []string{"net::udp_send"}, 4},
		{"include ignored", testFlags{RunIgnored: ignoredInclude, Filters: []string{"net"}}, []string{"net::tcp", "net::tcp_connect", "net::udp_send"}, 2},
		{"exclude should_panic", testFlags{ExcludeShouldPanic: true, Filters: []string{"a"}}, []string{"zeta"}, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, filtered := selectTests(all, &c.flags)
			equal(t, "selected", names(got), c.want)
			equal(t, "filtered out", filtered, c.filtered)
		})
	}
	equal(t, "input untouched", all[2].Ignored, true)
}

// The same seed gives the same order; the order is a permutation of the sorted tests.
func TestSelectTests_shuffle(t *testing.T) {
	var all []testCase
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		all = append(all, testCase{Name: n})
	}
	first, _ := selectTests(all, &testFlags{Shuffle: true, ShuffleSeed: 11, HasShuffleSeed: true})
	again, _ := selectTests(all, &testFlags{Shuffle: true, ShuffleSeed: 11, HasShuffleSeed: true})
	other, _ := selectTests(all, &testFlags{Shuffle: true, ShuffleSeed: 12, HasShuffleSeed: true})
	equal(t, "same seed", again, first)
	if equalOrder(first, other) && equalOrder(first, all) {
		t.Errorf("seeds 11 and 12 both kept the sorted order")
	}
	f := &testFlags{Shuffle: true}
	selectTests(all, f)
	equal(t, "a seed is chosen and recorded", f.HasShuffleSeed, true)
}

func equalOrder(a, b []testCase) bool {
	for i := range a {
		if a[i].Name != b[i].Name {
			return false
		}
	}
	return true
}
