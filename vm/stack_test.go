package vm

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/lunatic-go/lunatic/permissions"
)

// The stack tests run testdata/stack.wasm, whose guests recurse until their wasm stack
// runs out (or to a legal depth), on a runtime whose "test" host module calls vm directly.

// stackEvent is a message a process of stack.wasm received.
type stackEvent struct {
	pid  uint64
	kind MessageKind
	tag  int64
	from uint64
}

type stackRig struct {
	rt       *Runtime
	env      *Environment
	mod      *Module
	events   chan stackEvent
	children chan *Process
	nested   chan nestedCall
}

// nestedCall is what test.call_deep saw: the nested call's error and the stack the
// process held before and after it.
type nestedCall struct {
	err           error
	before, after uint64
}

// stackChildren are the entries test.spawn starts, by index.
var stackChildren = []string{"deep_after_msg"}

func newStackRig(t *testing.T, opts Options) *stackRig {
	t.Helper()
	ctx := context.Background()
	rt, err := New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(ctx) })
	r := &stackRig{rt: rt, env: rt.NewEnvironment(1), events: make(chan stackEvent, 16), children: make(chan *Process, 16), nested: make(chan nestedCall, 1)}
	i64, i32 := api.ValueTypeI64, api.ValueTypeI32
	b := rt.Wazero().NewHostModuleBuilder("test")
	add := func(name string, params, results []api.ValueType, f func(p *Process, s []uint64)) {
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, _ api.Module, s []uint64) {
			f(ProcessFrom(ctx), s)
		}), params, results).Export(name)
	}
	add("spawn", []api.ValueType{i32, i64}, []api.ValueType{i64}, func(p *Process, s []uint64) {
		c, err := p.Env().Spawn(p.Context(), SpawnOptions{Module: p.Module(), Entry: stackChildren[uint32(s[0])], Link: int64(s[1]), Parent: p})
		if err != nil {
			p.CheckAlive()
			Throw("test::spawn", "%v", err)
		}
		r.children <- c
		s[0] = c.ID()
	})
	add("monitor", []api.ValueType{i64}, nil, func(p *Process, s []uint64) { p.Monitor(s[0]) })
	add("die_when_link_dies", []api.ValueType{i32}, nil, func(p *Process, s []uint64) { p.SetDieWhenLinkDies(uint32(s[0]) != 0) })
	add("send", []api.ValueType{i64}, nil, func(p *Process, s []uint64) { p.Env().Send(s[0], NewDataMessage(0, 0)) })
	add("receive", nil, nil, func(p *Process, _ []uint64) {
		m := p.Receive(p.Context(), nil, forever)
		r.events <- stackEvent{pid: p.ID(), kind: m.Kind, tag: m.Tag, from: m.ProcessID}
		m.Release()
	})
	b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, _ []uint64) {
		p := ProcessFrom(ctx)
		c := nestedCall{before: p.StackBytes()}
		_, c.err = m.ExportedFunction("deep").Call(ctx)
		c.after = p.StackBytes()
		r.nested <- c
	}), nil, nil).Export("call_deep")
	if _, err := b.Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile("testdata/stack.wasm")
	if err != nil {
		t.Fatal(err)
	}
	if r.mod, err = rt.Compile(ctx, "stack", wasm); err != nil {
		t.Fatal(err)
	}
	return r
}

// run spawns entry as a root process with cfg (nil: the default) and waits for its end.
func (r *stackRig) run(t *testing.T, entry string, cfg *permissions.ProcessConfig, types []api.ValueType, params ...uint64) *Process {
	t.Helper()
	p, err := r.env.Spawn(context.Background(), SpawnOptions{Module: r.mod, Entry: entry, Config: cfg, ParamTypes: types, Params: params})
	if err != nil {
		t.Fatalf("spawn %s: %v", entry, err)
	}
	await(t, p.Done(), entry+" to end")
	return p
}

