/**
 * The network: a small causal (decoder-only) transformer over one token per column, in an order drawn
 * per batch. Position t carries the value of the column placed at t-1 (a BOS token at t = 0), that
 * column's identity, and the identity of the column to predict at t; it predicts that column through
 * the column's own output head, over the column's own vocabulary. No position embedding: the columns
 * seen so far form a set, which is what lets any subset of columns condition the rest (put them first).
 *
 * Embeddings are one multi-hot row × one matrix (a `gather` has no gradient on the WASM backend), whose
 * rows for a numeric column's bins carry a thermometer term (embeddingTable). All differentiation is
 * tfjs's (optimizer.minimize); the weights are initialised from the seeded Rng.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../random/rng';
import type { WasmHeap } from './backend';

export interface NetConfig {
  /** Vocabulary per column (its tokens, the missing token last). */
  vocabs: number[];
  width: number;
  layers: number;
  heads: number;
  /** FFN hidden width = ffnMult × width. */
  ffnMult: number;
  /**
   * Columns whose value tokens are ordered (a numeric column's quantile bins, its missing token aside):
   * their embeddings also get a learned thermometer term (see embeddingTable). Absent in models saved
   * before it.
   */
  ordered?: number[];
}

/** Row layout of the multi-hot input: value tokens of every column, BOS, previous column, column to predict. */
export function inputLayout(vocabs: number[]) {
  const offsets: number[] = [];
  let v = 0;
  for (const n of vocabs) {
    offsets.push(v);
    v += n;
  }
  const C = vocabs.length;
  return { offsets, bos: v, prevCol: v + 1, queryCol: v + 1 + C, width: v + 1 + 2 * C };
}

/** Parameter names and shapes, in a fixed order (the serialization order). */
export function paramShapes(cfg: NetConfig): [string, number[]][] {
  const d = cfg.width, f = cfg.ffnMult * d;
  const out: [string, number[]][] = [['emb', [inputLayout(cfg.vocabs).width, d]]];
  if (cfg.ordered?.length) out.push(['ord', [inputLayout(cfg.vocabs).width, d]]);
  for (let l = 0; l < cfg.layers; l++) {
    out.push(
      [`l${l}.ln1g`, [d]], [`l${l}.ln1b`, [d]],
      [`l${l}.wq`, [d, d]], [`l${l}.wk`, [d, d]], [`l${l}.wv`, [d, d]], [`l${l}.wo`, [d, d]], [`l${l}.bo`, [d]],
      [`l${l}.ln2g`, [d]], [`l${l}.ln2b`, [d]],
      [`l${l}.w1`, [d, f]], [`l${l}.b1`, [f]], [`l${l}.w2`, [f, d]], [`l${l}.b2`, [d]],
    );
  }
  // One output head per column over its own vocabulary, stored padded to the largest one (the padding is
  // masked out of every softmax), so that all positions' heads run as one batched product.
  const vmax = Math.max(...cfg.vocabs);
  out.push(['lnfg', [d]], ['lnfb', [d]], ['heads.w', [cfg.vocabs.length, d, vmax]], ['heads.b', [cfg.vocabs.length, 1, vmax]]);
  return out;
}

/** Initial weights from the Rng: normal(0, 0.02)-ish scaled by fan-in; LN gains 1, biases 0. */
export function initWeights(cfg: NetConfig, rng: Rng): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of paramShapes(cfg)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(size);
    const base = name.split('.').pop()!;
    if (base === 'ln1g' || base === 'ln2g' || name === 'lnfg') a.fill(1);
    else if (name === 'ord') {
      // Zeros: training starts from the plain embeddings.
    } else if (name === 'heads.w') {
      const std = 1 / Math.sqrt(shape[1]);
      for (let i = 0; i < size; i++) a[i] = rng.normal() * std;
    } else if (shape.length === 2) {
      const std = name === 'emb' ? 0.1 : (base === 'wo' || base === 'w2' ? 0.5 : 1) / Math.sqrt(shape[0]);
      for (let i = 0; i < size; i++) a[i] = rng.normal() * std;
    }
    out.set(name, a);
  }
  return out;
}

export type Params = Map<string, tf.Variable>;
let variableCount = 0;

