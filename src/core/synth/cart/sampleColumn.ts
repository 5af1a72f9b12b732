import type { PreparedCondition } from '../engine';
import type { Rng } from '../../random/rng';
import type { CategoricalColumnModel, NumericColumnModel } from './columnModel';
import { lowerBound, upperBound } from '../../stats/bisect';
import { KernelCache } from './kernel';
import { routeRows, type PredictorView } from './tree';

/**
 * Drawing one column for n synthetic rows: each row is routed to a leaf of the column's tree by the
 * values already drawn for the earlier columns, and takes a donor (a training value of that leaf).
 * Numeric donors are then smoothed with the leaf's Gaussian kernel, reflected inside the column's
 * range, so that exact training values are not copied.
 *
 * Conditions are honoured natively, so conditioned columns still steer the later ones:
 * - categorical: only donors of allowed codes; a leaf without any falls back to the allowed code
 *   most frequent in training;
 * - numeric range: only donors inside the range (never missing), smoothed within the range; a leaf
 *   without any falls back to the training marginal restricted to the range, or the range bound
 *   nearest the data when the training data has nothing in it.
 */
export function sampleNumeric(
  m: NumericColumnModel,
  n: number,
  views: (PredictorView | undefined)[],
  rng: Rng,
  cond: PreparedCondition | undefined,
): Float64Array {
  const out = new Float64Array(n);
  const range = cond?.type === 'range' ? cond : undefined;
  let missing: Uint8Array | undefined;
  if (!range && m.missTree && m.missShare) {
    missing = new Uint8Array(n);
    const leaves = routeRows(m.missTree, views, n);
    const share = m.missShare;
    for (let i = 0; i < n; i++) missing[i] = rng.next() < share[leaves[i]] ? 1 : 0;
  }
  const leaves = routeRows(m.tree, views, n);
  const { leafStart, donors, spikes } = m;
  // smoothing stays inside the column's range, and inside the condition's range when there is one
  let lo = m.min, hi = m.max;
  if (range) {
    lo = Math.max(lo, range.min);
    hi = Math.min(hi, range.max);
  }
  const canSmooth = lo <= hi;
  // per leaf, the donor index range inside the condition (computed on first use)
  const condFrom = range ? new Int32Array(m.tree.nLeaves).fill(-1) : undefined;
  const condTo = range ? new Int32Array(m.tree.nLeaves) : undefined;
  const kernels = m.smooth && canSmooth ? new KernelCache(donors.length) : undefined;
  const normal = () => rng.normal();
  for (let i = 0; i < n; i++) {
    if (missing && missing[i]) {
      out[i] = NaN;
      continue;
    }
    const l = leaves[i];
    let a = leafStart[l], b = leafStart[l + 1];
    if (range && condFrom && condTo) {
      if (condFrom[l] < 0) {
        condFrom[l] = lowerBound(donors, range.min, a, b);
        condTo[l] = upperBound(donors, range.max, a, b);
      }
      a = condFrom[l];
      b = condTo[l];
      if (a >= b) {
        out[i] = marginalInRange(m, range.min, range.max, rng);
        continue;
      }
    }
    if (a >= b) {
      out[i] = NaN; // a column never observed in training
      continue;
    }
    const idx = a + rng.int(b - a);
    const d = donors[idx];
    out[i] = kernels && !spikes.includes(d) ? reflect(kernels.draw(donors, leafStart[l], leafStart[l + 1], idx, spikes, normal), lo, hi, d) : d;
  }
  return out;
}

export function sampleCategorical(
  m: CategoricalColumnModel,
  n: number,
  views: (PredictorView | undefined)[],
  rng: Rng,
  cond: PreparedCondition | undefined,
): Int32Array {
  const out = new Int32Array(n);
  const leaves = routeRows(m.tree, views, n);
  const { leafStart, donors } = m;
  if (cond?.type !== 'categorical') {
    for (let i = 0; i < n; i++) {
      const l = leaves[i];
      const a = leafStart[l], size = leafStart[l + 1] - a;
      out[i] = size > 0 ? donors[a + rng.int(size)] : -1;
    }
    return out;
  }
  const allowed = new Set(cond.codes.filter((c) => c >= 0));
  const fallback = mostFrequentAllowed(m, cond.codes);
  const allowedDonors = new Map<number, Int32Array>();
  for (let i = 0; i < n; i++) {
    const l = leaves[i];
    let pool = allowedDonors.get(l);
    if (!pool) {
      const keep: number[] = [];
      for (let j = leafStart[l]; j < leafStart[l + 1]; j++) if (allowed.has(donors[j])) keep.push(donors[j]);
      pool = Int32Array.from(keep);
      allowedDonors.set(l, pool);
    }
    out[i] = pool.length > 0 ? pool[rng.int(pool.length)] : fallback;
  }
  return out;
}

function mostFrequentAllowed(m: CategoricalColumnModel, codes: number[]): number {
  let best = codes.length > 0 ? codes[0] : -1;
  let bestCount = -1;
  for (const c of codes) {
    const count = c >= 0 && c < m.nLevels ? m.marginal[c] : -1;
    if (count > bestCount) {
      bestCount = count;
      best = c;
    }
  }
  return best;
}

/** Reflect a smoothed value back inside [lo, hi]; keep the donor if reflection cannot. */
function reflect(v: number, lo: number, hi: number, donor: number): number {
  if (v < lo) v = 2 * lo - v;
  else if (v > hi) v = 2 * hi - v;
  return v >= lo && v <= hi ? v : Math.min(hi, Math.max(lo, donor));
}

/** A draw from the training marginal (its quantile grid) restricted to [lo, hi]. */
function marginalInRange(m: NumericColumnModel, lo: number, hi: number, rng: Rng): number {
  const q = m.quantiles;
  if (q.length === 0) return Math.max(lo, Math.min(hi, 0));
  if (hi < q[0]) return hi; // the bound nearest the data
  if (lo > q[q.length - 1]) return lo;
  const fLo = cdf(q, lo), fHi = cdf(q, hi);
  if (!(fHi > fLo)) return lo + (hi - lo) * rng.next(); // a gap in the data
  const u = fLo + (fHi - fLo) * rng.next();
  const h = u * (q.length - 1);
  const k = Math.min(Math.floor(h), q.length - 2);
  const v = q[k] + (h - k) * (q[k + 1] - q[k]);
  return Math.max(lo, Math.min(hi, v));
}

/** Piecewise-linear CDF through the quantile grid. */
function cdf(q: Float64Array, x: number): number {
  const g = q.length - 1;
  if (x <= q[0]) return 0;
  if (x >= q[g]) return 1;
  const k = upperBound(q, x) - 1; // q[k] <= x < q[k+1]
  const span = q[k + 1] - q[k];
  return (k + (span > 0 ? (x - q[k]) / span : 0)) / g;
}
