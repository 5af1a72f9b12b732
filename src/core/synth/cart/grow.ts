import type { PredictorView, Tree } from './tree';

/**
 * Histogram CART growth (rpart-like: Gini for classes, sum of squares for numbers, minimum leaf size,
 * complexity-parameter stopping, maximum depth) over binned predictors.
 *
 * Why our own code and not ml-cart: ml-cart sorts exact values at every node, has no missing values
 * and no subset splits on categories; it is far too slow for 50 k rows x 15 columns.
 *
 * Splits:
 * - numeric predictor: thresholds between ordered bins; rows with the predictor missing go to the side
 *   that gives the better split (a learned default direction, as in XGBoost), and "missing vs not" is
 *   itself a candidate split;
 * - categorical predictor: categories (missing being one more category) ordered by the target mean
 *   (regression) or by the share of one of the node's two most frequent classes (classification; for
 *   two classes this is exactly CART's optimal binary partition), then the best prefix split.
 * Histograms are built only over the bins present at a node (a touched list), so small nodes cost
 * O(rows) and not O(bins).
 */
export type GrowTarget =
  | { kind: 'regression'; y: Float64Array }
  | { kind: 'classification'; cls: Int32Array; nClasses: number };

export interface GrowProblem {
  /** Column indices the tree may split on. */
  predictors: number[];
  /** Binned columns by column index (at least the predictors). */
  views: (PredictorView | undefined)[];
  /** Bins per column by column index (incl. the missing bin). */
  nBins: number[];
  /** Rows to fit; reordered in place so that leaf l holds rows[leafStart[l] .. leafStart[l+1]). */
  rows: Int32Array;
  target: GrowTarget;
  minLeaf: number;
  cp: number;
  maxDepth: number;
}

export interface GrownTree {
  tree: Tree;
  leafStart: Int32Array;
}

/** Called after each node with the work done (rows x predictors); returns a promise when it is time to yield. */
/** Largest bins x classes histogram (Int32 entries, 32 MB). */
const MAX_CLASS_HISTOGRAM = 8_000_000;

export type WorkTick = (work: number) => Promise<void> | undefined;

export async function growTree(p: GrowProblem, tick: WorkTick): Promise<GrownTree> {
  const g = new Grower(p);
  return g.run(tick);
}

class Grower {
  readonly p: GrowProblem;
  readonly isReg: boolean;
  readonly C: number;
  readonly y: Float64Array; // standardized regression target by row (empty for classification)
  readonly cls: Int32Array;
  // scratch
  readonly hCnt: Float64Array;
  readonly hSum: Float64Array;
  readonly hCls: Int32Array;
  /** Predictors searched (those whose class histogram fits in memory). */
  readonly searched: number[];
  readonly touched: Int32Array;
  readonly keys: Float64Array;
  readonly tot: Float64Array;
  readonly L: Float64Array;
  readonly M: Float64Array;
  present: Int32Array;
  nPresent = 0;
  // best split of the current node
  bestGain = 0;
  bestFeature = -1;
  bestThreshold = 0;
  bestMissingLeft = false;
  bestNLeft = 0;
  bestOrder: Int32Array;
  bestOrderLen = 0;
  bestSplitAt = 0;
  // tree under construction
  feature: number[] = [];
  threshold: number[] = [];
  missingLeft: number[] = [];
  left: number[] = [];
  right: number[] = [];
  masks: number[] = [];
  leafStart: number[] = [];

