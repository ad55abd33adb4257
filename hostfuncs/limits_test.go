package hostfuncs_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// runOK runs entry of a limits guest as a root process and fails the test unless it ends
// normally (the guests assert with unreachable). It returns the guest's stdout.
func runOK(t *testing.T, path, entry string) string {
	t.Helper()
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, path)
	res := hostfuncstest.Run(t, rt, mod, entry)
	if res.Death != nil {
		t.Fatalf("%s: want a normal end, got %v (stdout %q)", entry, res.Death, res.Stdout)
	}
	return res.Stdout
}

// TestTableLimit: a table grows to at most 99,999 elements (table.grow returns -1 past
// it), and a module whose table starts larger, or that has two tables, fails the spawn
// with spawn's error code and a message saying why.
func TestTableLimit(t *testing.T) {
	const wasm = "testdata/limits/tables.wasm"
	t.Run("grow", func(t *testing.T) { runOK(t, wasm, "grow") })
	t.Run("grow_huge", func(t *testing.T) { runOK(t, wasm, "grow_huge") })
	for entry, want := range map[string]string{
		"spawn_big_table":  "the module's table has 100000 elements initially; a table may hold at most 99999",
		"spawn_two_tables": "the module defines 2 tables; a process may have at most 1",
	} {
		t.Run(entry, func(t *testing.T) {
			if out := runOK(t, wasm, entry); !strings.Contains(out, want) {
				t.Fatalf("spawn error %q, want it to contain %q", out, want)
			}
		})
	}
}

// runProc runs entry with params as the root process of a fresh environment and waits for
// it to end.
func runProc(t *testing.T, rt *vm.Runtime, mod *vm.Module, entry string, cfg *permissions.ProcessConfig, types []api.ValueType, params ...uint64) hostfuncstest.Result {
	t.Helper()
	var out, errOut hostfuncstest.Buffer
	p, err := rt.NewEnvironment(1).Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: cfg, Entry: entry, ParamTypes: types, Params: params,
		Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errOut,
	})
	if err != nil {
		t.Fatalf("spawn %s: %v", entry, err)
	}
	select {
	case <-p.Done():
	case <-time.After(time.Minute):
		t.Fatalf("%s did not end within a minute", entry)
	}
	return hostfuncstest.Result{Death: p.Death(), Stdout: out.String(), Stderr: errOut.String()}
}

// limited is the config of the hostile process in the least-privilege tests: it may create
// configs and spawn, but not compile; 16 MiB, 1000 fuel units; one preopen, dir.
func limited(dir string, readOnly bool, arg string) *permissions.ProcessConfig {
	return &permissions.ProcessConfig{
		MaxMemory: 16 << 20, MaxFuel: 1000,
		CanCreateConfigs: true, CanSpawnProcesses: true,
		Args:     []string{"guest", arg},
		Preopens: []permissions.Preopen{{Host: dir, Guest: "/data", ReadOnly: readOnly}},
	}
}

// TestLeastPrivilege: a config never grants more than its creator has. Each escalation
// makes spawn return 1 with an error that names what was refused.
func TestLeastPrivilege(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/limits/privilege.wasm")
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc", filepath.Join(dir, "esc")); err != nil {
		t.Fatal(err)
	}
	for entry, want := range map[string]string{
		"esc_compile":        "the config grants can_compile_modules, which the spawning process does not have",
		"esc_memory":         "the config's max_memory (4294967295 bytes) is larger than the spawning process's (16777216 bytes)",
		"esc_fuel_unlimited": "the config's max_fuel (no limit) is larger than the spawning process's (1000)",
		"esc_fuel_more":      "the config's max_fuel (1000000) is larger than the spawning process's (1000)",
		"esc_preopen_root":   `the config preopens "/" (/), which is not at or below a directory the spawning process has`,
		"esc_preopen_arg":    "(/etc), which is not at or below a directory the spawning process has",
	} {
		t.Run(entry, func(t *testing.T) {
			res := hostfuncstest.RunConfig(t, rt, mod, entry, limited(dir, false, filepath.Join(dir, "esc")))
			if res.Death != nil {
				t.Fatalf("want a normal end, got %v", res.Death)
			}
			if !strings.Contains(res.Stdout, want) {
				t.Fatalf("spawn error %q, want it to contain %q", res.Stdout, want)
			}
		})
	}
	t.Run("defaults", func(t *testing.T) {
		if res := hostfuncstest.RunConfig(t, rt, mod, "defaults", limited(dir, false, "")); res.Death != nil {
			t.Fatal(res.Death)
		}
	})
	i32 := []api.ValueType{api.ValueTypeI32}
	t.Run("writable_below_writable", func(t *testing.T) {
		res := runProc(t, rt, mod, "create_below", limited(dir, false, filepath.Join(dir, "sub")), i32, 1)
		if res.Death != nil {
			t.Fatal(res.Death)
		}
		if _, err := os.Stat(filepath.Join(dir, "sub", "new.txt")); err != nil {
			t.Fatalf("the child's file is missing: %v", err)
		}
	})
	t.Run("read_only_stays_read_only", func(t *testing.T) {
		sub := filepath.Join(dir, "sub2")
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		res := runProc(t, rt, mod, "create_below", limited(dir, true, sub), i32, 0)
		if res.Death != nil {
			t.Fatal(res.Death)
		}
		if _, err := os.Stat(filepath.Join(sub, "new.txt")); err == nil {
			t.Fatal("a child below a read-only preopen created a file")
		}
	})
}

