package cli

import (
	"context"
	"strings"
	"testing"
)

func TestMain_runForms(t *testing.T) {
	host := map[string]string{"HOME": "/home/u"}
	tests := []struct {
		name    string
		args    []string
		path    string
		guest   []string
		dirs    []Preopen
		env     []string
		verbose bool
		noCache bool
		cache   string
	}{
		{name: "implied", args: []string{"app.wasm"}, path: "app.wasm", guest: []string{}},
		{name: "implied guest flags", args: []string{"app.wasm", "a", "-b", "--dir", "x", "-v", "--help"},
			path: "app.wasm", guest: []string{"a", "-b", "--dir", "x", "-v", "--help"}},
		{name: "implied --dir", args: []string{"--dir", "D", "app.wasm", "x"},
			path: "app.wasm", guest: []string{"x"}, dirs: []Preopen{{"D", "D"}}},
		{name: "implied --dir=", args: []string{"--dir=D::/g", "app.wasm"},
			path: "app.wasm", guest: []string{}, dirs: []Preopen{{"D", "/g"}}},
		{name: "implied --bench", args: []string{"--bench", "b.wasm", "x"},
			path: "b.wasm", guest: []string{"x", "--bench"}},
		{name: "implied --env", args: []string{"--env", "K=V", "app.wasm"},
			path: "app.wasm", guest: []string{}, env: []string{"HOME=/home/u", "K=V"}},
		{name: "implied --no-inherit-env", args: []string{"--no-inherit-env", "app.wasm"},
			path: "app.wasm", guest: []string{}, env: []string{}},
		{name: "implied --cache-dir", args: []string{"--cache-dir", "/c", "app.wasm"},
			path: "app.wasm", guest: []string{}, cache: "/c"},
		{name: "implied --no-cache", args: []string{"--no-cache", "app.wasm"},
			path: "app.wasm", guest: []string{}, noCache: true},
		{name: "implied -v", args: []string{"-v", "app.wasm", "-v"},
			path: "app.wasm", guest: []string{"-v"}, verbose: true},
		{name: "implied -v --dir", args: []string{"--verbose", "--dir", "d", "app.wasm"},
			path: "app.wasm", guest: []string{}, dirs: []Preopen{{"d", "d"}}, verbose: true},
		{name: "implied --", args: []string{"--", "app.wasm", "-x"}, path: "app.wasm", guest: []string{"-x"}},
		{name: "run stops at wasm path", args: []string{"run", "--dir", "x", "app.wasm", "--dir", "y", "-v"},
			path: "app.wasm", guest: []string{"--dir", "y", "-v"}, dirs: []Preopen{{"x", "x"}}},
		{name: "run --", args: []string{"run", "--", "app.wasm", "-x"}, path: "app.wasm", guest: []string{"-x"}},
		{name: "run -- non-wasm name", args: []string{"run", "--", "-odd", "x"}, path: "-odd", guest: []string{"x"}},
		{name: "-- after path is a guest arg", args: []string{"run", "app.wasm", "--", "x"},
			path: "app.wasm", guest: []string{"--", "x"}},
		{name: "-v before run", args: []string{"-v", "run", "prog", "y"}, path: "prog", guest: []string{"y"}, verbose: true},
		{name: "repeated dirs", args: []string{"run", "--dir", "a", "--dir", "b::/guest", "--dir", "c:d::e::f", "p.wasm"},
			path: "p.wasm", guest: []string{}, dirs: []Preopen{{"a", "a"}, {"b", "/guest"}, {"c:d", "e::f"}}},
		{name: "env forms", args: []string{"run", "--env", "A=1,2", "--env", "HOME", "--env", "E=", "--env", "X=a=b", "p.wasm"},
			path: "p.wasm", guest: []string{}, env: []string{"HOME=/home/u", "A=1,2", "E=", "X=a=b"}},
		{name: "env override keeps position", args: []string{"run", "--env", "HOME=/x", "--env", "A=1", "--env", "A=2", "p.wasm"},
			path: "p.wasm", guest: []string{}, env: []string{"HOME=/x", "A=2"}},
		{name: "no-inherit with --env K", args: []string{"run", "--no-inherit-env", "--env", "HOME", "p.wasm"},
			path: "p.wasm", guest: []string{}, env: []string{"HOME=/home/u"}},
		{name: "--env K unset on host is dropped", args: []string{"run", "--no-inherit-env", "--env", "NOPE", "p.wasm"},
			path: "p.wasm", guest: []string{}, env: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fr := &fakeRun{}
			f, out, errb := testFactory(fr, host)
			code := mainWith(t.Context(), tc.args, f)
			if code != 0 || fr.launched != 1 {
				t.Fatalf("code %d, launched %d times; stderr %q", code, fr.launched, errb)
			}
			o := fr.opts
			equal(t, "WasmPath", o.WasmPath, tc.path)
			equal(t, "Args", o.Args, tc.guest)
			if tc.dirs == nil {
				tc.dirs = []Preopen{}
			}
			equal(t, "Dirs", o.Dirs, tc.dirs)
			if tc.env == nil {
				tc.env = []string{"HOME=/home/u"}
			}
			equal(t, "Env", o.Env, tc.env)
			equal(t, "Verbose", o.Verbose, tc.verbose)
			equal(t, "NoCache", o.NoCache, tc.noCache)
			equal(t, "CacheDir", o.CacheDir, tc.cache)
			if o.Stdin != f.In || o.Stdout != f.Out || o.Stderr != f.Err || o.Logger == nil {
				t.Error("streams or logger not passed through")
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
}

func TestMain_usageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		msg  string // expected substring of the one-line message
	}{
		{"run without path", []string{"run"}, "missing the .wasm file"},
		{"run with only flags", []string{"run", "--dir", "x"}, "missing the .wasm file"},
		{"implied without path", []string{"--dir", "x"}, "missing the .wasm file"},
		{"run empty path", []string{"run", ""}, "missing the .wasm file"},
		{"unknown root flag", []string{"--bogus"}, "unknown flag: --bogus"},
		{"unknown run flag", []string{"run", "--bogus", "a.wasm"}, "unknown flag: --bogus"},
		{"flag needs value", []string{"run", "--dir"}, "flag needs an argument"},
		{"unknown command", []string{"app"}, `unknown command "app"`},
		{"dir no host", []string{"run", "--dir", "::g", "a.wasm"}, "missing host directory"},
		{"dir no guest", []string{"run", "--dir", "h::", "a.wasm"}, "missing guest directory"},
		{"dir empty", []string{"--dir=", "a.wasm"}, "missing host directory"},
		{"env empty", []string{"run", "--env", "", "a.wasm"}, "missing variable name"},
		{"env no key", []string{"run", "--env", "=v", "a.wasm"}, "missing variable name"},
		{"cache conflict", []string{"--cache-dir", "c", "--no-cache", "a.wasm"}, "cannot be used together"},
		{"init with args", []string{"init", "x"}, `unexpected argument "x"`},
		{"version with args", []string{"version", "x"}, `unexpected argument "x"`},
		{"bool flag with value", []string{"run", "--no-cache=maybe", "a.wasm"}, "invalid argument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fr := &fakeRun{}
			f, out, errb := testFactory(fr, nil)
			code := mainWith(t.Context(), tc.args, f)
			if code != exitUsage {
				t.Errorf("code = %d, want %d", code, exitUsage)
			}
			if fr.launched != 0 {
				t.Error("launch was called")
			}
			assertOneErrorLine(t, errb.String(), tc.msg)
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
}

func assertOneErrorLine(t *testing.T, stderr, want string) {
	t.Helper()
	if !strings.HasPrefix(stderr, "lunatic: ") || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("stderr = %q, want one line starting with \"lunatic: \"", stderr)
	}
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want it to contain %q", stderr, want)
	}
}

func TestMain_version(t *testing.T) {
	want := "lunatic 0.1.0 (ABI 0.13.2, wazero " + wazeroVersion() + ")\n"
	for _, args := range [][]string{{"--version"}, {"-V"}, {"version"}} {
		fr := &fakeRun{}
		f, out, errb := testFactory(fr, nil)
		if code := mainWith(t.Context(), args, f); code != 0 {
			t.Errorf("%v: code = %d", args, code)
		}
		if out.String() != want || errb.Len() != 0 {
			t.Errorf("%v: stdout %q stderr %q, want stdout %q", args, out, errb, want)
		}
	}
	if !strings.HasPrefix(wazeroVersion(), "v1.") {
		t.Errorf("wazeroVersion() = %q", wazeroVersion())
	}
}

func TestMain_helpAndCompletion(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "Available Commands"},
		{[]string{"run", "--help"}, "--no-inherit-env"},
		{[]string{"completion", "bash"}, "bash completion"},
	}
	for _, tc := range tests {
		fr := &fakeRun{}
		f, out, errb := testFactory(fr, nil)
		if code := mainWith(t.Context(), tc.args, f); code != 0 || fr.launched != 0 {
			t.Errorf("%v: code %d, launched %d; stderr %q", tc.args, code, fr.launched, errb)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%v: stdout lacks %q", tc.args, tc.want)
		}
	}
}

