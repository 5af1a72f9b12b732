/**
 * Sorted present values and R's default (type 7) quantile: the one kernel the profile, the metrics
 * and the engines share. Only + - * / and Math.floor, so results are bit-identical in every JS engine
 * (the synthesizers' determinism tests compare Node with Chromium).
 */

/** The non-missing (non-NaN) values, in row order, in a new array. */
export function presentValues(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[k++] = values[i];
  return out;
}

/** The non-missing (non-NaN) values, sorted ascending in a new array. */
export { sortedPresent } from './sortPresent';

/**
 * Type-7 quantile (R's and numpy's default: linear interpolation between order statistics) of
 * ascending values at probability p in [0, 1]; NaN when there are none.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1]; // p = 1, or a single value: no upper neighbour
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** Type-7 quantiles at several probabilities. */
export function quantilesSorted(sorted: ArrayLike<number>, ps: ArrayLike<number>): Float64Array {
  const out = new Float64Array(ps.length);
  for (let i = 0; i < ps.length; i++) out[i] = quantileSorted(sorted, ps[i]);
  return out;
}

/** Number of distinct values in ascending values. */
export function countDistinctSorted(sorted: ArrayLike<number>): number {
  let d = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) d++;
  return d;
}
