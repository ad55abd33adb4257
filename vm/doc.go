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
//
// A message (WAT ping-pong, one round trip is two sends and two receives, about 1.1 µs
// of CPU): about half is wazero's host-call transitions and the guest (five host calls
// per side: create_data, write_data, send, receive, read_data); about a quarter is the
// Go scheduler handing the goroutine over (chansend/goready on the sender, park on the
// receiver); the rest is the mailbox lock and the observer hooks. Nothing is allocated:
// the receive waiter (wake channel, filter buffer) belongs to the process, a timed
// receive reuses one timer, and Data messages come from a pool that the receiver's
// scratch area returns them to. A receive without a deadline waits on its wake channel
// alone; a kill or Runtime.Close interrupts it through that channel.
//
// A spawn (Rust guest, 17 pages, spawn → first message, about 40 µs of CPU): about 40 %
// is instantiation (wazero's Store.instantiate ~20 %, of which table elements ~12 %;
// the WASI context ~10 %), 10 % the exit path (closing the instance, clearing the
// touched pages of the memory for reuse), ~25 % allocation and garbage collection, the
// rest running the child and the messages. Linear memories come from a pool of mmap
// regions sized to the memory's power-of-two class; a freed region keeps its few
// touched pages and zeroes them with stores (see linmem) instead of madvise.
//
// docs/architecture.md follows a spawn, a send and a kill through vm and the packages
// around it; docs/abi/ describes what guests see.
package vm
