package networkingapi

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
)

type recorder struct{ got []direction }

func (r *recorder) interrupt(d direction) { r.got = append(r.got, d) }

// TestWaker: fire interrupts the armed operation only; after fire, arm refuses.
func TestWaker(t *testing.T) {
	var w waker
	a, b := &recorder{}, &recorder{}
	if !w.arm(a, dirRead) {
		t.Fatal("arm refused on a live process")
	}
	w.disarm()
	if !w.arm(b, dirWrite) {
		t.Fatal("arm refused on a live process")
	}
	w.fire()
	if len(a.got) != 0 || len(b.got) != 1 || b.got[0] != dirWrite {
		t.Fatalf("interrupts: disarmed %v, armed %v", a.got, b.got)
	}
	if w.arm(a, dirRead) {
		t.Fatal("arm accepted after the process died")
	}
	w.fire()
	if len(a.got) != 0 || len(b.got) != 1 {
		t.Fatal("a second fire interrupted again")
	}
}

func TestDeadline(t *testing.T) {
	if !deadline(noTimeout).IsZero() || !deadline(maxTimeout+1).IsZero() {
		t.Fatal("no timeout must mean no deadline")
	}
	d := deadline(1500)
	if until := time.Until(d); until <= time.Second || until > 1500*time.Millisecond {
		t.Fatalf("deadline(1500) is %v away", until)
	}
}

// TestConnectError: only a guest timeout becomes errTimedOut (9027); an OS ETIMEDOUT
// without a guest timeout stays an error with its reason.
func TestConnectError(t *testing.T) {
	limited, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	expired, cancel2 := context.WithTimeout(context.Background(), 0)
	defer cancel2()
	osTimeout := &os.SyscallError{Syscall: "connect", Err: syscall.ETIMEDOUT}
	cases := []struct {
		name    string
		ctx     context.Context
		err     error
		timeout bool
	}{
		{"guest timeout expired", expired, context.DeadlineExceeded, true},
		{"dial deadline before ctx", limited, os.ErrDeadlineExceeded, true},
		{"os timeout, no guest timeout", context.Background(), osTimeout, false},
		{"refused", limited, &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}, false},
	}
	for _, tc := range cases {
		err := connectError("tcp_connect", "127.0.0.1:1", 5, tc.ctx, tc.err)
		if isTimeout(err) != tc.timeout {
			t.Errorf("%s: isTimeout(%v) = %v", tc.name, err, !tc.timeout)
		}
		if !tc.timeout && errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("%s: error still matches a deadline", tc.name)
		}
	}
	if got := fmt.Sprint(connectError("tcp_connect", "a:1", 5, context.Background(), osTimeout)); got != "tcp_connect: connect: connection timed out" {
		t.Errorf("text %q", got)
	}
}
