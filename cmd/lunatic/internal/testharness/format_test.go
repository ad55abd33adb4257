package testharness

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// feed runs a formatter over results (name → result) in the given order and returns
// what it printed.
func feed(f formatter, buf *bytes.Buffer, st *suiteState, outcomes []*testOutcome) string {
	f.runStart(len(outcomes), nil)
	for _, o := range outcomes {
		f.testStart(o.Test)
		f.testResult(o)
		switch o.Result {
		case resultOK:
			st.passed++
			st.successes = append(st.successes, o)
		case resultIgnored:
			st.ignored++
		default:
			st.failed++
			st.failures = append(st.failures, o)
		}
	}
	f.runFinish(st)
	return buf.String()
}

func okOutcome(name string) *testOutcome {
	return &testOutcome{Test: testCase{Name: name}, Result: resultOK, Elapsed: 1500 * time.Microsecond}
}

// libtest's terse format starts a new line with a progress count after 87 characters,
// and gives a failed test a line of its own.
func TestTerseFormatter_progress(t *testing.T) {
	var outcomes []*testOutcome
	for i := 0; i < 200; i++ {
		outcomes = append(outcomes, okOutcome(fmt.Sprintf("t%03d", i)))
	}
	outcomes[100] = &testOutcome{Test: testCase{Name: "t100"}, Result: resultFailed, Output: []byte("out\n")}
	outcomes[101].Result = resultIgnored
	var buf bytes.Buffer
	got := feed(&terseFormatter{w: &buf}, &buf, &suiteState{}, outcomes)
	dots := func(n int) string { return strings.Repeat(".", n) }
	want := "\nrunning 200 tests\n" +
		dots(87) + " 87/200\n" +
		dots(13) + " 100/200\n" +
		"t100 --- FAILED\n" +
		"i" + dots(86) + " 188/200\n" +
		dots(12) + "\n" +
		"failures:\n\n---- t100 stdout ----\nout\n\n\nfailures:\n    t100\n" +
		"\ntest result: FAILED. 198 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n"
	if got != want {
		t.Errorf("terse output differs:\n%s", lineDiff(got, want))
	}
}

func TestPrettyFormatter_reportTime(t *testing.T) {
	var buf bytes.Buffer
	got := feed(&prettyFormatter{w: &buf, reportTime: true}, &buf, &suiteState{}, []*testOutcome{
		okOutcome("a"),
		{Test: testCase{Name: "b"}, Result: resultIgnored},
	})
	want := "\nrunning 2 tests\ntest a ... ok <0.002s>\ntest b ... ignored\n" +
		"\ntest result: ok. 1 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n"
	equal(t, "output", got, want)
}

func TestJSONFormatter(t *testing.T) {
	var buf bytes.Buffer
	st := &suiteState{filteredOut: 3, elapsed: 250 * time.Millisecond}
	got := feed(&jsonFormatter{w: &buf}, &buf, st, []*testOutcome{
		okOutcome("tests::a"),
		{Test: testCase{Name: "b\"q"}, Result: resultFailed, Output: []byte("line\n\tx\x01"), Note: "test did not panic as expected"},
		{Test: testCase{Name: "c"}, Result: resultIgnored},
	})
	want := `{ "type": "suite", "event": "started", "test_count": 3 }
{ "type": "test", "event": "started", "name": "tests::a" }
{ "type": "test", "name": "tests::a", "event": "ok" }
{ "type": "test", "event": "started", "name": "b\"q" }
{ "type": "test", "name": "b\"q", "event": "failed", "stdout": "line\n\tx\u0001", "message": "test did not panic as expected" }
{ "type": "test", "event": "started", "name": "c" }
{ "type": "test", "name": "c", "event": "ignored" }
{ "type": "suite", "event": "failed", "passed": 1, "failed": 1, "ignored": 1, "measured": 0, "filtered_out": 3, "exec_time": 0.25 }
`
	equal(t, "output", got, want)
}

func TestListTests_json(t *testing.T) {
	var buf bytes.Buffer
	listTests(&buf, []testCase{{Name: "a"}, {Name: "b", Ignored: true}}, &testFlags{Format: formatJSON}, nil)
	want := `{ "type": "suite", "event": "discovery" }
{ "type": "test", "event": "discovered", "name": "a", "ignore": false, "ignore_message": "", "source_path": "", "start_line": 0, "start_col": 0, "end_line": 0, "end_col": 0 }
{ "type": "test", "event": "discovered", "name": "b", "ignore": true, "ignore_message": "", "source_path": "", "start_line": 0, "start_col": 0, "end_line": 0, "end_col": 0 }
{ "type": "suite", "event": "completed", "tests": 2, "benchmarks": 0, "total": 2, "ignored": 1 }
`
	equal(t, "output", buf.String(), want)
}

// Captured output that is not UTF-8 is printed lossily, one U+FFFD per bad byte.
func TestToValidUTF8(t *testing.T) {
	equal(t, "valid", string(toValidUTF8([]byte("héllo"))), "héllo")
	equal(t, "invalid", string(toValidUTF8([]byte("a\xff\xfeb"))), "a\uFFFD\uFFFDb")
}