func TestMain_exitCodes(t *testing.T) {
	tests := []struct {
		name     string
		fr       fakeRun
		code     int
		stderr   string
		launched int
	}{
		{name: "launch code passes through", fr: fakeRun{code: 42}, code: 42, launched: 1},
		{name: "launch success", fr: fakeRun{}, code: 0, launched: 1},
		{name: "panic", fr: fakeRun{panicky: true}, code: exitInternal, stderr: "lunatic: internal error: boom\n", launched: 1},
		{name: "test mode handles", fr: fakeRun{code: 3, testMode: func(context.Context, *RunOptions) (bool, int) {
			return true, 101
		}}, code: 101, launched: 0},
		{name: "test mode declines", fr: fakeRun{code: 3, testMode: func(context.Context, *RunOptions) (bool, int) {
			return false, 101
		}}, code: 3, launched: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fr := tc.fr
			f, _, errb := testFactory(&fr, nil)
			code := mainWith(t.Context(), []string{"app.wasm", "x"}, f)
			equal(t, "code", code, tc.code)
			equal(t, "stderr", errb.String(), tc.stderr)
			equal(t, "launched", fr.launched, tc.launched)
		})
	}
}

func TestMain_initFailureExitsOne(t *testing.T) {
	fr := &fakeRun{}
	f, _, errb := testFactory(fr, nil)
	f.Getwd = func() (string, error) { return t.TempDir(), nil } // no Cargo.toml
	if code := mainWith(t.Context(), []string{"init"}, f); code != exitFailure {
		t.Errorf("code = %d, want %d", code, exitFailure)
	}
	assertOneErrorLine(t, errb.String(), "no Cargo.toml")
}

func TestMain_noArgsIsUsage(t *testing.T) {
	fr := &fakeRun{}
	f, out, errb := testFactory(fr, nil)
	if code := mainWith(t.Context(), nil, f); code != exitUsage {
		t.Errorf("code = %d, want %d", code, exitUsage)
	}
	if out.Len() != 0 || !strings.Contains(errb.String(), "Available Commands") {
		t.Errorf("stdout %q, stderr %q; want the help on stderr only", out, errb)
	}
}
