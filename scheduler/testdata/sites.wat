;; Recursive functions for the placement of Epoch mode's checks before the calls of a
;; cycle (TestEpochSiteChecks): each export's comment gives how many checks a call runs.
(module
  ;; fib(n): a check before the first recursive call of the else arm covers the second;
  ;; leaves (n < 2) run none. fib(10): 177 calls, 88 of them not leaves: 88 checks.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; arms(n): a recursive call in each arm of an if; the else arm does not count on
  ;; the then arm's check. arms(n) recurses n times: n checks.
  (func $arms (export "arms") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else
        (if (result i32) (i32.and (local.get $n) (i32.const 1))
          (then (i32.add (call $arms (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))
          (else (i32.add (call $arms (i32.sub (local.get $n) (i32.const 1))) (i32.const 2)))))))

  ;; after(n): a call inside a block that a br_if may leave before it, then a call
  ;; after the block, which needs its own check. For n > 0 a call runs a check before
  ;; the block's call when n is odd, and one before the call after the block.
  (func $after (export "after") (param $n i32) (result i32)
    (local $acc i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    (block $b
      (br_if $b (i32.eqz (i32.and (local.get $n) (i32.const 1))))
      (local.set $acc (call $after (i32.shr_u (local.get $n) (i32.const 1)))))
    (i32.add (local.get $acc) (call $after (i32.shr_u (local.get $n) (i32.const 1)))))

  ;; ping and pong: a cycle of two functions; each checks before calling the other.
  ;; ping(n) makes n calls in all that reach a site: n checks.
  (func $ping (export "ping") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (call $pong (i32.sub (local.get $n) (i32.const 1))))))
  (func $pong (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $leaf (i32.const 1)) (call $ping (i32.sub (local.get $n) (i32.const 1)))))))

  ;; leaf is not on a cycle: calling it needs no check, nor covers one.
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
)
