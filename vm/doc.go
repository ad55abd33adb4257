// Package vm is the lunatic runtime core: it compiles modules, spawns processes (one
// anonymous wazero instance each, run from a run queue by pooled worker goroutines),
// delivers messages and signals, and runs the death path that notifies links and
// monitors.
//
// A process holds a goroutine only while it runs. A receive that finds no message
// suspends the process's wasm call at the host call (a small wazero patch,
// experimental.Suspender): the call's state is its engine's own stack and registers,
// the worker goes on with another process, and whatever ends the wait (a message, the
// timeout, a kill, a link death, Runtime.Close) makes the process runnable exactly once
// (it withdraws the waiter under the process's lock); a worker then resumes the call
// with the receive's result, or, after a kill, drops it and runs the death path. A
// process woken by a running one takes that worker's next slot and runs as soon as the
// waker suspends, without the Go scheduler (workers.go). A goroutine outside the pool,
// such as the reader of a connection between nodes, can run the process its delivery
// woke itself (Inline, inline.go), calling back to its owner when the run takes long.
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
// A message (WAT ping-pong, one round trip is two sends and two receives, about 0.7–1.0
// µs of CPU on the busy machine, against 1.4–1.5 µs with suspension off in the same
// run): the two processes take turns on one worker goroutine, each receive suspending
// its call and the send that completes it putting the receiver in the worker's next
// slot, so no goroutine is handed over (that was about a quarter of a message's CPU:
// chansend and goready on the sender, park on the receiver, wakep waking an idle P).
// Now about half is wazero's call loop (callWithStack: leaving native code at each host
// call and re-entering it, ~15 % of its own, the resume of a suspended call through the
// same loop) with the guest (~14 %); the rest the host functions (send ~12 %:
// lookup, the mailbox lock, the memory account, two atomics per message and side),
// park and resume (~8 %), the scratch-message pool. Nothing is allocated: the receive
// state (filter, deadline, one reusable timer) belongs to the process, Data messages
// come from a pool that the receiver's scratch area returns them to, and host
// functions find their process with one type check on the context. Without the next
// slot (LUNATIC_HANDOFF=0) each wake goes through the run queue to another worker and
// the round trip costs 1.8–2.6 µs of CPU. The Rust guest, which sends and receives as
// lunatic-rs 0.14 does, costs about 1.3–1.6 µs of CPU per round trip: 6 host calls per
// message instead of 5 (create_data, write_data, node_id, send; receive, read_data) and
// its guest code (bincode, the allocator). The benchmark guest used to make 8 and clear
// a 512-byte read buffer per message, which cost about twice as much (2.8–3.0 µs; see
// RATIONALE.md, "Why does the Rust benchmark guest send and receive exactly as
// lunatic-rs 0.14 does?"). RATIONALE.md ("Why does a process blocked in receive hold no
// goroutine?") has the A/B figures of suspension. A later profile (WAT, 1.5 µs of CPU per round trip on a host
// about twice as slow as the one above): wazero's call loop 59 % in all, of which the
// host functions 34 % (send 9 %, receive and reading the message 10 %) and the guest
// 16 %; ~18 % are samples on the first instructions after native code returns to Go
// (the switched-to process's execution context, suspender and call engine are cold
// in the cache), resume and park ~8 %. Two costs paid on every resumption were taken
// out then: wazero looked its snapshotter key up through the whole chain of the
// process's context values (5.8 %), and the epoch bookkeeping read the clock (5.6 %;
// time.Now costs ~65 ns on this VM).
//
// A ring hop (Rust guest, 10,000 processes, ~1.1–1.2 µs per hop on a quiet host, about
// twice a ping-pong message): 20 % of the samples are in guest code, whose instance,
// stack and memory are cold by the time the token comes round; wazero's call loop,
// resume and the host functions most of the rest; the process table lookup of each send
// ~4 % (a map of 10,000 entries, cache misses). Each wake-up used to yield at its first
// full check (its deadline had passed while it waited: 8.4 % of the CPU); a resumption
// now sets the next epoch as its deadline (4.2 % left, see RATIONALE.md). The end of the
// ring, where the 10,000 processes die one after the other, used to cost a third of the
// run: about 9,000 of their regions overflow the pool and were unmapped by the worker,
// each unmap waiting for the other CPUs to flush their TLBs; linmem now hands them to a
// goroutine of their own (RATIONALE.md, "Why are surplus regions unmapped by a goroutine
// of their own?").
//
// An HTTP request of the framework-shaped benchmark guest (bench BenchmarkHTTP: a
// connection process, a request process spawned per request, a logger) makes about 99
// host calls: 43 read_data and 43 write_data (bincode streams each field of the request
// and the response through the message buffer, as lunatic-rs does), a spawn, three each
// of create_data, node_id, send and receive, a tcp_read and a tcp_write_vectored. Its CPU
// (about 70 µs per request for server and load generator together, where Go's net/http
// takes about 30): the TCP system calls on both sides ~25 %, guest code ~22 %, the
// spawn ~12 % (instantiation ~9 %), the exit ~9 % (the scrub's two madvise calls ~5 %,
// made one at a time: concurrent ones made Linux flush every CPU's TLB, RATIONALE.md
// "Why are the scrubs' madvise calls made one at a time?"), the rest the host calls'
// round trips through wazero's call loop, messages and scheduling.
//
// A spawn (Rust guest, 17 pages, spawn → first message, about 12–13 µs of CPU on a
// quiet machine; it was ~25 µs): the child's exit scrubs its memory for reuse, 25 % of
// the CPU, nearly all of it the two madvise calls that drop the pages around the four a
// Rust guest keeps resident (~1.3 µs each); it was 36 % while a mincore call found the
// touched pages at every exit (4–7 µs: ~13 ns for each absent page of the 272 it
// scanned), which now runs every 16th exit of a region (linmem's scrubRuns; a
// copy-on-write snapshot measured worse, see RATIONALE.md); ~25 % is Spawn, of which ~18 % instantiation (wazero's
// Store.instantiate ~15 %: import resolution ~2 %, the memory ~2 %, module engine, globals,
// data and elements ~1 % each, the rest allocating the instance's structures) and ~3.5 %
// newProcess (resolving imports by name was ~58 % of instantiation until wazero's import
// cache learnt global imports: an epoch module imports the epoch global, which had
// turned the cache off; an instance built in a recycled engine state now keeps the
// imported functions as well, see RATIONALE.md, "Why does a recycled engine keep its
// imported functions?"); ~10 % allocation in all and ~2 % garbage collection (it was ~22 % and ~12 %);
// the rest the two guests, the messages and the hand-over to a waiting worker goroutine
// (processes run on reused goroutines whose stacks have grown already). A spawn+exit
// allocates 22 objects and 2.0 KiB for the Rust guest (19 and 1.9 KiB for WAT): the
// process, its contexts, the WASI context, the instance and its memory. The per-instance
// structures that depend only on the compiled module (the module context, the block of
// table function references, the table, the globals, the entry's call engine and stack)
// are recycled from the instance of an ended process (experimental.RecycleModule, called
// by finish). Linear memories come from a pool of mmap regions sized to the memory's
// power-of-two class; a freed region keeps its few touched pages and zeroes them with
// stores (see linmem) instead of madvise. What is left is the scrub's madvise calls, the
// WASI context and the Process itself; instances prepared ahead of demand are the next step
// (RATIONALE.md).
//
// The epoch clock (epoch.go, epoch_linux.go) used to cost more than its ticks: on Linux a
// goroutine blocked in a read of a timerfd, so one P sat in a system call, and the Go
// runtime's sysmon never slept deeply, retook that P whenever the other P was busy,
// woke a thread to spin for it and went back to polling every 20 µs after each retake.
// On the pong node of a remote ping-pong between two OS processes that was 0.17 of
// sysmon's nanosleeps and ~0.24 thread switches per round trip (1.35 switches against
// 1.12 with the counting instrumentation, perf over 3 s). On amd64 a thread outside the
// Go runtime now does the reading, and a tick that no running process claims leaves the
// timer disarmed: the pong node makes the counting mode's 1.12 switches per round trip,
// and the local ping-pong (bench BenchmarkPingPong) loses about a quarter of its CPU per
// round trip (RATIONALE.md, "Why does a thread outside the Go runtime read the epoch's
// timerfd?"). On amd64 that thread also preempts function entries: after each read it
// stores experimental.PreemptBound in the stack bound of every worker's running call
// (the workers' cells, internal/tickthread's Table), so epoch modules check only their
// loops (scheduler.EpochLoops) and a recursive guest pays nothing for preemption between
// ticks (RATIONALE.md, "Why does a tick preempt function entries through wazero's stack
// bound?"); the loops' checks read that same bound word (scheduler.PollName: a load, a
// compare and a branch not taken; RATIONALE.md, "Why do loops poll the stack bound
// instead of counting down?").
//
// # Where the memory goes
//
// An idle process (WAT guest blocked in receive, linked to one other process) holds
// 4,017 bytes of Go heap (4,785 before the trimming described in RATIONALE.md, "Why is
// a Process sized to its allocation class?"), measured from heap profiles of
// 10,000 of them with every allocation sampled (BenchmarkCascadeMemory with
// BENCH_CASCADE_N=10000, BENCH_CASCADE_DEBUG=1, BENCH_CASCADE_PROFILE and
// -test.memprofilerate=1; peak minus before, divided by the count). Per process, in
// allocation classes:
//
//   - wazero's call engine of the entry function, 896 bytes, and its native stack, 512
//     (the call is suspended in the receive, so both are live);
//   - the Process, 704 bytes (688 plus the 8-byte header Go puts on objects of more
//     than 512 bytes that hold pointers);
//   - the instance: module engine 256 and its imported-function table 128, the
//     compiler's module context 288, the ModuleInstance 288 and its globals slice 16,
//     one global 64, the data-instances slice 24;
//   - the process context, about 240 bytes: the cancelCtx 80, its registration with the
//     runtime's base context (the context package's stop context and closure, our list
//     entry and its stop function) ~140, the cancel function 16, the process layer 24;
//   - the WASI context 160 and its file table ~70;
//   - the linear memory's bookkeeping: wazero's MemoryInstance 112, our Allocator 144,
//     the pool region 32 (the memory's pages are outside the Go heap);
//   - the environment's process table slot, ~30 amortised.
//
// Links cost nothing more up to one per process; resource tables, API-private values,
// the receive timer and the Done channel are allocated when first used. The Rust guest
// adds its larger module context and tables. Go's own record of the heap (span records,
// GC bitmaps) scales with the peak heap, so a cascade of 100,000 processes leaves less
// behind in proportion (see bench.BenchmarkCascadeMemory).
//
// docs/architecture.md follows a spawn, a send and a kill through vm and the packages
// around it; docs/abi/ describes what guests see.
package vm
