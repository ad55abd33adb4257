package testharness

import (
	"io"
	"os"

	"golang.org/x/term"
)

// useColor decides colour as libtest does: always, never, or (auto) when stdout is a
// terminal and test output is captured.
func useColor(f *testFlags, stdout io.Writer) bool {
	switch f.Color {
	case "always":
		return true
	case "never":
		return false
	}
	return !f.NoCapture && isTerminal(stdout)
}

// isTerminal reports whether w is a terminal (golang.org/x/term asks the platform: the
// terminal attributes on Unix, the console mode on Windows), so /dev/null, NUL, pipes and
// files do not count.
func isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	if !ok {
		return false
	}
	return term.IsTerminal(int(file.Fd()))
}

// ANSI colours of the result words (libtest's term colours GREEN, RED, YELLOW).
const (
	colorGreen  = "\x1b[32m"
	colorRed    = "\x1b[31m"
	colorYellow = "\x1b[33m"
	colorReset  = "\x1b[0m"
)

func paint(word, color string, on bool) string {
	if !on {
		return word
	}
	return color + word + colorReset
}
