/**
 * TensorFlow.js set-up for the transformer: which backend runs (WASM in Node and in workers, with threads
 * in a cross-origin isolated browser when asked or when the probe finds them faster, WebGPU or WebGL where
 * the probe finds them faster, the pure-JS CPU backend as the last resort), where the WASM binaries
 * are served from, the gradients tfjs-core's Node entry leaves out, and a faster matmul kernel for the
 * backward pass.
 *
 * Loaded lazily (only the transformer's own code imports it), so the other engines never pay for tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchLayout, simdBatchMatMul } from './kernels/simdBatchMatMul';

export type BackendPreference = 'auto' | 'wasm' | 'wasm-threads' | 'webgpu' | 'webgl' | 'cpu';
export type BackendName = 'wasm' | 'webgpu' | 'webgl' | 'cpu';

const isNode = typeof process !== 'undefined' && typeof process.versions === 'object' && !!process.versions?.node;

/** The three binaries of @tensorflow/tfjs-backend-wasm (in its dist/ folder). */
export type WasmFileMap = Partial<Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string>>;

let wasmPrefix: string | null = null;
let wasmFiles: WasmFileMap | null = null;

/**
 * Where the WASM backend finds its `.wasm` files, before the first fit or sample: a URL prefix (the
 * browser: the app serves tfjs-backend-wasm.wasm, tfjs-backend-wasm-simd.wasm and
 * tfjs-backend-wasm-threaded-simd.wasm from there, e.g. `new URL('tfjs/', location.href).href`), or one
 * URL per file (e.g. vite's `?url` imports of the three files), or a folder (Node). In Node it defaults
 * to the files in node_modules; in a browser it must be set (tfjs would otherwise look next to the
 * script, or on a CDN, which the app's CSP refuses).
 */
export function configureWasmPaths(where: string | WasmFileMap): void {
  if (typeof where === 'string') {
    wasmPrefix = where.endsWith('/') ? where : `${where}/`;
    wasmFiles = null;
  } else {
    wasmFiles = { ...where };
    wasmPrefix = null;
  }
}

/** The threaded build's script, served next to the binaries (scripts/tfjsWasmAssets.ts). */
const THREADED_SCRIPT = 'tfjs-backend-wasm-threaded-simd.js';

/** The loaded tfjs-backend-wasm module (its thread settings are read when the backend starts). */
let wasmModule: typeof import('@tensorflow/tfjs-backend-wasm') | null = null;

let ready: Promise<void> | null = null;
/** The backend modules, the gradients and the faster matmul, loaded once. */
function loadTf(): Promise<void> {
  ready ??= (async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    const mod = await import('@tensorflow/tfjs-backend-wasm');
    // A bundle may hand a CommonJS module over as its default export only (the CLI's esbuild chunks).
    const wasm = (typeof mod.setWasmPaths === 'function' ? mod : (mod as unknown as { default: typeof mod }).default) as typeof mod;
    wasmModule = wasm;
    // Browsers start without threads (prepareWasm turns them on), also if some op starts a backend before selectBackend does.
    if (!isNode) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!wasmPrefix && !wasmFiles && isNode) wasmPrefix = await nodeWasmFolder();
    if (wasmFiles) wasm.setWasmPaths(wasmFiles);
    else if (wasmPrefix) wasm.setWasmPaths(wasmPrefix);
    if (isNode) await import('./vendor/tfjsGradients.js');
    else {
      await import('@tensorflow/tfjs-core/dist/register_all_gradients');
      await import('@tensorflow/tfjs-backend-webgl').catch(() => undefined);
      // A backend that starts only where the browser offers a WebGPU adapter.
      await import('@tensorflow/tfjs-backend-webgpu').catch(() => undefined);
    }
  })();
  ready.catch(() => (ready = null));
  return ready;
}

/**
 * Whether WASM threads can start here: in a browser, where the bundle carries our patch
 * (scripts/tfjsWasmAssets.ts: the threads import tfjs's own unbundled script from this origin, not a blob
 * of minified source, which cannot run), the binaries are served from a folder, and the page is
 * cross-origin isolated (SharedArrayBuffer). Never in Node (tfjs has no threads there).
 */
