package testharness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// testOutcome is one finished (or ignored) test.
type testOutcome struct {
	Test    testCase
	Result  testResult
	Output  []byte // the captured output the report shows (none with --nocapture)
	Note    string // libtest's "note: …" line(s) about the failure, "" for none
	Elapsed time.Duration
}

// suite runs the tests of one binary, each as its own process in its own environment of
// one runtime, at most Threads at a time.
type suite struct {
	rt     *vm.Runtime
	mod    *vm.Module
	cfg    *permissions.ProcessConfig
	flags  *testFlags
	limits testLimits
	// stdin is the runner's standard input, which every test inherits (as in the
	// original); stdout and stderr are the runner's streams, serialised with the
	// reporter's writes; tests write to them only with --nocapture.
	stdin          io.Reader
	stdout, stderr io.Writer
	// warnAfter is when a still-running test is reported as slow (libtest: 60 s).
	warnAfter time.Duration
	// grace is how long a test killed for its time limit may take to stop.
	grace time.Duration

	running, peak atomic.Int64 // tests running now / at most, for tests of the runner
	abandoned     atomic.Int64 // tests that did not stop when killed
}

// closeWait bounds how long closing the runtime waits for the processes the tests left
// running to unwind after their kill; those still running then are abandoned.
const closeWait = 5 * time.Second

// close releases the runtime. When a test was abandoned, Runtime.Close would wait for it
// (up to closeWait) after the report is out; the runner does not wait for that: the
// runtime is closed in the background, and lunatic exits anyway once the report is out.
func (s *suite) close(ctx context.Context) {
	closeRT := func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeWait)
		defer cancel()
		_ = s.rt.Close(ctx)
	}
	if s.abandoned.Load() > 0 {
		go closeRT()
		return
	}
	closeRT()
}

// run starts the tests in order, keeping at most flags.Threads running, and hands each
// event to rep as it happens; results arrive in completion order.
func (s *suite) run(ctx context.Context, tests []testCase, rep reporter) {
	results := make(chan *testOutcome, len(tests))
	slow := make(chan testCase, len(tests))
	pending, next := 0, 0
	for pending > 0 || next < len(tests) {
		for (s.flags.Threads == 0 || pending < s.flags.Threads) && next < len(tests) {
			tc := tests[next]
			next++
			pending++
			rep.testStart(tc)
			if tc.Ignored {
				results <- &testOutcome{Test: tc, Result: resultIgnored}
				continue
			}
			go func() { results <- s.runOne(ctx, tc, slow) }()
		}
		select {
		case o := <-results:
			pending--
			rep.testResult(o)
		case tc := <-slow:
			rep.testSlow(tc)
		}
	}
}

// runOne runs one test to its end and judges it.
func (s *suite) runOne(ctx context.Context, tc testCase, slow chan<- testCase) *testOutcome {
	start := time.Now()
	out := &capture{}
	var stdout, stderr io.Writer = out, out
	if s.flags.NoCapture {
		stdout, stderr = teeWriter{out, s.stdout}, teeWriter{out, s.stderr}
	}
	// Counted as running from before its spawn, so that a test running guest code is
	// always counted.
	s.enter()
	env := s.rt.NewEnvironment(0)
	p, err := env.Spawn(ctx, vm.SpawnOptions{
		Module: s.mod, Config: s.cfg.Clone(), Entry: tc.Export,
		Stdin: s.stdin, Stdout: stdout, Stderr: stderr,
	})
	if err != nil {
		s.leave()
		return s.outcome(tc, resultFailed, nil, "cannot start the test process: "+err.Error(), start)
	}
	// Like libtest, the notice is for parallel runs only: one at a time, the test's name
	// is already on screen.
	var warn *time.Timer
	if s.flags.Threads != 1 {
		warn = time.AfterFunc(s.warnAfter, func() { slow <- tc })
	}
	end := s.wait(ctx, p)
	if warn != nil {
		warn.Stop()
	}
	s.leave()
	if end.Abandoned {
		s.abandoned.Add(1)
	}
	// Whatever the test left running ends with it, so it cannot write into a later
	// report or hold resources for the rest of the run.
	for _, q := range env.Processes() {
		q.Kill(vm.ErrKilled)
	}
	end.Output = out.Bytes()
	result, note := judge(tc, end, s.limits)
	shown := end.Output
	if s.flags.NoCapture {
		shown = nil // it has been shown already
	}
	return s.outcome(tc, result, shown, note, start)
}

// wait waits for p to end, killing it when it exceeds its time limit or ctx ends.
func (s *suite) wait(ctx context.Context, p *vm.Process) testEnd {
	var limit <-chan time.Time
	if s.limits.Timeout > 0 {
		t := time.NewTimer(s.limits.Timeout)
		defer t.Stop()
		limit = t.C
	}
	select {
	case <-p.Done():
		return testEnd{Death: p.Death()}
	case <-limit:
		p.Kill(errTimeLimit)
	case <-ctx.Done():
		p.Kill(fmt.Errorf("%w: %w", vm.ErrKilled, context.Cause(ctx)))
	}
	grace := time.NewTimer(s.grace)
	defer grace.Stop()
	select {
	case <-p.Done():
		return testEnd{Death: p.Death()}
	case <-grace.C:
		return testEnd{Abandoned: true}
	}
}

func (s *suite) outcome(tc testCase, r testResult, output []byte, note string, start time.Time) *testOutcome {
	return &testOutcome{Test: tc, Result: r, Output: output, Note: note, Elapsed: time.Since(start)}
}

// report is what the summary prints for the test: its output, then the note (which,
// as in libtest, is appended as "note: …" without a line break of its own).
func (o *testOutcome) report() []byte {
	if o.Note == "" {
		return o.Output
	}
	return append(bytes.Clone(o.Output), "note: "+o.Note...)
}

func (s *suite) enter() {
	n := s.running.Add(1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (s *suite) leave() { s.running.Add(-1) }
