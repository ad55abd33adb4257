package vm

import "sync/atomic"

// DefaultMaxStack is the wasm call stack a process may hold when Options.MaxStack is 0:
// the size of a native thread's main stack on Linux. See RATIONALE.md, "Why does a
// process get 8 MiB of wasm stack?".
const DefaultMaxStack = 8 << 20

// stackAccount bounds and charges the wasm call stack of one process: wazero asks it
// before a call's stack grows (it is the experimental.StackLimiter in the process
// context) and returns the bytes when the call ends. The stack held counts against the
// process's max_memory and the runtime's total budget like its linear memory; past the
// process's stack bound, or when the memory accounts refuse, the growth is refused and
// the call traps with "stack overflow".
//
// wazero calls it on the process's goroutine only (the entry call, nested guest calls
// from host functions, and the start section during instantiation); held and peak are
// atomic so that observers may read them.
type stackAccount struct {
	mem   *account
	limit uint64
	held  atomic.Uint64
	peak  atomic.Uint64 // most bytes held at once
}

// GrowStack implements experimental.StackLimiter: it grants as much of want as fits
// under the stack bound and in the memory accounts, if that is need bytes or more. (A
// grant of only need bytes each time would make the engine copy the whole stack for
// every frame near the limit.)
func (s *stackAccount) GrowStack(need, want uint64) uint64 {
	held := s.held.Load()
	if held >= s.limit || need > s.limit-held {
		return 0
	}
	got := s.mem.reserveUpTo(need, min(want, s.limit-held))
	if got == 0 {
		return 0
	}
	held = s.held.Add(got)
	if held > s.peak.Load() {
		s.peak.Store(held)
	}
	return got
}

// ReleaseStack implements experimental.StackLimiter.
func (s *stackAccount) ReleaseStack(n uint64) {
	s.held.Add(-n)
	s.mem.Release(n)
}

// StackBytes is the wasm call stack the process holds now (charged to its memory).
func (p *Process) StackBytes() uint64 { return p.stack.held.Load() }

// maxStack is the stack bound of every process of the runtime.
func (r *Runtime) maxStack() uint64 {
	if r.opts.MaxStack != 0 {
		return r.opts.MaxStack
	}
	return DefaultMaxStack
}

// reserveUpTo takes as many bytes as fit here and above, up to want, if that is need or
// more; it returns how many it took (0: none).
func (a *account) reserveUpTo(need, want uint64) uint64 {
	for try := 0; try < 3; try++ {
		if a.Reserve(want) == nil {
			return want
		}
		room := a.room()
		if room < need {
			return 0
		}
		want = min(want, room)
	}
	// Others take and return memory meanwhile: settle for the least.
	if a.Reserve(need) == nil {
		return need
	}
	return 0
}

// room is how many bytes a Reserve could take now.
func (a *account) room() uint64 {
	room := ^uint64(0)
	for ; a != nil; a = a.parent {
		if a.capped {
			u := a.used.Load()
			if u >= a.limit {
				return 0
			}
			room = min(room, a.limit-u)
		}
	}
	return room
}
