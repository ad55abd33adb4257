package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
)

// fakeRun records what launch and test mode were given.
type fakeRun struct {
	opts     *RunOptions // last RunOptions launch received
	launched int
	code     int // launch's return value
	panicky  bool
	testMode func(ctx context.Context, opts *RunOptions) (bool, int)
}

func (fr *fakeRun) launch(_ context.Context, opts *RunOptions) int {
	fr.launched++
	fr.opts = opts
	if fr.panicky {
		panic("boom")
	}
	return fr.code
}

// testFactory returns a Factory with in-memory streams, the given host
// environment, and fr as launch.
func testFactory(fr *fakeRun, host map[string]string) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	var environ []string
	for k, v := range host {
		environ = append(environ, k+"="+v)
	}
	f := &Factory{
		In:      strings.NewReader("stdin"),
		Out:     &out,
		Err:     &errb,
		Environ: func() []string { return environ },
		LookupEnv: func(k string) (string, bool) {
			v, ok := host[k]
			return v, ok
		},
		Getwd:    func() (string, error) { return "/nonexistent-lunatic-test-dir", nil },
		Launch:   fr.launch,
		TestMode: fr.testMode,
	}
	return f, &out, &errb
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func equal[T any](t *testing.T, name string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", name, got, want)
	}
}
