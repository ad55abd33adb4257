package bench

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHTTPGuest checks the HTTP benchmark guest serves what the benchmark measures:
// keep-alive requests from net/http's client, a 404, pipelined requests, HTTP/1.0 and
// "Connection: close", a malformed request, one access-log line per request; and that the
// load generator of BenchmarkHTTP accepts its answers and Go's alike.
func TestHTTPGuest(t *testing.T) {
	s := startHTTPGuest(t)
	client := &http.Client{Timeout: time.Minute}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := client.Get("http://" + s.addr + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("GET %s: body: %v", path, err)
		}
		return resp.StatusCode, string(body)
	}
	for range 3 {
		if code, body := get("/"); code != 200 || body != helloBody {
			t.Errorf("GET / = %d %q, want 200 %q", code, body, helloBody)
		}
	}
	if code, _ := get("/nope"); code != 404 {
		t.Errorf("GET /nope = %d, want 404", code)
	}
	requests := 4

	// Two pipelined requests in one write, then one with Connection: close.
	c, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, string(helloRequest)+string(helloRequest)+
		"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(c)
	for i := range 2 {
		if err := readHello(r); err != nil {
			t.Fatalf("pipelined response %d: %v", i, err)
		}
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("after Connection: close: %v", err)
	}
	if !strings.HasPrefix(string(rest), "HTTP/1.1 200 OK\r\n") || !strings.Contains(string(rest), "connection: close\r\n") ||
		!strings.HasSuffix(string(rest), "\r\n\r\n"+helloBody) {
		t.Errorf("the response to Connection: close (then the end of stream) = %q", rest)
	}
	requests += 3

	// HTTP/1.0 without keep-alive closes after the response.
	if got := rawExchange(t, s.addr, "GET / HTTP/1.0\r\n\r\n"); !strings.HasSuffix(got, helloBody) {
		t.Errorf("HTTP/1.0 request answered %q", got)
	}
	requests++
	// A malformed request gets a 400 and the connection closes; it is not logged.
	if got := rawExchange(t, s.addr, "NOT HTTP\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 400 ") {
		t.Errorf("malformed request answered %q, want a 400", got)
	}
	s.out.await(t, requests)
	if n := s.logged(); n != requests {
		t.Errorf("%d access-log lines, want one per request: %d; last: %q", n, requests, s.out.recent())
	}
	// A connection's process sends a request's line to the logger after it wrote the
	// response, so the lines come in the order those sends reach the logger, not in the
	// order of the requests: the 404's line, sent by the client's keep-alive connection,
	// can come after the lines of later requests on other connections (it did, once in
	// a fresh-clone CI run under -race).
	ok, notFound := 0, 0
	for _, line := range s.out.recent() {
		switch {
		case strings.HasPrefix(line, "GET / 200 13 "):
			ok++
		case strings.HasPrefix(line, "GET /nope 404 9 "):
			notFound++
		default:
			t.Errorf("access-log line %q, want \"GET / 200 13 MICROSECONDS\" or \"GET /nope 404 9 MICROSECONDS\"", line)
		}
	}
	if ok != requests-1 || notFound != 1 {
		t.Errorf("access log has %d lines for GET / and %d for GET /nope, want %d and 1: %q", ok, notFound, requests-1, s.out.recent())
	}

	load := httpLoad{conns: 4, warmup: 10 * time.Millisecond, duration: 100 * time.Millisecond}
	for name, addr := range map[string]string{"guest": s.addr, "go": goHTTPServer(t)} {
		res, err := load.run(addr)
		if err != nil {
			t.Fatalf("load on %s: %v", name, err)
		}
		if res.requests == 0 || res.p50 <= 0 || res.p99 < res.p50 {
			t.Errorf("load on %s measured %+v", name, res)
		}
	}
}

// rawExchange sends req on a new connection and returns everything read until the server
// closes it.
func rawExchange(t *testing.T, addr, req string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(time.Minute))
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("%q: %v", req, err)
	}
	return string(got)
}
