package networkingapi_test

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// TestUDPEcho: a guest UDP echo server answers a Go client datagram by datagram.
func TestUDPEcho(t *testing.T) {
	before := socketFDs(t)
	g := start(t, nettestWasm, nil, "udp_echo")
	addr, err := net.ResolveUDPAddr("udp", g.line("listening on "))
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialUDP("udp", nil, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 2048)
	for i := 0; i < 20; i++ {
		msg := []byte(fmt.Sprintf("datagram %d %s", i, strings.Repeat("x", i*50)))
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("datagram %d: %v", i, err)
		}
		if string(buf[:n]) != string(msg) {
			t.Fatalf("datagram %d: got %q", i, buf[:n])
		}
	}
	if _, err := c.Write([]byte("quit")); err != nil {
		t.Fatal(err)
	}
	if err := g.wait(); err != nil {
		t.Fatalf("guest failed: %v\nstderr:\n%s", err, g.stderr.String())
	}
	c.Close()
	g.noLeak(before)
}

// TestUDPInGuest: connect/send/receive/peer_addr between two guest sockets, broadcast and
// TTL options, and a socket moved to another process in a message.
func TestUDPInGuest(t *testing.T) {
	before := socketFDs(t)
	g := start(t, nettestWasm, nil, "udp_local")
	if err := g.wait(); err != nil {
		t.Fatalf("guest failed: %v\nstdout:\n%s\nstderr:\n%s", err, g.stdout(), g.stderr.String())
	}
	for _, want := range []string{"ok udp connect send recv", "ok udp options", "ok udp moved"} {
		if !strings.Contains(g.stdout(), want) {
			t.Errorf("missing %q in:\n%s", want, g.stdout())
		}
	}
	g.noLeak(before)
}

// TestDNSLocalhost resolves localhost (and literals) through the iterator.
func TestDNSLocalhost(t *testing.T) {
	g := start(t, nettestWasm, nil, "dns")
	if err := g.wait(); err != nil {
		t.Fatalf("guest failed: %v\nstdout:\n%s\nstderr:\n%s", err, g.stdout(), g.stderr.String())
	}
	out := g.stdout()
	if !strings.Contains(out, "localhost 127.0.0.1:80") && !strings.Contains(out, "localhost [::1]:80") {
		t.Errorf("localhost did not resolve to a loopback address:\n%s", out)
	}
	if !strings.Contains(out, "ok no port: resolve \"localhost\": address localhost: missing port in address") {
		t.Errorf("missing the no-port error text:\n%s", out)
	}
	if !strings.Contains(out, "ok dns") {
		t.Errorf("stdout:\n%s", out)
	}
}
