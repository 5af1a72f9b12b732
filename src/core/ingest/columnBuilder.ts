import { detectDatetimeFormat, formatDatetime, lastDatetime, parseDatetime, parseDatetimeRange } from '../schema/datetimeFormat';
import { SAMPLE_LEVELS, sampleEvenly } from '../schema/infer';
import { decimalsOf, lastNumber, parseNumber, parseNumberRange } from '../schema/numbers';
import type { ParsedColumn } from '../schema/parsed';

/**
 * Builds one column straight from parsed fields, without keeping the rows as strings: values that parse
 * as numbers go into a Float64Array; as soon as a value does not, the column becomes dictionary-encoded
 * strings (each distinct string kept once). Schema inference then decides the final kind from the result.
 */

export type { ParsedColumn } from '../schema/parsed';
export { parseNumber } from '../schema/numbers';

export const DEFAULT_MISSING_TOKENS = ['', 'NA', 'N/A', 'n/a', 'na', 'null', 'NULL', 'Null', 'NaN', 'nan', '?', '#N/A'];

/** The missing tokens, indexed for a quick "could this field be one?" test; one per token set, shared by builders. */
interface MissingIndex {
  /** 1 where some token starts with that UTF-16 code unit: most fields (digits, words) skip the lookup. */
  first: Uint8Array;
  tokens: string[];
}

const missingIndexes = new WeakMap<Set<string>, MissingIndex>();

function missingIndex(missing: Set<string>): MissingIndex {
  let m = missingIndexes.get(missing);
  if (!m) {
    const first = new Uint8Array(65536);
    const tokens = [...missing].filter((t) => t.length > 0);
    for (const t of tokens) first[t.charCodeAt(0)] = 1;
    m = { first, tokens };
    missingIndexes.set(missing, m);
  }
  return m;
}

/** Is text[start, end) one of the tokens? (No slice is made.) */
function isMissingRange(m: MissingIndex, text: string, start: number, end: number): boolean {
  const n = end - start;
  for (const t of m.tokens) if (t.length === n && text.startsWith(t, start)) return true;
  return false;
}

/** Hash of text[start, end), the same for a string and for a range of a longer one. */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) | 0;
}

/** Dictionaries up to this size are searched level by level, without hashing the field. */
const SMALL_DICTIONARY = 8;

/** Rows after which a text column is checked for dates, to parse the rest straight to numbers. */
const DATETIME_PROBE_ROW = 2048;

/** Copy long strings out of the chunk they were sliced from, so a kept level does not pin the chunk. */
function detach(s: string): string {
  return s.length >= 13 ? (' ' + s).slice(1) : s;
}

export class ColumnBuilder {
  readonly name: string;
  #missing: Set<string>;
  #missingIndex: MissingIndex;
  #mode: 'number' | 'string' | 'datetime' = 'number';
  #pattern = '';
  #probed = false;
  /** First characters of the missing tokens: most fields (digits, words) skip the Set lookup. */
  #missingFirst: Uint8Array;
  #length = 0;
  #values: Float64Array;
  #codes: Int32Array | null = null;
  /**
   * The dictionary: levels in code order, and an open-addressing hash table (code + 1 per slot, 0 = free)
   * that finds a level from a string or from a range of the chunk text, without slicing the range first.
   */
  #levels: string[] = [];
  #levelHashes = new Int32Array(16);
  #slots = new Int32Array(32);
  #decimals = 0;
  /** Decimals of the first number seen (-1 before any), and whether all others had as many. */
  #firstDecimals = -1;
  #sameDecimals = true;
  #allIntegers = true;
  #switchedAt = -1;
  #missingTokens = 0;
  #missingToken: string | undefined;

