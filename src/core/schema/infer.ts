import { parseNumber } from './numbers';
import type { IngestWarning, ParsedColumn } from './parsed';
import { categoricalColumn, numericColumn, type Column } from '../table/table';
import { detectDatetimeFormat, parseDatetime } from './datetimeFormat';
import { detectPii, headerWords } from './pii';
import { isFormulaLike } from '../export/formulaGuard';
import type { ColumnKind, ColumnRole, ColumnSchema, PiiHint } from './schema';
import { defaultRoleFor } from './roles';

export interface InferredColumn {
  column: Column;
  schema: ColumnSchema;
  warnings: IngestWarning[];
}

/** Distinct values examined per text column (all of them up to this many, else this many spread evenly). */
export const SAMPLE_LEVELS = 2000;
const BOOLEAN_PAIRS = [
  ['true', 'false'],
  ['yes', 'no'],
  ['y', 'n'],
  ['t', 'f'],
];
const ID_NAME = /(^|[^a-z])(id|uuid|guid|key)$|^(id|uuid|guid)([^a-z]|$)|identifier/i;
/** More key names: `tweet_id_str`, `userID`, `orderId`, `customer_ids`. */
const ID_NAME_MORE = /(^|[^a-z])ids?_?str$|(^|[^a-z])ids$/i;
const ID_NAME_CAMEL = /[a-z0-9](ID|Id)s?$/;
/**
 * Names of measurements and times, which long near-unique integers often are (amounts in cents, populations,
 * byte sizes, epoch seconds): such columns are never keys by their values alone.
 */
const MEASURE_WORDS = new Set(
  'amount price cost income salary wage wages revenue sales volume population count total sum size bytes weight balance fee budget area length distance duration time date timestamp epoch ts utc at created updated modified'.split(' '),
);
function measureName(name: string): boolean {
  return headerWords(name)
    .split(' ')
    .some((w) => MEASURE_WORDS.has(w) || w.endsWith('time') || w.endsWith('date') || w.endsWith('stamp'));
}
/** Share of distinct values among the present ones from which a key-like column counts as near-unique. */
const NEAR_UNIQUE = 0.95;
/** Keys written as long digit strings: at least this many digits. */
const ID_DIGITS = 6;

/** Does the header name a key (`id`, `user_id`, `tweet_id_str`, `userID`, `uuid`, …)? */
export function idName(name: string): boolean {
  return ID_NAME.test(name) || ID_NAME_MORE.test(name) || ID_NAME_CAMEL.test(name);
}

/**
 * Decide a column's kind from what the builder collected, and convert storage to match the kind
 * (datetime strings → epoch ms; integer keys → strings). Only the distinct values are examined, so this
 * costs little even on a million rows.
 */
