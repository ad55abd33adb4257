package hostfuncs_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// TestEdgeCases runs each case of testdata/edge.wat as its own process. ok cases must end
// normally (they assert with unreachable); trap cases must fail with the named message.
func TestEdgeCases(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/edge.wasm")
	cases := []struct {
		entry string
		trap  string // "" = must end normally
	}{
		{"write_oob", "lunatic::message::write_data: pointer out of bounds"},
		{"write_no_scratch", "lunatic::message::write_data: no message in the scratch area"},
		{"seek_past_end_read", "lunatic::message::read_data: read position 10 is past the end"},
		{"send_no_scratch", "lunatic::message::send: no message in the scratch area"},
		{"get_tag_empty", "lunatic::message::get_tag: no message in the scratch area"},
		{"receive_tags_oob", "lunatic::message::receive: pointer out of bounds"},
		{"read_dest_oob", "lunatic::message::read_data: pointer out of bounds"},
		{"spawn_bad_type", "lunatic::process::spawn: unsupported parameter type code 0x7d"},
		{"spawn_partial_record", "lunatic::process::spawn: parameter array of 18 bytes"},
		{"config_unknown", "lunatic::process::config_get_max_memory: config 99 not found"},
		{"error_double_drop", "lunatic::error::drop: error 0 not found"},
		{"name_bad_utf8", "lunatic::registry::put: string is not valid UTF-8"},
		{"zero_len_at_end", ""},
		{"read_eof", ""},
		{"receive_poll_timeout", ""},
		{"selective_order", ""},
		{"spawn_args", ""},
		{"spawn_missing_export_link", ""},
		{"spawn_error_text", ""},
		{"registry_codes", ""},
		{"catch_cases", ""},
		{"catch_deep", ""},
		{"timers", ""},
		{"kill_sleeping_child", ""},
		{"link_dead", ""},
		{"normal_exit_silent", ""},
		{"compile_bad", ""},
		{"module_refs", ""},
		{"exists_and_dead_send", ""},
		{"skip_search", ""},
		{"child_proc_exit", ""},
		{"version", ""},
	}
	for _, tc := range cases {
		t.Run(tc.entry, func(t *testing.T) {
			t.Parallel()
			res := hostfuncstest.Run(t, rt, mod, tc.entry)
			if tc.trap == "" {
				if res.Death != nil {
					t.Fatalf("want a normal end, got: %v", res.Death)
				}
				return
			}
			if res.Death == nil || !strings.Contains(res.Death.Error(), tc.trap) {
				t.Fatalf("want a trap containing %q, got: %v", tc.trap, res.Death)
			}
		})
	}
}

// TestDeniedPermissions runs cases with a fresh config (no capabilities).
func TestDeniedPermissions(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/edge.wasm")
	if res := hostfuncstest.RunConfig(t, rt, mod, "denied_codes", permissions.New()); res.Death != nil {
		t.Fatalf("denied_codes: %v", res.Death)
	}
	res := hostfuncstest.RunConfig(t, rt, mod, "spawn_denied", permissions.New())
	if res.Death == nil || !strings.Contains(res.Death.Error(), "lunatic::process::spawn: the process config does not allow spawning") {
		t.Fatalf("spawn_denied: %v", res.Death)
	}
}

// TestLinkToMissingProcessKills checks that link to a process that does not exist kills a
// process that does not catch link deaths.
func TestLinkToMissingProcessKills(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/edge.wasm")
	res := hostfuncstest.Run(t, rt, mod, "link_dead_dies")
	var ld *vm.LinkDiedError
	if !errors.As(res.Death, &ld) || ld.Peer != 999999 {
		t.Fatalf("want death by link to 999999, got %v", res.Death)
	}
}

