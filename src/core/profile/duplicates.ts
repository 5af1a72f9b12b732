import { columnsOf, hashRow, sameRow } from '../table/rowHash';
import type { Table } from '../table/table';
import { sortFloat64 } from '../stats/sortPresent';

/** 32-bit row hashes (the low bits of the shared row fingerprint), to pack beside a row index. */
function rowHashes(cols: (Float64Array | Int32Array)[], nRows: number): Uint32Array {
  const h = new Uint32Array(nRows);
  for (let i = 0; i < nRows; i++) h[i] = hashRow(cols, i) >>> 0;
  return h;
}

/**
 * Rows that repeat an earlier row exactly, in row order. Hash, sort (hash, row) pairs packed in doubles,
 * then compare cells only within runs of equal hashes: no per-row strings, fine at a million rows.
 */
export function duplicateRows(t: Table): number[] {
  if (t.nRows < 2 || t.columns.length === 0) return [];
  const cols = columnsOf(t);
  const h = rowHashes(cols, t.nRows);
  const packed = new Float64Array(t.nRows);
  const SHIFT = 2 ** 21; // row indices below 2 M fit beside a 32-bit hash in a double's 53 bits
  if (t.nRows >= SHIFT) return duplicateRowsByMap(cols, t.nRows, h);
  for (let i = 0; i < t.nRows; i++) packed[i] = h[i] * SHIFT + i;
  sortFloat64(packed); // radix sort: the same order as packed.sort(), faster at a million rows
  const dupes: number[] = [];
  let start = 0;
  while (start < packed.length) {
    const hash = Math.floor(packed[start] / SHIFT);
    let end = start + 1;
    while (end < packed.length && Math.floor(packed[end] / SHIFT) === hash) end++;
    if (end - start > 1) {
      // Within a run rows are in index order: a row duplicates the first earlier row equal to it.
      const firsts: number[] = [];
      for (let k = start; k < end; k++) {
        const row = packed[k] - hash * SHIFT;
        if (firsts.some((f) => sameRow(cols, f, cols, row))) dupes.push(row);
        else firsts.push(row);
      }
    }
    start = end;
  }
  return dupes.sort((a, b) => a - b);
}

function duplicateRowsByMap(cols: (Float64Array | Int32Array)[], nRows: number, h: Uint32Array): number[] {
  const seen = new Map<number, number[]>();
  const dupes: number[] = [];
  for (let i = 0; i < nRows; i++) {
    const list = seen.get(h[i]);
    if (!list) seen.set(h[i], [i]);
    else if (list.some((f) => sameRow(cols, f, cols, i))) dupes.push(i);
    else list.push(i);
  }
  return dupes;
}
