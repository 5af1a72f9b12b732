import { UserError } from '../../context';
import type { Rng } from '../../random/rng';
import type { PreparedCategorical, PreparedNumeric } from '../engine';
import { normalCdf, normalInv } from './normal';
import { familyFromZ, familyToZ, fitBestFamily, type ParametricFit } from './parametric';
import * as detMath from '../../math/detMath';
import { lowerBound, upperBound } from '../../stats/bisect';
import { quantileSorted, sortedPresent } from '../../stats/quantiles';

/**
 * Marginal distributions of the copula: how each column's values map to a standard normal score
 * and back.
 *
 * - `buckets`: categoricals (missing as one more bucket) and numerics with few distinct values.
 *   Each bucket owns an interval of the normal scale as wide as its frequency; training values are
 *   spread uniformly inside their interval, and a drawn score falls back into exactly one bucket,
 *   so the marginal is reproduced exactly.
 * - `empirical`: continuous numerics, the empirical quantile function (order statistics at equal
 *   probability steps) with linear interpolation between them.
 * - `parametric`: the best of a few families by KS distance.
 */
export type Marginal =
  | { type: 'buckets'; cuts: Float64Array; values: Float64Array }
  | { type: 'empirical'; knots: Float64Array }
  | { type: 'parametric'; fit: ParametricFit };

export type MarginalChoice = 'empirical' | 'parametric';

/** Numerics with at most this many distinct values are modelled as ordered buckets. */
export const MAX_DISCRETE_VALUES = 64;
/** Knots kept for an empirical quantile function (bounds model size, keeps the shape). */
export const MAX_KNOTS = 2049;

export interface ColumnScores {
  /** Normal score of each row's value (NaN where the value is missing). */
  z: Float64Array;
  /** Normal score of each row's missingness indicator, or null when nothing is missing. */
  missingZ: Float64Array | null;
  /** Missing if the indicator's score is below this cut. */
  missingCut: number;
}

// ---- categorical -------------------------------------------------------------------------------

/**
 * Buckets of a categorical column (missing is a bucket of value -1). The order of the buckets on
 * the normal scale decides which dependence a correlation can express: in order of decreasing
 * frequency (as SDV does) a level in the middle whose rows are unusual (Gentoo penguins, heavy
 * between two light species) gets averaged away. So when `slotKey` is given (one number per
 * slot: missing, then each code), buckets follow it instead; see levelOrderKeys.
 */
export function fitCategorical(col: PreparedCategorical, slotKey?: Float64Array): Marginal {
  const counts = new Float64Array(col.nLevels + 1); // slot 0 = missing
  for (let i = 0; i < col.codes.length; i++) counts[col.codes[i] + 1]++;
  const order: number[] = [];
  for (let s = 0; s < counts.length; s++) if (counts[s] > 0) order.push(s);
  if (slotKey) order.sort((a, b) => slotKey[a] - slotKey[b] || counts[b] - counts[a] || a - b);
  else order.sort((a, b) => counts[b] - counts[a] || a - b);
  return bucketsFrom(order.map((s) => counts[s]), order.map((s) => s - 1), col.codes.length);
}

/**
 * An order for a categorical's levels in which its dependence on the numeric columns is as
 * monotone as possible: each level's mean normal score on every numeric dimension, projected on
 * the first principal axis of those means (weighted by level counts). Levels that differ the
 * most from the others end up at the ends, where a linear correlation can reach them.
 */
export function levelOrderKeys(col: PreparedCategorical, numericDims: Float64Array[]): Float64Array | undefined {
  const p = numericDims.length;
  if (p === 0) return undefined;
  const slots = col.nLevels + 1;
  const sums = new Float64Array(slots * p), counts = new Float64Array(slots * p), n = new Float64Array(slots);
  for (let i = 0; i < col.codes.length; i++) {
    const s = col.codes[i] + 1;
    n[s]++;
    for (let k = 0; k < p; k++) {
      const z = numericDims[k][i];
      if (z === z) { sums[s * p + k] += z; counts[s * p + k]++; }
    }
  }
  const means = new Float64Array(slots * p);
  for (let j = 0; j < slots * p; j++) means[j] = counts[j] > 0 ? sums[j] / counts[j] : 0;
  // Between-level scatter S = Σ n_s m_s m_sᵀ (scores are centred already), first axis by power iteration.
  const scatter = new Float64Array(p * p);
  for (let s = 0; s < slots; s++) {
    if (n[s] === 0) continue;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) scatter[a * p + b] += n[s] * means[s * p + a] * means[s * p + b];
  }
  let v = new Float64Array(p).fill(1 / Math.sqrt(p));
  for (let it = 0; it < 50; it++) {
    const w = new Float64Array(p);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) w[a] += scatter[a * p + b] * v[b];
    let sq = 0;
    for (const v of w) sq += v * v;
    const norm = Math.sqrt(sq); // not Math.hypot: its last bit varies between engines
    if (!(norm > 1e-12)) return undefined; // no dependence on numerics: keep the frequency order
    v = w.map((x) => x / norm);
  }
  const key = new Float64Array(slots);
  for (let s = 0; s < slots; s++) for (let k = 0; k < p; k++) key[s] += means[s * p + k] * v[k];
  return key;
}

