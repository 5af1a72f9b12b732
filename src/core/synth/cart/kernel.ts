import { quantileSorted } from '../../stats/quantiles';
import * as detMath from '../../math/detMath';

/**
 * Smoothing of numeric donors: a drawn training value d becomes
 *   mean + (d - mean + h * e) / sqrt(1 + h^2 / sd^2),   e ~ N(0, 1),
 * Silverman's variance-corrected smoothed bootstrap: the Gaussian kernel (bandwidth h = bw.nrd0, R's
 * rule of thumb) keeps exact training values from being copied, and the shrinkage keeps the mean and
 * variance of the donors it smooths, so smoothing does not widen distributions.
 *
 * The kernel of a donor is computed over its window: its leaf when the leaf has at most WINDOW donors
 * (their values are alike), else the WINDOW donors around it (sorted), so that a wide leaf (a first
 * column's whole marginal, say) is smoothed at the scale of neighbouring values, not blurred.
 * Spikes (values too frequent to be identifying, e.g. zeros) are neither smoothed nor counted.
 */
export const WINDOW = 15;

/**
 * Kernels of a leaf's donors, computed on first use within one sample call: per donor index, the
 * window mean, the shrink factor 1 / sqrt(1 + h^2 / sd^2) and the bandwidth h (NaN = not yet computed).
 */
export class KernelCache {
  readonly #mean: Float64Array;
  readonly #shrink: Float64Array;
  readonly #h: Float64Array;
  readonly #scratch: number[] = [];

  constructor(nDonors: number) {
    this.#mean = new Float64Array(nDonors);
    this.#shrink = new Float64Array(nDonors);
    this.#h = new Float64Array(nDonors).fill(NaN);
  }

  /** A smoothed draw around donors[idx] of the leaf [a, b); returns the donor itself when its window is flat. */
  draw(donors: Float64Array, a: number, b: number, idx: number, spikes: number[], normal: () => number): number {
    if (Number.isNaN(this.#h[idx])) this.#compute(donors, a, b, idx, spikes);
    const h = this.#h[idx];
    const d = donors[idx];
    if (h === 0) return d;
    const mean = this.#mean[idx];
    return mean + (d - mean + h * normal()) * this.#shrink[idx];
  }

  #compute(donors: Float64Array, a: number, b: number, idx: number, spikes: number[]): void {
    const start = b - a <= WINDOW ? a : Math.max(a, Math.min(idx - (WINDOW >> 1), b - WINDOW));
    const end = Math.min(b, start + WINDOW);
    const w = this.#scratch;
    w.length = 0;
    for (let i = start; i < end; i++) if (spikes.length === 0 || !spikes.includes(donors[i])) w.push(donors[i]);
    const m = w.length;
    this.#h[idx] = 0;
    if (m < 2) return;
    let mean = 0;
    for (let i = 0; i < m; i++) mean += w[i];
    mean /= m;
    let v = 0;
    for (let i = 0; i < m; i++) { const d = w[i] - mean; v += d * d; }
    const sd = Math.sqrt(v / (m - 1));
    if (!(sd > 0)) return;
    const iqr = quantileSorted(w, 0.75) - quantileSorted(w, 0.25);
    const h = 0.9 * (iqr > 0 ? Math.min(sd, iqr / 1.34) : sd) * detMath.pow(m, -0.2);
    this.#mean[idx] = mean;
    this.#shrink[idx] = 1 / Math.sqrt(1 + (h * h) / (sd * sd));
    this.#h[idx] = h;
  }
}
