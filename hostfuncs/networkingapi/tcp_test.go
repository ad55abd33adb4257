package networkingapi_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/vm"
)

// echoAddr starts the echo-server guest on an ephemeral loopback port.
func echoAddr(t testing.TB) (*guest, string) {
	g := start(t, echoWasm, nil, "127.0.0.1:0")
	return g, g.line("listening on ")
}

// TestTCPEchoServer drives the process-per-connection echo server with 100 concurrent
// clients, each checking that exactly its own bytes come back; afterwards every socket
// descriptor must be released.
func TestTCPEchoServer(t *testing.T) {
	before := socketFDs(t)
	g, addr := echoAddr(t)
	const clients = 100
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- echoClient(addr, i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	g.stop()
	if d := g.p.Death(); !errors.Is(d, vm.ErrKilled) {
		t.Errorf("the server should end by the kill, got %v", d)
	}
	g.noLeak(before)
}

// echoClient sends a few messages of its own (different sizes, up to 64 KiB) and checks
// each echo.
func echoClient(addr string, id int) error {
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return fmt.Errorf("client %d: %w", id, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	r := rand.New(rand.NewPCG(uint64(id), 7))
	for round := 0; round < 3; round++ {
		msg := []byte(fmt.Sprintf("client %d round %d:", id, round))
		extra := make([]byte, r.IntN(64<<10))
		for i := range extra {
			extra[i] = byte(r.Uint32())
		}
		msg = append(msg, extra...)
		go func() { _, _ = c.Write(msg) }()
		got := make([]byte, len(msg))
		if _, err := io.ReadFull(c, got); err != nil {
			return fmt.Errorf("client %d round %d: %w", id, round, err)
		}
		if !bytes.Equal(got, msg) {
			return fmt.Errorf("client %d round %d: echo differs", id, round)
		}
	}
	return nil
}

// TestHandoff: one process accepts and passes each stream to a worker in a message.
func TestHandoff(t *testing.T) {
	before := socketFDs(t)
	g := start(t, nettestWasm, nil, "handoff")
	addr := g.line("listening on ")
	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		msg := fmt.Sprintf("hello %d", i)
		if _, err := c.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		got, err := io.ReadAll(c)
		if err != nil {
			t.Fatal(err)
		}
		// The worker dropped the stream after answering: the connection is closed.
		if want := "worker: " + msg; string(got) != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		c.Close()
	}
	g.stop()
	g.noLeak(before)
}

// serveOne accepts one connection on a fresh loopback listener and hands it to serve.
func serveOne(t *testing.T, serve func(c net.Conn)) (port string, done chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done = make(chan struct{})
	go func() {
		defer close(done)
		defer l.Close()
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		serve(c)
	}()
	_, port, _ = net.SplitHostPort(l.Addr().String())
	return port, done
}

// TestStreamTimeoutsAndPeek: read timeouts (9027), zero timeouts, non-consuming peek, EOF.
func TestStreamTimeoutsAndPeek(t *testing.T) {
	before := socketFDs(t)
	port, done := serveOne(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch strings.TrimSpace(line) {
			case "send peek":
				_, _ = c.Write([]byte("peekdata"))
			case "send zero":
				_, _ = c.Write([]byte("zero"))
			case "bye":
				return
			}
		}
	})
	g := start(t, nettestWasm, nil, "timeouts", port)
	if err := g.wait(); err != nil {
		t.Fatalf("guest failed: %v\nstdout:\n%s\nstderr:\n%s", err, g.stdout(), g.stderr.String())
	}
	<-done
	for _, want := range []string{"ok read timeout", "ok peek", "ok zero timeout with data", "ok eof"} {
		if !strings.Contains(g.stdout(), want) {
			t.Errorf("missing %q in:\n%s", want, g.stdout())
		}
	}
	g.noLeak(before)
}

// TestCloneAndMove: clones share timeouts; a clone moved to a child keeps them; the
// socket closes only when the last handle (in any process) is gone.
func TestCloneAndMove(t *testing.T) {
	before := socketFDs(t)
	got := make(chan string, 1)
	port, done := serveOne(t, func(c net.Conn) {
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
		b, _ := io.ReadAll(c)
		got <- string(b)
	})
	g := start(t, nettestWasm, nil, "clone_move", port)
	if err := g.wait(); err != nil {
		t.Fatalf("guest failed: %v\nstderr:\n%s", err, g.stderr.String())
	}
	<-done
	if s := <-got; s != "from child\nfrom parent\n" {
		t.Fatalf("server read %q", s)
	}
	g.noLeak(before)
}

// TestBlockedReadKilled: a process blocked in a read dies at once when killed, and its
// socket is closed (the peer sees EOF).
func TestBlockedReadKilled(t *testing.T) {
	before := socketFDs(t)
	peerEOF := make(chan error, 1)
	accepted := make(chan struct{})
	port, done := serveOne(t, func(c net.Conn) {
		close(accepted)
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, err := c.Read(make([]byte, 1))
		peerEOF <- err
	})
	g := start(t, nettestWasm, nil, "block_read", port)
	g.line("reading")
	<-accepted
	g.p.Kill(vm.ErrKilled)
	if err := g.wait(); !errors.Is(err, vm.ErrKilled) {
		t.Fatalf("death = %v, want a kill", err)
	}
	if err := <-peerEOF; !errors.Is(err, io.EOF) {
		t.Fatalf("peer read after the kill: %v, want EOF", err)
	}
	<-done
	g.noLeak(before)
}

// TestAcceptKilled: a child blocked in accept is killed after its parent's receive timed
// out; its listener is released.
func TestAcceptKilled(t *testing.T) {
	before := socketFDs(t)
	g := start(t, nettestWasm, nil, "accept_kill")
	if err := g.wait(); err != nil {
		t.Fatalf("guest failed: %v\nstderr:\n%s", err, g.stderr.String())
	}
	if !strings.Contains(g.stdout(), "ok accept killed") {
		t.Fatalf("stdout:\n%s", g.stdout())
	}
	g.noLeak(before)
}
