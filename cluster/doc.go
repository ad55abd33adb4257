// Package cluster makes lunatic runtimes on several machines (or several processes of
// one) into one cluster, over NATS. It is the only package that imports NATS.
//
// Each node is a vm.Runtime plus one NATS connection. A node either embeds a NATS server
// with JetStream (in-process, no port unless Options.Listen asks for one) or joins an
// existing NATS server or cluster (Options.NATS). What the nodes share lives in JetStream
// buckets prefixed with the cluster name:
//
//	<cluster>_ids       node id allocation: the revision of a put, unique and non-zero
//	<cluster>_nodes     membership: one entry per node, put again every TTL/3; the bucket
//	                    TTL drops a node that stops beating, and its expiry marker tells
//	                    every watcher; a node that leaves deletes its entry
//	<cluster>_registry  the process registry, keyed by environment and name; the names
//	                    of a node that leaves or expires are removed by the nodes that
//	                    see it go (and hidden by them at once)
//	<cluster>_modules   module bytes, named by their id (first 8 bytes of the SHA-256)
//
// Options.Replicas sets how many NATS servers keep each bucket, so that a NATS cluster
// can lose a server.
//
// Remote spawn is a request/reply on <cluster>.v3.node.<id>.spawn, answered once the
// process runs; a remote message is a publish on <cluster>.v3.node.<id>.msg. Both are
// msgpack-encoded (wire.go; messages by hand, without reflection). A node compiles a
// module it is asked to spawn from the first time, downloading it from the object store,
// and keeps it.
//
// # The direct path
//
// NATS carries everything between nodes, but a process message through NATS crosses the
// sender's server, maybe a route to another server, and the receiver's connection: a
// round trip cost 300 µs between nodes on two servers of a NATS cluster (177 µs on one
// server), where Erlang's distribution, a TCP connection between the two nodes, takes
// 35 µs. So each node also listens on a TCP address of its own (Options.Direct) and
// publishes it in its membership entry with a random 32-byte key (direct.go). The first
// message to a node starts a dial in the background; messages take NATS until the
// connection is up, then the connection, behind a fence that keeps their order; if the
// connection breaks they take NATS again until a later dial succeeds. Spawn requests and
// replies ride the same connection. Who may connect: only a dialer that proves, by an
// HMAC over both sides' nonces, that it knows the listener's key, which only readers of
// the membership bucket (holders of the cluster's NATS credentials) have; the listener
// proves it holds the key too, so a dialer never talks to whatever took over a dead
// node's port. With a TLS client certificate for NATS (Auth.TLSCert, TLSKey, TLSCA), the
// connections are TLS as well, both sides presenting that certificate; when NATS uses
// TLS but the node has no certificate, it opens no listener (a plain connection would
// expose what NATS protects), and its peers reach it through NATS.
//
// Where a direct round trip goes (8-byte message, ping and pong processes on two nodes of
// one test process, loopback, 2 cores shared with other work: 31-47 µs per round trip;
// CPU profile of BenchmarkRemote/pingpong/lunatic): the write system calls take about
// 29 % of the CPU (two per round trip, made by the sending process itself, since a frame
// after a pause is written at once; a loopback TCP write also runs the receiver's TCP
// stack), the reads 29 % (each frame is one read that returns data and one that finds
// nothing and parks the reader), parking and waking goroutines in the Go scheduler and
// epoll 15 %, the guests and their host calls besides the write 14 %, framing and
// delivery into the mailbox 3 %. Two goroutines echoing 8 bytes over one loopback TCP
// connection take 21-34 µs in the same conditions (BenchmarkRemote/pingpong/tcp): the
// path costs the floor of TCP plus one goroutine hand-off a direction (reader to
// receiving process), a few µs.
//
// With the pong node in an OS process of its own (pingpong/lunatic-process, the shape of
// Erlang's benchmark) each side sleeps between messages, and the round trip costs what
// the Go scheduler does around two sleeping processes. Its floor is a Go TCP echo
// between two OS processes (pingpong/tcp-process): 29-44 µs in the runs where Erlang's
// two nodes took 40-133 µs (load average 10-16 on the 2 shared cores). Per round trip and
// side, counted with perf's system call tracepoints over 3 s of each benchmark:
//
//	                        futex  write  read  epoll  nanosleep  switches  CPU
//	tcp-process (floor)      0.3    1.0   1.6    1.3     0.2        1.4     22 µs
//	lunatic-process, before  1.8    1.0   1.8    2.0     1.1        4.0     57 µs
//	lunatic-process, after   1.1    1.0   1.8    1.8     0.4        2.2     33 µs
//
// On this virtual machine a system call or a thread switch costs several µs (56 % of all
// CPU samples are the hypervisor's interrupt enabling on the way back from the kernel),
// so these counts are the cost. The CPU profile (perf record -g) of either side, before:
// the scheduler looking for work and parking threads 35 % (findRunnable: epoll, stealing,
// sleeping), sysmon 22 % (the first system call after an idle spell wakes it, and it
// polls every 20 µs until all Ps are idle again; the TCP echo pays it as well), the
// connection's reader 25 % (two reads a frame, one that finds nothing; the delivery
// into the mailbox, whose wake-up of the process goroutine starts a thread for the idle
// P, 7 %, which spins, finds nothing and sleeps again, 8 %), the process with its guest
// and its write 15 %. One cost was the direct path's alone: every write set the
// connection's write deadline, a runtime timer earlier than what the network poller
// slept for, so the thread blocked in epoll_pwait was woken (netpollBreak) before each
// write; the deadline now moves about once a second (writer.extendDeadline), which
// gives the "after" row. What is left above the floor is the reader-to-process
// hand-off (the futex wake and the woken thread's spin) and the guest's own work.
// Yielding the reader right after a delivery, so that the woken thread would make the
// reader's empty read while the process ran, was slower in alternating runs and was
// dropped. TLS 1.3 adds about 2 µs of CPU to an 8-byte round trip (BenchmarkEchoTLS,
// record sealing and opening; within the noise of the wall time). The wall time of the
// two-process round trip follows the machine's load more than these changes: five
// alternating runs at load average 10-16 gave 64-116 µs before and 58-86 µs after,
// against Erlang's 40-133 µs in the same rounds. On the quiet machine (load average
// 2-3) it was worse, not better: 88-118 µs against Erlang's 40-41 µs and the TCP floor's
// 33-36 µs: with idle cores the thread woken for each hand-off really spins before it
// sleeps.
//
// Three changes took the round trip to the floor's pattern. First, the connection's
// reader runs the process a message woke itself (vm.Inline), on the thread that the
// network poller woke for the read, once no further frame is buffered: no hand-off to
// a pooled worker, no futex wake-up of a thread for the idle P and no spinning thread
// competing with the peer for the two cores. A run that takes long (the process blocks
// in a host call, computes past its second yield, or is still running at the next look
// of a millisecond watchdog) hands the reading to a new goroutine, so a busy receiver
// never holds up the messages behind it, and one goroutine reads at a time, so frames
// are delivered in order. Second, the epoch clock of vm ticked every 500 µs as long as
// any process ran across a tick, which a ping-pong's processes do now and then; each
// tick is a blocking timerfd read, and the Go scheduler retakes the P that read holds
// whenever the other P is busy, waking a thread to spin for it and keeping sysmon
// polling every 20 µs. The clock now stays at its idle 10 ms unless a yield gave a
// thread away (a process computed for a while). Third, a direct connection's reads and
// small writes are raw system calls on its non-blocking socket (quiet_linux.go), waiting
// in the network poller as before: an ordinary system call enters through the
// scheduler, and the first after an idle spell wakes sysmon. Counted as above (perf,
// 3 s of the benchmark, each side; load average 6-12, so the CPU is inflated):
//
//	                          futex  write  read  epoll  nanosleep  switches  CPU
//	tcp-process (floor)        0.25   1.0   1.66   1.31    0.26       1.41    24 µs
//	lunatic-process, main      1.0    1.0   2.0    1.85    0.6-0.75   2.7     57-60 µs
//	  reader runs the process  0.5    1.0   1.85   1.6     0.6-0.7    2.3-2.5 50-66 µs
//	  all three changes        0.26   1.0   1.64   1.30    0.25-0.28  1.6     50-52 µs
//
// With fuel counting instead of the epoch clock (LUNATIC_PREEMPT=counting, no timerfd
// reader at all) the same side makes 0.16 futex calls, 0.02 sleeps and 1.15 switches per
// round trip: the 10 ms ticks that are left still cost a few retakes. (vm's watchdog
// now reads the timerfd with a thread outside the Go runtime on amd64, and the epoch mode
// makes the same 1.12 switches; see vm's package doc.) What the CPU
// column has above the floor is the guest and its host calls (the resume of the
// suspended receive, the send with its encoding) and the frame's reading and delivery.
// In five alternating rounds at load average 2-7 the round trip took 68 µs (55-95)
// against main's 138 µs (108-153), with the TCP floor at 29-55 µs in the same rounds
// (1.29-1.73× the floor, median 1.43×); RATIONALE.md ("Why does the reader of a direct
// connection run the receiving process itself?") has the A/B.
//
// A Node implements vm.Node; Start registers it on the runtime, where
// hostfuncs/distributedapi finds it:
//
//	rt, _ := vm.New(ctx, vm.Options{})
//	_ = hostfuncs.InstantiateAll(ctx, rt.Wazero())
//	node, err := cluster.Start(ctx, rt, cluster.Options{Name: "a", NATS: []string{"nats://127.0.0.1:4222"}})
//	if err != nil { … }
//	defer node.Close()
//	mod, _ := rt.Compile(ctx, "app.wasm", wasm)
//	_, _ = node.PublishModule(ctx, wasm, mod)
//	p, _ := node.Environment(1).Spawn(ctx, vm.SpawnOptions{Module: mod, Entry: "_start", …})
package cluster
