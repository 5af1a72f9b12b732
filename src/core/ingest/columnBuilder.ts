import { detectDatetimeFormat, formatDatetime, parseDatetime } from '../schema/datetimeFormat';

/**
 * Builds one column straight from parsed fields, without keeping the rows as strings: values that parse
 * as numbers go into a Float64Array; as soon as a value does not, the column becomes dictionary-encoded
 * strings (each distinct string kept once). Schema inference then decides the final kind from the result.
 */

/** What a builder hands to schema inference. */
export interface ParsedColumn {
  name: string;
  length: number;
  /**
   * 'number': every present value parsed as a number; 'string': dictionary codes (-1 = missing);
   * 'datetime': every present value parsed with `datetimePattern`, values are epoch ms.
   */
  mode: 'number' | 'string' | 'datetime';
  values?: Float64Array;
  datetimePattern?: string;
  codes?: Int32Array;
  levels?: string[];
  /** Most digits seen after the decimal point (number mode). */
  decimals: number;
  /** Every number seen was an integer. */
  allIntegers: boolean;
  /** Every number was written with the same count of decimals (e.g. "0.0", "10.9"): keep the padding. */
  sameDecimals: boolean;
  /** Row where the column stopped being numeric, -1 if it never was or never stopped. */
  switchedAt: number;
  /** How many values were a missing-value token (not counting empty fields). */
  missingTokens: number;
  /** The first missing-value token seen ("NA", "?", …), so that exports write missing the same way. */
  missingToken?: string;
}

export const DEFAULT_MISSING_TOKENS = ['', 'NA', 'N/A', 'n/a', 'na', 'null', 'NULL', 'Null', 'NaN', 'nan', '?', '#N/A'];

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

function decimalsOf(s: string): number {
  const dot = s.indexOf('.');
  if (dot < 0) return 0;
  let end = s.length;
  const e = s.search(/[eE]/);
  if (e >= 0) end = e;
  return Math.max(0, end - dot - 1);
}

/** Rows after which a text column is checked for dates, to parse the rest straight to numbers. */
const DATETIME_PROBE_ROW = 2048;

/** Copy long strings out of the chunk they were sliced from, so a kept level does not pin the chunk. */
function detach(s: string): string {
  return s.length >= 13 ? (' ' + s).slice(1) : s;
}

export class ColumnBuilder {
  readonly name: string;
  #missing: Set<string>;
  #mode: 'number' | 'string' | 'datetime' = 'number';
  #pattern = '';
  #probed = false;
  /** First characters of the missing tokens: most fields (digits, words) skip the Set lookup. */
  #missingFirst: Uint8Array;
  #length = 0;
  #values = new Float64Array(1024);
  #codes: Int32Array | null = null;
  #levels: string[] = [];
  #index = new Map<string, number>();
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
    this.#missingFirst = new Uint8Array(65536);
    for (const t of missing) if (t.length > 0) this.#missingFirst[t.charCodeAt(0)] = 1;
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
      if (!Number.isNaN(ms)) return this.#pushNumberValue(ms);
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
        this.#pushNumberValue(v);
        if (this.#allIntegers && !Number.isInteger(v)) this.#allIntegers = false;
        const d = s.indexOf('.') >= 0 ? decimalsOf(s) : 0;
        if (d > this.#decimals) this.#decimals = d;
        if (this.#firstDecimals < 0) this.#firstDecimals = d;
        else if (d !== this.#firstDecimals) this.#sameDecimals = false;
        return;
      }
      this.#toStringMode();
    }
    this.#pushString(raw);
    if (!this.#probed && this.#length >= DATETIME_PROBE_ROW) this.#probeDatetime();
  }

  /**
   * Dates repeat little (timestamps hardly ever), so keeping them as dictionary strings costs a string and a
   * map entry per row. Once enough rows show every value parses with one pattern, parse the rest directly.
   */
  #probeDatetime(): void {
    this.#probed = true;
    if (this.#switchedAt >= 0 || this.#levels.length < 64) return;
    const found = detectDatetimeFormat(this.#levels.slice(0, 500), 1);
    if (!found || found.pattern === 'ISO') return;
    const ms = this.#levels.map((l) => parseDatetime(l, found.pattern));
    if (ms.some(Number.isNaN)) return;
    const codes = this.#codes as Int32Array;
    const values = new Float64Array(codes.length);
    for (let i = 0; i < this.#length; i++) values[i] = codes[i] < 0 ? NaN : ms[codes[i]];
    this.#values = values;
    this.#codes = null;
    this.#levels = [];
    this.#index.clear();
    this.#mode = 'datetime';
    this.#pattern = found.pattern;
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

  #codeOf(s: string): number {
    let code = this.#index.get(s);
    if (code === undefined) {
      code = this.#levels.length;
      this.#levels.push(s);
      this.#index.set(s, code);
    }
    return code;
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
    let code = this.#index.get(s);
    if (code === undefined) {
      code = this.#levels.length;
      const kept = detach(s);
      this.#levels.push(kept);
      this.#index.set(kept, code);
    }
    this.#pushCode(code);
  }

  /** The first non-number arrived: turn the numbers so far into strings. */
  #toStringMode(): void {
    this.#mode = 'string';
    this.#switchedAt = this.#length;
    const codes = new Int32Array(Math.max(16, this.#values.length));
    for (let i = 0; i < this.#length; i++) {
      const v = this.#values[i];
      if (Number.isNaN(v)) {
        codes[i] = -1;
        continue;
      }
      const s = String(v);
      let code = this.#index.get(s);
      if (code === undefined) {
        code = this.#levels.length;
        this.#levels.push(s);
        this.#index.set(s, code);
      }
      codes[i] = code;
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
      return { ...base, mode: 'datetime', values: this.#values.slice(0, this.#length), datetimePattern: this.#pattern };
    }
    this.#index.clear();
    return { ...base, mode: 'string', codes: (this.#codes as Int32Array).slice(0, this.#length), levels: this.#levels };
  }
}
