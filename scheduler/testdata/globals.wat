;; Globals of every origin, for the index remapping of Epoch mode: an imported
;; global (index 0), a defined global initialised from it, a data segment
;; whose offset reads it, exported globals, and code that reads and writes
;; globals.
(module
  (import "env" "base" (global $base i32))
  (global $g1 (mut i32) (global.get $base))
  (global $g2 (mut i64) (i64.const 7))
  (global $off i32 (i32.const 1000))
  (global $g3 (export "g3") (mut i32) (i32.const 5))
  (export "g1" (global $g1))
  (export "base" (global $base))
  (memory (export "mem") 1)
  (data (global.get $base) "\2a")
  (table 4 funcref)
  (elem (i32.const 1) $get1)
  (func $get1 (result i32) (global.get $g1))
  ;; Adds n to g1 in a loop (a back edge check) and returns
  ;; g1 + g2 + g3 + the byte at $off + base.
  (func (export "run") (param $n i32) (result i64)
    (loop $l
      (global.set $g1 (i32.add (global.get $g1) (i32.const 1)))
      (global.set $g2 (i64.add (global.get $g2) (i64.const 2)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i64.add
      (i64.add (i64.extend_i32_u (call $get1)) (global.get $g2))
      (i64.extend_i32_u
        (i32.add (i32.add (global.get $g3) (i32.load8_u (global.get $off))) (global.get $base))))))
