// Package metricstest scrapes a /metrics endpoint in tests and reads exact values out of
// it, so tests outside package metrics need no Prometheus imports of their own.
package metricstest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Families is one parsed scrape.
type Families struct {
	mfs map[string]*dto.MetricFamily
}

// Scrape GETs url and parses the Prometheus text format it returns.
func Scrape(t testing.TB, url string) Families {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: %s", url, resp.Status)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse scrape of %s: %v", url, err)
	}
	return Families{mfs: mfs}
}

// Has reports whether the scrape has a metric family called name.
func (f Families) Has(name string) bool { return f.mfs[name] != nil }

// Names lists the metric family names, sorted.
func (f Families) Names() []string {
	out := make([]string, 0, len(f.mfs))
	for n := range f.mfs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Value returns the value of the counter, gauge or untyped series name{labels}, where
// labels are name, value pairs. A missing series fails the test.
func (f Families) Value(t testing.TB, name string, labels ...string) float64 {
	t.Helper()
	m := f.series(t, name, labels)
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	t.Fatalf("%s is not a counter, gauge or untyped metric", name)
	return 0
}

// Type returns the family's type in lower case ("counter", "gauge", "histogram").
func (f Families) Type(t testing.TB, name string) string {
	t.Helper()
	mf := f.mfs[name]
	if mf == nil {
		t.Fatalf("no metric %s in the scrape; have %v", name, f.Names())
	}
	return strings.ToLower(mf.GetType().String())
}

// Histogram returns the count, the sum and the cumulative bucket counts (by upper bound)
// of the histogram series name{labels}.
func (f Families) Histogram(t testing.TB, name string, labels ...string) (count uint64, sum float64, buckets map[float64]uint64) {
	t.Helper()
	h := f.series(t, name, labels).GetHistogram()
	if h == nil {
		t.Fatalf("%s is not a histogram", name)
	}
	buckets = make(map[float64]uint64)
	for _, b := range h.GetBucket() {
		buckets[b.GetUpperBound()] = b.GetCumulativeCount()
	}
	return h.GetSampleCount(), h.GetSampleSum(), buckets
}

// Lint runs promlint over the scrape and returns its findings as "metric: text" lines.
func (f Families) Lint() ([]string, error) {
	mfs := make([]*dto.MetricFamily, 0, len(f.mfs))
	for _, n := range f.Names() {
		mfs = append(mfs, f.mfs[n])
	}
	problems, err := promlint.NewWithMetricFamilies(mfs).Lint()
	if err != nil {
		return nil, fmt.Errorf("lint: %w", err)
	}
	out := make([]string, 0, len(problems))
	for _, p := range problems {
		out = append(out, p.Metric+": "+p.Text)
	}
	return out, nil
}

func (f Families) series(t testing.TB, name string, labels []string) *dto.Metric {
	t.Helper()
	mf := f.mfs[name]
	if mf == nil {
		t.Fatalf("no metric %s in the scrape; have %v", name, f.Names())
	}
	if len(labels)%2 != 0 {
		t.Fatalf("labels for %s must be name, value pairs: %q", name, labels)
	}
	for _, m := range mf.GetMetric() {
		if labelsMatch(m, labels) {
			return m
		}
	}
	t.Fatalf("no series %s%v in the scrape", name, labels)
	return nil
}

func labelsMatch(m *dto.Metric, want []string) bool {
	if len(m.GetLabel()) != len(want)/2 {
		return false
	}
	have := make(map[string]string, len(m.GetLabel()))
	for _, l := range m.GetLabel() {
		have[l.GetName()] = l.GetValue()
	}
	for i := 0; i < len(want); i += 2 {
		if v, ok := have[want[i]]; !ok || v != want[i+1] {
			return false
		}
	}
	return true
}
