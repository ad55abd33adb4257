package cli

import (
	"context"
	"strings"
	"testing"
)

// TestNewCmdRun checks what `lunatic run` parses, without running anything.
func TestNewCmdRun(t *testing.T) {
	tests := []struct {
		name    string
		args    string // space-separated
		want    runOptions
		wantErr string
	}{
		{name: "path only", args: "app.wasm",
			want: runOptions{WasmPath: "app.wasm", Args: []string{}, Dirs: []Preopen{}}},
		{name: "all flags", args: "--dir a --dir b::/b --env K=V --env H --no-inherit-env --cache-dir /c --bench -v app.wasm 1 2",
			want: runOptions{WasmPath: "app.wasm", Args: []string{"1", "2"},
				Dirs:         []Preopen{{"a", "a"}, {"b", "/b"}},
				EnvFlags:     []envFlag{{Key: "K", Value: "V"}, {Key: "H", FromHost: true}},
				NoInheritEnv: true, CacheDir: "/c", Bench: true, Verbose: true}},
		{name: "guest flags untouched", args: "--no-cache app.wasm --no-cache --env X -- --dir",
			want: runOptions{WasmPath: "app.wasm", Args: []string{"--no-cache", "--env", "X", "--", "--dir"},
				Dirs: []Preopen{}, NoCache: true}},
		{name: "dash dash", args: "-v -- app.wasm -v",
			want: runOptions{WasmPath: "app.wasm", Args: []string{"-v"}, Dirs: []Preopen{}, Verbose: true}},
		{name: "env keeps commas and equals", args: "--env A=x,y=z app.wasm",
			want: runOptions{WasmPath: "app.wasm", Args: []string{}, Dirs: []Preopen{},
				EnvFlags: []envFlag{{Key: "A", Value: "x,y=z"}}}},
		{name: "missing path", args: "--dir a", wantErr: "missing the .wasm file"},
		{name: "bad dir", args: "--dir a:: x.wasm", wantErr: "missing guest directory"},
		{name: "bad env", args: "--env =1 x.wasm", wantErr: "missing variable name"},
		{name: "cache conflict", args: "--no-cache --cache-dir d x.wasm", wantErr: "cannot be used together"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got *runOptions
			f, _, _ := testFactory(&fakeRun{}, nil)
			cmd := newCmdRun(f, func(_ context.Context, o *runOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(strings.Fields(tc.args))
			cmd.SetOut(f.Out)
			cmd.SetErr(f.Err)
			err := cmd.Execute()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || exitCode(err) != exitUsage {
					t.Fatalf("err = %v (exit %d), want usage error containing %q", err, exitCode(err), tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Launch == nil || got.Environ == nil || got.LookupEnv == nil || got.Logger == nil || got.Out != f.Out {
				t.Error("dependencies not filled in from the factory")
			}
			got.In, got.Out, got.Err, got.Environ, got.LookupEnv, got.Launch, got.TestMode, got.Logger =
				nil, nil, nil, nil, nil, nil, nil, nil
			got.Limits, got.limitFlags = LimitOptions{}, limitFlags{} // limits_test.go
			equal(t, "runOptions", *got, tc.want)
		})
	}
}

// TestRunRun checks the RunOptions launch receives for parsed options.
func TestRunRun(t *testing.T) {
	host := []string{"A=1", "B=2", "NOEQUALS", "=C:=weird", "C=x=y"}
	lookup := func(k string) (string, bool) {
		for _, kv := range host {
			if key, v, ok := strings.Cut(kv, "="); ok && key == k {
				return v, true
			}
		}
		return "", false
	}
	tests := []struct {
		name     string
		opts     runOptions
		wantArgs []string
		wantEnv  []string
	}{
		{name: "inherit", opts: runOptions{Args: []string{"x"}},
			wantArgs: []string{"x"}, wantEnv: []string{"A=1", "B=2", "C=x=y"}},
		{name: "no inherit", opts: runOptions{NoInheritEnv: true},
			wantArgs: []string{}, wantEnv: []string{}},
		{name: "bench appended last", opts: runOptions{Args: []string{"--x"}, Bench: true, NoInheritEnv: true},
			wantArgs: []string{"--x", "--bench"}, wantEnv: []string{}},
		{name: "env flags override in place", opts: runOptions{EnvFlags: []envFlag{
			{Key: "Z", Value: "z"}, {Key: "A", Value: "9"}, {Key: "B", FromHost: true}, {Key: "Z", Value: ""},
		}}, wantArgs: []string{}, wantEnv: []string{"A=9", "B=2", "C=x=y", "Z="}},
		{name: "from host without inherit", opts: runOptions{NoInheritEnv: true, EnvFlags: []envFlag{
			{Key: "C", FromHost: true}, {Key: "MISSING", FromHost: true},
		}}, wantArgs: []string{}, wantEnv: []string{"C=x=y"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fr := &fakeRun{code: 5}
			o := tc.opts
			o.WasmPath, o.Dirs, o.CacheDir, o.Verbose = "p.wasm", []Preopen{{"h", "g"}}, "/c", true
			o.Environ = func() []string { return host }
			o.LookupEnv, o.Launch, o.Logger = lookup, fr.launch, discardLogger()
			if code := runRun(t.Context(), &o); code != 5 {
				t.Errorf("code = %d, want launch's 5", code)
			}
			got := fr.opts
			equal(t, "Args", got.Args, tc.wantArgs)
			equal(t, "Env", got.Env, tc.wantEnv)
			equal(t, "WasmPath", got.WasmPath, "p.wasm")
			equal(t, "Dirs", got.Dirs, []Preopen{{"h", "g"}})
			equal(t, "CacheDir", got.CacheDir, "/c")
			equal(t, "Verbose", got.Verbose, true)
		})
	}
}

func TestRunRun_testModeSeesFinalOptions(t *testing.T) {
	fr := &fakeRun{}
	var seen *RunOptions
	o := &runOptions{
		WasmPath: "/p/target/wasm32-wasip1/debug/deps/t.wasm", Args: []string{"filter"}, Bench: true,
		Environ: func() []string { return []string{"CARGO_MANIFEST_DIR=/p"} },
		Launch:  fr.launch, Logger: discardLogger(),
		TestMode: func(_ context.Context, opts *RunOptions) (bool, int) {
			seen = opts
			return true, 101
		},
	}
	if code := runRun(t.Context(), o); code != 101 || fr.launched != 0 {
		t.Fatalf("code %d launched %d, want 101 and no launch", code, fr.launched)
	}
	equal(t, "Args", seen.Args, []string{"filter", "--bench"})
	equal(t, "Env", seen.Env, []string{"CARGO_MANIFEST_DIR=/p"})
}

func TestParsePreopen(t *testing.T) {
	tests := []struct {
		in      string
		want    Preopen
		wantErr bool
	}{
		{in: ".", want: Preopen{".", "."}},
		{in: "/abs/dir", want: Preopen{"/abs/dir", "/abs/dir"}},
		{in: "rel/../x", want: Preopen{"rel/../x", "rel/../x"}},
		{in: "h::g", want: Preopen{"h", "g"}},
		{in: "h::/", want: Preopen{"h", "/"}},
		{in: "C:\\x::/x", want: Preopen{"C:\\x", "/x"}},
		{in: "", wantErr: true},
		{in: "::", wantErr: true},
		{in: "::g", wantErr: true},
		{in: "h::", wantErr: true},
		{in: "a\x00b", wantErr: true},
	}
	for _, tc := range tests {
		got, err := parsePreopen(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("parsePreopen(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err != nil && exitCode(err) != exitUsage {
			t.Errorf("parsePreopen(%q): error is not a usage error", tc.in)
		}
	}
}
