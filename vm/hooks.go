package vm

// Observer receives runtime events, for metrics. Every method must be cheap and safe for
// concurrent use. A nil Observer is allowed.
type Observer interface {
	ProcessSpawned(p *Process)
	ProcessEnded(p *Process, death error)
	MessageDelivered(kind MessageKind, bytes int, resources int)
	LinkNotified()
	FuelCharged(units uint64)
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

func (h hooks) messageDelivered(m *Message) {
	if h.o != nil {
		h.o.MessageDelivered(m.Kind, len(m.Data), len(m.Slots))
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
