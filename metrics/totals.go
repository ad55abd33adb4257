package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Totals are the current values of the runtime counters and gauges, for views that plot
// them over time (the observer page) without going through a scrape.
type Totals struct {
	Spawned  uint64
	Finished map[string]uint64 // by outcome: normal, trap, killed, out_of_fuel
	Alive    int64

	MessagesSent     uint64
	MessagesReceived uint64
	Fuel             uint64 // instructions

	SocketsOpen       int64 // every kind of socket
	SQLiteConnections int64
	TimersPending     int64
}

// Totals reads the runtime collectors. A nil *Metrics reads zero.
func (m *Metrics) Totals() Totals {
	t := Totals{Finished: make(map[string]uint64, numOutcomes)}
	for o := range Outcome(numOutcomes) {
		t.Finished[o.String()] = 0
	}
	if m == nil {
		return t
	}
	t.Spawned = uint64(value(m.spawned))
	for o := range Outcome(numOutcomes) {
		t.Finished[o.String()] = uint64(value(m.finished[o]))
	}
	t.Alive = int64(value(m.alive))
	t.MessagesSent = uint64(value(m.sent))
	t.MessagesReceived = uint64(value(m.received))
	t.Fuel = uint64(value(m.fuel))
	for _, g := range m.sockets {
		t.SocketsOpen += int64(value(g))
	}
	t.SQLiteConnections = int64(value(m.sqliteConns))
	t.TimersPending = int64(value(m.timersPending))
	return t
}

// value reads a counter or gauge.
func value(c prometheus.Metric) float64 {
	var d dto.Metric
	if err := c.Write(&d); err != nil {
		return 0
	}
	if d.Counter != nil {
		return d.Counter.GetValue()
	}
	return d.Gauge.GetValue()
}
