package metrics

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler serves, on one listener:
//   - /metrics: the registry in the Prometheus exposition format;
//   - /processes: a JSON array with one ProcessInfo per live process, sorted by
//     environment and id;
//   - /processes/ID: the ProcessInfo of one live process, or 404.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		// A guest series that clashes with another is left out of the scrape (and
		// logged) instead of failing the whole scrape.
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      printlnLogger{m},
	}))
	mux.HandleFunc("GET /processes", m.serveProcesses)
	mux.HandleFunc("GET /processes/{id}", m.serveProcess)
	mux.HandleFunc("GET /{$}", serveIndex)
	return mux
}

func serveIndex(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, "lunatic\n\n/metrics        Prometheus metrics\n/processes      live processes (JSON)\n/processes/ID   one live process (JSON)\n")
}

func (m *Metrics) serveProcesses(w http.ResponseWriter, _ *http.Request) {
	var rows []ProcessInfo
	if src := m.currentSource(); src != nil {
		rows = src.Processes()
	}
	if rows == nil {
		rows = []ProcessInfo{}
	}
	slices.SortFunc(rows, func(a, b ProcessInfo) int {
		if a.Environment != b.Environment {
			return cmpU64(a.Environment, b.Environment)
		}
		return cmpU64(a.ID, b.ID)
	})
	writeJSON(w, http.StatusOK, rows)
}

func (m *Metrics) serveProcess(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("bad process id %q", r.PathValue("id"))})
		return
	}
	if src := m.currentSource(); src != nil {
		if info, ok := src.Process(id); ok {
			writeJSON(w, http.StatusOK, info)
			return
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("no live process %d", id)})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v) // a client that went away is not our problem
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// printlnLogger adapts the logger to promhttp's error log.
type printlnLogger struct{ m *Metrics }

func (l printlnLogger) Println(v ...any) {
	l.m.log.Warn("metrics scrape", "error", fmt.Sprint(v...))
}
