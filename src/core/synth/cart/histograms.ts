import type { GrowTarget } from './growTree';

/**
 * One node's histogram over one binned predictor: rows per bin, and per bin the target's sum
 * (regression) or its class counts (classification). The scratch arrays are allocated once per tree
 * and reused for every node and predictor; only the bins present at the node are recorded (the
 * touched list) and cleared afterwards, so a small node costs O(rows) and not O(bins).
 */
export class NodeHistogram {
  /** Rows per bin. */
  readonly rowCount: Float64Array;
  /** Regression: sum of the target per bin (empty for classification). */
  readonly targetSum: Float64Array;
  /** Classification: count of class c in bin b at [b * nClasses + c] (empty for regression). */
  readonly classCount: Int32Array;
  /** The bins present at the node (the first `nTouched` entries), in first-seen order until reordered. */
  readonly touched: Int32Array;
  readonly nClasses: number;
  readonly #target: GrowTarget;

  /** `target.y` is what gets summed: the grower passes the standardized regression target. */
  constructor(maxBins: number, target: GrowTarget) {
    this.#target = target;
    const regression = target.kind === 'regression';
    this.nClasses = target.kind === 'classification' ? target.nClasses : 0;
    this.rowCount = new Float64Array(maxBins);
    this.targetSum = new Float64Array(regression ? maxBins : 0);
    this.classCount = new Int32Array(regression ? 0 : maxBins * this.nClasses);
    this.touched = new Int32Array(maxBins);
  }

  /** Counts rows[start..end) into their bins; returns the number of touched bins. */
  fill(bins: Uint16Array, rows: Int32Array, start: number, end: number): number {
    const rowCount = this.rowCount, touched = this.touched;
    let nTouched = 0;
    if (this.#target.kind === 'regression') {
      const y = this.#target.y, targetSum = this.targetSum;
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const b = bins[r];
        if (rowCount[b] === 0) touched[nTouched++] = b;
        rowCount[b]++;
        targetSum[b] += y[r];
      }
    } else {
      const cls = this.#target.cls, classCount = this.classCount, C = this.nClasses;
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const b = bins[r];
        if (rowCount[b] === 0) touched[nTouched++] = b;
        rowCount[b]++;
        classCount[b * C + cls[r]]++;
      }
    }
    return nTouched;
  }

  /**
   * Zeroes the touched bins for the next predictor. Classification only clears the classes present
   * at the node (`presentClasses[0..nPresent)`): the others were never incremented.
   */
  clear(nTouched: number, presentClasses: Int32Array, nPresent: number): void {
    const rowCount = this.rowCount, touched = this.touched;
    if (this.#target.kind === 'regression') {
      const targetSum = this.targetSum;
      for (let t = 0; t < nTouched; t++) {
        rowCount[touched[t]] = 0;
        targetSum[touched[t]] = 0;
      }
    } else {
      const classCount = this.classCount, C = this.nClasses;
      for (let t = 0; t < nTouched; t++) {
        const b = touched[t];
        rowCount[b] = 0;
        for (let q = 0; q < nPresent; q++) classCount[b * C + presentClasses[q]] = 0;
      }
    }
  }

  /**
   * For an ordered predictor: puts the touched value bins first in ascending order and returns their
   * count m; the missing bin, if touched, moves to position m.
   */
  orderValueBins(nTouched: number, missingBin: number): number {
    const touched = this.touched;
    let m = 0;
    let hasMissing = false;
    for (let t = 0; t < nTouched; t++) {
      if (touched[t] === missingBin) hasMissing = true;
      else touched[m++] = touched[t];
    }
    touched.subarray(0, m).sort();
    if (hasMissing) touched[m] = missingBin;
    return m;
  }
}
