;; Guests of BenchmarkStackOverflowMemory (bench/stack_test.go): each recurses until its
;; wasm stack runs out. No imports.
(module
  (memory 1)
  ;; $deep recurses with a small frame.
  (func $deep (param $d i64) (result i64)
    (i64.add (call $deep (i64.add (local.get $d) (i64.const 1))) (i64.const 1)))
  (func (export "deep") (drop (call $deep (i64.const 0)))))
