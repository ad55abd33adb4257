;; Covers every place that holds a function index, so that a wrong remap shows
;; up as a wrong result: calls, call_indirect through tables filled by active,
;; passive and declarative element segments of every encoding, ref.func in
;; code and in a global initialiser, exports, the start function and names.
(module
  (import "env" "add1" (func $add1 (param i32) (result i32)))
  (import "env" "base" (global $base i32))
  (type $i2i (func (param i32) (result i32)))
  (table $t 8 funcref)
  (table $t2 4 funcref)
  (memory 1)
  (global $started (mut i32) (i32.const 0))
  (global $gref funcref (ref.func $triple))

  (elem (i32.const 0) $double $triple)                                ;; flags 0
  (elem $pfunc func $square $add1)                                    ;; flags 1
  (elem (table $t2) (i32.const 0) func $neg $double)                  ;; flags 2
  (elem declare func $plus100)                                        ;; flags 3
  (elem (i32.const 4) funcref (ref.func $minus1) (ref.null func))     ;; flags 4
  (elem $pexpr funcref (ref.func $plus7) (ref.func $triple) (ref.null func))        ;; flags 5
  (elem (table $t2) (i32.const 2) funcref (ref.func $square) (ref.null func))       ;; flags 6
  (elem declare funcref (ref.func $half) (ref.null func))                          ;; flags 7

  (func $double (param $x i32) (result i32) (i32.mul (local.get $x) (i32.const 2)))
  (func $triple (param $x i32) (result i32) (i32.mul (local.get $x) (i32.const 3)))
  (func $square (param $x i32) (result i32) (i32.mul (local.get $x) (local.get $x)))
  (func $neg (param $x i32) (result i32) (i32.sub (i32.const 0) (local.get $x)))
  (func $plus100 (param $x i32) (result i32) (i32.add (local.get $x) (i32.const 100)))
  (func $minus1 (param $x i32) (result i32) (i32.sub (local.get $x) (i32.const 1)))
  (func $plus7 (param $x i32) (result i32) (i32.add (local.get $x) (i32.const 7)))
  (func $half (param $x i32) (result i32) (i32.div_s (local.get $x) (i32.const 2)))
  (func $init (global.set $started (i32.add (global.get $base) (i32.const 42))))
  (start $init)

  (func (export "started") (result i32) (global.get $started))
  (func (export "direct") (param i32) (result i32)
    (call $double (call $add1 (local.get 0))))
  ;; call_indirect through table $t slot i (0,1 from flags 0; 4 from flags 4)
  (func (export "indirect") (param $x i32) (param $slot i32) (result i32)
    (call_indirect $t (type $i2i) (local.get $x) (local.get $slot)))
  ;; call_indirect through table $t2 (flags 2 and 6)
  (func (export "indirect2") (param $x i32) (param $slot i32) (result i32)
    (call_indirect $t2 (type $i2i) (local.get $x) (local.get $slot)))
  ;; ref.func in code, for a function declared by a flags 3 segment
  (func (export "ref_code") (param $x i32) (result i32)
    (table.set $t (i32.const 6) (ref.func $plus100))
    (call_indirect $t (type $i2i) (local.get $x) (i32.const 6)))
  ;; ref.func in code, declared by a flags 7 segment
  (func (export "ref_code7") (param $x i32) (result i32)
    (table.set $t (i32.const 6) (ref.func $half))
    (call_indirect $t (type $i2i) (local.get $x) (i32.const 6)))
  ;; passive segments copied into $t at 6..7, then called
  (func (export "passive") (param $x i32) (param $seg i32) (param $i i32) (result i32)
    (if (i32.eqz (local.get $seg))
      (then (table.init $t $pfunc (i32.const 6) (i32.const 0) (i32.const 2)))
      (else (table.init $t $pexpr (i32.const 6) (i32.const 0) (i32.const 2))))
    (call_indirect $t (type $i2i) (local.get $x) (i32.add (i32.const 6) (local.get $i))))
  ;; funcref from a global initialiser
  (func (export "global_ref") (param $x i32) (result i32)
    (table.set $t (i32.const 7) (global.get $gref))
    (call_indirect $t (type $i2i) (local.get $x) (i32.const 7)))
  (export "double" (func $double))
  (export "add1" (func $add1))
  (export "table" (table $t))
  (export "tab2" (table $t2))

  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
  (func $inner_trap (param $deep i32)
    (if (local.get $deep) (then unreachable)))
  (func $outer_trap (export "trap") (call $inner_trap (i32.const 1)))
)
