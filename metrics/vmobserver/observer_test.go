package vmobserver

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/metrics/metricstest"
	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// TestObserverEvents covers the events the runtime does not report yet (receives,
// resources), through the Observer methods the runtime will call.
func TestObserverEvents(t *testing.T) {
	m, err := metrics.New(metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := New(m)
	o.MessageReceived(vm.KindData, 12)
	o.MessageReceived(vm.KindLinkDied, 0) // not a data message
	o.MessageDelivered(vm.KindLinkDied, 0, 0)
	o.LinkNotified()
	o.FuelCharged(vm.FuelQuantum)
	o.ResourceOpened(resource.TLSStream)
	o.ResourceOpened(resource.SQLiteConn)
	o.ResourceOpened(resource.SQLiteConn)
	o.ResourceClosed(resource.SQLiteConn)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	fam := metricstest.Scrape(t, srv.URL+"/metrics")
	for _, w := range []struct {
		name   string
		labels []string
		value  float64
	}{
		{"lunatic_messages_received_total", nil, 1},
		{"lunatic_message_received_bytes_total", nil, 12},
		{"lunatic_notifications_total", []string{"kind", "link_died"}, 2},
		{"lunatic_fuel_consumed_total", nil, vm.FuelQuantum},
		{"lunatic_sockets_open", []string{"kind", "tls_stream"}, 1},
		{"lunatic_sqlite_connections_open", nil, 1},
	} {
		if got := fam.Value(t, w.name, w.labels...); got != w.value {
			t.Errorf("%s%v = %v, want %v", w.name, w.labels, got, w.value)
		}
	}
}

func TestOutcome(t *testing.T) {
	cases := []struct {
		death error
		want  metrics.Outcome
	}{
		{nil, metrics.OutcomeNormal},
		{vm.ErrKilled, metrics.OutcomeKilled},
		{&vm.LinkDiedError{Peer: 3}, metrics.OutcomeKilled},
		{fmt.Errorf("%w: budget", vm.ErrOutOfFuel), metrics.OutcomeOutOfFuel},
		{&vm.ExitError{Code: 3}, metrics.OutcomeTrap},
		{&vm.Trap{Func: "lunatic::x", Msg: "bad"}, metrics.OutcomeTrap},
		{errors.New("wasm error: unreachable"), metrics.OutcomeTrap},
	}
	for _, c := range cases {
		if got := outcome(c.death); got != c.want {
			t.Errorf("Outcome(%v) = %v, want %v", c.death, got, c.want)
		}
	}
}
