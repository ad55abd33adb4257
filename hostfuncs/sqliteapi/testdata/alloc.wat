;; lunatic_alloc misbehaving: the host call that needs it must trap. $mode selects the
;; behaviour: 0 traps, 1 returns a pointer past the end of memory.
(module
  (import "lunatic::sqlite" "open" (func $open (param i32 i32 i32) (result i64)))
  (import "lunatic::sqlite" "query_prepare" (func $prepare (param i64 i32 i32) (result i64)))
  (import "lunatic::sqlite" "column_names" (func $column_names (param i64 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) ":memory:")
  (data (i32.const 32) "SELECT 1 AS a")
  (global $mode (mut i32) (i32.const 0))
  (func (export "lunatic_alloc") (param i32) (result i32)
    (if (i32.eqz (global.get $mode)) (then unreachable))
    (i32.const 0xFFFFFF00))
  (func $names
    (drop (call $open (i32.const 16) (i32.const 8) (i32.const 0)))
    (drop (call $column_names
      (call $prepare (i64.load (i32.const 0)) (i32.const 32) (i32.const 13))
      (i32.const 200))))
  (func (export "alloc_traps") (global.set $mode (i32.const 0)) (call $names))
  (func (export "alloc_oob") (global.set $mode (i32.const 1)) (call $names))
)
