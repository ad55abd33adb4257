package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"
)

// httpLoad is the load BenchmarkHTTP puts on a server: conns keep-alive connections, each
// sending one GET at a time and waiting for the whole response, for warmup plus
// duration; only requests that complete within duration after the warm-up count.
type httpLoad struct {
	conns            int
	warmup, duration time.Duration
}

// httpResult is what a load run measured.
type httpResult struct {
	requests int           // completed within the measured window
	rate     float64       // requests per second in the window
	p50, p99 time.Duration // latency of the requests in the window
	// cpu is the CPU time the whole test process (server and load generator) used
	// during the window.
	cpu time.Duration
}

// helloRequest is the request every connection sends, as a client would.
var helloRequest = []byte("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: lunatic-bench\r\nAccept: */*\r\n\r\n")

// helloBody is the body a hello-world server must answer with.
const helloBody = "Hello, world!"

// run loads the server at addr. Every response must be a 200 with helloBody; the first
// failure stops the run and is returned.
func (l httpLoad) run(addr string) (httpResult, error) {
	conns := make([]net.Conn, l.conns)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return httpResult{}, fmt.Errorf("dial %s: %w", addr, err)
		}
		defer c.Close()
		conns[i] = c
	}
	start := time.Now()
	from, to := start.Add(l.warmup), start.Add(l.warmup+l.duration)
	cpuFrom, cpuTo := make(chan time.Duration, 1), make(chan time.Duration, 1)
	time.AfterFunc(l.warmup, func() { cpuFrom <- processCPU() })
	time.AfterFunc(l.warmup+l.duration, func() { cpuTo <- processCPU() })
	lat := make([][]time.Duration, len(conns))
	errs := make([]error, len(conns))
	var stop sync.Once
	stopped := make(chan struct{})
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := bufio.NewReaderSize(c, 4096)
			mine := make([]time.Duration, 0, 1<<14)
			for {
				select {
				case <-stopped:
					lat[i] = mine
					return
				default:
				}
				t0 := time.Now()
				if !t0.Before(to) {
					lat[i] = mine
					return
				}
				if _, err := c.Write(helloRequest); err != nil {
					errs[i] = fmt.Errorf("write: %w", err)
					stop.Do(func() { close(stopped) })
					return
				}
				if err := readHello(r); err != nil {
					errs[i] = err
					stop.Do(func() { close(stopped) })
					return
				}
				if t1 := time.Now(); !t0.Before(from) && t1.Before(to) {
					mine = append(mine, t1.Sub(t0))
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return httpResult{}, err
	}
	cpu := <-cpuTo - <-cpuFrom
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return httpResult{}, errors.New("no request completed in the measured window")
	}
	slices.Sort(all)
	return httpResult{
		requests: len(all),
		rate:     float64(len(all)) / l.duration.Seconds(),
		p50:      all[len(all)*50/100],
		p99:      all[min(len(all)*99/100, len(all)-1)],
		cpu:      cpu,
	}, nil
}

// readHello reads one response and checks it is a 200 with helloBody.
func readHello(r *bufio.Reader) error {
	status, err := r.ReadSlice('\n')
	if err != nil {
		return fmt.Errorf("read the status line: %w", err)
	}
	if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
		return fmt.Errorf("status line %q, want HTTP/1.1 200", status)
	}
	length := -1
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return fmt.Errorf("read a header: %w", err)
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && bytes.EqualFold(k, []byte("content-length")) {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(v))); err != nil {
				return fmt.Errorf("content-length %q: %w", v, err)
			}
		}
	}
	if length != len(helloBody) {
		return fmt.Errorf("content-length %d, want %d", length, len(helloBody))
	}
	var body [len(helloBody)]byte
	if _, err := io.ReadFull(r, body[:]); err != nil {
		return fmt.Errorf("read the body: %w", err)
	}
	if string(body[:]) != helloBody {
		return fmt.Errorf("body %q, want %q", body, helloBody)
	}
	return nil
}
