package cli

import (
	"strings"
	"testing"
)

func TestWithImpliedRun(t *testing.T) {
	tests := []struct {
		args string // space-separated
		want string
	}{
		{"", ""},
		{"app.wasm", "run app.wasm"},
		{"dir/app.wasm -x", "run dir/app.wasm -x"},
		{".wasm", "run .wasm"},
		{"--dir x app.wasm", "run --dir x app.wasm"},
		{"--dir=x app.wasm", "run --dir=x app.wasm"},
		{"--directory x", "run --directory x"}, // prefix rule, as the original
		{"--bench app.wasm", "run --bench app.wasm"},
		{"--env K=V app.wasm", "run --env K=V app.wasm"},
		{"--env=K app.wasm", "run --env=K app.wasm"},
		{"--no-inherit-env app.wasm", "run --no-inherit-env app.wasm"},
		{"--cache-dir=c app.wasm", "run --cache-dir=c app.wasm"},
		{"--no-cache app.wasm", "run --no-cache app.wasm"},
		{"-v app.wasm", "run -v app.wasm"},
		{"-v --verbose=true --dir d app.wasm", "run -v --verbose=true --dir d app.wasm"},
		{"-- app.wasm -x", "run -- app.wasm -x"},
		{"--", "--"},
		{"-- app", "-- app"},
		{"-v", "-v"},
		{"-v init", "-v init"},
		{"-v run app.wasm", "-v run app.wasm"},
		{"run app.wasm", "run app.wasm"},
		{"init", "init"},
		{"app", "app"},
		{"--envx app.wasm", "--envx app.wasm"},
		{"--version", "--version"},
		{"-V", "-V"},
		{"completion bash", "completion bash"},
	}
	for _, tc := range tests {
		args := strings.Fields(tc.args)
		res := withImpliedRun(args)
		if got := strings.Join(res, " "); got != tc.want {
			t.Errorf("withImpliedRun(%q) = %q, want %q", tc.args, got, tc.want)
		}
		if len(res) > 0 {
			res[len(res)-1] = "changed"
		}
		if got := strings.Join(args, " "); got != tc.args {
			t.Errorf("withImpliedRun(%q) aliases its input: now %q", tc.args, got)
		}
	}
}