// checkOverflow asserts that p died of a stack overflow after holding at most limit
// bytes of stack and more than half of it (the bound, not something else, stopped it),
// and that it holds nothing any more.
func checkOverflow(t *testing.T, p *Process, limit uint64) {
	t.Helper()
	if err := p.Death(); err == nil || !strings.Contains(err.Error(), "stack overflow") {
		t.Fatalf("death %v, want a stack overflow", err)
	}
	peak := p.stack.peak.Load()
	if peak > limit || peak <= limit/2 {
		t.Fatalf("the stack peaked at %d bytes; want at most the bound, %d, and more than half of it", peak, limit)
	}
	if n := p.StackBytes(); n != 0 {
		t.Fatalf("%d bytes of stack still charged after the process ended", n)
	}
	if n := p.mem.used.Load(); n != 0 {
		t.Fatalf("%d bytes still charged to the dead process", n)
	}
}

// TestStackOverflow: unbounded recursion, with small frames and with frames of over
// 1 KiB, traps with "stack overflow" once the process's stack bound is reached, holding
// no more than the bound on the way.
func TestStackOverflow(t *testing.T) {
	for _, bound := range []uint64{0, 256 << 10} {
		r := newStackRig(t, Options{MaxStack: bound})
		limit := r.rt.maxStack()
		for _, entry := range []string{"deep", "big"} {
			t.Run(fmt.Sprintf("%s/%dKiB", entry, limit>>10), func(t *testing.T) {
				checkOverflow(t, r.run(t, entry, nil, nil), limit)
				if used := r.rt.Limits().MemoryUsed; used != 0 {
					t.Fatalf("the runtime's budget still has %d bytes charged", used)
				}
			})
		}
	}
}

// TestStackBoundedByMaxMemory: the stack is charged to max_memory, so a process whose
// linear memory takes most of its max_memory overflows with what is left, below its
// stack bound.
func TestStackBoundedByMaxMemory(t *testing.T) {
	r := newStackRig(t, Options{})
	const maxMemory = 2 << 20
	cfg := permissions.New()
	cfg.MaxMemory = maxMemory
	p := r.run(t, "fill_then_deep", cfg, []api.ValueType{api.ValueTypeI32}, 24)
	left := uint64(maxMemory - 25*65536)
	checkOverflow(t, p, left)
}

// TestStackLegalDepth: recursion a hundred thousand calls deep, which a native thread
// allows, ends normally under the default bound.
func TestStackLegalDepth(t *testing.T) {
	r := newStackRig(t, Options{})
	p := r.run(t, "depth", nil, []api.ValueType{api.ValueTypeI64}, 100_000)
	if err := p.Death(); err != nil {
		t.Fatalf("depth 100000: %v", err)
	}
	if peak := p.stack.peak.Load(); peak == 0 || peak > DefaultMaxStack {
		t.Fatalf("the stack peaked at %d bytes; want some, at most %d", peak, DefaultMaxStack)
	}
	if n := p.StackBytes(); n != 0 {
		t.Fatalf("%d bytes of stack still charged after the call returned", n)
	}
}

// TestStackNestedCall: a guest call made by a host function (as lunatic::trap::catch
// does) shares the process's bound with the call below it; its overflow fails only that
// call, gives its stack back when it ends, and the process goes on.
func TestStackNestedCall(t *testing.T) {
	r := newStackRig(t, Options{})
	p := r.run(t, "nested", nil, nil)
	if err := p.Death(); err != nil {
		t.Fatalf("nested: %v", err)
	}
	c := await(t, r.nested, "the nested call")
	if c.err == nil || !strings.Contains(c.err.Error(), "stack overflow") {
		t.Fatalf("nested call: %v, want a stack overflow", c.err)
	}
	if c.before == 0 || c.after != c.before {
		t.Fatalf("stack held before the nested call %d, after it %d; want the same, not 0", c.before, c.after)
	}
	if peak := p.stack.peak.Load(); peak > DefaultMaxStack || peak <= DefaultMaxStack/2 {
		t.Fatalf("the stack peaked at %d bytes; want at most %d, more than half of it", peak, DefaultMaxStack)
	}
	if n := p.mem.used.Load(); n != 0 {
		t.Fatalf("%d bytes still charged to the ended process", n)
	}
}

