package cli

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Rust's WASI preview 1 target was renamed: rustc 1.78 added wasm32-wasip1,
// and later releases dropped wasm32-wasi.
const (
	tripleWASIP1   = "wasm32-wasip1"
	tripleWASI     = "wasm32-wasi"
	wasip1MinMinor = 78 // first rustc 1.x with wasm32-wasip1
)

// rustTarget picks the build target for the rustc found on PATH, run in
// dir so a rust-toolchain file there is honoured, and explains the choice.
// Without a usable rustc it assumes a current toolchain (wasm32-wasip1).
func rustTarget(ctx context.Context, dir string) (triple, why string) {
	path, err := exec.LookPath("rustc")
	if err != nil {
		return tripleWASIP1, "rustc not found on PATH; assuming Rust 1.78 or newer"
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "--version")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return tripleWASIP1, fmt.Sprintf("`rustc --version` failed (%v); assuming Rust 1.78 or newer", err)
	}
	line := strings.TrimSpace(string(out))
	major, minor, err := parseRustcVersion(line)
	if err != nil {
		return tripleWASIP1, fmt.Sprintf("%v; assuming Rust 1.78 or newer", err)
	}
	if major > 1 || minor >= wasip1MinMinor {
		return tripleWASIP1, fmt.Sprintf("found %s", line)
	}
	return tripleWASI, fmt.Sprintf("found %s, older than 1.78 which added %s", line, tripleWASIP1)
}

// parseRustcVersion reads major and minor from a `rustc --version` line such
// as "rustc 1.80.0 (051478957 2024-07-21)" or "rustc 1.81.0-nightly (…)".
func parseRustcVersion(line string) (major, minor int, err error) {
	fields := strings.Fields(line)
	if len(fields) < 2 || fields[0] != "rustc" {
		return 0, 0, fmt.Errorf("unexpected `rustc --version` output %q", line)
	}
	release, _, _ := strings.Cut(fields[1], "-")
	parts := strings.Split(release, ".")
	if len(parts) < 2 {
		return 0, 0, fmt.Errorf("unexpected rustc version %q", fields[1])
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, fmt.Errorf("unexpected rustc version %q: %w", fields[1], err)
	}
	return major, minor, nil
}
