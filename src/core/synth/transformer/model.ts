import * as tf from '@tensorflow/tfjs-core';
import { trainingNote } from './trainingNote';
import * as detMath from '../../math/detMath';
import { resampleByWeight } from '../../random/resample';
import { Rng } from '../../random/rng';
import type { EngineColumns, EngineModel, ModelArrays, PreparedCondition } from '../engine';
import { selectBackend, type BackendPreference } from './backend';
import { Decoder, inputLayout, makeVariables, paramShapes, stepLookups, type NetConfig, type Params, type StepLogits } from './network';
import { allowedTokens, drawInBin, type ColumnCoder } from './tokens';
import { conditionedBiases, groupKey, type DrawBiases } from './calibration';

/** Everything a fitted transformer needs to draw rows. */
export interface TransformerState {
  cfg: NetConfig;
  coders: ColumnCoder[];
  /** Weights by parameter name (network.ts paramShapes). */
  weights: Map<string, Float32Array>;
  /** What training did (reported, stored). */
  training: TrainingSummary;
  /** Preferred backend for sampling (the one that trained, unless changed). */
  backend: BackendPreference;
  /**
   * The order unconditioned columns are drawn in; absent: the table's. Fits in random orders choose one
   * (fit.ts samplingOrder); table-order fits (fit.ts usesTableOrder) and models saved before 3fc94ce have none.
   */
  order?: number[];
  /**
   * Per column, biases added to its head's logits when it is drawn rather than fixed by a condition
   * (calibration.ts: computed for `order`); absent in models saved before them. Rows drawn under
   * conditions get biases of their own, computed when first asked for (#conditionedCalibration).
   */
  calibration?: Float64Array[];
}

export interface TrainingSummary {
  epochs: number;
  bestEpoch: number;
  trainLoss: number;
  validationLoss: number;
  seconds: number;
  backend: string;
  stoppedBy: 'early-stop' | 'time-budget' | 'epochs';
  /**
   * The time budget ran out inside an epoch and that unfinished epoch was dropped: the model is then what
   * `epochs: epochs` gives with the same seed, on any machine (fit.ts).
   */
  partialEpochDropped?: boolean;
  preset: string;
}

/** Rows decoded together: bounds the key/value caches (rows × heads × columns × width / heads floats per layer). */
const SAMPLE_BATCH = 8192;
/** Rows of a conditioned calibration's pool (#conditionedCalibration), and the resample of them it teacher-forces. */
const POOL_ROWS = 4 * SAMPLE_BATCH;
const CALIBRATION_ROWS = 4096;
/** Fewer effective rows ((Σw)² / Σw²) than this: the weighted shares are too noisy to aim at. */
const POOL_MIN_EFFECTIVE = 400;
const POOL_SEED = 0x5eed_c0de;
/** Conditions whose biases a model keeps. */
const MAX_CONDITIONED = 16;

export class TransformerModel implements EngineModel {
  readonly #state: TransformerState;
  #params: Params | null = null;
  /** Conditioned biases by the conditions' JSON (#conditionedCalibration); null: too few pooled rows met them. */
  readonly #conditioned = new Map<string, DrawBiases | null>();

  constructor(state: TransformerState) {
    this.#state = state;
  }

  get state(): TransformerState {
    return this.#state;
  }