export function makeVariables(cfg: NetConfig, weights: Map<string, Float32Array>): Params {
  const p: Params = new Map();
  for (const [name, shape] of paramShapes(cfg)) {
    const w = weights.get(name);
    if (!w) throw new Error(`Transformer model is missing the weights "${name}"`);
    p.set(name, tf.tidy(() => tf.variable(tf.tensor(w, shape, "float32"), true, `transformer${++variableCount}.${name}`)));
  }
  return p;
}

/**
 * Layer normalisation's forward pass over the last axis: x̂ = (x − mean)·r with r = 1/√(var + 1e-5), and
 * x̂·g + b. layerNorm differentiates it; decoding (no gradient) calls it directly.
 */
function normalise(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): { value: tf.Tensor; xhat: tf.Tensor; r: tf.Tensor } {
  const xc = tf.sub(x, tf.mean(x, -1, true));
  const r = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), 1e-5));
  const xhat = tf.mul(xc, r);
  return { value: tf.add(tf.mul(xhat, g), b), xhat, r };
}

/**
 * Layer normalisation over the last axis, with its gradient written out (the standard closed form):
 * autodiff through tf.moments ran ~3× the kernels, and on WASM a training step's three layer norms took
 * about as long as its attention.
 */
export function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, g, b] = args as tf.Tensor[], save = args[3] as tf.GradSaveFunc;
    const { value, xhat, r } = normalise(x, g, b);
    save([xhat, r, g]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, [xhat, r, g]: tf.Tensor[]) => {
        // dx = r · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), with dx̂ = dy · g.
        const dxhat = tf.mul(dy, g);
        const dx = tf.mul(tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), -1, true))), r);
        const rows = [...Array(dy.rank - 1).keys()];
        return [dx, tf.sum(tf.mul(dy, xhat), rows), tf.sum(dy, rows)];
      },
    };
  });
  return f(x, g, b);
}

/** The FFN branch (its output, before the residual sum). */
function ffn(p: Params, l: number, h: tf.Tensor): tf.Tensor {
  const a = layerNorm(h, p.get(`l${l}.ln2g`)!, p.get(`l${l}.ln2b`)!);
  const hidden = tf.relu(tf.add(tf.matMul(a, p.get(`l${l}.w1`)!), p.get(`l${l}.b1`)!));
  return tf.add(tf.matMul(hidden, p.get(`l${l}.w2`)!), p.get(`l${l}.b2`)!);
}

/**
 * Dropout masks for one training step: per layer, one for the attention branch and one for the FFN
 * branch, [B·T, width], each entry 0 (share `rate`) or 1 / (1 − rate). Drawn from the seeded Rng in
 * JS rather than by tf.dropout, so that the same seed gives the same masks on every backend.
 */
export function dropoutMasks(cfg: NetConfig, rows: number, rate: number, rng: Rng): tf.Tensor2D[] {
  const T = cfg.vocabs.length, d = cfg.width, keep = 1 / (1 - rate);
  const out: tf.Tensor2D[] = [];
  for (let m = 0; m < 2 * cfg.layers; m++) {
    const a = new Float32Array(rows * T * d);
    for (let i = 0; i < a.length; i++) a[i] = rng.next() < rate ? 0 : keep;
    out.push(tf.tensor2d(a, [rows * T, d]));
  }
  return out;
}

/**
 * Per input position, the three rows of the embedding matrix it adds up: its value token (BOS at the
 * first position), the column that value belongs to (BOS again at the first position), the column to
 * predict. Equivalent to a multi-hot row × the matrix; `gather` trains on WASM through the
 * UnsortedSegmentSum kernel backend.ts registers.
 */
export type Lookups = [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];

/**
 * The embedding matrix the look-ups read: `emb`, plus for an ordered column's bin b the sum of `ord`'s
 * rows from the column's first bin to b (a thermometer code). Neighbouring bins then share all but one
 * of those rows, so what the network learns about one bin carries to the bins beside it; with one-hot
 * rows alone it learns each of a column's 48 bins from the rows in that bin only.
 */
export function embeddingTable(cfg: NetConfig, p: Params): tf.Tensor {
  const emb = p.get('emb')!, ord = p.get('ord');
  if (!ord || !cfg.ordered?.length) return emb;
  const { hi, lo } = thermometerRows(cfg);
  // Row 0 of the padded cumulative sum is 0: hi = lo = 0 adds nothing to an unordered row.
  // Summed along the innermost axis: tfjs's Cumsum gradient gets the shape wrong along another one.
  const sums = tf.concat([tf.zeros([1, cfg.width]), tf.transpose(tf.cumsum(tf.transpose(ord), 1))], 0);
  return tf.add(emb, tf.sub(tf.gather(sums, tf.tensor1d(hi, 'int32')), tf.gather(sums, tf.tensor1d(lo, 'int32'))));
}

