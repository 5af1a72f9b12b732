import type { GrowProblem, GrowTarget } from './growTree';
import { NodeHistogram } from './histograms';
import type { PredictorView } from './tree';

/** Largest bins x classes histogram (Int32 entries, 32 MB). */
const MAX_CLASS_HISTOGRAM = 8_000_000;

/** The best split found so far at the current node. */
export class BestSplit {
  /** Impurity decrease; 0 when nothing beats "no split". */
  gain = 0;
  /** Column index of the predictor, -1 when none was found. */
  feature = -1;
  /** Ordered predictor: the last bin that goes left. */
  thresholdBin = 0;
  /** Ordered predictor: whether the missing bin goes left. */
  missingLeft = false;
  /** Rows that go left. */
  nLeft = 0;
  /** Categorical predictor: touched bins in the winning order; the first splitAt + 1 go left. */
  readonly binOrder: Int32Array;
  binOrderLength = 0;
  splitAt = 0;

  constructor(maxBins: number) {
    this.binOrder = new Int32Array(maxBins);
  }

  reset(): void {
    this.gain = 0;
    this.feature = -1;
  }

  record(gain: number, feature: number, nTouched: number, splitAt: number, thresholdBin: number, missingLeft: boolean, nLeft: number): void {
    this.gain = gain;
    this.feature = feature;
    this.thresholdBin = thresholdBin;
    this.missingLeft = missingLeft;
    this.nLeft = nLeft;
    this.splitAt = splitAt;
    this.binOrderLength = nTouched;
  }
}

/**
 * Split search over bin histograms. A gain is the impurity decrease, from the only terms that change
 * (regression, sum of squared deviations: S_L²/n_L + S_R²/n_R - S²/n; classification, n x Gini:
 * Σ_c L_c²/n_L + Σ_c R_c²/n_R - Σ_c T_c²/n).
 *
 * - numeric predictor: thresholds between ordered bins; rows with the predictor missing go to the
 *   side that gives the better split (a learned default direction, as in XGBoost), and "missing vs
 *   not" is itself a candidate split;
 * - categorical predictor: categories (missing being one more category) ordered by the target mean
 *   (regression) or by the share of one of the node's two most frequent classes (classification; for
 *   two classes this is exactly CART's optimal binary partition), then the best prefix split.
 */
export class SplitSearch {
  /** Predictors searched: all of them, except those whose class histogram would not fit in memory. */
  readonly predictors: readonly number[];
  readonly best: BestSplit;
  readonly #problem: GrowProblem;
  readonly #target: GrowTarget;
  readonly #histogram: NodeHistogram;
  /** Sort keys by bin (category order). */
  readonly #binKey: Float64Array;
  // Classification, per class: node total, rows left of the candidate split, rows with the predictor missing.
  readonly #classTotal: Float64Array;
  readonly #classLeft: Float64Array;
  readonly #classMissing: Float64Array;
  /** Classes present at the node, most frequent first (the first #nPresent entries). */
  readonly #presentClasses: Int32Array;
  #nPresent = 0;

  /** `target` is the problem's target with a regression target standardized. */
  constructor(problem: GrowProblem, target: GrowTarget) {
    this.#problem = problem;
    this.#target = target;
    const nClasses = target.kind === 'classification' ? target.nClasses : 0;
    // A bins x classes histogram of two high-cardinality categoricals could take gigabytes: such a
    // predictor is not split on (rare: rare categories are pooled before the engine sees them).
    this.predictors = problem.predictors.filter((f) => nClasses === 0 || problem.nBins[f] * nClasses <= MAX_CLASS_HISTOGRAM);
    let maxBins = 2;
    for (const f of this.predictors) maxBins = Math.max(maxBins, problem.nBins[f]);
    this.#histogram = new NodeHistogram(maxBins, target);
    this.#binKey = new Float64Array(maxBins);
    this.best = new BestSplit(maxBins);
    this.#classTotal = new Float64Array(nClasses);
    this.#classLeft = new Float64Array(nClasses);
    this.#classMissing = new Float64Array(nClasses);
    this.#presentClasses = new Int32Array(nClasses);
  }

