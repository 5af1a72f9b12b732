import type { Table } from '../table/table';

/** 32-bit FNV-1a over a row's cells (numbers by their bits, categories by code). */
function rowHashes(t: Table): Uint32Array {
  const h = new Uint32Array(t.nRows).fill(0x811c9dc5);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  for (const c of t.columns) {
    if (c.type === 'numeric') {
      for (let i = 0; i < t.nRows; i++) {
        const v = c.values[i];
        f64[0] = Number.isNaN(v) ? NaN : v === 0 ? 0 : v; // one NaN, one zero
        h[i] = Math.imul(h[i] ^ u32[0], 16777619) >>> 0;
        h[i] = Math.imul(h[i] ^ u32[1], 16777619) >>> 0;
      }
    } else {
      for (let i = 0; i < t.nRows; i++) h[i] = Math.imul(h[i] ^ (c.codes[i] + 1), 16777619) >>> 0;
    }
  }
  return h;
}

function sameRow(t: Table, a: number, b: number): boolean {
  for (const c of t.columns) {
    if (c.type === 'numeric') {
      const x = c.values[a];
      const y = c.values[b];
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
    } else if (c.codes[a] !== c.codes[b]) return false;
  }
  return true;
}

/**
 * Rows that repeat an earlier row exactly, in row order. Hash, sort (hash, row) pairs packed in doubles,
 * then compare cells only within runs of equal hashes: no per-row strings, fine at a million rows.
 */
export function duplicateRows(t: Table): number[] {
  if (t.nRows < 2 || t.columns.length === 0) return [];
  const h = rowHashes(t);
  const packed = new Float64Array(t.nRows);
  const SHIFT = 2 ** 21; // row indices below 2 M fit beside a 32-bit hash in a double's 53 bits
  if (t.nRows >= SHIFT) return duplicateRowsByMap(t, h);
  for (let i = 0; i < t.nRows; i++) packed[i] = h[i] * SHIFT + i;
  packed.sort();
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
        if (firsts.some((f) => sameRow(t, f, row))) dupes.push(row);
        else firsts.push(row);
      }
    }
    start = end;
  }
  return dupes.sort((a, b) => a - b);
}

function duplicateRowsByMap(t: Table, h: Uint32Array): number[] {
  const seen = new Map<number, number[]>();
  const dupes: number[] = [];
  for (let i = 0; i < t.nRows; i++) {
    const list = seen.get(h[i]);
    if (!list) seen.set(h[i], [i]);
    else if (list.some((f) => sameRow(t, f, i))) dupes.push(i);
    else list.push(i);
  }
  return dupes;
}
