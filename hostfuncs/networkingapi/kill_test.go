package networkingapi_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/lunatic-go/lunatic/permissions"
	"github.com/lunatic-go/lunatic/vm"
)

// killAndWait kills the guest's root process and checks that it ends by that kill.
func killAndWait(t *testing.T, g *guest) {
	t.Helper()
	g.p.Kill(vm.ErrKilled)
	if err := g.wait(); !errors.Is(err, vm.ErrKilled) {
		t.Fatalf("death = %v, want a kill", err)
	}
}

// TestBlockedWriteKilled: writes to a peer that does not read time out (9027) once the
// buffers are full; a process then blocked in a write without timeout dies at once when
// killed, and its socket is closed.
func TestBlockedWriteKilled(t *testing.T) {
	before := socketFDs(t)
	accepted := make(chan net.Conn, 1)
	release := make(chan struct{})
	port, done := serveOne(t, func(c net.Conn) {
		accepted <- c
		<-release
	})
	g := start(t, nettestWasm, nil, "block_write", port)
	c := <-accepted
	g.line("blocked after ")
	killAndWait(t, g)
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Fatalf("the peer should read to EOF after the kill: %v", err)
	}
	close(release)
	<-done
	g.noLeak(before)
}

// TestBlockedUDPReceiveKilled: a process blocked in a UDP receive dies at once when killed.
func TestBlockedUDPReceiveKilled(t *testing.T) {
	before := socketFDs(t)
	g := start(t, nettestWasm, nil, "block_udp")
	g.line("listening on ")
	killAndWait(t, g)
	g.noLeak(before)
}

// TestKillWhileWaitingForSharedStream: two processes read through clones of one stream,
// so one waits for the other's read. Killing the parent — whether it is the one reading
// or the one waiting — must neither delay that kill nor disturb the child's read.
func TestKillWhileWaitingForSharedStream(t *testing.T) {
	for _, order := range []string{"child_first", "parent_first"} {
		t.Run(order, func(t *testing.T) {
			before := socketFDs(t)
			reply := make(chan string, 1)
			accepted := make(chan net.Conn, 1)
			port, done := serveOne(t, func(c net.Conn) {
				accepted <- c
				_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
				b, _ := io.ReadAll(c)
				reply <- string(b)
			})
			g := start(t, nettestWasm, nil, "lock_wait", port, order)
			if order == "parent_first" {
				g.line("child reading")
			} else {
				g.line("parent reading")
			}
			c := <-accepted
			killAndWait(t, g)
			if _, err := c.Write([]byte("x")); err != nil {
				t.Fatal(err)
			}
			if got := <-reply; got != "child got x" {
				t.Fatalf("server got %q, want the child's answer", got)
			}
			<-done
			g.stop()
			g.noLeak(before)
		})
	}
}

// TestIPv6 checks IPv6 socket address encoding when the host has IPv6 loopback; without
// it the guest must report the bind failure as an error, not trap.
func TestIPv6(t *testing.T) {
	l, err := net.Listen("tcp6", "[::1]:0")
	hostV6 := err == nil
	if hostV6 {
		l.Close()
	}
	g := start(t, nettestWasm, nil, "ipv6")
	if err := g.wait(); err != nil {
		t.Fatalf("guest failed: %v\nstdout:\n%s\nstderr:\n%s", err, g.stdout(), g.stderr.String())
	}
	out := g.stdout()
	t.Logf("guest output:\n%s", out)
	if !hostV6 {
		if !strings.Contains(out, "no ipv6: ") {
			t.Fatalf("the host has no IPv6 loopback; the guest should say so:\n%s", out)
		}
		return
	}
	for _, want := range []string{"ok tcp6 [::1]:", "ok udp6", "ok dual stack [::ffff:127.0.0.1]:"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
}

// spawnEntry starts entry of mod as a root process with the given stdin and returns it
// once it has printed "ready"; its further output is discarded.
func spawnEntry(t *testing.T, mod *vm.Module, entry string, stdin io.Reader) (*vm.Environment, *vm.Process) {
	t.Helper()
	outR, outW := io.Pipe()
	nextEnv.Lock()
	nextEnv.id++
	env := runtime(t).NewEnvironment(nextEnv.id)
	nextEnv.Unlock()
	p, err := env.Spawn(context.Background(), vm.SpawnOptions{
		Module: mod, Config: permissions.Root([]string{"guest"}, nil, nil), Entry: entry,
		Stdin: stdin, Stdout: outW, Stderr: io.Discard,
	})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		<-p.Done()
		_ = outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("guest said %q, %v (death: %v)", line, err, p.Death())
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	return env, p
}

// awaitKilled waits for p to end and checks that it ended by a kill.
func awaitKilled(t *testing.T, p *vm.Process) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("the killed process did not end within 30s")
	}
	if !errors.Is(p.Death(), vm.ErrKilled) {
		t.Fatalf("death = %v, want the kill", p.Death())
	}
}

// TestBindInKilledProcess: a process killed while its guest was not in a networking call
// (here: in a stdin read, which a kill does not interrupt) may still make one. A bind
// then succeeds at the OS level before the host notices the kill; the new socket must be
// closed, not leaked, when the call unwinds.
func TestBindInKilledProcess(t *testing.T) {
	mod := module(t, killedWasm)
	for _, entry := range []string{"tcp_bind_when_dead", "udp_bind_when_dead"} {
		t.Run(entry, func(t *testing.T) {
			before := socketFDs(t)
			inR, inW := io.Pipe()
			env, p := spawnEntry(t, mod, entry, inR)
			p.Kill(vm.ErrKilled)
			if _, err := inW.Write([]byte("x")); err != nil {
				t.Fatal(err)
			}
			awaitKilled(t, p)
			procs.waitEmpty(t, env, nil)
			checkNoSocketLeak(t, before)
			if open := procs.openResources(); len(open) > 0 {
				t.Errorf("resources reported open and never closed: %v", open)
			}
		})
	}
}

// TestKillDuringCustomRoots: reading tls_connect's custom roots costs the host time in
// proportion to what the guest describes (here hours); a kill must still end the call.
func TestKillDuringCustomRoots(t *testing.T) {
	_, p := spawnEntry(t, module(t, rootsWasm), "many_roots", bytes.NewReader(nil))
	p.Kill(vm.ErrKilled)
	awaitKilled(t, p)
}
