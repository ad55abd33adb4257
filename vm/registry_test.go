package vm

import (
	"context"
	"errors"
	"testing"
	"time"
)

// await fails the test if ch does not deliver within a generous guard.
func await[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// TestRegistryCreateRunsUnlocked: the registry is usable from inside create (the child's
// start section runs there), and the name is not visible until create returns.
func TestRegistryCreateRunsUnlocked(t *testing.T) {
	r := newRegistry()
	r.Put("other", RegEntry{Process: 1})
	e, found, err := r.GetOrCreate(context.Background(), "svc", func() (RegEntry, bool) {
		if _, ok := r.Get("svc"); ok {
			t.Error("the name is visible before create returned")
		}
		if e, ok := r.Get("other"); !ok || e.Process != 1 {
			t.Errorf("Get(other) inside create = %v, %v", e, ok)
		}
		r.Put("side", RegEntry{Process: 2})
		return RegEntry{Node: 3, Process: 7}, true
	})
	if err != nil || found || e != (RegEntry{Node: 3, Process: 7}) {
		t.Fatalf("GetOrCreate = %v, %v, %v", e, found, err)
	}
	if e, ok := r.Get("svc"); !ok || e.Process != 7 {
		t.Fatalf("Get(svc) after create = %v, %v", e, ok)
	}
	if _, ok := r.Get("side"); !ok {
		t.Fatal("a Put made inside create was lost")
	}
}

// TestRegistrySecondCreatorWaits: a second GetOrCreate of a reserved name waits for the
// first and then finds its entry; create runs once.
func TestRegistrySecondCreatorWaits(t *testing.T) {
	r := newRegistry()
	inCreate, release := make(chan struct{}), make(chan struct{})
	first := make(chan RegEntry)
	go func() {
		e, _, _ := r.GetOrCreate(context.Background(), "svc", func() (RegEntry, bool) {
			close(inCreate)
			<-release
			return RegEntry{Process: 5}, true
		})
		first <- e
	}()
	<-inCreate
	type result struct {
		e     RegEntry
		found bool
	}
	second := make(chan result)
	go func() {
		e, found, err := r.GetOrCreate(context.Background(), "svc", func() (RegEntry, bool) {
			t.Error("the second caller created the entry too")
			return RegEntry{}, false
		})
		if err != nil {
			t.Error(err)
		}
		second <- result{e, found}
	}()
	select {
	case <-second:
		t.Fatal("the second caller did not wait for the reservation")
	default:
	}
	close(release)
	if e := await(t, first, "the first caller"); e.Process != 5 {
		t.Fatalf("first caller got %v", e)
	}
	if got := await(t, second, "the second caller"); !got.found || got.e.Process != 5 {
		t.Fatalf("second caller got %+v, want the first caller's entry", got)
	}
}

// TestRegistryWaitEndsWithContext: a caller waiting for a reserved name gives up when its
// context ends (a kill), with the context's cause.
func TestRegistryWaitEndsWithContext(t *testing.T) {
	r := newRegistry()
	inCreate, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	go r.GetOrCreate(context.Background(), "svc", func() (RegEntry, bool) {
		close(inCreate)
		<-release
		return RegEntry{}, false
	})
	<-inCreate
	ctx, cancel := context.WithCancelCause(context.Background())
	errc := make(chan error)
	go func() {
		_, _, err := r.GetOrCreate(ctx, "svc", func() (RegEntry, bool) { return RegEntry{}, false })
		errc <- err
	}()
	cancel(ErrKilled)
	if err := await(t, errc, "the waiting caller"); !errors.Is(err, ErrKilled) {
		t.Fatalf("err = %v, want the kill", err)
	}
}

// TestRegistryPanicReleasesReservation: a create that unwinds (a trap, a kill) ends the
// reservation without registering anything, so the next caller creates.
func TestRegistryPanicReleasesReservation(t *testing.T) {
	r := newRegistry()
	func() {
		defer func() { _ = recover() }()
		r.GetOrCreate(context.Background(), "svc", func() (RegEntry, bool) { panic(ErrKilled) })
	}()
	if _, ok := r.Get("svc"); ok {
		t.Fatal("an unwound create registered the name")
	}
	done := make(chan RegEntry)
	go func() {
		e, _, _ := r.GetOrCreate(context.Background(), "svc", func() (RegEntry, bool) { return RegEntry{Process: 9}, true })
		done <- e
	}()
	if e := await(t, done, "the next caller"); e.Process != 9 {
		t.Fatalf("next caller got %v", e)
	}
}

// TestRegistryFailedCreateRegistersNothing: create reporting failure leaves the name free.
func TestRegistryFailedCreateRegistersNothing(t *testing.T) {
	r := newRegistry()
	r.GetOrCreate(context.Background(), "svc", func() (RegEntry, bool) { return RegEntry{Process: 4}, false })
	if _, ok := r.Get("svc"); ok {
		t.Fatal("a failed create registered the name")
	}
}

// TestRegistryWritesDuringCreateWin: a Put or Remove of the name while it is being
// created comes after the creation: the created entry does not overwrite it.
func TestRegistryWritesDuringCreateWin(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(r *Registry)
		want  RegEntry
		found bool
	}{
		{"put", func(r *Registry) { r.Put("svc", RegEntry{Process: 8}) }, RegEntry{Process: 8}, true},
		{"remove", func(r *Registry) { r.Remove("svc") }, RegEntry{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRegistry()
			r.GetOrCreate(context.Background(), "svc", func() (RegEntry, bool) {
				tc.write(r)
				return RegEntry{Process: 1}, true
			})
			e, ok := r.Get("svc")
			if ok != tc.found || e != tc.want {
				t.Fatalf("Get = %v, %v; want %v, %v", e, ok, tc.want, tc.found)
			}
		})
	}
}
