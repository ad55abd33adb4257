package vm

import "io"

// ResourceKind tells what a message slot or a shared resource table holds.
type ResourceKind uint8

// Kinds of resources that travel inside messages.
const (
	ResourceModule ResourceKind = iota + 1
	ResourceTCPStream
	ResourceTLSStream
	ResourceUDPSocket
)

func (k ResourceKind) String() string {
	switch k {
	case ResourceModule:
		return "module"
	case ResourceTCPStream:
		return "tcp stream"
	case ResourceTLSStream:
		return "tls stream"
	case ResourceUDPSocket:
		return "udp socket"
	}
	return "unknown resource"
}

// Slot is one resource inside a Data message.
type Slot struct {
	Kind  ResourceKind
	Value any
}

// Sockets are the per-process tables of resources that can move between processes inside
// messages. The networking API owns the concrete types; the message API only moves them.
// Every value is closed when the process ends still holding it.
type Sockets struct {
	TCPStreams Table[io.Closer]
	TLSStreams Table[io.Closer]
	UDPSockets Table[io.Closer]
}

// Table returns the table for a socket kind, or nil for other kinds.
func (s *Sockets) Table(k ResourceKind) *Table[io.Closer] {
	switch k {
	case ResourceTCPStream:
		return &s.TCPStreams
	case ResourceTLSStream:
		return &s.TLSStreams
	case ResourceUDPSocket:
		return &s.UDPSockets
	}
	return nil
}

func (s *Sockets) closeAll() {
	for _, t := range []*Table[io.Closer]{&s.TCPStreams, &s.TLSStreams, &s.UDPSockets} {
		for _, c := range t.Clear() {
			_ = c.Close()
		}
	}
}