// TestNetworkPermissions: the root's network access (--net, --allow-net) holds for every
// networking call, and children inherit it. Denials return 1 with an error id whose text
// names the operation and the rule.
func TestNetworkPermissions(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/limits/net.wasm")
	run := func(t *testing.T, entry string, net permissions.NetPolicy) string {
		cfg := permissions.Root([]string{"guest"}, nil, nil)
		cfg.Net = net
		res := hostfuncstest.RunConfig(t, rt, mod, entry, cfg)
		if res.Death != nil {
			t.Fatalf("want a normal end, got %v (stdout %q)", res.Death, res.Stdout)
		}
		return res.Stdout
	}
	loopback := permissions.NetPolicy{Mode: permissions.NetLoopback}
	none := permissions.NetPolicy{Mode: permissions.NetNone}
	t.Run("loopback", func(t *testing.T) {
		out := run(t, "loopback", loopback)
		for _, want := range []string{
			"tcp_connect to 10.255.255.1:9 refused by the process's network permission (--net loopback)",
			"tcp_bind on 0.0.0.0:0 refused",
			"udp_bind on 0.0.0.0:0 refused",
			"udp_connect to 8.8.8.8:53 refused",
			"udp_send_to to 8.8.8.8:53 refused",
			"resolve example.com:80 refused",
			"tls_connect example.com:443 refused",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in the errors:\n%s", want, out)
			}
		}
	})
	t.Run("none", func(t *testing.T) {
		out := run(t, "none", none)
		if n := strings.Count(out, "(--net none): network access: permission denied"); n != 3 {
			t.Fatalf("%d denials naming --net none, want 3:\n%s", n, out)
		}
	})
	t.Run("allowed", func(t *testing.T) {
		run(t, "allowed", permissions.NetPolicy{Mode: permissions.NetNone, Allow: []permissions.NetRule{{Host: "127.0.0.1"}}})
	})
	t.Run("inherit", func(t *testing.T) {
		out := run(t, "inherit", none)
		if n := strings.Count(out, "tcp_bind on 127.0.0.1:0 refused"); n != 2 {
			t.Fatalf("%d children refused, want 2:\n%s", n, out)
		}
	})
}

// newLimited is hostfuncstest.New with runtime-wide limits.
func newLimited(t *testing.T, maxProcs int, maxMemory uint64) *vm.Runtime {
	t.Helper()
	ctx := context.Background()
	rt, err := vm.New(ctx, vm.Options{Instrument: hostfuncstest.Instrument, MaxProcesses: maxProcs, MaxTotalMemory: maxMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(ctx) })
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero()); err != nil {
		t.Fatal(err)
	}
	return rt
}

