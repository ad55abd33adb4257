package vm

import (
	"context"
	"testing"

	"github.com/lunatic-go/lunatic/resource"
)

// minimalWasm is (module (memory 1) (func (export "run"))).
var minimalWasm = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
	0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
	0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02,
	0x00, 0x0b,
}

// TestGuestModuleClosedByLastHolder: a module compiled by a guest is closed once no
// module table, message or process holds it any more, and not before.
func TestGuestModuleClosedByLastHolder(t *testing.T) {
	ctx := context.Background()
	rt, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rt.Close(ctx) }()
	m, err := rt.CompileGuest(ctx, minimalWasm) // held by the caller's module table
	if err != nil {
		t.Fatal(err)
	}
	p, err := rt.NewEnvironment(1).Spawn(ctx, SpawnOptions{Module: m, Entry: "run"})
	if err != nil {
		t.Fatal(err)
	}
	<-p.Done()
	if p.Death() != nil {
		t.Fatalf("run: %v", p.Death())
	}
	m.Retain() // push_module into a message
	msg := &Message{Kind: KindData, Slots: []*Slot{{Kind: resource.Module, Value: m}}}
	m.Release() // drop_module
	if got := m.refs.Load(); got != 1 {
		t.Fatalf("%d holders left, want the message", got)
	}
	p, err = rt.NewEnvironment(1).Spawn(ctx, SpawnOptions{Module: m, Entry: "run"})
	if err != nil {
		t.Fatalf("spawn from a module a message still holds: %v", err)
	}
	<-p.Done()
	msg.Release()
	if got := m.refs.Load(); got != 0 {
		t.Fatalf("%d holders left after the last one let go", got)
	}
	if _, err := rt.NewEnvironment(1).Spawn(ctx, SpawnOptions{Module: m, Entry: "run"}); err == nil {
		t.Fatal("the module's compiled code is still instantiable: it was not closed")
	}
}

// TestHostModuleIsNotCounted: Retain and Release do nothing to a module the host compiled.
func TestHostModuleIsNotCounted(t *testing.T) {
	ctx := context.Background()
	rt, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rt.Close(ctx) }()
	m, err := rt.Compile(ctx, "min", minimalWasm)
	if err != nil {
		t.Fatal(err)
	}
	m.Release()
	m.Release()
	p, err := rt.NewEnvironment(1).Spawn(ctx, SpawnOptions{Module: m, Entry: "run"})
	if err != nil {
		t.Fatal(err)
	}
	<-p.Done()
}
