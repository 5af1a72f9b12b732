import type { PreparedCondition } from '../engine';
import type { Rng } from '../../random/rng';
import { lowerBound, upperBound } from '../../stats/bisect';
import type { ColumnModel } from './columnModel';
import { routeRows, type PredictorView } from './tree';

/**
 * Conditions that respect the joint distribution in CART. A condition on a column visited after others
 * would otherwise only be forced at that column, leaving the earlier columns at their unconditional
 * distribution (conditioned on a high price, the rows would not get the large sizes that real
 * high-priced rows have). Instead a pool of rows is drawn, each weighted by the chance its leaf gave
 * the condition (likelihood weighting: the share of the leaf's donors meeting it, times the chance of a
 * value at all for a range), and the rows kept are drawn from the pool by weight (systematic resampling),
 * before the columns after the last conditioned one are drawn for the kept rows only.
 */
const MIN_POOL_FACTOR = 4;
const MAX_POOL_FACTOR = 16;

/**
 * Pool rows per kept row: about 0.8 / p, where p is the share of training rows meeting the conditions
 * (each column's donors, as if independent), between 4 and 16. Rare conditions concentrate the weights on
 * few rows, so they need a larger pool; the cap bounds the cost (a 1% condition still draws well over
 * 10,000 rows a second).
 */
export function poolFactor(columns: ColumnModel[], conditions: (PreparedCondition | undefined)[], conditioned: number[]): number {
  let p = 1;
  for (const c of conditioned) {
    const m = columns[c], cond = conditions[c];
    if (!cond || m.donors.length === 0) continue;
    let k = 0;
    if (m.type === 'numeric' && cond.type === 'range') {
      for (const d of m.donors) if (d >= cond.min && d <= cond.max) k++;
    } else if (m.type === 'categorical' && cond.type === 'categorical') {
      const ok = new Set(cond.codes);
      for (const d of m.donors) if (ok.has(d)) k++;
    } else k = m.donors.length;
    p *= k / m.donors.length;
  }
  return Math.max(MIN_POOL_FACTOR, Math.min(MAX_POOL_FACTOR, Math.ceil(0.8 / Math.max(p, 1e-9))));
}

/** Multiply each row's weight by the chance the column's leaf gives the condition. */
export function weighByCondition(m: ColumnModel, n: number, views: (PredictorView | undefined)[], cond: PreparedCondition, weights: Float64Array): void {
  const leaves = routeRows(m.tree, views, n);
  const share = new Float64Array(m.tree.nLeaves).fill(-1);
  const { leafStart } = m;
  for (let i = 0; i < n; i++) {
    const l = leaves[i];
    if (share[l] < 0) {
      const a = leafStart[l], b = leafStart[l + 1];
      let k = 0;
      if (b > a) {
        if (m.type === 'numeric' && cond.type === 'range') k = upperBound(m.donors, cond.max, a, b) - lowerBound(m.donors, cond.min, a, b);
        else if (m.type === 'categorical' && cond.type === 'categorical') for (let j = a; j < b; j++) k += cond.codes.includes(m.donors[j]) ? 1 : 0;
        else k = b - a;
      }
      share[l] = b > a ? k / (b - a) : 0;
    }
    weights[i] *= share[l];
  }
  if (m.type === 'numeric' && cond.type === 'range' && m.missTree && m.missShare) {
    const miss = routeRows(m.missTree, views, n);
    for (let i = 0; i < n; i++) weights[i] *= 1 - m.missShare[miss[i]];
  }
}

export { resampleByWeight } from '../../random/resample';


export function takeRows<T extends Float64Array | Int32Array | Uint16Array>(a: T, rows: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]];
  return out;
}
