package networkingapi_test

import (
	"sync"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// tracker counts the live processes of each environment; a process counts until its
// resources are released (ProcessEnded comes after that in vm's death path).
type tracker struct {
	mu      sync.Mutex
	live    map[*vm.Environment]int
	open    map[string]int // resources reported open minus closed, by kind
	changed chan struct{}
}

var (
	_ vm.Observer         = (*tracker)(nil)
	_ vm.ResourceObserver = (*tracker)(nil)
)

func newTracker() *tracker {
	return &tracker{live: make(map[*vm.Environment]int), open: make(map[string]int), changed: make(chan struct{})}
}

func (k *tracker) add(p *vm.Process, d int) {
	k.mu.Lock()
	k.live[p.Env()] += d
	close(k.changed)
	k.changed = make(chan struct{})
	k.mu.Unlock()
}

func (k *tracker) ProcessSpawned(p *vm.Process)              { k.add(p, 1) }
func (k *tracker) ProcessEnded(p *vm.Process, _ error)       { k.add(p, -1) }
func (k *tracker) MessageDelivered(vm.MessageKind, int, int) {}
func (k *tracker) MessageReceived(vm.MessageKind, int)       {}

// ResourceOpened and ResourceClosed implement vm.ResourceObserver.
func (k *tracker) ResourceOpened(kind resource.Kind) { k.res(kind.String(), 1) }
func (k *tracker) ResourceClosed(kind resource.Kind) { k.res(kind.String(), -1) }

func (k *tracker) res(kind string, d int) {
	k.mu.Lock()
	k.open[kind] += d
	k.mu.Unlock()
}

// openResources lists the kinds with resources reported open and not closed.
func (k *tracker) openResources() map[string]int {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := map[string]int{}
	for kind, n := range k.open {
		if n != 0 {
			out[kind] = n
		}
	}
	return out
}

func (k *tracker) LinkNotified()      {}
func (k *tracker) FuelCharged(uint64) {}

// waitEmpty waits until env has no process left whose resources are not yet released,
// calling onChange (if any) whenever a process starts or ends meanwhile.
func (k *tracker) waitEmpty(t testing.TB, env *vm.Environment, onChange func()) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		k.mu.Lock()
		n, ch := k.live[env], k.changed
		k.mu.Unlock()
		if n == 0 {
			return
		}
		if onChange != nil {
			onChange()
		}
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("%d processes of environment %d still hold resources after 20s", n, env.ID())
		}
	}
}
