;; One export per feature group that wazero enables by default. Each returns a
;; checksum; the instrumented module must return the same values.
(module
  (type $pair (func (param i32 i32) (result i32 i32)))
  (type $i2i (func (param i32) (result i32)))
  (memory 1)
  (table $t 4 funcref)
  (table $x 2 externref)
  (data $d "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (data (i32.const 64) "wazero")
  (elem $e func $sq $inc)
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))

  ;; MVP control flow: nested blocks, br_table, if/else, select, loops.
  (func (export "control") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (loop $top
      (block $b3 (block $b2 (block $b1 (block $b0
        (br_table $b0 $b1 $b2 $b3 (i32.rem_u (local.get $i) (i32.const 5))))
        (local.set $acc (i64.add (local.get $acc) (i64.const 1))) (br $b3))
        (local.set $acc (i64.mul (local.get $acc) (i64.const 3))) (br $b3))
        (if (i32.and (local.get $i) (i32.const 1))
          (then (local.set $acc (i64.sub (local.get $acc) (i64.const 7))))
          (else (local.set $acc (i64.xor (local.get $acc) (i64.const 0x5555))))))
      (local.set $acc (select (local.get $acc) (i64.rotl (local.get $acc) (i64.const 3))
        (i32.gt_u (local.get $i) (i32.const 10))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; Small loops, which EpochLoops mode unrolls (unroll.go): back edges by br, br_if
  ;; and br_table, from nested blocks and ifs; branches out of a loop to several
  ;; depths, to an outer loop and with a value; a loop with a result; loops left from
  ;; either copy (odd and even n).
  (func (export "unroll") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $acc i64)
    ;; A result, left by falling off the end.
    (local.set $acc
      (loop $a (result i64)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $a (i32.lt_u (local.get $i) (local.get $n)))
        (i64.extend_i32_u (local.get $i))))
    ;; br_table to the loop and to a block inside it; a back edge from an if.
    (local.set $i (i32.const 0))
    (block $exit
      (loop $b
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.ge_u (local.get $i) (local.get $n)) (then (br $exit)))
        (block $skip
          (br_table $b $skip $b (i32.rem_u (local.get $i) (i32.const 3))))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
        (if (i32.and (local.get $i) (i32.const 4)) (then (br $b)))
        (local.set $acc (i64.xor (local.get $acc) (i64.const 0x3c)))
        (br $b)))
    ;; An inner loop that continues the outer one and leaves both.
    (local.set $i (i32.const 0))
    (block $done
      (loop $outer
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.gt_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (loop $inner
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $outer (i32.eq (local.get $j) (local.get $i)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.mul (local.get $i) (local.get $j)))))
          (br_if $done (i64.gt_u (local.get $acc) (i64.const 100000)))
          (br $inner))))
    ;; nop, if/else and ref.func, which the scan decodes itself, in a small loop.
    (local.set $i (i32.add (local.get $n) (i32.const 1)))
    (loop $d
      nop
      (drop (ref.func $sq))
      (if (i32.and (local.get $i) (i32.const 1))
        (then (local.set $acc (i64.add (local.get $acc) (i64.const 5))))
        (else (local.set $acc (i64.mul (local.get $acc) (i64.const 3)))))
      (br_if $d (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
    ;; A value carried out of the loop by br_if, from a block with a result.
    (local.set $i (i32.const 0))
    (local.set $acc (i64.add (local.get $acc)
      (block $v (result i64)
        (loop $c
          (local.set $i (i32.add (local.get $i) (i32.const 3)))
          (drop (br_if $v (i64.extend_i32_u (local.get $i)) (i32.ge_u (local.get $i) (local.get $n))))
          (br $c))
        (i64.const -1))))
    (local.get $acc))

  ;; Multi-value: blocks and loops typed by a type index, with parameters.
  (func (export "multivalue") (param $n i32) (result i64)
    (local $a i32) (local $b i32)
    (i32.const 1) (i32.const 1)
    (loop $fib (type $pair) (param i32 i32) (result i32 i32)
      (local.set $b) (local.set $a)
      (local.get $b) (i32.add (local.get $a) (local.get $b))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $fib (local.get $n)))
    (block (type $pair) (param i32 i32) (result i32 i32) (nop))
    (local.set $b) (local.set $a)
    (i64.add (i64.mul (i64.extend_i32_u (local.get $a)) (i64.const 1000000))
             (i64.extend_i32_u (local.get $b))))

  ;; Sign extension and saturating float-to-int conversions.
  (func (export "numeric") (param $x i64) (result i64)
    (local $acc i64)
    (local.set $acc (i64.add (i64.extend8_s (local.get $x)) (i64.extend16_s (local.get $x))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend32_s (local.get $x))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s
      (i32.add (i32.extend8_s (i32.wrap_i64 (local.get $x))) (i32.extend16_s (i32.wrap_i64 (local.get $x)))))))
    (local.set $acc (i64.add (local.get $acc) (i64.trunc_sat_f64_s (f64.const 1e300))))
    (local.set $acc (i64.add (local.get $acc) (i64.trunc_sat_f32_u (f32.const -5.5))))
    (local.set $acc (i64.add (local.get $acc) (i64.trunc_sat_f32_s (f32.const 1e30))))
    (local.set $acc (i64.add (local.get $acc) (i64.trunc_sat_f64_u (f64.const 12345.6))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.trunc_sat_f32_s (f32.const nan)))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.trunc_sat_f32_u (f32.const 3e9)))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.trunc_sat_f64_s (f64.const -1e20)))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.trunc_sat_f64_u (f64.const 77.9)))))
    (local.get $acc))

  ;; Bulk memory: memory.init, data.drop, memory.copy, memory.fill.
  (func (export "bulk") (result i64)
    (memory.init $d (i32.const 100) (i32.const 0) (i32.const 16))
    (data.drop $d)
    (memory.copy (i32.const 200) (i32.const 100) (i32.const 16))
    (memory.fill (i32.const 204) (i32.const 0xab) (i32.const 4))
    (i64.add (i64.load (i32.const 200)) (i64.load (i32.const 208)))
    (i64.add (i64.extend_i32_u (memory.size)))
    (i64.add (i64.extend_i32_u (memory.grow (i32.const 1))))
    (i64.add (i64.load8_u (i32.const 66))))

  ;; Reference types and table operations.
  (func (export "tables") (param $ext externref) (result i64)
    (local $acc i64)
    (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 2))
    (elem.drop $e)
    (table.copy $t $t (i32.const 2) (i32.const 0) (i32.const 2))
    (local.set $acc (i64.extend_i32_u (call_indirect $t (type $i2i) (i32.const 9) (i32.const 3))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (table.size $t))))
    (local.set $acc (i64.add (local.get $acc)
      (i64.extend_i32_u (table.grow $t (ref.func $sq) (i32.const 2)))))
    (table.fill $t (i32.const 4) (ref.null func) (i32.const 2))
    (table.set $x (i32.const 1) (local.get $ext))
    (local.set $acc (i64.add (local.get $acc)
      (i64.extend_i32_u (ref.is_null (table.get $x (i32.const 0))))))
    (local.set $acc (i64.add (local.get $acc)
      (i64.extend_i32_u (ref.is_null (select (result externref)
        (table.get $x (i32.const 1)) (ref.null extern) (i32.const 1))))))
    (local.set $acc (i64.add (local.get $acc)
      (i64.extend_i32_u (ref.is_null (table.get $t (i32.const 5))))))
    (local.get $acc))

  ;; SIMD: loads and stores with memargs and lanes, v128.const, shuffle, lane
  ;; access, and opcodes both below and above 0x80.
  (func (export "simd") (param $n i32) (result i64)
    (local $v v128) (local $w v128) (local $i i32)
    (memory.fill (i32.const 0) (i32.const 3) (i32.const 64))
    (local.set $v (v128.const i32x4 1 2 3 4))
    (loop $l
      (local.set $w (v128.load offset=16 align=4 (i32.const 0)))
      (local.set $v (i32x4.add (local.get $v) (local.get $w)))
      (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get $v) (local.get $w)))
      (local.set $v (i32x4.mul (local.get $v) (i32x4.splat (i32.const 3))))
      (local.set $v (i16x8.abs (local.get $v)))
      (local.set $v (i64x2.add (local.get $v) (i64x2.extend_low_i32x4_s (local.get $w))))
      (local.set $v (v128.xor (local.get $v) (i8x16.popcnt (local.get $w))))
      (local.set $v (f64x2.add (local.get $v) (f64x2.convert_low_i32x4_s (local.get $w))))
      (local.set $v (i32x4.replace_lane 2 (local.get $v) (i32x4.extract_lane 1 (local.get $v))))
      (local.set $v (v128.load32_lane 3 (i32.const 8) (local.get $v)))
      (v128.store16_lane 1 (i32.const 32) (local.get $v))
      (v128.store offset=48 (i32.const 0) (i32x4.max_u (local.get $v) (v128.load32_zero (i32.const 4))))
      (local.set $v (i8x16.swizzle (local.get $v) (v128.load8_splat (i32.const 2))))
      (local.set $v (i32x4.trunc_sat_f32x4_s (f32x4.sqrt (f32x4.convert_i32x4_u (local.get $v)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i64.add (i64x2.extract_lane 0 (local.get $v)) (i64x2.extract_lane 1 (local.get $v)))
    (i64.add (i64.extend_i32_u (i8x16.bitmask (local.get $v))))
    (i64.add (i64.extend_i32_u (v128.any_true (local.get $v))))
    (i64.add (i64.load offset=48 (i32.const 0))))
)