/** Per embedding row, the padded cumulative sums of `ord` whose difference is its thermometer term. */
export function thermometerRows(cfg: NetConfig): { hi: Int32Array; lo: Int32Array } {
  const layout = inputLayout(cfg.vocabs);
  const hi = new Int32Array(layout.width), lo = new Int32Array(layout.width);
  for (const j of cfg.ordered ?? []) {
    const start = layout.offsets[j];
    // The column's bins (its missing token, the last, aside): rows start .. b of ord.
    for (let b = 0; b < cfg.vocabs[j] - 1; b++) {
      hi[start + b] = start + b + 1;
      lo[start + b] = start;
    }
  }
  return { hi, lo };
}

export function embed(emb: tf.Tensor, idx: Lookups): tf.Tensor {
  return tf.add(tf.add(tf.gather(emb, idx[0]), tf.gather(emb, idx[1])), tf.gather(emb, idx[2]));
}

/**
 * Training / validation loss (mean over rows of the summed per-column negative log-likelihoods, nats),
 * for rows whose inputs are embedding look-ups (B·T each) and whose targets are one-hot per position.
 */
export function sequenceLoss(
  cfg: NetConfig,
  p: Params,
  input: Lookups,
  B: number,
  order: number[],
  /** One-hot targets [T, B, Vmax] (position t: column order[t]'s token). */
  targets: tf.Tensor3D,
  mask: tf.Tensor2D,
  /** headPadding(cfg). */
  padding: tf.Tensor3D,
  /** Training only: dropoutMasks for the residual branches. */
  dropout?: tf.Tensor2D[],
): tf.Scalar {
  return crossEntropy(sequenceLogits(cfg, p, input, B, order, mask, padding, dropout), targets, B);
}

/** Each row's negative log-likelihood (nats, summed over its columns) [B]: sequenceLoss row by row, no gradient. */
export function rowLosses(cfg: NetConfig, p: Params, input: Lookups, B: number, order: number[], targets: tf.Tensor3D, mask: tf.Tensor2D, padding: tf.Tensor3D): tf.Tensor1D {
  const probs = tf.softmax(sequenceLogits(cfg, p, input, B, order, mask, padding));
  return tf.neg(tf.sum(tf.log(tf.maximum(tf.sum(tf.mul(probs, targets), -1), 1e-30)), 0)) as tf.Tensor1D;
}

/** The heads' logits [T, B, Vmax] for rows given as embedding look-ups (see sequenceLoss). */
function sequenceLogits(cfg: NetConfig, p: Params, input: Lookups, B: number, order: number[], mask: tf.Tensor2D, padding: tf.Tensor3D, dropout?: tf.Tensor2D[]): tf.Tensor {
  const T = order.length, d = cfg.width, H = cfg.heads, dh = d / H;
  let h: tf.Tensor = embed(embeddingTable(cfg, p), input); // [B·T, d]
  const heads = (x: tf.Tensor) => tf.transpose(tf.reshape(x, [B, T, H, dh]), [0, 2, 1, 3]);
  for (let l = 0; l < cfg.layers; l++) {
    const a = layerNorm(h, p.get(`l${l}.ln1g`)!, p.get(`l${l}.ln1b`)!);
    const q = heads(tf.matMul(a, p.get(`l${l}.wq`)!));
    const k = heads(tf.matMul(a, p.get(`l${l}.wk`)!));
    const v = heads(tf.matMul(a, p.get(`l${l}.wv`)!));
    // Batched matmuls over B·H small matrices. (Broadcast products summed over an axis instead: a forward
    // pass as fast, a training step ~2× slower on WASM, measured in CPU time at batch 256, width 32.)
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), mask); // [B, H, T, T]
    const att = tf.matMul(tf.softmax(scores), v); // [B, H, T, dh]
    const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, d]);
    const drop = (x: tf.Tensor, m: number) => (dropout ? tf.mul(x, dropout[m]) : x);
    h = tf.add(h, drop(tf.add(tf.matMul(merged, p.get(`l${l}.wo`)!), p.get(`l${l}.bo`)!), 2 * l));
    h = tf.add(h, drop(ffn(p, l, h), 2 * l + 1));
  }
  // All positions' heads at once: positions first ([T, B, d]), each with its column's head ([T, d, Vmax]).
  const out = tf.transpose(tf.reshape(layerNorm(h, p.get('lnfg')!, p.get('lnfb')!), [B, T, d]), [1, 0, 2]);
  const cols = tf.tensor1d(order, 'int32');
  return tf.add(tf.add(tf.matMul(out, tf.gather(p.get('heads.w')!, cols)), tf.gather(p.get('heads.b')!, cols)), tf.gather(padding, cols)); // [T, B, Vmax]
}

