;; A loop at the bottom of a recursion, for preemptions at a poll with the native stack
;; nearly used up (TestPollPreemptedNearStackBottom). t.arm asks for a preemption.
(module
  (import "t" "arm" (func $arm))
  (func $leaf (param $n i32) (result i32) (local $a i32)
    (call $arm)
    (loop $l
      (local.set $a (i32.add (local.get $a) (local.get $n)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $a))
  ;; rec(d, n) = d + n(n+1)/2, computed at recursion depth d.
  (func $rec (export "rec") (param $d i32) (param $n i32) (result i32)
    (if (result i32) (local.get $d)
      (then (i32.add (call $rec (i32.sub (local.get $d) (i32.const 1)) (local.get $n)) (i32.const 1)))
      (else (call $leaf (local.get $n))))))
