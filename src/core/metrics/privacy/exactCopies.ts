/**
 * Exact copies: rows of the synthetic table (and, as the reference, of the holdout) identical to a
 * training row on every evaluated column, and those identical to a row that is unique in training.
 * Rows are hashed on typed arrays (no row strings), then compared value by value on a hash match.
 */
import type { AlignedTables, Part } from '../align';
import type { ExactCopies } from '../../report/types';
import { hashRow, sameRow } from '../../table/rowHash';

type Cols = (Float64Array | Int32Array)[];

/** Training rows grouped by identical values: lookup(row of other) → size of its group, 0 if none. */
export class TrainingRowIndex {
  readonly #cols: Cols;
  readonly #buckets = new Map<number, number[]>();
  readonly #groupSize: Int32Array;

  constructor(cols: Cols, nRows: number) {
    this.#cols = cols;
    this.#groupSize = new Int32Array(nRows);
    const representative = new Int32Array(nRows);
    for (let i = 0; i < nRows; i++) {
      const h = hashRow(cols, i); // collisions are resolved by comparing values
      let bucket = this.#buckets.get(h);
      if (!bucket) this.#buckets.set(h, (bucket = []));
      const rep = bucket.find((j) => sameRow(cols, i, cols, j));
      if (rep === undefined) {
        bucket.push(i);
        representative[i] = i;
      } else representative[i] = rep;
      this.#groupSize[representative[i]]++;
    }
  }

  /** How many training rows equal row `i` of `other` (0 = not a copy). */
  count(other: Cols, i: number): number {
    const bucket = this.#buckets.get(hashRow(other, i));
    if (!bucket) return 0;
    for (const j of bucket) if (sameRow(other, i, this.#cols, j)) return this.#groupSize[j];
    return 0;
  }
}

export function partColumns(a: AlignedTables, part: Part): Cols {
  return a.columns.map((c) => c[part]);
}

export function exactCopies(a: AlignedTables): ExactCopies {
  const index = new TrainingRowIndex(partColumns(a, 'train'), a.nTrain);
  const share = (part: Part, n: number) => {
    const cols = partColumns(a, part);
    let any = 0, unique = 0;
    for (let i = 0; i < n; i++) {
      const k = index.count(cols, i);
      if (k > 0) any++;
      if (k === 1) unique++;
    }
    return { any, unique, n: n || 1 };
  };
  const s = share('synthetic', a.nSynthetic), h = share('holdout', a.nHoldout);
  return {
    synthetic: s.any / s.n,
    holdout: h.any / h.n,
    uniqueSynthetic: s.unique / s.n,
    uniqueHoldout: h.unique / h.n,
    syntheticCount: s.any,
    uniqueSyntheticCount: s.unique,
  };
}
