package bench

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// httpGuest is the HTTP hello-world server guest (Rust, release; testdata/rusthttp).
const httpGuest = "testdata/httpguest.wasm"

// BenchmarkHTTP serves "Hello, world!" over HTTP/1.1 from the guest server shaped like
// the lunatic web framework (a process per connection, a process per request, a logger
// process) and from a Go net/http hello-world, in the same run, under the same load: 50
// keep-alive connections on loopback, each with one request in flight, for
// BENCH_HTTP_SECONDS (default 3) after a 0.5 s warm-up. It ignores b.N (run it with
// -benchtime 1x) and reports req/s and the p50 and p99 latencies (p50-ns, p99-ns), and
// cpu-ns/req: the CPU time of the whole test process (server and load generator) per
// request, which says more than req/s when other programs share the cores.
func BenchmarkHTTP(b *testing.B) {
	load := httpLoad{conns: 50, warmup: 500 * time.Millisecond, duration: 3 * time.Second}
	if s := os.Getenv("BENCH_HTTP_SECONDS"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v <= 0 {
			b.Fatalf("BENCH_HTTP_SECONDS=%q: want a positive number of seconds", s)
		}
		load.duration = time.Duration(v * float64(time.Second))
	}
	b.Run("lunatic", func(b *testing.B) {
		s := startHTTPGuest(b)
		benchHTTP(b, load, s.addr)
		// The access log must be running (the lines lag behind the responses).
		if n := s.logged(); n == 0 {
			b.Errorf("the logger printed no access-log line")
		}
	})
	b.Run("go", func(b *testing.B) {
		benchHTTP(b, load, goHTTPServer(b))
	})
}

func benchHTTP(b *testing.B, load httpLoad, addr string) {
	b.ResetTimer()
	res, err := load.run(addr)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(res.rate, "req/s")
	b.ReportMetric(float64(res.p50.Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(res.p99.Nanoseconds()), "p99-ns")
	if res.cpu > 0 {
		b.ReportMetric(float64(res.cpu.Nanoseconds())/float64(res.requests), "cpu-ns/req")
	}
}

// goHTTPServer starts the baseline: net/http with a handler writing helloBody.
func goHTTPServer(tb testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(helloBody))
	})}
	go func() { _ = srv.Serve(l) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return l.Addr().String()
}

// httpServer is the guest server running as a root process.
type httpServer struct {
	addr string
	p    *vm.Process
	out  *logLines
}

// logged is how many access-log lines the guest printed so far.
func (s *httpServer) logged() int { return s.out.count() }

// startHTTPGuest runs the guest server on a free loopback port (its own runtime, with
// fuel metering as `lunatic run` has) and waits for its "listening on" line.
func startHTTPGuest(tb testing.TB) *httpServer {
	tb.Helper()
	rt := hostfuncstest.New(tb)
	mod := hostfuncstest.Load(tb, rt, httpGuest)
	// The first line is awaited on this local copy of the channel: Write clears the field
	// (under its lock) once it has sent, which may happen before the select below runs.
	first := make(chan string, 1)
	out := &logLines{first: first, changed: make(chan struct{}, 1)}
	p, err := rt.NewEnvironment(1).Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: permissions.Root([]string{"httpguest", "127.0.0.1:0"}, nil, nil),
		Entry: "_start", Stdin: bytes.NewReader(nil), Stdout: out, Stderr: os.Stderr,
	})
	if err != nil {
		tb.Fatalf("spawn the HTTP guest: %v", err)
	}
	tb.Cleanup(func() {
		p.Kill(vm.ErrKilled)
		<-p.Done()
	})
	select {
	case line := <-first:
		addr, ok := strings.CutPrefix(line, "listening on ")
		if !ok {
			tb.Fatalf("the HTTP guest printed %q first, want \"listening on ADDR\"", line)
		}
		return &httpServer{addr: addr, p: p, out: out}
	case <-p.Done():
		tb.Fatalf("the HTTP guest ended before listening: %v", p.Death())
	case <-time.After(time.Minute):
		tb.Fatal("the HTTP guest did not print its address within a minute")
	}
	return nil
}

// logLines is the guest's stdout: the first line goes to first, the rest are counted
// (and the last few kept) as access-log lines.
type logLines struct {
	mu      sync.Mutex
	partial []byte
	lines   int
	last    []string
	first   chan string
	changed chan struct{} // gets a token when lines were added
}

func (o *logLines) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.partial = append(o.partial, p...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			break
		}
		line := string(o.partial[:i])
		o.partial = o.partial[i+1:]
		if o.first != nil {
			o.first <- line
			o.first = nil
			continue
		}
		o.lines++
		o.last = append(o.last, line)
		if len(o.last) > 16 {
			o.last = o.last[1:]
		}
		select {
		case o.changed <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

func (o *logLines) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.lines
}

// await waits until at least n access-log lines were printed, or fails after a minute.
func (o *logLines) await(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.After(time.Minute)
	for o.count() < n {
		select {
		case <-o.changed:
		case <-deadline:
			tb.Fatalf("%d access-log lines after a minute, want %d; last: %q", o.count(), n, o.recent())
		}
	}
}

// recent returns the last access-log lines.
func (o *logLines) recent() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.last...)
}
