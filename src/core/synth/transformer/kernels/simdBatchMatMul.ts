/**
 * Batches of small matrix products on the WASM backend through our SIMD kernel (batchMatMul.wat), which
 * runs in the backend's own memory. The backend hands a single product to XNNPACK but a batch of them to a
 * plain scalar loop; the attention's products ([256·4, 15, 15] × [256·4, 15, 8] at the 30k table's shapes)
 * took ~2.2 ms each that way, against ~0.25 ms here (bench/transformerProfile.ts), with the same values bit
 * for bit (each output element is summed over k in the same order).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { BATCH_MAT_MUL_WASM, BATCH_MAT_MUL_WASM_SHARED } from './batchMatMulWasm';

/** What the kernel needs of the WASM backend: its heap, and the WebAssembly.Memory behind it. */
interface WasmBackendMemory {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** The Emscripten module: the plain build exports its memory, the threaded build creates it (wasmMemory). */
  wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown };
}

type Kernel = (a: number, b: number, c: number, batch: number, M: number, K: number, N: number, aStep: number, bStep: number) => void;

let instance: { memory: WebAssembly.Memory; run: Kernel } | null = null;
let unavailable = false;

/** The kernel instantiated on this backend's memory, or null where that cannot be (no SIMD, an unknown build). */
function kernelFor(backend: WasmBackendMemory): Kernel | null {
  const memory = backend.wasm?.asm?.memory ?? backend.wasm?.wasmMemory;
  if (unavailable || !(memory instanceof WebAssembly.Memory)) return null;
  if (instance?.memory === memory) return instance.run;
  try {
    const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = Uint8Array.from(atob(shared ? BATCH_MAT_MUL_WASM_SHARED : BATCH_MAT_MUL_WASM), (ch) => ch.charCodeAt(0));
    // Synchronous: the module is a few hundred bytes, and a kernel cannot wait.
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
    instance = { memory, run: exports.batchMatMul as Kernel };
    return instance.run;
  } catch {
    unavailable = true; // e.g. an engine without WebAssembly SIMD: the stock kernel stays
    return null;
  }
}

/** Whether the kernel has been instantiated on a WASM backend's memory (tests). */
export function simdKernelReady(): boolean {
  return instance !== null;
}

/** How a batched product lines up: the matrices' sizes, the batch, and whether an operand is shared by all. */
export interface BatchLayout {
  M: number;
  K: number;
  N: number;
  batch: number;
  batchA: number;
  batchB: number;
  outShape: number[];
}

/**
 * The layout of a × b (neither transposed, float32, rank ≥ 2) as a batch of products, where the batch
 * dimensions match or one operand is a single matrix; undefined otherwise (other broadcasts).
 */
export function batchLayout(a: tf.TensorInfo, b: tf.TensorInfo): BatchLayout | undefined {
  const ra = a.shape.length, rb = b.shape.length;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || ra < 2 || rb < 2) return undefined;
  const M = a.shape[ra - 2], K = a.shape[ra - 1], N = b.shape[rb - 1];
  if (b.shape[rb - 2] !== K) return undefined;
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((x, y) => x * y, 1), batchB = outerB.reduce((x, y) => x * y, 1);
  let outer: number[];
  if (batchA === batchB && outerA.length === outerB.length && outerA.every((x, i) => x === outerB[i])) outer = outerA;
  else if (batchA === 1) outer = outerB;
  else if (batchB === 1) outer = outerA;
  else return undefined;
  const lead = Math.max(ra, rb) - 2 - outer.length;
  return { M, K, N, batch: Math.max(batchA, batchB), batchA, batchB, outShape: [...Array(lead).fill(1), ...outer, M, N] };
}

/** a × b through the SIMD kernel, or undefined when it cannot run here (the caller falls back). */
export function simdBatchMatMul(backend: unknown, a: tf.TensorInfo, b: tf.TensorInfo, layout: BatchLayout): tf.TensorInfo | undefined {
  const heap = backend as WasmBackendMemory;
  const { M, K, N, batch, batchA, batchB, outShape } = layout;
  if (batch * M * N === 0 || K === 0) return undefined;
  const run = kernelFor(heap);
  if (!run) return undefined;
  const out = heap.makeOutput(outShape, 'float32');
  // Offsets read after the allocation, which can grow the memory (offsets stay; views would detach).
  const at = (t: tf.TensorInfo) => heap.typedArrayFromHeap(t).byteOffset;
  run(at(a), at(b), at(out), batch, M, K, N, batchA === 1 ? 0 : M * K * 4, batchB === 1 ? 0 : K * N * 4);
  return out;
}
