package vm

import (
	"context"
	"io"

	"github.com/tetratelabs/wazero/experimental"
)

// deliver appends a message to the mailbox (or hands it to a waiting receive).
func (p *Process) deliver(m *Message) { p.deliverFrom(m, nil) }

// deliverFrom is deliver by process from (nil: not a process): a receive of p it wakes
// may run next on from's worker.
func (p *Process) deliverFrom(m *Message, from *Process) {
	var wk *worker
	if from != nil {
		wk = from.worker
	}
	p.deliverOn(m, wk)
}

// deliverOn is deliver whose wake-up of a suspended receive puts p in wk's next slot
// (nil: the run queue).
func (p *Process) deliverOn(m *Message, wk *worker) {
	// Read what the observer gets now: once pushed, the message belongs to the receiver,
	// which may change it (write_data appends to a received message).
	kind, size, slots := m.Kind, len(m.Data), len(m.Slots)
	if !p.chargeMessage(m) {
		m.Release() // the receiver is killed for it; send still succeeded
		return
	}
	p.mu.Lock()
	if p.dead {
		p.mu.Unlock()
		p.unchargeMessage(m)
		m.Release()
		return
	}
	woke := p.mbox.push(m)
	p.mu.Unlock()
	p.env.rt.hooks.messageDelivered(kind, size, slots)
	if woke {
		p.env.rt.workers.readyOn(p, wk)
	}
}

// Kill ends the process as failed with the given cause (ErrKilled for the kill call). A
// process running guest code stops at its next fuel check; one blocked in a host call
// wakes at once. The first cause wins.
func (p *Process) Kill(cause error) {
	p.cancel(cause)
	p.interrupt()
	p.preempt()
}

// SetDieWhenLinkDies sets whether a failing link kills this process (true, the default) or
// becomes a LinkDied message.
func (p *Process) SetDieWhenLinkDies(v bool) {
	p.mu.Lock()
	p.dieWhenLinkDies = v
	p.mu.Unlock()
}

// addLink records a link to peer with the tag this side reports. It returns false if p
// has already ended.
func (p *Process) addLink(peer uint64, tag int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead {
		return false
	}
	p.links.set(peer, tag)
	return true
}

func (p *Process) removeLink(peer uint64) {
	p.mu.Lock()
	p.links.remove(peer)
	p.mu.Unlock()
}

// Link links p and the process with id target, both sides storing tag. Linking to a
// process that does not exist behaves like an immediate failure of that process.
func (p *Process) Link(tag int64, target uint64) {
	if target == p.id {
		return
	}
	q := p.env.Lookup(target)
	if q == nil {
		p.linkDied(target, tag, true)
		return
	}
	// My entry first: if the target ends after accepting the link, its death path finds
	// me and my entry; if it ended before, the failed addLink reports it as a link death.
	p.addLink(target, tag)
	if !q.addLink(p.id, tag) {
		p.linkDied(target, tag, true)
	}
}

// Unlink removes the link between p and target on both sides.
func (p *Process) Unlink(target uint64) {
	if q := p.env.Lookup(target); q != nil {
		q.removeLink(p.id)
	}
	p.removeLink(target)
}

// Monitor makes p receive a ProcessDied message when target ends. Monitoring a process
// that does not exist does nothing (docs/abi/process.md, "Monitors").
func (p *Process) Monitor(target uint64) {
	q := p.env.Lookup(target)
	if q == nil {
		return
	}
	q.mu.Lock()
	if !q.dead {
		if q.monitors == nil {
			q.monitors = make(map[uint64]struct{})
		}
		q.monitors[p.id] = struct{}{}
	}
	q.mu.Unlock()
}

// StopMonitoring withdraws a Monitor.
func (p *Process) StopMonitoring(target uint64) {
	if q := p.env.Lookup(target); q != nil {
		q.mu.Lock()
		delete(q.monitors, p.id)
		q.mu.Unlock()
	}
}

// linkDied handles the death of linked process from: a normal end only removes the link;
// a failure kills p (die_when_link_dies) or queues a LinkDied message carrying tag.
func (p *Process) linkDied(from uint64, tag int64, failed bool) {
	p.mu.Lock()
	if p.dead {
		p.mu.Unlock()
		return
	}
	p.links.remove(from)
	if !failed {
		p.mu.Unlock()
		return
	}
	if p.dieWhenLinkDies {
		p.mu.Unlock()
		p.Kill(&LinkDiedError{Peer: from})
		return
	}
	m := &Message{Kind: KindLinkDied, Tag: tag}
	woke := p.mbox.push(m)
	p.mu.Unlock()
	p.env.rt.hooks.linkNotified()
	if woke {
		p.wakeSuspended()
	}
}

// finish runs the death path on the process's own goroutine: leave the environment, notify
// links and monitors, release resources and the instance.
func (p *Process) finish(death error) {
	p.env.remove(p.id)
	p.mu.Lock()
	p.dead = true
	links, monitors := p.links, p.monitors
	p.links, p.monitors = linkMap{}, nil
	queued := p.mbox.drain()
	p.mbox.waiting, p.mbox.tags, p.mbox.suspended, p.mbox.handed = false, nil, false, nil
	p.mu.Unlock()

	// Release resources first: a supervisor that restarts a server when it learns of this
	// death must find the port free.
	for _, m := range queued {
		p.unchargeMessage(m)
		m.Release()
	}
	p.releaseResources()

	failed := death != nil
	links.each(func(peer uint64, tag int64) {
		if q := p.env.Lookup(peer); q != nil {
			// The notification carries the tag stored in *my* table for that peer
			// (docs/abi/process.md, "How a process ends"): a spawn-linked child holds the spawn's tag for its parent.
			q.linkDied(p.id, tag, failed)
		}
	})
	for w := range monitors {
		if q := p.env.Lookup(w); q != nil {
			q.deliverFrom(&Message{Kind: KindProcessDied, ProcessID: p.id}, p)
		}
	}
	if p.instance != nil {
		// The instance's engine state, the fuel counter included, goes to a later
		// process of the module (experimental.RecycleModule): nothing runs the instance
		// any more, and FuelUsed stops reading the counter first (the fuel was settled
		// before finish).
		p.fuelGranted.Store(fuelSettled)
		// A kill may still be storing into the epoch deadline (preempt): once the
		// instance is recycled that storage is another process's.
		p.deadlineMu.Lock()
		p.deadline = nil
		p.deadlineMu.Unlock()
		// The clock's thread may still hold the address of this call's stack bound,
		// from a cell it read before the call returned: its pass ends first.
		if p.env.rt.cells != nil {
			experimental.QuiescePreempt()
		}
		_ = p.instance.Close(context.Background())
		experimental.RecycleModule(p.instance)
	}
	if p.alloc != nil {
		p.alloc.Release()
	}
	p.mem.Release(p.tableMem)
	p.env.rt.dismiss()
	p.module.Release()
	p.death = death
	p.cancel(nil)
	p.env.rt.hooks.processEnded(p, death)
	p.closeDone()
}

// releaseResources closes what the process owns: the scratch message, the API-private
// tables, the sockets and its module table.
func (p *Process) releaseResources() {
	p.SetScratch(nil)
	r := p.res
	if r == nil {
		return
	}
	for _, v := range r.locals {
		if c, ok := v.(io.Closer); ok {
			_ = c.Close()
		}
	}
	r.locals = nil
	r.sockets.closeAll()
	for _, m := range r.modules.Clear() {
		m.Release()
	}
}