export function wasmThreadsPossible(): boolean {
  const g = globalThis as { __facsimileTfjsThreadsPatched?: boolean; crossOriginIsolated?: boolean };
  return !isNode && !!g.__facsimileTfjsThreadsPatched && !!wasmPrefix && g.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

/**
 * Sets up the WASM backend with threads (one per core) or without, before it starts; when it is set up
 * the other way, it is removed and registered again, so that it starts anew (tfjs reads its thread
 * settings only at start; removing a started backend disposes it and ends its threads).
 */
function prepareWasm(threads: boolean): void {
  // The flag tfjs reads at start says how the backend is set up (loadTf sets it off in browsers).
  if (isNode || tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') === threads || !wasmModule) return;
  const factory = tf.findBackendFactory('wasm');
  if (!factory) return;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, WASM_PRIORITY);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads);
  if (!threads) return;
  (globalThis as { __facsimileTfjsThreadScript?: string }).__facsimileTfjsThreadScript = `${wasmPrefix}${THREADED_SCRIPT}`;
  wasmModule.setThreadsCount(Math.min(4, navigator.hardwareConcurrency || 1));
}

/** The priority tfjs-backend-wasm registers its backend with. */
const WASM_PRIORITY = 2;

/**
 * tfjs caps its threads at half of navigator.hardwareConcurrency, read once as the WASM module starts,
 * assuming two hardware threads per core: on a 2-core machine that is one thread, no threads at all.
 * While a threaded backend starts, the worker's navigator shows twice the cores, so that the cap is the
 * cores; the prototype's getter is back as soon as it has started.
 */
async function withCoresUncapped<T>(start: () => Promise<T>): Promise<T> {
  const cores = navigator.hardwareConcurrency || 1;
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * cores, configurable: true });
  try {
    return await start();
  } finally {
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

async function nodeWasmFolder(): Promise<string> {
  const specifier = 'node:module'; // kept out of browser bundles
  const { createRequire } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:module');
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return pkg.slice(0, pkg.length - 'package.json'.length) + 'dist/';
}

let chosen: Promise<BackendName> | null = null;
let chosenFor: BackendPreference | null = null;

/** What can be tried: a backend, and WASM with or without threads. */
type Candidate = BackendName | 'wasm-threads';

/**
 * Initialise tfjs and return the backend that runs. 'auto': in Node WASM (falling back to CPU); in a
 * browser or worker a short probe (a few matmuls the size of a training step's) on each backend that
 * initialises, the fastest kept; WebGPU joins it where the browser has it. WASM with threads joins it on
 * 4 cores and more: on 2 cores it trained no faster than without (bench/transformer-browser.ts, the 30k
 * table: 10 epochs in 150 s against 11), and starting it costs 8 thread workers. 'wasm' is WASM without
 * threads, 'wasm-threads' with one thread per core where the page allows (else without). A named backend
 * that fails to start falls back the same way.
 */
export function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendName> {
  if (chosen && chosenFor === preference) return chosen;
  chosenFor = preference;
  chosen = (async () => {
    await loadTf();
    const manyCores = !isNode && (navigator.hardwareConcurrency || 1) >= 4;
    const candidates: Candidate[] =
      preference !== 'auto'
        ? [preference, 'wasm', 'cpu']
        : isNode
          ? ['wasm', 'cpu']
          : [...(manyCores && wasmThreadsPossible() ? (['wasm-threads'] as const) : []), 'wasm', ...(hasWebGpu() ? (['webgpu'] as const) : []), 'webgl', 'cpu'];
    if (preference === 'auto' && !isNode) {
      let best: Candidate | null = null;
      let bestMs = Infinity;
      for (const c of candidates) {
        if (c === 'cpu' && best) continue; // pure JS: only when nothing else starts
        if (!(await trySet(c))) continue;
        const ms = await probe();
        if (ms < bestMs) [best, bestMs] = [c, ms];
      }
      if (best && (await trySet(best))) return backendOf(best);
    } else {
      for (const c of candidates) if (await trySet(c)) return backendOf(c);
    }
    throw new Error('TensorFlow.js could not start any backend (wasm, webgpu, webgl, cpu)');
  })();
  chosen.catch(() => (chosen = null));
  return chosen;
}

/** Whether the browser exposes WebGPU at all (its backend then still needs an adapter to start). */
function hasWebGpu(): boolean {
  return !isNode && typeof navigator !== 'undefined' && !!(navigator as { gpu?: unknown }).gpu;
}

/** Our WASM kernels in the registry (once; each replaced stock kernel is kept in `stockKernels`). */
function registerWasmKernels(): void {
  registerSegmentSum();
  replaceWasmKernel('BatchMatMul', fastMatMul);
  replaceWasmKernel('GatherV2', fastGather);
  replaceWasmKernel('Sum', fastSum);
  replaceWasmKernel('Identity', sharedIdentity);
}

function backendOf(c: Candidate): BackendName {
  return c === 'wasm-threads' ? 'wasm' : c;
}

async function trySet(c: Candidate): Promise<boolean> {
  const name = backendOf(c);
  const threads = c === 'wasm-threads';
  if (threads && !wasmThreadsPossible()) return false;
  if (name === 'wasm') prepareWasm(threads);
  // The WASM backend's Emscripten glue reads a bare `__dirname` in Node, which an ES module bundle (the
  // CLI's) lacks: give it one while the backend starts (the files are found through setWasmPaths anyway).
  const g = globalThis as { __dirname?: string };
  const shim = isNode && name === 'wasm' && typeof g.__dirname === 'undefined' && typeof __dirnameOrUndefined() === 'undefined';
  if (shim) g.__dirname = wasmPrefix ?? '.';
  let started = false;
  try {
    if (!tf.findBackendFactory(name)) return false;
    // A backend whose start never settles (WASM threads refused by a page's policy) must not hang the
    // fit: give up after a while and try the next one.
    const start = async () => {
      if (!(await withTimeout(tf.setBackend(name), BACKEND_START_MS))) return false;
      await tf.ready();
      return tf.getBackend() === name;
    };
    started = threads ? await withCoresUncapped(start) : await start();
  } catch {
    return false;
  } finally {
    if (shim) delete g.__dirname;
  }
  // WASM runs with our kernels from its start, the auto probe included: probed with the stock ones
  // (26 ms a probe in headless Chromium, against 6 ms with ours and 66 ms on SwiftShader's WebGL), a
  // loaded 2-core machine picked WebGL, which trains about 10× slower there.
  if (started && name === 'wasm') registerWasmKernels();
  return started;
}

/** How long a backend may take to start. */
const BACKEND_START_MS = 20_000;

function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}

