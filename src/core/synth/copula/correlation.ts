import { CholeskyDecomposition, EigenvalueDecomposition, Matrix, inverse } from 'ml-matrix';
import { ProgressTicker } from '../../progressTicker';

/**
 * Correlation of normal scores, made a valid correlation matrix, and its Cholesky factor.
 * Matrices are flat row-major Float64Arrays of size d × d.
 */

/**
 * Pearson correlation of every pair of score columns over the rows where both are present
 * (NaN = missing). Pairwise deletion keeps all the information a column with gaps has, at the cost
 * of a matrix that may not be positive definite; nearestCorrelation repairs that.
 */
export async function scoreCorrelation(dims: Float64Array[], n: number, signal?: AbortSignal): Promise<Float64Array> {
  const d = dims.length;
  const r = new Float64Array(d * d);
  const complete = dims.map((z) => !z.some(Number.isNaN));
  const ticker = new ProgressTicker({ signal });
  for (let a = 0; a < d; a++) {
    // Wide tables: d²/2 passes over n rows; stay cancellable.
    await ticker.maybePause('correlation', a / d);
    r[a * d + a] = 1;
    const x = dims[a];
    for (let b = a + 1; b < d; b++) {
      const y = dims[b];
      let m = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
      if (complete[a] && complete[b]) {
        for (let i = 0; i < n; i++) {
          const u = x[i], v = y[i];
          sx += u; sy += v; sxx += u * u; syy += v * v; sxy += u * v;
        }
        m = n;
      } else {
        for (let i = 0; i < n; i++) {
          const u = x[i], v = y[i];
          if (u !== u || v !== v) continue; // NaN check without a call
          m++; sx += u; sy += v; sxx += u * u; syy += v * v; sxy += u * v;
        }
      }
      let c = 0;
      if (m > 2) {
        const vx = sxx - (sx * sx) / m, vy = syy - (sy * sy) / m;
        if (vx > 0 && vy > 0) c = (sxy - (sx * sy) / m) / Math.sqrt(vx * vy);
      }
      c = Math.max(-1, Math.min(1, c));
      r[a * d + b] = c;
      r[b * d + a] = c;
    }
  }
  return r;
}

/** Clip eigenvalues to at least `floor` and rescale to a unit diagonal: a positive definite correlation. */
export function nearestCorrelation(r: Float64Array, d: number, floor = 1e-6): Float64Array {
  if (d === 0) return r;
  const m = toMatrix(r, d);
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  if (Math.min(...values) >= floor) return r;
  const v = evd.eigenvectorMatrix;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += v.get(i, k) * Math.max(values[k], floor) * v.get(j, k);
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  const scale = new Float64Array(d);
  for (let i = 0; i < d; i++) scale[i] = 1 / Math.sqrt(out[i * d + i]);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] *= scale[i] * scale[j];
  return out;
}

/** Lower Cholesky factor L (row-major) with L Lᵀ = r. */
export function choleskyLower(r: Float64Array, d: number): Float64Array {
  if (d === 0) return new Float64Array(0);
  const chol = new CholeskyDecomposition(toMatrix(r, d));
  if (!chol.isPositiveDefinite()) throw new Error('Correlation matrix is not positive definite');
  return fromMatrix(chol.lowerTriangularMatrix);
}

/** Inverse of a symmetric positive definite matrix (row-major). */
export function inverseSpd(r: Float64Array, d: number): Float64Array {
  return fromMatrix(inverse(toMatrix(r, d)));
}

export function toMatrix(r: Float64Array, d: number): Matrix {
  const m = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m.set(i, j, r[i * d + j]);
  return m;
}

export function fromMatrix(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out[i * m.columns + j] = m.get(i, j);
  return out;
}
