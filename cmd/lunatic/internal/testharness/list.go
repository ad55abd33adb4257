package testharness

import (
	"fmt"
	"io"
)

// listTests prints the selected tests without running them (--list), in the --format
// given: "NAME: test" lines, which pretty follows with a count; JSON discovery events.
func listTests(w io.Writer, tests []testCase, f *testFlags, log io.Writer) {
	if f.Format == formatJSON {
		listJSON(w, tests)
	} else {
		for _, tc := range tests {
			fmt.Fprintf(w, "%s: test\n", tc.Name)
		}
		if f.Format == formatPretty {
			if len(tests) > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "%d %s, 0 benchmarks\n", len(tests), plural(len(tests), "test"))
		}
	}
	if log != nil {
		for _, tc := range tests {
			fmt.Fprintf(log, "test %s\n", tc.Name)
		}
	}
}

func listJSON(w io.Writer, tests []testCase) {
	fmt.Fprintln(w, `{ "type": "suite", "event": "discovery" }`)
	ignored := 0
	for _, tc := range tests {
		if tc.Ignored {
			ignored++
		}
		fmt.Fprintf(w, `{ "type": "test", "event": "discovered", "name": "%s", "ignore": %t, "ignore_message": "", "source_path": "", "start_line": 0, "start_col": 0, "end_line": 0, "end_col": 0 }`+"\n",
			jsonEscape(tc.Name), tc.Ignored)
	}
	fmt.Fprintf(w, `{ "type": "suite", "event": "completed", "tests": %d, "benchmarks": 0, "total": %d, "ignored": %d }`+"\n",
		len(tests), len(tests), ignored)
}
