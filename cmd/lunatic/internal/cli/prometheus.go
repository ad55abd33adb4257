package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/metrics/vmobserver"
	"github.com/lunatic-go/lunatic/observer"
	"github.com/lunatic-go/lunatic/vm"
)

// defaultPrometheusAddr is where --prometheus listens: loopback only, so that exposing
// metrics and the process view to the network is always an explicit choice.
const defaultPrometheusAddr = "127.0.0.1:9927"

// PrometheusOptions are the --prometheus and --observe flags of `lunatic run` and
// `lunatic node`: one listener serves /metrics, /processes and, with Observe, the page.
type PrometheusOptions struct {
	Enabled bool
	Addr    string // HOST:PORT; "" means defaultPrometheusAddr
	// Observe serves the observer page at "/" and its API (--observe).
	Observe bool
	// Actions lets the page kill processes, from loopback clients only (--observe-actions).
	Actions bool
}

// addPrometheusFlags declares --prometheus and --prometheus-addr. The address is checked
// while flags are parsed, so a bad one is a usage error; giving it implies --prometheus.
func addPrometheusFlags(fl *pflag.FlagSet, o *PrometheusOptions) {
	fl.BoolVar(&o.Enabled, "prometheus", false, "serve Prometheus metrics on /metrics and the live process view on /processes")
	fl.Var((*promAddrFlag)(o), "prometheus-addr", "listen on `HOST:PORT` for --prometheus (implies it; default "+defaultPrometheusAddr+")")
	obs := fl.VarPF((*observeFlag)(o), "observe", "", "``serve a live web view of the processes at / beside /metrics, on the address given with = (HOST:PORT)")
	obs.NoOptDefVal = defaultPrometheusAddr
	fl.Var((*observeActionsFlag)(o), "observe-actions", "let the --observe page kill processes, for loopback clients only (implies --observe)")
	fl.Lookup("observe-actions").NoOptDefVal = "true"
}

// observeFlag is the pflag.Value of --observe[=HOST:PORT]. The page shares the listener of
// --prometheus: a bare --observe keeps an address given by --prometheus-addr, an explicit
// one replaces it.
type observeFlag PrometheusOptions

func (f *observeFlag) String() string {
	if !f.Observe {
		return ""
	}
	return f.Addr
}

func (f *observeFlag) Type() string { return "HOST:PORT" }

func (f *observeFlag) Set(v string) error {
	addr := f.Addr
	if v != defaultPrometheusAddr || addr == "" {
		if err := (*promAddrFlag)(f).Set(v); err != nil {
			return err
		}
	}
	f.Enabled, f.Observe = true, true
	return nil
}

// observeActionsFlag is the pflag.Value of --observe-actions.
type observeActionsFlag PrometheusOptions

func (f *observeActionsFlag) String() string { return strconv.FormatBool(f.Actions) }

func (f *observeActionsFlag) Type() string { return "bool" }

func (f *observeActionsFlag) IsBoolFlag() bool { return true }

func (f *observeActionsFlag) Set(v string) error {
	on, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("want true or false: %w", err)
	}
	f.Actions = on
	if on {
		f.Enabled, f.Observe = true, true
	}
	return nil
}

// promAddrFlag is the pflag.Value of --prometheus-addr.
type promAddrFlag PrometheusOptions

func (f *promAddrFlag) String() string { return f.Addr }

func (f *promAddrFlag) Type() string { return "HOST:PORT" }

func (f *promAddrFlag) Set(v string) error {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("want HOST:PORT: %w", err)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	f.Addr, f.Enabled = v, true
	return nil
}

// prometheusServer serves the metrics of one `lunatic run`. A nil *prometheusServer means
// --prometheus is off; its methods then do nothing.
type prometheusServer struct {
	metrics  *metrics.Metrics
	observer *vmobserver.Observer
	page     *observer.Observer // nil without --observe
	srv      *http.Server
	addr     net.Addr
	served   chan error
}

// startPrometheus builds the metrics and starts serving them (and the observer page with
// o.Observe, whose address it prints on stderr) when o.Enabled; it returns nil otherwise. The listener is bound before it returns, so a busy address is an error
// here, before any guest code runs.
func startPrometheus(o PrometheusOptions, log *slog.Logger, stderr io.Writer) (*prometheusServer, error) {
	if !o.Enabled {
		return nil, nil
	}
	addr := o.Addr
	if addr == "" {
		addr = defaultPrometheusAddr
	}
	m, err := metrics.New(metrics.Options{GoCollectors: true, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("prometheus: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("prometheus: %w", err)
	}
	s := &prometheusServer{
		metrics:  m,
		observer: vmobserver.New(m),
		addr:     ln.Addr(),
		served:   make(chan error, 1),
	}
	handler := m.Handler()
	if o.Observe {
		s.page = observer.New(observer.Options{
			Metrics: m, Environments: s.observer.Environments, Actions: o.Actions, Logger: log,
		})
		handler = s.page.Handler(handler)
	}
	s.srv = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.served <- s.srv.Serve(ln) }()
	if o.Observe {
		// Shown without -v: the person who asked for the page needs its address.
		fmt.Fprintf(stderr, "lunatic: observer page at http://%s/\n", s.addr)
		if !isLoopback(s.addr) {
			log.Warn("the observer page is reachable from the network: it shows process names, arguments and paths")
		}
	} else {
		log.Info("serving Prometheus metrics", "url", "http://"+s.addr.String()+"/metrics")
	}
	return s, nil
}

// attach connects the metrics to a runtime that is being built: the runtime observer goes
// into vopts, and the returned metrics are the ones to give hostfuncs.InstantiateAll for
// lunatic::metrics (nil when s is nil).
func (s *prometheusServer) attach(vopts *vm.Options) *metrics.Metrics {
	if s == nil {
		return nil
	}
	vopts.Observer = s.observer
	return s.metrics
}

// watchLimits makes scrapes report rt's runtime-wide limits.
func (s *prometheusServer) watchLimits(rt *vm.Runtime) {
	if s == nil {
		return
	}
	s.metrics.SetLimits(func() metrics.Limits {
		l := rt.Limits()
		return metrics.Limits{MaxProcesses: l.MaxProcesses, Processes: l.Processes, MaxTotalMemory: l.MaxTotalMemory, MemoryUsed: l.MemoryUsed}
	})
}

// stop closes the listener and every open connection.
func (s *prometheusServer) stop() error {
	if s == nil {
		return nil
	}
	err := s.srv.Close()
	if s.page != nil {
		s.page.Close()
	}
	if e := <-s.served; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("prometheus: %w", err)
	}
	return nil
}

// isLoopback reports whether a listener address is on a loopback interface only.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
