// Package timerapi implements the lunatic::timer host module: delayed sends of the scratch
// message and their cancellation (docs/abi/timer.md).
package timerapi

import (
	"context"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/lunatic-go/lunatic/hostfuncs/abi"
	"github.com/lunatic-go/lunatic/hostfuncs/internal/hostfunc"
	"github.com/lunatic-go/lunatic/resource"
	"github.com/lunatic-go/lunatic/vm"
)

// ModuleName is the host module name.
const ModuleName = abi.ModuleTimer

// functions lists the host functions in ABI order.
var functions = []hostfunc.Func{
	{Name: "send_after", Params: "process_id i64, delay i64", Results: "i64", Fn: sendAfter},
	{Name: "cancel_timer", Params: "timer_id i64", Results: "i32", Fn: cancelTimer},
}

// Instantiate instantiates the host module into r.
func Instantiate(ctx context.Context, r wazero.Runtime) (api.Closer, error) {
	return hostfunc.Instantiate(ctx, r, ModuleName, functions)
}

// timers is the per-process timer table: id → pending timer. A timer removes its own entry
// when it fires, so the table holds only pending timers and every operation is O(1) in
// their number. (The original purges fired entries on each send_after by scanning the
// table.) It has a lock because a timer fires on its own goroutine. It is deliberately not
// an io.Closer: timers outlive the process that created them, as in the original; the
// runtime stops them when it closes.
type timers struct {
	mu      sync.Mutex
	next    uint64 // ids from 0, never reused
	pending map[uint64]*vm.Timer
}

var timersKey = vm.NewLocalKey[timers]("timers")

func (tab *timers) remove(id uint64) (*vm.Timer, bool) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	t, ok := tab.pending[id]
	if ok {
		delete(tab.pending, id)
	}
	return t, ok
}

// maxDelay bounds a delay so the deadline arithmetic cannot overflow (~292 years).
const maxDelay = time.Duration(1<<63 - 1)

func sendAfter(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	msg := p.TakeScratch()
	if msg == nil {
		vm.Throw(fn, "no message in the scratch area")
	}
	target, delayMs := stack[0], stack[1]
	delay := maxDelay
	if delayMs < uint64(maxDelay/time.Millisecond) {
		delay = time.Duration(delayMs) * time.Millisecond
	}
	tab := timersKey.Get(p)
	env := p.Env()
	rt := env.Runtime()
	// The target is looked up now, not when the timer fires (docs/abi/timer.md). Only whether it
	// exists now matters; ids are never reused, so the delivery looks it up again by id
	// rather than keeping the process alive until the timer fires.
	exists := env.Exists(target)
	tab.mu.Lock()
	defer tab.mu.Unlock()
	id := tab.next
	tab.next++
	if tab.pending == nil {
		tab.pending = make(map[uint64]*vm.Timer)
	}
	rt.ResourceOpened(resource.Timer)
	fire := func() {
		tab.remove(id)
		rt.ResourceClosed(resource.Timer)
		if !exists {
			msg.Release()
			return
		}
		env.Send(target, msg)
	}
	drop := func() {
		// The message will never be delivered: release what travels in it.
		msg.Release()
		rt.ResourceClosed(resource.Timer)
	}
	// The timer cannot fire before it is in the table: its fire function waits for the
	// table's lock, held until the entry is stored.
	tab.pending[id] = rt.AfterFunc(delay, fire, drop)
	stack[0] = id
}

// cancelTimer returns 1 only when the cancellation prevented the delivery: a timer that
// already fired reports 0 (the original could report 1 for it; see RATIONALE.md).
func cancelTimer(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	t, ok := timersKey.Get(p).remove(stack[0])
	stack[0] = hostfunc.Bool(ok && t.Stop())
}
