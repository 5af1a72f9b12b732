/**
 * What counts as a number in a data file: plain decimals. Used by ingest (column builders, header detection),
 * schema inference and profile findings, so that all of them agree on which text is a number.
 */

/** A fast number check for one field. Returns NaN when the text is not a plain decimal number. */
export function parseNumber(s: string): number {
  const n = s.length;
  if (n === 0 || n > 40) return NaN;
  const c0 = s.charCodeAt(0);
  // Must start like a number: digit, sign or point.
  if (!((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43 || c0 === 46)) return NaN;
  const cl = s.charCodeAt(n - 1);
  if (!((cl >= 48 && cl <= 57) || cl === 46)) return NaN; // rejects "1e", "12 ", "Infinity"-like tails
  // Leading zeros ("007", "02134") are codes, not numbers: keep them as text so nothing is lost.
  let i = c0 === 45 || c0 === 43 ? 1 : 0;
  if (s.charCodeAt(i) === 48 && i + 1 < n) {
    const c1 = s.charCodeAt(i + 1);
    if (c1 >= 48 && c1 <= 57) return NaN;
  }
  // "0x10", "0b1", "0o7" are numbers to JavaScript but not in a data file.
  if (s.charCodeAt(i) === 48 && i + 1 < n) {
    const c1 = s.charCodeAt(i + 1) | 32;
    if (c1 === 120 || c1 === 98 || c1 === 111) return NaN;
  }
  const v = +s;
  if (!Number.isFinite(v)) return NaN;
  // Integers too long for a double lose digits (card numbers, long keys): keep them as text.
  if (n - i > 15 && s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0) return NaN;
  return v;
}

/** Digits after the decimal point as written ("1.50" → 2, "2e-3" → 0, "1.5e3" → 1). */
export function decimalsOf(s: string): number {
  const dot = s.indexOf('.');
  if (dot < 0) return 0;
  let end = s.length;
  const e = s.search(/[eE]/);
  if (e >= 0) end = e;
  return Math.max(0, end - dot - 1);
}

/** Exact powers of ten (every one up to 1e22 is a double without rounding). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Set by parseNumberRange: digits after the point of the number it last returned. */
export const lastNumber = { decimals: 0 };

/**
 * parseNumber(text.slice(start, end)) without making the slice, for the common shape [sign]digits[.digits]
 * with at most 15 digits; `lastNumber.decimals` is set to decimalsOf() of the same text. Any other shape
 * (exponents, long digit strings, spaces) goes through parseNumber on the slice, so results are identical.
 * The value is exact: the digits form an integer below 2^53 and 10^k is exact, so the one division rounds
 * correctly, which is what Number() does for the same text.
 */
export function parseNumberRange(text: string, start: number, end: number): number {
  const n = end - start;
  if (n === 0 || n > 40) return NaN;
  let i = start;
  let c = text.charCodeAt(i);
  let neg = false;
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  } else if (!((c >= 48 && c <= 57) || c === 46)) return NaN; // quick reject: text
  const body = i;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === 46 && !dot) dot = true;
    else return slowRange(text, start, end);
  }
  if (digits === 0 || digits > 15) return slowRange(text, start, end);
  if (text.charCodeAt(body) === 48 && body + 1 < end) {
    c = text.charCodeAt(body + 1);
    if (c >= 48 && c <= 57) return NaN; // leading zero: a code
  }
  lastNumber.decimals = frac;
  const v = frac === 0 ? m : m / POW10[frac];
  return neg ? -v : v;
}

function slowRange(text: string, start: number, end: number): number {
  const s = text.slice(start, end);
  const v = parseNumber(s);
  if (!Number.isNaN(v)) lastNumber.decimals = s.indexOf('.') >= 0 ? decimalsOf(s) : 0;
  return v;
}
