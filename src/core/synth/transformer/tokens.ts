/**
 * Columns as tokens. Every column has its own small vocabulary:
 * - a categorical column: one token per level (rare levels are already pooled by the pipeline), then
 *   the missing token;
 * - a numeric, integer or datetime column: one token per quantile bin (or per distinct value when it
 *   has few), then the missing token. The value inside a bin is drawn from the bin's own training
 *   distribution: its within-bin quantiles ("knots"), linearly interpolated, so that a drawn value follows
 *   the real shape inside the bin without repeating training values verbatim (see `drawInBin`).
 *
 * Measured and not kept: a second, finer token per value (which of its bin's KNOTS quantile slices,
 * predicted right after the bin by its own head, so that the value inside a bin follows the row's other
 * columns). bench/transformer.ts --no-cart --seed 1: txhousing 2-way / 3-way 0.909 / 0.773 against
 * 0.912 / 0.781, DCR share 0.527 against 0.506; slid 0.937 / 0.854 against 0.931 / 0.855, DCR 0.509
 * against 0.503. bench/rules.ts (seed 19): rows conditioned on txhousing sales >= 2557 0.568 against
 * 0.578 (their sales × volume pair 0.506 against 0.469, the other pairs lower), at a quarter of the
 * conditioned rows per second (13k against 42k-54k: 15 positions a row against 9, and fewer shared prefixes).
 */
import type { PreparedColumn, PreparedCondition } from '../engine';

export interface CategoricalCoder {
  type: 'categorical';
  nLevels: number;
  /** Vocabulary: nLevels + 1 (the missing token last). */
  vocab: number;
  /** Whether training had missing values (otherwise the missing token is never drawn). */
  hasMissing: boolean;
}

export interface NumericCoder {
  type: 'numeric';
  nBins: number;
  vocab: number;
  hasMissing: boolean;
  /** Lower edges of the bins (ascending); a value x is in the last bin whose edge is <= x. */
  edges: Float64Array;
  /** Per bin, KNOTS + 1 within-bin quantiles (flattened, bin-major); equal knots: a spike. */
  knots: Float64Array;
}

export type ColumnCoder = CategoricalCoder | NumericCoder;

/** Within-bin quantiles kept per bin. */
export const KNOTS = 8;

export function buildCoder(col: PreparedColumn, maxBins: number): ColumnCoder {
  if (col.type === 'categorical') {
    let hasMissing = false;
    for (let i = 0; i < col.codes.length; i++) if (col.codes[i] < 0) { hasMissing = true; break; }
    return { type: 'categorical', nLevels: col.nLevels, vocab: col.nLevels + 1, hasMissing };
  }
  const present: number[] = [];
  for (let i = 0; i < col.values.length; i++) if (!Number.isNaN(col.values[i])) present.push(col.values[i]);
  const hasMissing = present.length < col.values.length;
  const sorted = Float64Array.from(present).sort();
  const n = sorted.length;
  if (n === 0) return { type: 'numeric', nBins: 1, vocab: 2, hasMissing, edges: Float64Array.of(0), knots: new Float64Array(KNOTS + 1) };
  // Distinct values; few of them: one bin each (exact values).
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  let edges: number[];
  if (distinct.length <= maxBins) edges = distinct;
  else {
    edges = [];
    for (let k = 0; k < maxBins; k++) {
      const e = sorted[Math.floor((k * n) / maxBins)];
      if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
    }
  }
  const nBins = edges.length;
  const edgeArr = Float64Array.from(edges);
  const knots = new Float64Array(nBins * (KNOTS + 1));
  // Values of bin b are sorted[start_b .. end_b).
  let start = 0;
  for (let b = 0; b < nBins; b++) {
    let end = start;
    const upper = b + 1 < nBins ? edgeArr[b + 1] : Infinity;
    while (end < n && sorted[end] < upper) end++;
    const m = end - start;
    for (let k = 0; k <= KNOTS; k++) {
      // Type-7 quantile of the bin's values at k / KNOTS.
      const h = ((m - 1) * k) / KNOTS;
      const lo = Math.floor(h);
      const hi = Math.min(m - 1, lo + 1);
      knots[b * (KNOTS + 1) + k] = m === 0 ? edgeArr[b] : sorted[start + lo] + (h - lo) * (sorted[start + hi] - sorted[start + lo]);
    }
    start = end;
  }
  return { type: 'numeric', nBins, vocab: nBins + 1, hasMissing, edges: edgeArr, knots };
}

/** Token of each row of a column (the missing token = vocab - 1). */
export function encodeColumn(col: PreparedColumn, coder: ColumnCoder): Int32Array {
  const n = col.type === 'categorical' ? col.codes.length : col.values.length;
  const out = new Int32Array(n);
  const missing = coder.vocab - 1;
  if (col.type === 'categorical') {
    for (let i = 0; i < n; i++) out[i] = col.codes[i] < 0 ? missing : col.codes[i];
    return out;
  }
  const c = coder as NumericCoder;
  for (let i = 0; i < n; i++) {
    const x = col.values[i];
    out[i] = Number.isNaN(x) ? missing : binOf(c.edges, x);
  }
  return out;
}

