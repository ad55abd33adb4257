package testharness

import (
	"fmt"
	"io"
)

// terseColumns is how many result characters libtest puts on a line before a progress
// count (88, leaving room for " 11704/12853" in 100 columns).
const terseColumns = 88

// terseFormatter prints one character per test (-q, --format terse); a failed test gets
// a line of its own.
type terseFormatter struct {
	w      io.Writer
	color  bool
	total  int
	done   int // results printed
	column int // result characters on the current line
}

var _ formatter = (*terseFormatter)(nil)

func (t *terseFormatter) runStart(total int, seed *uint64) {
	t.total = total
	fmt.Fprintf(t.w, "\nrunning %d %s%s\n", total, plural(total, "test"), seedNote(seed))
}

func (t *terseFormatter) testStart(testCase) {}

func (t *terseFormatter) testResult(o *testOutcome) {
	switch o.Result {
	case resultOK:
		t.short(".", colorGreen)
	case resultIgnored:
		t.short("i", colorYellow)
	default:
		if t.column != 0 {
			t.progress()
		}
		t.done++
		fmt.Fprintf(t.w, "%s --- %s\n", o.Test.Name, paint("FAILED", colorRed, t.color))
	}
}

func (t *terseFormatter) short(ch, color string) {
	fmt.Fprint(t.w, paint(ch, color, t.color))
	t.done++
	t.column++
	if t.column%terseColumns == terseColumns-1 {
		t.progress()
	}
}

func (t *terseFormatter) progress() {
	fmt.Fprintf(t.w, " %d/%d\n", t.done, t.total)
	t.column = 0
}

func (t *terseFormatter) testSlow(tc testCase) { writeSlow(t.w, tc) }

func (t *terseFormatter) runFinish(st *suiteState) {
	if st.showOutput {
		writeSections(t.w, "successes", st.successes)
	}
	if st.failed > 0 {
		writeSections(t.w, "failures", st.failures)
	}
	writeSummary(t.w, st, t.color)
}