  constructor(name: string, missing: Set<string>, initialCapacity = 1024) {
    this.name = name;
    this.#missing = missing;
    this.#missingIndex = missingIndex(missing);
    this.#missingFirst = this.#missingIndex.first;
    this.#values = new Float64Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  /** Append one raw field (undefined = the row had no such field). */
  push(raw: string | undefined): void {
    if (raw === undefined || raw === '') return this.pushMissing();
    if (this.#missingFirst[raw.charCodeAt(0)] === 1 && this.#missing.has(raw)) {
      this.#missingTokens++;
      this.#missingToken ??= raw;
      return this.pushMissing();
    }
    if (this.#mode === 'datetime') {
      const ms = parseDatetime(raw, this.#pattern);
      if (!Number.isNaN(ms) && lastDatetime.exact) return this.#pushNumberValue(ms);
      this.#datetimeToStrings();
    }
    if (this.#mode === 'number') {
      let s = raw;
      // Spaces around a number are harmless; trim only when there are some (cheap check first).
      if (s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32) {
        s = s.trim();
        if (s === '' || this.#missing.has(s)) return this.pushMissing();
      }
      const v = parseNumber(s);
      if (!Number.isNaN(v)) {
        this.#pushNumber(v, s.indexOf('.') >= 0 ? decimalsOf(s) : 0);
        return;
      }
      this.#toStringMode();
    }
    this.#pushString(raw);
    if (!this.#probed && this.#length >= DATETIME_PROBE_ROW) this.#probeDatetime();
  }

  /**
   * push(text.slice(start, end)) without making the slice in the common cases: a number, a date in the
   * column's pattern, a string already in the dictionary. Anything unusual goes through push() itself.
   */
  pushRange(text: string, start: number, end: number): void {
    if (start === end) return this.pushMissing();
    const c0 = text.charCodeAt(start);
    if (this.#missingFirst[c0] === 1 && isMissingRange(this.#missingIndex, text, start, end)) return this.push(text.slice(start, end));
    const mode = this.#mode;
    if (mode === 'number') {
      if (c0 === 32 || text.charCodeAt(end - 1) === 32) return this.push(text.slice(start, end));
      const v = parseNumberRange(text, start, end);
      if (Number.isNaN(v)) return this.push(text.slice(start, end));
      this.#pushNumber(v, lastNumber.decimals);
      return;
    }
    if (mode === 'datetime') {
      const ms = parseDatetimeRange(text, start, end, this.#pattern);
      if (Number.isNaN(ms) || !lastDatetime.exact) return this.push(text.slice(start, end));
      return this.#pushNumberValue(ms);
    }
    // A few levels (yes/no, a handful of categories): compare with each rather than hash.
    const levels = this.#levels;
    const nLevels = levels.length;
    if (nLevels <= SMALL_DICTIONARY) {
      const n = end - start;
      for (let k = 0; k < nLevels; k++) {
        const l = levels[k];
        if (l.length === n && l.charCodeAt(0) === c0 && text.startsWith(l, start)) {
          this.#pushCode(k);
          if (!this.#probed && this.#length >= DATETIME_PROBE_ROW) this.#probeDatetime();
          return;
        }
      }
    }
    const h = hashRange(text, start, end);
    let code = nLevels <= SMALL_DICTIONARY ? -1 : this.#findRange(text, start, end, h);
    if (code < 0) code = this.#addLevel(detach(text.slice(start, end)), h);
    this.#pushCode(code);
    if (!this.#probed && this.#length >= DATETIME_PROBE_ROW) this.#probeDatetime();
  }

  #pushNumber(v: number, d: number): void {
    this.#pushNumberValue(v);
    if (this.#allIntegers && !Number.isInteger(v)) this.#allIntegers = false;
    if (d > this.#decimals) this.#decimals = d;
    if (this.#firstDecimals < 0) this.#firstDecimals = d;
    else if (d !== this.#firstDecimals) this.#sameDecimals = false;
  }

  /**
   * Dates repeat little (timestamps hardly ever), so keeping them as dictionary strings costs a string and a
   * map entry per row. Once enough rows show every value parses with one pattern, parse the rest directly.
   * Only values that the pattern writes back exactly are kept as numbers (lastDatetime.exact): at the first
   * other value the column returns to strings, rebuilt as they were written, and finish() checks that schema
   * inference would have chosen this pattern from the strings, so the result is the same either way.
   * (A column that held numbers first, switchedAt > 0, has lost its original text and is left as strings.)
   */
  #probeDatetime(): void {
    this.#probed = true;
    if (this.#switchedAt > 0 || this.#levels.length < 64) return;
    const found = detectDatetimeFormat(this.#levels.slice(0, 500), 1);
    if (!found || found.pattern === 'ISO') return;
    const ms = this.#levels.map((l) => parseDatetime(l, found.pattern));
    if (ms.some((v, k) => Number.isNaN(v) || formatDatetime(v, found.pattern) !== this.#levels[k])) return;
    const codes = this.#codes as Int32Array;
    const values = new Float64Array(codes.length);
    for (let i = 0; i < this.#length; i++) values[i] = codes[i] < 0 ? NaN : ms[codes[i]];
    this.#values = values;
    this.#codes = null;
    this.#levels = [];
    this.#levelHashes = new Int32Array(16);
    this.#slots = new Int32Array(32);
    this.#mode = 'datetime';
    this.#pattern = found.pattern;
  }

  /**
   * The levels schema inference would sample had the dates stayed strings (every one of them, or 2,000
   * spread evenly in order of first appearance; written back exactly, see #probeDatetime), if inference
   * would pick this column's pattern from them; null if it would not (then the column goes back to strings).
   */
  #datetimeSample(): string[] | null {
    const values = this.#values;
    const n = this.#length;
    // Distinct values in order of first appearance: open addressing on the values' bits, sized for all
    // values distinct (timestamps nearly are) so that the table never grows.
    let size = 1 << 12;
    while (size < 2 * n) size *= 2;
    let slots = new Int32Array(size);
    const distinct: number[] = [];
    const f64 = new Float64Array(1);
    const u32 = new Uint32Array(f64.buffer);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      f64[0] = v;
      let h = Math.imul(u32[0] ^ Math.imul(u32[1], 0x9e3779b1), 0x85ebca6b);
      h ^= h >>> 16;
      let mask = slots.length - 1;
      let at = h & mask;
      for (;;) {
        const k = slots[at] - 1;
        if (k < 0 || distinct[k] === v) break;
        at = (at + 1) & mask;
      }
      if (slots[at] !== 0) continue;
      distinct.push(v);
      slots[at] = distinct.length;
      if (2 * distinct.length > slots.length) {
        slots = new Int32Array(slots.length * 2);
        mask = slots.length - 1;
        for (let k = 0; k < distinct.length; k++) {
          f64[0] = distinct[k];
          let g = Math.imul(u32[0] ^ Math.imul(u32[1], 0x9e3779b1), 0x85ebca6b);
          g ^= g >>> 16;
          let b = g & mask;
          while (slots[b] !== 0) b = (b + 1) & mask;
          slots[b] = k + 1;
        }
      }
    }
    // As infer.ts: every level up to SAMPLE_LEVELS, else SAMPLE_LEVELS of them, evenly spaced.
    const picked = distinct.length <= SAMPLE_LEVELS ? distinct : sampleEvenly(distinct, SAMPLE_LEVELS);
    const sample = picked.map((v) => formatDatetime(v, this.#pattern));
    const found = detectDatetimeFormat(sample.filter((s) => s.trim() !== ''), 1);
    return found?.pattern === this.#pattern ? sample : null;
  }

  /** A value that is not a date arrived: back to strings, writing the dates so far in their pattern. */
  #datetimeToStrings(): void {
    const codes = new Int32Array(Math.max(16, this.#values.length));
    for (let i = 0; i < this.#length; i++) {
      const v = this.#values[i];
      codes[i] = Number.isNaN(v) ? -1 : this.#codeOf(formatDatetime(v, this.#pattern));
    }
    this.#codes = codes;
    this.#values = new Float64Array(0);
    this.#mode = 'string';
  }

  /** The code of a level, added if new. */
  #codeOf(s: string): number {
    const h = hashRange(s, 0, s.length);
    const code = this.#findRange(s, 0, s.length, h);
    return code >= 0 ? code : this.#addLevel(s, h);
  }

  #findRange(text: string, start: number, end: number, h: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const n = end - start;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = slots[i] - 1;
      if (k < 0) return -1;
      if (this.#levelHashes[k] === h) {
        const l = this.#levels[k];
        if (l.length === n && text.startsWith(l, start)) return k;
      }
    }
  }

  #addLevel(s: string, h: number): number {
    const code = this.#levels.length;
    this.#levels.push(s);
    if (code === this.#levelHashes.length) {
      const grown = new Int32Array(code * 2);
      grown.set(this.#levelHashes);
      this.#levelHashes = grown;
    }
    this.#levelHashes[code] = h;
    if (2 * (code + 1) > this.#slots.length) this.#rehash(this.#slots.length * 2);
    else this.#place(code, h);
    return code;
  }

  #place(code: number, h: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let i = h & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = code + 1;
  }

  #rehash(size: number): void {
    this.#slots = new Int32Array(size);
    for (let k = 0; k < this.#levels.length; k++) this.#place(k, this.#levelHashes[k]);
  }

  /** Append a value that is already a number (Parquet, JSON). */
  pushNumber(v: number): void {
    if (Number.isNaN(v)) return this.pushMissing();
    if (this.#mode !== 'number') return this.push(String(v));
    this.#pushNumberValue(v);
    this.#sameDecimals = false; // typed numbers (JSON, Parquet) carry no written padding
    if (!Number.isInteger(v)) {
      this.#allIntegers = false;
      const d = decimalsOf(String(v));
      if (d > this.#decimals) this.#decimals = d;
    }
  }

  pushMissing(): void {
    if (this.#mode !== 'string') this.#pushNumberValue(NaN);
    else this.#pushCode(-1);
  }

  /** Back-fill missing values (a column that appears in a later row). */
  padTo(n: number): void {
    while (this.#length < n) this.pushMissing();
  }

  #pushNumberValue(v: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = v;
  }

  #pushCode(c: number): void {
    let codes = this.#codes as Int32Array;
    if (this.#length === codes.length) {
      const grown = new Int32Array(codes.length * 2);
      grown.set(codes);
      this.#codes = codes = grown;
    }
    codes[this.#length++] = c;
  }

  #pushString(s: string): void {
    const h = hashRange(s, 0, s.length);
    let code = this.#findRange(s, 0, s.length, h);
    if (code < 0) code = this.#addLevel(detach(s), h);
    this.#pushCode(code);
  }

  /** The first non-number arrived: turn the numbers so far into strings. */
  #toStringMode(): void {
    this.#mode = 'string';
    this.#switchedAt = this.#length;
    const codes = new Int32Array(Math.max(16, this.#values.length));
    for (let i = 0; i < this.#length; i++) {
      const v = this.#values[i];
      codes[i] = Number.isNaN(v) ? -1 : this.#codeOf(String(v));
    }
    this.#codes = codes;
    this.#values = new Float64Array(0);
  }

  finish(): ParsedColumn {
    const base = {
      name: this.name,
      length: this.#length,
      decimals: this.#decimals,
      allIntegers: this.#allIntegers,
      sameDecimals: this.#sameDecimals,
      switchedAt: this.#switchedAt,
      missingTokens: this.#missingTokens,
      missingToken: this.#missingToken,
    };
    if (this.#mode === 'number') {
      return { ...base, mode: 'number', values: this.#values.slice(0, this.#length) };
    }
    if (this.#mode === 'datetime') {
      const sample = this.#datetimeSample();
      if (sample) return { ...base, mode: 'datetime', values: this.#values.slice(0, this.#length), datetimePattern: this.#pattern, datetimeSample: sample };
      this.#datetimeToStrings();
    }
    this.#slots = new Int32Array(0);
    this.#levelHashes = new Int32Array(0);
    return { ...base, mode: 'string', codes: (this.#codes as Int32Array).slice(0, this.#length), levels: this.#levels };
  }
}
