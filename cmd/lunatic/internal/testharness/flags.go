package testharness

import (
	"fmt"
	"strings"
)

// runIgnored says what happens to #[ignore] tests.
type runIgnored int

const (
	ignoredSkip    runIgnored = iota // report them as ignored (default)
	ignoredInclude                   // --include-ignored: run them with the others
	ignoredOnly                      // --ignored: run only them
)

// outputFormat is the --format of test results.
type outputFormat int

const (
	formatPretty outputFormat = iota // one line per test
	formatTerse                      // one character per test (-q)
	formatJSON                       // one JSON object per event, as libtest's unstable json
)

// testFlags is the command line libtest would have parsed: everything cargo, an IDE or a
// person passes after the test binary's path.
type testFlags struct {
	Filters            []string // run tests matching any of these (all when empty)
	Skip               []string // skip tests matching any of these
	Exact              bool     // filters must equal the name instead of being a substring
	RunIgnored         runIgnored
	ExcludeShouldPanic bool
	List               bool
	NoCapture          bool // let output through instead of capturing it
	ShowOutput         bool // also print the output of passing tests
	Format             outputFormat
	Color              string // "auto", "always" or "never"
	Threads            int    // most tests running at once; 0 = no bound
	ReportTime         bool   // print each test's duration
	Logfile            string // also write one result line per test here
	Shuffle            bool
	ShuffleSeed        uint64
	HasShuffleSeed     bool
	Help               bool
}

// testOption describes one option libtest knows.
type testOption struct {
	takesValue bool
	apply      func(f *testFlags, v string, st *flagState) error
}

// flagState keeps what is decided after all options are seen.
type flagState struct {
	quiet, ignored, includeIgnored bool
	format, threads, seed          string
	hasFormat, hasThreads, hasSeed bool
}

func setFlag(fn func(f *testFlags, st *flagState)) testOption {
	return testOption{apply: func(f *testFlags, _ string, st *flagState) error { fn(f, st); return nil }}
}

func valueFlag(fn func(f *testFlags, v string, st *flagState) error) testOption {
	return testOption{takesValue: true, apply: fn}
}

// testOptions lists every option of libtest's command line (as of Rust 1.8x), by long
// name. Options that only tune libtest's own machinery are accepted and have no effect.
var testOptions = map[string]testOption{
	"include-ignored":      setFlag(func(_ *testFlags, st *flagState) { st.includeIgnored = true }),
	"ignored":              setFlag(func(_ *testFlags, st *flagState) { st.ignored = true }),
	"exclude-should-panic": setFlag(func(f *testFlags, _ *flagState) { f.ExcludeShouldPanic = true }),
	"force-run-in-process": setFlag(func(*testFlags, *flagState) {}),
	"test":                 setFlag(func(*testFlags, *flagState) {}),
	"bench":                setFlag(func(*testFlags, *flagState) {}),
	"list":                 setFlag(func(f *testFlags, _ *flagState) { f.List = true }),
	"help":                 setFlag(func(f *testFlags, _ *flagState) { f.Help = true }),
	"nocapture":            setFlag(func(f *testFlags, _ *flagState) { f.NoCapture = true }),
	"no-capture":           setFlag(func(f *testFlags, _ *flagState) { f.NoCapture = true }),
	"quiet":                setFlag(func(_ *testFlags, st *flagState) { st.quiet = true }),
	"exact":                setFlag(func(f *testFlags, _ *flagState) { f.Exact = true }),
	"show-output":          setFlag(func(f *testFlags, _ *flagState) { f.ShowOutput = true }),
	"report-time":          setFlag(func(f *testFlags, _ *flagState) { f.ReportTime = true }),
	"ensure-time":          setFlag(func(f *testFlags, _ *flagState) { f.ReportTime = true }),
	"shuffle":              setFlag(func(f *testFlags, _ *flagState) { f.Shuffle = true }),
	"logfile": valueFlag(func(f *testFlags, v string, _ *flagState) error {
		f.Logfile = v
		return nil
	}),
	"skip": valueFlag(func(f *testFlags, v string, _ *flagState) error {
		f.Skip = append(f.Skip, v)
		return nil
	}),
	"test-threads": valueFlag(func(_ *testFlags, v string, st *flagState) error {
		st.threads, st.hasThreads = v, true
		return nil
	}),
	"color": valueFlag(func(f *testFlags, v string, _ *flagState) error {
		if v != "auto" && v != "always" && v != "never" {
			return fmt.Errorf("argument for --color must be auto, always, or never (was %s)", v)
		}
		f.Color = v
		return nil
	}),
	"format": valueFlag(func(_ *testFlags, v string, st *flagState) error {
		st.format, st.hasFormat = v, true
		return nil
	}),
	"shuffle-seed": valueFlag(func(_ *testFlags, v string, st *flagState) error {
		st.seed, st.hasSeed = v, true
		return nil
	}),
	// -Z enables libtest's nightly-only options; every option is accepted here anyway, so
	// any -Z value (unstable-options or one this runner does not know) is ignored.
	"Z": valueFlag(func(*testFlags, string, *flagState) error { return nil }),
}

