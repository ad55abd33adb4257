package vm

import (
	"io"
	"time"

	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/resource"
	"github.com/tetratelabs/wazero/api"
)

// processResources is the part of a Process that only processes using resource
// tables, API-private values or a blocking receive with a timeout need: allocated on
// first use (Process.resources), by the process's own goroutine, like everything in it.
type processResources struct {
	configs Table[*permissions.ProcessConfig]
	modules Table[*Module]
	errors  Table[error]
	sockets Sockets
	locals  map[any]any // API-private resource tables, see LocalKey
	timer   *time.Timer // blocking receive timeout, reused
}

// resources returns p.res, allocating it on first use. Only the process's goroutine
// (a host function it called, or its death path) calls it.
func (p *Process) resources() *processResources {
	if p.res == nil {
		p.res = new(processResources)
	}
	return p.res
}

// Configs is the process's table of configurations (owned: used only by host
// functions the process calls).
func (p *Process) Configs() *Table[*permissions.ProcessConfig] { return &p.resources().configs }

// Modules is the process's table of modules (owned).
func (p *Process) Modules() *Table[*Module] { return &p.resources().modules }

// Errors is the process's table of errors (owned).
func (p *Process) Errors() *Table[error] { return &p.resources().errors }

// Sockets are the process's tables of resources that travel inside messages (owned).
func (p *Process) Sockets() *Sockets { return &p.resources().sockets }

// startArgs are the entry arguments of a process that has not started yet.
type startArgs struct {
	types  []api.ValueType
	params []uint64
}

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
