package metrics_test

import (
	"testing"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/resource"
)

// TestTotals checks that Totals reads what the events recorded, like a scrape does.
func TestTotals(t *testing.T) {
	m, err := metrics.New(metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		m.ProcessSpawned()
	}
	m.ProcessFinished(metrics.OutcomeNormal)
	m.ProcessFinished(metrics.OutcomeKilled)
	m.MessageSent(3, 0)
	m.MessageSent(3, 0)
	m.MessageReceived(3)
	m.FuelConsumed(250)
	m.ResourceOpened(resource.TCPStream)
	m.ResourceOpened(resource.UDPSocket)
	m.ResourceOpened(resource.SQLiteConn)
	m.ResourceOpened(resource.Timer)
	m.ResourceOpened(resource.Timer)
	m.ResourceClosed(resource.Timer)

	got := m.Totals()
	if got.Spawned != 4 || got.Alive != 2 || got.MessagesSent != 2 || got.MessagesReceived != 1 || got.Fuel != 250 {
		t.Errorf("counters %+v", got)
	}
	if got.SocketsOpen != 2 || got.SQLiteConnections != 1 || got.TimersPending != 1 {
		t.Errorf("gauges %+v", got)
	}
	want := map[string]uint64{"normal": 1, "trap": 0, "killed": 1, "out_of_fuel": 0}
	for k, v := range want {
		if got.Finished[k] != v {
			t.Errorf("finished[%s] = %d, want %d", k, got.Finished[k], v)
		}
	}
	var nilM *metrics.Metrics
	if z := nilM.Totals(); z.Spawned != 0 || len(z.Finished) != 4 {
		t.Errorf("nil Totals %+v", z)
	}
}
