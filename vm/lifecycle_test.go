package vm

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/resource"
)

// The life-cycle tests run testdata/lifecycle.wasm on a runtime whose "test" host module
// calls vm directly (no lunatic ABI). Processes tell the test what they see through
// events, which the test awaits one by one.

// children are the entries the guest's test.spawn can start, by index.
var children = []string{"idle", "trap_after_msg", "end_after_msg", "trap", "catch_parent", "noop"}

// event is something a process reported: a received message or a value.
type event struct {
	pid  uint64
	what string // "recv", "report" or "start"
	kind MessageKind
	tag  int64
	from uint64 // ProcessDied: the process that ended
	v    int64
}

type lifecycle struct {
	t      *testing.T
	rt     *Runtime
	env    *Environment
	mod    *Module
	events chan event
	// blockChildStart makes the start section of every spawned child block until the
	// spawn is abandoned.
	blockChildStart atomic.Bool
}

func newLifecycle(t *testing.T) *lifecycle {
	t.Helper()
	ctx := context.Background()
	rt, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(ctx) })
	l := &lifecycle{t: t, rt: rt, env: rt.NewEnvironment(1), events: make(chan event, 64)}
	i64, i32 := api.ValueTypeI64, api.ValueTypeI32
	type fn = func(p *Process, stack []uint64)
	b := rt.Wazero().NewHostModuleBuilder("test")
	add := func(name string, params, results []api.ValueType, f fn) {
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, _ api.Module, stack []uint64) {
			f(ProcessFrom(ctx), stack)
		}), params, results).Export(name)
	}
	add("spawn", []api.ValueType{i32, i64}, []api.ValueType{i64}, func(p *Process, s []uint64) {
		c, err := p.Env().Spawn(p.Context(), SpawnOptions{Module: p.Module(), Entry: children[uint32(s[0])], Link: int64(s[1]), Parent: p})
		if err != nil {
			p.CheckAlive()
			Throw("test::spawn", "%v", err)
		}
		s[0] = c.ID()
	})
	recv := func(p *Process, tags []int64) uint64 {
		m := p.Receive(p.Context(), tags, forever)
		l.events <- event{pid: p.ID(), what: "recv", kind: m.Kind, tag: m.Tag, from: m.ProcessID}
		m.Release()
		return uint64(m.Kind)
	}
	add("receive", nil, []api.ValueType{i32}, func(p *Process, s []uint64) { s[0] = recv(p, nil) })
	add("receive_tag", []api.ValueType{i64}, []api.ValueType{i32}, func(p *Process, s []uint64) { s[0] = recv(p, []int64{int64(s[0])}) })
	add("report", []api.ValueType{i64}, nil, func(p *Process, s []uint64) {
		l.events <- event{pid: p.ID(), what: "report", v: int64(s[0])}
	})
	add("link", []api.ValueType{i64, i64}, nil, func(p *Process, s []uint64) { p.Link(int64(s[0]), s[1]) })
	add("unlink", []api.ValueType{i64}, nil, func(p *Process, s []uint64) { p.Unlink(s[0]) })
	add("monitor", []api.ValueType{i64}, nil, func(p *Process, s []uint64) { p.Monitor(s[0]) })
	add("die_when_link_dies", []api.ValueType{i32}, nil, func(p *Process, s []uint64) { p.SetDieWhenLinkDies(uint32(s[0]) != 0) })
	add("send", []api.ValueType{i64, i64}, nil, func(p *Process, s []uint64) { p.Env().Send(s[0], NewDataMessage(int64(s[1]), 0)) })
	add("start", nil, nil, func(p *Process, _ []uint64) {
		if p.ParentID() != 0 && l.blockChildStart.Load() {
			l.events <- event{pid: p.ID(), what: "start"}
			<-p.Context().Done()
			p.CheckAlive()
		}
	})
	if _, err := b.Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile("testdata/lifecycle.wasm")
	if err != nil {
		t.Fatal(err)
	}
	if l.mod, err = rt.Compile(ctx, "lifecycle", wasm); err != nil {
		t.Fatal(err)
	}
	return l
}

// spawn starts entry as a root process.
func (l *lifecycle) spawn(entry string) *Process {
	l.t.Helper()
	p, err := l.env.Spawn(context.Background(), SpawnOptions{Module: l.mod, Entry: entry, Stdout: os.Stderr, Stderr: os.Stderr})
	if err != nil {
		l.t.Fatalf("spawn %s: %v", entry, err)
	}
	return p
}

// next awaits the next event.
func (l *lifecycle) next(what string) event {
	l.t.Helper()
	return await(l.t, l.events, what)
}

// ended awaits p's end and returns its death cause.
func (l *lifecycle) ended(p *Process) error {
	l.t.Helper()
	await(l.t, p.Done(), "the end of process "+p.Entry())
	return p.Death()
}

// noMoreEvents checks that nothing else was reported; call it once every process that
// could report has ended.
func (l *lifecycle) noMoreEvents() {
	l.t.Helper()
	select {
	case e := <-l.events:
		l.t.Fatalf("unexpected event %+v", e)
	default:
	}
}

func TestLifecycleNormalEnd(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("end")
	if err := l.ended(p); err != nil {
		t.Fatalf("death %v, want a normal end", err)
	}
	if l.env.Lookup(p.ID()) != nil || l.env.Count() != 0 {
		t.Fatal("an ended process is still in its environment")
	}
}

func TestLifecycleTrapFails(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("wait_then_trap")
	l.env.Send(p.ID(), NewDataMessage(0, 0))
	l.next("the receive")
	err := l.ended(p)
	if err == nil || errors.Is(err, ErrKilled) || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("death %v, want the trap", err)
	}
}