function __dirnameOrUndefined(): string | undefined {
  try {
    return typeof __dirname === 'string' ? __dirname : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Milliseconds per matmul pair ([2048, 64] × [64, 256] forward, and the transposed one) after a warm-up:
 * the fastest of 5 runs, so that a burst of other work on the machine does not decide the backend.
 */
async function probe(): Promise<number> {
  const x = tf.ones([2048, 64]);
  const w = tf.ones([64, 256]);
  // Read back asynchronously: a GPU backend's synchronous read is slow, or on WebGPU unreliable.
  const run = async () => {
    const y = tf.tidy(() => tf.matMul(tf.matMul(x, w), w, false, true));
    await y.data();
    y.dispose();
  };
  await run();
  let ms = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await run();
    ms = Math.min(ms, performance.now() - t0);
  }
  x.dispose();
  w.dispose();
  return ms;
}

/** The stock kernels our replacements stand in for, by name (each replaced once; tests compare against them). */
const stockKernels = new Map<string, tf.KernelConfig>();

/** The WASM backend's own kernel for `name` where ours replaced it in the registry (undefined otherwise). */
export function stockWasmKernel(name: string): tf.KernelConfig | undefined {
  return stockKernels.get(name);
}

/**
 * Our kernel in place of the WASM backend's stock one, through tfjs's kernel registry, once. `make` gets
 * the stock kernel, which the replacement runs for the cases it leaves alone.
 */
function replaceWasmKernel(name: string, make: (stock: tf.KernelConfig) => tf.KernelFunc | null): void {
  if (stockKernels.has(name)) return;
  const stock = tf.getKernel(name, 'wasm');
  const kernelFunc = stock ? make(stock) : null;
  if (!stock || !kernelFunc) return;
  stockKernels.set(name, stock);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', setupFunc: stock.setupFunc, disposeFunc: stock.disposeFunc, kernelFunc });
}

/**
 * The WASM backend's BatchMatMul with a transposed operand (transposeA / transposeB, which is what the
 * backward pass asks for: dW = xᵀ·dy, dx = dy·Wᵀ) runs 4-10× slower than a plain one (measured in Node
 * on a [8192, 64] × [64, 256] product: 185 ms with the flag, 18 ms for an explicit Transpose then a
 * plain product). This registers, through tfjs's kernel registry, a BatchMatMul that transposes the
 * operand with the Transpose kernel first and then runs the stock kernel untransposed.
 */
function fastMatMul(stock: tf.KernelConfig): tf.KernelFunc | null {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) return null;
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return batchedProduct(a, b, backend) ?? stock.kernelFunc({ inputs, backend, attrs });
    const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
      const r = t.shape.length;
      const perm = Array.from({ length: r }, (_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
      return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } }) as tf.TensorInfo;
    };
    const ta = transposeA ? swapLast(a) : a;
    const tb = transposeB ? swapLast(b) : b;
    const plain = { ...attrs, transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap;
    const out = batchedProduct(ta, tb, backend) ?? stock.kernelFunc({ inputs: { a: ta, b: tb }, backend, attrs: plain });
    const store = backend as unknown as { disposeData(id: object): void };
    if (ta !== a) store.disposeData(ta.dataId);
    if (tb !== b) store.disposeData(tb.dataId);
    return out;
  };
}

