package vm

import (
	"context"
	"time"
)

// forever is the timeout value that means "wait without a deadline" (u64::MAX).
const forever = ^uint64(0)

// mailbox is a FIFO of messages with selective receive. It is guarded by Process.mu.
//
// wake carries nil when a kill interrupts the wait (see Process.interrupt).
//
// A receive that finds no match registers itself in the mailbox (waiting, with its
// filter) and blocks on wake. The sender that finds a match hands the message over
// through wake (buffered, so the hand-over never blocks) and clears waiting in the same
// critical section. The wake channel and the filter buffer belong to the process and are
// reused by every receive: a receive allocates nothing on its common path.
type mailbox struct {
	queue   []*Message
	head    int
	waiting bool
	// suspended marks the waiter as a suspended receive (suspend.go): a match is left in
	// handed, and whoever withdraws the waiter makes the process runnable.
	suspended bool
	tags      []int64       // filter of the waiting receive
	wake      chan *Message // created on the first blocking receive, capacity 1
	handed    *Message
	deadline  time.Time // of the suspended receive (zero: none), for its timer
}

// push appends m or hands it to a matching waiter. It reports true when it withdrew the
// waiter of a suspended receive: the caller must then make the process runnable
// (wakeSuspended) once it has released the lock. Caller holds the lock.
func (b *mailbox) push(m *Message) bool {
	if b.waiting && m.matches(b.tags) {
		b.waiting, b.tags = false, nil
		if b.suspended {
			b.suspended, b.handed = false, m
			return true
		}
		b.wake <- m
		return false
	}
	b.queue = append(b.queue, m)
	return false
}

// await registers a waiting receive with filter tags. Caller holds the lock.
func (b *mailbox) await(tags []int64) {
	if b.wake == nil {
		b.wake = make(chan *Message, 1)
	}
	b.waiting, b.tags = true, tags
}

// take removes and returns the oldest message accepted by tags. Caller holds the lock.
func (b *mailbox) take(tags []int64) *Message { return b.takeAfter(tags, 0) }

// takeAfter is take skipping the skip oldest messages. Caller holds the lock.
func (b *mailbox) takeAfter(tags []int64, skip int) *Message {
	for i := b.head + skip; i < len(b.queue); i++ {
		m := b.queue[i]
		if !m.matches(tags) {
			continue
		}
		if i == b.head {
			b.queue[i] = nil
			b.head++
			if b.head == len(b.queue) {
				b.queue, b.head = b.queue[:0], 0
			}
			return m
		}
		copy(b.queue[i:], b.queue[i+1:])
		b.queue[len(b.queue)-1] = nil
		b.queue = b.queue[:len(b.queue)-1]
		return m
	}
	return nil
}

// len is the number of queued messages. Caller holds the lock.
func (b *mailbox) len() int { return len(b.queue) - b.head }

// drain removes every queued message. Caller holds the lock.
func (b *mailbox) drain() []*Message {
	out := b.queue[b.head:]
	b.queue, b.head = nil, 0
	return out
}

// TagBuffer returns a slice of n int64 owned by the process, for decoding a receive filter
// without allocating. It is valid until the next call; Receive may keep it while it waits.
func (p *Process) TagBuffer(n int) []int64 {
	if n > cap(p.tagBuf) {
		p.tagBuf = make([]int64, n)
	}
	return p.tagBuf[:n]
}

// Receive takes the oldest message accepted by tags, waiting up to timeoutMs milliseconds
// (forever = no deadline, 0 = poll). It returns nil on timeout. If the process is killed
// while waiting, Receive does not return: it unwinds the guest with the kill (see Park).
// tags must stay unchanged until Receive returns.
func (p *Process) Receive(ctx context.Context, tags []int64, timeoutMs uint64) *Message {
	p.mu.Lock()
	if m := p.mbox.take(tags); m != nil {
		p.mu.Unlock()
		return p.received(m)
	}
	if timeoutMs == 0 {
		p.mu.Unlock()
		return nil
	}
	p.mbox.await(tags)
	p.mu.Unlock()
	return p.wait(ctx, timeoutMs)
}

