// Package vmobserver connects the runtime to package metrics: its Observer receives the
// events of vm (give it to vm.Options.Observer), records them as runtime metrics, and is
// the metrics' view of the live processes (the scrape-time gauges and /processes).
package vmobserver

import (
	"sync"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// Observer feeds runtime events into metrics and is the metrics' view of the live
// processes (the scrape-time gauges and /processes). Give it to vm.Options.Observer.
//
// Besides vm.Observer it has MessageReceived, ResourceOpened and ResourceClosed, ready for
// the runtime and the host modules to report those events.
type Observer struct {
	m *metrics.Metrics

	mu   sync.Mutex
	envs map[*vm.Environment]int // environments with live processes → how many
}

var (
	_ vm.Observer    = (*Observer)(nil)
	_ metrics.Source = (*Observer)(nil)
)

// New returns an Observer recording into m and installs it as m's Source.
func New(m *metrics.Metrics) *Observer {
	o := &Observer{m: m, envs: make(map[*vm.Environment]int)}
	m.SetSource(o)
	return o
}

// ProcessSpawned counts a new process and remembers its environment.
func (o *Observer) ProcessSpawned(p *vm.Process) {
	o.m.ProcessSpawned()
	o.mu.Lock()
	o.envs[p.Env()]++
	o.mu.Unlock()
}

// ProcessEnded counts the end of a process by outcome.
func (o *Observer) ProcessEnded(p *vm.Process, death error) {
	o.m.ProcessFinished(outcome(death))
	o.mu.Lock()
	if n := o.envs[p.Env()] - 1; n > 0 {
		o.envs[p.Env()] = n
	} else {
		delete(o.envs, p.Env())
	}
	o.mu.Unlock()
}

// MessageDelivered counts a data message as sent and a death notice as a notification.
func (o *Observer) MessageDelivered(kind vm.MessageKind, bytes, resources int) {
	switch kind {
	case vm.KindData:
		o.m.MessageSent(bytes, resources)
	case vm.KindLinkDied:
		o.m.Notified(metrics.NotifyLinkDied)
	case vm.KindProcessDied:
		o.m.Notified(metrics.NotifyProcessDied)
	}
}

// LinkNotified counts a LinkDied message queued for a process.
func (o *Observer) LinkNotified() { o.m.Notified(metrics.NotifyLinkDied) }

// FuelCharged counts fuel charged to a process.
func (o *Observer) FuelCharged(units uint64) { o.m.FuelConsumed(units) }

// MessageReceived counts a data message taken from a mailbox by a receive.
func (o *Observer) MessageReceived(kind vm.MessageKind, bytes int) {
	if kind == vm.KindData {
		o.m.MessageReceived(bytes)
	}
}

// ResourceOpened counts a resource a process now holds (a socket, a SQLite connection, a
// pending timer).
func (o *Observer) ResourceOpened(kind resource.Kind) { o.m.ResourceOpened(kind) }

// ResourceClosed counts the end of a resource reported by ResourceOpened.
func (o *Observer) ResourceClosed(kind resource.Kind) { o.m.ResourceClosed(kind) }

// Environments returns the environments that have live processes, in no particular order.
func (o *Observer) Environments() []*vm.Environment { return o.environments() }

// environments returns the environments that have live processes.
func (o *Observer) environments() []*vm.Environment {
	o.mu.Lock()
	out := make([]*vm.Environment, 0, len(o.envs))
	for e := range o.envs {
		out = append(out, e)
	}
	o.mu.Unlock()
	return out
}
