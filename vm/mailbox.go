package vm

import (
	"context"
	"time"
)

// forever is the timeout value that means "wait without a deadline" (u64::MAX).
const forever = ^uint64(0)

// waiter is a receive blocked for a matching message. The sender that finds a match hands
// the message over through ch (buffered, so the hand-over never blocks) and clears the
// mailbox's waiter in the same critical section.
type waiter struct {
	tags []int64
	ch   chan *Message
}

// mailbox is a FIFO of messages with selective receive. It is guarded by Process.mu.
type mailbox struct {
	queue  []*Message
	head   int
	waiter *waiter
}

// push appends m or hands it to a matching waiter. Caller holds the lock.
func (b *mailbox) push(m *Message) {
	if w := b.waiter; w != nil && m.matches(w.tags) {
		b.waiter = nil
		w.ch <- m
		return
	}
	b.queue = append(b.queue, m)
}

// take removes and returns the oldest message accepted by tags. Caller holds the lock.
func (b *mailbox) take(tags []int64) *Message {
	for i := b.head; i < len(b.queue); i++ {
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

// Receive takes the oldest message accepted by tags, waiting up to timeoutMs milliseconds
// (forever = no deadline, 0 = poll). It returns nil on timeout. If the process is killed
// while waiting, Receive does not return: it unwinds the guest with the kill (see Park).
func (p *Process) Receive(ctx context.Context, tags []int64, timeoutMs uint64) *Message {
	p.mu.Lock()
	if m := p.mbox.take(tags); m != nil {
		p.mu.Unlock()
		p.unchargeMessage(m)
		p.env.rt.hooks.messageReceived(m)
		return m
	}
	if timeoutMs == 0 {
		p.mu.Unlock()
		return nil
	}
	w := &waiter{tags: tags, ch: make(chan *Message, 1)}
	p.mbox.waiter = w
	p.mu.Unlock()
	return p.wait(ctx, w, timeoutMs)
}

// SendReceiveSkipSearch sends msg to target and waits for the next *newly arriving* message
// tagged waitTag; messages already queued are not examined. The waiter is in place before
// the send, so a reply can never slip past it (docs/abi/message.md, send_receive_skip_search).
func (p *Process) SendReceiveSkipSearch(ctx context.Context, target uint64, msg *Message, waitTag int64, timeoutMs uint64) *Message {
	return p.SendReceiveVia(ctx, func() { p.env.Send(target, msg) }, waitTag, timeoutMs)
}

// wait blocks until w gets a message, the timeout passes or the process is killed.
func (p *Process) wait(ctx context.Context, w *waiter, timeoutMs uint64) *Message {
	var timeout <-chan time.Time
	if timeoutMs != forever {
		d := time.Duration(timeoutMs) * time.Millisecond
		if timeoutMs > uint64(1<<62)/uint64(time.Millisecond) {
			d = 1 << 62
		}
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	p.setState(StateWaiting)
	defer p.setState(StateRunning)
	select {
	case m := <-w.ch:
		p.unchargeMessage(m)
		p.env.rt.hooks.messageReceived(m)
		return m
	case <-timeout:
	case <-ctx.Done():
	}
	// Withdraw the waiter. A sender may have handed a message over in the meantime: then
	// it is in w.ch and is ours (no stale waiter survives a timeout, unlike the original).
	p.mu.Lock()
	if p.mbox.waiter == w {
		p.mbox.waiter = nil
	}
	p.mu.Unlock()
	select {
	case m := <-w.ch:
		p.unchargeMessage(m)
		if ctx.Err() == nil {
			p.env.rt.hooks.messageReceived(m)
			return m
		}
		m.Release()
	default:
	}
	p.checkAlive(ctx)
	return nil
}
