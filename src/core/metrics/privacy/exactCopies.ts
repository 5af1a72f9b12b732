/**
 * Exact copies: rows of the synthetic table (and, as the reference, of the holdout) identical to a
 * training row on every evaluated column, and those identical to a row that is unique in training.
 * Rows are hashed on typed arrays (no row strings), then compared value by value on a hash match.
 */
import type { AlignedTables, Part } from '../align';
import type { ExactCopies } from '../../report/types';

type Cols = (Float64Array | Int32Array)[];

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function rowHash(cols: Cols, i: number): number {
  let h1 = 0x811c9dc5, h2 = 0x9e3779b9;
  for (const c of cols) {
    let lo: number, hi: number;
    if (c instanceof Float64Array) {
      const x = c[i];
      f64[0] = Number.isNaN(x) ? NaN : x === 0 ? 0 : x; // one NaN, one zero
      lo = u32[0];
      hi = u32[1];
    } else {
      lo = c[i];
      hi = 0x5bd1e995;
    }
    h1 = Math.imul(h1 ^ lo, 0x01000193) ^ hi;
    h2 = Math.imul(h2 ^ hi, 0x85ebca6b) ^ Math.imul(lo, 0xc2b2ae35);
  }
  // 53 bits: enough that collisions are rare; they are resolved by comparing values anyway.
  return (h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff);
}

function sameRow(a: Cols, i: number, b: Cols, j: number): boolean {
  for (let k = 0; k < a.length; k++) {
    const x = a[k][i], y = b[k][j];
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

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
      const h = rowHash(cols, i);
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
    const bucket = this.#buckets.get(rowHash(other, i));
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