  constructor(p: GrowProblem) {
    this.p = p;
    this.isReg = p.target.kind === 'regression';
    this.C = p.target.kind === 'classification' ? p.target.nClasses : 0;
    // a bins x classes histogram of two high-cardinality categoricals could take gigabytes: such a
    // predictor is not split on (rare: rare categories are pooled before the engine sees them)
    this.searched = p.predictors.filter((f) => this.C === 0 || p.nBins[f] * this.C <= MAX_CLASS_HISTOGRAM);
    let maxBins = 2;
    for (const f of this.searched) maxBins = Math.max(maxBins, p.nBins[f]);
    this.hCnt = new Float64Array(maxBins);
    this.hSum = new Float64Array(this.isReg ? maxBins : 0);
    this.hCls = new Int32Array(this.isReg ? 0 : maxBins * this.C);
    this.touched = new Int32Array(maxBins);
    this.keys = new Float64Array(maxBins);
    this.bestOrder = new Int32Array(maxBins);
    this.tot = new Float64Array(this.C);
    this.L = new Float64Array(this.C);
    this.M = new Float64Array(this.C);
    this.present = new Int32Array(this.C);
    if (p.target.kind === 'regression') {
      this.y = standardize(p.target.y, p.rows);
      this.cls = new Int32Array(0);
    } else {
      this.y = new Float64Array(0);
      this.cls = p.target.cls;
    }
  }

  async run(tick: WorkTick): Promise<GrownTree> {
    const { rows, minLeaf, maxDepth, cp } = this.p;
    const predictors = this.searched;
    const minSplit = 3 * minLeaf; // rpart's default when only minbucket is set
    // stack of [node, start, end, depth]
    const stack: number[] = [this.newNode(), 0, rows.length, 0];
    let minGain = 0;
    let rootDone = false;
    while (stack.length > 0) {
      const depth = stack.pop() as number;
      const end = stack.pop() as number;
      const start = stack.pop() as number;
      const node = stack.pop() as number;
      const n = end - start;
      const impurity = this.nodeImpurity(start, end);
      if (!rootDone) {
        minGain = Math.max(cp, 1e-10) * impurity;
        rootDone = true;
      }
      let split = false;
      if (n >= minSplit && depth < maxDepth && impurity > 1e-12 * n && predictors.length > 0) {
        this.findBestSplit(start, end);
        split = this.bestFeature >= 0 && this.bestGain > minGain;
        const t = tick(n * predictors.length);
        if (t) await t;
      }
      if (!split) {
        this.threshold[node] = this.leafStart.length;
        this.leafStart.push(start);
        continue;
      }
      const mid = this.applySplit(node, start, end);
      const l = this.newNode();
      const r = this.newNode();
      this.left[node] = l;
      this.right[node] = r;
      // right pushed first so that the left subtree is finished first: leaves come out in row order
      stack.push(r, mid, end, depth + 1, l, start, mid, depth + 1);
    }
    this.leafStart.push(rows.length);
    return {
      tree: {
        feature: Int32Array.from(this.feature),
        threshold: Int32Array.from(this.threshold),
        missingLeft: Uint8Array.from(this.missingLeft),
        left: Int32Array.from(this.left),
        right: Int32Array.from(this.right),
        masks: Uint8Array.from(this.masks),
        nLeaves: this.leafStart.length - 1,
      },
      leafStart: Int32Array.from(this.leafStart),
    };
  }

