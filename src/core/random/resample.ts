import type { Rng } from './rng';

/**
 * n indices into `weights` drawn with probability proportional to weight, with replacement, by systematic
 * resampling (one uniform draw, then even steps: unbiased and low-variance however uneven the weights),
 * in ascending order; evenly spread when every weight is 0. Conditional sampling keeps pool rows this way
 * (likelihood weighting) in the CART and Bayesian-network samplers.
 */
export function resampleByWeight(weights: Float64Array, n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) {
    for (let i = 0; i < n; i++) out[i] = Math.floor((i * weights.length) / n);
    return out;
  }
  const step = total / n;
  let u = rng.next() * step;
  let acc = weights[0],
    j = 0;
  for (let i = 0; i < n; i++) {
    while (acc <= u && j < weights.length - 1) acc += weights[++j];
    out[i] = j;
    u += step;
  }
  return out;
}
