package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"github.com/lunatic-go/lunatic/hostfuncs/metricsapi"
	"github.com/lunatic-go/lunatic/metrics"
	"github.com/lunatic-go/lunatic/vm"
)

// defaultPrometheusAddr is where --prometheus listens: loopback only, so that exposing
// metrics and the process view to the network is always an explicit choice.
const defaultPrometheusAddr = "127.0.0.1:9927"

// PrometheusOptions are the --prometheus flags of `lunatic run`.
type PrometheusOptions struct {
	Enabled bool
	Addr    string // HOST:PORT; "" means defaultPrometheusAddr
}

// addPrometheusFlags declares --prometheus and --prometheus-addr. The address is checked
// while flags are parsed, so a bad one is a usage error; giving it implies --prometheus.
func addPrometheusFlags(fl *pflag.FlagSet, o *PrometheusOptions) {
	fl.BoolVar(&o.Enabled, "prometheus", false, "serve Prometheus metrics on /metrics and the live process view on /processes")
	fl.Var((*promAddrFlag)(o), "prometheus-addr", "listen on `HOST:PORT` for --prometheus (implies it; default "+defaultPrometheusAddr+")")
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
	observer *metricsapi.Observer
	srv      *http.Server
	addr     net.Addr
	served   chan error
}

// startPrometheus builds the metrics and starts serving them when o.Enabled; it returns
// nil otherwise. The listener is bound before it returns, so a busy address is an error
// here, before any guest code runs.
func startPrometheus(o PrometheusOptions, log *slog.Logger) (*prometheusServer, error) {
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
		observer: metricsapi.NewObserver(m),
		srv:      &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second},
		addr:     ln.Addr(),
		served:   make(chan error, 1),
	}
	go func() { s.served <- s.srv.Serve(ln) }()
	log.Info("serving Prometheus metrics", "url", "http://"+s.addr.String()+"/metrics")
	return s, nil
}

// attach connects the metrics to a runtime that is being built: the runtime observer goes
// into vopts, and the returned context must be the one given to hostfuncs.InstantiateAll
// (it carries the guest metrics to lunatic::metrics).
func (s *prometheusServer) attach(ctx context.Context, vopts *vm.Options) context.Context {
	if s == nil {
		return ctx
	}
	vopts.Observer = s.observer
	return metricsapi.WithMetrics(ctx, s.metrics)
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
	if e := <-s.served; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("prometheus: %w", err)
	}
	return nil
}
