/**
 * TensorFlow.js set-up for the transformer: which backend runs (WASM in Node and in workers, WebGL where
 * a short probe finds it faster, the pure-JS CPU backend as the last resort), where the WASM binaries
 * are served from, the gradients tfjs-core's Node entry leaves out, and a faster matmul kernel for the
 * backward pass.
 *
 * Loaded lazily (only the transformer's own code imports it), so the other engines never pay for tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';

export type BackendPreference = 'auto' | 'wasm' | 'webgl' | 'cpu';
export type BackendName = 'wasm' | 'webgl' | 'cpu';

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

let ready: Promise<void> | null = null;
/** The backend modules, the gradients and the faster matmul, loaded once. */
function loadTf(): Promise<void> {
  ready ??= (async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    const mod = await import('@tensorflow/tfjs-backend-wasm');
    // A bundle may hand a CommonJS module over as its default export only (the CLI's esbuild chunks).
    const wasm = (typeof mod.setWasmPaths === 'function' ? mod : (mod as unknown as { default: typeof mod }).default) as typeof mod;
    // Threads stay off: tfjs starts each WASM thread from a blob holding its own worker code, which names
    // the module factory as it was before bundling ("e is not defined" in a built app), so the backend
    // never starts. Measured without threads (SIMD) instead.
    if (!isNode) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!wasmPrefix && !wasmFiles && isNode) wasmPrefix = await nodeWasmFolder();
    if (wasmFiles) wasm.setWasmPaths(wasmFiles);
    else if (wasmPrefix) wasm.setWasmPaths(wasmPrefix);
    if (isNode) await import('./vendor/tfjsGradients.js');
    else {
      await import('@tensorflow/tfjs-core/dist/register_all_gradients');
      await import('@tensorflow/tfjs-backend-webgl').catch(() => undefined);
    }
  })();
  ready.catch(() => (ready = null));
  return ready;
}

async function nodeWasmFolder(): Promise<string> {
  const specifier = 'node:module'; // kept out of browser bundles
  const { createRequire } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:module');
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return pkg.slice(0, pkg.length - 'package.json'.length) + 'dist/';
}

let chosen: Promise<BackendName> | null = null;
let chosenFor: BackendPreference | null = null;

/**
 * Initialise tfjs and return the backend that runs. 'auto': in Node WASM (falling back to CPU); in a
 * browser or worker a short probe (a few matmuls the size of a training step's) on each backend that
 * initialises, the fastest kept. A named backend that fails to start falls back the same way.
 */
export function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendName> {
  if (chosen && chosenFor === preference) return chosen;
  chosenFor = preference;
  chosen = (async () => {
    await loadTf();
    const candidates: BackendName[] =
      preference !== 'auto' ? [preference, 'wasm', 'cpu'] : isNode ? ['wasm', 'cpu'] : ['wasm', 'webgl', 'cpu'];
    if (preference === 'auto' && !isNode) {
      let best: BackendName | null = null;
      let bestMs = Infinity;
      for (const name of candidates) {
        if (name === 'cpu' && best) continue; // pure JS: only when nothing else starts
        if (!(await trySet(name))) continue;
        const ms = probe();
        if (ms < bestMs) [best, bestMs] = [name, ms];
      }
      if (best && (await trySet(best))) return finish(best);
    } else {
      for (const name of candidates) if (await trySet(name)) return finish(name);
    }
    throw new Error('TensorFlow.js could not start any backend (wasm, webgl, cpu)');
  })();
  chosen.catch(() => (chosen = null));
  return chosen;
}

function finish(name: BackendName): BackendName {
  if (name === 'wasm') {
    registerFastMatMul();
    registerSegmentSum();
  }
  return name;
}

async function trySet(name: BackendName): Promise<boolean> {
  // The WASM backend's Emscripten glue reads a bare `__dirname` in Node, which an ES module bundle (the
  // CLI's) lacks: give it one while the backend starts (the files are found through setWasmPaths anyway).
  const g = globalThis as { __dirname?: string };
  const shim = isNode && name === 'wasm' && typeof g.__dirname === 'undefined' && typeof __dirnameOrUndefined() === 'undefined';
  if (shim) g.__dirname = wasmPrefix ?? '.';
  try {
    if (!tf.findBackendFactory(name)) return false;
    // A backend whose start never settles (WASM threads refused by a page's policy) must not hang the
    // fit: give up after a while and try the next one.
    if (!(await withTimeout(tf.setBackend(name), BACKEND_START_MS))) return false;
    await tf.ready();
    return tf.getBackend() === name;
  } catch {
    return false;
  } finally {
    if (shim) delete g.__dirname;
  }
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

/** Milliseconds per matmul pair ([2048, 64] × [64, 256] forward, and the transposed one) after a warm-up. */
function probe(): number {
  const x = tf.ones([2048, 64]);
  const w = tf.ones([64, 256]);
  const run = () => tf.tidy(() => tf.matMul(tf.matMul(x, w), w, false, true)).dataSync();
  run();
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) run();
  const ms = (performance.now() - t0) / 3;
  x.dispose();
  w.dispose();
  return ms;
}

let fastMatMul = false;

/**
 * The WASM backend's BatchMatMul with a transposed operand (transposeA / transposeB, which is what the
 * backward pass asks for: dW = xᵀ·dy, dx = dy·Wᵀ) runs 4-10× slower than a plain one (measured in Node
 * on a [8192, 64] × [64, 256] product: 185 ms with the flag, 18 ms for an explicit Transpose then a
 * plain product). This registers, through tfjs's kernel registry, a BatchMatMul that transposes the
 * operand with the Transpose kernel first and then runs the stock kernel untransposed.
 */
export function registerFastMatMul(): void {
  if (fastMatMul) return;
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!stock || !transpose) return;
  fastMatMul = true;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return stock.kernelFunc({ inputs, backend, attrs });
      const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
        const r = t.shape.length;
        const perm = Array.from({ length: r }, (_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
        return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } }) as tf.TensorInfo;
      };
      const ta = transposeA ? swapLast(a) : a;
      const tb = transposeB ? swapLast(b) : b;
      const out = stock.kernelFunc({ inputs: { a: ta, b: tb }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
      const store = backend as unknown as { disposeData(id: object): void };
      if (ta !== a) store.disposeData(ta.dataId);
      if (tb !== b) store.disposeData(tb.dataId);
      return out;
    },
  });
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
      const wasm = backend as unknown as {
        makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
        typedArrayFromHeap(t: tf.TensorInfo): ArrayLike<number> & { [i: number]: number; fill(v: number): unknown };
      };
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

/** The backend now running (after selectBackend). */
export function currentBackend(): string {
  return tf.getBackend();
}
