// Package vm is the lunatic runtime core: it compiles modules, spawns processes (one
// goroutine plus one anonymous wazero instance each), delivers messages and signals,
// and runs the death path that notifies links and monitors.
//
// vm knows wazero but not the lunatic host APIs: the hostfuncs packages find their caller
// with ProcessFrom and act on the *Process they get. State shared by several host APIs
// (resource tables that travel inside messages, the scratch message) lives on Process.
//
// # Where the time goes
//
// Profiles taken on a busy 2-core machine (CPU samples, so shares rather than times).
// bench/ reports CPU time per operation (cpu-ns/op) next to wall time for A/B runs.
//
// A message (WAT ping-pong, one round trip is two sends and two receives, about 1.0 µs
// of CPU): about a quarter is the Go scheduler handing the goroutine over (chansend and
// goready on the sender, park on the receiver, wakep waking an idle P); ~13 % is the
// return of every host call from wazero's native stack (callWithStack, which no longer
// converts the function to an interface); ~11 % the guest; the mailbox lock, the
// memory account (two atomics per message and side, the process's and the runtime's)
// and the scratch-message pool the rest. Nothing is allocated: the receive waiter (wake
// channel, filter buffer) belongs to the process, a timed receive reuses one timer,
// Data messages come from a pool that the receiver's scratch area returns them to, and
// host functions find their process with one type check on the context. A receive
// without a deadline waits on its wake channel alone; a kill or Runtime.Close
// interrupts it through that channel. The Rust guest costs more than twice as much per
// round trip (about 2.5 µs of CPU): it makes 8 host calls per side instead of 5, runs
// far more guest code (~1.3 µs per round trip against ~0.15 µs: allocation, encoding,
// zeroing its read buffer, fuel checks), and yields about every other round trip (the
// preemption instrumentation estimates ~57,000 fuel units per round trip; the yield's
// Gosched measured cheaper than skipping it).
//
// A spawn (Rust guest, 17 pages, spawn → first message, about 14–16 µs of CPU on the
// busy machine; it was ~25 µs): ~28 % is the child's exit, nearly all of it scrubbing
// its memory for reuse (~22 %), and ~18 % of the spawn the mincore system call that finds
// the touched pages (system calls cost ~1.5 µs here; a copy-on-write snapshot measured
// worse, see RATIONALE.md); ~25 % is Spawn, of which ~18 % instantiation (wazero's
// Store.instantiate ~15 %: import resolution ~2 %, the memory ~2 %, module engine, globals,
// data and elements ~1 % each, the rest allocating the instance's structures) and ~3.5 %
// newProcess; ~10 % allocation in all and ~2 % garbage collection (it was ~22 % and ~12 %);
// the rest the two guests, the messages and the hand-over to a waiting worker goroutine
// (processes run on reused goroutines whose stacks have grown already). A spawn+exit
// allocates 22 objects and 2.0 KiB for the Rust guest (19 and 1.9 KiB for WAT): the
// process, its contexts, the WASI context, the instance and its memory. The per-instance
// structures that depend only on the compiled module (the module context, the block of
// table function references, the table, the globals, the entry's call engine and stack)
// are recycled from the instance of an ended process (experimental.RecycleModule, called
// by finish). Linear memories come from a pool of mmap regions sized to the memory's
// power-of-two class; a freed region keeps its few touched pages and zeroes them with
// stores (see linmem) instead of madvise. What is left is the mincore call, the WASI
// context and the Process itself; instances prepared ahead of demand are the next step
// (RATIONALE.md).
//
// docs/architecture.md follows a spawn, a send and a kill through vm and the packages
// around it; docs/abi/ describes what guests see.
package vm
