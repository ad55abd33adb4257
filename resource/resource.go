// Package resource names the kinds of resources a lunatic process can hold: those that
// travel inside messages (modules, streams, UDP sockets) and those the runtime counts as
// open for its metrics (sockets and listeners, SQLite connections, pending timers). It is
// the one vocabulary vm, the host modules and package metrics share, and imports nothing.
package resource

// Kind is a kind of resource.
type Kind uint8

// The kinds of resources.
const (
	Module Kind = iota + 1
	TCPStream
	TLSStream
	UDPSocket
	TCPListener
	TLSListener
	SQLiteConn
	Timer
)

// NumKinds bounds the kinds: every Kind is below it, so it sizes arrays indexed by kind.
const NumKinds = int(Timer) + 1

// String is the kind's name, which is also its metric label value ("tcp_stream").
func (k Kind) String() string {
	switch k {
	case Module:
		return "module"
	case TCPStream:
		return "tcp_stream"
	case TLSStream:
		return "tls_stream"
	case UDPSocket:
		return "udp_socket"
	case TCPListener:
		return "tcp_listener"
	case TLSListener:
		return "tls_listener"
	case SQLiteConn:
		return "sqlite_connection"
	case Timer:
		return "timer"
	}
	return "unknown_resource"
}
