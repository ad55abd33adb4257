package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Main runs the lunatic command line on the real process (os.Args, the
// standard streams, the host environment) and returns the exit code:
//   - 0 on success;
//   - 2 on a usage error (unknown flag or command, missing .wasm path, bad
//     --dir/--env syntax, conflicting flags);
//   - 1 when a command other than run fails (e.g. init);
//   - for run, whatever launch returns (test mode's code when it handled the run);
//   - 70 if a Go panic reached Main (a bug; reported in one line, with the
//     stack only when LUNATIC_PANIC_TRACE is set).
//
// Errors are printed to stderr as the single line "lunatic: <message>".
func Main() int {
	return mainWith(context.Background(), os.Args[1:], newFactory())
}

// mainWith is Main with every dependency injected.
func mainWith(ctx context.Context, args []string, f *Factory) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(f.Err, "lunatic: internal error: %v\n", r)
			if _, ok := f.LookupEnv("LUNATIC_PANIC_TRACE"); ok {
				f.Err.Write(debug.Stack())
			}
			code = exitInternal
		}
	}()
	root := newCmdRoot(f)
	root.SetArgs(withImpliedRun(args))
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil {
		printError(f.Err, cmd, err)
	}
	return exitCode(err)
}

// printError writes err as one "lunatic: …" line; usage errors name the help
// command to read. Exit errors were reported by whoever chose the code.
func printError(w io.Writer, cmd *cobra.Command, err error) {
	var silent *exitError
	if errors.As(err, &silent) {
		return
	}
	msg := strings.TrimSpace(err.Error())
	msg = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(msg)
	if exitCode(err) == exitUsage && cmd != nil {
		msg += fmt.Sprintf(" (see '%s --help')", cmd.CommandPath())
	}
	fmt.Fprintf(w, "lunatic: %s\n", msg)
}
