package metrics

// Outcome is how a process ended, the label of lunatic_processes_finished_total.
type Outcome int

// Process outcomes.
const (
	OutcomeNormal    Outcome = iota // the entry function returned, or proc_exit(0)
	OutcomeTrap                     // a wasm or host trap, or proc_exit with a non-zero code
	OutcomeKilled                   // a kill signal, or the failure of a linked process
	OutcomeOutOfFuel                // the process used up its max_fuel budget
	numOutcomes
)

func (o Outcome) String() string {
	switch o {
	case OutcomeNormal:
		return "normal"
	case OutcomeKilled:
		return "killed"
	case OutcomeOutOfFuel:
		return "out_of_fuel"
	default:
		return "trap"
	}
}

// Notification is a kind of death notification delivered as a message.
type Notification int

// Notification kinds.
const (
	NotifyLinkDied    Notification = iota // a linked process failed (die_when_link_dies off)
	NotifyProcessDied                     // a monitored process ended
	numNotifications
)

func (n Notification) String() string {
	if n == NotifyLinkDied {
		return "link_died"
	}
	return "process_died"
}

// ProcessSpawned records a new live process.
func (m *Metrics) ProcessSpawned() {
	if m == nil {
		return
	}
	m.spawned.Inc()
	m.alive.Inc()
}

// ProcessFinished records the end of a live process.
func (m *Metrics) ProcessFinished(o Outcome) {
	if m == nil {
		return
	}
	if o < 0 || o >= numOutcomes {
		o = OutcomeTrap
	}
	m.finished[o].Inc()
	m.alive.Dec()
}

// MessageSent records one data message delivered to a mailbox.
func (m *Metrics) MessageSent(bytes, resources int) {
	if m == nil {
		return
	}
	m.sent.Inc()
	m.sentBytes.Add(float64(bytes))
	if resources > 0 {
		m.sentResources.Add(float64(resources))
	}
}

// MessageReceived records one data message taken from a mailbox.
func (m *Metrics) MessageReceived(bytes int) {
	if m == nil {
		return
	}
	m.received.Inc()
	m.receivedBytes.Add(float64(bytes))
}

// Notified records one death notification delivered as a message.
func (m *Metrics) Notified(n Notification) {
	if m == nil || n < 0 || n >= numNotifications {
		return
	}
	m.notified[n].Inc()
}

// FuelConsumed records fuel charged to a process, in instructions.
func (m *Metrics) FuelConsumed(units uint64) {
	if m == nil {
		return
	}
	m.fuel.Add(float64(units))
}