  newNode(): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    return this.feature.length - 1;
  }

  /** Node impurity (SSE or n x Gini); for classification also fills tot and the present-class list. */
  nodeImpurity(start: number, end: number): number {
    const rows = this.p.rows;
    const n = end - start;
    if (this.isReg) {
      const y = this.y;
      let s = 0, ss = 0;
      for (let i = start; i < end; i++) {
        const v = y[rows[i]];
        s += v;
        ss += v * v;
      }
      return Math.max(0, ss - (s * s) / n);
    }
    const { tot, cls } = this;
    tot.fill(0);
    for (let i = start; i < end; i++) tot[cls[rows[i]]]++;
    let sq = 0;
    this.nPresent = 0;
    for (let c = 0; c < this.C; c++) {
      if (tot[c] > 0) {
        this.present[this.nPresent++] = c;
        sq += tot[c] * tot[c];
      }
    }
    // most frequent classes first (ordering keys use the top two)
    const pr = this.present.subarray(0, this.nPresent);
    if (this.nPresent > 2) sortByKeyDesc(pr, tot);
    return n - sq / n;
  }

  findBestSplit(start: number, end: number): void {
    this.bestGain = 0;
    this.bestFeature = -1;
    for (const f of this.searched) {
      if (this.isReg) this.searchRegression(f, start, end);
      else this.searchClassification(f, start, end);
    }
  }

  /** Histogram of the node over predictor f; returns the number of touched bins. */
  histogram(f: number, start: number, end: number): number {
    const { rows } = this.p;
    const bins = (this.p.views[f] as PredictorView).bins;
    const { hCnt, touched } = this;
    let k = 0;
    if (this.isReg) {
      const { hSum, y } = this;
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const b = bins[r];
        if (hCnt[b] === 0) touched[k++] = b;
        hCnt[b]++;
        hSum[b] += y[r];
      }
    } else {
      const { hCls, cls, C } = this;
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const b = bins[r];
        if (hCnt[b] === 0) touched[k++] = b;
        hCnt[b]++;
        hCls[b * C + cls[r]]++;
      }
    }
    return k;
  }

  clearHistogram(k: number): void {
    const { hCnt, touched } = this;
    if (this.isReg) {
      for (let t = 0; t < k; t++) {
        hCnt[touched[t]] = 0;
        this.hSum[touched[t]] = 0;
      }
    } else {
      const { hCls, C, present, nPresent } = this;
      for (let t = 0; t < k; t++) {
        const b = touched[t];
        hCnt[b] = 0;
        for (let q = 0; q < nPresent; q++) hCls[b * C + present[q]] = 0;
      }
    }
  }

  /**
   * Puts the non-missing touched bins in ascending order first; returns their count m. The missing
   * bin, if touched, is moved to position m.
   */
  orderNumericBins(k: number, missingBin: number): number {
    const touched = this.touched;
    let m = 0;
    let hasMissing = false;
    for (let t = 0; t < k; t++) {
      if (touched[t] === missingBin) hasMissing = true;
      else touched[m++] = touched[t];
    }
    touched.subarray(0, m).sort();
    if (hasMissing) touched[m] = missingBin;
    return m;
  }

  recordBest(gain: number, f: number, k: number, splitAt: number, thresholdBin: number, missingLeft: boolean, nLeft: number): void {
    this.bestGain = gain;
    this.bestFeature = f;
    this.bestThreshold = thresholdBin;
    this.bestMissingLeft = missingLeft;
    this.bestNLeft = nLeft;
    this.bestSplitAt = splitAt;
    this.bestOrderLen = k;
  }

  searchRegression(f: number, start: number, end: number): void {
    const view = this.p.views[f] as PredictorView;
    const k = this.histogram(f, start, end);
    if (k > 1) {
      const { hCnt, hSum, touched, keys } = this;
      const minLeaf = this.p.minLeaf;
      const n = end - start;
      let s = 0;
      for (let t = 0; t < k; t++) s += hSum[touched[t]];
      const base = (s * s) / n;
      let best = this.bestGain;
      let improved = false;
      if (view.ordered) {
        const mb = view.missingBin;
        const nm = hCnt[mb], sm = hSum[mb];
        const m = this.orderNumericBins(k, mb);
        let nl = 0, sl = 0;
        for (let t = 0; t < m; t++) {
          const b = touched[t];
          nl += hCnt[b];
          sl += hSum[b];
          const last = t === m - 1;
          if (last && nm === 0) break;
          // missing right (for the last bin: "observed vs missing")
          let nL = nl, sL = sl, nR = n - nl, sR = s - sl;
          if (nL >= minLeaf && nR >= minLeaf) {
            const gain = (sL * sL) / nL + (sR * sR) / nR - base;
            if (gain > best) {
              best = gain;
              improved = true;
              this.recordBest(gain, f, k, t, b, nm === 0 ? nL >= nR : false, nL);
            }
          }
          if (nm > 0 && !last) {
            nL = nl + nm; sL = sl + sm; nR = n - nL; sR = s - sL;
            if (nL >= minLeaf && nR >= minLeaf) {
              const gain = (sL * sL) / nL + (sR * sR) / nR - base;
              if (gain > best) {
                best = gain;
                improved = true;
                this.recordBest(gain, f, k, t, b, true, nL);
              }
            }
          }
        }
      } else {
        for (let t = 0; t < k; t++) keys[touched[t]] = hSum[touched[t]] / hCnt[touched[t]];
        const order = touched.subarray(0, k);
        sortByKeyAsc(order, keys);
        let nl = 0, sl = 0;
        for (let t = 0; t < k - 1; t++) {
          const b = order[t];
          nl += hCnt[b];
          sl += hSum[b];
          const nR = n - nl, sR = s - sl;
          if (nl >= minLeaf && nR >= minLeaf) {
            const gain = (sl * sl) / nl + (sR * sR) / nR - base;
            if (gain > best) {
              best = gain;
              improved = true;
              this.recordBest(gain, f, k, t, -1, false, nl);
            }
          }
        }
      }
      if (improved) this.bestOrder.set(touched.subarray(0, k));
    }
    this.clearHistogram(k);
  }

  searchClassification(f: number, start: number, end: number): void {
    const view = this.p.views[f] as PredictorView;
    const k = this.histogram(f, start, end);
    if (k > 1) {
      const { hCnt, hCls, touched, keys, tot, L, M, C, present, nPresent } = this;
      const minLeaf = this.p.minLeaf;
      const n = end - start;
      let sqT = 0;
      for (let q = 0; q < nPresent; q++) sqT += tot[present[q]] * tot[present[q]];
      const base = sqT / n;
      let best = this.bestGain;
      let improved = false;
      if (view.ordered) {
        const mb = view.missingBin;
        const nm = hCnt[mb];
        for (let q = 0; q < nPresent; q++) {
          const c = present[q];
          L[c] = 0;
          M[c] = hCls[mb * C + c];
        }
        const m = this.orderNumericBins(k, mb);
        let nl = 0;
        for (let t = 0; t < m; t++) {
          const b = touched[t];
          nl += hCnt[b];
          for (let q = 0; q < nPresent; q++) L[present[q]] += hCls[b * C + present[q]];
          const last = t === m - 1;
          if (last && nm === 0) break;
          const nLa = nl, nRa = n - nl;
          const nLb = nl + nm, nRb = n - nLb;
          const okA = nLa >= minLeaf && nRa >= minLeaf;
          const okB = nm > 0 && !last && nLb >= minLeaf && nRb >= minLeaf;
          if (!okA && !okB) continue;
          let sqLa = 0, sqRa = 0, sqLb = 0, sqRb = 0;
          for (let q = 0; q < nPresent; q++) {
            const c = present[q];
            const l = L[c], r = tot[c] - l, mc = M[c];
            sqLa += l * l;
            sqRa += r * r;
            sqLb += (l + mc) * (l + mc);
            sqRb += (r - mc) * (r - mc);
          }
          if (okA) {
            const gain = sqLa / nLa + sqRa / nRa - base;
            if (gain > best) {
              best = gain;
              improved = true;
              this.recordBest(gain, f, k, t, b, nm === 0 ? nLa >= nRa : false, nLa);
            }
          }
          if (okB) {
            const gain = sqLb / nLb + sqRb / nRb - base;
            if (gain > best) {
              best = gain;
              improved = true;
              this.recordBest(gain, f, k, t, b, true, nLb);
            }
          }
        }
        if (improved) this.bestOrder.set(touched.subarray(0, k));
      } else {
        // one ordering per key class: the node's most frequent class, and the second for 3+ classes
        const nOrderings = nPresent > 2 ? 2 : 1;
        for (let o = 0; o < nOrderings; o++) {
          const keyClass = present[o];
          for (let t = 0; t < k; t++) keys[touched[t]] = hCls[touched[t] * C + keyClass] / hCnt[touched[t]];
          const order = touched.subarray(0, k);
          sortByKeyAsc(order, keys);
          for (let q = 0; q < nPresent; q++) L[present[q]] = 0;
          let nl = 0, sqL = 0, sqR = sqT;
          let improvedHere = false;
          for (let t = 0; t < k - 1; t++) {
            const b = order[t];
            nl += hCnt[b];
            // incremental sums of squares: moving count d of class c from right to left
            for (let q = 0; q < nPresent; q++) {
              const c = present[q];
              const d = hCls[b * C + c];
              if (d === 0) continue;
              const l = L[c], r = tot[c] - l;
              sqL += 2 * l * d + d * d;
              sqR += -2 * r * d + d * d;
              L[c] = l + d;
            }
            const nR = n - nl;
            if (nl >= minLeaf && nR >= minLeaf) {
              const gain = sqL / nl + sqR / nR - base;
              if (gain > best) {
                best = gain;
                improvedHere = true;
                this.recordBest(gain, f, k, t, -1, false, nl);
              }
            }
          }
          if (improvedHere) {
            improved = true;
            this.bestOrder.set(order);
          }
        }
      }
    }
    this.clearHistogram(k);
  }

  /** Writes the best split into the node and partitions its rows; returns the first right row. */
  applySplit(node: number, start: number, end: number): number {
    const f = this.bestFeature;
    const view = this.p.views[f] as PredictorView;
    const bins = view.bins;
    const rows = this.p.rows;
    const n = end - start;
    this.feature[node] = f;
    let i = start, j = end - 1;
    if (view.ordered) {
      const thr = this.bestThreshold, mb = view.missingBin, ml = this.bestMissingLeft;
      this.threshold[node] = thr;
      this.missingLeft[node] = ml ? 1 : 0;
      while (i <= j) {
        const b = bins[rows[i]];
        if (b === mb ? ml : b <= thr) i++;
        else {
          const t = rows[i];
          rows[i] = rows[j];
          rows[j--] = t;
        }
      }
    } else {
      // bin mask: the best ordering's prefix goes left; bins unseen here follow the larger child
      const nb = this.p.nBins[f];
      const offset = this.masks.length;
      const unseen = this.bestNLeft >= n - this.bestNLeft ? 1 : 0;
      for (let b = 0; b < nb; b++) this.masks.push(unseen);
      for (let t = 0; t < this.bestOrderLen; t++) this.masks[offset + this.bestOrder[t]] = t <= this.bestSplitAt ? 1 : 0;
      this.threshold[node] = offset;
      const masks = this.masks;
      while (i <= j) {
        if (masks[offset + bins[rows[i]]] === 1) i++;
        else {
          const t = rows[i];
          rows[i] = rows[j];
          rows[j--] = t;
        }
      }
    }
    return i;
  }
}

