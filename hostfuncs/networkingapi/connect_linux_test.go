//go:build linux

package networkingapi_test

import (
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fullListener returns the port of a loopback listener with a backlog of 0 whose accept
// queue is already full, so that Linux drops further SYNs: a connect to it can only time
// out. The returned function closes everything.
func fullListener(t *testing.T) (int, func()) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	port := sa.(*syscall.SockaddrInet4).Port
	filler, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return port, func() { filler.Close(); syscall.Close(fd) }
}

// TestConnectErrors: a refused connection is an error id whose text holds the OS reason;
// a connect that times out returns 9027 with a readable "timed out" error id.
func TestConnectErrors(t *testing.T) {
	before := socketFDs(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, closed, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	full, release := fullListener(t)
	g := start(t, nettestWasm, nil, "connect_errors", closed, strconv.Itoa(full))
	err = g.wait()
	release()
	if err != nil {
		t.Fatalf("guest failed: %v\nstdout:\n%s\nstderr:\n%s", err, g.stdout(), g.stderr.String())
	}
	out := g.stdout()
	t.Logf("guest output:\n%s", out)
	for _, want := range []string{
		"ok refused: tcp_connect: dial tcp4 127.0.0.1:" + closed + ": connect: connection refused",
		"ok connect timeout: tcp_connect 127.0.0.1:" + strconv.Itoa(full) + ": timed out after 200 ms",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	g.noLeak(before)
}
