package vm

import (
	"io"

	"github.com/lunatic-go/lunatic/resource"
)

// Slot is one resource inside a Data message.
type Slot struct {
	Kind  resource.Kind
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
func (s *Sockets) Table(k resource.Kind) *Table[io.Closer] {
	switch k {
	case resource.TCPStream:
		return &s.TCPStreams
	case resource.TLSStream:
		return &s.TLSStreams
	case resource.UDPSocket:
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
