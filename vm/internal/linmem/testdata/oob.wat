;; Valid module whose data segment lies past its one-page memory:
;; instantiation fails after wazero has built the memory.
(module
  (memory (export "memory") 1)
  (data (i32.const 70000) "x"))
