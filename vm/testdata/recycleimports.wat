;; Calls two imported host functions: TestRecycledInstancesKeepImports checks that an
;; instance built in a recycled engine state calls the host functions the store holds
;; now, also after the host module was replaced.
(module
  (import "env" "a" (func $a (result i32)))
  (import "env" "b" (func $b (param i32) (result i32)))
  (memory 1)
  (func (export "call") (result i32)
    (call $b (call $a))))
