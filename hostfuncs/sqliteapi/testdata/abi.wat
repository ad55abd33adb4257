;; ABI-level cases of lunatic::sqlite that a Rust guest cannot express: the pointer-0
;; connection id, the 8-byte length writes, zero-length results, bad strings and pointers.
;; Each exported function is one case; a failed check is `unreachable`.
(module
  (import "lunatic::sqlite" "open" (func $open (param i32 i32 i32) (result i64)))
  (import "lunatic::sqlite" "query_prepare" (func $prepare (param i64 i32 i32) (result i64)))
  (import "lunatic::sqlite" "sqlite3_step" (func $step (param i64) (result i32)))
  (import "lunatic::sqlite" "column_names" (func $column_names (param i64 i32) (result i32)))
  (import "lunatic::sqlite" "column_name" (func $column_name (param i64 i32 i32) (result i32)))
  (import "lunatic::sqlite" "read_row" (func $read_row (param i64 i32) (result i32)))
  (import "lunatic::sqlite" "last_error" (func $last_error (param i64 i32) (result i32)))
  (import "lunatic::error" "string_size" (func $error_size (param i64) (result i32)))

  (memory (export "memory") 1)
  (data (i32.const 16) ":memory:")                  ;; 8 bytes
  (data (i32.const 32) "SELECT 1 AS a, 2 AS b")     ;; 21 bytes
  (data (i32.const 64) "\ff\fe")                     ;; not UTF-8
  (data (i32.const 80) "SELECT 1 AS \22\22")         ;; 14 bytes: one column named ""
  (data (i32.const 96) "no/such/dir/x.db")           ;; 16 bytes

  ;; A bump allocator; $last is the pointer it handed out most recently. With $reenter
  ;; set, it first calls column_names($stmt) itself (once), keeping the pointer in $inner.
  (global $heap (mut i32) (i32.const 4096))
  (global $last (mut i32) (i32.const 0))
  (global $reenter (mut i32) (i32.const 0))
  (global $stmt (mut i64) (i64.const 0))
  (global $inner (mut i32) (i32.const 0))
  (func (export "lunatic_alloc") (param $n i32) (result i32)
    (local $p i32)
    (if (global.get $reenter)
      (then
        (global.set $reenter (i32.const 0))
        (global.set $inner (call $column_names (global.get $stmt) (i32.const 300)))))
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $n)))
    (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 16)))))
    (global.set $last (local.get $p))
    (local.get $p))

  (func $assert (param i32)
    (if (i32.eqz (local.get 0)) (then unreachable)))

  ;; Opens :memory: with the id written to address 0; returns the id.
  (func $open_memory (result i64)
    (call $assert (i64.eqz (call $open (i32.const 16) (i32.const 8) (i32.const 0))))
    (i64.load (i32.const 0)))

  ;; lunatic-rs passes address 0 for the id: ids start at 0 and fill all 8 bytes.
  (func (export "open_ptr0")
    (i64.store (i32.const 0) (i64.const -1))
    (call $assert (i64.eq (call $open_memory) (i64.const 0)))
    (i64.store (i32.const 0) (i64.const -1))
    (call $assert (i64.eq (call $open_memory) (i64.const 1))))

  ;; The length goes to len_ptr as 8 little-endian bytes, nothing more.
  (func (export "len_8_bytes")
    (local $stmt i64) (local $p i32)
    (local.set $stmt (call $prepare (call $open_memory) (i32.const 32) (i32.const 21)))
    (i64.store (i32.const 200) (i64.const -1))
    (i64.store (i32.const 208) (i64.const -1))
    (local.set $p (call $column_names (local.get $stmt) (i32.const 200)))
    (call $assert (i32.eq (local.get $p) (global.get $last)))
    (call $assert (i64.eq (i64.load (i32.const 200)) (i64.const 26)))
    (call $assert (i64.eq (i64.load (i32.const 208)) (i64.const -1)))
    (call $assert (i64.eq (i64.load (local.get $p)) (i64.const 2)))
    (call $assert (i32.eq (i32.load8_u offset=16 (local.get $p)) (i32.const 0x61)))
    (call $assert (i32.eq (i32.load8_u offset=25 (local.get $p)) (i32.const 0x62)))
    ;; column_name is raw bytes: "b", length 1.
    (i64.store (i32.const 200) (i64.const -1))
    (local.set $p (call $column_name (local.get $stmt) (i32.const 1) (i32.const 200)))
    (call $assert (i64.eq (i64.load (i32.const 200)) (i64.const 1)))
    (call $assert (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x62))))

  ;; A zero-length result still goes through lunatic_alloc(0).
  (func (export "zero_len")
    (local $stmt i64) (local $p i32)
    (local.set $stmt (call $prepare (call $open_memory) (i32.const 80) (i32.const 14)))
    (global.set $last (i32.const -1))
    (i64.store (i32.const 200) (i64.const -1))
    (local.set $p (call $column_name (local.get $stmt) (i32.const 0) (i32.const 200)))
    (call $assert (i32.eq (local.get $p) (global.get $last)))
    (call $assert (i64.eqz (i64.load (i32.const 200)))))

  ;; last_error with nothing to report: {code: None, message: None} = 00 00.
  (func (export "no_error")
    (local $p i32)
    (i64.store (i32.const 200) (i64.const -1))
    (i32.store16 (i32.const 4096) (i32.const 0xFFFF))
    (local.set $p (call $last_error (call $open_memory) (i32.const 200)))
    (call $assert (i64.eq (i64.load (i32.const 200)) (i64.const 2)))
    (call $assert (i32.eqz (i32.load16_u (local.get $p)))))

  ;; A failing open writes an error id and returns 1.
  (func (export "open_fails")
    (i64.store (i32.const 0) (i64.const -1))
    (call $assert (i64.eq (call $open (i32.const 96) (i32.const 16) (i32.const 0)) (i64.const 1)))
    (call $assert (i64.eqz (i64.load (i32.const 0))))
    (call $assert (i32.gt_u (call $error_size (i64.const 0)) (i32.const 0))))

  (func (export "path_not_utf8")
    (drop (call $open (i32.const 64) (i32.const 2) (i32.const 0))))

  (func (export "path_oob")
    (drop (call $open (i32.const 65530) (i32.const 8) (i32.const 0))))

  ;; The id needs 8 bytes: 4 left at the end of memory are not enough.
  (func (export "id_ptr_oob")
    (drop (call $open (i32.const 16) (i32.const 8) (i32.const 65532))))

  (func (export "len_ptr_oob")
    (local $stmt i64)
    (local.set $stmt (call $prepare (call $open_memory) (i32.const 32) (i32.const 21)))
    (drop (call $column_names (local.get $stmt) (i32.const 65530))))

  (func (export "read_row_no_row")
    ;; Before the first step every column reads as Null: [Null, Null].
    (local $stmt i64) (local $p i32)
    (local.set $stmt (call $prepare (call $open_memory) (i32.const 32) (i32.const 21)))
    (local.set $p (call $read_row (local.get $stmt) (i32.const 200)))
    (call $assert (i64.eq (i64.load (i32.const 200)) (i64.const 16)))
    (call $assert (i64.eq (i64.load (local.get $p)) (i64.const 2)))
    (call $assert (i64.eqz (i64.load offset=8 (local.get $p)))))

  ;; lunatic_alloc may call back into the module: both results come out whole.
  (func (export "reentrant_alloc")
    (local $outer i32)
    (global.set $stmt (call $prepare (call $open_memory) (i32.const 32) (i32.const 21)))
    (global.set $reenter (i32.const 1))
    (local.set $outer (call $column_names (global.get $stmt) (i32.const 200)))
    (call $assert (i32.ne (local.get $outer) (global.get $inner)))
    (call $assert (i64.eq (i64.load (i32.const 200)) (i64.const 26)))
    (call $assert (i64.eq (i64.load (i32.const 300)) (i64.const 26)))
    (call $assert (i64.eq (i64.load (local.get $outer)) (i64.const 2)))
    (call $assert (i64.eq (i64.load (global.get $inner)) (i64.const 2)))
    (call $assert (i32.eq (i32.load8_u offset=25 (local.get $outer)) (i32.const 0x62)))
    (call $assert (i32.eq (i32.load8_u offset=25 (global.get $inner)) (i32.const 0x62)))
    ;; And the cached lunatic_alloc still works afterwards.
    (call $assert (i64.eq (i64.load (call $column_names (global.get $stmt) (i32.const 200))) (i64.const 2))))
)
