import type { EngineColumns, PreparedTable } from '../engine';

/**
 * 53-bit fingerprints of rows over the engine's columns (prepared values: numbers as drawn after
 * rounding, categories as pooled codes). The model keeps the fingerprints of rows that are unique in
 * training (never the rows themselves) so that a synthetic row copying a real person's exact record
 * can be recognised and redrawn. A false match needs a 2^-53 collision and only costs one redraw.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x5bd1e995);
  return (h ^ (h >>> 15)) >>> 0;
}

export function hashRow(columns: ArrayLike<number>[], row: number): number {
  let a = 0x9747b28c, b = 0x85ebca6b;
  for (let c = 0; c < columns.length; c++) {
    let x = columns[c][row];
    if (Number.isNaN(x)) x = NaN; // one bit pattern for every missing value
    f64[0] = x === 0 ? 0 : x; // -0 and 0 are the same value
    a = mix(mix(a, u32[0]), u32[1]);
    b = mix(mix(b ^ c, u32[1]), u32[0] + 0x632be5ab);
  }
  a = mix(a, 0x1b873593);
  b = mix(b, 0xcc9e2d51);
  return (a >>> 11) * 4294967296 + b; // 21 + 32 bits: exact in a double
}

/** Fingerprints of training rows that occur exactly once. */
export function uniqueRowHashes(table: PreparedTable): Float64Array {
  const cols = table.columns.map((c) => (c.type === 'numeric' ? c.values : c.codes));
  const counts = new Map<number, number>();
  for (let i = 0; i < table.nRows; i++) {
    const h = hashRow(cols, i);
    counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  const out: number[] = [];
  for (const [h, n] of counts) if (n === 1) out.push(h);
  return Float64Array.from(out).sort();
}

export function hashSet(hashes: Float64Array): Set<number> {
  return new Set(hashes);
}

export function isLeakedRow(set: Set<number>, columns: EngineColumns, row: number): boolean {
  return set.size > 0 && set.has(hashRow(columns, row));
}