// TestStackOverflowNotifies: a process that overflows its stack is a failed process
// like any other: its link and its monitor are told, and the process watching it lives on.
func TestStackOverflowNotifies(t *testing.T) {
	r := newStackRig(t, Options{})
	w, err := r.env.Spawn(context.Background(), SpawnOptions{Module: r.mod, Entry: "watch"})
	if err != nil {
		t.Fatal(err)
	}
	c := await(t, r.children, "the child")
	got := map[MessageKind]stackEvent{}
	for len(got) < 2 {
		ev := await(t, r.events, "the watcher's messages")
		if ev.pid == w.ID() {
			got[ev.kind] = ev
		}
	}
	if ev, ok := got[KindLinkDied]; !ok || ev.tag != 7 {
		t.Fatalf("link message %+v, want tag 7", ev)
	}
	if ev, ok := got[KindProcessDied]; !ok || ev.from != c.ID() {
		t.Fatalf("monitor message %+v, want one from %d", ev, c.ID())
	}
	await(t, c.Done(), "the child to end")
	checkOverflow(t, c, DefaultMaxStack)
	await(t, w.Done(), "the watcher to end")
	if err := w.Death(); err != nil {
		t.Fatalf("the watcher died: %v", err)
	}
}

// testLimiter is an experimental.StackLimiter with a fixed bound.
type testLimiter struct {
	mu                    sync.Mutex
	limit, held, peak     uint64
	granted, refused, rel int
}

func (l *testLimiter) GrowStack(need, want uint64) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if need > l.limit-l.held {
		l.refused++
		return 0
	}
	got := min(want, l.limit-l.held)
	l.held += got
	l.peak = max(l.peak, l.held)
	l.granted++
	return got
}

func (l *testLimiter) ReleaseStack(n uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held -= n
	l.rel++
}

// TestStackLimiterEngines: the wazero patch behind the stack bound, in both engines.
// A call made with a limiter grows its stack only by what the limiter grants, traps with
// "stack overflow" when refused, and returns every grant when it ends.
func TestStackLimiterEngines(t *testing.T) {
	wasm, err := os.ReadFile("testdata/stack.wasm")
	if err != nil {
		t.Fatal(err)
	}
	engines := map[string]wazero.RuntimeConfig{
		"default":     wazero.NewRuntimeConfig(), // the compiler where wazero has one
		"interpreter": wazero.NewRuntimeConfigInterpreter(),
	}
	for name, cfg := range engines {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			r := wazero.NewRuntimeWithConfig(ctx, cfg)
			defer r.Close(ctx)
			noop := api.GoModuleFunc(func(context.Context, api.Module, []uint64) {})
			i64, i32 := api.ValueTypeI64, api.ValueTypeI32
			_, err := r.NewHostModuleBuilder("test").
				NewFunctionBuilder().WithGoModuleFunction(noop, []api.ValueType{i32, i64}, []api.ValueType{i64}).Export("spawn").
				NewFunctionBuilder().WithGoModuleFunction(noop, []api.ValueType{i64}, nil).Export("monitor").
				NewFunctionBuilder().WithGoModuleFunction(noop, []api.ValueType{i32}, nil).Export("die_when_link_dies").
				NewFunctionBuilder().WithGoModuleFunction(noop, []api.ValueType{i64}, nil).Export("send").
				NewFunctionBuilder().WithGoModuleFunction(noop, nil, nil).Export("receive").
				NewFunctionBuilder().WithGoModuleFunction(noop, nil, nil).Export("call_deep").
				Instantiate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			m, err := r.Instantiate(ctx, wasm)
			if err != nil {
				t.Fatal(err)
			}
			const limit = 512 << 10
			for _, entry := range []string{"deep", "big"} {
				l := &testLimiter{limit: limit}
				_, err := m.ExportedFunction(entry).Call(experimental.WithStackLimiter(ctx, l), nil...)
				if err == nil || !strings.Contains(err.Error(), "stack overflow") {
					t.Fatalf("%s: %v, want a stack overflow", entry, err)
				}
				if l.refused == 0 || l.peak > limit || l.held != 0 || l.rel == 0 {
					t.Fatalf("%s: %d refusals, peak %d of %d, %d held after the call, %d releases", entry, l.refused, l.peak, limit, l.held, l.rel)
				}
			}
			// A legal depth is granted and returned; the same function then runs again.
			l := &testLimiter{limit: limit}
			for range 2 {
				if _, err := m.ExportedFunction("depth").Call(experimental.WithStackLimiter(ctx, l), 50); err != nil {
					t.Fatal(err)
				}
				if l.granted == 0 || l.refused != 0 || l.held != 0 {
					t.Fatalf("depth 50: %d grants, %d refusals, %d held after the call", l.granted, l.refused, l.held)
				}
			}
		})
	}
}
