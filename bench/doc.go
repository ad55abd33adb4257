// Package bench holds the benchmark suite of the runtime: each benchmark measures one
// shape (spawn, spawn+exit, idle memory, ping-pong, ring, host call, cold start, HTTP,
// memory after a cascade, memory of stack overflows) on
// lunatic processes and, in the same run, on the plain Go or wazero equivalent that
// serves as its baseline. The package has no API; its code is in the _test.go files.
//
// Run the whole suite, with the benchmarks that live in other packages (fuel overhead in
// scheduler/, sqlite in sqlite/, instantiate+close in vm/internal/linmem, TCP echo in
// hostfuncs/networkingapi) and an Erlang column when erl is installed, with
//
//	make bench
//
// which prints one table and writes it to bench/results.md. A single shape:
//
//	go test ./bench -run '^$' -bench 'PingPong' -benchtime 1s
//
// The guests are in testdata/: benchguest.wasm (Rust, 17 pages, built from testdata/rust
// by testdata/build.sh), bench.wasm (WAT, 1 page), benchguest-debug.wasm (the spawn entries
// of benchguest.wasm in a large program built by the dev profile, from testdata/rustdebug:
// 9,861 functions, a table of 1,103 entries), httpguest.wasm (an HTTP hello-world
// server shaped like the lunatic web framework, from testdata/rusthttp) and overflow.wasm
// (WAT, unbounded recursion).
package bench
