;; Control flow whose executed-operator count depends on the path taken, for
;; the Exact-mode tests: each export is run with several arguments and the
;; fuel it is charged must equal the count of a reference instrumentation.
(module
  (import "host" "double" (func $double (param i32) (result i32)))
  (type $i2i (func (param i32) (result i32)))
  (type $pair (func (param i32) (result i32 i32)))
  (memory 1)
  (table 3 funcref)
  (elem (i32.const 0) $leaf $fib $early)

  (func (export "nothing"))

  (func $leaf (export "leaf") (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))

  ;; A return before most of the body.
  (func $early (export "early") (param $n i32) (result i32)
    (local $x i32)
    (if (i32.gt_u (local.get $n) (i32.const 10))
      (then (return (i32.const 1))))
    (local.set $x (i32.mul (local.get $n) (local.get $n)))
    (local.set $x (i32.add (local.get $x) (i32.const 7)))
    (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 3))))
    (local.set $x (i32.add (local.get $x) (local.get $n)))
    (local.get $x))

  ;; if/else arms of different lengths, nested, and an if without else.
  (func (export "arms") (param $n i32) (result i32)
    (local $x i32)
    (if (i32.and (local.get $n) (i32.const 1))
      (then (local.set $x (i32.const 1)))
      (else
        (local.set $x (i32.mul (i32.add (local.get $n) (i32.const 3)) (i32.const 5)))
        (if (i32.and (local.get $n) (i32.const 2))
          (then
            (local.set $x (i32.add (local.get $x) (i32.const 9)))
            (local.set $x (i32.rotl (local.get $x) (i32.const 9))))
          (else (nop) (drop (i32.const 4))))))
    (if (i32.and (local.get $n) (i32.const 4))
      (then (local.set $x (i32.sub (local.get $x) (i32.const 100)))))
    (select (local.get $x) (i32.const 0) (i32.gt_s (local.get $x) (i32.const 0))))

  ;; br_if out of nested blocks, with and without values.
  (func (export "brif") (param $n i32) (result i32)
    (local $x i32)
    (block $a (result i32)
      (block $b
        (block $c
          (local.set $x (i32.const 5))
          (br_if $c (i32.eqz (local.get $n)))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (br_if $b (i32.eq (local.get $n) (i32.const 1)))
          (drop (br_if $a (i32.const 77) (i32.eq (local.get $n) (i32.const 2))))
          (local.set $x (i32.add (local.get $x) (i32.const 2))))
        (local.set $x (i32.mul (local.get $x) (i32.const 3))))
      (i32.add (local.get $x) (i32.const 1000))))

  ;; br_table into blocks at several depths, each followed by its own code.
  (func (export "table") (param $n i32) (result i32)
    (local $x i32)
    (block $out
      (block $d2
        (block $d1
          (block $d0
            (br_table $d0 $d1 $d2 $out $d1 (local.get $n)))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (br $out))
        (local.set $x (i32.add (local.get $x) (i32.const 10)))
        (local.set $x (i32.add (local.get $x) (i32.const 10))))
      (local.set $x (i32.add (local.get $x) (i32.const 100))))
    (local.get $x))

  ;; A loop left from the middle of its body.
  (func (export "loopmid") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.xor (local.get $acc) (i32.const 0x55)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))

  ;; Nested loops; the inner one leaves both at once.
  (func (export "nested") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $acc i32)
    (block $all
      (loop $outer
        (local.set $j (i32.const 0))
        (loop $inner
          (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $j))))
          (br_if $all (i32.gt_u (local.get $acc) (i32.const 5000)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.get $j) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $acc))

  ;; A return out of a loop nested in blocks.
  (func (export "loopret") (param $n i32) (result i32)
    (local $i i32)
    (block
      (loop $l
        (if (i32.eq (local.get $i) (local.get $n))
          (then (return (i32.mul (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 50)))))
    (i32.const -1))

  ;; Recursion.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; Calls in the middle of expressions, direct and through the table.
  (func (export "calls") (param $n i32) (result i32)
    (i32.add
      (call $leaf (call $leaf (local.get $n)))
      (call_indirect (type $i2i) (i32.rem_u (local.get $n) (i32.const 10))
        (i32.rem_u (local.get $n) (i32.const 3)))))

  ;; Host calls in a loop.
  (func (export "host") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $double (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; Code that never runs: after br, return and unreachable, with blocks,
  ;; loops and calls in it.
  (func (export "dead") (param $n i32) (result i32)
    (block $b
      (br_if $b (local.get $n))
      (br $b)
      (loop $never (call $leaf (i32.const 1)) (drop) (br $never))
      (drop (call $fib (i32.const 30))))
    (block $c (result i32)
      (if (local.get $n)
        (then (br $c (i32.const 3)) (drop (i32.const 4)))
        (else (return (i32.const 9)) (unreachable)))
      (i32.const 5)))

  ;; Multi-value blocks and a loop with parameters.
  (func $split (param i32) (result i32 i32)
    (local.get 0) (i32.add (local.get 0) (i32.const 1)))
  (func (export "multi") (param $n i32) (result i32)
    (local.get $n)
    (loop $l (param i32) (result i32)
      (i32.add (i32.const 3))
      (local.tee $n)
      (br_if $l (i32.lt_u (local.get $n) (i32.const 60))))
    (call $split)
    (block (param i32 i32) (result i32) (i32.mul))
    (if (param i32) (result i32) (i32.gt_u (local.get $n) (i32.const 70))
      (then (i32.const 1) (i32.add))
      (else (drop) (i32.const 2))))

  ;; Memory, unreachable and a trap on request.
  (func (export "trap") (param $n i32) (result i32)
    (i32.store (i32.const 16) (local.get $n))
    (if (i32.eq (local.get $n) (i32.const 7)) (then (unreachable)))
    (i32.load (i32.const 16)))
)