/** The last bin whose lower edge is <= x (0 below the first edge). */
export function binOf(edges: Float64Array, x: number): number {
  let lo = 0, hi = edges.length - 1;
  if (x < edges[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * How much of each token a condition keeps (null: all of every token), as a factor on its probability.
 * Categorical: 1 for the listed codes. A range: the share of each bin's training distribution (its
 * within-bin quantiles, as drawInBin draws from) that lies in the range, so that a bin the range's edge
 * cuts counts only for the part of it that meets the condition; weighting it fully over-drew it (and,
 * through it, the rows that go with values just outside the range). Missing never satisfies a
 * condition. A range no bin overlaps allows the bin nearest to it (its value is then drawn uniformly in
 * the range: see drawInBin).
 */
export function allowedTokens(coder: ColumnCoder, cond: PreparedCondition | undefined): Float64Array | null {
  if (!cond) return null;
  const allowed = new Float64Array(coder.vocab);
  if (cond.type === 'categorical') {
    if (coder.type === 'categorical') for (const c of cond.codes) if (c >= 0 && c < coder.nLevels) allowed[c] = 1;
    return allowed;
  }
  if (coder.type !== 'numeric') return allowed;
  const K = KNOTS + 1;
  let any = false;
  let nearest = 0, nearestGap = Infinity;
  for (let b = 0; b < coder.nBins; b++) {
    const lo = coder.knots[b * K], hi = coder.knots[b * K + KNOTS];
    if (lo <= cond.max && hi >= cond.min) {
      const [pLo, pHi] = rangePositions(coder, b, cond);
      // A range that only touches a continuous part of the bin (pHi = pLo) still allows it, barely.
      allowed[b] = Math.max(pHi - pLo, 1e-6);
      any = true;
    }
    const gap = hi < cond.min ? cond.min - hi : lo > cond.max ? lo - cond.max : 0;
    if (gap < nearestGap) [nearest, nearestGap] = [b, gap];
  }
  if (!any) allowed[nearest] = 1;
  return allowed;
}

/**
 * A value inside bin b: the bin's within-bin quantile function (piecewise linear through its knots) at a
 * uniform u, restricted to [min, max] when a range is given (u drawn between the range's positions).
 */
export function drawInBin(coder: NumericCoder, b: number, u: number, range?: { min: number; max: number }): number {
  const K = KNOTS + 1;
  const off = b * K;
  const first = coder.knots[off], last = coder.knots[off + KNOTS];
  if (!range) return quantileAt(coder.knots, off, u);
  if (last < range.min || first > range.max) return range.min + u * (range.max - range.min);
  const [pLo, pHi] = rangePositions(coder, b, range);
  const x = quantileAt(coder.knots, off, pLo + u * (pHi - pLo));
  return x < range.min ? range.min : x > range.max ? range.max : x;
}

/**
 * Where a range overlapping bin b starts and ends in the bin's within-bin distribution (0..1): the share
 * of the bin it holds is the difference. A spike (equal knots) inside the range is wholly in it.
 */
function rangePositions(coder: NumericCoder, b: number, range: { min: number; max: number }): [number, number] {
  const off = b * (KNOTS + 1);
  const first = coder.knots[off], last = coder.knots[off + KNOTS];
  return [range.min <= first ? 0 : cdfAt(coder.knots, off, range.min), range.max >= last ? 1 : cdfAt(coder.knots, off, range.max, true)];
}

function quantileAt(knots: Float64Array, off: number, u: number): number {
  const h = u * KNOTS;
  const k = Math.min(KNOTS - 1, Math.floor(h));
  return knots[off + k] + (h - k) * (knots[off + k + 1] - knots[off + k]);
}

/**
 * Inverse of quantileAt (first <= x <= last). Where knots tie (a spike: many training rows at one value),
 * the lowest position of x, or with `upper` the highest, so that [x, ..] and [.., x] both hold the spike.
 */
function cdfAt(knots: Float64Array, off: number, x: number, upper = false): number {
  if (upper) {
    for (let k = KNOTS - 1; k >= 0; k--) {
      const a = knots[off + k], b = knots[off + k + 1];
      if (x >= a) return b > a ? (k + Math.min(1, (x - a) / (b - a))) / KNOTS : (k + 1) / KNOTS;
    }
    return 0;
  }
  for (let k = 0; k < KNOTS; k++) {
    const a = knots[off + k], b = knots[off + k + 1];
    if (x <= b) return b > a ? (k + (x - a) / (b - a)) / KNOTS : k / KNOTS;
  }
  return 1;
}
