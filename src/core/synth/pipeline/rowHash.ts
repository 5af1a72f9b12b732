import type { PreparedTable } from '../engine';

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

/** Fingerprints of training rows that occur exactly once (sorted; sorting beats a Map of doubles). */
export function uniqueRowHashes(table: PreparedTable): Float64Array {
  const cols = table.columns.map((c) => (c.type === 'numeric' ? c.values : c.codes));
  const n = table.nRows;
  const all = new Float64Array(n);
  for (let i = 0; i < n; i++) all[i] = hashRow(cols, i);
  all.sort();
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && all[j] === all[i]) j++;
    if (j === i + 1) out[k++] = all[i];
    i = j;
  }
  return out.slice(0, k);
}

/**
 * Open-addressing set of fingerprints (a JS Set of non-integer doubles is several times slower
 * to build and to probe). Slots hold the fingerprint, or -1 when empty (fingerprints are >= 0).
 */
export class HashSet {
  readonly size: number;
  readonly #slots: Float64Array;
  readonly #mask: number;

  constructor(hashes: Float64Array) {
    let cap = 16;
    while (cap < hashes.length * 2) cap *= 2;
    this.#slots = new Float64Array(cap).fill(-1);
    this.#mask = cap - 1;
    this.size = hashes.length;
    for (let i = 0; i < hashes.length; i++) {
      let s = (hashes[i] >>> 0) & this.#mask; // low 32 bits of the fingerprint
      while (this.#slots[s] !== -1 && this.#slots[s] !== hashes[i]) s = (s + 1) & this.#mask;
      this.#slots[s] = hashes[i];
    }
  }

  has(h: number): boolean {
    let s = (h >>> 0) & this.#mask;
    for (;;) {
      const v = this.#slots[s];
      if (v === h) return true;
      if (v === -1) return false;
      s = (s + 1) & this.#mask;
    }
  }
}
