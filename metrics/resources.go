package metrics

import "github.com/lunatic-go/lunatic/resource"

// socketKinds are the children of lunatic_sockets_open; their names are the label values.
var socketKinds = [...]resource.Kind{
	resource.TCPStream, resource.TCPListener, resource.TLSStream, resource.TLSListener, resource.UDPSocket,
}

// bindResources precomputes what each resource kind updates, so the hot path is an index
// and a function call. Kinds that are not counted (modules) update nothing.
func (m *Metrics) bindResources() {
	for i, k := range socketKinds {
		g := m.sockets[i]
		m.resourceOpened[k], m.resourceClosed[k] = g.Inc, g.Dec
	}
	m.resourceOpened[resource.SQLiteConn], m.resourceClosed[resource.SQLiteConn] = m.sqliteConns.Inc, m.sqliteConns.Dec
	m.resourceOpened[resource.Timer] = func() { m.timersStarted.Inc(); m.timersPending.Inc() }
	m.resourceClosed[resource.Timer] = m.timersPending.Dec
}

// ResourceOpened records that a process now holds a resource of the given kind; kinds
// that are not counted are ignored. For a timer, "opened" is started.
func (m *Metrics) ResourceOpened(kind resource.Kind) {
	if m == nil || int(kind) >= resource.NumKinds {
		return
	}
	if f := m.resourceOpened[kind]; f != nil {
		f()
	}
}

// ResourceClosed records that a resource reported by ResourceOpened is gone (closed,
// dropped, or, for a timer, fired or cancelled).
func (m *Metrics) ResourceClosed(kind resource.Kind) {
	if m == nil || int(kind) >= resource.NumKinds {
		return
	}
	if f := m.resourceClosed[kind]; f != nil {
		f()
	}
}
