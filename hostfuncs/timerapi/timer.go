// Package timerapi implements the lunatic::timer host module: delayed sends of the scratch
// message and their cancellation (../shared/abi/timer.md).
package timerapi

import (
	"context"
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

// timer is one pending delayed send.
type timer struct {
	t   *time.Timer
	at  time.Time
	msg *vm.Message // released by a cancel that stops the delivery
}

// timers is the per-process timer table. It is deliberately not an io.Closer: timers
// outlive the process that created them, as in the original.
type timers struct {
	vm.Table[timer]
}

var timersKey = vm.NewLocalKey[timers]("timers")

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
	now := time.Now()
	// Purge fired entries so the table stays small.
	var fired []uint64
	tab.Each(func(id uint64, tm timer) {
		if !tm.at.After(now) {
			fired = append(fired, id)
		}
	})
	for _, id := range fired {
		tab.Remove(id)
	}
	// The target is looked up now, not when the timer fires (timer.md).
	env := p.Env()
	rt := env.Runtime()
	// Only whether the target exists now matters; ids are never reused, so the delivery
	// looks it up again by id rather than keeping the process alive until the timer fires.
	exists := env.Exists(target)
	rt.ResourceOpened(resource.Timer)
	tm := time.AfterFunc(delay, func() {
		rt.ResourceClosed(resource.Timer)
		if !exists {
			msg.Release()
			return
		}
		env.Send(target, msg)
	})
	stack[0] = tab.Add(timer{t: tm, at: now.Add(delay), msg: msg})
}

// cancelTimer returns 1 only when the cancellation prevented the delivery: a timer that
// already fired reports 0 (the original could report 1 for it; see RATIONALE.md).
func cancelTimer(ctx context.Context, fn string, _ api.Module, stack []uint64) {
	p := hostfunc.Caller(ctx, fn)
	tm, ok := timersKey.Get(p).Remove(stack[0])
	if !ok {
		stack[0] = 0
		return
	}
	stopped := tm.t.Stop()
	if stopped {
		// The message will never be delivered: release what travels in it.
		tm.msg.Release()
		p.Env().Runtime().ResourceClosed(resource.Timer)
	}
	stack[0] = hostfunc.Bool(stopped)
}
