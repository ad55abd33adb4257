package testharness

import "testing"

func TestParseTestFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  []string
		want testFlags
	}{
		{"nothing", nil, nil, testFlags{Color: "auto"}},
		{"filters anywhere", []string{"a", "--exact", "b"}, nil, testFlags{Filters: []string{"a", "b"}, Exact: true, Color: "auto"}},
		{"-- ends options", []string{"--", "--exact", "-q"}, nil, testFlags{Filters: []string{"--exact", "-q"}, Color: "auto"}},
		{"a lone dash is a filter", []string{"-"}, nil, testFlags{Filters: []string{"-"}, Color: "auto"}},
		{"skip, both spellings", []string{"--skip", "x", "--skip=y"}, nil, testFlags{Skip: []string{"x", "y"}, Color: "auto"}},
		{"ignored", []string{"--ignored"}, nil, testFlags{RunIgnored: ignoredOnly, Color: "auto"}},
		{"include-ignored", []string{"--include-ignored"}, nil, testFlags{RunIgnored: ignoredInclude, Color: "auto"}},
		{"capture and output", []string{"--nocapture", "--show-output"}, nil, testFlags{NoCapture: true, ShowOutput: true, Color: "auto"}},
		{"--no-capture (newer libtest)", []string{"--no-capture"}, nil, testFlags{NoCapture: true, Color: "auto"}},
		{"list terse", []string{"--list", "--format", "terse"}, nil, testFlags{List: true, Format: formatTerse, Color: "auto"}},
		{"-q", []string{"-q"}, nil, testFlags{Format: formatTerse, Color: "auto"}},
		{"--quiet", []string{"--quiet"}, nil, testFlags{Format: formatTerse, Color: "auto"}},
		{"--format beats -q", []string{"-q", "--format", "pretty"}, nil, testFlags{Color: "auto"}},
		{"json", []string{"-Zunstable-options", "--format=json"}, nil, testFlags{Format: formatJSON, Color: "auto"}},
		{"-Z with a separate value", []string{"-Z", "unstable-options", "x"}, nil, testFlags{Filters: []string{"x"}, Color: "auto"}},
		{"grouped short flags", []string{"-qh"}, nil, testFlags{Format: formatTerse, Help: true, Color: "auto"}},
		{"short flags then -Z value", []string{"-qZunstable-options"}, nil, testFlags{Format: formatTerse, Color: "auto"}},
		{"threads", []string{"--test-threads", "3"}, nil, testFlags{Threads: 3, Color: "auto"}},
		{"threads from the environment", nil, []string{"RUST_TEST_THREADS=2"}, testFlags{Threads: 2, Color: "auto"}},
		{"flag beats the environment", []string{"--test-threads=5"}, []string{"RUST_TEST_THREADS=2"}, testFlags{Threads: 5, Color: "auto"}},
		{"RUST_TEST_NOCAPTURE=0 keeps capturing", nil, []string{"RUST_TEST_NOCAPTURE=0"}, testFlags{Color: "auto"}},
		{"RUST_TEST_NOCAPTURE=yes", nil, []string{"RUST_TEST_NOCAPTURE=yes"}, testFlags{NoCapture: true, Color: "auto"}},
		{"color", []string{"--color", "always"}, nil, testFlags{Color: "always"}},
		{"report time", []string{"--report-time", "--ensure-time"}, nil, testFlags{ReportTime: true, Color: "auto"}},
		{"shuffle", []string{"--shuffle"}, nil, testFlags{Shuffle: true, Color: "auto"}},
		{"shuffle seed", []string{"--shuffle-seed", "42"}, nil, testFlags{Shuffle: true, ShuffleSeed: 42, HasShuffleSeed: true, Color: "auto"}},
		{"shuffle seed from the environment", nil, []string{"RUST_TEST_SHUFFLE_SEED=9"}, testFlags{Shuffle: true, ShuffleSeed: 9, HasShuffleSeed: true, Color: "auto"}},
		{"logfile", []string{"--logfile", "/tmp/x"}, nil, testFlags{Logfile: "/tmp/x", Color: "auto"}},
		{"accepted no-ops", []string{"--test", "--bench", "--force-run-in-process", "--exclude-should-panic"}, nil, testFlags{ExcludeShouldPanic: true, Color: "auto"}},
		{"repeated flags are fine", []string{"--nocapture", "--nocapture", "--color", "never", "--color", "always"}, nil, testFlags{NoCapture: true, Color: "always"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseTestFlags(c.args, c.env)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "flags", *got, c.want)
		})
	}
}

func TestParseTestFlags_errors(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"--Z", "x"}, nil, "Unrecognized option: 'Z'"},
		{[]string{"-Z"}, nil, "Argument to option 'Z' missing"},
		{[]string{"--test-threads"}, nil, "Argument to option 'test-threads' missing"},
		{[]string{"--test-threads", ""}, nil, "argument for --test-threads must be a number > 0 (error: cannot parse integer from empty string)"},
		{[]string{"--test-threads", "99999999999999999999"}, nil, "argument for --test-threads must be a number > 0 (error: number too large to fit in target type)"},
		{[]string{"--shuffle-seed", "x"}, nil, "argument for --shuffle-seed must be a number (error: invalid digit found in string)"},
		{[]string{"--list=yes"}, nil, "Option 'list' does not take an argument"},
		{nil, []string{"RUST_TEST_THREADS=0"}, "RUST_TEST_THREADS is `0`, should be a positive integer."},
	} {
		_, err := parseTestFlags(c.args, c.env)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q %q: error %v, want %q", c.args, c.env, err, c.want)
		}
	}
}

func TestParseTestLimits(t *testing.T) {
	for _, c := range []struct {
		env  []string
		want testLimits
		err  bool
	}{
		{nil, testLimits{}, false},
		{[]string{"LUNATIC_TEST_TIMEOUT=90"}, testLimits{Timeout: 90e9}, false},
		{[]string{"LUNATIC_TEST_TIMEOUT=1.5"}, testLimits{Timeout: 1.5e9}, false},
		{[]string{"LUNATIC_TEST_TIMEOUT=2m"}, testLimits{Timeout: 120e9}, false},
		{[]string{"LUNATIC_TEST_TIMEOUT="}, testLimits{}, false},
		{[]string{"LUNATIC_TEST_MAX_FUEL=300"}, testLimits{MaxFuel: 300}, false},
		{[]string{"LUNATIC_TEST_TIMEOUT=-1s"}, testLimits{}, true},
		{[]string{"LUNATIC_TEST_TIMEOUT=-3"}, testLimits{}, true},
		{[]string{"LUNATIC_TEST_MAX_FUEL=lots"}, testLimits{}, true},
	} {
		got, err := parseTestLimits(c.env)
		if (err != nil) != c.err {
			t.Errorf("%q: error %v, want error %v", c.env, err, c.err)
			continue
		}
		if !c.err {
			equal(t, "limits", got, c.want)
		}
	}
}
