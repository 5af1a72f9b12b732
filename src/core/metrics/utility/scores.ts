/** Scores of a model on a test set (sklearn's definitions). */

export function accuracy(truth: Int32Array, pred: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === pred[i]) ok++;
  return truth.length ? ok / truth.length : 0;
}

/** Macro F1 over the labels present in the truth or the predictions (sklearn f1_score average="macro"). */
export function macroF1(truth: Int32Array, pred: Int32Array): number {
  const labels = new Set<number>([...truth, ...pred]);
  if (labels.size === 0) return 0;
  let sum = 0;
  for (const c of labels) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (pred[i] === c && truth[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    const d = 2 * tp + fp + fn;
    sum += d ? (2 * tp) / d : 0;
  }
  return sum / labels.size;
}

/** ROC AUC of scores for positives vs negatives (Mann–Whitney, ties as half); null without both. */
export function rocAuc(positive: ArrayLike<boolean>, score: ArrayLike<number>): number | null {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let nPos = 0, rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // average rank of the tie group
    for (let k = i; k <= j; k++) {
      if (positive[order[k]]) {
        nPos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Mean one-vs-rest AUC over the classes present (with negatives) in the truth. */
export function macroAucOvR(truth: Int32Array, proba: Float64Array, nClasses: number): number | null {
  let sum = 0, k = 0;
  for (let c = 0; c < nClasses; c++) {
    const pos = Array.from(truth, (t) => t === c);
    const score = Array.from(truth, (_, i) => proba[i * nClasses + c]);
    const auc = rocAuc(pos, score);
    if (auc === null) continue;
    sum += auc;
    k++;
  }
  return k ? sum / k : null;
}

/** Coefficient of determination on the test set; 0 when the truth is constant. */
export function r2(truth: Float64Array, pred: Float64Array): number {
  let m = 0;
  for (const t of truth) m += t;
  m /= truth.length || 1;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < truth.length; i++) {
    ssRes += (truth[i] - pred[i]) ** 2;
    ssTot += (truth[i] - m) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : 0;
}

/** Most probable class per row (lowest index on ties). */
export function argmaxRows(proba: Float64Array, nClasses: number): Int32Array {
  const n = proba.length / nClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < nClasses; c++) if (proba[i * nClasses + c] > proba[i * nClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}