export function categoricalScores(col: PreparedCategorical, m: Marginal & { type: 'buckets' }, rng: Rng): Float64Array {
  const bucketOf = new Int32Array(col.nLevels + 1).fill(-1);
  for (let b = 0; b < m.values.length; b++) bucketOf[m.values[b] + 1] = b;
  const lower = lowerProbabilities(m);
  const z = new Float64Array(col.codes.length);
  for (let i = 0; i < z.length; i++) {
    const b = bucketOf[col.codes[i] + 1];
    z[i] = score(lower[b] + rng.nextOpen() * (lower[b + 1] - lower[b]));
  }
  return z;
}

// ---- numeric -----------------------------------------------------------------------------------

export function fitNumeric(col: PreparedNumeric, choice: MarginalChoice): { marginal: Marginal; sorted: Float64Array; missing: number } {
  const present = sortedPresent(col.values);
  const k = present.length;
  const missing = col.values.length - k;
  if (k === 0) throw new UserError(`Column "${col.name}" has no value to learn from.`);
  if (choice === 'parametric' && present[0] < present[k - 1]) {
    return { marginal: { type: 'parametric', fit: fitBestFamily(present) }, sorted: present, missing };
  }
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < k; i++) {
    if (i === 0 || present[i] !== present[i - 1]) {
      if (distinct.length > MAX_DISCRETE_VALUES) break;
      distinct.push(present[i]);
      counts.push(0);
    }
    counts[counts.length - 1]++;
  }
  if (distinct.length <= MAX_DISCRETE_VALUES) {
    return { marginal: bucketsFrom(counts, distinct, k), sorted: present, missing };
  }
  return { marginal: { type: 'empirical', knots: quantileKnots(present, Math.min(k, MAX_KNOTS)) }, sorted: present, missing };
}

/** Normal scores of a numeric column's present values (ties spread uniformly over their ranks). */
export function numericScores(col: PreparedNumeric, m: Marginal, sorted: Float64Array, rng: Rng): Float64Array {
  const v = col.values;
  const z = new Float64Array(v.length);
  if (m.type === 'parametric') {
    for (let i = 0; i < v.length; i++) z[i] = v[i] === v[i] ? familyToZ(m.fit, v[i]) : NaN;
    return z;
  }
  if (m.type === 'buckets') {
    const lower = lowerProbabilities(m);
    const values = m.values;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== x) { z[i] = NaN; continue; }
      const b = lowerBound(values, x);
      z[i] = score(lower[b] + rng.nextOpen() * (lower[b + 1] - lower[b]));
    }
    return z;
  }
  // Empirical: rank among the sorted values; runEnd[j] is the end of the run of values equal to sorted[j].
  const n = sorted.length;
  const runEnd = new Int32Array(n);
  for (let j = n - 1; j >= 0; j--) runEnd[j] = j + 1 < n && sorted[j + 1] === sorted[j] ? runEnd[j + 1] : j + 1;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== x) { z[i] = NaN; continue; }
    const lo = lowerBound(sorted, x);
    z[i] = score((lo + rng.nextOpen() * (runEnd[lo] - lo)) / n);
  }
  return z;
}

/** Indicator scores: missing rows spread over (0, p), present ones over (p, 1). */
export function missingScores(values: Float64Array, missing: number, rng: Rng): { z: Float64Array; cut: number } {
  const p = missing / values.length;
  const z = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const u = rng.nextOpen();
    z[i] = score(Number.isNaN(values[i]) ? u * p : p + u * (1 - p));
  }
  return { z, cut: normalInv(p) };
}

// ---- back from normal scores -------------------------------------------------------------------

