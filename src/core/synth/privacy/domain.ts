/**
 * Differentially private choice of a column's domain: which category values (and which values of a
 * numeric column with few distinct values) are kept, and the range of a numeric column.
 *
 * Values: a stability-based histogram (Korolova et al. 2009; Bun, Nissim, Stemmer 2016). Each value
 * seen in training gets its count plus Laplace(b) noise and is kept when the noisy count clears a
 * threshold τ. Neighbouring tables differ in one row (n is public), which moves at most two counts of
 * each column by one, so m columns' histograms have L1 sensitivity 2m: b = 2m / ε. A value seen in
 * one table only (count 1) passes with probability ½·exp(−(τ − 1) / b), which is the δ of the column:
 * τ = 1 + b·ln(m / (2δ)) gives (ε, δ) for the m columns together. The values never pass through
 * unnoised; the values dropped are pooled into one label (categoricals).
 *
 * Range: the 5% and 95% quantiles by the exponential mechanism (McSherry, Talwar 2007; Smith 2011)
 * over a public grid (decades from 1e-3 to 1e14 and their negatives, each in 900 steps), in two stages,
 * score −|rank(c) − q·m|, sensitivity 2 (the rank and the target move by at most one each).
 */
import type { Rng } from '../../random/rng';
import * as detMath from '../../math/detMath';

/** δ for the whole domain selection of a table. */
export const DOMAIN_DELTA = 1e-6;

export interface HistogramNoise {
  /** Laplace scale on each count. */
  scale: number;
  /** Smallest noisy count kept. */
  threshold: number;
  /** δ of all the histograms together. */
  delta: number;
}

/** Noise and threshold for m columns' histograms under ε (and a floor: the rare-category threshold k). */
export function histogramNoise(epsilon: number, m: number, k: number): HistogramNoise {
  const scale = (2 * Math.max(1, m)) / epsilon;
  const threshold = Math.max(k, 1 + scale * detMath.log(Math.max(1, m) / (2 * DOMAIN_DELTA)));
  return { scale, threshold, delta: DOMAIN_DELTA };
}

/**
 * Noisy counts of the levels seen in training; NaN for a level not kept (unseen levels are never
 * kept: they were not candidates). Also the noisy count of missing values.
 */
export function noisyLevels(counts: ArrayLike<number>, missing: number, noise: HistogramNoise, rng: Rng): { kept: Float64Array; missing: number } {
  const kept = new Float64Array(counts.length).fill(NaN);
  for (let l = 0; l < counts.length; l++) {
    if (counts[l] <= 0) continue;
    const c = counts[l] + rng.laplace(noise.scale);
    if (c >= noise.threshold) kept[l] = c;
  }
  return { kept, missing: missing + rng.laplace(noise.scale) };
}

export { runs } from '../../stats/runs';

/** Decades of the public grid: [10^k, 10^(k+1)) for k in DECADES, their negatives, and zero. */
const MIN_DECADE = -3, MAX_DECADE = 13;
const MANTISSAS = 900; // 1.00 .. 9.99

/** 10^k without pow (exact for k >= 0). */
function tenTo(k: number): number {
  let v = 1;
  if (k >= 0) for (let j = 0; j < k; j++) v *= 10;
  else for (let j = 0; j < -k; j++) v /= 10;
  return v;
}

/** Bins of the first stage: [-10^(k+1), -10^k) ... [0, 10^MIN) ... [10^k, 10^(k+1)), ascending, as [lo, hi) pairs. */
function decadeBins(): [number, number][] {
  const out: [number, number][] = [];
  for (let k = MAX_DECADE; k >= MIN_DECADE; k--) out.push([-tenTo(k + 1), -tenTo(k)]);
  out.push([-tenTo(MIN_DECADE), tenTo(MIN_DECADE)]);
  for (let k = MIN_DECADE; k <= MAX_DECADE; k++) out.push([tenTo(k), tenTo(k + 1)]);
  return out;
}

/** The public candidate grid: every decade bin split in MANTISSAS equal steps (for tests and docs). */
export function quantileGrid(): Float64Array {
  const bins = decadeBins();
  const g = new Float64Array(bins.length * MANTISSAS);
  let i = 0;
  for (const [lo, hi] of bins) for (let m = 0; m < MANTISSAS; m++) g[i++] = lo + ((hi - lo) * m) / MANTISSAS;
  return g;
}

/** #{x < c} in sorted values. */
function rankBelow(sorted: Float64Array, c: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < c) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Exponential mechanism over bins [lo, hi): score −(distance of the target rank from the bin's rank span). */
function chooseBin(sorted: Float64Array, bins: [number, number][], target: number, epsilon: number, rng: Rng): number {
  const logits = new Float64Array(bins.length);
  let max = -Infinity;
  for (let i = 0; i < bins.length; i++) {
    const a = rankBelow(sorted, bins[i][0]), b = rankBelow(sorted, bins[i][1]);
    const dist = target < a ? a - target : target > b ? target - b : 0;
    // Sensitivity 2: one changed row moves a rank and the target by at most one each.
    logits[i] = (-epsilon * dist) / (2 * 2);
    if (logits[i] > max) max = logits[i];
  }
  for (let i = 0; i < logits.length; i++) logits[i] = detMath.exp(logits[i] - max);
  return rng.weighted(logits);
}

/**
 * The q-quantile of the sorted present values by the exponential mechanism over the public grid, in two
 * stages of ε/2 each: the decade (a few dozen candidates, so the wide empty tails of the grid weigh
 * little), then a point within it. Pure ε (δ = 0) by sequential composition.
 */
export function privateQuantile(sorted: Float64Array, q: number, epsilon: number, rng: Rng): number {
  const target = q * sorted.length;
  const decades = decadeBins();
  const [lo, hi] = decades[chooseBin(sorted, decades, target, epsilon / 2, rng)];
  const steps: [number, number][] = [];
  for (let m = 0; m < MANTISSAS; m++) steps.push([lo + ((hi - lo) * m) / MANTISSAS, lo + ((hi - lo) * (m + 1)) / MANTISSAS]);
  const [a, b] = steps[chooseBin(sorted, steps, target, epsilon / 2, rng)];
  return (a + b) / 2;
}

/** Quantiles of the private range (wide enough for the mechanism to find on mid-sized tables). */
export const RANGE_QUANTILES = [0.05, 0.95] as const;
/** The private range is the quantiles' span widened by this share of it on each side. */
export const RANGE_STRETCH = 0.1;
