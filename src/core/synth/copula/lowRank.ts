import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { throwIfAborted, yieldToEventLoop } from '../../context';
import type { Rng } from '../../random/rng';
import { ConditionalSampler, type Intervals } from './conditional';

/**
 * The copula's correlation for wide tables (more score dimensions d than rows n), kept as a factor
 * model: z = loadings · e + noise ⊙ ε, e ~ N(0, I_rank), ε ~ N(0, I_d).
 *
 * With d > n the score correlation has rank below n, so the dense path (nearestCorrelation: clip the
 * eigenvalues of the d × d matrix at a floor, rescale to a unit diagonal; then its Cholesky) costs
 * O(d³) time and d² memory: hours and 200 MB at 5,000 columns. The same repair is done here through
 * the n × n Gram matrix of the standardized scores: its eigenpairs (λ, u) give those of the
 * correlation (λ, Xᵀu / √λ), every other eigenvalue being 0, clipped to the floor. Cost O(d·n²),
 * size d × rank. Draws cost O(d · rank) per row instead of O(d²).
 *
 * Scores with gaps are standardized over their present rows and count as 0 (the mean) where
 * missing; with no gaps, Xᵀ X is exactly the Pearson correlation of the dense path.
 */
export interface LowRankCorrelation {
  rank: number;
  /** d × rank, row-major. */
  loadings: Float64Array;
  /** Per dimension: sd of its own noise. */
  noise: Float64Array;
}

/** Eigenvalues below this share of the largest are numerical zeros of the Gram matrix. */
const RELATIVE_ZERO = 1e-12;
const YIELD_MS = 40;

export async function lowRankCorrelation(dims: Float64Array[], n: number, floor = 1e-6, signal?: AbortSignal): Promise<LowRankCorrelation> {
  const d = dims.length;
  let last = Date.now();
  const pause = async () => {
    if (Date.now() - last < YIELD_MS) return;
    await yieldToEventLoop();
    throwIfAborted(signal);
    last = Date.now();
  };
  // Standardized scores: x_j = (z_j - mean) / sqrt(sum of squares), 0 where missing.
  const xs: Float64Array[] = new Array(d);
  for (let j = 0; j < d; j++) {
    const z = dims[j];
    let m = 0, s = 0;
    for (let i = 0; i < n; i++) if (z[i] === z[i]) { m++; s += z[i]; }
    const mean = m > 0 ? s / m : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) if (z[i] === z[i]) ss += (z[i] - mean) * (z[i] - mean);
    const x = new Float64Array(n);
    if (m > 2 && ss > 0) {
      const k = 1 / Math.sqrt(ss);
      for (let i = 0; i < n; i++) x[i] = z[i] === z[i] ? (z[i] - mean) * k : 0;
    }
    xs[j] = x;
  }
  // Gram matrix G = X Xᵀ (n × n), X being n × d.
  const g = new Matrix(n, n);
  const acc = new Float64Array(n * n);
  for (let j = 0; j < d; j++) {
    const x = xs[j];
    for (let a = 0; a < n; a++) {
      const xa = x[a];
      if (xa === 0) continue;
      const off = a * n;
      for (let b = a; b < n; b++) acc[off + b] += xa * x[b];
    }
    if ((j & 63) === 0) await pause();
  }
  for (let a = 0; a < n; a++) for (let b = a; b < n; b++) { g.set(a, b, acc[a * n + b]); g.set(b, a, acc[a * n + b]); }
  const evd = new EigenvalueDecomposition(g, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const u = evd.eigenvectorMatrix;
  const top = Math.max(0, ...values);
  const keep: number[] = [];
  for (let k = 0; k < values.length; k++) if (values[k] > floor && values[k] > top * RELATIVE_ZERO) keep.push(k);
  keep.sort((a, b) => values[b] - values[a] || a - b);
  const rank = keep.length;
  // Correlation eigenvectors V_k = Xᵀ u_k / sqrt(λ_k); loadings V_k sqrt(λ_k - floor), then unit diagonal.
  const loadings = new Float64Array(d * rank);
  const noise = new Float64Array(d);
  const uk = keep.map((k) => Float64Array.from({ length: n }, (_, t) => u.get(t, k)));
  const w = keep.map((k) => Math.sqrt(values[k] - floor) / Math.sqrt(values[k]));
  for (let j = 0; j < d; j++) {
    const x = xs[j];
    let diag = floor;
    for (let r = 0; r < rank; r++) {
      const v = uk[r];
      let s = 0;
      for (let t = 0; t < n; t++) s += x[t] * v[t];
      const l = s * w[r];
      loadings[j * rank + r] = l;
      diag += l * l;
    }
    const scale = 1 / Math.sqrt(diag);
    for (let r = 0; r < rank; r++) loadings[j * rank + r] *= scale;
    noise[j] = Math.sqrt(floor) * scale;
    if ((j & 255) === 0) await pause();
  }
  return { rank, loadings, noise };
}

