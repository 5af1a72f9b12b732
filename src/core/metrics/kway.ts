/**
 * k-way accuracy (MOSTLY AI QA): 1 − TVD of the 1-, 2- and 3-way joint distributions after
 * discretising (numerics in 10 quantile bins of the real column, categories top 10 + other),
 * averaged over column combinations. Scored for the synthetic table and for the holdout, whose
 * score is the ceiling a perfect generator reaches.
 */
import type { AlignedColumn } from './align';
import { accuracyBins } from './discretize';
import { columnCombinations } from './combinations';
import type { Rng } from '../random/rng';

/** Combinations scored per k at most (as the judge: 300 for k ≤ 2, 200 for k = 3). */
export const MAX_COMBINATIONS = [300, 300, 200] as const;

export interface BinnedParts {
  /** Per column: codes of [train, other...]. */
  codes: Int32Array[][];
  nCodes: number[];
}

export function binForAccuracy(columns: AlignedColumn[], others: (c: AlignedColumn) => (Float64Array | Int32Array)[]): BinnedParts {
  const codes: Int32Array[][] = [], nCodes: number[] = [];
  for (const c of columns) {
    const d = accuracyBins(c, [c.train, ...others(c)]);
    codes.push(d.codes);
    nCodes.push(d.nCodes);
  }
  return { codes, nCodes };
}

/** 1 − TVD between part 0 (real) and part `p` over the joint cells of the given columns. */
export function comboAccuracy(b: BinnedParts, combo: number[], p: number): number {
  let size = 1;
  for (const c of combo) size *= b.nCodes[c];
  const real = new Float64Array(size), other = new Float64Array(size);
  accumulate(b, combo, 0, real);
  accumulate(b, combo, p, other);
  const nr = b.codes[combo[0]][0].length, no = b.codes[combo[0]][p].length;
  if (nr === 0 || no === 0) return 0;
  let s = 0;
  for (let i = 0; i < size; i++) s += Math.abs(real[i] / nr - other[i] / no);
  return 1 - s / 2;
}

function accumulate(b: BinnedParts, combo: number[], p: number, out: Float64Array): void {
  const cols = combo.map((c) => b.codes[c][p]);
  const radix = combo.map((c) => b.nCodes[c]);
  const n = cols[0].length;
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (let j = 0; j < cols.length; j++) key = key * radix[j] + cols[j][i];
    out[key]++;
  }
}

export interface AccuracyResult {
  /** Mean over combinations for each compared part (index 1.. of the binned parts). */
  means: (number | null)[][];
  combinations: [number, number, number];
}

/** Mean accuracy for k = 1, 2, 3 of every compared part against part 0. */
export function kWayAccuracy(b: BinnedParts, nParts: number, rng: Rng): AccuracyResult {
  const nCols = b.codes.length;
  const means: (number | null)[][] = Array.from({ length: nParts }, () => [null, null, null]);
  const counts: [number, number, number] = [0, 0, 0];
  for (let k = 1; k <= 3; k++) {
    const combos = columnCombinations(nCols, k, MAX_COMBINATIONS[k - 1], rng.fork(`k${k}`));
    counts[k - 1] = combos.length;
    if (combos.length === 0) continue;
    for (let p = 1; p <= nParts; p++) {
      let s = 0;
      for (const combo of combos) s += comboAccuracy(b, combo, p);
      means[p - 1][k - 1] = s / combos.length;
    }
  }
  return { means, combinations: counts };
}
