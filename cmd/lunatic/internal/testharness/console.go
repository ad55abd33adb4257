package testharness

import (
	"fmt"
	"io"
	"slices"
	"time"
	"unicode/utf8"
)

// reporter receives the events of a test run.
type reporter interface {
	runStart(total int)
	testStart(tc testCase)
	testResult(o *testOutcome)
	testSlow(tc testCase)
}

// formatter prints the events of a run in one --format; console feeds it and keeps the
// tally.
type formatter interface {
	runStart(total int, seed *uint64)
	testStart(tc testCase)
	testResult(o *testOutcome)
	testSlow(tc testCase)
	runFinish(st *suiteState)
}

// suiteState is the tally of a run, as libtest's ConsoleTestState.
type suiteState struct {
	passed, failed, ignored, filteredOut int
	failures, successes                  []*testOutcome // in completion order
	elapsed                              time.Duration
	showOutput                           bool
}

// console tallies results, writes the optional --logfile, and drives a formatter.
type console struct {
	f    formatter
	st   suiteState
	seed *uint64
	log  io.Writer // nil without --logfile
}

var _ reporter = (*console)(nil)

func (c *console) runStart(total int)    { c.f.runStart(total, c.seed) }
func (c *console) testStart(tc testCase) { c.f.testStart(tc) }
func (c *console) testSlow(tc testCase)  { c.f.testSlow(tc) }

func (c *console) testResult(o *testOutcome) {
	c.f.testResult(o)
	switch o.Result {
	case resultOK:
		c.st.passed++
		c.st.successes = append(c.st.successes, o)
	case resultIgnored:
		c.st.ignored++
	default:
		c.st.failed++
		c.st.failures = append(c.st.failures, o)
	}
	if c.log != nil {
		fmt.Fprintf(c.log, "%s %s\n", logWord(o), o.Test.Name)
	}
}

// finish prints the summary and reports whether no test failed.
func (c *console) finish() bool {
	c.f.runFinish(&c.st)
	return c.st.failed == 0
}

// logWord is the first word of a --logfile line, as libtest writes it.
func logWord(o *testOutcome) string {
	switch {
	case o.Result == resultOK:
		return "ok"
	case o.Result == resultIgnored:
		return "ignored"
	case o.Note != "":
		return "failed: " + o.Note
	default:
		return "failed"
	}
}

// newFormatter returns the formatter for f's --format writing to w.
func newFormatter(w io.Writer, f *testFlags, color bool) formatter {
	sequential := f.Threads == 1
	switch f.Format {
	case formatTerse:
		return &terseFormatter{w: w, color: color}
	case formatJSON:
		return &jsonFormatter{w: w, reportTime: f.ReportTime, showOutput: f.ShowOutput}
	default:
		return &prettyFormatter{w: w, color: color, sequential: sequential, reportTime: f.ReportTime}
	}
}

// testLabel is how libtest names a test on its result line.
func testLabel(tc testCase) string {
	if tc.ShouldPanic {
		return tc.Name + " - should panic"
	}
	return tc.Name
}

// writeSections prints libtest's "successes:"/"failures:" block: the outputs (in
// completion order), then the names sorted.
func writeSections(w io.Writer, kind string, outcomes []*testOutcome) {
	fmt.Fprintf(w, "\n%s:\n", kind)
	var names []string
	var outputs []byte
	for _, o := range outcomes {
		names = append(names, o.Test.Name)
		if out := o.report(); len(out) > 0 {
			outputs = fmt.Appendf(outputs, "---- %s stdout ----\n", o.Test.Name)
			outputs = append(outputs, toValidUTF8(out)...)
			outputs = append(outputs, '\n')
		}
	}
	if len(outputs) > 0 {
		fmt.Fprint(w, "\n")
		_, _ = w.Write(outputs)
	}
	fmt.Fprintf(w, "\n%s:\n", kind)
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(w, "    %s\n", n)
	}
}

// writeSummary prints libtest's last line and the blank line after it.
func writeSummary(w io.Writer, st *suiteState, color bool) {
	word, c := "ok", colorGreen
	if st.failed > 0 {
		word, c = "FAILED", colorRed
	}
	fmt.Fprintf(w, "\ntest result: %s. %d passed; %d failed; %d ignored; 0 measured; %d filtered out; finished in %.2fs\n\n",
		paint(word, c, color), st.passed, st.failed, st.ignored, st.filteredOut, st.elapsed.Seconds())
}

// toValidUTF8 replaces every byte that is not part of valid UTF-8 with U+FFFD, as Rust's
// String::from_utf8_lossy does for the captured output it prints.
func toValidUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}
