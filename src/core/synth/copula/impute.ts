import type { Rng } from '../../random/rng';

/**
 * Fill the normal scores of values that are missing, so that correlations are estimated on the
 * whole population rather than on the rows where a value happens to be present.
 *
 * Why: with pairwise deletion, a column missing more often for some ages (wages for the young and
 * the old) gets its correlation with age from a selected subpopulation; the copula then applies
 * it to everyone and selects again through the missingness indicator, which inflates the
 * correlation among the synthetic rows where the value is present (SLID wages ~ age: 0.36 real,
 * 0.44 synthetic). Under "missing at random given the always-observed scores" (categoricals,
 * complete numerics and the other columns' missingness indicators), a regression on those scores fitted on the
 * present rows is unbiased; missing scores are drawn from it (prediction + residual noise).
 *
 * The completed score is then standardised: its mean and sd over all rows are returned so that
 * decoding can map a model score z back with mean + sd · z (the present rows' marginal stays
 * exact, since their scores are unchanged).
 */
export function imputeMissingScores(dims: Float64Array[], ownIndicator: Map<number, number>, rng: Rng): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  const complete: number[] = [];
  const gappy: number[] = [];
  dims.forEach((z, i) => (z.some((x) => x !== x) ? gappy : complete).push(i));
  if (gappy.length === 0) return out;
  const n = dims[0].length;
  for (const v of gappy) {
    // A column's own indicator is constant ("present") on the rows the regression sees: leave it out.
    const predictors = complete.filter((i) => i !== ownIndicator.get(v));
    const p = predictors.length + 1; // + intercept
    const xs = predictors.map((i) => dims[i]);
    const row = new Float64Array(p);
    const y = dims[v];
    const xtx = new Float64Array(p * p), xty = new Float64Array(p);
    let m = 0;
    for (let r = 0; r < n; r++) {
      const yr = y[r];
      if (yr !== yr) continue;
      m++;
      row[0] = 1;
      for (let k = 1; k < p; k++) row[k] = xs[k - 1][r];
      for (let a = 0; a < p; a++) {
        const ra = row[a];
        xty[a] += ra * yr;
        for (let b = 0; b <= a; b++) xtx[a * p + b] += ra * row[b];
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) xtx[b * p + a] = xtx[a * p + b];
      xtx[a * p + a] += 1e-6 * m + 1e-9; // ridge: indicators can be collinear
    }
    const beta = solveSpd(xtx, xty, p);
    let rss = 0;
    for (let r = 0; r < n; r++) {
      const yr = y[r];
      if (yr !== yr) continue;
      let pred = beta[0];
      for (let k = 1; k < p; k++) pred += beta[k] * xs[k - 1][r];
      rss += (yr - pred) ** 2;
    }
    const sd = Math.sqrt(rss / Math.max(1, m - p));
    let sum = 0, sum2 = 0;
    for (let r = 0; r < n; r++) {
      if (y[r] !== y[r]) {
        let pred = beta[0];
        for (let k = 1; k < p; k++) pred += beta[k] * xs[k - 1][r];
        y[r] = pred + sd * rng.normal();
      }
      sum += y[r];
      sum2 += y[r] * y[r];
    }
    const mean = sum / n;
    const scale = Math.sqrt(Math.max(1e-12, sum2 / n - mean * mean));
    for (let r = 0; r < n; r++) y[r] = (y[r] - mean) / scale;
    out.set(v, [mean, scale]);
  }
  return out;
}

/** Solve A x = b for a symmetric positive definite A (Cholesky), p small. */
function solveSpd(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let s = a[j * p + j];
    for (let k = 0; k < j; k++) s -= l[j * p + k] ** 2;
    const d = Math.sqrt(Math.max(s, 1e-12));
    l[j * p + j] = d;
    for (let i = j + 1; i < p; i++) {
      let t = a[i * p + j];
      for (let k = 0; k < j; k++) t -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = t / d;
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * y[k];
    y[i] = s / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
    x[i] = s / l[i * p + i];
  }
  return x;
}