/** Unconditional draws: z = loadings · e + noise ⊙ ε, row by row. */
export function sampleLowRank(z: Float64Array[], n: number, f: LowRankCorrelation, rng: Rng): void {
  const { rank, loadings, noise } = f;
  const d = noise.length;
  const e = new Float64Array(rank);
  for (let row = 0; row < n; row++) {
    for (let k = 0; k < rank; k++) e[k] = rng.normal();
    for (let j = 0; j < d; j++) {
      let s = 0;
      const off = j * rank;
      for (let k = 0; k < rank; k++) s += loadings[off + k] * e[k];
      z[j][row] = s + noise[j] * rng.normal();
    }
  }
}

/**
 * Draws given constraints on some dimensions C: z_C from the normal truncated to the allowed intervals
 * (ConditionalSampler on the small C × C correlation), then the factors e from their exact conditional
 * given z_C (precision I + L_Cᵀ D_C⁻¹ L_C, D_C the noise variances), then the free dimensions from e.
 */
export class LowRankConditional {
  readonly #f: LowRankCorrelation;
  readonly #c: number[];
  readonly #zc: ConditionalSampler;
  /** Cholesky (lower) of the factors' posterior precision, rank × rank. */
  readonly #p: Float64Array;

  constructor(f: LowRankCorrelation, constraints: Map<number, Intervals>, sweeps: number) {
    this.#f = f;
    const { rank, loadings, noise } = f;
    this.#c = [...constraints.keys()].sort((a, b) => a - b);
    const c = this.#c, nc = c.length;
    const scc = new Float64Array(nc * nc);
    for (let a = 0; a < nc; a++) {
      for (let b = 0; b < nc; b++) {
        let s = 0;
        for (let k = 0; k < rank; k++) s += loadings[c[a] * rank + k] * loadings[c[b] * rank + k];
        scc[a * nc + b] = s + (a === b ? noise[c[a]] * noise[c[a]] : 0);
      }
    }
    this.#zc = new ConditionalSampler(scc, nc, new Map(c.map((dim, a) => [a, constraints.get(dim)!])), sweeps);
    const p = new Float64Array(rank * rank);
    for (let k = 0; k < rank; k++) p[k * rank + k] = 1;
    for (const dim of c) {
      const inv = 1 / (noise[dim] * noise[dim]);
      for (let a = 0; a < rank; a++) for (let b = 0; b < rank; b++) p[a * rank + b] += loadings[dim * rank + a] * loadings[dim * rank + b] * inv;
    }
    this.#p = cholesky(p, rank);
  }

  sampleInto(z: Float64Array[], n: number, rng: Rng): void {
    const { rank, loadings, noise } = this.#f;
    const d = noise.length;
    const c = this.#c, nc = c.length;
    const zc = Array.from({ length: nc }, () => new Float64Array(n));
    this.#zc.sampleInto(zc, n, rng);
    const isC = new Uint8Array(d);
    for (const dim of c) isC[dim] = 1;
    const l = this.#p;
    const b = new Float64Array(rank), y = new Float64Array(rank), e = new Float64Array(rank);
    for (let row = 0; row < n; row++) {
      // b = L_Cᵀ D_C⁻¹ z_C; mean m solves P m = b (L y = b, Lᵀ m = y); e = m + L⁻ᵀ η.
      b.fill(0);
      for (let a = 0; a < nc; a++) {
        const dim = c[a];
        const v = zc[a][row] / (noise[dim] * noise[dim]);
        z[dim][row] = zc[a][row];
        for (let k = 0; k < rank; k++) b[k] += loadings[dim * rank + k] * v;
      }
      for (let k = 0; k < rank; k++) {
        let s = b[k];
        for (let j = 0; j < k; j++) s -= l[k * rank + j] * y[j];
        y[k] = s / l[k * rank + k];
      }
      for (let k = 0; k < rank; k++) y[k] += rng.normal(); // Lᵀ e = y + η gives e = m + L⁻ᵀ η
      for (let k = rank - 1; k >= 0; k--) {
        let s = y[k];
        for (let j = k + 1; j < rank; j++) s -= l[j * rank + k] * e[j];
        e[k] = s / l[k * rank + k];
      }
      for (let j = 0; j < d; j++) {
        if (isC[j]) continue;
        let s = 0;
        const off = j * rank;
        for (let k = 0; k < rank; k++) s += loadings[off + k] * e[k];
        z[j][row] = s + noise[j] * rng.normal();
      }
    }
  }
}

/** Lower Cholesky factor of a symmetric positive definite matrix (row-major). */
function cholesky(m: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = m[j * n + j];
    for (let k = 0; k < j; k++) s -= l[j * n + k] * l[j * n + k];
    const pivot = Math.sqrt(Math.max(s, 1e-300));
    l[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let t = m[i * n + j];
      for (let k = 0; k < j; k++) t -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = t / pivot;
    }
  }
  return l;
}
