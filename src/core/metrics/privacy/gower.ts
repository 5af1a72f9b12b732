/**
 * Gower distance on typed arrays, built for nearest-record searches of a few thousand rows.
 *
 * Every column is encoded as one float so that the per-column distance is min(|a − b|, 1):
 * numbers as (x − min) / range of the real column (so |a−b|/range, capped at 1); categories as
 * 2·code, so equal codes give 0 and different ones ≥ 2 → 1; a missing number as a far sentinel
 * (missing vs value = 1, both missing = 0); a missing category as code −1 (the same rules).
 * The distance of two rows is the mean over columns.
 */
import type { AlignedColumn, Part } from '../align';
import type { Rng } from '../../random/rng';
import { throwIfAborted, yieldToEventLoop } from '../../context';

const MISSING_NUMBER = 1e12;

export interface EncodedRows {
  data: Float64Array;
  nRows: number;
  nCols: number;
}

function columnScale(c: AlignedColumn): { offset: number; scale: number } {
  if (c.kind !== 'numeric') return { offset: 0, scale: 2 };
  const range = c.max - c.min;
  return { offset: Number.isFinite(c.min) ? c.min : 0, scale: range > 0 ? 1 / range : 1 };
}

/** Rows `rows` of one part, encoded row-major. */
export function encodeRows(columns: AlignedColumn[], part: Part, rows: Int32Array): EncodedRows {
  const p = columns.length, m = rows.length;
  const data = new Float64Array(m * p);
  columns.forEach((c, j) => {
    const { offset, scale } = columnScale(c);
    if (c.kind === 'numeric') {
      const v = c[part];
      for (let i = 0; i < m; i++) {
        const x = v[rows[i]];
        data[i * p + j] = Number.isNaN(x) ? MISSING_NUMBER : (x - offset) * scale;
      }
    } else {
      const v = c[part];
      for (let i = 0; i < m; i++) data[i * p + j] = v[rows[i]] * scale;
    }
  });
  return { data, nRows: m, nCols: p };
}

/** Uniform random rows within the real bounds and categories, missing at the real missing rate. */
export function randomRows(columns: AlignedColumn[], m: number, rng: Rng): EncodedRows {
  const p = columns.length;
  const data = new Float64Array(m * p);
  columns.forEach((c, j) => {
    let missing = 0;
    for (const x of c.train) if (c.kind === 'numeric' ? Number.isNaN(x) : x < 0) missing++;
    const missingShare = c.train.length ? missing / c.train.length : 0;
    for (let i = 0; i < m; i++) {
      let v: number;
      if (rng.next() < missingShare) v = c.kind === 'numeric' ? MISSING_NUMBER : -2;
      else if (c.kind === 'numeric') v = c.max > c.min ? rng.next() : 0;
      else v = 2 * rng.int(Math.max(1, c.nTrainLevels));
      data[i * p + j] = v;
    }
  });
  return { data, nRows: m, nCols: p };
}

export interface Nearest {
  /** Distance to the closest reference row. */
  first: Float64Array;
  /** Distance to the second closest (only when asked). */
  second: Float64Array | null;
}

/**
 * For each query row, the distance to its closest (and optionally second closest) reference row.
 * Sums stop early once they cannot beat the current bound; yields between blocks for cancel.
 */
export async function nearest(q: EncodedRows, ref: EncodedRows, wantSecond: boolean, signal?: AbortSignal): Promise<Nearest> {
  const p = q.nCols, qd = q.data, rd = ref.data, nr = ref.nRows;
  const first = new Float64Array(q.nRows), second = wantSecond ? new Float64Array(q.nRows) : null;
  const BLOCK = 128;
  // The query row is copied into a small local array: measurably faster than indexing the big one.
  const qrow = new Float64Array(p);
  for (let start = 0; start < q.nRows; start += BLOCK) {
    throwIfAborted(signal);
    const end = Math.min(q.nRows, start + BLOCK);
    for (let i = start; i < end; i++) {
      for (let k = 0; k < p; k++) qrow[k] = qd[i * p + k];
      let b1 = Infinity, b2 = Infinity;
      for (let r = 0, ro = 0; r < nr; r++, ro += p) {
        const bound = wantSecond ? b2 : b1;
        let s = 0;
        for (let k = 0; k < p; k++) {
          const d = Math.abs(qrow[k] - rd[ro + k]);
          s += d < 1 ? d : 1;
          if (s > bound) break;
        }
        if (s < b1) {
          b2 = b1;
          b1 = s;
        } else if (s < b2) b2 = s;
      }
      first[i] = b1 / p;
      if (second) second[i] = b2 / p;
    }
    await yieldToEventLoop();
  }
  return { first, second };
}
