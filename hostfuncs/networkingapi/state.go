package networkingapi

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/lunatic-go/lunatic/vm"
)

// state is the caller's API-private resources: listeners and DNS iterators never leave
// their process. It is closed (listeners first) when the process ends.
type state struct {
	tcpListeners vm.Table[*net.TCPListener]
	tlsListeners vm.Table[*tlsListener]
	dnsIters     vm.Table[*dnsIter]
	wake         *waker
}

var _ io.Closer = (*state)(nil)

var stateKey = vm.NewLocalKey[state]("networking")

// procState returns the networking state of p.
func procState(p *vm.Process) *state { return stateKey.Get(p) }

// waker returns p's waker, registering it on the process context on first use.
func (s *state) waker(p *vm.Process) *waker {
	if s.wake == nil {
		s.wake = &waker{}
		context.AfterFunc(p.Context(), s.wake.fire)
	}
	return s.wake
}

// Close closes every listener the process still holds.
func (s *state) Close() error {
	var errs []error
	for _, l := range s.tcpListeners.Clear() {
		errs = append(errs, l.Close())
	}
	for _, l := range s.tlsListeners.Clear() {
		errs = append(errs, l.tcp.Close())
	}
	s.dnsIters.Clear()
	return errors.Join(errs...)
}
