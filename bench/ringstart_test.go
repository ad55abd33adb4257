package bench

import (
	"runtime"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/scheduler"
	"github.com/lunatic-go/lunatic/vm"
)

// TestEpochRingStarts spawns the 10,000 Rust ring members of BenchmarkRing at once on one
// Go thread with epoch preemption and waits until every one has taken its first message
// and blocks in receive, then passes a token once round. It hung: with thousands of
// processes runnable, a yield's deadline (the epoch after the yield) had passed again by
// the time the process ran, and the watchdog's goroutine waited behind all of them in the
// run queue while every check of every process yielded, so no process got anywhere
// (vm/epoch.go, epochYield; vm/epoch_linux.go).
func TestEpochRingStarts(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 processes: not in -short")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	rt := hostfuncstest.NewWith(t, vm.Options{Instrument: scheduler.InstrumentEpoch, InstrumentExact: scheduler.InstrumentExact})
	g := &guests{rt: rt, env: rt.NewEnvironment(1), rust: hostfuncstest.Load(t, rt, rustGuest), cfg: permissions.Root(nil, nil, nil)}
	const n = 10_000
	procs := make([]*vm.Process, n)
	for i := range procs {
		procs[i] = g.spawn(t, g.rust, "ring_node")
	}
	for i, p := range procs {
		g.sendU64(p.ID(), procs[(i+1)%n].ID())
	}
	deadline := time.Now().Add(2 * time.Minute)
	for _, p := range procs {
		for p.State() != vm.StateWaiting {
			select {
			case <-p.Done():
				t.Fatalf("process %d ended before blocking in receive: %v", p.ID(), p.Death())
			case <-time.After(100 * time.Microsecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("process %d did not block in receive within 2 minutes (charged %d fuel)", p.ID(), p.FuelUsed())
			}
		}
	}
	g.sendU64(procs[0].ID(), n)
	for _, p := range procs {
		wait(t, p)
	}
}
