import { normalCdf, normalInv } from './normal';
import * as detMath from '../../math/detMath';

/**
 * Parametric marginals for the copula, chosen per column by the smallest Kolmogorov–Smirnov
 * distance to the training values. Each maps a value to its normal score z = Φ⁻¹(F(x)) and back.
 * Normal and lognormal map to z in closed form (no CDF evaluation on the hot path).
 */
export type Family = 'normal' | 'lognormal' | 'uniform' | 'exponential';

export interface ParametricFit {
  family: Family;
  /** normal/lognormal: [mean, sd]; uniform: [min, max]; exponential: [shift, rate]. */
  params: [number, number];
  /** KS distance of the chosen fit. */
  ks: number;
}

const Z_CLIP = 8.3; // Φ(±8.3) is still distinct from 0 and 1 in double precision

export function familyToZ(fit: ParametricFit, x: number): number {
  const [a, b] = fit.params;
  switch (fit.family) {
    case 'normal':
      return clipZ((x - a) / b);
    case 'lognormal':
      return x > 0 ? clipZ((detMath.log(x) - a) / b) : -Z_CLIP;
    case 'uniform':
      return clipZ(normalInv(clipU((x - a) / (b - a))));
    case 'exponential':
      return clipZ(normalInv(clipU(1 - detMath.exp(-b * Math.max(0, x - a)))));
  }
}

export function familyFromZ(fit: ParametricFit, z: number): number {
  const [a, b] = fit.params;
  switch (fit.family) {
    case 'normal':
      return a + b * z;
    case 'lognormal':
      return detMath.exp(a + b * z);
    case 'uniform':
      return a + (b - a) * normalCdf(z);
    case 'exponential':
      // 1 − Φ(z) = Φ(−z), precise in the upper tail.
      return a - detMath.log(normalCdf(-z)) / b;
  }
}

/** Fit every family that applies to the sorted non-missing values; keep the best by KS distance. */
export function fitBestFamily(sorted: Float64Array): ParametricFit {
  const n = sorted.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) { const d = sorted[i] - mean; ss += d * d; }
  const sd = Math.sqrt(ss / Math.max(1, n - 1)) || 1e-9;
  const min = sorted[0], max = sorted[n - 1];
  const candidates: ParametricFit[] = [
    { family: 'normal', params: [mean, sd], ks: 0 },
    { family: 'uniform', params: [min, max > min ? max : min + 1e-9], ks: 0 },
  ];
  if (min > 0) {
    let lm = 0;
    for (let i = 0; i < n; i++) lm += detMath.log(sorted[i]);
    lm /= n;
    let lss = 0;
    for (let i = 0; i < n; i++) { const d = detMath.log(sorted[i]) - lm; lss += d * d; }
    candidates.push({ family: 'lognormal', params: [lm, Math.sqrt(lss / Math.max(1, n - 1)) || 1e-9], ks: 0 });
  }
  if (mean > min) candidates.push({ family: 'exponential', params: [min, 1 / (mean - min)], ks: 0 });
  let best = candidates[0];
  for (const c of candidates) {
    c.ks = ksDistance(sorted, c);
    if (c.ks < best.ks) best = c;
  }
  return best;
}

/** Kolmogorov–Smirnov distance between the empirical CDF of sorted values and a fitted family. */
export function ksDistance(sorted: Float64Array, fit: ParametricFit): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = normalCdf(familyToZ(fit, sorted[i]));
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return d;
}

function clipZ(z: number): number {
  return z < -Z_CLIP ? -Z_CLIP : z > Z_CLIP ? Z_CLIP : z;
}

function clipU(u: number): number {
  return u < 1e-15 ? 1e-15 : u > 1 - 1e-15 ? 1 - 1e-15 : u;
}
