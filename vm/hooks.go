package vm

import "github.com/lunatic-go/lunatic/resource"

// Observer receives runtime events, for metrics. Every method must be cheap and safe for
// concurrent use. A nil Observer is allowed.
type Observer interface {
	ProcessSpawned(p *Process)
	ProcessEnded(p *Process, death error)
	MessageDelivered(kind MessageKind, bytes int, resources int)
	MessageReceived(kind MessageKind, bytes int)
	LinkNotified()
	FuelCharged(units uint64)
}

// ResourceObserver is implemented by observers that count open resources (sockets, SQLite
// connections, timers). Host packages reach it through Runtime.Resources.
type ResourceObserver interface {
	ResourceOpened(kind resource.Kind)
	ResourceClosed(kind resource.Kind)
}

// ResourceOpened reports a resource of the given kind opened.
func (r *Runtime) ResourceOpened(kind resource.Kind) {
	if ro, ok := r.hooks.o.(ResourceObserver); ok {
		ro.ResourceOpened(kind)
	}
}

// ResourceClosed reports a resource of the given kind closed.
func (r *Runtime) ResourceClosed(kind resource.Kind) {
	if ro, ok := r.hooks.o.(ResourceObserver); ok {
		ro.ResourceClosed(kind)
	}
}

type hooks struct{ o Observer }

func (h hooks) processSpawned(p *Process) {
	if h.o != nil {
		h.o.ProcessSpawned(p)
	}
}

func (h hooks) processEnded(p *Process, death error) {
	if h.o != nil {
		h.o.ProcessEnded(p, death)
	}
}

func (h hooks) messageDelivered(kind MessageKind, bytes, resources int) {
	if h.o != nil {
		h.o.MessageDelivered(kind, bytes, resources)
	}
}

func (h hooks) messageReceived(m *Message) {
	if h.o != nil && m != nil {
		h.o.MessageReceived(m.Kind, len(m.Data))
	}
}

func (h hooks) linkNotified() {
	if h.o != nil {
		h.o.LinkNotified()
	}
}

func (h hooks) fuelCharged(units uint64) {
	if h.o != nil {
		h.o.FuelCharged(units)
	}
}
