package vm

import (
	"context"
	"errors"
	"testing"
)

type ctxKey struct{}

// pending counts the functions registered with b.
func (b *baseContext) pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for e := b.head.next; e != &b.head; e = e.next {
		n++
	}
	return n
}

func TestBaseContextCancelsChildren(t *testing.T) {
	b, cancel := newBaseContext(context.WithValue(context.Background(), ctxKey{}, "v"))
	var children []context.Context
	for range 3 {
		c, stop := context.WithCancelCause(b)
		defer stop(nil)
		children = append(children, c)
	}
	if n := b.pending(); n != 3 {
		t.Fatalf("%d functions registered for 3 children, want 3 (the context package did not use AfterFunc)", n)
	}
	if v := children[0].Value(ctxKey{}); v != "v" {
		t.Fatalf("child value %v, want the parent's", v)
	}
	if b.Err() != nil {
		t.Fatalf("Err before cancel: %v", b.Err())
	}
	cancel()
	for i, c := range children {
		<-c.Done()
		if !errors.Is(context.Cause(c), context.Canceled) {
			t.Errorf("child %d: cause %v, want context.Canceled", i, context.Cause(c))
		}
	}
	if !errors.Is(b.Err(), context.Canceled) || b.pending() != 0 {
		t.Fatalf("after cancel: Err %v, %d pending", b.Err(), b.pending())
	}
	cancel() // a second cancel does nothing
	late, stopLate := context.WithCancelCause(b)
	defer stopLate(nil)
	<-late.Done()
}

func TestBaseContextForgetsCancelledChildren(t *testing.T) {
	b, cancel := newBaseContext(context.Background())
	defer cancel()
	var cancels []context.CancelCauseFunc
	for range 100 {
		_, c := context.WithCancelCause(b)
		cancels = append(cancels, c)
	}
	boom := errors.New("boom")
	for i, c := range cancels {
		if i%2 == 0 {
			c(boom)
		}
	}
	if n := b.pending(); n != 50 {
		t.Fatalf("%d pending after cancelling half of 100 children, want 50", n)
	}
	for _, c := range cancels {
		c(nil)
	}
	if n := b.pending(); n != 0 {
		t.Fatalf("%d pending after cancelling every child, want 0", n)
	}
	if b.Err() != nil {
		t.Fatalf("children's cancel ended the base: %v", b.Err())
	}
}

func TestBaseContextAfterFuncWhenCancelled(t *testing.T) {
	b, cancel := newBaseContext(context.Background())
	cancel()
	ran := make(chan struct{})
	stop := b.AfterFunc(func() { close(ran) })
	<-ran
	if stop() {
		t.Fatal("stop reported withdrawing a function that ran")
	}
}

// BenchmarkProcessContext: deriving a process context and cancelling it, from the base
// context and from a context.WithCancel (what the runtime used before), with 10,000
// other children registered.
func BenchmarkProcessContext(b *testing.B) {
	for _, c := range []struct {
		name string
		base func() (context.Context, context.CancelFunc)
	}{
		{"base", func() (context.Context, context.CancelFunc) { return newBaseContext(context.Background()) }},
		{"cancelctx", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			base, stop := c.base()
			defer stop()
			for range 10_000 {
				_, cancel := context.WithCancelCause(base)
				defer cancel(nil)
			}
			b.ReportAllocs()
			for b.Loop() {
				_, cancel := context.WithCancelCause(base)
				cancel(nil)
			}
		})
	}
}
