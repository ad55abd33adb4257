package testharness

import "testing"

func TestDecodeTestExport(t *testing.T) {
	cases := []struct {
		export string
		want   testCase
		ok     bool
	}{
		{"#lunatic_test_mycrate::tests::adds", testCase{Name: "tests::adds"}, true},
		{"#lunatic_test_udp::udp_peer_addr", testCase{Name: "udp_peer_addr"}, true},
		{"#lunatic_test_#ignore_mycrate::slow", testCase{Name: "slow", Ignored: true}, true},
		{"#lunatic_test_#panic_#mycrate::panics", testCase{Name: "panics", ShouldPanic: true}, true},
		{"#lunatic_test_#panic_out of range#c::m::f", testCase{Name: "m::f", ShouldPanic: true, Expected: "out of range"}, true},
		{`#lunatic_test_#panic_a\#b\#c#c::f`, testCase{Name: "f", ShouldPanic: true, Expected: "a#b#c"}, true},
		{`#lunatic_test_#panic_\##c::f`, testCase{Name: "f", ShouldPanic: true, Expected: "#"}, true},
		{"#lunatic_test_#ignore_#panic_boom#c::f", testCase{Name: "f", Ignored: true, ShouldPanic: true, Expected: "boom"}, true},
		{"#lunatic_test_#panic_::colons::#c::f", testCase{Name: "f", ShouldPanic: true, Expected: "::colons::"}, true},
		// A name without a crate path is kept as it is.
		{"#lunatic_test_lonely", testCase{Name: "lonely"}, true},
		// A should_panic marker without its closing '#' is kept whole as a plain test.
		{"#lunatic_test_#panic_never closed", testCase{Name: "#panic_never closed"}, true},
		{"_start", testCase{}, false},
		{"lunatic_test_almost", testCase{}, false},
		{"#lunatic_tes", testCase{}, false},
	}
	for _, c := range cases {
		got, ok := decodeTestExport(c.export)
		if ok {
			c.want.Export = c.export
		}
		equal(t, c.export+" ok", ok, c.ok)
		equal(t, c.export, got, c.want)
	}
}

func TestDiscoverTestsKeepsExportOrder(t *testing.T) {
	got := discoverTests([]string{"_start", "#lunatic_test_c::b", "memory_is_not_a_function_anyway", "#lunatic_test_c::a", "main"})
	equal(t, "names", []string{got[0].Name, got[1].Name}, []string{"b", "a"})
	equal(t, "count", len(got), 2)
}
