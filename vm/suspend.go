package vm

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero/experimental"
)

// SuspensionDisabled reports whether LUNATIC_SUSPEND=0 is set in the environment: then
// a process blocked in receive keeps its goroutine (the behaviour before suspension),
// for A/B measurements. Options.NoSuspend does the same per runtime.
func SuspensionDisabled() bool { return os.Getenv("LUNATIC_SUSPEND") == "0" }

// ReceiveOrSuspend is Receive for a host function that can return before the receive
// completes. When a message is there (or timeoutMs is 0), it returns the message (nil:
// none) and false, like Receive. When the receive has to wait and the process can
// suspend, it returns nil and true: the host function must return at once without
// writing its results. The process's wasm call is then suspended and holds no goroutine;
// when a message arrives or the timeout passes, complete is called with the message (nil
// on timeout) on the goroutine that resumes the process, and what it returns becomes the
// host function's first result. A kill of the suspended process runs no more guest code.
// When it cannot suspend (a nested call, or suspension off), the receive waits as
// Receive does and returns false.
//
// tags must stay unchanged until the receive completes. complete should be a function,
// not a closure, so that a receive allocates nothing.
func (p *Process) ReceiveOrSuspend(ctx context.Context, tags []int64, timeoutMs uint64, complete func(*Process, *Message) uint64) (*Message, bool) {
	p.mu.Lock()
	if m := p.mbox.take(tags); m != nil {
		p.mu.Unlock()
		return p.received(m), false
	}
	if timeoutMs == 0 {
		p.mu.Unlock()
		return nil, false
	}
	if ctx != p.ctx || p.resumable == nil || !p.susp.Request() {
		p.mbox.await(tags)
		p.mu.Unlock()
		return p.wait(ctx, timeoutMs), false
	}
	p.mu.Unlock()
	// The mailbox is checked again when the call has unwound (park), so a message
	// that arrives meanwhile is not missed.
	p.recvTags, p.recvSkip, p.recvComplete = tags, 0, complete
	p.setDeadline(timeoutMs)
	return nil, true
}

// SendReceiveOrSuspend is SendReceiveSkipSearch for a host function that can return
// before the reply arrives, as ReceiveOrSuspend is for Receive: when the process can
// suspend, it sends msg and returns nil and true, and complete gets the reply (nil on
// timeout) when the process resumes. Messages queued before the send are skipped.
func (p *Process) SendReceiveOrSuspend(ctx context.Context, target uint64, msg *Message, waitTag int64, timeoutMs uint64, complete func(*Process, *Message) uint64) (*Message, bool) {
	if ctx != p.ctx || p.resumable == nil {
		return p.SendReceiveSkipSearch(ctx, target, msg, waitTag, timeoutMs), false
	}
	p.mu.Lock()
	skip := p.mbox.len() // already queued: not examined (skip search)
	p.mu.Unlock()
	if skip > math.MaxInt32 || !p.susp.Request() {
		return p.SendReceiveSkipSearch(ctx, target, msg, waitTag, timeoutMs), false
	}
	// A filter of [0] matches nothing: the wait only ends by timeout or kill, as in
	// SendReceiveSkipSearch.
	p.waitTag[0] = waitTag
	p.recvTags, p.recvSkip, p.recvComplete = p.waitTag[:], int32(skip), complete
	p.setDeadline(timeoutMs)
	p.env.SendFrom(p, target, msg)
	return nil, true
}

// monoBase is the origin of the receive deadlines a process keeps (a Duration is a
// third of a time.Time, and Process stays in its allocation class).
var monoBase = time.Now()

// setDeadline records the deadline of a receive about to suspend.
func (p *Process) setDeadline(timeoutMs uint64) {
	p.recvTimed = timeoutMs != forever
	if p.recvTimed {
		d := time.Duration(timeoutMs) * time.Millisecond
		if timeoutMs > uint64(1<<62)/uint64(time.Millisecond) {
			d = 1 << 62
		}
		p.recvDeadline = time.Since(monoBase) + d
	}
}

// step runs p on worker wk until it ends or suspends: its entry call the first time, a
// resumption of its suspended receive afterwards.
func (p *Process) step(wk *worker) {
	defer func() {
		if r := recover(); r != nil {
			p.env.rt.log.Error("process crashed the host side", "process", p.id, "panic", r)
			if p.resumable != nil {
				p.resumable.Abandon()
			}
			p.end(fmt.Errorf("runtime error in process %d: %v", p.id, r))
			p.worker = nil
		}
	}()
	for {
		p.worker = wk
		p.susp.Cell = wk.preemptCell()
		var err error
		if p.fn == nil {
			err = p.start()
		} else {
			err = p.resume()
		}
		if err == experimental.ErrSuspended { //nolint:errorlint // returned as is by wazero
			// Once parked, the process may run on another worker at once.
			p.worker = nil
			if p.park() {
				continue // woken already
			}
			return
		}
		// The death path may hand the process it wakes to this worker.
		p.end(p.classify(err))
		p.worker = nil
		return
	}
}