/**
 * A batched product (more than one matrix, neither operand transposed) through our SIMD kernel
 * (simdBatchMatMul.ts). The WASM backend hands a single product to XNNPACK (measured ~15 GFLOP/s on
 * [3840, 32] × [32, 32]) but runs a batch of them through a plain scalar loop (~0.5-1 GFLOP/s). Ours took
 * the attention's [1024, 15, 15] × [1024, 15, 8] in 0.22 ms against 2.0 ms, and the output heads'
 * [15, 256, 32] × [15, 32, 41] in 0.52 ms against 1.52 ms for XNNPACK matrix by matrix (which copies and
 * packs each one; the way they ran before). Where it cannot run (an engine without WebAssembly SIMD), and
 * for broadcasts other than a single matrix against a batch, the stock kernel runs (undefined).
 */
function batchedProduct(a: tf.TensorInfo, b: tf.TensorInfo, backend: unknown): tf.TensorInfo | undefined {
  const layout = batchLayout(a, b);
  return layout && layout.batch > 1 ? simdBatchMatMul(backend, a, b, layout) : undefined;
}

let segmentSum = false;

/**
 * The WASM backend has no UnsortedSegmentSum kernel, which is the gradient of `gather`, so an embedding
 * looked up with `gather` cannot train there. This registers one (a plain loop over the rows, in the
 * backend's own memory), through tfjs's kernel registry; tfjs's stock gradient of GatherV2 then runs. On
 * the transformer's step it replaces a one-hot × matrix product over the whole input vocabulary (and its
 * transposed product in the backward pass) by row look-ups and row sums.
 */
export function registerSegmentSum(): void {
  if (segmentSum || tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  segmentSum = true;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const { numSegments } = attrs as unknown as { numSegments: number };
      const wasm = backend as unknown as WasmHeap;
      const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
      const inner = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
      const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
      const o = wasm.typedArrayFromHeap(out);
      o.fill(0);
      const xv = wasm.typedArrayFromHeap(x);
      const ids = wasm.typedArrayFromHeap(segmentIds);
      for (let r = 0; r < rows; r++) {
        const s = ids[r];
        if (s < 0 || s >= numSegments) continue;
        const from = r * inner, to = s * inner;
        for (let k = 0; k < inner; k++) o[to + k] += xv[from + k];
      }
      return out;
    },
  });
}

/** What the WASM backend lends a kernel: tensors' bytes in the module's heap (tfjs-backend-wasm). */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * The WASM backend's GatherV2 spends microseconds per index (it was the costliest kernel of a training
 * step: ~23 ms of ~150 for the three embedding look-ups of 3840 rows at batch 256). This one copies each
 * picked slice inside the heap with copyWithin. Same values bit for bit (a gather only copies); other
 * cases (batchDims, 1- or 2-byte types) go to the stock kernel.
 */