// shortOptions maps libtest's one-letter options to their long names.
var shortOptions = map[byte]string{'h': "help", 'q': "quiet", 'Z': "Z"}

// parseTestFlags parses libtest's command line (getopts rules: --name, --name=value,
// --name value, -x, -xVALUE, -x VALUE, grouped short flags, "--" ends the options, every
// other word is a filter) and applies the environment variables libtest reads
// (RUST_TEST_THREADS, RUST_TEST_NOCAPTURE, RUST_TEST_SHUFFLE, RUST_TEST_SHUFFLE_SEED).
// Errors read like libtest's.
func parseTestFlags(args, env []string) (*testFlags, error) {
	f := &testFlags{Color: "auto"}
	st := &flagState{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		var err error
		switch {
		case a == "--":
			f.Filters = append(f.Filters, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--"):
			i, err = applyLong(f, st, args, i)
		case len(a) > 1 && a[0] == '-':
			i, err = applyShort(f, st, args, i)
		default:
			f.Filters = append(f.Filters, a)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := st.finish(f, env); err != nil {
		return nil, err
	}
	return f, nil
}

// applyLong applies args[i], a --long option, and returns the index of the last word used.
func applyLong(f *testFlags, st *flagState, args []string, i int) (int, error) {
	name, value, hasValue := strings.Cut(args[i][2:], "=")
	opt, ok := testOptions[name]
	if !ok || name == "Z" {
		return i, fmt.Errorf("Unrecognized option: '%s'", name)
	}
	switch {
	case !opt.takesValue && hasValue:
		return i, fmt.Errorf("Option '%s' does not take an argument", name)
	case opt.takesValue && !hasValue:
		if i+1 >= len(args) {
			return i, fmt.Errorf("Argument to option '%s' missing", name)
		}
		i++
		value = args[i]
	}
	return i, opt.apply(f, value, st)
}

// applyShort applies args[i], one or more grouped one-letter options.
func applyShort(f *testFlags, st *flagState, args []string, i int) (int, error) {
	a := args[i]
	for k := 1; k < len(a); k++ {
		name, ok := shortOptions[a[k]]
		if !ok {
			return i, fmt.Errorf("Unrecognized option: '%c'", a[k])
		}
		opt := testOptions[name]
		if !opt.takesValue {
			_ = opt.apply(f, "", st)
			continue
		}
		value := a[k+1:]
		if value == "" {
			if i+1 >= len(args) {
				return i, fmt.Errorf("Argument to option '%s' missing", name)
			}
			i++
			value = args[i]
		}
		return i, opt.apply(f, value, st)
	}
	return i, nil
}