export function inferColumn(p: ParsedColumn): InferredColumn {
  const warnings: IngestWarning[] = [];
  if (p.mode === 'number') return inferNumeric(p);
  if (p.mode === 'datetime') {
    const column = numericColumn(p.name, p.values as Float64Array);
    const schema: ColumnSchema = { name: p.name, kind: 'datetime', role: 'synthesize', pii: detectPii(p.name, (p.datetimeSample ?? []).slice(0, 500)), format: { datetime: p.datetimePattern } };
    return { column, schema, warnings };
  }
  const codes = p.codes as Int32Array;
  const levels = p.levels as string[];
  const counts = new Int32Array(levels.length);
  let present = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c >= 0) {
      counts[c]++;
      present++;
    }
  }
  const sample = levels.length <= SAMPLE_LEVELS ? levels : sampleEvenly(levels, SAMPLE_LEVELS);
  const pii = detectPii(p.name, sample.slice(0, 500));
  const make = (kind: ColumnKind, column: Column, format?: ColumnSchema['format']): InferredColumn => ({
    column,
    schema: { name: p.name, kind, role: defaultRole(kind, pii), pii, ...(format ? { format } : {}) },
    warnings,
  });
  formulaWarning(p.name, levels, counts, warnings);
  const asCategorical = categoricalColumn(p.name, codes, levels);
  if (present === 0) return make('categorical', asCategorical);

  // Booleans: two tokens from a known pair, in any case.
  if (levels.length <= 8) {
    const lowered = new Set(levels.filter((_, k) => counts[k] > 0).map((l) => l.trim().toLowerCase()));
    if (lowered.size <= 2 && BOOLEAN_PAIRS.some((pair) => [...lowered].every((v) => pair.includes(v)))) {
      return make('boolean', asCategorical);
    }
  }

  // Datetimes: every sampled value parses with one pattern.
  const dt = detectDatetimeFormat(sample.filter((s) => s.trim() !== ''), 1);
  if (dt) {
    const ms = levels.map((l) => parseDatetime(l.trim(), dt.pattern));
    const values = new Float64Array(codes.length);
    let failed = 0;
    const failedExamples: string[] = [];
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      const v = c < 0 ? NaN : ms[c];
      if (c >= 0 && Number.isNaN(v)) {
        failed++;
        if (failedExamples.length < 3 && !failedExamples.includes(levels[c])) failedExamples.push(levels[c]);
      }
      values[i] = v;
    }
    if (failed > 0) {
      warnings.push({
        code: 'unparsed-dates',
        column: p.name,
        message: `${failed} value(s) in "${p.name}" do not match its date format ${dt.pattern} (e.g. ${failedExamples.map((e) => JSON.stringify(e)).join(', ')}); they were treated as missing.`,
      });
    }
    return make('datetime', numericColumn(p.name, values), { datetime: dt.pattern });
  }

  const distinctPresent = countNonZero(counts);
  const unique = distinctPresent === present && present === codes.length && present >= 10;
  const meanLength = weightedMeanLength(levels, counts, present);
  if (unique && (idName(p.name) || (meanLength <= 40 && looksLikeCodes(sample)))) {
    return make('id', asCategorical);
  }
  // Near-unique keys, some missing or repeated: named as keys, or long digit strings ("000123456", 18-digit ids).
  if (present >= 10 && distinctPresent >= NEAR_UNIQUE * present && (idName(p.name) || allLongDigits(levels, counts))) {
    return make('id', asCategorical);
  }
  if ((distinctPresent / present > 0.5 && meanLength > 20 && present >= 10) || meanLength > 60) {
    return make('text', asCategorical);
  }
  return make('categorical', asCategorical);
}

function inferNumeric(p: ParsedColumn): InferredColumn {
  const values = p.values as Float64Array;
  const pii = detectPii(p.name, []);
  let present = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) present++;
  const base = { name: p.name, pii };
  if (present === 0) {
    return { column: numericColumn(p.name, values), schema: { ...base, kind: 'numeric', role: 'synthesize' }, warnings: [] };
  }
  if (p.allIntegers && present >= 10 && integerKey(p.name, values, present)) {
    // An integer key: keep it as labels (as written), since arithmetic on it means nothing.
    const levels: string[] = [];
    const index = new Map<number, number>();
    const codes = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isNaN(v)) {
        codes[i] = -1;
        continue;
      }
      let k = index.get(v);
      if (k === undefined) {
        k = levels.length;
        index.set(v, k);
        levels.push(String(v));
      }
      codes[i] = k;
    }
    return { column: categoricalColumn(p.name, codes, levels), schema: { ...base, kind: 'id', role: 'generate-key' }, warnings: [] };
  }
  if (p.allIntegers) {
    const schema: ColumnSchema = { ...base, kind: 'integer', role: 'synthesize', ...(yearLike(p.name, values) ? { format: { noGrouping: true } } : {}) };
    return { column: numericColumn(p.name, values), schema, warnings: [] };
  }
  return {
    column: numericColumn(p.name, values),
    schema: { ...base, kind: 'numeric', role: 'synthesize', format: p.sameDecimals && p.decimals > 0 ? { decimals: p.decimals, padded: true } : { decimals: p.decimals } },
    warnings: [],
  };
}

/** The default role from the kind and the PII hints (see schema/roles.ts): direct identifiers are faked. */
export function defaultRole(kind: ColumnKind, pii: readonly PiiHint[] = []): ColumnRole {
  return defaultRoleFor(kind, pii);
}

/** Share of present values (weighted by count) whose text is a plain number. */
export function numericShare(levels: string[], counts: ArrayLike<number>): number {
  let num = 0;
  let all = 0;
  for (let k = 0; k < levels.length; k++) {
    if (counts[k] === 0) continue;
    all += counts[k];
    if (!Number.isNaN(parseNumber(levels[k].trim()))) num += counts[k];
  }
  return all === 0 ? 0 : num / all;
}

/**
 * Text cells that a spreadsheet would run as a formula when the CSV is opened: every cell starting with = + - @,
 * a tab or a carriage return that is not a number (isFormulaLike, the check exports use), counted per column.
 */
