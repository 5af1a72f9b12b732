import type { Rng } from '../../random/rng';
import * as detMath from '../../math/detMath';

/**
 * Exponential mechanism (McSherry, Talwar 2007): index drawn with probability proportional to
 * exp(eps · score / (2 S)), S the score's sensitivity (one for all candidates, or one each).
 */
export function exponentialMechanism(scores: ArrayLike<number>, sensitivities: ArrayLike<number> | number, eps: number, rng: Rng): number {
  const logits = new Float64Array(scores.length);
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    logits[i] = (eps * scores[i]) / (2 * (typeof sensitivities === 'number' ? sensitivities : sensitivities[i]));
    if (logits[i] > max) max = logits[i];
  }
  for (let i = 0; i < logits.length; i++) logits[i] = detMath.exp(logits[i] - max);
  return rng.weighted(logits);
}
