;; Loops with a known static cost per iteration, for the fuel accounting tests.
(module
  ;; 12 counted instructions per iteration.
  (func (export "spin") (param $n i64) (result i64)
    (local $i i64) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc) (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $l (i64.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; An infinite loop: only the fuel budget can stop it (the yield import
  ;; traps when the test says so).
  (func (export "forever")
    (loop $l (br $l)))

  ;; An if/else in a loop: the loop is charged the longer arm.
  (func (export "branchy") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (if (i32.and (local.get $i) (i32.const 1))
        (then (local.set $acc (i32.add (local.get $acc) (i32.const 1))))
        (else (local.set $acc (i32.mul (i32.add (local.get $acc) (i32.const 3)) (i32.const 5)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; Calls from a loop: the callee's checks and the loop's share one counter.
  (func $leaf (param i64) (result i64) (i64.add (local.get 0) (i64.const 1)))
  (func (export "calls") (param $n i64) (result i64)
    (local $i i64)
    (loop $l
      (local.set $i (call $leaf (local.get $i)))
      (br_if $l (i64.lt_u (local.get $i) (local.get $n))))
    (local.get $i))

  (func (export "nothing"))

  ;; Counts its back edges in an exported global, for ever: a host that
  ;; reads it at each yield sees at which back edge the check ran.
  (global $edges (export "edges") (mut i64) (i64.const 0))
  (func (export "count_edges")
    (loop $l
      (global.set $edges (i64.add (global.get $edges) (i64.const 1)))
      (br $l)))

  ;; Recursion without loops, directly and through the table: only entry
  ;; checks (direct) or the check before call_indirect see it.
  (type $rec (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $indirect)
  (func $direct (export "direct") (param $n i32) (result i32)
    (if (result i32) (local.get $n)
      (then (i32.add (call $direct (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))
      (else (i32.const 0))))
  (func $indirect (export "indirect") (param $n i32) (result i32)
    (if (result i32) (local.get $n)
      (then (i32.add (call_indirect (type $rec) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0))
                     (i32.const 1)))
      (else (i32.const 0))))
)
