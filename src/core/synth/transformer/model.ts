import * as tf from '@tensorflow/tfjs-core';
import { trainingNote } from './trainingNote';
import * as detMath from '../../math/detMath';
import type { Rng } from '../../random/rng';
import type { EngineColumns, EngineModel, ModelArrays, PreparedCondition } from '../engine';
import { selectBackend, type BackendPreference } from './backend';
import { Decoder, inputLayout, makeVariables, paramShapes, stepLookups, type NetConfig, type Params, type StepLogits } from './network';
import { allowedTokens, drawInBin, type ColumnCoder } from './tokens';

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
   * (calibration.ts: computed for `order`); absent in models saved before them.
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

export class TransformerModel implements EngineModel {
  readonly #state: TransformerState;
  #params: Params | null = null;

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
    const { cfg, coders } = this.#state;
    await selectBackend(this.#state.backend);
    this.#params ??= makeVariables(cfg, this.#state.weights);
    const C = coders.length;
    const layout = inputLayout(cfg.vocabs);
    // Fixed columns first (so conditioning is exact), then the others in the model's order.
    const fixed = [...Array(C).keys()].filter((j) => conditions[j] !== undefined);
    const base = this.#state.order ?? [...Array(C).keys()];
    const order = [...fixed, ...base.filter((j) => conditions[j] === undefined)];
    const allowed = coders.map((c, j) => allowedTokens(c, conditions[j]));
    const tokens = coders.map(() => new Int32Array(n));
    const out: EngineColumns = coders.map((c) => (c.type === 'numeric' ? new Float64Array(n) : new Int32Array(n)));
    // Batches of equal size (10,000 rows: two of 5,000 rather than 8,192 and 1,808): the same work, a
    // smaller peak heap.
    const batch = Math.ceil(n / Math.max(1, Math.ceil(n / SAMPLE_BATCH)));
    const weights = new Float64Array(batch * Math.max(...cfg.vocabs));
    for (let start = 0; start < n; start += batch) {
      const m = Math.min(batch, n - start);
      const decoder = new Decoder(cfg, this.#params, m);
      try {
        for (let t = 0; t < C; t++) {
          const j = order[t];
          // The rows of the embedding each row adds up (see network.ts inputLayout).
          const step = await decoder.next(stepLookups(layout, order, t, m, (p, r) => tokens[p][start + r]), j);
          drawTokens(step, m, coders[j], allowed[j], rng, tokens[j], start, weights, conditions[j] === undefined ? (this.#state.calibration?.[j] ?? null) : null);
        }
      } finally {
        decoder.dispose();
      }
    }
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
 * share its logits: its weights are computed once (`weights`: scratch of at least units × V).
 */
function drawTokens(step: StepLogits, m: number, coder: ColumnCoder, allowed: Float64Array | null, rng: Rng, out: Int32Array, at: number, weights: Float64Array, bias: Float64Array | null): void {
  const V = coder.vocab;
  const { logits, units, unitOf } = step;
  // The tokens that may be drawn; weights are kept for those only (a zero weight never draws).
  const okList: number[] = [];
  for (let k = 0; k < V; k++) if ((allowed ? allowed[k] > 0 : true) && (k < V - 1 || coder.hasMissing)) okList.push(k);
  const ok = Int32Array.from(okList), nk = ok.length;
  const sums = new Float64Array(units);
  for (let g = 0; g < units; g++) {
    const o = g * V, w = g * nk;
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
