package vm

import "io"

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

	charged uint64 // bytes charged to the receiver while queued (limits.go)
}

// NewDataMessage returns an empty Data message with the given tag. capacity is a hint.
func NewDataMessage(tag int64, capacity uint64) *Message {
	if capacity > maxCapacityHint {
		capacity = maxCapacityHint
	}
	var data []byte
	if capacity > 0 {
		data = make([]byte, 0, capacity)
	}
	return &Message{Kind: KindData, Tag: tag, Data: data}
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
