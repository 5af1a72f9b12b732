import type { Rng } from './rng';

/**
 * n indices into `weights` drawn with probability proportional to weight, with replacement, by systematic
 * resampling (one uniform draw, then even steps: unbiased and low-variance however uneven the weights),
 * in ascending order; evenly spread when every weight is 0. Conditional sampling keeps pool rows this way
 * (likelihood weighting) in the CART and Bayesian-network samplers.
 */
export function resampleByWeight(weights: Float64Array, n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) {
    for (let i = 0; i < n; i++) out[i] = Math.floor((i * weights.length) / n);
    return out;
  }
  const step = total / n;
  let u = rng.next() * step;
  let acc = weights[0],
    j = 0;
  for (let i = 0; i < n; i++) {
    while (acc <= u && j < weights.length - 1) acc += weights[++j];
    out[i] = j;
    u += step;
  }
  return out;
}

/**
 * Up to `want` indices into `weights` (each a probability in [0, 1]), ascending: row i kept with
 * probability weights[i], independently (rejection sampling). Unlike resampleByWeight no row is kept
 * twice, so the kept rows are independent draws from the weighted distribution; a rare condition then
 * needs a larger pool rather than repeating its few heavy rows, which made conditioned samples less
 * varied than the model's own rows meeting the condition (bench/rules.ts, "filtered").
 */
export function acceptByWeight(weights: Float64Array, want: number, rng: Rng): Int32Array {
  const kept: number[] = [];
  for (let i = 0; i < weights.length && kept.length < want; i++) if (rng.next() < weights[i]) kept.push(i);
  return Int32Array.from(kept);
}

/** Pool rows drawn per kept row at most, over all pools (a condition the model gives 1% of its rows needs about 100). */
export const POOL_BUDGET = 160;
/** The first pool holds at most this many rows per row wanted, whatever the expected share; later pools use the share it kept. */
const FIRST_POOL_FACTOR = 16;
/** Rows in one pool at most (memory: a few columns of this many rows). */
export const MAX_POOL_ROWS = 1 << 18;

/** Columns of rows (one typed array per column). */
export type PoolColumns = (Float64Array | Int32Array)[];

/** A pool of weighted rows: each weight a probability in [0, 1], and the pool's columns. */
export interface WeightedPool {
  weights: Float64Array;
  columns: PoolColumns;
}

/**
 * n rows meeting conditions by likelihood weighting with exact rejection: pools are drawn (sized from
 * `share`, the expected share of rows kept, then from the share the first pool kept) and each pool row is
 * kept with probability its weight (acceptByWeight), until n are kept. Weights may be scaled by any
 * constant bound on them (the largest weight any row could get) without changing which rows are likely:
 * the callers do, so that a condition every row meets equally costs no pool at all. The pools together
 * hold at most POOL_BUDGET rows per row wanted; rows still missing then are kept by weight from the last
 * pool (systematic resampling, which may repeat rows: the bounded last resort for very rare conditions).
 * Returns the kept rows' columns, in the order kept (n = 0: one empty pool is drawn for the column types).
 */
export function keepByRejection(n: number, share: number, rng: Rng, drawPool: (size: number) => WeightedPool): PoolColumns {
  let out: PoolColumns | null = null;
  let kept = 0,
    budget = n * POOL_BUDGET,
    p = Math.min(1, Math.max(share, 1 / FIRST_POOL_FACTOR));
  do {
    const want = n - kept;
    const size = want === 0 ? 0 : Math.max(want, Math.min(MAX_POOL_ROWS, budget, Math.ceil((1.2 * want) / p)));
    const pool = drawPool(size);
    out ??= pool.columns.map((c) => new (c.constructor as new (n: number) => Float64Array | Int32Array)(n));
    budget -= size;
    let rows = acceptByWeight(pool.weights, want, rng);
    p = rows.length > 0 ? rows.length / size : Math.max(p / 4, 1e-6);
    if (budget <= 0 && rows.length < want) {
      const all = new Int32Array(want);
      all.set(rows);
      all.set(resampleByWeight(pool.weights, want - rows.length, rng), rows.length);
      rows = all;
    }
    pool.columns.forEach((c, j) => {
      const o = out![j];
      for (let i = 0; i < rows.length; i++) o[kept + i] = c[rows[i]];
    });
    kept += rows.length;
  } while (kept < n);
  return out;
}
