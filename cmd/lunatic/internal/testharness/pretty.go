package testharness

import (
	"fmt"
	"io"
)

// prettyFormatter prints one line per test (libtest's default format).
type prettyFormatter struct {
	w          io.Writer
	color      bool
	sequential bool // --test-threads=1: the name is printed when the test starts
	reportTime bool
}

var _ formatter = (*prettyFormatter)(nil)

func (p *prettyFormatter) runStart(total int, seed *uint64) {
	fmt.Fprintf(p.w, "\nrunning %d %s%s\n", total, plural(total, "test"), seedNote(seed))
}

func (p *prettyFormatter) testStart(tc testCase) {
	if p.sequential {
		fmt.Fprintf(p.w, "test %s ... ", testLabel(tc))
	}
}

func (p *prettyFormatter) testResult(o *testOutcome) {
	line := ""
	if !p.sequential {
		line = fmt.Sprintf("test %s ... ", testLabel(o.Test))
	}
	switch o.Result {
	case resultOK:
		line += paint("ok", colorGreen, p.color)
	case resultIgnored:
		line += paint("ignored", colorYellow, p.color)
	default:
		line += paint("FAILED", colorRed, p.color)
	}
	if p.reportTime && o.Result != resultIgnored {
		line += fmt.Sprintf(" <%.3fs>", o.Elapsed.Seconds())
	}
	fmt.Fprintln(p.w, line)
}

func (p *prettyFormatter) testSlow(tc testCase) { writeSlow(p.w, tc) }

func (p *prettyFormatter) runFinish(st *suiteState) {
	if st.showOutput {
		writeSections(p.w, "successes", st.successes)
	}
	if len(st.failures) > 0 {
		writeSections(p.w, "failures", st.failures)
	}
	writeSummary(p.w, st, p.color)
}

// writeSlow is libtest's notice about a test that is still running after a minute.
func writeSlow(w io.Writer, tc testCase) {
	fmt.Fprintf(w, "test %s has been running for over 60 seconds\n", tc.Name)
}

func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

func seedNote(seed *uint64) string {
	if seed == nil {
		return ""
	}
	return fmt.Sprintf(" (shuffle seed: %d)", *seed)
}
