/**
 * A small random forest on binned features (CART trees, gini or variance, bootstrap rows, √p
 * features tried per split), for TSTR/TRTR and the discriminator.
 *
 * Written here rather than taken from ml-random-forest: that library's split search re-scans every
 * row for every candidate threshold (O(n²) per node; 13 s for 20 trees on 2 000 rows x 15 columns
 * on this machine, so minutes for the report), and its predictProbability sums from the wrong
 * initial value. Here a node costs one pass over its rows per tried feature (bin histograms).
 */
import type { Rng } from '../../random/rng';

export interface ForestOptions {
  task: 'classification' | 'regression';
  /** Classes are 0..nClasses-1 (classification). */
  nClasses: number;
  nTrees: number;
  maxDepth: number;
  minLeaf: number;
  /** Features tried per split; default √p. */
  mtry?: number;
}

export const DEFAULT_FOREST: Omit<ForestOptions, 'task' | 'nClasses'> = { nTrees: 30, maxDepth: 12, minLeaf: 3 };

/** Bin masks are 32-bit: a feature has at most 32 bins. */
interface Tree {
  feature: Int32Array;
  /** Bit b set = rows in bin b go left. */
  mask: Uint32Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf: offset into `values` (nOut numbers); internal node: -1. */
  leaf: Int32Array;
  values: Float64Array;
}

export interface Forest {
  trees: Tree[];
  nOut: number;
}

export interface BinnedData {
  /** One Uint8Array of bin codes per feature. */
  x: Uint8Array[];
  nBins: number[];
  ordered: boolean[];
  nRows: number;
}

export function fitForest(data: BinnedData, y: Float64Array | Int32Array, opts: ForestOptions, rng: Rng): Forest {
  const p = data.x.length;
  const mtry = Math.max(1, Math.min(p, opts.mtry ?? Math.round(Math.sqrt(p))));
  const nOut = opts.task === 'classification' ? opts.nClasses : 1;
  // One element type for targets (class codes as floats) keeps the hot loops monomorphic.
  const yf = y instanceof Float64Array ? y : Float64Array.from(y);
  const trees: Tree[] = [];
  for (let t = 0; t < opts.nTrees; t++) {
    const idx = new Int32Array(data.nRows);
    for (let i = 0; i < idx.length; i++) idx[i] = rng.int(data.nRows);
    trees.push(new TreeBuilder(data, yf, opts, nOut, mtry, rng).build(idx));
  }
  return { trees, nOut };
}