// TestProcessLimit: past --max-processes, spawn returns 1 with an error naming the limit;
// an exponential spawn bomb ends by itself and never passes the cap.
func TestProcessLimit(t *testing.T) {
	i32x2 := []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}
	t.Run("loop", func(t *testing.T) {
		rt := newLimited(t, 20, 0)
		mod := hostfuncstest.Load(t, rt, "testdata/limits/runtime.wasm")
		res := runProc(t, rt, mod, "spawn_until_refused", permissions.Root(nil, nil, nil), i32x2, 1000, 19)
		if res.Death != nil {
			t.Fatal(res.Death)
		}
		if want := "system limit: the runtime already runs 20 processes, its limit (--max-processes)"; !strings.Contains(res.Stdout, want) {
			t.Fatalf("spawn error %q, want %q", res.Stdout, want)
		}
		if l := rt.Limits(); l.Processes != 19 || l.MaxProcesses != 20 {
			t.Fatalf("limits %+v, want the 19 sleepers counted, of 20", l)
		}
	})
	t.Run("bomb", func(t *testing.T) {
		rt := newLimited(t, 64, 0)
		mod := hostfuncstest.Load(t, rt, "testdata/limits/runtime.wasm")
		refused := &firstWrite{ch: make(chan struct{})}
		_, err := rt.NewEnvironment(1).Spawn(context.Background(), vm.SpawnOptions{
			Module: mod, Config: permissions.Root(nil, nil, nil), Entry: "bomb",
			Stdin: bytes.NewReader(nil), Stdout: refused, Stderr: refused,
		})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-refused.ch:
		case <-time.After(time.Minute):
			t.Fatal("no spawn of the bomb was refused")
		}
		// A spawn is refused only at the cap, and nothing ends: the bomb holds exactly 64.
		if l := rt.Limits(); l.Processes != 64 {
			t.Fatalf("%d processes at the first refusal, want the cap, 64", l.Processes)
		}
	})
}

// firstWrite closes ch on the first write.
type firstWrite struct {
	once sync.Once
	ch   chan struct{}
}

func (w *firstWrite) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.ch) })
	return len(p), nil
}

// TestMemoryBudget: under --max-total-memory a grow that max_memory allows returns -1,
// and spawns fail with an error naming the budget once it is used up.
func TestMemoryBudget(t *testing.T) {
	t.Run("grow", func(t *testing.T) {
		rt := newLimited(t, 0, 8<<20)
		mod := hostfuncstest.Load(t, rt, "testdata/limits/runtime.wasm")
		if res := hostfuncstest.Run(t, rt, mod, "grow_budget"); res.Death != nil {
			t.Fatal(res.Death)
		}
		if l := rt.Limits(); l.MemoryUsed != 0 {
			t.Fatalf("%d bytes still charged after every process ended", l.MemoryUsed)
		}
	})
	t.Run("spawn", func(t *testing.T) {
		rt := newLimited(t, 0, 4<<20)
		mod := hostfuncstest.Load(t, rt, "testdata/limits/runtime.wasm")
		res := runProc(t, rt, mod, "spawn_until_refused", permissions.Root(nil, nil, nil),
			[]api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, 1000, 0)
		if res.Death != nil {
			t.Fatal(res.Death)
		}
		if want := "exceed the runtime's total memory budget (--max-total-memory)"; !strings.Contains(res.Stdout, want) {
			t.Fatalf("spawn error %q, want it to contain %q", res.Stdout, want)
		}
	})
}

// TestMailboxCountsTowardMaxMemory: messages queued for a process that never takes them
// count toward its max_memory; when they pass it the receiver (not the sender) dies with
// a reason saying so, its link and monitor are told, and every send succeeded.
func TestMailboxCountsTowardMaxMemory(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/limits/runtime.wasm")
	cfg := permissions.Root(nil, nil, nil)
	cfg.MaxMemory = 1 << 20
	env := rt.NewEnvironment(1)
	var out hostfuncstest.Buffer
	root, err := env.Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: cfg, Entry: "hoard",
		Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &out,
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-root.Done():
	case <-time.After(time.Minute):
		t.Fatal("the receiver was not killed by its mailbox")
	}
	var le *vm.MemoryLimitError
	if !errors.As(root.Death(), &le) || !le.Mailbox || le.Limit != 1<<20 {
		t.Fatalf("receiver death %v, want a mailbox memory limit of 1 MiB", root.Death())
	}
	if !strings.Contains(root.Death().Error(), "pushed the queued messages past the process's max_memory") {
		t.Fatalf("death reason %q does not say why", root.Death())
	}
	if flood := env.Lookup(2); flood != nil {
		<-flood.Done()
		if flood.Death() != nil {
			t.Fatalf("the sender failed: %v", flood.Death())
		}
	}
	if !strings.Contains(out.String(), "flood: ok") {
		t.Fatalf("the sender did not see the receiver's death through its link and monitor: %q", out.String())
	}
}

// TestStackOverflowTraps: unbounded recursion ends the process with a stack overflow,
// not the host. (wazero bounds the wasm stack at a fixed 50 MB; see SECURITY.md.)
func TestStackOverflowTraps(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/limits/runtime.wasm")
	res := hostfuncstest.Run(t, rt, mod, "overflow")
	if res.Death == nil || !strings.Contains(res.Death.Error(), "stack overflow") {
		t.Fatalf("want a stack overflow trap, got %v", res.Death)
	}
}
