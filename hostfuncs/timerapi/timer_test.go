package timerapi_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

const timersWasm = "testdata/timers.wasm"

// timerCount counts the timers the runtime reports started and still pending.
type timerCount struct {
	mu               sync.Mutex
	started, pending int
}

var (
	_ vm.Observer         = (*timerCount)(nil)
	_ vm.ResourceObserver = (*timerCount)(nil)
)

func (*timerCount) ProcessSpawned(*vm.Process)                {}
func (*timerCount) ProcessEnded(*vm.Process, error)           {}
func (*timerCount) MessageDelivered(vm.MessageKind, int, int) {}
func (*timerCount) MessageReceived(vm.MessageKind, int)       {}
func (*timerCount) LinkNotified()                             {}
func (*timerCount) FuelCharged(uint64)                        {}

func (c *timerCount) ResourceOpened(k resource.Kind) {
	if k == resource.Timer {
		c.mu.Lock()
		c.started++
		c.pending++
		c.mu.Unlock()
	}
}

func (c *timerCount) ResourceClosed(k resource.Kind) {
	if k == resource.Timer {
		c.mu.Lock()
		c.pending--
		c.mu.Unlock()
	}
}

func (c *timerCount) get() (started, pending int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.started, c.pending
}

// newRuntime returns a runtime with every host module reporting to obs, and timers.wasm.
func newRuntime(t testing.TB, obs vm.Observer) (*vm.Runtime, *vm.Module) {
	t.Helper()
	ctx := context.Background()
	rt, err := vm.New(ctx, vm.Options{Instrument: hostfuncstest.Instrument, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero()); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile(timersWasm)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, timersWasm, wasm)
	if err != nil {
		t.Fatal(err)
	}
	return rt, mod
}

// TestManyPendingTimers: a guest with 40 000 pending timers can still start, cancel and
// receive timers (the table used to be scanned on every send_after, which took minutes
// of CPU at this size); the timers it leaves pending outlive it, and closing the runtime
// stops them.
func TestManyPendingTimers(t *testing.T) {
	const n = 40_000
	obs := &timerCount{}
	rt, mod := newRuntime(t, obs)
	p, err := rt.NewEnvironment(1).Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: permissions.Root(nil, nil, nil), Entry: "many",
		ParamTypes: []api.ValueType{api.ValueTypeI64}, Params: []uint64{n},
		Stdin: bytes.NewReader(nil), Stdout: os.Stdout, Stderr: os.Stderr,
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
	case <-time.After(2 * time.Minute):
		p.Kill(vm.ErrKilled)
		t.Fatalf("the guest with %d timers did not end within two minutes", n)
	}
	if err := p.Death(); err != nil {
		t.Fatalf("many: %v", err)
	}
	if started, pending := obs.get(); started != n+1 || pending != n/2 {
		t.Fatalf("after the guest: %d timers started, %d pending; want %d, %d", started, pending, n+1, n/2)
	}
	if err := rt.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, pending := obs.get(); pending != 0 {
		t.Fatalf("%d timers still pending after Close", pending)
	}
}

// signal closes ch at the first write.
type signal struct {
	once sync.Once
	ch   chan struct{}
}

func (s *signal) Write(b []byte) (int, error) {
	s.once.Do(func() { close(s.ch) })
	return len(b), nil
}

// BenchmarkTimerWithPending is one create_data + send_after + cancel_timer round trip of a
// guest that already has the given number of pending timers: flat if the timer table's
// cost does not grow with its size.
func BenchmarkTimerWithPending(b *testing.B) {
	for _, pending := range []uint64{1_000, 10_000, 40_000} {
		b.Run(fmt.Sprintf("pending=%d", pending), func(b *testing.B) {
			rt, mod := newRuntime(b, nil)
			ready := &signal{ch: make(chan struct{})}
			env := rt.NewEnvironment(1)
			p, err := env.Spawn(context.Background(), vm.SpawnOptions{
				Module: mod, Config: permissions.Root(nil, nil, nil), Entry: "bench",
				Stdin: bytes.NewReader(nil), Stdout: ready, Stderr: os.Stderr,
			})
			if err != nil {
				b.Fatal(err)
			}
			env.Send(p.ID(), u64Message(pending))
			<-ready.ch
			b.ResetTimer()
			env.Send(p.ID(), u64Message(uint64(b.N)))
			<-p.Done()
			b.StopTimer()
			if err := p.Death(); err != nil {
				b.Fatal(err)
			}
		})
	}
}

func u64Message(v uint64) *vm.Message {
	m := vm.NewDataMessage(0, 8)
	m.Data = binary.LittleEndian.AppendUint64(m.Data, v)
	return m
}
