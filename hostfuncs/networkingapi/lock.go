package networkingapi

import (
	"io"

	"github.com/lunatic-go/lunatic/vm"
)

// lock serialises operations of processes sharing a socket. Unlike sync.Mutex, a process
// waiting for it is woken up by a kill.
type lock chan struct{}

func newLock() lock { return make(lock, 1) }

// acquire takes the lock, or unwinds p's guest if p is killed while waiting.
func (l lock) acquire(p *vm.Process) {
	select {
	case l <- struct{}{}:
		return
	default:
	}
	select {
	case l <- struct{}{}:
	case <-p.Context().Done():
		p.CheckAlive()
	}
}

func (l lock) release() { <-l }

// begin arms p's waker for an operation about to block on target; it unwinds the guest if
// p is already dead. Nothing between begin and end may trap.
func begin(p *vm.Process, target interruptible, d direction) *waker {
	w := procState(p).waker(p)
	if !w.arm(target, d) {
		p.CheckAlive()
	}
	p.SetState(vm.StateIO)
	return w
}

// end disarms the waker and unwinds the guest if the process was killed meanwhile.
func (w *waker) end(p *vm.Process) { w.endClosing(p, nil) }

// endClosing is end for an operation that produced c (an accepted connection): c is
// closed if the guest unwinds.
func (w *waker) endClosing(p *vm.Process, c io.Closer) {
	w.disarm()
	p.SetState(vm.StateRunning)
	unwindIfDead(p, c)
}

// unwindIfDead unwinds p's guest when p has been killed, closing c (a socket the call has
// just opened, or nil) first: nothing else would ever close it. It looks at the kill once,
// so when it returns c is the caller's, to store where p's death will close it.
func unwindIfDead(p *vm.Process, c io.Closer) {
	if p.Context().Err() == nil {
		return
	}
	if c != nil {
		_ = c.Close()
	}
	p.CheckAlive()
}
