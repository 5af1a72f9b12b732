;; A batch of small float32 matrix products, c[p] = a[p] × b[p], in the WASM backend's own memory, with
;; 128-bit SIMD: four output columns at a time, the scalar loop for the last N mod 4. Each output element is
;; summed over k in order, k = 0 … K−1, as the backend's stock loop does (the same values, bit for bit).
;;
;; Source of batchMatMulWasm.ts (scripts/build-wasm-kernels.mjs assembles it, once for the backend's plain
;; memory and once for its shared memory, the threaded build's).
;;
;; a: [batch, M, K] (or one [M, K] for every p when aStep is 0), b: [batch, K, N] (likewise, bStep),
;; c: [batch, M, N]; offsets and steps in bytes.
(module
  (import "env" "memory" (memory MEMORY_LIMITS))
  (func (export "batchMatMul")
    (param $a i32) (param $b i32) (param $c i32) (param $batch i32) (param $M i32) (param $K i32) (param $N i32)
    (param $aStep i32) (param $bStep i32)
    (local $p i32) (local $i i32) (local $n i32) (local $n4 i32) (local $rowB i32)
    (local $aBase i32) (local $bBase i32) (local $aRow i32) (local $aEnd i32) (local $aK i32) (local $bCol i32) (local $cRow i32)
    (local $acc v128) (local $s f32)
    (local.set $n4 (i32.and (local.get $N) (i32.const -4)))
    (local.set $rowB (i32.shl (local.get $N) (i32.const 2)))
    (local.set $cRow (local.get $c))
    (block $doneP (loop $eachP
      (br_if $doneP (i32.ge_u (local.get $p) (local.get $batch)))
      (local.set $aBase (i32.add (local.get $a) (i32.mul (local.get $p) (local.get $aStep))))
      (local.set $bBase (i32.add (local.get $b) (i32.mul (local.get $p) (local.get $bStep))))
      (local.set $i (i32.const 0))
      (block $doneI (loop $eachI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $M)))
        (local.set $aRow (i32.add (local.get $aBase) (i32.shl (i32.mul (local.get $i) (local.get $K)) (i32.const 2))))
        (local.set $aEnd (i32.add (local.get $aRow) (i32.shl (local.get $K) (i32.const 2))))
        ;; Four columns at a time: acc += a[i, k] (splat) × b[k, n … n+3].
        (local.set $n (i32.const 0))
        (block $doneN (loop $eachN
          (br_if $doneN (i32.ge_u (local.get $n) (local.get $n4)))
          (local.set $acc (v128.const f32x4 0 0 0 0))
          (local.set $aK (local.get $aRow))
          (local.set $bCol (i32.add (local.get $bBase) (i32.shl (local.get $n) (i32.const 2))))
          (block $doneK (loop $eachK
            (br_if $doneK (i32.ge_u (local.get $aK) (local.get $aEnd)))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load32_splat (local.get $aK)) (v128.load (local.get $bCol)))))
            (local.set $aK (i32.add (local.get $aK) (i32.const 4)))
            (local.set $bCol (i32.add (local.get $bCol) (local.get $rowB)))
            (br $eachK)))
          (v128.store (i32.add (local.get $cRow) (i32.shl (local.get $n) (i32.const 2))) (local.get $acc))
          (local.set $n (i32.add (local.get $n) (i32.const 4)))
          (br $eachN)))
        ;; The remaining columns one by one.
        (block $doneR (loop $eachR
          (br_if $doneR (i32.ge_u (local.get $n) (local.get $N)))
          (local.set $s (f32.const 0))
          (local.set $aK (local.get $aRow))
          (local.set $bCol (i32.add (local.get $bBase) (i32.shl (local.get $n) (i32.const 2))))
          (block $doneK2 (loop $eachK2
            (br_if $doneK2 (i32.ge_u (local.get $aK) (local.get $aEnd)))
            (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $aK)) (f32.load (local.get $bCol)))))
            (local.set $aK (i32.add (local.get $aK) (i32.const 4)))
            (local.set $bCol (i32.add (local.get $bCol) (local.get $rowB)))
            (br $eachK2)))
          (f32.store (i32.add (local.get $cRow) (i32.shl (local.get $n) (i32.const 2))) (local.get $s))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br $eachR)))
        (local.set $cRow (i32.add (local.get $cRow) (local.get $rowB)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $eachI)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $eachP)))))
