import * as detMath from '../../math/detMath';
import { Decoder, inputLayout, makeVariables, stepLookups, type NetConfig } from './network';
import type { ColumnCoder } from './tokens';

/** Rows the calibration reads at most (its logits are held: rows × Σ vocabularies floats). */
const MAX_ROWS = 5000;
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
  cfg: NetConfig, weights: Map<string, Float32Array>, coders: ColumnCoder[], tokens: Int32Array[], rows: ArrayLike<number>, order: number[],
): Promise<Float64Array[]> {
  const C = coders.length;
  const n = Math.min(rows.length, MAX_ROWS);
  const ids = Int32Array.from({ length: n }, (_, i) => rows[i]);
  const layout = inputLayout(cfg.vocabs);
  const params = makeVariables(cfg, weights);
  const logits: Float32Array[] = new Array(C);
  const decoder = new Decoder(cfg, params, n);
  try {
    for (let t = 0; t < C; t++) {
      const j = order[t];
      logits[j] = await decoder.step(stepLookups(layout, order, t, n, (p, r) => tokens[p][ids[r]]), j);
    }
  } finally {
    decoder.dispose();
    for (const v of params.values()) v.dispose();
  }
  return coders.map((coder, j) => {
    const target = new Float64Array(coder.vocab);
    for (let r = 0; r < n; r++) target[tokens[j][ids[r]]] += 1 / n;
    return solveBias(logits[j], n, coder, target);
  });
}

/**
 * The bias b (one per token) for which the mean over rows of softmax(logits + b) is `target`, by
 * b += log(target) − log(mean) repeated; tokens that are never drawn (an unseen missing token) keep 0.
 * softmax(l + b)_k = e_k·w_k / Σ e·w with e = exp(l − max l) computed once and w = exp(b): each step is
 * multiply-adds only.
 */
export function solveBias(logits: Float32Array, n: number, coder: ColumnCoder, target: Float64Array): Float64Array {
  const V = coder.vocab;
  const live = (k: number) => k < V - 1 || coder.hasMissing;
  const e = new Float64Array(n * V);
  for (let r = 0; r < n; r++) {
    const o = r * V;
    let max = -Infinity;
    for (let k = 0; k < V; k++) if (live(k)) max = Math.max(max, logits[o + k]);
    for (let k = 0; k < V; k++) e[o + k] = live(k) ? detMath.expNonPositive(logits[o + k] - max) : 0;
  }
  const bias = new Float64Array(V), w = new Float64Array(V).fill(1), mean = new Float64Array(V);
  // A share the rows never show is aimed at half a row, not at zero.
  const floor = 0.5 / n;
  for (let step = 0; step < STEPS; step++) {
    mean.fill(0);
    for (let r = 0; r < n; r++) {
      const o = r * V;
      let sum = 0;
      for (let k = 0; k < V; k++) sum += e[o + k] * w[k];
      for (let k = 0; k < V; k++) mean[k] += (e[o + k] * w[k]) / sum;
    }
    for (let k = 0; k < V; k++) {
      if (!live(k)) continue;
      const shift = bias[k] + detMath.log(Math.max(target[k], floor)) - detMath.log(Math.max(mean[k] / n, 1e-12));
      bias[k] = Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, shift));
      w[k] = detMath.exp(bias[k]);
    }
  }
  return bias;
}
