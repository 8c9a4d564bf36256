;; The reader's hot loop in WebAssembly (int-columns.ts drives it): the numbers of a `nodes` or `edges` array,
;; parsed eight digits at a time (SWAR on i64) from a number's start found with one 16-byte SIMD compare, checked
;; and stored straight into one column per record field. It stops, and hands the bytes to the JavaScript
;; scanner, at anything that is not V8's own layout (`1,2` and `1\n,2`, closed by `]` or `\n]`).
;;
;; Memory: [0, 64) the columns' byte offsets (u32 per field), [64, 192) each field's exclusive upper bound
;; (i64), then the input bytes and the columns where int-columns.ts places them.
;;
;; scan(p, end) reads [p, end), where end holds a byte that is no digit and 15 more bytes may be read after it
;; (the 16-byte loads). It returns a status; `stop` is where it stopped:
;;   0 the input ended inside a number or its separator (stop: its start; the caller keeps the bytes from there
;;     and puts them ahead of the next input)
;;   1 the columns are full (stop: a record's start)
;;   2 the array closed (stop: after `]`)
;;   3 anything else (stop: the start of the number not taken): the caller's scanner goes on from there
(module
  (memory (export "memory") 1)
  (global $fields (mut i32) (i32.const 1))
  (global $capacity (mut i32) (i32.const 0))
  (global $divField (mut i32) (i32.const -1))
  (global $divisor (mut i32) (i32.const 1))
  (global $typeField (mut i32) (i32.const -1))
  (global $nameField (mut i32) (i32.const -1))
  (global $indexTypes (mut i32) (i32.const 0))
  (global $field (mut i32) (i32.const 0))
  (global $record (mut i32) (i32.const 0))
  (global $isIndex (mut i32) (i32.const 0))
  (global $maxName (mut i32) (i32.const 0))
  (global $stop (mut i32) (i32.const 0))

  ;; fields per record, records per column; the field whose values are divided (edge targets by the node
  ;; width, -1 for none) and by what; the type field whose types in `indexTypes` (a bit per type) make the
  ;; record's name an index, not a string; the name field whose largest string index is kept.
  (func (export "configure")
    (param $fields i32) (param $capacity i32) (param $divField i32) (param $divisor i32)
    (param $typeField i32) (param $nameField i32) (param $indexTypes i32)
    (global.set $fields (local.get $fields))
    (global.set $capacity (local.get $capacity))
    (global.set $divField (local.get $divField))
    (global.set $divisor (local.get $divisor))
    (global.set $typeField (local.get $typeField))
    (global.set $nameField (local.get $nameField))
    (global.set $indexTypes (local.get $indexTypes))
    (global.set $field (i32.const 0))
    (global.set $record (i32.const 0))
    (global.set $isIndex (i32.const 0))
    (global.set $maxName (i32.const 0)))

  ;; The record in progress restarts at row 0 (after the caller moved its first `field` values there).
  (func (export "rewind") (global.set $record (i32.const 0)))
  (func (export "field") (result i32) (global.get $field))
  (func (export "record") (result i32) (global.get $record))
  (func (export "maxName") (result i32) (global.get $maxName))
  (func (export "stop") (result i32) (global.get $stop))

  (func (export "scan") (param $p i32) (param $end i32) (result i32)
    (local $field i32) (local $record i32) (local $isIndex i32) (local $maxName i32)
    (local $len i32) (local $w i64) (local $value i64) (local $v i32) (local $q i32) (local $c i32)
    (local $next i32) (local $closed i32) (local $status i32)
    (local.set $field (global.get $field))
    (local.set $record (global.get $record))
    (local.set $isIndex (global.get $isIndex))
    (local.set $maxName (global.get $maxName))
    (local.set $status (i32.const 3))
    (block $exit
      (loop $number
        (if (i32.ge_u (local.get $p) (local.get $end))
          (then (local.set $status (i32.const 0)) (br $exit)))
        (if (i32.and (i32.eqz (local.get $field)) (i32.ge_u (local.get $record) (global.get $capacity)))
          (then (local.set $status (i32.const 1)) (br $exit)))
        ;; digits at p: the first byte of 16 that is not one ends the number
        (local.set $len
          (i32.ctz (i32.xor (i32.const -1)
            (i8x16.bitmask
              (i8x16.lt_u
                (i8x16.sub (v128.load (local.get $p)) (v128.const i8x16 48 48 48 48 48 48 48 48 48 48 48 48 48 48 48 48))
                (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))))
        (if (i32.ge_u (i32.add (local.get $p) (local.get $len)) (local.get $end))
          (then (local.set $status (i32.const 0)) (br $exit)))
        (br_if $exit (i32.eqz (local.get $len)))
        (br_if $exit (i32.gt_u (local.get $len) (i32.const 10)))
        ;; the last eight digits (or fewer, zeros shifted in ahead of them), first digit in the lowest byte
        (if (i32.le_u (local.get $len) (i32.const 8))
          (then (local.set $w (i64.shl (i64.load (local.get $p))
                                       (i64.extend_i32_u (i32.shl (i32.sub (i32.const 8) (local.get $len)) (i32.const 3))))))
          (else (local.set $w (i64.load (i32.sub (i32.add (local.get $p) (local.get $len)) (i32.const 8))))))
        (local.set $w (i64.and (local.get $w) (i64.const 0x0F0F0F0F0F0F0F0F)))
        (local.set $w (i64.shr_u (i64.mul (local.get $w) (i64.const 2561)) (i64.const 8)))
        (local.set $w (i64.shr_u (i64.mul (i64.and (local.get $w) (i64.const 0x00FF00FF00FF00FF)) (i64.const 6553601))
                                 (i64.const 16)))
        (local.set $value (i64.shr_u (i64.mul (i64.and (local.get $w) (i64.const 0x0000FFFF0000FFFF))
                                              (i64.const 42949672960001))
                                     (i64.const 32)))
        (if (i32.gt_u (local.get $len) (i32.const 8))
          (then
            (local.set $c (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
            (if (i32.eq (local.get $len) (i32.const 10))
              (then (local.set $c (i32.add (i32.mul (local.get $c) (i32.const 10))
                                           (i32.sub (i32.load8_u offset=1 (local.get $p)) (i32.const 48))))))
            (local.set $value (i64.add (local.get $value)
                                       (i64.mul (i64.extend_i32_u (local.get $c)) (i64.const 100000000))))))
        ;; the separator: `,` or `\n,` goes on, `]` or `\n]` closes, anything else is the scanner's
        (local.set $q (i32.add (local.get $p) (local.get $len)))
        (local.set $c (i32.load8_u (local.get $q)))
        (local.set $closed (i32.const 0))
        (if (i32.eq (local.get $c) (i32.const 0x0a))
          (then
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (if (i32.ge_u (local.get $q) (local.get $end))
              (then (local.set $status (i32.const 0)) (br $exit)))
            (local.set $c (i32.load8_u (local.get $q)))))
        (if (i32.eq (local.get $c) (i32.const 0x5d))
          (then (local.set $closed (i32.const 1)))
          (else (br_if $exit (i32.ne (local.get $c) (i32.const 0x2c)))))
        (local.set $next (i32.add (local.get $q) (i32.const 1)))
        ;; the field's bound (u32 at most), then the target's division, the type's kind and the largest name
        (br_if $exit (i64.ge_u (local.get $value)
                               (i64.load offset=64 (i32.shl (local.get $field) (i32.const 3)))))
        (local.set $v (i32.wrap_i64 (local.get $value)))
        (if (i32.eq (local.get $field) (global.get $divField))
          (then
            (local.set $c (i32.div_u (local.get $v) (global.get $divisor)))
            (br_if $exit (i32.ne (i32.mul (local.get $c) (global.get $divisor)) (local.get $v)))
            (local.set $v (local.get $c))))
        (if (i32.eq (local.get $field) (global.get $typeField))
          (then (local.set $isIndex (i32.and (i32.shr_u (global.get $indexTypes) (local.get $v)) (i32.const 1)))))
        (if (i32.eq (local.get $field) (global.get $nameField))
          (then
            (if (i32.and (i32.eqz (local.get $isIndex)) (i32.gt_u (local.get $v) (local.get $maxName)))
              (then (local.set $maxName (local.get $v))))))
        (i32.store
          (i32.add (i32.load (i32.shl (local.get $field) (i32.const 2))) (i32.shl (local.get $record) (i32.const 2)))
          (local.get $v))
        (local.set $field (i32.add (local.get $field) (i32.const 1)))
        (if (i32.eq (local.get $field) (global.get $fields))
          (then
            (local.set $field (i32.const 0))
            (local.set $record (i32.add (local.get $record) (i32.const 1)))))
        (local.set $p (local.get $next))
        (if (local.get $closed) (then (local.set $status (i32.const 2)) (br $exit)))
        (br $number)))
    (global.set $field (local.get $field))
    (global.set $record (local.get $record))
    (global.set $isIndex (local.get $isIndex))
    (global.set $maxName (local.get $maxName))
    (global.set $stop (local.get $p))
    (local.get $status))
)