// TestSpawnDuringInstantiationTraps checks a spawn trap of docs/abi/process.md (the caller is a start section): a start section
// that spawns traps, so instantiating the module fails instead of recursing.
func TestSpawnDuringInstantiationTraps(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/start_spawn.wasm")
	env := rt.NewEnvironment(1)
	p, err := env.Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: permissions.Root(nil, nil, nil), Entry: "noop",
	})
	if err == nil {
		<-p.Done()
		t.Fatal("the module's start section spawned a process")
	}
	if !strings.Contains(err.Error(), "lunatic::process::spawn: called while the module is being instantiated") {
		t.Fatalf("want the spawn trap, got: %v", err)
	}
	if n := env.Count(); n != 0 {
		t.Fatalf("%d processes left in the environment", n)
	}
}

// closeFlag is a resource that records whether it was closed.
type closeFlag struct{ closed atomic.Bool }

func (c *closeFlag) Close() error { c.closed.Store(true); return nil }

// TestCancelledTimerReleasesResources checks that the message of a cancelled timer
// releases the resources inside it (docs/abi/message.md, "The scratch message": a dropped message releases them).
func TestCancelledTimerReleasesResources(t *testing.T) {
	rt := hostfuncstest.New(t)
	res := &closeFlag{}
	_, err := rt.Wazero().NewHostModuleBuilder("test").
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, _ api.Module, _ []uint64) {
			m := vm.ProcessFrom(ctx).Scratch()
			m.Slots = append(m.Slots, &vm.Slot{Kind: resource.TCPStream, Value: res})
		}), nil, nil).
		Export("attach").
		Instantiate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	mod := hostfuncstest.Load(t, rt, "testdata/timer_release.wasm")
	if r := hostfuncstest.Run(t, rt, mod, "cancel"); r.Death != nil {
		t.Fatalf("cancel: %v", r.Death)
	}
	if !res.closed.Load() {
		t.Fatal("the resource inside the cancelled timer's message was not released")
	}
}

// signalWriter closes written at the first write.
type signalWriter struct {
	once    sync.Once
	written chan struct{}
}

func (w *signalWriter) Write(b []byte) (int, error) {
	w.once.Do(func() { close(w.written) })
	return len(b), nil
}

// TestKillEndsSpawnWaitingOnStartSection: a process blocked in spawn while the child's
// start section runs is killed like a process blocked in any other host call.
func TestKillEndsSpawnWaitingOnStartSection(t *testing.T) {
	rt := hostfuncstest.New(t)
	mod := hostfuncstest.Load(t, rt, "testdata/start_block.wasm")
	out := &signalWriter{written: make(chan struct{})}
	env := rt.NewEnvironment(1)
	p, err := env.Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: permissions.Root(nil, nil, nil), Entry: "parent",
		Stdin: strings.NewReader(""), Stdout: out, Stderr: out,
	})
	if err != nil {
		t.Fatal(err)
	}
	<-out.written // the child's start section runs inside the parent's spawn
	p.Kill(vm.ErrKilled)
	select {
	case <-p.Done():
	case <-time.After(time.Minute):
		t.Fatal("the killed parent is still waiting for the child's start section")
	}
	if !errors.Is(p.Death(), vm.ErrKilled) {
		t.Fatalf("death %v, want the kill", p.Death())
	}
}

// TestFailedSpawnReleasesResources: resources a start section acquired before the
// instantiation failed are released like those of a process that ended.
func TestFailedSpawnReleasesResources(t *testing.T) {
	rt := hostfuncstest.New(t)
	res := &closeFlag{}
	_, err := rt.Wazero().NewHostModuleBuilder("test").
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, _ api.Module, _ []uint64) {
			vm.ProcessFrom(ctx).Sockets().TCPStreams.Add(res)
		}), nil, nil).
		Export("open_socket").
		Instantiate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	mod := hostfuncstest.Load(t, rt, "testdata/start_trap.wasm")
	env := rt.NewEnvironment(1)
	if _, err := env.Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: permissions.Root(nil, nil, nil), Entry: "noop",
	}); err == nil {
		t.Fatal("a start section that traps did not fail the spawn")
	}
	if !res.closed.Load() {
		t.Fatal("the socket opened by the failed start section was not closed")
	}
}
