/**
 * Column Pair Trends (SDMetrics): CorrelationSimilarity for two numeric columns, ContingencySimilarity
 * (numerics in 10 equal-width bins of the real column) for any other pair; Cramér's V says which
 * non-numeric pairs matter.
 */
import type { AlignedColumn } from './align';
import { contingencyBins, type Discretized } from './discretize';

/** Pearson r over rows where both values are present; null with fewer than 3 rows or no variance. */
export function pearson(x: Float64Array, y: Float64Array): number | null {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n < 3) return null;
  const mx = sx / n, my = sy / n;
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Joint counts of two code vectors (codes 0..na-1 and 0..nb-1), row-major [a][b]. */
export function jointCounts(a: Int32Array, b: Int32Array, na: number, nb: number): Float64Array {
  const t = new Float64Array(na * nb);
  for (let i = 0; i < a.length; i++) t[a[i] * nb + b[i]]++;
  return t;
}

/** 1 − ½·Σ|p_real − p_syn| over the cells of two joint count tables of the same shape. */
export function tableTvComplement(real: Float64Array, synthetic: Float64Array): number {
  let nr = 0, ns = 0;
  for (let i = 0; i < real.length; i++) {
    nr += real[i];
    ns += synthetic[i];
  }
  if (nr === 0 || ns === 0) return 0;
  let s = 0;
  for (let i = 0; i < real.length; i++) s += Math.abs(real[i] / nr - synthetic[i] / ns);
  return 1 - s / 2;
}

/** Cramér's V of a joint count table, over its non-empty rows and columns; null when degenerate. */
export function cramersV(t: Float64Array, na: number, nb: number): number | null {
  const rows = new Float64Array(na), cols = new Float64Array(nb);
  let n = 0;
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      const v = t[i * nb + j];
      rows[i] += v;
      cols[j] += v;
      n += v;
    }
  }
  const r = rows.filter((v) => v > 0).length, c = cols.filter((v) => v > 0).length;
  const k = Math.min(r, c) - 1;
  if (n === 0 || k < 1) return null;
  let chi2 = 0;
  for (let i = 0; i < na; i++) {
    if (rows[i] === 0) continue;
    for (let j = 0; j < nb; j++) {
      if (cols[j] === 0) continue;
      const e = (rows[i] * cols[j]) / n;
      const d = t[i * nb + j] - e;
      chi2 += (d * d) / e;
    }
  }
  return Math.min(1, Math.sqrt(chi2 / (n * k)));
}

export interface PairScore {
  metric: 'CorrelationSimilarity' | 'ContingencySimilarity';
  score: number;
  real: number | null;
  synthetic: number | null;
  matters: boolean;
}

/** Thresholds above which a pair "matters" (the definition). */
export const STRONG_CORRELATION = 0.5;
export const STRONG_CRAMERS_V = 0.3;

/** Contingency bins of [real, other] for one column; computed once per column when scoring all pairs. */
export function pairBins(c: AlignedColumn, other: 'synthetic' | 'holdout' = 'synthetic'): Discretized {
  return contingencyBins(c, [c.train, c[other]]);
}

export function pairTrend(
  a: AlignedColumn,
  b: AlignedColumn,
  other: 'synthetic' | 'holdout' = 'synthetic',
  binsA?: Discretized,
  binsB?: Discretized,
): PairScore {
  if (a.kind === 'numeric' && b.kind === 'numeric') {
    const r = pearson(a.train, b.train), s = pearson(a[other], b[other]);
    // As the judge: an undefined correlation on either side scores 0 rather than being skipped.
    const score = r === null || s === null ? 0 : 1 - Math.abs(r - s) / 2;
    return { metric: 'CorrelationSimilarity', score, real: r, synthetic: s, matters: r !== null && Math.abs(r) > STRONG_CORRELATION };
  }
  const da = binsA ?? pairBins(a, other), db = binsB ?? pairBins(b, other);
  const tr = jointCounts(da.codes[0], db.codes[0], da.nCodes, db.nCodes);
  const ts = jointCounts(da.codes[1], db.codes[1], da.nCodes, db.nCodes);
  const vr = cramersV(tr, da.nCodes, db.nCodes), vs = cramersV(ts, da.nCodes, db.nCodes);
  return {
    metric: 'ContingencySimilarity', score: tableTvComplement(tr, ts), real: vr, synthetic: vs,
    matters: vr !== null && vr > STRONG_CRAMERS_V,
  };
}
