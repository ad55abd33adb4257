package metrics_test

import (
	"net/http/httptest"
	"testing"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/metrics/metricstest"
)

// newServer returns metrics with the given options served by a test HTTP server.
func newServer(t *testing.T, o metrics.Options) (*metrics.Metrics, *httptest.Server) {
	t.Helper()
	m, err := metrics.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	t.Cleanup(srv.Close)
	return m, srv
}

func scrape(t *testing.T, srv *httptest.Server) metricstest.Families {
	t.Helper()
	return metricstest.Scrape(t, srv.URL+"/metrics")
}

// expect checks exact series values: name, then label pairs, then the value.
type want struct {
	name   string
	labels []string
	value  float64
}

func check(t *testing.T, f metricstest.Families, wants []want) {
	t.Helper()
	for _, w := range wants {
		if got := f.Value(t, w.name, w.labels...); got != w.value {
			t.Errorf("%s%v = %v, want %v", w.name, w.labels, got, w.value)
		}
	}
}
