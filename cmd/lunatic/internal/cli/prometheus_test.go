package cli

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/lunatic-go/lunatic/hostfuncs"
	"github.com/lunatic-go/lunatic/metrics/metricstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// promGuest is the metrics test guest of hostfuncs/metricsapi (see its guest.wat).
const promGuest = "../../../../hostfuncs/metricsapi/testdata/guest.wasm"

func TestPrometheusFlags(t *testing.T) {
	tests := []struct {
		args    string
		want    PrometheusOptions
		wantErr string
	}{
		{args: "", want: PrometheusOptions{}},
		{args: "--prometheus", want: PrometheusOptions{Enabled: true}},
		{args: "--prometheus --prometheus-addr 127.0.0.1:0", want: PrometheusOptions{Enabled: true, Addr: "127.0.0.1:0"}},
		{args: "--prometheus-addr 0.0.0.0:9100", want: PrometheusOptions{Enabled: true, Addr: "0.0.0.0:9100"}},
		{args: "--prometheus-addr [::1]:9927", want: PrometheusOptions{Enabled: true, Addr: "[::1]:9927"}},
		{args: "--prometheus-addr :9927", want: PrometheusOptions{Enabled: true, Addr: ":9927"}},
		{args: "--prometheus-addr 9927", wantErr: "want HOST:PORT"},
		{args: "--prometheus-addr localhost:http", wantErr: `port "http" is not a number`},
		{args: "--prometheus-addr localhost:65536", wantErr: `port "65536" is not a number`},
		{args: "--observe", want: PrometheusOptions{Enabled: true, Addr: defaultPrometheusAddr, Observe: true}},
		{args: "--observe=127.0.0.1:0", want: PrometheusOptions{Enabled: true, Addr: "127.0.0.1:0", Observe: true}},
		{args: "--prometheus-addr 127.0.0.1:5 --observe", want: PrometheusOptions{Enabled: true, Addr: "127.0.0.1:5", Observe: true}},
		{args: "--observe=127.0.0.1:6 --prometheus-addr 127.0.0.1:5", want: PrometheusOptions{Enabled: true, Addr: "127.0.0.1:5", Observe: true}},
		{args: "--prometheus --observe=[::1]:7", want: PrometheusOptions{Enabled: true, Addr: "[::1]:7", Observe: true}},
		{args: "--observe-actions", want: PrometheusOptions{Enabled: true, Observe: true, Actions: true}},
		{args: "--observe --observe-actions=false", want: PrometheusOptions{Enabled: true, Addr: defaultPrometheusAddr, Observe: true}},
		{args: "--observe=9927", wantErr: "want HOST:PORT"},
		{args: "--observe-actions=maybe", wantErr: "want true or false"},
	}
	for _, tc := range tests {
		t.Run(tc.args, func(t *testing.T) {
			var got PrometheusOptions
			fl := pflag.NewFlagSet("run", pflag.ContinueOnError)
			fl.SetOutput(&strings.Builder{})
			addPrometheusFlags(fl, &got)
			err := fl.Parse(strings.Fields(tc.args))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "options", got, tc.want)
		})
	}
}

// TestPrometheusFlagsUsageError checks that a bad address is a usage error of `lunatic
// run` (exit 2), and that the flags reach launch.
func TestPrometheusFlagsUsageError(t *testing.T) {
	f, _, _ := testFactory(&fakeRun{}, nil)
	cmd := newCmdRoot(f)
	cmd.SetArgs([]string{"run", "--prometheus-addr", "nope", "app.wasm"})
	err := cmd.Execute()
	if code := exitCode(err); code != exitUsage || !strings.Contains(err.Error(), "want HOST:PORT") {
		t.Fatalf("err = %v (exit %d), want a usage error", err, code)
	}
	fr := &fakeRun{}
	f, _, _ = testFactory(fr, nil)
	if code := mainWith(t.Context(), []string{"run", "--prometheus-addr", "127.0.0.1:1234", "app.wasm"}, f); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if want := (PrometheusOptions{Enabled: true, Addr: "127.0.0.1:1234"}); fr.opts.Prometheus != want {
		t.Fatalf("launch got %+v, want %+v", fr.opts.Prometheus, want)
	}
}

