/**
 * Column Shapes (SDMetrics): KSComplement for numbers, TVComplement for categories.
 */
import type { AlignedColumn } from './align';
import { sortedPresent } from '../stats/quantiles';

/** Two-sample Kolmogorov–Smirnov statistic, missing values dropped; 1 when either side is empty. */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const x = sortedPresent(a), y = sortedPresent(b);
  if (x.length === 0 || y.length === 0) return 1;
  let i = 0, j = 0, d = 0;
  while (i < x.length && j < y.length) {
    // Step past every copy of the smaller value on both sides before comparing the two ECDFs.
    const v = x[i] <= y[j] ? x[i] : y[j];
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    const gap = Math.abs(i / x.length - j / y.length);
    if (gap > d) d = gap;
  }
  return d;
}

/** Shares per code (codes < 0 = missing, counted as a category of its own). */
export function categoryShares(codes: Int32Array, nLevels: number): Float64Array {
  const f = new Float64Array(nLevels + 1);
  for (const c of codes) f[c < 0 ? nLevels : c]++;
  const n = codes.length || 1;
  for (let i = 0; i < f.length; i++) f[i] /= n;
  return f;
}

/** 1 − ½·Σ|f_real − f_syn| over categories, missing included as a category. */
export function tvComplement(real: Int32Array, synthetic: Int32Array, nLevels: number): number {
  const fr = categoryShares(real, nLevels), fs = categoryShares(synthetic, nLevels);
  let s = 0;
  for (let i = 0; i < fr.length; i++) s += Math.abs(fr[i] - fs[i]);
  return 1 - s / 2;
}

export function columnShape(c: AlignedColumn, other: 'synthetic' | 'holdout' = 'synthetic'): number {
  return c.kind === 'numeric'
    ? 1 - ksStatistic(c.train, c[other])
    : tvComplement(c.train, c[other], c.levels.length);
}