/** Per row: class probabilities (row-major, nClasses each) or the predicted value. */
export function predictForest(f: Forest, data: BinnedData): Float64Array {
  const out = new Float64Array(data.nRows * f.nOut);
  for (const t of f.trees) {
    for (let i = 0; i < data.nRows; i++) {
      let node = 0;
      while (t.leaf[node] < 0) node = (t.mask[node] >>> data.x[t.feature[node]][i]) & 1 ? t.left[node] : t.right[node];
      const o = t.leaf[node];
      for (let k = 0; k < f.nOut; k++) out[i * f.nOut + k] += t.values[o + k];
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= f.trees.length;
  return out;
}

class TreeBuilder {
  feature: number[] = [];
  mask: number[] = [];
  left: number[] = [];
  right: number[] = [];
  leaf: number[] = [];
  values: number[] = [];
  readonly #hist: Float64Array;
  readonly #order = new Int32Array(32);
  readonly #stat = new Float64Array(32);
  readonly #binN = new Float64Array(32);
  readonly #total: Float64Array;
  readonly #left: Float64Array;
  readonly #local: Int32Array;
  readonly #feats: Int32Array;

  constructor(
    readonly data: BinnedData,
    readonly y: Float64Array,
    readonly opts: ForestOptions,
    readonly nOut: number,
    readonly mtry: number,
    readonly rng: Rng,
  ) {
    // Classification: counts per (bin, class); regression: count, sum, sum of squares per bin.
    this.#hist = new Float64Array(32 * Math.max(3, nOut));
    this.#total = new Float64Array(Math.max(3, nOut));
    this.#left = new Float64Array(Math.max(3, nOut));
    this.#local = new Int32Array(nOut);
    this.#feats = new Int32Array(data.x.length);
  }

  build(idx: Int32Array): Tree {
    this.node(idx, 0, idx.length, 0);
    return {
      feature: Int32Array.from(this.feature), mask: Uint32Array.from(this.mask), left: Int32Array.from(this.left),
      right: Int32Array.from(this.right), leaf: Int32Array.from(this.leaf), values: Float64Array.from(this.values),
    };
  }

  node(idx: Int32Array, lo: number, hi: number, depth: number): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.mask.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.leaf.push(-1);
    const split = depth < this.opts.maxDepth && hi - lo >= 2 * this.opts.minLeaf ? this.bestSplit(idx, lo, hi) : null;
    if (!split) {
      this.leaf[id] = this.values.length;
      this.values.push(...this.leafValue(idx, lo, hi));
      return id;
    }
    // Partition rows in place: left-going rows first.
    const x = this.data.x[split.feature];
    let i = lo, j = hi - 1;
    while (i <= j) {
      if ((split.mask >>> x[idx[i]]) & 1) i++;
      else {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        j--;
      }
    }
    this.feature[id] = split.feature;
    this.mask[id] = split.mask;
    this.left[id] = this.node(idx, lo, i, depth + 1);
    this.right[id] = this.node(idx, i, hi, depth + 1);
    return id;
  }

  leafValue(idx: Int32Array, lo: number, hi: number): number[] {
    const n = hi - lo;
    if (this.opts.task === 'regression') {
      let s = 0;
      for (let i = lo; i < hi; i++) s += this.y[idx[i]];
      return [s / n];
    }
    const v = new Array<number>(this.nOut).fill(0);
    for (let i = lo; i < hi; i++) v[this.y[idx[i]]] += 1 / n;
    return v;
  }

  bestSplit(idx: Int32Array, lo: number, hi: number): { feature: number; mask: number } | null {
    const p = this.data.x.length, n = hi - lo, C = this.nOut, cls = this.opts.task === 'classification';
    const minLeaf = this.opts.minLeaf;
    // Node totals. Classes are renumbered densely among those present in the node, so deep nodes
    // of a many-class target cost a few classes, not all of them.
    const loc = this.#local;
    let w = 3;
    const total = this.#total;
    if (cls) {
      total.fill(0, 0, C);
      for (let i = lo; i < hi; i++) total[this.y[idx[i]]]++;
      w = 0;
      for (let k = 0; k < C; k++) {
        if (total[k] > 0) {
          total[w] = total[k];
          loc[k] = w++;
        }
      }
      if (w < 2) return null; // pure node
    } else {
      total[0] = total[1] = total[2] = 0;
      for (let i = lo; i < hi; i++) {
        const yi = this.y[idx[i]];
        total[0]++;
        total[1] += yi;
        total[2] += yi * yi;
      }
    }
    const parentImpurity = cls ? gini(total, w, n) : total[2] - (total[1] * total[1]) / n;
    if (parentImpurity <= 1e-12) return null;
    let majority = 0;
    if (cls) for (let k = 1; k < w; k++) if (total[k] > total[majority]) majority = k;

    // Try mtry features drawn without replacement (partial shuffle of the feature list).
    const feats = this.#feats;
    for (let i = 0; i < p; i++) feats[i] = i;
    let best: { feature: number; mask: number } | null = null;
    let bestGain = 1e-12;
    const h = this.#hist, order = this.#order, stat = this.#stat, leftAcc = this.#left, binN = this.#binN;
    for (let f = 0; f < this.mtry; f++) {
      const r = f + this.rng.int(p - f);
      const feature = feats[r];
      feats[r] = feats[f];
      feats[f] = feature;
      const x = this.data.x[feature], nb = this.data.nBins[feature];
      h.fill(0, 0, nb * w);
      binN.fill(0, 0, nb);
      if (cls) {
        for (let i = lo; i < hi; i++) {
          const row = idx[i], b = x[row];
          h[b * w + loc[this.y[row]]]++;
          binN[b]++;
        }
      } else {
        for (let i = lo; i < hi; i++) {
          const row = idx[i], b = x[row] * 3, yi = this.y[row];
          h[b]++;
          h[b + 1] += yi;
          h[b + 2] += yi * yi;
        }
        for (let b = 0; b < nb; b++) binN[b] = h[b * 3];
      }
      // Bin order: as is for numbers; for categories by the mean target (or the share of the node's
      // majority class), which makes the best prefix split the best two-group split (Breiman).
      let m = 0;
      for (let b = 0; b < nb; b++) {
        if (binN[b] === 0) continue;
        order[m++] = b;
        stat[b] = cls ? h[b * w + majority] / binN[b] : h[b * 3 + 1] / binN[b];
      }
      if (m < 2) continue;
      if (!this.data.ordered[feature]) sortByStat(order, m, stat);
      leftAcc.fill(0, 0, w);
      let nLeft = 0, mask = 0;
      for (let s = 0; s < m - 1; s++) {
        const b = order[s];
        mask |= 1 << b;
        for (let k = 0; k < w; k++) leftAcc[k] += h[b * w + k];
        nLeft += binN[b];
        const nRight = n - nLeft;
        if (nLeft < minLeaf || nRight < minLeaf) continue;
        let impurity: number;
        if (cls) {
          let gl = 0, gr = 0;
          for (let k = 0; k < w; k++) {
            const l = leftAcc[k], rr = total[k] - l;
            gl += l * l;
            gr += rr * rr;
          }
          // Weighted gini: nL·(1 − Σ(l/nL)²) + nR·(1 − Σ(r/nR)²), per row.
          impurity = (nLeft - gl / nLeft + (nRight - gr / nRight)) / n;
        } else {
          const sl = leftAcc[1], sr = total[1] - sl;
          impurity = leftAcc[2] - (sl * sl) / nLeft + (total[2] - leftAcc[2]) - (sr * sr) / nRight;
        }
        const gain = parentImpurity - impurity;
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature, mask: mask >>> 0 };
        }
      }
    }
    return best;
  }
}

function gini(counts: Float64Array, w: number, n: number): number {
  let s = 0;
  for (let k = 0; k < w; k++) s += counts[k] * counts[k];
  return 1 - s / (n * n);
}

function sortByStat(order: Int32Array, m: number, stat: Float64Array): void {
  // Insertion sort: at most 32 bins.
  for (let i = 1; i < m; i++) {
    const v = order[i];
    let j = i - 1;
    while (j >= 0 && stat[order[j]] > stat[v]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = v;
  }
}
