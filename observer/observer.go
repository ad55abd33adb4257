package observer

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/vm"
)

//go:embed static
var staticFiles embed.FS

// Options configure an Observer.
type Options struct {
	// Metrics are the runtime counters the summary plots. Required.
	Metrics *metrics.Metrics
	// Environments lists the environments with live processes (metricsapi's Observer has
	// such a method). Required.
	Environments func() []*vm.Environment
	// Actions enables the kill button and its endpoint. Even then, only loopback clients
	// may use it.
	Actions bool
	// Interval is how often the summary is sampled; 0 means one second.
	Interval time.Duration
	// History is how many summary points are kept; 0 means 300 (five minutes at one per
	// second).
	History int
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Observer samples the runtime and serves the page and its API. Start it with New, stop
// it with Close.
type Observer struct {
	opts    Options
	src     source
	snaps   *snapshots
	sampler *sampler
	log     *slog.Logger

	stop chan struct{}
	done sync.WaitGroup
}

// New starts sampling the runtime.
func New(o Options) *Observer {
	return newObserver(o, envSource{envs: o.Environments})
}

func newObserver(o Options, src source) *Observer {
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.History <= 0 {
		o.History = 300
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// Snapshots live for half an interval: a page that asks right after a sample reuses
	// it, and nothing it shows is older than the interval.
	snaps := &snapshots{src: src, maxAge: o.Interval / 2}
	ob := &Observer{
		opts: o, src: src, snaps: snaps, log: log,
		sampler: newSampler(o.Metrics, src, snaps, o.History),
		stop:    make(chan struct{}),
	}
	ob.sampler.sample(time.Now())
	ob.done.Go(ob.run)
	return ob
}

func (o *Observer) run() {
	t := time.NewTicker(o.opts.Interval)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			o.sampler.sample(now)
		case <-o.stop:
			return
		}
	}
}

// Close stops the sampling. Open event streams end when their server closes them.
func (o *Observer) Close() {
	select {
	case <-o.stop:
	default:
		close(o.stop)
	}
	o.done.Wait()
}

// Handler serves the page at "/", its files under /static/ and its API under /api/; every
// other path goes to next (the metrics handler: /metrics, /processes).
func (o *Observer) Handler(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	files := http.FileServerFS(static)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w)
		http.ServeFileFS(w, r, static, "index.html")
	})
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w)
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})))
	mux.HandleFunc("GET /api/info", o.serveInfo)
	mux.HandleFunc("GET /api/summary", o.serveSummary)
	mux.HandleFunc("GET /api/events", o.serveEvents)
	mux.HandleFunc("GET /api/processes", o.serveTable)
	mux.HandleFunc("GET /api/processes/{id}", o.serveDetail)
	mux.HandleFunc("GET /api/tree", o.serveTree)
	mux.HandleFunc("POST /api/processes/{id}/kill", o.serveKill)
	if next != nil {
		mux.Handle("/", next)
	}
	return mux
}

// securityHeaders keeps the page to its own files: no inline script, no other origin.
func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}