function formulaWarning(name: string, levels: string[], counts: Int32Array, warnings: IngestWarning[]): void {
  let n = 0;
  const examples: string[] = [];
  for (let k = 0; k < levels.length; k++) {
    const c0 = levels[k].charCodeAt(0);
    if ((c0 === 61 || c0 === 43 || c0 === 45 || c0 === 64 || c0 === 9 || c0 === 13) && counts[k] > 0 && isFormulaLike(levels[k])) {
      n += counts[k];
      if (examples.length < 3) examples.push(levels[k]);
    }
  }
  if (n > 0) {
    warnings.push({
      code: 'formula-cells',
      column: name,
      message:
        `${n.toLocaleString('en')} value(s) in "${name}" start with =, +, -, @, a tab or a carriage return (e.g. ${examples.map((e) => JSON.stringify(e.slice(0, 60))).join(', ')}), ` +
        'so a spreadsheet may run them as formulas when a CSV is opened. They were kept as text; exports guard them by default (a leading apostrophe makes a spreadsheet show them as text).',
    });
  }
}

export function sampleEvenly<T>(xs: T[], n: number): T[] {
  const out: T[] = [];
  const step = xs.length / n;
  for (let i = 0; i < n; i++) out.push(xs[Math.floor(i * step)]);
  return out;
}

function countNonZero(a: Int32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > 0) n++;
  return n;
}

function weightedMeanLength(levels: string[], counts: Int32Array, present: number): number {
  let total = 0;
  for (let k = 0; k < levels.length; k++) total += counts[k] * levels[k].length;
  return present === 0 ? 0 : total / present;
}

/**
 * An integer column that is a key: near-unique (at least 95% distinct present values) and either named as a
 * key or written with long digit strings (every value non-negative with at least 6 digits, all of about the
 * same length, as keys are; a measurement such as a population spans magnitudes; nor named like a measurement
 * or a time, see MEASURE_WORDS). Decimals (incomes) and small integers (counts) are never keys by their values alone.
 */
function integerKey(name: string, values: Float64Array, present: number): boolean {
  const named = idName(name);
  let minDigits = Infinity;
  let maxDigits = 0;
  if (!named) {
    if (measureName(name)) return false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      if (v < 0) return false;
      const d = v === 0 ? 1 : Math.floor(Math.log10(v)) + 1;
      if (d < ID_DIGITS) return false;
      if (d < minDigits) minDigits = d;
      if (d > maxDigits) maxDigits = d;
    }
    if (maxDigits - minDigits > 1) return false;
  }
  const sorted = new Float64Array(present);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) sorted[n++] = values[i];
  sorted.sort();
  let distinct = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  return distinct >= NEAR_UNIQUE * present;
}

/** Every present level is a string of at least ID_DIGITS digits ("00012345", "1234567890123456789"). */
function allLongDigits(levels: string[], counts: Int32Array): boolean {
  let any = false;
  for (let k = 0; k < levels.length; k++) {
    if (counts[k] === 0) continue;
    const l = levels[k].trim();
    if (l.length < ID_DIGITS) return false;
    for (let i = 0; i < l.length; i++) {
      const c = l.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    any = true;
  }
  return any;
}

/** A header naming a calendar year: "year", "Year", "birth_year", "yr", "fiscalYr" (not "years", "yrs_service"). */
const YEAR_NAME = /(^|[^a-z])(year|yr)$/i;
const YEAR_NAME_CAMEL = /[a-z0-9](Year|Yr)$/;

/**
 * An integer column of years, printed without a thousands separator: named like a year, or every present
 * value a four-digit year from 1000 to 2999.
 */
export function yearLike(name: string, values: Float64Array): boolean {
  if (YEAR_NAME.test(name) || YEAR_NAME_CAMEL.test(name)) return true;
  let any = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (!(v >= 1000 && v <= 2999 && Number.isInteger(v))) return false;
    any = true;
  }
  return any;
}

/** Keys look like codes: no spaces, and digits in (nearly) every value: "C000123", "a3f9-…", "INV-2023-01". */
function looksLikeCodes(sample: string[]): boolean {
  let withDigit = 0;
  for (const s of sample) {
    if (/\s/.test(s.trim())) return false;
    if (/\d/.test(s)) withDigit++;
  }
  return withDigit >= 0.9 * sample.length;
}