/**
 * Σ over positions of −log softmax(logits)[target], over B rows, with its gradient (softmax − targets) / B
 * written out: one native Softmax kernel in place of logSoftmax's chain (max, sub, exp, sum, log, sub) and
 * its gradient's second Exp. On WASM those Exp passes over [T, B, Vmax] were ~8% of a step's kernel time.
 */
export function crossEntropy(logits: tf.Tensor, targets: tf.Tensor3D, B: number): tf.Scalar {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const p = tf.softmax(args[0] as tf.Tensor), save = args[1] as tf.GradSaveFunc;
    save([p]);
    // The target's probability per position; floored so that an underflow reads as 69 nats, not Infinity.
    const picked = tf.maximum(tf.sum(tf.mul(p, targets), -1), 1e-30);
    return {
      value: tf.div(tf.neg(tf.sum(tf.log(picked))), B),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.sub(saved[0], targets), tf.div(dy, B)),
    };
  });
  return f(logits) as tf.Scalar;
}

/** Per column, 0 on its own tokens and -1e9 on the padding up to the largest vocabulary: [C, 1, Vmax]. */
export function headPadding(cfg: NetConfig): tf.Tensor3D {
  const vmax = Math.max(...cfg.vocabs), C = cfg.vocabs.length;
  const a = new Float32Array(C * vmax);
  cfg.vocabs.forEach((v, j) => a.fill(-1e9, j * vmax + v, (j + 1) * vmax));
  return tf.tensor3d(a, [C, 1, vmax]);
}

/** The additive causal mask [T, T]: 0 on and below the diagonal, -1e9 above. */
export function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9;
  return tf.tensor2d(m, [T, T]);
}

/** ffn for decoding: the products with their bias (and relu) fused. */
function ffnFused(p: Params, l: number, h: tf.Tensor): tf.Tensor {
  const a = normalise(h, p.get(`l${l}.ln2g`)!, p.get(`l${l}.ln2b`)!).value;
  const hidden = tf.fused.matMul({ a: a as tf.Tensor2D, b: p.get(`l${l}.w1`)! as tf.Tensor2D, bias: p.get(`l${l}.b1`)!, activation: 'relu' });
  return tf.add(h, tf.fused.matMul({ a: hidden, b: p.get(`l${l}.w2`)! as tf.Tensor2D, bias: p.get(`l${l}.b2`)! }));
}

/**
 * Slices of x along `axis` picked by idx. On WASM, GatherV2 is backend.ts's heap-copy kernel (the stock one
 * spent microseconds per index: ~20 ms for 8192 rows of 64 floats, against ~1 ms).
 */
function gatherRows(x: tf.Tensor, idx: Int32Array | tf.Tensor1D, axis = 0): tf.Tensor {
  return tf.gather(x, idx instanceof Int32Array ? tf.tensor1d(idx, 'int32') : idx, axis);
}

/**
 * The values of t, read straight from the WASM heap into `buf` when it fits (a read copies into a fresh
 * array); elsewhere read asynchronously (a GPU backend's synchronous read is slow, or on WebGPU unreliable).
 */
async function readFloats(t: tf.Tensor, buf: Float32Array | null): Promise<Float32Array> {
  const size = t.size;
  if (buf && buf.length >= size && tf.getBackend() === 'wasm' && t.dtype === 'float32') {
    const heap = tf.backend() as unknown as Partial<WasmHeap>;
    if (typeof heap.typedArrayFromHeap === 'function') {
      const out = buf.subarray(0, size);
      out.set(heap.typedArrayFromHeap(t) as Float32Array);
      return out;
    }
  }
  return (await t.data()) as Float32Array;
}