// SendReceiveSkipSearch sends msg to target and waits for the next *newly arriving* message
// tagged waitTag; messages already queued are not examined. The waiter is in place before
// the send, so a reply can never slip past it (message.md, send_receive_skip_search).
func (p *Process) SendReceiveSkipSearch(ctx context.Context, target uint64, msg *Message, waitTag int64, timeoutMs uint64) *Message {
	return p.sendReceive(ctx, nil, target, msg, waitTag, timeoutMs)
}

// sendReceive registers a waiter for waitTag, then sends msg to target (send == nil) or
// calls send, and waits.
func (p *Process) sendReceive(ctx context.Context, send func(), target uint64, msg *Message, waitTag int64, timeoutMs uint64) *Message {
	p.mu.Lock()
	if p.mbox.wake == nil {
		p.mbox.wake = make(chan *Message, 1)
	}
	if waitTag != 0 {
		// A filter of [0] matches nothing: without a waiter the wait only ends by
		// timeout or kill, as before.
		p.waitTag[0] = waitTag
		p.mbox.await(p.waitTag[:])
	}
	p.mu.Unlock()
	if send != nil {
		send()
	} else {
		p.env.Send(target, msg)
	}
	return p.wait(ctx, timeoutMs)
}

// wait blocks until the registered waiter gets a message, the timeout passes or the
// process is killed.
func (p *Process) wait(ctx context.Context, timeoutMs uint64) *Message {
	wake := p.mbox.wake // written only by this goroutine
	var timeout <-chan time.Time
	if timeoutMs != forever {
		d := time.Duration(timeoutMs) * time.Millisecond
		if timeoutMs > uint64(1<<62)/uint64(time.Millisecond) {
			d = 1 << 62
		}
		r := p.resources()
		if r.timer == nil {
			r.timer = time.NewTimer(d)
		} else {
			r.timer.Reset(d)
		}
		defer r.timer.Stop()
		timeout = r.timer.C
	}
	p.block(StateWaiting)
	defer p.unblock()
	if timeout == nil && ctx == p.ctx {
		// No deadline and the process's own context: a kill wakes the waiter through
		// wake itself (interrupt), so a plain receive does instead of a select.
		if ctx.Err() == nil {
			if m := <-wake; m != nil {
				return p.received(m)
			}
		}
	} else {
		select {
		case m := <-wake:
			if m != nil {
				return p.received(m)
			}
		case <-timeout:
		case <-ctx.Done():
		}
	}
	// Withdraw the waiter. A sender may have handed a message over in the meantime: then
	// it is in wake and is ours (no stale waiter survives a timeout, unlike the original).
	p.mu.Lock()
	p.mbox.waiting, p.mbox.tags = false, nil
	p.mu.Unlock()
	select {
	case m := <-wake:
		if m == nil {
			break // an interrupt
		}
		if ctx.Err() == nil {
			return p.received(m)
		}
		p.unchargeMessage(m)
		m.Release()
	default:
	}
	p.checkAlive(ctx)
	return nil
}

// interrupt wakes a receive blocked without a deadline after the process's context was
// cancelled: the wait sees a nil message, finds the context done and unwinds. Every
// cancellation of a running process's context must be followed by interrupt.
func (p *Process) interrupt() {
	p.mu.Lock()
	if p.mbox.waiting {
		p.mbox.waiting, p.mbox.tags = false, nil
		if p.mbox.suspended {
			// The process resumes on a worker, finds its context done and ends.
			p.mbox.suspended, p.mbox.handed = false, nil
			p.mu.Unlock()
			p.wakeSuspended()
			return
		}
		p.mbox.wake <- nil
	}
	p.mu.Unlock()
}

// received completes the receipt of m, taken from the mailbox or handed to the waiter: it
// leaves the queued-bytes account and the observer hears of it.
func (p *Process) received(m *Message) *Message {
	p.unchargeMessage(m)
	p.env.rt.hooks.messageReceived(m)
	return m
}
