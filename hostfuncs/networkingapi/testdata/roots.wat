;; A guest for TestKillDuringCustomRoots: tls_connect with 2,000,000 custom root entries,
;; each describing the whole 16 MiB memory (no PEM in it), so reading the roots takes the
;; host hours. It prints "ready" just before the call.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "lunatic::networking" "tls_connect" (func $tls_connect (param i32 i32 i32 i64 i32 i32 i32) (result i32)))
  (memory (export "memory") 256)
  (data (i32.const 0) "localhost")
  (data (i32.const 16) "ready\n")

  (func (export "many_roots") (local $i i32)
    ;; entries from 1024: {ptr 0, len 16 MiB}
    (loop $fill
      (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 3))) (i32.const 0))
      (i32.store (i32.add (i32.const 1028) (i32.shl (local.get $i) (i32.const 3))) (i32.const 0x1000000))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 2000000))))
    (i32.store (i32.const 32) (i32.const 16))
    (i32.store (i32.const 36) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))
    (drop (call $tls_connect (i32.const 0) (i32.const 9) (i32.const 443) (i64.const -1) (i32.const 48)
                             (i32.const 1024) (i32.const 2000000))))
)
