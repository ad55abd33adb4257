package testharness

import (
	"fmt"
	"io"
	"strings"
)

// jsonFormatter prints one JSON object per line per event, in the shape of libtest's
// (unstable) --format json that IDEs read.
type jsonFormatter struct {
	w          io.Writer
	reportTime bool
	showOutput bool
}

var _ formatter = (*jsonFormatter)(nil)

func (j *jsonFormatter) runStart(total int, seed *uint64) {
	extra := ""
	if seed != nil {
		extra = fmt.Sprintf(`, "shuffle_seed": %d`, *seed)
	}
	fmt.Fprintf(j.w, `{ "type": "suite", "event": "started", "test_count": %d%s }`+"\n", total, extra)
}

func (j *jsonFormatter) testStart(tc testCase) {
	fmt.Fprintf(j.w, `{ "type": "test", "event": "started", "name": "%s" }`+"\n", jsonEscape(tc.Name))
}

func (j *jsonFormatter) testResult(o *testOutcome) {
	event := map[testResult]string{resultOK: "ok", resultFailed: "failed", resultIgnored: "ignored"}[o.Result]
	var b strings.Builder
	fmt.Fprintf(&b, `{ "type": "test", "name": "%s", "event": "%s"`, jsonEscape(o.Test.Name), event)
	if j.reportTime && o.Result != resultIgnored {
		fmt.Fprintf(&b, `, "exec_time": %g`, o.Elapsed.Seconds())
	}
	if (j.showOutput || o.Result == resultFailed) && len(o.Output) > 0 {
		fmt.Fprintf(&b, `, "stdout": "%s"`, jsonEscape(string(toValidUTF8(o.Output))))
	}
	if o.Note != "" {
		fmt.Fprintf(&b, `, "message": "%s"`, jsonEscape(o.Note))
	}
	b.WriteString(" }\n")
	fmt.Fprint(j.w, b.String())
}

func (j *jsonFormatter) testSlow(tc testCase) {
	fmt.Fprintf(j.w, `{ "type": "test", "event": "timeout", "name": "%s" }`+"\n", jsonEscape(tc.Name))
}

func (j *jsonFormatter) runFinish(st *suiteState) {
	event := "ok"
	if st.failed > 0 {
		event = "failed"
	}
	fmt.Fprintf(j.w, `{ "type": "suite", "event": "%s", "passed": %d, "failed": %d, "ignored": %d, "measured": 0, "filtered_out": %d, "exec_time": %g }`+"\n",
		event, st.passed, st.failed, st.ignored, st.filteredOut, st.elapsed.Seconds())
}

// jsonEscape escapes a string for a JSON string literal the way libtest does: quotes,
// backslashes and control characters; everything else is kept as is.
func jsonEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}