/**
 * A decoding step's look-ups for m rows (see Lookups): position t of `order`, each row's value of the
 * column before it read by `tokenOf(p, r)` (p: that column, r: the row, 0 .. m-1).
 */
export function stepLookups(layout: ReturnType<typeof inputLayout>, order: number[], t: number, m: number, tokenOf: (p: number, r: number) => number): [Int32Array, Int32Array, Int32Array] {
  const value = new Int32Array(m), prev = new Int32Array(m), query = new Int32Array(m).fill(layout.queryCol + order[t]);
  if (t === 0) {
    value.fill(layout.bos);
    prev.fill(layout.bos);
  } else {
    const p = order[t - 1];
    prev.fill(layout.prevCol + p);
    for (let r = 0; r < m; r++) value[r] = layout.offsets[p] + tokenOf(p, r);
  }
  return [value, prev, query];
}

/** Above this share of the rows, distinct prefixes are not worth grouping: every row is decoded. */
const GROUP_SHARE = 0.5;

/** One decoding step's logits (see Decoder.next). */
export interface StepLogits {
  /** [units, V_j]: the logits of column j's head per unit. */
  logits: Float32Array;
  units: number;
  /** The unit of each row; null when the units are the rows. */
  unitOf: Int32Array | null;
}

/**
 * Incremental decoding for sampling: one position at a time with the keys and values of the earlier
 * positions cached, so a row of C columns costs C single-position passes. The caches are one [units, d]
 * tensor per position (appending one is free), and the attention over the t ≤ C positions runs position
 * by position on [units, d] tensors: the WASM backend's elementwise kernels are fast on equal shapes
 * and slow on reductions over an outer axis or broadcasts over the innermost (measured: the attention
 * over stacked [t, n, H, dh] caches ran ~1.5× slower).
 *
 * Rows with the same inputs so far (the same prefix of tokens) have the same state, so while few prefixes
 * are distinct the network runs once per distinct prefix (a "unit"), and the caches hold one entry per
 * unit: the first position is the same for every row, and conditioned columns narrow the next ones. Once
 * more than GROUP_SHARE of the rows are distinct, the caches are spread to the rows and every row runs.
 */
export class Decoder {
  readonly #cfg: NetConfig;
  readonly #p: Params;
  readonly #n: number;
  readonly #embWidth: number;
  /** The embedding matrix (embeddingTable), computed once. */
  #emb: tf.Tensor;
  /** Per layer, per position so far: keys and values [units, d]. */
  #keys: tf.Tensor[][];
  #values: tf.Tensor[][];
  /** [H, d]: 1 where column i belongs to head h. */
  #spread: tf.Tensor | null = null;
  /** The unit of each row after the last step; null before the first step and once the units are the rows. */
  #unitOf: Int32Array | null = null;
  #perRow = false;
  #heads = new Map<number, [tf.Tensor, tf.Tensor]>();
  #buf: Float32Array | null = null;
  #headData: [Float32Array, Float32Array] | null = null;

  constructor(cfg: NetConfig, p: Params, n: number) {
    this.#cfg = cfg;
    this.#p = p;
    this.#n = n;
    this.#embWidth = inputLayout(cfg.vocabs).width;
    // A clone, which this decoder may dispose of (the table can be the `emb` variable itself).
    this.#emb = tf.tidy(() => tf.clone(embeddingTable(cfg, p)));
    this.#keys = Array.from({ length: cfg.layers }, () => []);
    this.#values = Array.from({ length: cfg.layers }, () => []);
  }

  /**
   * Feed the next position, given per row its embedding rows (see Lookups); the logits of column j's
   * head [n, V_j].
   */
  async step(active: [Int32Array, Int32Array, Int32Array], j: number): Promise<Float32Array> {
    const { logits, unitOf } = await this.next(active, j);
    const V = this.#cfg.vocabs[j], n = this.#n;
    if (!unitOf) return logits.slice(0, n * V);
    const out = new Float32Array(n * V);
    for (let r = 0; r < n; r++) out.set(logits.subarray(unitOf[r] * V, (unitOf[r] + 1) * V), r * V);
    return out;
  }

