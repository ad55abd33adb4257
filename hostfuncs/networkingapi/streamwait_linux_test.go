package networkingapi

import (
	"io"
	"net"
	"os"
	"testing"
)

// TestWriteFrom: writeFrom sends what follows the skipped bytes of a list of buffers,
// with one buffer (write) and several (writev), beyond the buffers it describes on the
// stack.
func TestWriteFrom(t *testing.T) {
	var bufs [][]byte
	var all []byte
	for i := range stackIovecs + 3 {
		b := []byte{byte('a' + i), byte('A' + i)}
		bufs = append(bufs, b)
		all = append(all, b...)
	}
	for _, skip := range []int{0, 1, 2, 5, len(all) - 3, len(all) - 1} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		n, err := writeFrom(int(w.Fd()), bufs, skip)
		_ = w.Close()
		got, rerr := io.ReadAll(r)
		_ = r.Close()
		if err != nil || rerr != nil {
			t.Fatalf("skip %d: writeFrom: %v; read: %v", skip, err, rerr)
		}
		if want := all[skip:]; n != len(want) || string(got) != string(want) {
			t.Errorf("skip %d: wrote %d bytes %q, want %q", skip, n, got, want)
		}
	}
}

// rawStream returns the plain stream of one end of a loopback connection (without a
// process: only calls that do not wait may use it) and the other end.
func rawStream(t *testing.T) (*stream, *net.TCPConn) {
	t.Helper()
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan *net.TCPConn, 1)
	go func() {
		c, _ := l.AcceptTCP()
		accepted <- c
	}()
	c, err := net.DialTCP("tcp", nil, l.Addr().(*net.TCPAddr))
	if err != nil {
		t.Fatal(err)
	}
	peer := <-accepted
	if peer == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { _ = c.Close(); _ = peer.Close() })
	s := &stream{tcp: c, rl: newLock(), wl: newLock()}
	s.raw = rawConn(c)
	s.rop, s.wop = newRawOps(s)
	return s, peer
}

// TestRawErrorsAsNet: the raw read and write report end of stream and errors as
// net.TCPConn does, so the error texts guests read are unchanged.
func TestRawErrorsAsNet(t *testing.T) {
	s, peer := rawStream(t)
	if _, err := peer.Write([]byte("hi")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8)
	// readWait must not wait (it has no process): wait for the data with a peek.
	if n, err := peekWait(s.tcp, buf); n != 2 || err != nil {
		t.Fatalf("peek = %d, %v; want 2 bytes", n, err)
	}
	if n, err := s.readWait(nil, buf); n != 2 || err != nil || string(buf[:2]) != "hi" {
		t.Fatalf("read = %d, %v (%q); want 2 bytes", n, err, buf[:n])
	}
	// The peer resets the connection: writes fail, the same way through net.TCPConn
	// and through the raw path, for one buffer (write) and several (writev).
	if err := peer.SetLinger(0); err != nil {
		t.Fatal(err)
	}
	_ = peer.Close()
	b := []byte("x")
	var want error
	for want == nil {
		_, want = s.tcp.Write(b)
	}
	_, want = s.tcp.Write(b) // the error that stays
	if _, got := s.writeWait(nil, [][]byte{b}, 1); got == nil || got.Error() != want.Error() {
		t.Errorf("write: raw error %v, net.TCPConn's %v", got, want)
	}
	bufs := net.Buffers{b, b}
	_, want = bufs.WriteTo(s.tcp)
	if _, got := s.writeWait(nil, [][]byte{b, b}, 2); got == nil || want == nil || got.Error() != want.Error() {
		t.Errorf("writev: raw error %v, net.TCPConn's %v", got, want)
	}
}

// TestRawReadEOF: a read at the end of stream returns 0 bytes and no error.
func TestRawReadEOF(t *testing.T) {
	s, peer := rawStream(t)
	if err := peer.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8)
	// Wait for the FIN without a process: a peek returns 0 once it arrived.
	if n, err := peekWait(s.tcp, buf); n != 0 || err != nil {
		t.Fatalf("peek at end of stream = %d, %v; want 0, nil", n, err)
	}
	if n, err := s.readWait(nil, buf); n != 0 || err != nil {
		t.Fatalf("read at end of stream = %d, %v; want 0, nil", n, err)
	}
}
