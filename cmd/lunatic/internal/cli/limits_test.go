package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/lunatic-go/lunatic/permissions"
)

// TestLimitFlags: --net, --allow-net, --max-processes, --max-total-memory and --max-stack
// on run.
func TestLimitFlags(t *testing.T) {
	tests := []struct {
		args    string
		check   func(LimitOptions) bool
		wantErr string
	}{
		{args: "app.wasm", check: func(l LimitOptions) bool {
			return l.Net.Mode == permissions.NetAll && l.MaxProcesses == DefaultMaxProcesses &&
				l.MaxTotalMemory > 0 && l.MaxTotalMemory == defaultTotalMemory()
		}},
		{args: "--net loopback app.wasm", check: func(l LimitOptions) bool { return l.Net.Mode == permissions.NetLoopback }},
		{args: "--allow-net 10.0.0.1:80 --allow-net [::1]:8080 --allow-net example.com app.wasm", check: func(l LimitOptions) bool {
			return l.Net.Mode == permissions.NetNone && len(l.Net.Allow) == 3 &&
				l.Net.Allow[0] == permissions.NetRule{Host: "10.0.0.1", Port: 80} &&
				l.Net.Allow[1] == permissions.NetRule{Host: "::1", Port: 8080} &&
				l.Net.Allow[2] == permissions.NetRule{Host: "example.com"}
		}},
		{args: "--net all --allow-net x app.wasm", check: func(l LimitOptions) bool { return l.Net.Mode == permissions.NetAll }},
		{args: "--max-processes 0 --max-total-memory 0 app.wasm", check: func(l LimitOptions) bool {
			return l.MaxProcesses == 0 && l.MaxTotalMemory == 0
		}},
		{args: "--max-processes 10 --max-total-memory 1.5G app.wasm", wantErr: "is not a size"},
		{args: "--max-total-memory 8GiB app.wasm", check: func(l LimitOptions) bool { return l.MaxTotalMemory == 8<<30 }},
		{args: "--max-total-memory 512m app.wasm", check: func(l LimitOptions) bool { return l.MaxTotalMemory == 512<<20 }},
		{args: "--net some app.wasm", wantErr: "want all, none or loopback"},
		{args: "--allow-net host:0 app.wasm", wantErr: "port must be 1-65535"},
		{args: "--max-processes -1 app.wasm", wantErr: "--max-processes must be 0"},
		{args: "app.wasm", check: func(l LimitOptions) bool { return l.MaxStack == 0 }},
		{args: "--max-stack 16M app.wasm", check: func(l LimitOptions) bool { return l.MaxStack == 16<<20 }},
		{args: "--max-stack 1K app.wasm", wantErr: "--max-stack must be at least 64K"},
		{args: "--max-stack lots app.wasm", wantErr: "--max-stack: "},
	}
	for _, tc := range tests {
		t.Run(tc.args, func(t *testing.T) {
			var got *runOptions
			f, _, _ := testFactory(&fakeRun{}, nil)
			cmd := newCmdRun(f, func(_ context.Context, o *runOptions) error { got = o; return nil })
			cmd.SetArgs(strings.Fields(tc.args))
			cmd.SetOut(f.Out)
			cmd.SetErr(f.Err)
			err := cmd.Execute()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || exitCode(err) != exitUsage {
					t.Fatalf("err = %v, want a usage error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(got.Limits) {
				t.Fatalf("limits %+v", got.Limits)
			}
		})
	}
}

// TestNodeLimitFlags: lunatic node takes the same flags.
func TestNodeLimitFlags(t *testing.T) {
	var got *nodeOptions
	f, _, _ := testFactory(&fakeRun{}, nil)
	cmd := newCmdNodeWith(f, func(_ context.Context, o *nodeOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--net", "none", "--max-processes", "7", "--max-total-memory", "1G", "--wait"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Limits.Net.Mode != permissions.NetNone || got.Limits.MaxProcesses != 7 || got.Limits.MaxTotalMemory != 1<<30 {
		t.Fatalf("limits %+v", got.Limits)
	}
}