/** Value (bucket value, quantile or family value) of a normal score. */
export function valueOf(m: Marginal, z: number): number {
  if (m.type === 'buckets') return m.values[bucketOfZ(m.cuts, z)];
  if (m.type === 'parametric') return familyFromZ(m.fit, z);
  return quantileSorted(m.knots, normalCdf(z));
}

/** Bucket whose interval (cuts[b], cuts[b+1]] holds z; cuts[0] = -Inf, cuts[B] = +Inf. */
export function bucketOfZ(cuts: Float64Array, z: number): number {
  let lo = 0, hi = cuts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cuts[mid] < z) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The normal-score interval of values in [min, max] (numeric marginals), or null if none. */
export function numericZRange(m: Marginal, min: number, max: number): [number, number][] | null {
  if (m.type === 'buckets') {
    const out: [number, number][] = [];
    for (let b = 0; b < m.values.length; b++) if (m.values[b] >= min && m.values[b] <= max) out.push([m.cuts[b], m.cuts[b + 1]]);
    return out.length ? mergeIntervals(out) : null;
  }
  if (m.type === 'parametric') {
    const a = min === -Infinity ? -Infinity : familyToZ(m.fit, min);
    const b = max === Infinity ? Infinity : familyToZ(m.fit, max);
    return a <= b ? [[a === -8.3 ? -Infinity : a, b === 8.3 ? Infinity : b]] : null;
  }
  const k = m.knots, last = k.length - 1;
  if (max < k[0] || min > k[last]) return null;
  // Smallest u with Q(u) >= min, largest with Q(u) <= max (Q is non-decreasing, linear between knots).
  const ua = min <= k[0] ? 0 : inverseQuantile(k, min, 'first');
  const ub = max >= k[last] ? 1 : inverseQuantile(k, max, 'last');
  return ua <= ub ? [[normalInv(ua), normalInv(ub)]] : null;
}

/** Normal-score intervals of the allowed buckets (categorical conditions; codes of the engine). */
export function codesZRange(m: Marginal & { type: 'buckets' }, allowed: Set<number>): [number, number][] | null {
  const out: [number, number][] = [];
  for (let b = 0; b < m.values.length; b++) if (allowed.has(m.values[b])) out.push([m.cuts[b], m.cuts[b + 1]]);
  return out.length ? mergeIntervals(out) : null;
}

// ---- helpers -----------------------------------------------------------------------------------

function bucketsFrom(counts: number[], values: number[], total: number): Marginal & { type: 'buckets' } {
  const cuts = new Float64Array(counts.length + 1);
  cuts[0] = -Infinity;
  let acc = 0;
  for (let b = 0; b < counts.length; b++) {
    acc += counts[b];
    cuts[b + 1] = b === counts.length - 1 ? Infinity : normalInv(acc / total);
  }
  return { type: 'buckets', cuts, values: Float64Array.from(values) };
}

/** Φ⁻¹ kept finite: a probability that rounded to 0 or 1 must not become an infinite score. */
function score(p: number): number {
  return normalInv(p <= 0 ? Number.MIN_VALUE : p >= 1 ? 1 - 1.1102230246251565e-16 : p);
}

function lowerProbabilities(m: Marginal & { type: 'buckets' }): Float64Array {
  return m.cuts.map((c) => normalCdf(c));
}

function quantileKnots(sorted: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k);
  for (let j = 0; j < k; j++) out[j] = quantileSorted(sorted, k === 1 ? 0 : j / (k - 1));
  return out;
}

function inverseQuantile(knots: Float64Array, x: number, end: 'first' | 'last'): number {
  const last = knots.length - 1;
  const j = end === 'first' ? lowerBound(knots, x) : upperBound(knots, x) - 1; // knots[j] >= x, or knots[j] <= x
  if (end === 'first') {
    if (j === 0) return 0;
    const a = knots[j - 1], b = knots[j];
    return (j - 1 + (b > a ? (x - a) / (b - a) : 1)) / last;
  }
  if (j >= last) return 1;
  const a = knots[j], b = knots[j + 1];
  return (j + (b > a ? (x - a) / (b - a) : 0)) / last;
}

function mergeIntervals(iv: [number, number][]): [number, number][] {
  iv.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [iv[0]];
  for (let i = 1; i < iv.length; i++) {
    const last = out[out.length - 1];
    if (iv[i][0] <= last[1]) last[1] = Math.max(last[1], iv[i][1]);
    else out.push(iv[i]);
  }
  return out;
}
