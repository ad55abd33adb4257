package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
)

// Factory holds the dependencies every command needs, so tests can replace
// them (gh's pkg/cmdutil/factory.go). Commands copy what they need into
// their own options struct and never read process globals directly.
type Factory struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer

	// Environ returns the host environment as "K=V" entries (os.Environ).
	Environ func() []string
	// LookupEnv reads one host variable (os.LookupEnv).
	LookupEnv func(key string) (string, bool)
	// Getwd returns the directory `lunatic init` works in (os.Getwd).
	Getwd func() (string, error)

	// Launch runs the root process; it is launch unless a test swaps it.
	Launch func(ctx context.Context, opts *RunOptions) int
	// TestMode is consulted before Launch; nil means no test mode.
	TestMode func(ctx context.Context, opts *RunOptions) (handled bool, code int)
}

// newFactory returns the Factory wired to the real process.
func newFactory() *Factory {
	return &Factory{
		In:        os.Stdin,
		Out:       os.Stdout,
		Err:       os.Stderr,
		Environ:   os.Environ,
		LookupEnv: os.LookupEnv,
		Getwd:     os.Getwd,
		Launch:    launch,
		TestMode:  testMode,
	}
}

// newLogger returns the diagnostics logger: text to stderr, Debug level
// with -v, Warn level otherwise (the original's default log filter is warn).
func newLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
