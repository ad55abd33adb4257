package vm

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// ErrSystemLimit is wrapped by the spawn errors of a runtime-wide limit (the process cap
// or the total memory budget), like BEAM's system_limit.
var ErrSystemLimit = errors.New("system limit")

// ProcessOverhead is what every live process is charged against the runtime's total
// memory budget besides its linear memory, tables and queued messages: its wazero
// instance, goroutine and bookkeeping (about 30 KiB measured, rounded up).
const ProcessOverhead = 32 << 10

// messageOverhead is what a queued message is charged besides its bytes.
const messageOverhead = 64

// tableElementSize is the host memory of one table element in wazero (a pointer).
const tableElementSize = 8

// MemoryLimitError is the death cause of a process whose queued messages pushed its
// memory past its max_memory or the runtime's total budget, and the error of a spawn or
// grow refused for the same reason.
type MemoryLimitError struct {
	// What names the limit: "the process's max_memory" or "the runtime's total memory
	// budget (--max-total-memory)".
	What string
	// Limit and Used are in bytes; Want is the refused amount.
	Limit, Used, Want uint64
	// Mailbox is set when queued messages went over the limit (the receiver dies).
	Mailbox bool
}

func (e *MemoryLimitError) Error() string {
	if e.Mailbox {
		return fmt.Sprintf("killed: a message of %d bytes would have pushed the queued messages past %s (%d of %d bytes used)", e.Want, e.What, e.Used, e.Limit)
	}
	return fmt.Sprintf("%d more bytes would exceed %s (%d of %d bytes used)", e.Want, e.What, e.Used, e.Limit)
}

// Unwrap makes a refusal of the runtime's budget match ErrSystemLimit.
func (e *MemoryLimitError) Unwrap() error {
	if e.What == budgetName {
		return ErrSystemLimit
	}
	return nil
}

const (
	budgetName  = "the runtime's total memory budget (--max-total-memory)"
	processName = "the process's max_memory"
)

// account counts memory bytes against a limit and, when it has one, its parent's: a
// process's account (linear memory, tables, wasm stack, queued messages, bounded by
// max_memory)
// feeds the runtime's (every process, bounded by the total budget).
type account struct {
	limit  uint64
	capped bool // limit applies; the zero account counts without a limit
	budget bool // the runtime's total (budgetName), not a process's (processName)
	used   atomic.Uint64
	parent *account
}

// what names the limit in a MemoryLimitError. (A flag rather than the string: 16 bytes
// less in every Process.)
func (a *account) what() string {
	if a.budget {
		return budgetName
	}
	return processName
}

// Reserve takes n bytes, or nothing and an error when they do not fit here or above.
func (a *account) Reserve(n uint64) error {
	if n == 0 {
		return nil
	}
	for {
		u := a.used.Load()
		if a.capped && (u+n > a.limit || u+n < u) {
			return &MemoryLimitError{What: a.what(), Limit: a.limit, Used: u, Want: n}
		}
		if a.used.CompareAndSwap(u, u+n) {
			break
		}
	}
	if a.parent != nil {
		if err := a.parent.Reserve(n); err != nil {
			a.used.Add(-n)
			return err
		}
	}
	return nil
}

// Release returns n bytes taken with Reserve.
func (a *account) Release(n uint64) {
	if n == 0 {
		return
	}
	a.used.Add(-n)
	if a.parent != nil {
		a.parent.Release(n)
	}
}

// Limits is a snapshot of the runtime-wide limits and their use, for metrics.
type Limits struct {
	// MaxProcesses is the process cap (0 = none); Processes the live processes counted.
	MaxProcesses, Processes uint64
	// MaxTotalMemory is the memory budget in bytes (0 = none); MemoryUsed the bytes
	// charged to it: linear memories, tables, wasm stacks, queued messages and
	// ProcessOverhead per process.
	MaxTotalMemory, MemoryUsed uint64
}

// Limits reports the runtime-wide limits and how much of them is used.
func (r *Runtime) Limits() Limits {
	return Limits{
		MaxProcesses:   uint64(max(r.opts.MaxProcesses, 0)),
		Processes:      uint64(r.procCount.Load()),
		MaxTotalMemory: r.opts.MaxTotalMemory,
		MemoryUsed:     r.total.used.Load(),
	}
}

// admit counts a new process against the process cap and charges its overhead to the
// total budget. Every successful admit is undone by one dismiss.
func (r *Runtime) admit() error {
	for {
		n := r.procCount.Load()
		if max := r.opts.MaxProcesses; max > 0 && n >= int64(max) {
			return fmt.Errorf("spawn: %w: the runtime already runs %d processes, its limit (--max-processes)", ErrSystemLimit, max)
		}
		if r.procCount.CompareAndSwap(n, n+1) {
			r.notePeak(n + 1)
			break
		}
	}
	if err := r.total.Reserve(ProcessOverhead); err != nil {
		r.procCount.Add(-1)
		return fmt.Errorf("spawn: %w", err)
	}
	return nil
}

func (r *Runtime) dismiss() {
	r.total.Release(ProcessOverhead)
	n := r.procCount.Add(-1)
	r.maybeReturnMemory(n)
}

// Returning memory after mass deaths: when the live processes fall below half of a peak
// of at least returnMinPeak, the runtime collects garbage and returns the freed pages to
// the OS once the count has held still for returnDelay; one return at a time. Go's
// background scavenger would take minutes to give back the heap of 100,000 processes.
const (
	returnMinPeak = 10_000
	returnDelay   = time.Second
)

// notePeak records live as the peak if it is one.
func (r *Runtime) notePeak(live int64) {
	for {
		peak := r.procPeak.Load()
		if live <= peak || r.procPeak.CompareAndSwap(peak, live) {
			return
		}
	}
}

func (r *Runtime) maybeReturnMemory(live int64) {
	peak := r.procPeak.Load()
	if peak < returnMinPeak || live > peak/2 || !r.returning.CompareAndSwap(false, true) {
		return
	}
	go r.returnMemory()
}

// returnMemory waits until the number of live processes held still for returnDelay (the
// deaths of a cascade have settled), then collects garbage and returns it to the OS.
func (r *Runtime) returnMemory() {
	defer r.returning.Store(false)
	t := time.NewTimer(returnDelay)
	defer t.Stop()
	for last := r.procCount.Load(); ; {
		select {
		case <-t.C:
		case <-r.baseCtx.Done():
			return
		}
		now := r.procCount.Load()
		if now == last {
			r.procPeak.Store(now)
			break
		}
		last = now
		t.Reset(returnDelay)
	}
	r.compact()
	runtime.GC()
	debug.FreeOSMemory()
}

// chargeMessage accounts a message queued for p. When it does not fit, p is killed with
// the reason (send itself never fails) and false is returned: the caller drops m.
func (p *Process) chargeMessage(m *Message) bool {
	n := uint64(len(m.Data)) + messageOverhead
	if err := p.mem.Reserve(n); err != nil {
		var le *MemoryLimitError
		if errors.As(err, &le) {
			le.Mailbox = true
		}
		p.Kill(err)
		return false
	}
	m.charged = n
	return true
}

// unchargeMessage releases what chargeMessage took for m (when it leaves the mailbox).
func (p *Process) unchargeMessage(m *Message) {
	if m != nil && m.charged != 0 {
		p.mem.Release(m.charged)
		m.charged = 0
	}
}
