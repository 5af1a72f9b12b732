import { throwIfAborted, yieldToEventLoop } from '../../context';
import * as detMath from '../../math/detMath';
import { Decoder, inputLayout, makeVariables, stepLookups, type NetConfig, type Params } from './network';
import type { ColumnCoder } from './tokens';

/**
 * The biases a draw adds to the logits: per column, one for every row (`all`), or with `groups`, one per
 * combination of the fixed columns' tokens (groupKey), where it has its own (conditionedBiases).
 */
export interface DrawBiases {
  all: (Float64Array | null)[];
  groups?: { fixed: number[]; byKey: Map<number, Float64Array[]> };
}

/** Rows the calibration reads at most (its logits are held: rows × Σ vocabularies floats). */
const MAX_ROWS = 5000;
/** Steps of a conditioned solve (conditionedBiases): its targets, shares of a few thousand resampled rows, are
 * noisier than what more steps would refine; a combination's solve starts from the rows' common biases. */
const CONDITIONED_STEPS = 10;
/** Fewest resampled rows of one combination of the fixed columns' tokens to solve its own biases from (conditionedBiases). */
const MIN_GROUP_ROWS = 256;
/** Fixed-point steps of the bias solve; the largest token gap left after 30 is under 1e-3 on movies. */
const STEPS = 30;
/** No token's bias moves by more than this many nats (a token the rows never show is not pushed to −∞). */
const MAX_SHIFT = 3;

/**
 * Per column, a bias added to its head's logits when rows are drawn in `order` (model.ts sample), so that
 * the network's prediction for the column, averaged over real rows fed in that order (teacher forcing),
 * equals the rows' own share of each token.
 *
 * Why: a network trained in random column orders fits each order's conditionals only on average over the
 * orders, and in the order rows are drawn in its mean prediction for a column can sit well off the
 * column's marginal. On the movies table of vega-datasets (2,561 rows × 16 columns) the release dates'
 * first 6 of 48 bins (films before ~1985) held 12.5% of the rows and got 6.3% of the predicted mass after
 * five earlier columns; drawn rows followed (films before 1990: 9.3% against 15.6%), and with them the
 * rating's missing share (11.8% against 19.7%). The fix is the one for a classifier's priors: shift each
 * token's logit until the mean predicted share matches (iterative proportional fitting on the bias).
 */
export async function calibrationBiases(
  cfg: NetConfig, weights: Map<string, Float32Array>, coders: ColumnCoder[], tokens: Int32Array[], rows: ArrayLike<number>, order: number[], signal?: AbortSignal,
): Promise<Float64Array[]> {
  const n = Math.min(rows.length, MAX_ROWS);
  const ids = Int32Array.from({ length: n }, (_, i) => rows[i]);
  const params = makeVariables(cfg, weights);
  let logits: Float32Array[];
  try {
    logits = await teacherForced(cfg, params, order, n, (p, r) => tokens[p][ids[r]], signal);
  } finally {
    for (const v of params.values()) v.dispose();
  }
  const biases: Float64Array[] = [];
  for (const [j, coder] of coders.entries()) {
    const target = new Float64Array(coder.vocab);
    for (let r = 0; r < n; r++) target[tokens[j][ids[r]]] += 1 / n;
    biases.push(solveBias(logits[j], n, coder, target));
    await yieldToEventLoop();
    throwIfAborted(signal);
  }
  return biases;
}

/**
 * The biases for rows drawn under a condition (model.ts sample: the fixed columns first, then the others),
 * matched to `rows` (tokens per column): rows the model drew in its calibrated order that follow its own
 * rows under the condition (model.ts: a weighted resample). Every column gets one, the
 * fixed ones too (their logits times their `allowed` factors, as they are drawn).
 *
 * Why: the fixed columns first is an order the network saw in few batches (table-order fits: fit.ts
 * trainingOrder), and in it the conditioned rows drift from what the model's own rows in its usual order
 * say under the same condition. txhousing, sales in its top 4.7%: the conditioned rows' 2-way gap to the
 * holdout's rows was 0.039 over 9 splits where the model's filtered rows' was 0.014 (bench/rules.ts). The
 * biases carry the second over to the first without rejecting a row: conditioning stays exact. With them,
 * over the same 9 splits (seeds 19-27, --transformer-epochs 100): sales 0.027 ± 0.007, city & sales
 * 0.002 ± 0.008 (0.040 on seeds 19-21 before), city 0.000 ± 0.009; titanic and colon (random-order fits)
 * stay above their ceilings. The one-off pool costs about 0.3 s: 21-23k conditioned rows/s for 10,000 rows
 * under a 1% condition, against 54-58k without it (later calls reuse the biases).
 */