func TestLifecycleKillEndsBlockedReceive(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("wait_tag_9")
	l.next("the process blocking in receive")
	p.Kill(ErrKilled)
	if err := l.ended(p); !errors.Is(err, ErrKilled) {
		t.Fatalf("death %v, want the kill", err)
	}
	l.noMoreEvents()
}

// A linked child that fails kills its parent (die_when_link_dies is on by default).
func TestLifecycleLinkFailureKills(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("link_fail_default")
	child := l.next("the child's receive").pid
	var ld *LinkDiedError
	if err := l.ended(p); !errors.As(err, &ld) || ld.Peer != child {
		t.Fatalf("death %v, want the link death of child %d", err, child)
	}
}

// With die_when_link_dies off, a failed link becomes a LinkDied message carrying the tag
// the parent stored (the spawn's), and it comes before the monitor's ProcessDied.
func TestLifecycleLinkThenMonitorNotice(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("link_fail_caught")
	child := l.next("the child's receive").pid
	if e := l.next("the link notice"); e.pid != p.ID() || e.kind != KindLinkDied || e.tag != 5 {
		t.Fatalf("first notice %+v, want LinkDied with tag 5", e)
	}
	if e := l.next("the monitor notice"); e.pid != p.ID() || e.kind != KindProcessDied || e.from != child {
		t.Fatalf("second notice %+v, want ProcessDied from %d", e, child)
	}
	if err := l.ended(p); err != nil {
		t.Fatalf("parent: %v", err)
	}
}

// A linked process that ends normally only drops the link: the parent hears nothing but
// its monitor's notice.
func TestLifecycleNormalEndOfLinkIsSilent(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("link_normal_end")
	child := l.next("the child's receive").pid
	if e := l.next("the only notice"); e.kind != KindProcessDied || e.from != child {
		t.Fatalf("notice %+v, want ProcessDied from %d", e, child)
	}
	if err := l.ended(p); err != nil {
		t.Fatalf("parent: %v", err)
	}
	l.noMoreEvents()
}

func TestLifecycleUnlinkedFailureIsSilent(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("unlinked_fail")
	child := l.next("the child's receive").pid
	if e := l.next("the only notice"); e.kind != KindProcessDied || e.from != child {
		t.Fatalf("notice %+v, want ProcessDied from %d", e, child)
	}
	if err := l.ended(p); err != nil {
		t.Fatalf("parent: %v", err)
	}
}

// The child of a spawn link sees no tag when its parent fails.
func TestLifecycleParentFailureUntagged(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("parent_of_catcher")
	child := l.next("the child's readiness").pid
	l.env.Send(p.ID(), NewDataMessage(0, 0))
	l.next("the parent's receive")
	if e := l.next("the child's notice"); e.pid != child || e.kind != KindLinkDied || e.tag != 0 {
		t.Fatalf("child's notice %+v, want an untagged LinkDied", e)
	}
	if err := l.ended(p); err == nil {
		t.Fatal("the parent did not fail")
	}
}

// Linking to a process that does not exist is an immediate failure of that process.
func TestLifecycleLinkToMissingProcess(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("link_missing_caught")
	if e := l.next("the notice"); e.kind != KindLinkDied || e.tag != 7 {
		t.Fatalf("notice %+v, want LinkDied with tag 7", e)
	}
	l.ended(p)
	p = l.spawn("link_missing_default")
	var ld *LinkDiedError
	if err := l.ended(p); !errors.As(err, &ld) || ld.Peer != 999999 {
		t.Fatalf("death %v, want the link death of 999999", err)
	}
}

// Monitoring a process that does not exist does nothing.
func TestLifecycleMonitorMissingProcess(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("monitor_missing")
	child := l.next("the child's receive").pid
	if e := l.next("the first notice"); e.kind != KindProcessDied || e.from != child {
		t.Fatalf("notice %+v, want ProcessDied from the child %d only", e, child)
	}
	l.ended(p)
}

// A message queued for a process that dies, and one sent after its death, are released
// with the resources inside them.
func TestLifecycleDeliveryToDeadProcess(t *testing.T) {
	l := newLifecycle(t)
	p := l.spawn("wait_tag_9")
	l.next("the process blocking in receive")
	queued, late := &closeFlag{}, &closeFlag{}
	l.env.Send(p.ID(), slotMessage(queued)) // tag 1: does not match the receive
	p.Kill(ErrKilled)
	l.ended(p)
	if !queued.closed.Load() {
		t.Fatal("a message queued at death kept its resource")
	}
	l.env.Send(p.ID(), slotMessage(late))
	if !late.closed.Load() {
		t.Fatal("a message sent to a dead process kept its resource")
	}
	l.noMoreEvents()
}

// A kill of a process waiting in spawn while the child's start section runs ends the
// wait; the child is never created.
func TestLifecycleKillDuringSpawn(t *testing.T) {
	l := newLifecycle(t)
	l.blockChildStart.Store(true)
	p := l.spawn("spawn_noop")
	l.next("the child's start section")
	p.Kill(ErrKilled)
	if err := l.ended(p); !errors.Is(err, ErrKilled) {
		t.Fatalf("death %v, want the kill", err)
	}
	if n := l.env.Count(); n != 0 {
		t.Fatalf("%d processes left; the child must not exist", n)
	}
	l.noMoreEvents() // in particular no report(2): the spawn never returned
}

type closeFlag struct{ closed atomic.Bool }

func (c *closeFlag) Close() error { c.closed.Store(true); return nil }

func slotMessage(c *closeFlag) *Message {
	m := NewDataMessage(1, 0)
	m.Slots = []*Slot{{Kind: resource.TCPStream, Value: c}}
	return m
}
