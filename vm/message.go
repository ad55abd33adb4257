package vm

import (
	"io"
	"sync"
)

// MessageKind is what receive reports to the guest.
type MessageKind uint32

// The receive codes of docs/abi/message.md ("Message kinds").
const (
	KindData        MessageKind = 0
	KindLinkDied    MessageKind = 1
	KindProcessDied MessageKind = 2
)

// maxCapacityHint caps the buffer capacity a guest may ask create_data to pre-allocate
// (the original allocated it eagerly and crashed on absurd values).
const maxCapacityHint = 1 << 20

// Message is one mailbox entry. Data messages carry bytes and resource slots; LinkDied
// carries the link tag; ProcessDied the id of the process that ended.
type Message struct {
	Kind MessageKind
	// Tag is 0 for "no tag".
	Tag int64
	// Data is the payload of a Data message.
	Data []byte
	// Pos is the read position of read_data.
	Pos uint64
	// Slots are resources travelling with a Data message; a taken slot is nil.
	Slots []*Slot
	// ProcessID is the id of the ended process, for ProcessDied.
	ProcessID uint64

	pooled  bool   // from messagePool: recycle may reuse it
	charged uint64 // bytes charged to the receiver while queued (limits.go)
}

// maxPooledData is the largest data buffer kept for reuse with a recycled message.
const maxPooledData = 64 << 10

// messagePool recycles Data messages and their buffers: a message is taken by create_data
// and put back when it leaves the receiver's scratch area, so steady messaging allocates
// nothing.
var messagePool = sync.Pool{New: func() any { return &Message{pooled: true} }}

// NewDataMessage returns an empty Data message with the given tag. capacity is a hint.
func NewDataMessage(tag int64, capacity uint64) *Message {
	if capacity > maxCapacityHint {
		capacity = maxCapacityHint
	}
	m := messagePool.Get().(*Message)
	m.Kind, m.Tag = KindData, tag
	if uint64(cap(m.Data)) < capacity {
		m.Data = make([]byte, 0, capacity)
	}
	return m
}

// recycle releases m's resources and returns it to the pool. Only the sole owner of a
// message may recycle it (the scratch area it leaves): nothing may use it afterwards.
func (m *Message) recycle() {
	m.Release()
	if !m.pooled {
		return
	}
	data := m.Data[:0]
	if cap(data) > maxPooledData {
		data = nil
	}
	clear(m.Slots)
	*m = Message{Data: data, Slots: m.Slots[:0], pooled: true}
	messagePool.Put(m)
}

// Release closes every resource still inside the message (sockets that nobody took) and
// releases the modules.
func (m *Message) Release() {
	if m == nil {
		return
	}
	for i, s := range m.Slots {
		if s == nil {
			continue
		}
		switch v := s.Value.(type) {
		case *Module:
			v.Release()
		case io.Closer:
			_ = v.Close()
		}
		m.Slots[i] = nil
	}
}

// matches reports whether a receive filter accepts m. An empty filter accepts anything;
// a filter never matches untagged messages nor ProcessDied (docs/abi/message.md, "Tags").
func (m *Message) matches(tags []int64) bool {
	if len(tags) == 0 {
		return true
	}
	if m.Tag == 0 || m.Kind == KindProcessDied {
		return false
	}
	for _, t := range tags {
		if t == m.Tag {
			return true
		}
	}
	return false
}
