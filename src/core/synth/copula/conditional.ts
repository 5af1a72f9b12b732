import type { Rng } from '../../random/rng';
import { inverseSpd } from './correlation';
import { normalMass, truncatedNormal } from './normal';

/** Allowed normal-score intervals of one dimension (a zero-width interval fixes the value). */
export type Intervals = [number, number][];

/**
 * Draws from the copula's multivariate normal N(0, R) given constraints on some dimensions:
 * the constrained block from the normal truncated to the allowed intervals, the free block from its
 * exact conditional normal given the constrained block.
 *
 * One constrained dimension is drawn exactly (inverse CDF inside its intervals). For several, a
 * sequential draw (each given the ones before, through the Cholesky factor of their block) starts a
 * few Gibbs sweeps over the full conditionals, which converge to the truncated normal; the pipeline
 * still checks every row, so an imperfect draw costs accuracy, never a wrong row.
 */
export class ConditionalSampler {
  readonly #d: number;
  readonly #c: number[];
  readonly #f: number[];
  readonly #intervals: Intervals[];
  readonly #fixed: boolean[];
  readonly #lc: Float64Array; // Cholesky of the constrained block
  readonly #gibbsW: Float64Array; // -P_ck / P_cc
  readonly #gibbsSd: Float64Array; // 1 / sqrt(P_cc)
  readonly #a: Float64Array; // free-given-constrained regression, |F| x |C|
  readonly #lf: Float64Array; // Cholesky of the conditional covariance of the free block
  readonly #sweeps: number;

  constructor(corr: Float64Array, d: number, constraints: Map<number, Intervals>, sweeps: number) {
    this.#d = d;
    this.#c = [...constraints.keys()].sort((a, b) => a - b);
    const isC = new Set(this.#c);
    this.#f = Array.from({ length: d }, (_, i) => i).filter((i) => !isC.has(i));
    this.#intervals = this.#c.map((i) => constraints.get(i)!);
    this.#fixed = this.#intervals.map((iv) => iv.length === 1 && iv[0][0] === iv[0][1]);
    this.#sweeps = sweeps;
    const nc = this.#c.length, nf = this.#f.length;
    const scc = block(corr, d, this.#c, this.#c);
    this.#lc = choleskySemi(scc, nc);
    const p = inverseSpd(scc, nc);
    this.#gibbsW = new Float64Array(nc * nc);
    this.#gibbsSd = new Float64Array(nc);
    for (let i = 0; i < nc; i++) {
      this.#gibbsSd[i] = 1 / Math.sqrt(p[i * nc + i]);
      for (let k = 0; k < nc; k++) if (k !== i) this.#gibbsW[i * nc + k] = -p[i * nc + k] / p[i * nc + i];
    }
    // A = S_FC S_CC^-1 and the conditional covariance S_FF - A S_CF.
    const sfc = block(corr, d, this.#f, this.#c);
    this.#a = new Float64Array(nf * nc);
    for (let i = 0; i < nf; i++) for (let j = 0; j < nc; j++) {
      let s = 0;
      for (let k = 0; k < nc; k++) s += sfc[i * nc + k] * p[k * nc + j];
      this.#a[i * nc + j] = s;
    }
    const cond = block(corr, d, this.#f, this.#f);
    for (let i = 0; i < nf; i++) for (let j = 0; j < nf; j++) {
      let s = 0;
      for (let k = 0; k < nc; k++) s += this.#a[i * nc + k] * sfc[j * nc + k];
      cond[i * nf + j] -= s;
    }
    this.#lf = choleskySemi(cond, nf);
  }

  /** Fill rows [0, n) of the score columns z (one Float64Array per dimension). */
  sampleInto(z: Float64Array[], n: number, rng: Rng): void {
    const nc = this.#c.length, nf = this.#f.length;
    const zc = new Float64Array(nc), e = new Float64Array(Math.max(nc, nf));
    const lc = this.#lc, lf = this.#lf, a = this.#a, w = this.#gibbsW, sd = this.#gibbsSd;
    for (let row = 0; row < n; row++) {
      // Sequential start: each constrained score given the ones before it.
      for (let k = 0; k < nc; k++) {
        let mu = 0;
        for (let j = 0; j < k; j++) mu += lc[k * nc + j] * e[j];
        const s = lc[k * nc + k];
        zc[k] = drawInIntervals(this.#intervals[k], mu, s, rng);
        e[k] = s > 1e-12 ? (zc[k] - mu) / s : 0;
      }
      if (nc > 1) {
        for (let sweep = 0; sweep < this.#sweeps; sweep++) {
          for (let k = 0; k < nc; k++) {
            if (this.#fixed[k]) continue;
            let mu = 0;
            for (let j = 0; j < nc; j++) if (j !== k) mu += w[k * nc + j] * zc[j];
            zc[k] = drawInIntervals(this.#intervals[k], mu, sd[k], rng);
          }
        }
      }
      for (let k = 0; k < nc; k++) z[this.#c[k]][row] = zc[k];
      for (let i = 0; i < nf; i++) e[i] = rng.normal();
      for (let i = 0; i < nf; i++) {
        let s = 0;
        for (let k = 0; k < nc; k++) s += a[i * nc + k] * zc[k];
        for (let j = 0; j <= i; j++) s += lf[i * nf + j] * e[j];
        z[this.#f[i]][row] = s;
      }
    }
  }

  get dimensions(): number {
    return this.#d;
  }
}

/** N(mu, sd²) truncated to a union of intervals: pick an interval by its mass, then invert inside it. */
export function drawInIntervals(iv: Intervals, mu: number, sd: number, rng: Rng): number {
  if (iv.length === 1 && iv[0][0] === iv[0][1]) return iv[0][0];
  if (!(sd > 1e-12)) return nearestInside(iv, mu);
  let k = 0;
  if (iv.length > 1) {
    const mass = iv.map(([lo, hi]) => normalMass((lo - mu) / sd, (hi - mu) / sd));
    const total = mass.reduce((s, m) => s + m, 0);
    k = total > 0 ? rng.weighted(mass, total) : nearestInterval(iv, mu);
  }
  const [lo, hi] = iv[k];
  return mu + sd * truncatedNormal((lo - mu) / sd, (hi - mu) / sd, rng.nextOpen());
}

function nearestInterval(iv: Intervals, x: number): number {
  let best = 0, bestD = Infinity;
  iv.forEach(([lo, hi], k) => {
    const dist = x < lo ? lo - x : x > hi ? x - hi : 0;
    if (dist < bestD) { bestD = dist; best = k; }
  });
  return best;
}

function nearestInside(iv: Intervals, x: number): number {
  const [lo, hi] = iv[nearestInterval(iv, x)];
  return x < lo ? lo : x > hi ? hi : x;
}

function block(m: Float64Array, d: number, rows: number[], cols: number[]): Float64Array {
  const out = new Float64Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (out[i * cols.length + j] = m[r * d + c])));
  return out;
}

/** Cholesky that tolerates a positive semi-definite matrix (a zero pivot gives a zero column). */
function choleskySemi(m: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = m[j * n + j];
    for (let k = 0; k < j; k++) { const v = l[j * n + k]; s -= v * v; }
    const pivot = s > 1e-12 ? Math.sqrt(s) : 0;
    l[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let t = m[i * n + j];
      for (let k = 0; k < j; k++) t -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = pivot > 0 ? t / pivot : 0;
    }
  }
  return l;
}
