/**
 * Discretisation shared by pair trends and k-way accuracy. Every function returns small integer
 * codes 0..nCodes-1 with missing values in a code of their own, so joint tables are typed arrays.
 */
import { upperBound } from '../stats/bisect';
import { quantileSorted, sortedPresent } from '../stats/quantiles';
import type { AlignedColumn } from './align';

export interface Discretized {
  /** One code per row for each part, 0..nCodes-1. */
  codes: Int32Array[];
  nCodes: number;
}

/** Inner edges of `bins` quantile bins of the real values (duplicates dropped, as numpy.unique). */
export function quantileInnerEdges(real: Float64Array, bins: number): Float64Array {
  const s = sortedPresent(real);
  if (s.length === 0) return new Float64Array(0);
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const q = quantileSorted(s, i / bins); // numpy.quantile's default is type 7 too
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  return Float64Array.from(edges.slice(1, -1));
}

/** Inner edges of `bins` equal-width bins over the real range (numpy.histogram_bin_edges). */
export function equalWidthInnerEdges(real: Float64Array, bins: number): Float64Array {
  let min = Infinity, max = -Infinity;
  for (const v of real) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return new Float64Array(0);
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const out = new Float64Array(bins - 1);
  for (let i = 1; i < bins; i++) out[i - 1] = min + ((max - min) * i) / bins;
  return out;
}

/** Bin index = number of inner edges <= x (numpy.digitize, right=False); missing gets the last code. */
export function binByEdges(values: Float64Array, inner: Float64Array): Int32Array {
  const out = new Int32Array(values.length);
  const missing = inner.length + 1;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Number.isNaN(x)) {
      out[i] = missing;
      continue;
    }
    out[i] = upperBound(inner, x);
  }
  return out;
}

/**
 * Categories: every level its own code, missing last. `keep` limits the codes to the most frequent
 * real values (missing counts as a value here, as in the judge), the rest folded into "other".
 */
export function categoryCodes(realCodes: Int32Array, nLevels: number, parts: Int32Array[], keep = Infinity): Discretized {
  const missing = nLevels;
  const counts = new Float64Array(nLevels + 1);
  for (const c of realCodes) counts[c < 0 ? missing : c]++;
  const map = new Int32Array(nLevels + 1);
  let nCodes: number;
  if (nLevels + 1 <= keep) {
    for (let i = 0; i <= nLevels; i++) map[i] = i;
    nCodes = nLevels + 1;
  } else {
    const order = Array.from({ length: nLevels + 1 }, (_, i) => i)
      .filter((i) => counts[i] > 0)
      .sort((a, b) => counts[b] - counts[a] || a - b);
    const other = Math.min(keep, order.length);
    map.fill(other);
    order.slice(0, keep).forEach((lev, k) => (map[lev] = k));
    nCodes = other + 1;
  }
  const codes = parts.map((p) => {
    const out = new Int32Array(p.length);
    for (let i = 0; i < p.length; i++) out[i] = map[p[i] < 0 ? missing : p[i]];
    return out;
  });
  return { codes, nCodes };
}

/** k-way accuracy bins: numerics in 10 quantile bins of the real column, categories top 10 + other. */
export function accuracyBins(c: AlignedColumn, parts: (Float64Array | Int32Array)[], bins = 10): Discretized {
  if (c.kind === 'numeric') {
    const inner = quantileInnerEdges(c.train, bins);
    return { codes: parts.map((p) => binByEdges(p as Float64Array, inner)), nCodes: inner.length + 2 };
  }
  return categoryCodes(c.train, c.levels.length, parts as Int32Array[], bins);
}

/** Pair-trend bins: numerics in 10 equal-width bins of the real column, categories as they are. */
export function contingencyBins(c: AlignedColumn, parts: (Float64Array | Int32Array)[], bins = 10): Discretized {
  if (c.kind === 'numeric') {
    const inner = equalWidthInnerEdges(c.train, bins);
    return { codes: parts.map((p) => binByEdges(p as Float64Array, inner)), nCodes: inner.length + 2 };
  }
  return categoryCodes(c.train, c.levels.length, parts as Int32Array[]);
}
