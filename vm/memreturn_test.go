package vm

import (
	"context"
	"runtime"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/lunatic-go/lunatic/vm/internal/linmem"
)

// TestTrimIdleWorkers: trimIdle ends the idle workers that waited longest, keeps the
// others waiting for work, and does nothing when no more than keep are idle.
func TestTrimIdleWorkers(t *testing.T) {
	stop := make(chan struct{})
	w := newWorkers(stop)
	ended := make(chan *worker, 5)
	var wks []*worker
	w.mu.Lock()
	for range 5 {
		wk := w.newWorkerLocked()
		wks = append(wks, wk)
		w.idle = append(w.idle, wk)
		go func() { w.loop(wk, nil); ended <- wk }()
	}
	w.idleCount.Store(5)
	w.mu.Unlock()

	w.trimIdle(2)
	gone := map[*worker]bool{}
	for range 3 {
		gone[<-ended] = true
	}
	for i, wk := range wks {
		if gone[wk] != (i < 3) {
			t.Fatalf("worker %d (idle since the %d. place) ended: %v", i, i, gone[wk])
		}
	}
	w.mu.Lock()
	idle, all := len(w.idle), len(w.all)
	w.mu.Unlock()
	if idle != 2 || all != 2 || w.idleCount.Load() != 2 {
		t.Fatalf("after trimIdle(2): %d idle, %d alive, idleCount %d; want 2 each", idle, all, w.idleCount.Load())
	}
	w.trimIdle(2)
	close(stop) // the two left end with the runtime
	for range 2 {
		if wk := <-ended; wk != wks[3] && wk != wks[4] {
			t.Fatal("a trimmed worker ended twice")
		}
	}
}

// TestDropRecycledEngines: experimental.DropRecycled lets go of the engine states that
// RecycleModule kept (the next instantiation allocates them anew) and instances built
// after it start fresh.
func TestDropRecycledEngines(t *testing.T) {
	ctx := context.Background()
	pool := linmem.NewPool(linmem.Config{})
	defer pool.Close()
	r := wazero.NewRuntime(ctx)
	defer func() { _ = r.Close(ctx) }()
	code, err := r.CompileModule(ctx, mustRead(t, "testdata/recycle.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	// cycle instantiates the module, checks that it is fresh, dirties it and recycles
	// it; it returns the heap objects the instantiation allocated.
	cycle := func() uint64 {
		t.Helper()
		a := pool.Allocator(1 << 20)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m, err := linmem.Instantiate(ctx, r, code, wazero.NewModuleConfig().WithName(""), a)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := m.ExportedFunction("check").Call(ctx); err != nil || res[0] != 0 {
			t.Fatalf("check = %v, %v; want 0 (a fresh instance)", res, err)
		}
		if _, err := m.ExportedFunction("mutate").Call(ctx); err != nil {
			t.Fatal(err)
		}
		_ = m.Close(ctx)
		experimental.RecycleModule(m)
		a.Release()
		return after.Mallocs - before.Mallocs
	}
	cycle()
	cycle()
	recycled := cycle()
	experimental.DropRecycled(r)
	fresh := cycle()
	if fresh <= recycled {
		t.Fatalf("instantiation after DropRecycled allocated %d objects, with a recycled engine %d: the engine was not dropped", fresh, recycled)
	}
	if again := cycle(); again >= fresh {
		t.Fatalf("instantiation after a recycle allocated %d objects, a fresh one %d: recycling stopped after DropRecycled", again, fresh)
	}
}
