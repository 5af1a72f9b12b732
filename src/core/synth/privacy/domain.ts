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
 * Range: the median, then the spread around it (the 75% quantile of the deviations from the median on
 * an asinh scale, and their linear median), by the exponential mechanism (McSherry, Talwar 2007; Smith
 * 2011) over public grids (the median over decades from 1e-3 to 1e14 and their negatives, each in 9,000
 * steps, whole numbers below 1,000 one by one; the spreads over log steps), score −(distance of the
 * target rank from a cell's rank span), sensitivity 1. Central statistics, because the mechanism's error
 * grows with the number of candidates that miss the data over the score they lose: half or a quarter of
 * the rows here, against 5% for the 5% and 95% quantiles this used to look for, which at ε = 1 on a
 * table of 7,000 rows and 8 numeric columns landed anywhere on the grid (ranges of ±10^13).
 */
import type { Rng } from '../../random/rng';
import * as detMath from '../../math/detMath';
import { exponentialMechanism } from './exponentialMechanism';

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

/** Decades of the public grid: [10^k, 10^(k+1)) for k in MIN_DECADE..MAX_DECADE, their negatives, and zero. */
const MIN_DECADE = -3, MAX_DECADE = 13;
/**
 * Equal steps per decade of the location grid: 0.01% to 0.1% of a value, fine enough for a year column
 * (2000 .. 2015) to be located to the year. A finer grid costs little: the mechanism pays for the number
 * of candidates only through its logarithm (ln 315,000 ≈ 12.7 against ln 31,500 ≈ 10.4).
 */
const MANTISSAS = 9000;

/** 10^k without pow (exact for k >= 0). */
function tenTo(k: number): number {
  let v = 1;
  if (k >= 0) for (let j = 0; j < k; j++) v *= 10;
  else for (let j = 0; j < -k; j++) v /= 10;
  return v;
}

let fineEdges: Float64Array | null = null;

/**
 * Boundaries of the public location grid, ascending: every decade [-10^(k+1), -10^k) ... [10^k, 10^(k+1))
 * split in MANTISSAS equal steps, and one cell [-10^MIN_DECADE, 10^MIN_DECADE) around zero.
 */
function locationEdges(): Float64Array {
  if (fineEdges) return fineEdges;
  const nDecades = MAX_DECADE - MIN_DECADE + 1;
  const e = new Float64Array(2 * nDecades * MANTISSAS + 2);
  let i = 0;
  for (let k = MAX_DECADE; k >= MIN_DECADE; k--) {
    const lo = -tenTo(k + 1), hi = -tenTo(k);
    for (let m = 0; m < MANTISSAS; m++) e[i++] = lo + ((hi - lo) * m) / MANTISSAS;
  }
  e[i++] = -tenTo(MIN_DECADE);
  for (let k = MIN_DECADE; k <= MAX_DECADE; k++) {
    const lo = tenTo(k), hi = tenTo(k + 1);
    for (let m = 0; m < MANTISSAS; m++) e[i++] = lo + ((hi - lo) * m) / MANTISSAS;
  }
  e[i++] = tenTo(MAX_DECADE + 1);
  fineEdges = e;
  return e;
}

let wholeEdges: Float64Array | null = null;

/**
 * The location grid of a whole-number column: between −1,000 and 1,000, where the fine grid's steps are
 * below one, one cell [k − ½, k + ½) per whole number k, so that a median is a whole number (on a 0/1
 * column, 0 or 1, not a point of the gap between them that would measure every deviation from nowhere).
 */
function wholeNumberEdges(): Float64Array {
  if (wholeEdges) return wholeEdges;
  const fine = locationEdges();
  const out: number[] = [];
  for (const x of fine) if (x <= -1000) out.push(x);
  for (let k = -999; k <= 1000; k++) out.push(k - 0.5);
  for (const x of fine) if (x >= 1000) out.push(x);
  wholeEdges = Float64Array.from(out);
  return wholeEdges;
}

/** The public candidate grid (lower edges of its cells), for tests and docs. */
export function quantileGrid(): Float64Array {
  const e = locationEdges();
  return e.slice(0, e.length - 1);
}

/**
 * Spread grids: [0, 10^min), then `steps` log-equal steps per decade up to `max`.
 */
const spreadGrids = new Map<string, Float64Array>();

function spreadEdges(min: number, max: number, steps: number): Float64Array {
  const key = `${min} ${max} ${steps}`;
  const cached = spreadGrids.get(key);
  if (cached) return cached;
  const ln10 = detMath.log(10);
  const top = detMath.log(max) / ln10;
  const e: number[] = [0];
  for (let j = 0; ; j++) {
    const k = min + j / steps;
    // Whole decades exact, the steps between them by exp.
    const v = j % steps === 0 ? tenTo(k) : detMath.exp(k * ln10);
    if (k >= top - 1e-9) {
      e.push(max);
      break;
    }
    e.push(v);
  }
  const out = Float64Array.from(e);
  spreadGrids.set(key, out);
  return out;
}

/**
 * Exponential mechanism over the cells [edges[i], edges[i+1]) of a public grid: score −(distance of the
 * target rank from the cell's rank span [#{x < edges[i]}, #{x < edges[i+1]}]) over ascending values.
 *
 * Sensitivity 1: neighbouring tables differ in one row (n public). Changing one present value moves each
 * rank by at most one and leaves the target; turning a present value missing (or back) moves the target
 * q·n_present by q and a rank by one or none, in the same direction when both move, so the difference
 * (rank − target) moves by at most max(1 − q, q, 1) = 1, and so does the distance.
 */
function chooseCell(sorted: Float64Array, edges: Float64Array, target: number, epsilon: number, rng: Rng): number {
  const cells = edges.length - 1;
  const scores = new Float64Array(cells);
  let p = 0;
  while (p < sorted.length && sorted[p] < edges[0]) p++;
  let a = p;
  for (let i = 0; i < cells; i++) {
    const hiEdge = edges[i + 1];
    // The last cell is closed: values at the top edge count inside it.
    if (i === cells - 1) p = sorted.length;
    else while (p < sorted.length && sorted[p] < hiEdge) p++;
    const b = p;
    scores[i] = -(target < a ? a - target : target > b ? target - b : 0);
    a = b;
  }
  return exponentialMechanism(scores, 1, epsilon, rng);
}

/**
 * The q-quantile of the sorted present values by the exponential mechanism (McSherry, Talwar 2007;
 * Smith 2011) over the public location grid (whole numbers: wholeNumberEdges), in one stage: pure ε.
 * Returns the chosen cell's middle.
 */
export function privateQuantile(sorted: Float64Array, q: number, epsilon: number, rng: Rng, wholeNumbers = false): number {
  const e = wholeNumbers ? wholeNumberEdges() : locationEdges();
  const i = chooseCell(sorted, e, q * sorted.length, epsilon, rng);
  return (e[i] + e[i + 1]) / 2;
}

/**
 * Where the spread is measured: asinh(x / scale), so that a spread small beside the scale is measured
 * as is (a year column, heights) and a long right tail (sales, incomes, volumes: a median of 170 and a
 * 90th percentile of 1,200) shrinks as on a log scale. The scale is half the median's size, at least two
 * steps of the column's resolution (`unit`: 1 for whole numbers, 0.1 for one decimal, 0 when unknown), so
 * that a 0/1 column is not measured as if 0 were infinitely far from 1; linear (0) for a median at zero
 * with no known resolution. A function of released values and the schema only: it reads no row.
 */
export function spreadScale(median: number, unit = 0): number {
  return Math.abs(median) >= ZERO_CELL || unit > 0 ? Math.max(Math.abs(median) / 2, 2 * unit) : 0;
}
/** Half-width of the grid's cell around zero: a median inside it is zero. */
const ZERO_CELL = tenTo(MIN_DECADE);

/** asinh by detMath's log (and sqrt, which IEEE rounds exactly): the same bits in every JS engine. */
function asinh(x: number): number {
  const a = Math.abs(x);
  const v = detMath.log(a + Math.sqrt(a * a + 1));
  return x < 0 ? -v : v;
}

function sinh(t: number): number {
  return (detMath.exp(t) - detMath.exp(-t)) / 2;
}

function toSpread(x: number, scale: number): number {
  return scale > 0 ? asinh(x / scale) : x;
}

function fromSpread(t: number, scale: number): number {
  return scale > 0 ? scale * sinh(t) : t;
}

/**
 * The q-quantile of the absolute deviations from `center` of the sorted present values, measured on the
 * spread scale of `scale` (spreadScale; 0: linear), by the exponential mechanism over a public spread
 * grid (10 log steps a decade from 10^-7 to SPREAD_CAP on the asinh scale, from 10^-4 to 10^15 linear;
 * pure ε). Returns the chosen cell's geometric middle (the first cell's top for [0, 10^min)).
 */
export function privateSpread(sorted: Float64Array, center: number, epsilon: number, rng: Rng, scale = 0, q = SPREAD_QUANTILE): number {
  const dev = new Float64Array(sorted.length);
  const c = toSpread(center, scale);
  for (let i = 0; i < sorted.length; i++) dev[i] = Math.abs(toSpread(sorted[i], scale) - c);
  dev.sort();
  const e = scale > 0 ? spreadEdges(-7, SPREAD_CAP, 10) : spreadEdges(-4, 1e15, 10);
  const i = chooseCell(dev, e, q * dev.length, epsilon, rng);
  return i === 0 ? e[1] : i === e.length - 2 && scale > 0 ? SPREAD_CAP : detMath.exp((detMath.log(e[i]) + detMath.log(e[i + 1])) / 2);
}

/**
 * Shares of a column's range budget: its median, and its linear median absolute deviation (the range of
 * a column straddling zero); the rest for its spread on the asinh scale.
 */
export const MEDIAN_SHARE = 0.45;
export const LINEAR_SHARE = 0.2;
/**
 * The spread is the 75% quantile of the deviations, not their median: on a column of few values (0/1,
 * a 70/30 split) the median deviation is zero or anything between two values, while three deviations
 * in four are within the farthest value's. On the asinh scale few spreads lie beyond the data (the grid
 * stops at SPREAD_CAP), so the quarter of the rows they lose costs little.
 */
export const SPREAD_QUANTILE = 0.75;
/**
 * Largest spread on the asinh scale (a factor of e^6 ≈ 400 around the median). A spread at the cap means
 * the column is not spread as on a log scale around its median (it straddles zero: changes, returns),
 * and its range is then taken linear (rangeOf).
 */
export const SPREAD_CAP = 6;
/** The 75% quantile of |x − median| over the median absolute deviation on a normal distribution (1.15 / 0.674). */
const LINEAR_SPREADS = 1.7;

/** Where a numeric column's values lie, under ε: its median and its spread around it. */
export interface PrivateLocation {
  median: number;
  /** SPREAD_QUANTILE of the deviations from the median, on the spread scale. */
  spread: number;
  /** The spread scale (spreadScale). */
  scale: number;
  /** Median absolute deviation, linear (for a column straddling zero). */
  linear: number;
}

/**
 * A column's median, then the 75% quantile of its deviations from it on the spread scale and their
 * linear median, each by the exponential mechanism over a public grid: ε in all, by sequential
 * composition. Central statistics: a
 * wrong candidate loses a half or a quarter of the rows of score, so the mechanism finds them at budgets
 * where tail quantiles (5%, 95%), against which a candidate beyond the data loses only 5% of the rows,
 * are noise. `unit`: the column's resolution (1 for whole numbers, 10^-d for d decimals, 0 if unknown).
 */
export function privateLocation(sorted: Float64Array, epsilon: number, rng: Rng, unit = 0): PrivateLocation {
  const median = privateQuantile(sorted, 0.5, MEDIAN_SHARE * epsilon, rng, unit === 1);
  const scale = spreadScale(median, unit);
  const spread = privateSpread(sorted, median, (1 - MEDIAN_SHARE - LINEAR_SHARE) * epsilon, rng, scale);
  const linear = privateSpread(sorted, median, LINEAR_SHARE * epsilon, rng, 0, 0.5);
  return { median, spread, scale, linear };
}

/**
 * The range median ± k spreads on the spread scale, widened by `pad` on each side (post-processing: no
 * budget). A column whose values within one spread below the median are not negative stays non-negative
 * (and one whose values within one spread above are not positive, non-positive). A spread at SPREAD_CAP
 * is no log-scale spread: the range is then linear, the median ± k times the linear median absolute
 * deviation scaled to a 75% quantile (as on a normal distribution).
 */
export function rangeOf(loc: PrivateLocation, k: number, pad = 0): { lo: number; hi: number } {
  const t = toSpread(loc.median, loc.scale);
  const at = (j: number) => fromSpread(t + j * loc.spread, loc.scale);
  let lo: number, hi: number;
  if (loc.scale > 0 && loc.spread >= SPREAD_CAP) {
    const d = loc.linear * LINEAR_SPREADS;
    lo = loc.median - k * d;
    hi = loc.median + k * d;
  } else {
    lo = at(-k);
    hi = at(k);
  }
  lo -= pad;
  hi += pad;
  if (at(-1) >= 0) lo = Math.max(0, lo);
  if (at(1) <= 0) hi = Math.min(0, hi);
  return { lo, hi };
}
