package testharness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/permissions"
)

// executeGuest runs a test binary like runTests does and returns the report and the
// run's statistics (for the number of tests that ran at once).
func executeGuest(t *testing.T, name string, args, env []string, dirs ...permissions.Preopen) (string, *runStats) {
	t.Helper()
	return executeGuestStdin(t, name, strings.NewReader(""), args, env, dirs...)
}

// executeGuestStdin is executeGuest with the given standard input for the tests.
func executeGuestStdin(t *testing.T, name string, stdin io.Reader, args, env []string, dirs ...permissions.Preopen) (string, *runStats) {
	t.Helper()
	var out, errb bytes.Buffer
	opts := harnessOptions(testmodeGuest(name), stdin, &out, &errb, args, env, dirs...)
	bin, ok := detectTestBinary(opts)
	if !ok {
		t.Fatalf("%s is not detected as a test binary", name)
	}
	flags, err := parseTestFlags(args, opts.Env)
	if err != nil {
		t.Fatal(err)
	}
	limits, err := parseTestLimits(opts.Env)
	if err != nil {
		t.Fatal(err)
	}
	selected, _ := selectTests(bin.tests, flags)
	st, err := execute(context.Background(), opts, bin, flags, limits, selected, nil)
	if err != nil {
		t.Fatal(err)
	}
	if errb.Len() > 0 {
		t.Errorf("stderr: %s", errb.String())
	}
	return out.String(), st
}

// manySection is the output of failing test tNNN of many.wasm, its lines sorted: the
// test's and its child's lines interleave in time, but nothing else may be there.
func manySection(name string) []string {
	lines := []string{
		"child of " + name + " says hi",
		name + " writes to stderr",
		"thread '<unnamed>' panicked at '" + name + " failed on purpose', tests/many.rs:22:9",
		strings.TrimSuffix(backtraceHint, "\n"),
	}
	for k := 0; k < 10; k++ {
		lines = append(lines, fmt.Sprintf("%s line %d", name, k))
	}
	slices.Sort(lines)
	return lines
}

// checkMany checks a report of many.wasm: every test once with the right result, every
// failure section holding exactly that test's lines (its own in order), the summary.
func checkMany(t *testing.T, out string) {
	t.Helper()
	pr := parseRun(t, out)
	equal(t, "header", pr.Header, "\nrunning 100 tests\n")
	var want, failures []string
	for i := 0; i < 100; i++ {
		name := fmt.Sprintf("t%03d", i)
		if i%10 == 3 {
			want = append(want, "test "+name+" ... FAILED")
			failures = append(failures, name)
		} else {
			want = append(want, "test "+name+" ... ok")
		}
	}
	equal(t, "results", pr.Results, resultLines(want...))
	equal(t, "failures", pr.Listed, failures)
	equal(t, "sections", len(pr.Sections), len(failures))
	for _, name := range failures {
		section, ok := pr.Sections["failures/"+name]
		if !ok {
			t.Errorf("no section for %s", name)
			continue
		}
		lines := strings.Split(section, "\n")
		if lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		var own []string
		for _, l := range lines {
			if strings.HasPrefix(l, name+" line ") {
				own = append(own, l)
			}
		}
		slices.Sort(lines)
		equal(t, name+" section lines", lines, manySection(name))
		equal(t, name+" own lines in order", slices.IsSortedFunc(own, func(a, b string) int {
			var x, y int
			fmt.Sscanf(a[len(name)+6:], "%d", &x)
			fmt.Sscanf(b[len(name)+6:], "%d", &y)
			return x - y
		}), true)
	}
	equal(t, "summary", pr.Summary, "test result: FAILED. 90 passed; 10 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s")
}

// 100 tests run at the same time as processes of one runtime, and each one's output
// (and its child's) ends up in its own section only. The guest's barrier holds every
// test until all 100 have started: with fewer running at once the run could not finish.
func TestTestMode_hundredTestsInParallel(t *testing.T) {
	barrier := t.TempDir()
	out, st := executeGuest(t, "many", nil, []string{"BARRIER_DIR=" + barrier},
		permissions.Preopen{Host: barrier, Guest: barrier})
	checkMany(t, out)
	equal(t, "tests running at once", st.peak, 100)
	entries, err := os.ReadDir(barrier)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "tests that reached the barrier", len(entries), 100)
}

// --test-threads bounds how many tests run at once; the report is the same.
func TestTestMode_testThreadsBound(t *testing.T) {
	for _, n := range []int{1, 4} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			out, st := executeGuest(t, "many", []string{"--test-threads", fmt.Sprint(n)}, nil)
			checkMany(t, out)
			if st.peak < 1 || st.peak > n {
				t.Errorf("%d tests ran at once, want 1..%d", st.peak, n)
			}
		})
	}
}
