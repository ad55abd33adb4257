package metrics

// Resource kinds that ResourceOpened and ResourceClosed understand. The strings are part of
// the contract with the host modules that report them.
const (
	ResourceTCPStream   = "tcp_stream"
	ResourceTCPListener = "tcp_listener"
	ResourceTLSStream   = "tls_stream"
	ResourceTLSListener = "tls_listener"
	ResourceUDPSocket   = "udp_socket"
	ResourceSQLiteConn  = "sqlite_connection"
	ResourceTimer       = "timer"
	numResources        = 7
	numSocketKinds      = 5
)

// socketKind indexes the lunatic_sockets_open children.
type socketKind int

// socketKindNames are the label values of lunatic_sockets_open, in socketKind order.
var socketKindNames = [numSocketKinds]string{
	ResourceTCPStream, ResourceTCPListener, ResourceTLSStream, ResourceTLSListener, ResourceUDPSocket,
}

// resourceIndex maps a resource kind to its slot in resourceOpened/resourceClosed.
func resourceIndex(kind string) int {
	for i, k := range socketKindNames {
		if k == kind {
			return i
		}
	}
	switch kind {
	case ResourceSQLiteConn:
		return numSocketKinds
	case ResourceTimer:
		return numSocketKinds + 1
	}
	return -1
}

// bindResources precomputes what each resource kind updates, so the hot path is an index
// and a function call.
func (m *Metrics) bindResources() {
	for i := range numSocketKinds {
		g := m.sockets[i]
		m.resourceOpened[i], m.resourceClosed[i] = g.Inc, g.Dec
	}
	m.resourceOpened[numSocketKinds], m.resourceClosed[numSocketKinds] = m.sqliteConns.Inc, m.sqliteConns.Dec
	m.resourceOpened[numSocketKinds+1] = func() { m.timersStarted.Inc(); m.timersPending.Inc() }
	m.resourceClosed[numSocketKinds+1] = m.timersPending.Dec
}

// ResourceOpened records that a process now holds a resource of the given kind (one of
// the Resource* constants; other kinds are ignored). For a timer, "opened" is started.
func (m *Metrics) ResourceOpened(kind string) {
	if m == nil {
		return
	}
	if i := resourceIndex(kind); i >= 0 {
		m.resourceOpened[i]()
	}
}

// ResourceClosed records that a resource reported by ResourceOpened is gone (closed,
// dropped, or, for a timer, fired or cancelled).
func (m *Metrics) ResourceClosed(kind string) {
	if m == nil {
		return
	}
	if i := resourceIndex(kind); i >= 0 {
		m.resourceClosed[i]()
	}
}
