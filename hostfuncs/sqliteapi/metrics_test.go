package sqliteapi_test

import (
	"context"
	"sync"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// resourceCounter is a vm.Observer that counts SQLite connections opened and closed.
type resourceCounter struct {
	mu             sync.Mutex
	opened, closed int
}

func (r *resourceCounter) ProcessSpawned(*vm.Process)                {}
func (r *resourceCounter) ProcessEnded(*vm.Process, error)           {}
func (r *resourceCounter) MessageDelivered(vm.MessageKind, int, int) {}
func (r *resourceCounter) MessageReceived(vm.MessageKind, int)       {}
func (r *resourceCounter) LinkNotified()                             {}
func (r *resourceCounter) FuelCharged(uint64)                        {}
func (r *resourceCounter) ResourceOpened(kind resource.Kind)         { r.count(kind, &r.opened) }
func (r *resourceCounter) ResourceClosed(kind resource.Kind)         { r.count(kind, &r.closed) }
func (r *resourceCounter) count(kind resource.Kind, n *int) {
	if kind == resource.SQLiteConn {
		r.mu.Lock()
		*n++
		r.mu.Unlock()
	}
}

var _ vm.ResourceObserver = (*resourceCounter)(nil)

// TestConnectionMetrics: every connection a process opens is reported, and reported
// closed once the process has ended (normally or by a trap).
func TestConnectionMetrics(t *testing.T) {
	ctx := context.Background()
	obs := &resourceCounter{}
	rt, err := vm.New(ctx, vm.Options{Instrument: hostfuncstest.Instrument, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close(ctx)
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero()); err != nil {
		t.Fatal(err)
	}
	abi := hostfuncstest.Load(t, rt, abiWasm)
	// Two connections, normal end; one connection, then a trap; a refused open (no dirs).
	if res := hostfuncstest.RunConfig(t, rt, abi, "open_ptr0", config(nil)); res.Death != nil {
		t.Fatal(res.Death)
	}
	mustTrap(t, hostfuncstest.RunConfig(t, rt, abi, "len_ptr_oob", config(nil)), "pointer out of bounds")
	if res := hostfuncstest.RunConfig(t, rt, abi, "open_fails", config(nil)); res.Death != nil {
		t.Fatal(res.Death)
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if obs.opened != 3 || obs.closed != 3 {
		t.Errorf("connections opened %d, closed %d; want 3 and 3", obs.opened, obs.closed)
	}
}