  /**
   * Impurity of rows[start..end) (sum of squared deviations, or n x Gini). For classification it
   * also records the node's class totals and present classes, which the search of this node uses.
   */
  nodeImpurity(start: number, end: number): number {
    const rows = this.#problem.rows;
    const n = end - start;
    const target = this.#target;
    if (target.kind === 'regression') {
      const y = target.y;
      let s = 0, ss = 0;
      for (let i = start; i < end; i++) {
        const v = y[rows[i]];
        s += v;
        ss += v * v;
      }
      return Math.max(0, ss - (s * s) / n);
    }
    const total = this.#classTotal, cls = target.cls, present = this.#presentClasses;
    total.fill(0);
    for (let i = start; i < end; i++) total[cls[rows[i]]]++;
    let sq = 0;
    let nPresent = 0;
    for (let c = 0; c < target.nClasses; c++) {
      if (total[c] > 0) {
        present[nPresent++] = c;
        sq += total[c] * total[c];
      }
    }
    this.#nPresent = nPresent;
    // Most frequent classes first: categorical orderings key on the top two.
    if (nPresent > 2) sortByKey(present.subarray(0, nPresent), total, -1);
    return n - sq / n;
  }

  /** Searches every predictor for the best split of rows[start..end) (call nodeImpurity first); see `best`. */
  findBestSplit(start: number, end: number): BestSplit {
    this.best.reset();
    for (const f of this.predictors) {
      const view = this.#problem.views[f] as PredictorView;
      const nTouched = this.#histogram.fill(view.bins, this.#problem.rows, start, end);
      // One bin: every row on one side, nothing to split.
      if (nTouched > 1) {
        if (this.#target.kind === 'regression') this.#searchRegression(f, view, nTouched, end - start);
        else this.#searchClassification(f, view, nTouched, end - start);
      }
      this.#histogram.clear(nTouched, this.#presentClasses, this.#nPresent);
    }
    return this.best;
  }

  #searchRegression(f: number, view: PredictorView, nTouched: number, n: number): void {
    const { rowCount, targetSum, touched } = this.#histogram;
    const binKey = this.#binKey, bestSplit = this.best;
    const minLeaf = this.#problem.minLeaf;
    let s = 0;
    for (let t = 0; t < nTouched; t++) s += targetSum[touched[t]];
    const base = (s * s) / n;
    let best = bestSplit.gain;
    let improved = false;
    if (view.ordered) {
      const mb = view.missingBin;
      const nm = rowCount[mb], sm = targetSum[mb];
      const m = this.#histogram.orderValueBins(nTouched, mb);
      let nl = 0, sl = 0;
      for (let t = 0; t < m; t++) {
        const b = touched[t];
        nl += rowCount[b];
        sl += targetSum[b];
        const last = t === m - 1;
        if (last && nm === 0) break;
        // Missing right (for the last bin this is "observed vs missing").
        let nL = nl, sL = sl, nR = n - nl, sR = s - sl;
        if (nL >= minLeaf && nR >= minLeaf) {
          const gain = (sL * sL) / nL + (sR * sR) / nR - base;
          if (gain > best) {
            best = gain;
            improved = true;
            // No missing rows here: prediction-time missing values follow the larger side.
            bestSplit.record(gain, f, nTouched, t, b, nm === 0 ? nL >= nR : false, nL);
          }
        }
        // Missing left.
        if (nm > 0 && !last) {
          nL = nl + nm; sL = sl + sm; nR = n - nL; sR = s - sL;
          if (nL >= minLeaf && nR >= minLeaf) {
            const gain = (sL * sL) / nL + (sR * sR) / nR - base;
            if (gain > best) {
              best = gain;
              improved = true;
              bestSplit.record(gain, f, nTouched, t, b, true, nL);
            }
          }
        }
      }
    } else {
      for (let t = 0; t < nTouched; t++) binKey[touched[t]] = targetSum[touched[t]] / rowCount[touched[t]];
      const order = touched.subarray(0, nTouched);
      sortByKey(order, binKey, 1);
      let nl = 0, sl = 0;
      for (let t = 0; t < nTouched - 1; t++) {
        const b = order[t];
        nl += rowCount[b];
        sl += targetSum[b];
        const nR = n - nl, sR = s - sl;
        if (nl >= minLeaf && nR >= minLeaf) {
          const gain = (sl * sl) / nl + (sR * sR) / nR - base;
          if (gain > best) {
            best = gain;
            improved = true;
            bestSplit.record(gain, f, nTouched, t, -1, false, nl);
          }
        }
      }
    }
    if (improved) bestSplit.binOrder.set(touched.subarray(0, nTouched));
  }