  get trainingNote(): string {
    return trainingNote(this.#state.training);
  }

  async sample(n: number, rng: Rng, conditions: (PreparedCondition | undefined)[]): Promise<EngineColumns> {
    const { coders } = this.#state;
    await selectBackend(this.#state.backend);
    const C = coders.length;
    // Fixed columns first (so conditioning is exact), then the others in the model's order.
    const fixed = [...Array(C).keys()].filter((j) => conditions[j] !== undefined);
    const base = this.#state.order ?? [...Array(C).keys()];
    const order = [...fixed, ...base.filter((j) => conditions[j] === undefined)];
    const allowed = coders.map((c, j) => allowedTokens(c, conditions[j]));
    const stored = this.#state.calibration;
    const bias = (fixed.length > 0 ? await this.#conditionedCalibration(conditions, order, allowed) : null)
      ?? { all: coders.map((_, j) => (conditions[j] === undefined ? (stored?.[j] ?? null) : null)) };
    const tokens = await this.#decode(n, order, allowed, bias, rng);
    const out: EngineColumns = coders.map((c) => (c.type === 'numeric' ? new Float64Array(n) : new Int32Array(n)));
    // Tokens to values.
    for (let j = 0; j < C; j++) {
      const c = coders[j], tok = tokens[j], col = out[j];
      const missing = c.vocab - 1;
      const cond = conditions[j];
      const range = cond?.type === 'range' ? cond : undefined;
      for (let i = 0; i < n; i++) {
        const k = tok[i];
        if (c.type === 'categorical') col[i] = k === missing ? -1 : k;
        else col[i] = k === missing ? NaN : drawInBin(c, k, rng.next(), range);
      }
    }
    return out;
  }

  /**
   * n rows of tokens, drawn column by column in `order`: each column's logits plus its bias, times its
   * allowed factors. With `mass`, each row's entry is multiplied by the probability its allowed tokens
   * had, column by column (drawTokens). A column with `given` tokens takes them rather than drawing.
   */
  async #decode(
    n: number, order: number[], allowed: (Float64Array | null)[], bias: DrawBiases, rng: Rng, mass: Float64Array | null = null, given: (Int32Array | null)[] | null = null,
  ): Promise<Int32Array[]> {
    const { cfg, coders } = this.#state;
    this.#params ??= makeVariables(cfg, this.#state.weights);
    const layout = inputLayout(cfg.vocabs);
    const tokens = coders.map(() => new Int32Array(n));
    // Batches of equal size (10,000 rows: two of 5,000 rather than 8,192 and 1,808): the same work, a
    // smaller peak heap.
    const batch = Math.ceil(n / Math.max(1, Math.ceil(n / SAMPLE_BATCH)));
    const weights = new Float64Array(batch * Math.max(...cfg.vocabs));
    for (let start = 0; start < n; start += batch) {
      const m = Math.min(batch, n - start);
      const decoder = new Decoder(cfg, this.#params, m);
      const groups = bias.groups;
      // Each row's biases, once the fixed columns (drawn first) are known: its combination's, where it has its own.
      let rowBiases: (Float64Array[] | undefined)[] | null = null;
      try {
        for (let t = 0; t < order.length; t++) {
          const j = order[t];
          if (groups && t === groups.fixed.length) rowBiases = Array.from({ length: m }, (_, r) => groups.byKey.get(groupKey(groups.fixed, coders, (f) => tokens[f][start + r])));
          // The rows of the embedding each row adds up (see network.ts inputLayout).
          const step = await decoder.next(stepLookups(layout, order, t, m, (p, r) => tokens[p][start + r]), j);
          const known = given?.[j];
          if (known) {
            tokens[j].set(known.subarray(start, start + m), start);
            continue;
          }
          const rb = rowBiases;
          const biasOf = rb ? (r: number) => rb[r]?.[j] ?? bias.all[j] : null;
          drawTokens(step, m, coders[j], allowed[j], rng, tokens[j], start, weights, bias.all[j], biasOf, mass);
        }
      } finally {
        decoder.dispose();
      }
    }
    return tokens;
  }

  /**
   * Biases for rows drawn under these conditions (calibration.ts conditionedBiases), aimed at the model's
   * own rows in its calibrated order under the same conditions. Those are estimated by importance
   * weighting: a pool drawn in that order with each fixed column held to its allowed tokens where it comes,
   * each row weighted by the probability the model gave them there (the chance it would have met the
   * condition), so a condition that 1% of rows meet still gets every pooled row. The pool is seeded by
   * the conditions alone: the rows a seed gives do not depend on how the pipeline splits a sample into
   * calls, and the biases are kept for the next call. Null (the stored biases are used) for a model
   * without calibration, or when the weights leave too few effective rows.
   */
  async #conditionedCalibration(conditions: (PreparedCondition | undefined)[], order: number[], allowed: (Float64Array | null)[]): Promise<DrawBiases | null> {
    const stored = this.#state.calibration;
    if (!stored) return null;
    // Infinite range ends spelled out (JSON would write both as null).
    const key = JSON.stringify(conditions, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
    if (this.#conditioned.has(key)) return this.#conditioned.get(key)!;
    const { cfg, coders } = this.#state;
    const base = this.#state.order ?? coders.map((_, j) => j);
    const rng = new Rng(POOL_SEED).fork(key);
    // The pool is drawn only as far as the last fixed column: each row's weight is known there. The rows
    // the calibration reads are a weighted resample of those beginnings, drawn on to the end.
    const head = base.slice(0, 1 + Math.max(...base.map((j, t) => (allowed[j] ? t : -1))));
    const weight = new Float64Array(POOL_ROWS).fill(1);
    const starts = await this.#decode(POOL_ROWS, head, allowed, { all: stored }, rng, weight);
    let sum = 0, sq = 0;
    for (const w of weight) (sum += w), (sq += w * w);
    let biases: DrawBiases | null = null;
    if (sq > 0 && (sum * sum) / sq >= POOL_MIN_EFFECTIVE) {
      const picked = resampleByWeight(weight, CALIBRATION_ROWS, rng);
      const given = coders.map((_, j) => (head.includes(j) ? Int32Array.from(picked, (r) => starts[j][r]) : null));
      const rows = await this.#decode(picked.length, base, allowed, { all: stored }, rng, null, given);
      biases = await conditionedBiases(cfg, this.#params!, coders, rows, order, allowed);
    }
    if (this.#conditioned.size >= MAX_CONDITIONED) this.#conditioned.delete(this.#conditioned.keys().next().value!);
    this.#conditioned.set(key, biases);
    return biases;
  }

  serialize(): { meta: unknown; arrays: ModelArrays } {
    return serializeTransformer(this.#state);
  }

  /** Free the tfjs variables (the weights stay in the state). */
  dispose(): void {
    if (this.#params) for (const v of this.#params.values()) v.dispose();
    this.#params = null;
  }
}

/**
 * Draw one token per row from the logits plus `bias` (softmax in JS, deterministic exp), each token's probability
 * times its `allowed` factor (0: never drawn), the missing token never when unseen. Rows of one unit
 * share its logits: its weights are computed once (`weights`: scratch of at least units × V). With `mass`
 * and `allowed`, each row's mass is multiplied by the probability its allowed tokens had (allowedMass).
 */
function drawTokens(
  step: StepLogits, m: number, coder: ColumnCoder, allowed: Float64Array | null, rng: Rng, out: Int32Array, at: number, weights: Float64Array,
  rowsBias: Float64Array | null, biasOf: ((r: number) => Float64Array | null) | null, mass: Float64Array | null,
): void {
  const V = coder.vocab;
  const { logits, units, unitOf } = step;
  // A unit's rows share their fixed columns' tokens (they share their prefix): its first row's bias is theirs.
  let first: Int32Array | null = null;
  if (biasOf && unitOf) {
    first = new Int32Array(units).fill(-1);
    for (let r = 0; r < m; r++) if (first[unitOf[r]] < 0) first[unitOf[r]] = r;
  }
  if (mass && allowed) allowedMass(step, m, coder, allowed, rowsBias, mass, at);
  // The tokens that may be drawn; weights are kept for those only (a zero weight never draws).
  const okList: number[] = [];
  for (let k = 0; k < V; k++) if ((allowed ? allowed[k] > 0 : true) && (k < V - 1 || coder.hasMissing)) okList.push(k);
  const ok = Int32Array.from(okList), nk = ok.length;
  const sums = new Float64Array(units);
  for (let g = 0; g < units; g++) {
    const o = g * V, w = g * nk;
    const bias = biasOf ? biasOf(first ? first[g] : g) : rowsBias;
    let max = -Infinity;
    for (let i = 0; i < nk; i++) {
      const l = logits[o + ok[i]] + (bias ? bias[ok[i]] : 0);
      weights[w + i] = l;
      max = l > max ? l : max;
    }
    let sum = 0;
    for (let i = 0; i < nk; i++) {
      const e = detMath.expNonPositive(weights[w + i] - max) * (allowed ? allowed[ok[i]] : 1);
      weights[w + i] = e;
      sum += e;
    }
    sums[g] = sum;
  }
  // Each unit's weights, drawn from by rng.weighted.
  const views = Array.from({ length: units }, (_, g) => weights.subarray(g * nk, (g + 1) * nk));
  for (let r = 0; r < m; r++) {
    const g = unitOf ? unitOf[r] : r;
    out[at + r] = sums[g] > 0 ? ok[rng.weighted(views[g], sums[g])] : 0;
  }
}

/** Multiply each row's `mass` entry by the probability (logits plus bias) its unit gives the allowed tokens, each times its factor. */
function allowedMass(step: StepLogits, m: number, coder: ColumnCoder, allowed: Float64Array, bias: Float64Array | null, mass: Float64Array, at: number): void {
  const V = coder.vocab;
  const { logits, units, unitOf } = step;
  const live = coder.hasMissing ? V : V - 1;
  const share = new Float64Array(units);
  for (let g = 0; g < units; g++) {
    const o = g * V;
    let max = -Infinity;
    for (let k = 0; k < live; k++) max = Math.max(max, logits[o + k] + (bias ? bias[k] : 0));
    let all = 0, ok = 0;
    for (let k = 0; k < live; k++) {
      const e = detMath.expNonPositive(logits[o + k] + (bias ? bias[k] : 0) - max);
      all += e;
      ok += e * allowed[k];
    }
    share[g] = all > 0 ? ok / all : 0;
  }
  for (let r = 0; r < m; r++) mass[at + r] *= share[unitOf ? unitOf[r] : r];
}

// ---- serialization ----

export const TRANSFORMER_FORMAT_VERSION = 1;

interface CoderMeta {
  type: 'categorical' | 'numeric';
  vocab: number;
  hasMissing: boolean;
  nLevels?: number;
  nBins?: number;
}

interface TransformerMeta {
  version: number;
  cfg: NetConfig;
  coders: CoderMeta[];
  training: Omit<TrainingSummary, 'seconds'> & { seconds?: number };
  backend: BackendPreference;
  /** Absent in models saved before it (drawn in the table's order). */
  order?: number[];
}

export function serializeTransformer(state: TransformerState): { meta: TransformerMeta; arrays: ModelArrays } {
  const arrays: ModelArrays = {};
  for (const [name] of paramShapes(state.cfg)) arrays[`w.${name}`] = state.weights.get(name)!;
  state.calibration?.forEach((b, j) => (arrays[`${j}.calibration`] = b));
  const coders = state.coders.map((c, j): CoderMeta => {
    if (c.type === 'categorical') return { type: 'categorical', vocab: c.vocab, hasMissing: c.hasMissing, nLevels: c.nLevels };
    arrays[`${j}.edges`] = c.edges;
    arrays[`${j}.knots`] = c.knots;
    return { type: 'numeric', vocab: c.vocab, hasMissing: c.hasMissing, nBins: c.nBins };
  });
  // Seconds are left out: the same seed and backend give the same stored model, byte for byte.
  const { seconds: _seconds, ...training } = state.training;
  return { meta: { version: TRANSFORMER_FORMAT_VERSION, cfg: state.cfg, coders, training, backend: state.backend, ...(state.order ? { order: state.order } : {}) }, arrays };
}

export function deserializeTransformer(metaIn: unknown, arrays: ModelArrays): TransformerState {
  const meta = metaIn as TransformerMeta;
  if (!meta || meta.version !== TRANSFORMER_FORMAT_VERSION || !Array.isArray(meta.coders)) {
    throw new Error(`Unsupported transformer model format (version ${String((meta as TransformerMeta | undefined)?.version)})`);
  }
  const weights = new Map<string, Float32Array>();
  for (const [name, shape] of paramShapes(meta.cfg)) {
    const a = arrays[`w.${name}`];
    const size = shape.reduce((x, y) => x * y, 1);
    if (!(a instanceof Float32Array) || a.length !== size) throw new Error(`Transformer model is missing the weights "${name}"`);
    weights.set(name, a);
  }
  const coders = meta.coders.map((c, j): ColumnCoder => {
    if (c.type === 'categorical') return { type: 'categorical', vocab: c.vocab, hasMissing: c.hasMissing, nLevels: c.nLevels ?? c.vocab - 1 };
    const edges = arrays[`${j}.edges`], knots = arrays[`${j}.knots`];
    if (!(edges instanceof Float64Array) || !(knots instanceof Float64Array)) throw new Error(`Transformer model is missing the bins of column ${j}`);
    return { type: 'numeric', vocab: c.vocab, hasMissing: c.hasMissing, nBins: c.nBins ?? c.vocab - 1, edges, knots };
  });
  const C = meta.cfg.vocabs.length;
  if (meta.order && (meta.order.length !== C || new Set(meta.order).size !== C || meta.order.some((j) => !Number.isInteger(j) || j < 0 || j >= C))) {
    throw new Error('Transformer model has an invalid column order');
  }
  const calibration = meta.coders.map((_, j) => arrays[`${j}.calibration`]);
  const calibrated = calibration.every((b, j) => b instanceof Float64Array && b.length === meta.coders[j].vocab);
  return {
    cfg: meta.cfg, coders, weights, training: { ...meta.training, seconds: meta.training.seconds ?? NaN }, backend: meta.backend ?? 'auto',
    ...(meta.order ? { order: meta.order } : {}),
    ...(calibrated ? { calibration: calibration as Float64Array[] } : {}),
  };
}
