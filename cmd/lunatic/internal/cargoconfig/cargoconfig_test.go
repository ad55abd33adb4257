package cargoconfig

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// The wasm targets of Rust ≥ 1.78 and of older Rust.
const (
	tripleWASIP1 = "wasm32-wasip1"
	tripleWASI   = "wasm32-wasi"
)

func equal[T any](t *testing.T, name string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", name, got, want)
	}
}

func decodeTOML(t *testing.T, s string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := toml.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return doc
}

func TestPlanCargoConfig(t *testing.T) {
	const p1 = tripleWASIP1
	tests := []struct {
		name    string
		in      string
		want    Plan
		wantErr string
	}{
		{name: "empty", in: "", want: Plan{p1, true, RunnerAdd}},
		{name: "done", in: "build.target = 'wasm32-wasip1'\ntarget.wasm32-wasip1.runner = 'lunatic run'",
			want: Plan{Triple: p1}},
		{name: "runner with flags kept", in: "[target.wasm32-wasip1]\nrunner = 'lunatic run --dir .'",
			want: Plan{p1, true, RunnerKeep}},
		{name: "runner array kept", in: "[target.wasm32-wasip1]\nrunner = ['lunatic', 'run', '-v']",
			want: Plan{p1, true, RunnerKeep}},
		{name: "old runner upgraded", in: "[target.wasm32-wasip1]\nrunner = 'lunatic'",
			want: Plan{p1, true, RunnerUpgrade}},
		{name: "other target's runner ignored", in: "[target.wasm32-wasi]\nrunner = 'wasmtime'",
			want: Plan{p1, true, RunnerAdd}},
		{name: "other target", in: "[build]\ntarget = 'wasm32-wasi'", wantErr: `build.target is already "wasm32-wasi", not "wasm32-wasip1"`},
		{name: "target list", in: "[build]\ntarget = ['wasm32-wasip1']", wantErr: "build.target is already [wasm32-wasip1]"},
		{name: "other runner", in: "[target.wasm32-wasip1]\nrunner = 'wasmtime'", wantErr: `target.wasm32-wasip1.runner is already "wasmtime"`},
		{name: "runner lunatic-ish", in: "[target.wasm32-wasip1]\nrunner = 'lunatic runner'", wantErr: "runner is already"},
		{name: "build not a table", in: "build = 3", wantErr: "build is 3, not a table"},
		{name: "build array of tables", in: "[[build]]\njobs = 1", wantErr: "not a table"},
		{name: "triple not a table", in: "target.wasm32-wasip1 = 'x'", wantErr: `target.wasm32-wasip1 is "x", not a table`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PlanFor(decodeTOML(t, tc.in), p1)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "plan", got, tc.want)
		})
	}
}

func TestApplyCargoPlan(t *testing.T) {
	tests := []struct {
		name string
		in   string
		plan Plan
		want string
		kept bool
	}{
		{name: "empty file", plan: Plan{tripleWASI, true, RunnerAdd}, kept: true,
			want: "[build]\ntarget = \"wasm32-wasi\"\n\n[target.wasm32-wasi]\nrunner = \"lunatic run\"\n"},
		{name: "comments and order kept",
			in: "# Project settings\n[build] # build table\njobs = 4 # cores\n\n" +
				"[target.x86_64-unknown-linux-gnu]\nlinker = \"clang\"\n\n[alias]\nb = \"build\"",
			plan: Plan{tripleWASIP1, true, RunnerAdd}, kept: true,
			want: "# Project settings\n[build] # build table\ntarget = \"wasm32-wasip1\"\njobs = 4 # cores\n\n" +
				"[target.x86_64-unknown-linux-gnu]\nlinker = \"clang\"\n\n[alias]\nb = \"build\"\n\n" +
				"[target.wasm32-wasip1]\nrunner = \"lunatic run\"\n"},
		{name: "into existing target table", in: "[target.wasm32-wasip1]\nrustflags = []\n",
			plan: Plan{tripleWASIP1, true, RunnerAdd}, kept: true,
			want: "[target.wasm32-wasip1]\nrunner = \"lunatic run\"\nrustflags = []\n\n[build]\ntarget = \"wasm32-wasip1\"\n"},
		{name: "header on last line", in: "[build]",
			plan: Plan{tripleWASIP1, true, RunnerKeep}, kept: true,
			want: "[build]\ntarget = \"wasm32-wasip1\"\n"},
		{name: "quoted header", in: "[ \"build\" ]\n",
			plan: Plan{tripleWASIP1, true, RunnerKeep}, kept: true,
			want: "[ \"build\" ]\ntarget = \"wasm32-wasip1\"\n"},
		{name: "upgrade runner in place", in: "[target.wasm32-wasip1]\nrunner = 'lunatic' # old\n[build]\ntarget='wasm32-wasip1'\n",
			plan: Plan{tripleWASIP1, false, RunnerUpgrade}, kept: true,
			want: "[target.wasm32-wasip1]\nrunner = \"lunatic run\" # old\n[build]\ntarget='wasm32-wasip1'\n"},
		{name: "dotted keys", in: "build.jobs = 2 # two\n[target]\nwasm32-wasip1.rustflags = [\"-C\"]\n",
			plan: Plan{tripleWASIP1, true, RunnerAdd}, kept: true,
			want: "build.jobs = 2 # two\nbuild.target = \"wasm32-wasip1\"\n[target]\n" +
				"wasm32-wasip1.rustflags = [\"-C\"]\nwasm32-wasip1.runner = \"lunatic run\"\n"},
		{name: "crlf", in: "[build]\r\njobs = 1\r\n",
			plan: Plan{tripleWASIP1, true, RunnerAdd}, kept: true,
			want: "[build]\r\ntarget = \"wasm32-wasip1\"\r\njobs = 1\r\n\r\n[target.wasm32-wasip1]\r\nrunner = \"lunatic run\"\r\n"},
		{name: "array tables untouched", in: "[[bin]]\nname = \"x\"\n",
			plan: Plan{tripleWASIP1, true, RunnerAdd}, kept: true,
			want: "[[bin]]\nname = \"x\"\n\n[build]\ntarget = \"wasm32-wasip1\"\n\n[target.wasm32-wasip1]\nrunner = \"lunatic run\"\n"},
		{name: "inline table falls back to re-encoding", in: "# gone\nbuild = { jobs = 2 }\n",
			plan: Plan{tripleWASIP1, true, RunnerKeep}, kept: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, kept, err := Apply([]byte(tc.in), tc.plan)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "kept", kept, tc.kept)
			if tc.want != "" {
				equal(t, "output", string(out), tc.want)
			}
			// Whatever the path taken, the result is the input plus the plan.
			want := decodeTOML(t, tc.in)
			if want == nil {
				want = map[string]any{}
			}
			if tc.plan.SetTarget {
				setPath(want, tc.plan.Triple, "build", "target")
			}
			if tc.plan.Runner != RunnerKeep {
				setPath(want, LunaticRunner, "target", tc.plan.Triple, "runner")
			}
			equal(t, "decoded output", decodeTOML(t, string(out)), want)
		})
	}
}