  /**
   * Feed the next position (as step), and get the logits per unit (rows with the same prefix share one).
   * The logits are valid until the next call.
   */
  async next(active: [Int32Array, Int32Array, Int32Array], j: number): Promise<StepLogits> {
    // Column heads are sliced from the stacked head weights, read once.
    this.#headData ??= [await readFloats(this.#p.get('heads.w')!, null), await readFloats(this.#p.get('heads.b')!, null)];
    const { width: d, heads: H, layers } = this.#cfg;
    const dh = d / H, p = this.#p;
    const { units: u, parent, first } = this.#group(active);
    const lookups = active.map((a) => (first ? Int32Array.from(first, (r) => a[r]) : a));
    const [w, b] = this.#head(j);
    const scale = 1 / Math.sqrt(dh);
    // The first layer's input, its norm and its projections depend on a unit's inputs at this position
    // only (the column in flight being the same for every row, on its value token): they are computed
    // once per distinct input and copied to the units.
    const W = this.#embWidth;
    const inputIds = new Map<number, number>();
    const inputOf = new Int32Array(u);
    const inputs: number[] = [];
    const keyed = W * W * W <= Number.MAX_SAFE_INTEGER; // one number per (value, previous column, column) triple
    for (let g = 0; keyed && g < u; g++) {
      const key = (lookups[0][g] * W + lookups[1][g]) * W + lookups[2][g];
      let i = inputIds.get(key);
      if (i === undefined) {
        i = inputs.length;
        inputIds.set(key, i);
        inputs.push(g);
      }
      inputOf[g] = i;
    }
    const byInput = inputs.length > 0 && inputs.length * 2 <= u;
    // Tidied operation by operation: what one leaves is freed once the next has run, so the heap stays
    // small and warm (one tidy over the whole step held ~100 MB at 8192 rows, and ran slower).
    const result = tf.tidy(() => {
      const emb = this.#emb;
      const embed3 = (idx: Int32Array[]) => tf.add(tf.add(gatherRows(emb, idx[0]), gatherRows(emb, idx[1])), gatherRows(emb, idx[2]));
      const project = (l: number, x: tf.Tensor) => {
        const a = normalise(x, p.get(`l${l}.ln1g`)!, p.get(`l${l}.ln1b`)!).value;
        return [tf.matMul(a, p.get(`l${l}.wq`)!), tf.matMul(a, p.get(`l${l}.wk`)!), tf.matMul(a, p.get(`l${l}.wv`)!)]; // [., d]
      };
      let h: tf.Tensor;
      let qkv0: tf.Tensor[] | null = null;
      if (byInput) {
        const at = Int32Array.from(inputs);
        [h, ...qkv0] = tf.tidy(() => {
          const x = embed3(lookups.map((a) => Int32Array.from(at, (g) => a[g])));
          const spread = tf.tensor1d(inputOf, 'int32');
          return [x, ...project(0, x)].map((t) => gatherRows(t, spread));
        });
      } else h = tf.tidy(() => embed3(lookups));
      for (let l = 0; l < layers; l++) {
        const hl = h;
        const [q, k, v] = l === 0 && qkv0 ? qkv0 : tf.tidy(() => project(l, hl));
        // Earlier positions' entries, per unit of this position; then this position's.
        const Ks = this.#keys[l], Vs = this.#values[l];
        if (parent && Ks.length > 0) {
          const from = tf.tensor1d(parent, 'int32');
          for (let s = 0; s < Ks.length; s++) {
            const [k0, v0] = [Ks[s], Vs[s]];
            Ks[s] = tf.keep(gatherRows(k0, from));
            Vs[s] = tf.keep(gatherRows(v0, from));
            k0.dispose();
            v0.dispose();
          }
        }
        Ks.push(tf.keep(k));
        Vs.push(tf.keep(v));
        const T = Ks.length;
        // Scores position by position, softmax over the positions (innermost: [u, H, T]); weights [T, u·H].
        const wts = tf.tidy(() => {
          const scores = tf.stack(Ks.map((ks) => tf.tidy(() => tf.sum(tf.reshape(tf.mul(q, ks), [u, H, dh]), -1)))); // [T, u, H]
          return tf.reshape(tf.transpose(tf.softmax(tf.mul(tf.transpose(scores, [1, 2, 0]), scale)), [2, 0, 1]), [T, u * H]);
        });
        q.dispose();
        // Σ over positions of each head's weight spread over its dh columns ([u, H] × [H, d]) times the values.
        let att: tf.Tensor | null = null;
        for (let s = 0; s < T; s++) {
          const acc: tf.Tensor | null = att;
          att = tf.tidy(() => {
            const ws = tf.reshape(T > 1 ? gatherRows(wts, Int32Array.of(s)) : wts, [u, H]);
            const y = tf.mul(tf.matMul(ws, this.#headSpread()), Vs[s]);
            return acc ? tf.add(acc, y) : y;
          });
          acc?.dispose();
        }
        wts.dispose();
        const attOut = att!;
        h = tf.tidy(() => ffnFused(p, l, tf.add(hl, tf.fused.matMul({ a: attOut as tf.Tensor2D, b: p.get(`l${l}.wo`)! as tf.Tensor2D, bias: p.get(`l${l}.bo`)! }))));
        attOut.dispose();
        hl.dispose();
      }
      const hf = h;
      return tf.tidy(() => tf.fused.matMul({ a: normalise(hf, p.get('lnfg')!, p.get('lnfb')!).value as tf.Tensor2D, b: w as tf.Tensor2D, bias: b }));
    });
    this.#buf ??= new Float32Array(this.#n * Math.max(...this.#cfg.vocabs));
    const logits = await readFloats(result, this.#buf);
    result.dispose();
    return { logits, units: u, unitOf: this.#unitOf };
  }

  /**
   * This position's units: rows with the same unit before it and the same inputs at it share one.
   * `parent` maps each new unit to its unit before (null: unchanged), `first` to one of its rows (null:
   * the units are the rows).
   */
  #group(active: [Int32Array, Int32Array, Int32Array]): { units: number; parent: Int32Array | null; first: Int32Array | null } {
    const n = this.#n;
    if (this.#perRow) return { units: n, parent: null, first: null };
    const [value, prev, query] = active;
    const before = this.#unitOf;
    const spread = () => {
      // Every row its own unit from here on: spread the cached units to the rows.
      this.#perRow = true;
      this.#unitOf = null;
      return { units: n, parent: before, first: null };
    };
    const same = (a: Int32Array) => a.every((x) => x === a[0]);
    if (!same(prev) || !same(query)) return spread();
    const W = this.#embWidth;
    const ids = new Map<number, number>();
    const unitOf = new Int32Array(n);
    const first: number[] = [];
    for (let r = 0; r < n; r++) {
      const key = (before ? before[r] * W : 0) + value[r];
      let g = ids.get(key);
      if (g === undefined) {
        g = first.length;
        ids.set(key, g);
        first.push(r);
      }
      unitOf[r] = g;
    }
    if (first.length > GROUP_SHARE * n) return spread();
    const parent = before ? Int32Array.from(first, (r) => before[r]) : null;
    this.#unitOf = unitOf;
    return { units: first.length, parent, first: Int32Array.from(first) };
  }

  #headSpread(): tf.Tensor {
    if (!this.#spread) {
      const { width: d, heads: H } = this.#cfg, dh = d / H;
      this.#spread = tf.keep(tf.tensor2d(Float32Array.from({ length: H * d }, (_, x) => (Math.floor(x / d) === Math.floor((x % d) / dh) ? 1 : 0)), [H, d]));
    }
    return this.#spread;
  }

  /** Column j's output head ([d, V_j] and [V_j]), sliced once. */
  #head(j: number): [tf.Tensor, tf.Tensor] {
    let wb = this.#heads.get(j);
    if (!wb) {
      // Fresh tensors (a reshaped slice keeps its source's shape in the WASM backend's books, which its
      // fused product checks the bias against).
      const d = this.#cfg.width, V = this.#cfg.vocabs[j], vmax = Math.max(...this.#cfg.vocabs);
      const [wAll, bAll] = this.#headData!;
      const w = new Float32Array(d * V);
      for (let i = 0; i < d; i++) w.set(wAll.subarray((j * d + i) * vmax, (j * d + i) * vmax + V), i * V);
      wb = [tf.tensor2d(w, [d, V]), tf.tensor1d(bAll.slice(j * vmax, j * vmax + V))];
      this.#heads.set(j, wb);
    }
    return wb;
  }

  dispose(): void {
    for (const t of [...this.#keys.flat(), ...this.#values.flat()]) t.dispose();
    this.#emb.dispose();
    this.#spread?.dispose();
    this.#spread = null;
    for (const [w, b] of this.#heads.values()) {
      w.dispose();
      b.dispose();
    }
    this.#heads.clear();
    this.#keys = [];
    this.#values = [];
  }
}
