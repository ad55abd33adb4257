;; A 17-page memory (the size of a small Rust guest) with a data segment.
(module
  (memory (export "memory") 17)
  (data (i32.const 1048576) "lunatic")
  (func (export "answer") (result i32)
    i32.const 42))
