package networkingapi_test

import (
	"context"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/hostfuncs/hostfuncstest"
	"github.com/lunatic-go/lunatic/scheduler"
)

// benchConns is the number of concurrent client connections in BenchmarkTCPEcho.
const benchConns = 100

// BenchmarkTCPEcho measures request/response round trips (64 bytes each way) over 100
// loopback connections, against the process-per-connection guest echo server and against
// a plain Go echo server (goroutine per connection) in the same run. The figure to compare
// is req/s.
func BenchmarkTCPEcho(b *testing.B) {
	b.Run("lunatic", func(b *testing.B) {
		g := start(b, echoWasm, nil, "127.0.0.1:0")
		benchEcho(b, g.line("listening on "))
	})
	b.Run("lunatic-fuel", func(b *testing.B) {
		// As `lunatic run` runs it: modules instrumented with the fuel counter.
		rt := newRuntime(b, scheduler.Instrument)
		b.Cleanup(func() { _ = rt.Close(context.Background()) })
		mod := hostfuncstest.Load(b, rt, echoWasm)
		g := startOn(b, rt, mod, nil, "127.0.0.1:0")
		benchEcho(b, g.line("listening on "))
	})
	b.Run("go", func(b *testing.B) {
		benchEcho(b, goEchoServer(b))
	})
}

func goEchoServer(b *testing.B) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 16<<10)
				for {
					n, err := c.Read(buf)
					if err != nil {
						return
					}
					if _, err := c.Write(buf[:n]); err != nil {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

func benchEcho(b *testing.B, addr string) {
	conns := make([]net.Conn, benchConns)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	var left atomic.Int64
	left.Store(int64(b.N))
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	start := time.Now()
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := make([]byte, 64)
			resp := make([]byte, 64)
			for left.Add(-1) >= 0 {
				if _, err := c.Write(req); err != nil {
					failed.Store(err)
					return
				}
				if _, err := io.ReadFull(c, resp); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
}
