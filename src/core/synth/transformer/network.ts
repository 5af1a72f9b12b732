/**
 * The network: a small causal (decoder-only) transformer over one token per column, in an order drawn
 * per batch. Position t carries the value of the column placed at t-1 (a BOS token at t = 0), that
 * column's identity, and the identity of the column to predict at t; it predicts that column through
 * the column's own output head, over the column's own vocabulary. No position embedding: the columns
 * seen so far form a set, which is what lets any subset of columns condition the rest (put them first).
 *
 * Embeddings are one multi-hot row × one matrix (a `gather` has no gradient on the WASM backend). All
 * differentiation is tfjs's (optimizer.minimize); the weights are initialised from the seeded Rng.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../random/rng';

export interface NetConfig {
  /** Vocabulary per column (its tokens, the missing token last). */
  vocabs: number[];
  width: number;
  layers: number;
  heads: number;
  /** FFN hidden width = ffnMult × width. */
  ffnMult: number;
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
    else if (name === 'heads.w') {
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

function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
}

function ffn(p: Params, l: number, h: tf.Tensor): tf.Tensor {
  const a = layerNorm(h, p.get(`l${l}.ln2g`)!, p.get(`l${l}.ln2b`)!);
  const hidden = tf.relu(tf.add(tf.matMul(a, p.get(`l${l}.w1`)!), p.get(`l${l}.b1`)!));
  return tf.add(h, tf.add(tf.matMul(hidden, p.get(`l${l}.w2`)!), p.get(`l${l}.b2`)!));
}

/**
 * Per input position, the three rows of the embedding matrix it adds up: its value token (BOS at the
 * first position), the column that value belongs to (BOS again at the first position), the column to
 * predict. Equivalent to a multi-hot row × the matrix; `gather` trains on WASM through the
 * UnsortedSegmentSum kernel backend.ts registers.
 */
export type Lookups = [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];

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
): tf.Scalar {
  const T = order.length, d = cfg.width, H = cfg.heads, dh = d / H;
  let h: tf.Tensor = embed(p.get('emb')!, input); // [B·T, d]
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
    h = tf.add(h, tf.add(tf.matMul(merged, p.get(`l${l}.wo`)!), p.get(`l${l}.bo`)!));
    h = ffn(p, l, h);
  }
  // All positions' heads at once: positions first ([T, B, d]), each with its column's head ([T, d, Vmax]).
  const out = tf.transpose(tf.reshape(layerNorm(h, p.get('lnfg')!, p.get('lnfb')!), [B, T, d]), [1, 0, 2]);
  const cols = tf.tensor1d(order, 'int32');
  const logits = tf.add(tf.add(tf.matMul(out, tf.gather(p.get('heads.w')!, cols)), tf.gather(p.get('heads.b')!, cols)), tf.gather(padding, cols)); // [T, B, Vmax]
  const total = tf.sum(tf.mul(tf.logSoftmax(logits), targets));
  return tf.div(tf.neg(total), B) as tf.Scalar;
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

/**
 * Incremental decoding for sampling: one position at a time with the keys and values of the earlier
 * positions cached, so a row of C columns costs C single-position passes. The caches are laid out
 * position-major ([t, n, H, dh]): appending a position is then a plain copy (a concat on the innermost
 * axes ran ~4× slower), and the attention over t positions is elementwise (t ≤ C is small).
 */
export class Decoder {
  readonly #cfg: NetConfig;
  readonly #p: Params;
  readonly #n: number;
  #keys: (tf.Tensor | null)[];
  #values: (tf.Tensor | null)[];

  constructor(cfg: NetConfig, p: Params, n: number) {
    this.#cfg = cfg;
    this.#p = p;
    this.#n = n;
    this.#keys = new Array(cfg.layers).fill(null);
    this.#values = new Array(cfg.layers).fill(null);
  }

  /**
   * Feed the next position, given per row its embedding rows (see Lookups); the logits of column j's
   * head [n, V_j].
   */
  step(active: [Int32Array, Int32Array, Int32Array], j: number): Float32Array {
    const { width: d, heads: H, layers } = this.#cfg;
    const dh = d / H, n = this.#n, p = this.#p;
    const result = tf.tidy(() => {
      let h: tf.Tensor | null = embed(p.get('emb')!, active.map((a) => tf.tensor1d(a, 'int32')) as Lookups);
      for (let l = 0; l < layers; l++) {
        const a = layerNorm(h!, p.get(`l${l}.ln1g`)!, p.get(`l${l}.ln1b`)!);
        const q = tf.reshape(tf.matMul(a, p.get(`l${l}.wq`)!), [1, n, H, dh]);
        const k = tf.reshape(tf.matMul(a, p.get(`l${l}.wk`)!), [1, n, H, dh]);
        const v = tf.reshape(tf.matMul(a, p.get(`l${l}.wv`)!), [1, n, H, dh]);
        const prevK = this.#keys[l], prevV = this.#values[l];
        const K = prevK ? tf.concat([prevK, k], 0) : k; // [t+1, n, H, dh]
        const V = prevV ? tf.concat([prevV, v], 0) : v;
        tf.keep(K);
        tf.keep(V);
        prevK?.dispose();
        prevV?.dispose();
        this.#keys[l] = K;
        this.#values[l] = V;
        const scores = tf.mul(tf.sum(tf.mul(q, K), -1, true), 1 / Math.sqrt(dh)); // [t+1, n, H, 1]
        const e = tf.exp(tf.sub(scores, tf.max(scores, 0, true)));
        const w = tf.div(e, tf.sum(e, 0, true));
        const att = tf.reshape(tf.sum(tf.mul(w, V), 0), [n, d]);
        h = tf.add(h!, tf.add(tf.matMul(att, p.get(`l${l}.wo`)!), p.get(`l${l}.bo`)!));
        h = ffn(p, l, h);
      }
      const out = layerNorm(h!, p.get('lnfg')!, p.get('lnfb')!);
      const vmax = Math.max(...this.#cfg.vocabs), V = this.#cfg.vocabs[j];
      const w = tf.reshape(tf.slice(p.get('heads.w')!, [j, 0, 0], [1, d, V]), [d, V]);
      const b = tf.reshape(tf.slice(p.get('heads.b')!, [j, 0, 0], [1, 1, V]), [V]);
      void vmax;
      return tf.add(tf.matMul(out, w), b);
    });
    const data = result.dataSync() as Float32Array;
    result.dispose();
    return data;
  }

  dispose(): void {
    for (const t of [...this.#keys, ...this.#values]) t?.dispose();
    this.#keys = [];
    this.#values = [];
  }
}
