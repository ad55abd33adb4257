package hostfuncs_test

import (
	"context"
	"sync"
	"testing"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/vm"
)

// endings records how each process ended and the fuel it used.
type endings struct {
	mu      sync.Mutex
	spawned []*vm.Process
	death   map[uint64]error
	fuel    map[uint64]uint64
	limit   map[uint64]uint64
}

func (e *endings) ProcessSpawned(p *vm.Process) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.spawned = append(e.spawned, p)
}
func (e *endings) ProcessEnded(p *vm.Process, death error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.death[p.ID()], e.fuel[p.ID()], e.limit[p.ID()] = death, p.FuelUsed(), p.Config().MaxFuel
}
func (e *endings) MessageDelivered(vm.MessageKind, int, int) {}
func (e *endings) MessageReceived(vm.MessageKind, int)       {}
func (e *endings) LinkNotified()                             {}
func (e *endings) FuelCharged(uint64)                        {}

// TestAbstractProcessMaxFuel runs testdata/wasm/abstract_process.wasm (Rust, debug build,
// MessagePack messages): a server shaped like a lunatic-rs AbstractProcess, started with
// max_memory 1_500_000 and max_fuel 1, runs its init and serves a request, then waits for
// the next one. It must still be alive when the program ends, charged the exact count of
// what it ran, below its budget of 100,000. With the whole static cost of a function
// charged at its entry (this runtime's cost model before the exact mode), it died of
// out_of_fuel during init.
func TestAbstractProcessMaxFuel(t *testing.T) {
	ctx := context.Background()
	obs := &endings{death: map[uint64]error{}, fuel: map[uint64]uint64{}, limit: map[uint64]uint64{}}
	rt, err := vm.New(ctx, vm.Options{Instrument: hostfuncstest.Instrument, InstrumentExact: hostfuncstest.InstrumentExact, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(ctx) })
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero()); err != nil {
		t.Fatal(err)
	}
	mod := hostfuncstest.Load(t, rt, "../testdata/wasm/abstract_process.wasm")
	res := hostfuncstest.Run(t, rt, mod, "_start")
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if res.Death != nil {
		for id, death := range obs.death {
			t.Logf("process %d (max_fuel %d): used %d fuel, death %v", id, obs.limit[id], obs.fuel[id], death)
		}
		t.Fatalf("death %v\nstdout:\n%s\nstderr:\n%s", res.Death, res.Stdout, res.Stderr)
	}
	want := `started: the server ran init under max_fuel 1
reply: Count(Some(3))
`
	if res.Stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, want)
	}
	var server *vm.Process
	for _, p := range obs.spawned {
		if p.Config().MaxFuel == 1 {
			server = p
		}
	}
	if server == nil {
		t.Fatal("no process with max_fuel 1 was spawned")
	}
	select {
	case <-server.Done():
		t.Fatalf("the server ended: %v", server.Death())
	default:
	}
	// The server waits in receive: its count is exact.
	if fuel := server.FuelUsed(); fuel == 0 || fuel >= 100_000 {
		t.Errorf("the server used %d fuel, want 1..99,999", fuel)
	} else {
		t.Logf("the server used %d fuel of its 100,000", fuel)
	}
}