func TestPrometheusOff(t *testing.T) {
	s, err := startPrometheus(PrometheusOptions{Addr: "127.0.0.1:0"}, discardLogger(), io.Discard)
	if s != nil || err != nil {
		t.Fatalf("startPrometheus without --prometheus = %v, %v", s, err)
	}
	var vopts vm.Options
	if got := s.attach(&vopts); got != nil || vopts.Observer != nil {
		t.Error("attach of a disabled server changed the runtime")
	}
	if err := s.stop(); err != nil {
		t.Error(err)
	}
}

// TestPrometheusServesRun wires the server into a runtime the way launch does, runs the
// "work" guest and reads /metrics and /processes over the real listener.
func TestPrometheusServesRun(t *testing.T) {
	s, err := startPrometheus(PrometheusOptions{Enabled: true, Addr: "127.0.0.1:0"}, discardLogger(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + s.addr.String()
	ctx := context.Background()
	vopts := vm.Options{Instrument: instrument}
	guestMetrics := s.attach(&vopts)
	if vopts.Observer == nil {
		t.Fatal("attach did not set the runtime observer")
	}
	rt, err := vm.New(ctx, vopts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close(ctx) })
	if err := hostfuncs.InstantiateAll(ctx, rt.Wazero(), hostfuncs.WithMetrics(guestMetrics)); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile(promGuest)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, "guest.wasm", wasm)
	if err != nil {
		t.Fatal(err)
	}
	p, err := rt.NewEnvironment(1).Spawn(ctx, vm.SpawnOptions{
		Module: mod, Config: permissions.Root([]string{"guest"}, nil, nil), Entry: "work",
		Stdin: strings.NewReader(""), Stdout: &strings.Builder{}, Stderr: &strings.Builder{},
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
	case <-time.After(time.Minute):
		t.Fatal("work did not end within a minute")
	}
	if p.Death() != nil {
		t.Fatalf("work: %v", p.Death())
	}

	fam := metricstest.Scrape(t, base+"/metrics")
	// Everything the root did before it ended is recorded by then.
	for name, want := range map[string]float64{
		"lunatic_processes_spawned_total": 11,
		"requests":                        6,
		"temp_celsius":                    22.25,
	} {
		if got := fam.Value(t, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if !fam.Has("go_goroutines") {
		t.Error("the Go runtime collectors are missing")
	}
	resp, err := http.Get(base + "/processes")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	err = json.NewDecoder(resp.Body).Decode(&rows)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || rows == nil {
		t.Fatalf("/processes: %d %v %v", resp.StatusCode, rows, err)
	}

	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(base + "/metrics"); err == nil {
		t.Error("still serving after stop")
	}
}

func TestPrometheusAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s, err := startPrometheus(PrometheusOptions{Enabled: true, Addr: ln.Addr().String()}, discardLogger(), io.Discard)
	if err == nil {
		_ = s.stop()
		t.Fatal("started on a busy address")
	}
	if !strings.Contains(err.Error(), "prometheus: listen tcp "+ln.Addr().String()) {
		t.Errorf("err = %v", err)
	}
}

func TestPrometheusDefaultIsLoopback(t *testing.T) {
	host, port, err := net.SplitHostPort(defaultPrometheusAddr)
	if err != nil || !net.ParseIP(host).IsLoopback() || port != "9927" {
		t.Errorf("default address %q: want loopback port 9927", defaultPrometheusAddr)
	}
}

// TestObserveServesPageBesideMetrics: with --observe the one listener serves the page at
// "/", its API, /metrics and /processes, and the address is printed on stderr.
func TestObserveServesPageBesideMetrics(t *testing.T) {
	var stderr strings.Builder
	s, err := startPrometheus(PrometheusOptions{Enabled: true, Observe: true, Addr: "127.0.0.1:0"}, discardLogger(), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + s.addr.String()
	if want := "lunatic: observer page at " + base + "/\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	for path, want := range map[string]string{
		"/":          "<title>lunatic observer</title>",
		"/api/info":  `"actions":false`,
		"/metrics":   "lunatic_processes_alive 0",
		"/processes": "[]",
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %s, body lacks %q:\n%.300s", path, resp.Status, want, b)
		}
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}

	// Without --observe, "/" stays the plain index of --prometheus.
	s, err = startPrometheus(PrometheusOptions{Enabled: true, Addr: "127.0.0.1:0"}, discardLogger(), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer s.stop()
	resp, err := http.Get("http://" + s.addr.String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "<html") || !strings.Contains(string(b), "/metrics") {
		t.Errorf("--prometheus alone serves at /:\n%s", b)
	}
}
