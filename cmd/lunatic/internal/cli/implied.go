package cli

import "strings"

// withImpliedRun returns args with "run" inserted in front when they start
// like a `lunatic run` command line without the word run (`lunatic app.wasm`,
// `lunatic --dir D app.wasm`), as the original's main.rs does for
// compatibility with lunatic 0.12.
//
// The original inserts run when the first argument ends in ".wasm" or starts
// with "--bench" or "--dir". Here the other run-only flags count too
// (--env, --no-inherit-env, --cache-dir, --no-cache), and leading -v/--verbose
// (and --verbose=…) are skipped before deciding, because init understands -v as well: so
// `lunatic -v app.wasm` runs while `lunatic -v init` still means init.
// A leading "--" followed by a .wasm path (`lunatic -- app.wasm -x`) is a run
// as well. The returned slice never aliases args.
func withImpliedRun(args []string) []string {
	i := 0
	for i < len(args) && isVerboseFlag(args[i]) {
		i++
	}
	if i == len(args) || !startsRun(args[i:]) {
		return append([]string(nil), args...)
	}
	return append([]string{"run"}, args...)
}

// startsRun reports whether rest (non-empty) begins a run command line.
func startsRun(rest []string) bool {
	first := rest[0]
	if first == "--" {
		return len(rest) > 1 && strings.HasSuffix(rest[1], ".wasm")
	}
	if strings.HasSuffix(first, ".wasm") ||
		strings.HasPrefix(first, "--bench") || strings.HasPrefix(first, "--dir") {
		return true
	}
	name, _, _ := strings.Cut(first, "=")
	switch name {
	case "--env", "--no-inherit-env", "--cache-dir", "--no-cache":
		return true
	}
	return false
}

// isVerboseFlag reports whether arg is -v, --verbose or --verbose=….
func isVerboseFlag(arg string) bool {
	return arg == "-v" || arg == "--verbose" || strings.HasPrefix(arg, "--verbose=")
}
