package testharness

import (
	"errors"
	"fmt"
	"strconv"
)

// finish settles the options that depend on each other or on the environment.
func (st *flagState) finish(f *testFlags, env []string) error {
	switch {
	case st.ignored && st.includeIgnored:
		return errors.New("the options --include-ignored and --ignored are mutually exclusive")
	case st.ignored:
		f.RunIgnored = ignoredOnly
	case st.includeIgnored:
		f.RunIgnored = ignoredInclude
	}
	if err := st.finishFormat(f); err != nil {
		return err
	}
	if !f.NoCapture {
		if v, ok := envLookup(env, "RUST_TEST_NOCAPTURE"); ok && v != "0" {
			f.NoCapture = true
		}
	}
	if err := st.finishThreads(f, env); err != nil {
		return err
	}
	return st.finishShuffle(f, env)
}

func (st *flagState) finishFormat(f *testFlags) error {
	switch {
	case !st.hasFormat && st.quiet:
		f.Format = formatTerse
	case !st.hasFormat || st.format == "pretty":
		f.Format = formatPretty
	case st.format == "terse":
		f.Format = formatTerse
	case st.format == "json":
		f.Format = formatJSON
	default:
		return fmt.Errorf("argument for --format must be pretty, terse or json (was %s)", st.format)
	}
	return nil
}

func (st *flagState) finishThreads(f *testFlags, env []string) error {
	if st.hasThreads {
		n, err := strconv.ParseUint(st.threads, 10, 31)
		switch {
		case err != nil:
			return fmt.Errorf("argument for --test-threads must be a number > 0 (error: %s)", rustParseError(st.threads, err))
		case n == 0:
			return errors.New("argument for --test-threads must not be 0")
		}
		f.Threads = int(n)
		return nil
	}
	if v, ok := envLookup(env, "RUST_TEST_THREADS"); ok {
		n, err := strconv.ParseUint(v, 10, 31)
		if err != nil || n == 0 {
			return fmt.Errorf("RUST_TEST_THREADS is `%s`, should be a positive integer.", v)
		}
		f.Threads = int(n)
	}
	return nil
}

func (st *flagState) finishShuffle(f *testFlags, env []string) error {
	seed, hasSeed := st.seed, st.hasSeed
	if !hasSeed {
		seed, hasSeed = envLookup(env, "RUST_TEST_SHUFFLE_SEED")
	}
	if hasSeed {
		n, err := strconv.ParseUint(seed, 10, 64)
		if err != nil {
			return fmt.Errorf("argument for --shuffle-seed must be a number (error: %s)", rustParseError(seed, err))
		}
		f.ShuffleSeed, f.HasShuffleSeed, f.Shuffle = n, true, true
	}
	if v, ok := envLookup(env, "RUST_TEST_SHUFFLE"); ok && v != "0" {
		f.Shuffle = true
	}
	return nil
}

// rustParseError words a number parse error the way Rust's ParseIntError does.
func rustParseError(s string, err error) string {
	switch {
	case s == "":
		return "cannot parse integer from empty string"
	case errors.Is(err, strconv.ErrRange):
		return "number too large to fit in target type"
	default:
		return "invalid digit found in string"
	}
}