  #searchClassification(f: number, view: PredictorView, nTouched: number, n: number): void {
    const { rowCount, classCount, touched, nClasses: C } = this.#histogram;
    const binKey = this.#binKey, bestSplit = this.best;
    const total = this.#classTotal, left = this.#classLeft, missing = this.#classMissing;
    const present = this.#presentClasses, nPresent = this.#nPresent;
    const minLeaf = this.#problem.minLeaf;
    let sqT = 0;
    for (let q = 0; q < nPresent; q++) sqT += total[present[q]] * total[present[q]];
    const base = sqT / n;
    let best = bestSplit.gain;
    let improved = false;
    if (view.ordered) {
      const mb = view.missingBin;
      const nm = rowCount[mb];
      for (let q = 0; q < nPresent; q++) {
        const c = present[q];
        left[c] = 0;
        missing[c] = classCount[mb * C + c];
      }
      const m = this.#histogram.orderValueBins(nTouched, mb);
      let nl = 0;
      for (let t = 0; t < m; t++) {
        const b = touched[t];
        nl += rowCount[b];
        for (let q = 0; q < nPresent; q++) left[present[q]] += classCount[b * C + present[q]];
        const last = t === m - 1;
        if (last && nm === 0) break;
        // Candidate a: missing right; candidate b: missing left.
        const nLa = nl, nRa = n - nl;
        const nLb = nl + nm, nRb = n - nLb;
        const okA = nLa >= minLeaf && nRa >= minLeaf;
        const okB = nm > 0 && !last && nLb >= minLeaf && nRb >= minLeaf;
        if (!okA && !okB) continue;
        let sqLa = 0, sqRa = 0, sqLb = 0, sqRb = 0;
        for (let q = 0; q < nPresent; q++) {
          const c = present[q];
          const l = left[c], r = total[c] - l, mc = missing[c];
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
            bestSplit.record(gain, f, nTouched, t, b, nm === 0 ? nLa >= nRa : false, nLa);
          }
        }
        if (okB) {
          const gain = sqLb / nLb + sqRb / nRb - base;
          if (gain > best) {
            best = gain;
            improved = true;
            bestSplit.record(gain, f, nTouched, t, b, true, nLb);
          }
        }
      }
      if (improved) bestSplit.binOrder.set(touched.subarray(0, nTouched));
      return;
    }
    // One ordering per key class: the node's most frequent class, and the second for 3+ classes.
    const nOrderings = nPresent > 2 ? 2 : 1;
    for (let o = 0; o < nOrderings; o++) {
      const keyClass = present[o];
      for (let t = 0; t < nTouched; t++) binKey[touched[t]] = classCount[touched[t] * C + keyClass] / rowCount[touched[t]];
      const order = touched.subarray(0, nTouched);
      sortByKey(order, binKey, 1);
      for (let q = 0; q < nPresent; q++) left[present[q]] = 0;
      let nl = 0, sqL = 0, sqR = sqT;
      let improvedHere = false;
      for (let t = 0; t < nTouched - 1; t++) {
        const b = order[t];
        nl += rowCount[b];
        // Incremental sums of squares: d rows of class c move from right to left.
        for (let q = 0; q < nPresent; q++) {
          const c = present[q];
          const d = classCount[b * C + c];
          if (d === 0) continue;
          const l = left[c], r = total[c] - l;
          sqL += 2 * l * d + d * d;
          sqR += -2 * r * d + d * d;
          left[c] = l + d;
        }
        const nR = n - nl;
        if (nl >= minLeaf && nR >= minLeaf) {
          const gain = sqL / nl + sqR / nR - base;
          if (gain > best) {
            best = gain;
            improvedHere = true;
            bestSplit.record(gain, f, nTouched, t, -1, false, nl);
          }
        }
      }
      // The order is re-sorted by the next key class: keep the winning one now.
      if (improvedHere) bestSplit.binOrder.set(order);
    }
  }
}

/**
 * Sorts indices by keys[index], ascending (direction 1) or descending (-1); insertion sort for the
 * small lists of most nodes.
 */
function sortByKey(idx: Int32Array, keys: Float64Array, direction: 1 | -1): void {
  const k = idx.length;
  if (k > 32) {
    idx.set(Array.from(idx).sort((x, y) => direction * (keys[x] - keys[y])));
    return;
  }
  for (let i = 1; i < k; i++) {
    const v = idx[i], kv = keys[v];
    let j = i - 1;
    while (j >= 0 && direction * (keys[idx[j]] - kv) > 0) {
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = v;
  }
}
