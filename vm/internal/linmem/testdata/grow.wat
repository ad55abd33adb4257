;; One-page memory with helpers to grow it and to read and write it.
(module
  (memory (export "memory") 1)
  (func (export "grow") (param $pages i32) (result i32)
    local.get $pages
    memory.grow)
  (func (export "size") (result i32)
    memory.size)
  (func (export "store") (param $addr i32) (param $v i32)
    local.get $addr
    local.get $v
    i32.store)
  (func (export "load") (param $addr i32) (result i32)
    local.get $addr
    i32.load))
