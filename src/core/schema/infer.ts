import { parseNumber } from './numbers';
import type { IngestWarning, ParsedColumn } from './parsed';
import { categoricalColumn, numericColumn, type Column } from '../table/table';
import { detectDatetimeFormat, parseDatetime } from './datetimeFormat';
import { detectPii } from './pii';
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
  if (unique && (ID_NAME.test(p.name) || (meanLength <= 40 && looksLikeCodes(sample)))) {
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
  if (p.allIntegers && ID_NAME.test(p.name) && present === values.length && present >= 10 && allDistinct(values)) {
    // An integer key: keep it as labels, since arithmetic on it means nothing.
    const levels: string[] = [];
    const codes = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      codes[i] = i;
      levels.push(String(values[i]));
    }
    return { column: categoricalColumn(p.name, codes, levels), schema: { ...base, kind: 'id', role: 'generate-key' }, warnings: [] };
  }
  if (p.allIntegers) return { column: numericColumn(p.name, values), schema: { ...base, kind: 'integer', role: 'synthesize' }, warnings: [] };
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

function formulaWarning(name: string, levels: string[], counts: Int32Array, warnings: IngestWarning[]): void {
  let n = 0;
  let example = '';
  for (let k = 0; k < levels.length; k++) {
    const c0 = levels[k].charCodeAt(0);
    if ((c0 === 61 || c0 === 43 || c0 === 45 || c0 === 64) && counts[k] > 0 && /^[=+\-@][A-Za-z_][A-Za-z0-9_.]*\(/.test(levels[k])) {
      n += counts[k];
      if (!example) example = levels[k];
    }
  }
  if (n > 0) {
    warnings.push({
      code: 'formula-cells',
      column: name,
      message: `${n} value(s) in "${name}" look like spreadsheet formulas (e.g. ${JSON.stringify(example.slice(0, 60))}); they were kept as text. Spreadsheets may run such cells when a CSV is opened, so check them before sharing exports.`,
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

function allDistinct(values: Float64Array): boolean {
  const sorted = values.slice().sort();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return false;
  return true;
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
