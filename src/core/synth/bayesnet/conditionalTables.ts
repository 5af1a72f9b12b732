import type { Rng } from '../../random/rng';
import { configCount, countJoint } from './jointCounts';

/**
 * Conditional probability table of a child given its parents: probabilities laid out as
 * table[config * nX + x], the layout of the joint counts (first parent varying fastest).
 */

/**
 * Maximum likelihood with a Dirichlet prior of total weight `smoothing` centred on the child's
 * marginal: a parent configuration seen a few times leans towards the overall distribution, one
 * never seen is the marginal, and a state never seen at all stays impossible.
 */
export function smoothedTable(
  x: Int32Array,
  nX: number,
  parents: Int32Array[],
  parentSizes: number[],
  smoothing: number,
): Float64Array {
  const configs = configCount(parentSizes);
  const counts = new Int32Array(nX * configs);
  countJoint(x, nX, parents, parentSizes, counts);
  const marginal = childMarginal(counts, nX, configs);
  const table = new Float64Array(nX * configs);
  for (let p = 0; p < configs; p++) {
    let row = 0;
    for (let s = 0; s < nX; s++) row += counts[p * nX + s];
    const denom = row + smoothing;
    for (let s = 0; s < nX; s++) {
      table[p * nX + s] = denom > 0 ? (counts[p * nX + s] + smoothing * marginal[s]) / denom : marginal[s];
    }
  }
  return table;
}

/**
 * PrivBayes' noisy conditional: Laplace noise on every cell of the joint (child, parents) counts,
 * negatives clamped to zero, each configuration normalised. A configuration left with no mass takes
 * the child's noisy marginal (the same noisy joint summed over the parents), or uniform.
 */
export function noisyTable(
  x: Int32Array,
  nX: number,
  parents: Int32Array[],
  parentSizes: number[],
  noiseScale: number,
  rng: Rng,
): Float64Array {
  const configs = configCount(parentSizes);
  const counts = new Int32Array(nX * configs);
  countJoint(x, nX, parents, parentSizes, counts);
  const noisy = new Float64Array(nX * configs);
  for (let k = 0; k < noisy.length; k++) noisy[k] = Math.max(0, counts[k] + rng.laplace(noiseScale));
  const marginal = childMarginal(noisy, nX, configs);
  for (let p = 0; p < configs; p++) {
    let row = 0;
    for (let s = 0; s < nX; s++) row += noisy[p * nX + s];
    for (let s = 0; s < nX; s++) noisy[p * nX + s] = row > 0 ? noisy[p * nX + s] / row : marginal[s];
  }
  return noisy;
}

/** The child's distribution summed over parent configurations (uniform when empty). */
function childMarginal(counts: ArrayLike<number>, nX: number, configs: number): Float64Array {
  const m = new Float64Array(nX);
  let total = 0;
  for (let p = 0; p < configs; p++) {
    for (let s = 0; s < nX; s++) m[s] += counts[p * nX + s];
  }
  for (let s = 0; s < nX; s++) total += m[s];
  for (let s = 0; s < nX; s++) m[s] = total > 0 ? m[s] / total : 1 / nX;
  return m;
}
