;; Guests for kill_test.go: each export prints "ready", blocks in a stdin read (a WASI call
;; that does not wake on a kill), then makes one networking call. The test kills the
;; process during the read and then feeds stdin, so the call runs in a dead process.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "lunatic::networking" "tcp_bind" (func $tcp_bind (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "lunatic::networking" "udp_bind" (func $udp_bind (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) "\7f\00\00\01")      ;; 127.0.0.1
  (data (i32.const 300) "ready\n")

  (func $wait
    (i32.store (i32.const 16) (i32.const 300))
    (i32.store (i32.const 20) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (i32.store (i32.const 32) (i32.const 400))
    (i32.store (i32.const 36) (i32.const 1))
    (drop (call $fd_read (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 40))))

  (func (export "tcp_bind_when_dead")
    (call $wait)
    (drop (call $tcp_bind (i32.const 4) (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
  (func (export "udp_bind_when_dead")
    (call $wait)
    (drop (call $udp_bind (i32.const 4) (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
)
