import * as detMath from '../../math/detMath';
/**
 * Joint counts of a child column and a parent set over state codes, and the mutual information
 * they carry. Cell index = x + nX * parentConfig, parentConfig = sum of parent state * stride with
 * the first parent varying fastest: the same layout as the conditional probability tables.
 */

/** Number of parent configurations (product of the parents' state counts). */
export function configCount(parentSizes: readonly number[]): number {
  let p = 1;
  for (const s of parentSizes) p *= s;
  return p;
}

/** Parent configuration index of every row. */
export function parentConfigs(n: number, parents: readonly Int32Array[], parentSizes: readonly number[]): Int32Array {
  const out = new Int32Array(n);
  let stride = 1;
  for (let j = 0; j < parents.length; j++) {
    const p = parents[j];
    if (stride === 1) out.set(p);
    else for (let i = 0; i < n; i++) out[i] += p[i] * stride;
    stride *= parentSizes[j];
  }
  return out;
}

/**
 * Count (x, parent configuration) pairs into `out` (zeroed here, length >= nX * configs).
 * Loops are unrolled for up to three parents because this is the hot path of structure learning.
 */
export function countJoint(
  x: Int32Array,
  nX: number,
  parents: readonly Int32Array[],
  parentSizes: readonly number[],
  out: Int32Array,
): number {
  const n = x.length;
  const size = nX * configCount(parentSizes);
  out.fill(0, 0, size);
  switch (parents.length) {
    case 0:
      for (let i = 0; i < n; i++) out[x[i]]++;
      break;
    case 1: {
      const a = parents[0];
      for (let i = 0; i < n; i++) out[x[i] + nX * a[i]]++;
      break;
    }
    case 2: {
      const a = parents[0], b = parents[1];
      const sb = nX * parentSizes[0];
      for (let i = 0; i < n; i++) out[x[i] + nX * a[i] + sb * b[i]]++;
      break;
    }
    case 3: {
      const a = parents[0], b = parents[1], c = parents[2];
      const sb = nX * parentSizes[0], sc = sb * parentSizes[1];
      for (let i = 0; i < n; i++) out[x[i] + nX * a[i] + sb * b[i] + sc * c[i]]++;
      break;
    }
    default: {
      const cfg = parentConfigs(n, parents, parentSizes);
      for (let i = 0; i < n; i++) out[x[i] + nX * cfg[i]]++;
    }
  }
  return size;
}

export interface MutualInformation {
  /** I(X; parents) in nats, plug-in estimate. */
  mi: number;
  /** Miller–Madow bias of the plug-in estimate, from the number of non-empty cells (nats). */
  bias: number;
}

/** Mutual information between X and its parent configuration from joint counts. */
export function mutualInformation(counts: Int32Array, nX: number, configs: number, n: number,
  scratchX: Float64Array, scratchP: Float64Array): MutualInformation {
  scratchX.fill(0, 0, nX);
  scratchP.fill(0, 0, configs);
  let cells = 0;
  for (let p = 0, k = 0; p < configs; p++) {
    let row = 0;
    for (let x = 0; x < nX; x++, k++) {
      const c = counts[k];
      if (c > 0) {
        row += c;
        scratchX[x] += c;
        cells++;
      }
    }
    scratchP[p] = row;
  }
  let nonEmptyX = 0, nonEmptyP = 0;
  for (let x = 0; x < nX; x++) if (scratchX[x] > 0) nonEmptyX++;
  for (let p = 0; p < configs; p++) if (scratchP[p] > 0) nonEmptyP++;
  let mi = 0;
  for (let p = 0, k = 0; p < configs; p++) {
    const cp = scratchP[p];
    if (cp === 0) {
      k += nX;
      continue;
    }
    for (let x = 0; x < nX; x++, k++) {
      const c = counts[k];
      if (c > 0) mi += c * detMath.log((c * n) / (scratchX[x] * cp));
    }
  }
  mi /= n;
  const bias = (cells - nonEmptyX - nonEmptyP + 1) / (2 * n);
  return { mi: Math.max(0, mi), bias: Math.max(0, bias) };
}

/**
 * k ln k for k = 0..n (0 ln 0 = 0): with it, the mutual information of integer counts needs no
 * logarithm per cell (see mutualInformationByTable).
 */
export function xLogXTable(n: number): Float64Array {
  const t = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) t[k] = k * detMath.log(k);
  return t;
}

/**
 * mutualInformation by sums of c ln c over cells and margins (I = (Σ c ln c − Σ cx ln cx − Σ cp ln cp
 * + n ln n) / n), looked up in `xlogx` (xLogXTable(n)): the same quantity to rounding, without a
 * logarithm per cell. Used for the d² / 2 pairwise scores of wide tables.
 */
export function mutualInformationByTable(counts: Int32Array, nX: number, configs: number, n: number,
  scratchX: Float64Array, xlogx: Float64Array): MutualInformation {
  scratchX.fill(0, 0, nX);
  let cells = 0, joint = 0, nonEmptyP = 0, marginP = 0;
  for (let p = 0, k = 0; p < configs; p++) {
    let row = 0;
    for (let x = 0; x < nX; x++, k++) {
      const c = counts[k];
      if (c > 0) {
        row += c;
        scratchX[x] += c;
        cells++;
        joint += xlogx[c];
      }
    }
    if (row > 0) {
      nonEmptyP++;
      marginP += xlogx[row];
    }
  }
  let nonEmptyX = 0, marginX = 0;
  for (let x = 0; x < nX; x++) {
    const c = scratchX[x];
    if (c > 0) {
      nonEmptyX++;
      marginX += xlogx[c];
    }
  }
  const mi = (joint - marginX - marginP + xlogx[n]) / n;
  const bias = (cells - nonEmptyX - nonEmptyP + 1) / (2 * n);
  return { mi: Math.max(0, mi), bias: Math.max(0, bias) };
}