function fastGather(stock: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis: axisAttr, batchDims } = attrs as unknown as { axis: number; batchDims: number };
    const rank = x.shape.length;
    const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
    if ((batchDims ?? 0) !== 0 || x.dtype === 'bool' || x.dtype === 'string' || indices.dtype !== 'int32' || !(axis >= 0 && axis < rank)) {
      return stock.kernelFunc(args);
    }
    const heap = backend as unknown as WasmHeap;
    const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const rows = x.shape[axis];
    const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const m = indices.shape.reduce((a, b) => a * b, 1);
    const out = heap.makeOutput([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype);
    if (outer * m * inner === 0) return out;
    // Views only after the allocation, which can grow (and so detach) the heap.
    const xs = heap.typedArrayFromHeap(x), os = heap.typedArrayFromHeap(out), ids = heap.typedArrayFromHeap(indices);
    for (let g = 0; g < m; g++) if (!(ids[g] >= 0 && ids[g] < rows)) throw new Error(`GatherV2: the index value ${ids[g]} is not in [0, ${rows - 1}]`);
    const all = new Int32Array(os.buffer);
    const xo = xs.byteOffset >> 2, oo = os.byteOffset >> 2;
    for (let o = 0; o < outer; o++) {
      for (let g = 0; g < m; g++) {
        const from = xo + (o * rows + ids[g]) * inner;
        all.copyWithin(oo + (o * m + g) * inner, from, from + inner);
      }
    }
    return out;
  };
}

/**
 * The WASM backend's Sum over axes that are not the innermost ones (the gradients of every bias and
 * layer-norm gain, and of broadcast products) first transposes its input. This one sums a contiguous
 * block of axes in place, in float32 like the stock kernel, in a fixed order (deterministic); sums over the
 * innermost axes, and over axes that are not one block, go to the stock kernel.
 */
function fastSum(stock: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = attrs as unknown as { axis: number | number[] | null | undefined; keepDims: boolean };
    const rank = x.shape.length;
    // No axis: every axis (the stock kernel's case: the innermost ones).
    if (axis === null || axis === undefined) return stock.kernelFunc(args);
    const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    const lo = axes[0], hi = axes[axes.length - 1];
    const block = axes.length > 0 && axes.every((a) => Number.isInteger(a) && a >= 0 && a < rank) && hi - lo + 1 === axes.length;
    if (!block || hi === rank - 1 || x.dtype !== 'float32') return stock.kernelFunc(args);
    const pre = x.shape.slice(0, lo).reduce((a, b) => a * b, 1);
    const red = x.shape.slice(lo, hi + 1).reduce((a, b) => a * b, 1);
    const post = x.shape.slice(hi + 1).reduce((a, b) => a * b, 1);
    const outShape = keepDims ? x.shape.map((s, i) => (i >= lo && i <= hi ? 1 : s)) : [...x.shape.slice(0, lo), ...x.shape.slice(hi + 1)];
    const heap = backend as unknown as WasmHeap;
    const out = heap.makeOutput(outShape, 'float32');
    const xs = heap.typedArrayFromHeap(x) as Float32Array, os = heap.typedArrayFromHeap(out) as Float32Array;
    os.fill(0);
    for (let p = 0; p < pre; p++) {
      const ob = p * post;
      for (let r = 0; r < red; r++) {
        const xb = (p * red + r) * post;
        for (let q = 0; q < post; q++) os[ob + q] += xs[xb + q];
      }
    }
    return out;
  };
}

/**
 * The WASM backend's Identity copies its input, and tfjs clones (Identity) every input and output an
 * operation keeps for its gradient: ~190 copies a training step. Tensors are never written in place, so
 * this one shares the input's memory (one more reference to it), as tfjs's CPU backend does.
 */
function sharedIdentity(stock: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return stock.kernelFunc(args);
    (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** The backend now running (after selectBackend). */
export function currentBackend(): string {
  const name = tf.getBackend();
  if (name !== 'wasm') return name;
  const threads = wasmThreads();
  return threads > 1 ? `wasm with ${threads} threads` : name;
}

/** Threads the WASM backend runs on (1 without threads). */
function wasmThreads(): number {
  const backend = tf.backend() as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
  return backend.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}
