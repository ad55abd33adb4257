package observer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// info tells the page what it may offer.
type info struct {
	Actions    bool  `json:"actions"`
	IntervalMS int64 `json:"interval_ms"`
	History    int   `json:"history"`
}

func (o *Observer) serveInfo(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, info{Actions: o.opts.Actions, IntervalMS: o.opts.Interval.Milliseconds(), History: o.opts.History})
}

// serveSummary returns the summary history, oldest first.
func (o *Observer) serveSummary(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, o.sampler.historyPoints())
}

// serveEvents streams the summary as server-sent events: one "history" event with the
// points so far, then one "point" event per sample.
func (o *Observer) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	ch, history := o.sampler.subscribe()
	defer o.sampler.unsubscribe(ch)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	send := func(event string, v any) bool {
		b, err := json.Marshal(v)
		if err != nil {
			return false
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("history", history) {
		return
	}
	for {
		select {
		case p := <-ch:
			if !send("point", p) {
				return
			}
		case <-r.Context().Done():
			return
		case <-o.stop:
			return
		}
	}
}

// serveTable returns one page of the process table.
func (o *Observer) serveTable(w http.ResponseWriter, r *http.Request) {
	q, err := ParseQuery(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	sn := o.snaps.get()
	page := q.Apply(sn.rows)
	writeJSON(w, http.StatusOK, struct {
		At int64 `json:"at"`
		Page
	}{sn.at.UnixMilli(), page})
}

// detail is everything the detail view shows about one process.
type detail struct {
	Alive bool `json:"alive"` // false only in a missing=ok answer for a process that is gone
	Row
	Module          string         `json:"module"`
	Started         time.Time      `json:"started"`
	DieWhenLinkDies bool           `json:"die_when_link_dies"`
	Config          *configView    `json:"config"`
	NamesKnown      bool           `json:"names_known"` // false on a cluster node
	Children        int            `json:"children"`
	MailboxHistory  []mailboxPoint `json:"mailbox_history"`
}

// serveDetail describes one live process (?env=E picks the environment; default 1). A
// process that is not alive is a 404, or, with ?missing=ok (what the page asks, so that a
// process ending under its eyes is not a failed request), {"alive": false}.
func (o *Observer) serveDetail(w http.ResponseWriter, r *http.Request) {
	env, id, ok := processParams(w, r)
	if !ok {
		return
	}
	p := o.src.lookup(env, id)
	if p == nil {
		if r.URL.Query().Get("missing") == "ok" {
			writeJSON(w, http.StatusOK, struct {
				Alive bool   `json:"alive"`
				ID    uint64 `json:"id"`
				Env   uint64 `json:"env"`
			}{false, id, env})
			return
		}
		writeError(w, http.StatusNotFound, fmt.Sprintf("no live process %d in environment %d", id, env))
		return
	}
	now := time.Now()
	s := p.Snapshot()
	d := detail{
		Alive: true, Row: newRow(&s, now), Module: s.Module, Started: s.Started, DieWhenLinkDies: s.DieWhenLinkDies,
		Config: viewConfig(p.Config()),
	}
	d.Names, d.NamesKnown = o.src.names(env, id)
	if d.Names == nil {
		d.Names = []string{}
	}
	d.Children = o.snaps.get().level(env, id, 0, 0).Total
	d.MailboxHistory = o.sampler.watch(procKey{env, id}, now, s.MailboxLen)
	writeJSON(w, http.StatusOK, d)
}

// Tree paging limits.
const (
	defaultTreeLimit = 200
	maxTreeLimit     = 1000
)

// serveTree returns the children of each ?parent= (repeatable), paged by ?offset= and
// ?limit=. A parent is ENV:ID or ID (in ?env=, default 1); 0 or 0:0 are the roots of
// every environment, ENV:0 those of one.
func (o *Observer) serveTree(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	offset, err := intParam(v, "offset", 0, 0, 1<<31-1)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	limit, err := intParam(v, "limit", defaultTreeLimit, 1, maxTreeLimit)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var env uint64
	if s := v.Get("env"); s != "" {
		if env, err = strconv.ParseUint(s, 10, 64); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("bad environment %q", s))
			return
		}
	}
	parents := v["parent"]
	if len(parents) == 0 {
		parents = []string{"0"}
	}
	if len(parents) > 100 {
		writeError(w, http.StatusBadRequest, "at most 100 parents per request")
		return
	}
	sn := o.snaps.get()
	out := make([]TreeLevel, 0, len(parents))
	for _, s := range parents {
		e, id, err := parseParent(s, env)
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		out = append(out, sn.level(e, id, offset, limit))
	}
	writeJSON(w, http.StatusOK, struct {
		At     int64       `json:"at"`
		Levels []TreeLevel `json:"levels"`
	}{sn.at.UnixMilli(), out})
}

func parseParent(s string, env uint64) (uint64, uint64, error) {
	es, is, found := strings.Cut(s, ":")
	if !found {
		es, is = "", s
	}
	id, err := strconv.ParseUint(is, 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("bad parent %q", s)
	}
	if found {
		if env, err = strconv.ParseUint(es, 10, 64); err != nil {
			return 0, 0, fmt.Errorf("bad parent %q", s)
		}
	} else if env == 0 && id != 0 {
		env = 1
	}
	return env, id, nil
}

// processParams reads {id} and ?env= (default 1), answering 400 when they are bad.
func processParams(w http.ResponseWriter, r *http.Request) (env, id uint64, ok bool) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("bad process id %q", r.PathValue("id")))
		return 0, 0, false
	}
	env = 1
	if s := r.URL.Query().Get("env"); s != "" {
		if env, err = strconv.ParseUint(s, 10, 64); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("bad environment %q", s))
			return 0, 0, false
		}
	}
	return env, id, true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v) // a client that went away is not our problem
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
