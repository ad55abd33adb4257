package cli

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// decodeTOML decodes s, failing the test when it is not TOML.
func decodeTOML(t *testing.T, s string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := toml.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return doc
}

// fakeRustc puts a `rustc` printing versionLine first on PATH (and nothing
// else); an empty versionLine leaves PATH without rustc.
func fakeRustc(t *testing.T, versionLine string) {
	t.Helper()
	dir := t.TempDir()
	if versionLine != "" {
		script := "#!/bin/sh\necho '" + versionLine + "'\n"
		if err := os.WriteFile(filepath.Join(dir, "rustc"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
}

// cargoProject returns a temp dir with a Cargo.toml and, if config is not
// nil, a .cargo/config.toml holding it.
func cargoProject(t *testing.T, config *string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "Cargo.toml"), "[package]\nname = \"app\"\n")
	if config != nil {
		writeFile(t, filepath.Join(dir, ".cargo", "config.toml"), *config)
	}
	return dir
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func initIn(ctx context.Context, dir string) (string, error) {
	var out bytes.Buffer
	err := runInit(ctx, &initOptions{Out: &out, Dir: dir, Logger: discardLogger()})
	return out.String(), err
}

func ptr(s string) *string { return &s }

const (
	rustcNew = "rustc 1.80.0 (051478957 2024-07-21)"
	rustcOld = "rustc 1.63.0 (4b91a6ea7 2022-08-08)"
)

func TestRunInit_fresh(t *testing.T) {
	tests := []struct {
		name, rustc, triple, why string
	}{
		{"new rustc", rustcNew, "wasm32-wasip1", "found " + rustcNew},
		{"1.78 exactly", "rustc 1.78.0 (9b00956e5 2024-04-29)", "wasm32-wasip1", "found rustc 1.78.0"},
		{"old rustc", rustcOld, "wasm32-wasi", "older than 1.78"},
		{"no rustc", "", "wasm32-wasip1", "rustc not found on PATH"},
		{"odd rustc output", "hello", "wasm32-wasip1", `unexpected ` + "`rustc --version`" + ` output "hello"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fakeRustc(t, tc.rustc)
			dir := cargoProject(t, nil)
			out, err := initIn(t.Context(), dir)
			if err != nil {
				t.Fatal(err)
			}
			want := "[build]\ntarget = \"" + tc.triple + "\"\n\n[target." + tc.triple + "]\nrunner = \"lunatic run\"\n"
			equal(t, "config", readFile(t, filepath.Join(dir, ".cargo", "config.toml")), want)
			for _, s := range []string{"Using target " + tc.triple, tc.why, "Created .cargo/config.toml",
				`set build.target = "` + tc.triple + `"`, "set target." + tc.triple + `.runner = "lunatic run"`} {
				if !strings.Contains(out, s) {
					t.Errorf("output %q lacks %q", out, s)
				}
			}
		})
	}
}

func TestRunInit_mergeKeepsEverything(t *testing.T) {
	fakeRustc(t, rustcNew)
	orig := "# Team settings\n[build]\njobs = 4 # CI box\nrustflags = [\"-C\", \"debuginfo=1\"]\n\n" +
		"[alias]\nb = \"build\"\n\n[target.x86_64-unknown-linux-gnu]\nlinker = \"clang\"\n\n[env]\nFOO = { value = \"bar\", force = true }\n"
	dir := cargoProject(t, ptr(orig))
	out, err := initIn(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Team settings\n[build]\ntarget = \"wasm32-wasip1\"\njobs = 4 # CI box\nrustflags = [\"-C\", \"debuginfo=1\"]\n\n" +
		"[alias]\nb = \"build\"\n\n[target.x86_64-unknown-linux-gnu]\nlinker = \"clang\"\n\n[env]\nFOO = { value = \"bar\", force = true }\n" +
		"\n[target.wasm32-wasip1]\nrunner = \"lunatic run\"\n"
	equal(t, "config", readFile(t, filepath.Join(dir, ".cargo", "config.toml")), want)
	if !strings.Contains(out, "Updated .cargo/config.toml") || strings.Contains(out, "re-encoded") {
		t.Errorf("output = %q", out)
	}
}

func TestRunInit_reencodedKeepsKeys(t *testing.T) {
	fakeRustc(t, rustcNew)
	dir := cargoProject(t, ptr("# note\nbuild = { jobs = 2 }\nalias.b = \"build\"\n"))
	out, err := initIn(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := decodeTOML(t, readFile(t, filepath.Join(dir, ".cargo", "config.toml")))
	want := map[string]any{
		"build":  map[string]any{"jobs": int64(2), "target": "wasm32-wasip1"},
		"alias":  map[string]any{"b": "build"},
		"target": map[string]any{"wasm32-wasip1": map[string]any{"runner": "lunatic run"}},
	}
	equal(t, "decoded config", got, want)
	if !strings.Contains(out, "comments and layout were not") {
		t.Errorf("output %q does not warn about the lost comments", out)
	}
}

func TestRunInit_idempotent(t *testing.T) {
	fakeRustc(t, rustcNew)
	dir := cargoProject(t, ptr("[alias]\nb = \"build\" # keep\n"))
	if _, err := initIn(t.Context(), dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, ".cargo", "config.toml")
	first := readFile(t, path)
	st1, _ := os.Stat(path)
	out, err := initIn(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := os.Stat(path)
	equal(t, "config after second run", readFile(t, path), first)
	if !os.SameFile(st1, st2) || !st1.ModTime().Equal(st2.ModTime()) {
		t.Error("second run rewrote the file")
	}
	if !strings.Contains(out, "nothing to do") {
		t.Errorf("output = %q", out)
	}
}

func TestRunInit_errorsLeaveFileAlone(t *testing.T) {
	tests := []struct {
		name, rustc, config, wantErr string
	}{
		{"other build.target", rustcNew, "# mine\n[build]\ntarget = \"x86_64-unknown-linux-gnu\"\n",
			`build.target is already "x86_64-unknown-linux-gnu", not "wasm32-wasip1"`},
		{"wasi target with new rustc", rustcNew, "[build]\ntarget = \"wasm32-wasi\"\n", `already "wasm32-wasi"`},
		{"wasip1 target with old rustc", rustcOld, "[build]\ntarget = \"wasm32-wasip1\"\n", `not "wasm32-wasi"`},
		{"other runner", rustcNew, "[target.wasm32-wasip1]\nrunner = \"wasmtime\"\n", `runner is already "wasmtime"`},
		{"bad toml", rustcNew, "[build\n", "parse .cargo/config.toml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fakeRustc(t, tc.rustc)
			dir := cargoProject(t, ptr(tc.config))
			_, err := initIn(t.Context(), dir)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
			equal(t, "config", readFile(t, filepath.Join(dir, ".cargo", "config.toml")), tc.config)
			entries, _ := os.ReadDir(filepath.Join(dir, ".cargo"))
			equal(t, "files in .cargo", len(entries), 1)
		})
	}
}

func TestRunInit_notCargoProject(t *testing.T) {
	fakeRustc(t, rustcNew)
	dir := t.TempDir()
	_, err := initIn(t.Context(), dir)
	if err == nil || !strings.Contains(err.Error(), "no Cargo.toml in "+dir) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".cargo")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf(".cargo was created (stat err %v)", err)
	}
}

func TestRunInit_legacyConfigName(t *testing.T) {
	fakeRustc(t, rustcNew)
	dir := cargoProject(t, nil)
	legacy := filepath.Join(dir, ".cargo", "config")
	writeFile(t, legacy, "[build]\njobs = 1\n")
	out, err := initIn(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "legacy config", readFile(t, legacy),
		"[build]\ntarget = \"wasm32-wasip1\"\njobs = 1\n\n[target.wasm32-wasip1]\nrunner = \"lunatic run\"\n")
	if _, err := os.Stat(filepath.Join(dir, ".cargo", "config.toml")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("config.toml was created next to the legacy config")
	}
	if !strings.Contains(out, "Updated "+filepath.Join(".cargo", "config")+":") {
		t.Errorf("output = %q", out)
	}
}

func TestRunInit_keepsModeAndSymlink(t *testing.T) {
	fakeRustc(t, rustcNew)
	dir := cargoProject(t, nil)
	real := filepath.Join(dir, "shared.toml")
	writeFile(t, real, "[alias]\nb = \"build\"\n")
	if err := os.Chmod(real, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".cargo"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, ".cargo", "config.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if _, err := initIn(t.Context(), dir); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("config.toml is no longer a symlink (%v)", err)
	}
	st, err := os.Stat(real)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, %v; want 0600", st.Mode(), err)
	}
	if !strings.Contains(readFile(t, real), `runner = "lunatic run"`) {
		t.Error("symlink target not updated")
	}
}

func TestNewCmdInit(t *testing.T) {
	tests := []struct {
		args    []string
		verbose bool
		wantErr bool
	}{
		{args: nil},
		{args: []string{"-v"}, verbose: true},
		{args: []string{"x"}, wantErr: true},
		{args: []string{"--dir", "x"}, wantErr: true},
	}
	for _, tc := range tests {
		var got *initOptions
		f, _, _ := testFactory(&fakeRun{}, nil)
		f.Getwd = func() (string, error) { return "/proj", nil }
		cmd := newCmdInit(f, func(_ context.Context, o *initOptions) error {
			got = o
			return nil
		})
		cmd.SetArgs(tc.args)
		cmd.SetOut(f.Out)
		cmd.SetErr(f.Err)
		err := cmd.Execute()
		if tc.wantErr {
			if err == nil || exitCode(err) != exitUsage {
				t.Errorf("%v: err = %v, want a usage error", tc.args, err)
			}
			continue
		}
		if err != nil || got == nil {
			t.Fatalf("%v: err %v", tc.args, err)
		}
		if got.Dir != "/proj" || got.Verbose != tc.verbose || got.Out != f.Out || got.Logger == nil {
			t.Errorf("%v: options %+v", tc.args, got)
		}
	}
}