/** (y - mean) / sd over the fitted rows, so that gains are well conditioned (dates in ms, money...). */
function standardize(y: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(y.length);
  const n = rows.length;
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[rows[i]];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) { const d = y[rows[i]] - mean; v += d * d; }
  const sd = Math.sqrt(v / n) || 1;
  for (let i = 0; i < n; i++) out[rows[i]] = (y[rows[i]] - mean) / sd;
  return out;
}

/** Sorts indices by keys[index] ascending (insertion sort for the small lists of most nodes). */
export function sortByKeyAsc(idx: Int32Array, keys: Float64Array): void {
  const k = idx.length;
  if (k > 32) {
    const a = Array.from(idx).sort((x, y) => keys[x] - keys[y]);
    idx.set(a);
    return;
  }
  for (let i = 1; i < k; i++) {
    const v = idx[i], kv = keys[v];
    let j = i - 1;
    while (j >= 0 && keys[idx[j]] > kv) {
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = v;
  }
}

function sortByKeyDesc(idx: Int32Array, keys: Float64Array): void {
  const k = idx.length;
  if (k > 32) {
    idx.set(Array.from(idx).sort((x, y) => keys[y] - keys[x]));
    return;
  }
  for (let i = 1; i < k; i++) {
    const v = idx[i], kv = keys[v];
    let j = i - 1;
    while (j >= 0 && keys[idx[j]] < kv) {
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = v;
  }
}
