package networkingapi

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"

	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// state is the caller's API-private resources: listeners and DNS iterators never leave
// their process. It is closed (listeners first) when the process ends.
type state struct {
	tcpListeners vm.Table[*listener]
	tlsListeners vm.Table[*listener]
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
		errs = append(errs, l.close())
	}
	for _, l := range s.tlsListeners.Clear() {
		errs = append(errs, l.close())
	}
	s.dnsIters.Clear()
	return errors.Join(errs...)
}

// listener is a bound TCP listener; config is set for a TLS listener and is the server
// configuration of its streams.
type listener struct {
	tcp    *net.TCPListener
	config *tls.Config
	rt     *vm.Runtime
}

func newListener(p *vm.Process, l *net.TCPListener, config *tls.Config) *listener {
	ln := &listener{tcp: l, config: config, rt: p.Env().Runtime()}
	ln.rt.ResourceOpened(ln.kind())
	return ln
}

func (l *listener) kind() resource.Kind {
	if l.config != nil {
		return resource.TLSListener
	}
	return resource.TCPListener
}

func (l *listener) close() error {
	l.rt.ResourceClosed(l.kind())
	return l.tcp.Close()
}