// end runs the death path of a process whose call has returned.
func (p *Process) end(death error) {
	p.settleFuel()
	p.finish(death)
	p.env.rt.running.Add(-1)
	p.env.rt.live.Done()
}

// park completes the suspension of a receive once the call has unwound: it registers the
// waiter unless a message, a kill or the deadline came first, in which case it reports
// true and the process resumes at once.
func (p *Process) park() bool {
	p.mu.Lock()
	if m := p.mbox.takeAfter(p.recvTags, int(p.recvSkip)); m != nil {
		p.mbox.handed = m
		p.mu.Unlock()
		return true
	}
	if p.ctx.Err() != nil {
		p.mu.Unlock()
		return true
	}
	if p.recvTimed {
		d := p.recvDeadline - time.Since(monoBase)
		if d <= 0 {
			p.mu.Unlock()
			return true
		}
		if p.recvTimer == nil {
			p.recvTimer = time.AfterFunc(d, p.receiveTimedOut)
		} else {
			p.recvTimer.Reset(d)
		}
	}
	p.mbox.waiting, p.mbox.tags, p.mbox.suspended = true, p.recvTags, true
	p.mbox.deadline = time.Time{}
	if p.recvTimed {
		p.mbox.deadline = monoBase.Add(p.recvDeadline)
	}
	p.setState(StateWaiting)
	p.mu.Unlock()
	return false
}

// wakeSuspended makes a suspended process runnable from the run queue: its waiter was
// withdrawn (under p.mu) by whoever calls this, which happens exactly once per
// suspension. (A delivery that wakes it goes through deliverOn, which may use a
// worker's next slot instead.)
func (p *Process) wakeSuspended() {
	p.env.rt.workers.enqueue(p)
}

// receiveTimedOut ends a suspended receive whose deadline passed.
func (p *Process) receiveTimedOut() {
	p.mu.Lock()
	if !p.mbox.waiting || !p.mbox.suspended || p.mbox.deadline.IsZero() || time.Now().Before(p.mbox.deadline) {
		// A timer of an earlier receive, or the receive completed meanwhile.
		p.mu.Unlock()
		return
	}
	p.mbox.waiting, p.mbox.tags, p.mbox.suspended, p.mbox.handed = false, nil, false, nil
	p.mu.Unlock()
	p.wakeSuspended()
}

// resume continues the suspended receive with the message handed over (nil: timeout),
// or, if the process was killed meanwhile, drops the call without running guest code.
func (p *Process) resume() error {
	m := p.mbox.handed // written by the waker before the process became runnable
	p.mbox.handed = nil
	p.setState(StateRunning)
	if p.recvTimed && p.recvTimer != nil {
		p.recvTimer.Stop()
	}
	if p.ctx.Err() != nil {
		if m != nil {
			p.unchargeMessage(m)
			m.Release()
		}
		p.resumable.Abandon()
		return context.Cause(p.ctx)
	}
	if m != nil {
		m = p.received(m)
	}
	code := p.recvComplete(p, m)
	p.recvTags, p.recvComplete = nil, nil
	if p.epochStarted {
		// Epoch preemption: the slices that ended while the process waited are not
		// its computing, and it has just got its thread; its first check after the
		// receive must neither charge a slice nor give the thread away. (Not the time
		// of day here: reading the clock on every resumption cost 5.6 % of a WAT
		// ping-pong's CPU; the first yield after it reads the clock instead.)
		r := p.env.rt
		if int64(atomic.LoadUint64(r.epoch.word)) >= 0 {
			// A tick nobody claimed (no process ran when it landed, and where a thread
			// reads the timer stays disarmed until a claim): claim it now, not at the
			// first check, which would yield for it. It landed while this process
			// waited: it is not charged for it (epochCharged is read after).
			if _, handoff := r.epoch.dog.claim(); handoff {
				runtime.Gosched() // the next reading goroutine (see epochYield)
			}
		}
		p.epochFresh, p.epochCharged = true, r.epoch.ticks()
		// A deadline that passed while the process waited would make its first check
		// yield only to be told to go on (a fresh resumption keeps its thread): a
		// yield per wake-up, 8 % of a 10,000-process ring's CPU. Give it the next
		// epoch now, before looking for a kill as epochYield does (a kill cancels,
		// then stores deadlineNow: either this sees the cancellation or the kill's
		// store comes after this one).
		if p.deadline != nil {
			atomic.StoreUint64(p.deadline, r.epoch.deadline())
			if p.ctx.Err() != nil {
				atomic.StoreUint64(p.deadline, deadlineNow)
			}
		}
	}
	_, err := p.resumable.Resume(p.ctx, code)
	return err
}