export async function conditionedBiases(
  cfg: NetConfig, params: Params, coders: ColumnCoder[], rows: Int32Array[], order: number[], allowed: (Float64Array | null)[],
): Promise<DrawBiases> {
  const n = rows[0].length;
  const logits = await teacherForced(cfg, params, order, n, (p, r) => rows[p][r]);
  // Each column's exponentiated logits, computed once for all rows and read by every combination's solve.
  const exps = coders.map((coder, j) => tokenExp(logits[j], n, coder, allowed[j]));
  const solve = (j: number, ids: Int32Array, start: Float64Array[] | null) => {
    const V = coders[j].vocab, m = ids.length;
    const target = new Float64Array(V);
    const e = m === n ? exps[j] : new Float64Array(m * V);
    for (let i = 0; i < m; i++) {
      target[rows[j][ids[i]]] += 1 / m;
      if (m !== n) e.set(exps[j].subarray(ids[i] * V, (ids[i] + 1) * V), i * V);
    }
    return solveFromExp(e, m, coders[j], target, allowed[j], CONDITIONED_STEPS, start?.[j] ?? null);
  };
  const everyRow = Int32Array.from({ length: n }, (_, i) => i);
  const all = coders.map((_, j) => solve(j, everyRow, null));
  // The pairs of a fixed column with the others drift most (txhousing, sales in its top 4.7%: 2-way total
  // variation 0.17 for sales with year, with the marginals matched, against 0.06 between two samples of the
  // model's own rows): a drawn column's bias is solved again among the rows of each combination of the
  // fixed columns' tokens, where that combination has rows enough.
  const fixed = order.filter((j) => allowed[j] !== null);
  const byKey = new Map<number, Float64Array[]>();
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = groupKey(fixed, coders, (f) => rows[f][i]);
    const list = members.get(key);
    if (list) list.push(i);
    else members.set(key, [i]);
  }
  if (members.size > 1) {
    for (const [key, ids] of members) {
      if (ids.length < MIN_GROUP_ROWS) continue;
      byKey.set(key, coders.map((_, j) => (allowed[j] === null ? solve(j, Int32Array.from(ids), all) : all[j])));
    }
  }
  return { all, ...(byKey.size > 0 ? { groups: { fixed, byKey } } : {}) };
}

/** A number naming a row's combination of tokens of the `fixed` columns (tokenOf gives them). */
export function groupKey(fixed: number[], coders: ColumnCoder[], tokenOf: (j: number) => number): number {
  let key = 0;
  for (const f of fixed) key = key * coders[f].vocab + tokenOf(f);
  return key;
}

/** Each column's head logits [n, V_j], teacher-forced: n rows (tokenOf gives their tokens) fed in `order`. */
async function teacherForced(cfg: NetConfig, params: Params, order: number[], n: number, tokenOf: (p: number, r: number) => number, signal?: AbortSignal): Promise<Float32Array[]> {
  const layout = inputLayout(cfg.vocabs);
  const logits: Float32Array[] = new Array(order.length);
  const decoder = new Decoder(cfg, params, n);
  try {
    for (let t = 0; t < order.length; t++) {
      logits[order[t]] = await decoder.step(stepLookups(layout, order, t, n, tokenOf), order[t]);
      // Cancel points between columns: the pass takes seconds on a wide table.
      await yieldToEventLoop();
      throwIfAborted(signal);
    }
  } finally {
    decoder.dispose();
  }
  return logits;
}

/**
 * The bias b (one per token) for which the mean over rows of softmax(logits + b) is `target`, by
 * b += log(target) − log(mean) repeated; tokens that are never drawn (an unseen missing token, a token a
 * condition rules out) keep 0. softmax(l + b)_k = e_k·w_k / Σ e·w with e = exp(l − max l) computed once
 * and w = exp(b): each step is multiply-adds only. conditionedBiases solves the same way from its own
 * start, with each token's probability times its `allowed` factor, as a condition draws it (model.ts).
 */
export function solveBias(logits: Float32Array, n: number, coder: ColumnCoder, target: Float64Array): Float64Array {
  return solveFromExp(tokenExp(logits, n, coder, null), n, coder, target, null, STEPS, null);
}

/** Whether a column's token can be drawn: not an unseen missing token, nor one a condition rules out. */
function liveToken(coder: ColumnCoder, allowed: Float64Array | null, k: number): boolean {
  return (k < coder.vocab - 1 || coder.hasMissing) && (!allowed || allowed[k] > 0);
}

/** Per row, exp(logit − the row's largest live logit) times the token's allowed factor (0 for a token that cannot be drawn). */
function tokenExp(logits: Float32Array, n: number, coder: ColumnCoder, allowed: Float64Array | null): Float64Array {
  const V = coder.vocab;
  const live = Array.from({ length: V }, (_, k) => liveToken(coder, allowed, k));
  const e = new Float64Array(n * V);
  for (let r = 0; r < n; r++) {
    const o = r * V;
    let max = -Infinity;
    for (let k = 0; k < V; k++) if (live[k]) max = Math.max(max, logits[o + k]);
    for (let k = 0; k < V; k++) e[o + k] = live[k] ? detMath.expNonPositive(logits[o + k] - max) * (allowed ? allowed[k] : 1) : 0;
  }
  return e;
}

/** solveBias's fixed-point steps, from tokenExp's rows. */
function solveFromExp(e: Float64Array, n: number, coder: ColumnCoder, target: Float64Array, allowed: Float64Array | null, steps: number, start: Float64Array | null): Float64Array {
  const V = coder.vocab;
  const bias = start ? Float64Array.from(start) : new Float64Array(V), w = bias.map((b) => detMath.exp(b)), mean = new Float64Array(V);
  // A share the rows never show is aimed at half a row, not at zero.
  const floor = 0.5 / n;
  for (let step = 0; step < steps; step++) {
    mean.fill(0);
    for (let r = 0; r < n; r++) {
      const o = r * V;
      let sum = 0;
      for (let k = 0; k < V; k++) sum += e[o + k] * w[k];
      if (sum === 0) continue;
      const inv = 1 / sum;
      for (let k = 0; k < V; k++) mean[k] += e[o + k] * w[k] * inv;
    }
    for (let k = 0; k < V; k++) {
      if (!liveToken(coder, allowed, k)) continue;
      const shift = bias[k] + detMath.log(Math.max(target[k], floor)) - detMath.log(Math.max(mean[k] / n, 1e-12));
      bias[k] = Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, shift));
      w[k] = detMath.exp(bias[k]);
    }
  }
  return bias;
}
